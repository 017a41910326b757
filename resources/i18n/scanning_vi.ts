<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>ScanView</name>
    <message>
        <location filename="../../ui/scan_view.py" line="98"/>
        <source>Refresh</source>
        <extracomment>(dossier code, component code): a PDF was made and attached to that dossier&apos;s slot Esc with nothing running: the dossier workspace goes back to the dossier page the dossier slot&apos;s spool (scanning/spool.py) while scanning for a slot: pages are on disk as they arrive; batch key → spooled name, and the turns applied since</extracomment>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="101"/>
        <source>Grey</source>
        <translation>Xám</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="101"/>
        <location filename="../../ui/scan_view.py" line="121"/>
        <source>Colour</source>
        <translation>Màu</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="101"/>
        <source>Black &amp; white</source>
        <translation>Đen trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="110"/>
        <source>Both sides</source>
        <translation>Hai mặt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="113"/>
        <source>all</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="114"/>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="119"/>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="120"/>
        <source>Profile</source>
        <translation>Cấu hình</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="122"/>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="123"/>
        <source>Paper</source>
        <translation>Khổ giấy</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="125"/>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="129"/>
        <source>dossier code (optional)</source>
        <translation>mã hồ sơ (không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="131"/>
        <source>component code or name</source>
        <translation>mã hoặc tên thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="132"/>
        <source>Digitized copy</source>
        <translation>Bản số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="134"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="135"/>
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="137"/>
        <source>Scan (F5)</source>
        <translation>Quét (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="139"/>
        <source>Import files…</source>
        <translation>Nhập tệp…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="141"/>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="144"/>
        <source>Make PDF (Ctrl+Enter)</source>
        <translation>Tạo PDF (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="168"/>
        <source>Turn left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="170"/>
        <source>Turn right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="172"/>
        <source>Delete page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="174"/>
        <source>Re-scan page</source>
        <translation>Quét lại trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="197"/>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="198"/>
        <source>After clean-up</source>
        <translation>Sau khi làm sạch</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="280"/>
        <source>Looking for scanners…</source>
        <translation>Đang tìm máy quét…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="309"/>
        <source>%n scanner(s) found.</source>
        <translation>
            <numerusform>Tìm thấy %n máy quét.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="311"/>
        <source>No scanner found: connect one and press Refresh, or import files.</source>
        <translation>Không thấy máy quét: hãy cắm máy rồi bấm Làm mới, hoặc nhập tệp.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="349"/>
        <source>Scanning…</source>
        <translation>Đang quét…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="361"/>
        <source>Import pages</source>
        <translation>Nhập trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="362"/>
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="384"/>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="392"/>
        <source>Stopped. Pages already scanned are kept.</source>
        <translation>Đã dừng. Các trang đã quét vẫn được giữ.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="429"/>
        <location filename="../../ui/scan_view.py" line="433"/>
        <source>%n page(s) in this batch.</source>
        <translation>
            <numerusform>Lô quét có %n trang.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="466"/>
        <source>low dpi</source>
        <translation>dpi thấp</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="466"/>
        <source>blurred</source>
        <translation>mờ</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="466"/>
        <source>too dark</source>
        <translation>quá tối</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="467"/>
        <source>too light</source>
        <translation>quá nhạt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="467"/>
        <source>blank</source>
        <translation>trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="467"/>
        <source>cut off</source>
        <translation>bị cắt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="474"/>
        <source>Page %1</source>
        <translation>Trang %1</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="476"/>
        <location filename="../../ui/scan_view.py" line="508"/>
        <source>checking…</source>
        <translation>đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="480"/>
        <source>good</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="502"/>
        <source>nothing to do</source>
        <translation>không cần xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="503"/>
        <source>Clean-up: %1</source>
        <translation>Làm sạch: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="552"/>
        <source>%n page(s) scanned earlier are back; nothing was lost.</source>
        <translation>
            <numerusform>Đã khôi phục %n trang quét trước đó; không mất trang nào.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="609"/>
        <source>Recognizing text…</source>
        <translation>Đang nhận dạng chữ…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="618"/>
        <source>PDF ready: %1 (%2 pages, %3 KB/page).</source>
        <translation>Đã tạo PDF: %1 (%2 trang, %3 KB/trang).</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="622"/>
        <source>Attached to the dossier.</source>
        <translation>Đã gắn vào hồ sơ.</translation>
    </message>
</context>
</TS>
