<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>ScanView</name>
    <message>
        <location filename="../../ui/scan_view.py" line="93"/>
        <source>Refresh</source>
        <extracomment>(dossier code, component code): a PDF was made and attached to that dossier&apos;s slot Esc with nothing running: the dossier workspace goes back to the dossier page</extracomment>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="96"/>
        <source>Grey</source>
        <translation>Xám</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="96"/>
        <location filename="../../ui/scan_view.py" line="116"/>
        <source>Colour</source>
        <translation>Màu</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="96"/>
        <source>Black &amp; white</source>
        <translation>Đen trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="105"/>
        <source>Both sides</source>
        <translation>Hai mặt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="108"/>
        <source>all</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="109"/>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="114"/>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="115"/>
        <source>Profile</source>
        <translation>Cấu hình</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="117"/>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="118"/>
        <source>Paper</source>
        <translation>Khổ giấy</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="120"/>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="124"/>
        <source>dossier code (optional)</source>
        <translation>mã hồ sơ (không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="126"/>
        <source>component code or name</source>
        <translation>mã hoặc tên thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="127"/>
        <source>Digitized copy</source>
        <translation>Bản số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="129"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="130"/>
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="132"/>
        <source>Scan (F5)</source>
        <translation>Quét (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="134"/>
        <source>Import files…</source>
        <translation>Nhập tệp…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="136"/>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="139"/>
        <source>Make PDF (Ctrl+Enter)</source>
        <translation>Tạo PDF (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="163"/>
        <source>Turn left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="165"/>
        <source>Turn right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="167"/>
        <source>Delete page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="169"/>
        <source>Re-scan page</source>
        <translation>Quét lại trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="192"/>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="193"/>
        <source>After clean-up</source>
        <translation>Sau khi làm sạch</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="275"/>
        <source>Looking for scanners…</source>
        <translation>Đang tìm máy quét…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="304"/>
        <source>%n scanner(s) found.</source>
        <translation>
            <numerusform>Tìm thấy %n máy quét.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="306"/>
        <source>No scanner found: connect one and press Refresh, or import files.</source>
        <translation>Không thấy máy quét: hãy cắm máy rồi bấm Làm mới, hoặc nhập tệp.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="341"/>
        <source>Scanning…</source>
        <translation>Đang quét…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="353"/>
        <source>Import pages</source>
        <translation>Nhập trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="354"/>
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="375"/>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="383"/>
        <source>Stopped. Pages already scanned are kept.</source>
        <translation>Đã dừng. Các trang đã quét vẫn được giữ.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="412"/>
        <location filename="../../ui/scan_view.py" line="416"/>
        <source>%n page(s) in this batch.</source>
        <translation>
            <numerusform>Lô quét có %n trang.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="449"/>
        <source>low dpi</source>
        <translation>dpi thấp</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="449"/>
        <source>blurred</source>
        <translation>mờ</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="449"/>
        <source>too dark</source>
        <translation>quá tối</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="450"/>
        <source>too light</source>
        <translation>quá nhạt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="450"/>
        <source>blank</source>
        <translation>trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="450"/>
        <source>cut off</source>
        <translation>bị cắt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="457"/>
        <source>Page %1</source>
        <translation>Trang %1</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="459"/>
        <location filename="../../ui/scan_view.py" line="491"/>
        <source>checking…</source>
        <translation>đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="463"/>
        <source>good</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="485"/>
        <source>nothing to do</source>
        <translation>không cần xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="486"/>
        <source>Clean-up: %1</source>
        <translation>Làm sạch: %1</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="557"/>
        <source>Recognizing text…</source>
        <translation>Đang nhận dạng chữ…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="566"/>
        <source>PDF ready: %1 (%2 pages, %3 KB/page).</source>
        <translation>Đã tạo PDF: %1 (%2 trang, %3 KB/trang).</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="570"/>
        <source>Attached to the dossier.</source>
        <translation>Đã gắn vào hồ sơ.</translation>
    </message>
</context>
</TS>
