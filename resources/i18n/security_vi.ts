<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="52"/>
        <source>motcua — Sign in</source>
        <translation>motcua — Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="53"/>
        <source>One-stop counter</source>
        <translation>Bộ phận Một cửa</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="66"/>
        <source>This password was set by someone else: choose your own before you go on (at least 10 characters, not your user name, not a common password).</source>
        <translation>Mật khẩu này do người khác đặt: hãy chọn mật khẩu của riêng bạn trước khi tiếp tục (ít nhất 10 ký tự, không chứa tên đăng nhập, không phải mật khẩu phổ biến).</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="79"/>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="80"/>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="81"/>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="82"/>
        <source>New password again</source>
        <translation>Nhập lại mật khẩu mới</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="87"/>
        <location filename="../../ui/login_dialog.py" line="203"/>
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="88"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="136"/>
        <source>Signing in…</source>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="151"/>
        <source>The two new passwords differ.</source>
        <translation>Hai lần nhập mật khẩu mới không khớp.</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="179"/>
        <source>Change password</source>
        <translation>Đổi mật khẩu</translation>
    </message>
</context>
</TS>
