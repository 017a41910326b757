<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>SettingsView</name>
    <message>
        <source>Counter number</source>
        <translation>Số quầy</translation>
    </message>
    <message>
        <source>Scanner profile</source>
        <translation>Cấu hình máy quét</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Máy in giấy biên nhận</translation>
    </message>
    <message>
        <source>Ticket printer (80 mm)</source>
        <translation>Máy in số thứ tự (80 mm)</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>Tệp cấu hình</translation>
    </message>
</context>
</TS>
