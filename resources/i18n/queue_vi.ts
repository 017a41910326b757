<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>QueueOverview</name>
    <message>
        <location filename="../../ui/queue/overview.py" line="47"/>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="47"/>
        <source>Service</source>
        <translation>Dịch vụ</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="47"/>
        <source>Waiting</source>
        <translation>Đang chờ</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="47"/>
        <source>Longest wait</source>
        <translation>Chờ lâu nhất</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="47"/>
        <source>Served today</source>
        <translation>Đã phục vụ hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="48"/>
        <source>Average wait</source>
        <translation>Chờ trung bình</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="48"/>
        <source>Average service</source>
        <translation>Phục vụ trung bình</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="52"/>
        <source>Counter</source>
        <translation>Quầy</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="52"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="52"/>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="52"/>
        <source>Served</source>
        <translation>Đã phục vụ</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="52"/>
        <source>Busy</source>
        <translation>Đang phục vụ</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="53"/>
        <source>Idle</source>
        <translation>Rảnh</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="53"/>
        <source>Paused</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="65"/>
        <source>Services</source>
        <translation>Dịch vụ</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="67"/>
        <source>Counters</source>
        <translation>Các quầy</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="119"/>
        <source>open</source>
        <translation>đang mở</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="119"/>
        <source>paused</source>
        <translation>tạm dừng</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="119"/>
        <source>closed</source>
        <translation>đóng</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="134"/>
        <source>%1 waiting, longest %2; %3 of %4 counters open</source>
        <translation>%1 người đang chờ, lâu nhất %2; %3/%4 quầy đang mở</translation>
    </message>
    <message>
        <location filename="../../ui/queue/overview.py" line="136"/>
        <source>live</source>
        <translation>cập nhật trực tiếp</translation>
    </message>
</context>
</TS>
