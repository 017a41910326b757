<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>ScanView</name>
    <message>
        <location filename="../../ui/scan_view.py" line="87" />
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="90" />
        <source>Grey</source>
        <translation>Xám</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="90" />
        <location filename="../../ui/scan_view.py" line="109" />
        <source>Colour</source>
        <translation>Màu</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="90" />
        <source>Black &amp; white</source>
        <translation>Đen trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="99" />
        <source>Both sides</source>
        <translation>Hai mặt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="102" />
        <source>all</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="103" />
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="108" />
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="110" />
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="111" />
        <source>Paper</source>
        <translation>Khổ giấy</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="113" />
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="117" />
        <source>dossier code (optional)</source>
        <translation>mã hồ sơ (không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="119" />
        <source>component code or name</source>
        <translation>mã hoặc tên thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="120" />
        <source>Digitized copy</source>
        <translation>Bản số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="122" />
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="123" />
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="125" />
        <source>Scan (F5)</source>
        <translation>Quét (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="127" />
        <source>Import files…</source>
        <translation>Nhập tệp…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="129" />
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="132" />
        <source>Make PDF (Ctrl+Enter)</source>
        <translation>Tạo PDF (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="156" />
        <source>Turn left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="158" />
        <source>Turn right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="160" />
        <source>Delete page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="162" />
        <source>Re-scan page</source>
        <translation>Quét lại trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="185" />
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="186" />
        <source>After clean-up</source>
        <translation>Sau khi làm sạch</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="229" />
        <source>Looking for scanners…</source>
        <translation>Đang tìm máy quét…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="248" />
        <source>%n scanner(s) found.</source>
        <translation><numerusform>Tìm thấy %n máy quét.</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="250" />
        <source>No scanner found: connect one and press Refresh, or import files.</source>
        <translation>Không thấy máy quét: hãy cắm máy rồi bấm Làm mới, hoặc nhập tệp.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="280" />
        <source>Scanning…</source>
        <translation>Đang quét…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="292" />
        <source>Import pages</source>
        <translation>Nhập trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="293" />
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="312" />
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="320" />
        <source>Stopped. Pages already scanned are kept.</source>
        <translation>Đã dừng. Các trang đã quét vẫn được giữ.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="348" />
        <location filename="../../ui/scan_view.py" line="352" />
        <source>%n page(s) in this batch.</source>
        <translation><numerusform>Lô quét có %n trang.</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="384" />
        <source>low dpi</source>
        <translation>dpi thấp</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="384" />
        <source>blurred</source>
        <translation>mờ</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="384" />
        <source>too dark</source>
        <translation>quá tối</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="385" />
        <source>too light</source>
        <translation>quá nhạt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="385" />
        <source>blank</source>
        <translation>trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="385" />
        <source>cut off</source>
        <translation>bị cắt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="392" />
        <source>Page %1</source>
        <translation>Trang %1</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="394" />
        <location filename="../../ui/scan_view.py" line="426" />
        <source>checking…</source>
        <translation>đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="398" />
        <source>good</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="420" />
        <source>nothing to do</source>
        <translation>không cần xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="421" />
        <source>Clean-up: %1</source>
        <translation>Làm sạch: %1</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="485" />
        <source>Recognizing text…</source>
        <translation>Đang nhận dạng chữ…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="495" />
        <source>PDF ready: %1 (%2 pages, %3 KB/page).</source>
        <translation>Đã tạo PDF: %1 (%2 trang, %3 KB/trang).</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="498" />
        <source>Attached to the dossier.</source>
        <translation>Đã gắn vào hồ sơ.</translation>
    </message>
</context>
</TS>