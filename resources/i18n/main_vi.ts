<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="26" />
        <source>motcua — Sign in</source>
        <translation>motcua — Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="27" />
        <source>One-stop counter</source>
        <translation>Bộ phận Một cửa</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="39" />
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="40" />
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="42" />
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="43" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="35" />
        <source>motcua — One-stop counter</source>
        <translation>motcua — Bộ phận Một cửa</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="88" />
        <source>This screen could not be opened: %1
Details are in the log file.</source>
        <translation>Không mở được màn hình này: %1
Chi tiết đã ghi vào tệp nhật ký.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="98" />
        <source>&amp;Application</source>
        <translation>&amp;Ứng dụng</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="99" />
        <source>Sign &amp;out</source>
        <translation>Đăng &amp;xuất</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="102" />
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="106" />
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="115" />
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="116" />
        <source>&amp;About motcua</source>
        <translation>&amp;Giới thiệu motcua</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="135" />
        <source>About motcua</source>
        <translation>Giới thiệu motcua</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="136" />
        <source>motcua %1 — workstation of the one-stop counter.
Database: %2</source>
        <translation>motcua %1 — máy trạm của Bộ phận Một cửa.
Cơ sở dữ liệu: %2</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../ui/navigation.py" line="31" />
        <source>Counter</source>
        <translation>Quầy tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="33" />
        <source>Scanning</source>
        <translation>Số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="34" />
        <source>Signing</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="36" />
        <source>Queue</source>
        <translation>Hàng đợi</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="38" />
        <source>Outbox</source>
        <translation>Gửi hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="39" />
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="41" />
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../../ui/reports_view.py" line="37" />
        <source>Compute</source>
        <translation>Tính</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="39" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="47" />
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="47" />
        <source>Received</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="47" />
        <source>Late</source>
        <translation>Trễ hạn</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="47" />
        <source>Components digitized</source>
        <translation>Thành phần đã số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="48" />
        <source>Results digitized</source>
        <translation>Kết quả đã số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="48" />
        <source>Signed results</source>
        <translation>Kết quả đã ký số</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="48" />
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="54" />
        <source>Month</source>
        <translation>Tháng</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="77" />
        <source>Cancelled.</source>
        <translation>Đã hủy.</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="100" />
        <source>All officers</source>
        <translation>Tất cả cán bộ</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/reports_view.py" line="107" />
        <source>%n dossier(s) received in the month.</source>
        <translation>
            <numerusform>%n hồ sơ tiếp nhận trong tháng.</numerusform></translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <location filename="../../ui/settings_view.py" line="39" />
        <source>This workstation</source>
        <translation>Máy trạm này</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="41" />
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="42" />
        <source>Agency code (QCVN 102:2016)</source>
        <translation>Mã cơ quan (QCVN 102:2016)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="43" />
        <source>Database URL (empty: local SQLite)</source>
        <translation>Địa chỉ cơ sở dữ liệu (để trống: SQLite trên máy)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="44" />
        <source>Dossier system (file:// folder or https:// server)</source>
        <translation>Hệ thống hồ sơ (thư mục file:// hoặc máy chủ https://)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="45" />
        <source>Token PKCS#11 module</source>
        <translation>Mô-đun PKCS#11 của token</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="46" />
        <source>Data folder</source>
        <translation>Thư mục dữ liệu</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="47" />
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="73" />
        <source>Saved. A change of database or dossier system takes effect at the next start.</source>
        <translation>Đã lưu. Thay đổi cơ sở dữ liệu hoặc hệ thống hồ sơ có hiệu lực từ lần mở sau.</translation>
    </message>
</context>
</TS>