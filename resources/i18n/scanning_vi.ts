<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>ScanView</name>
    <message>
        <location filename="../../ui/scan_view.py" line="108"/>
        <source>Refresh</source>
        <extracomment>(dossier code, component code): a PDF was made and attached to that dossier&apos;s slot Esc with nothing running: the dossier workspace goes back to the dossier page the dossier slot&apos;s spool (scanning/spool.py) while scanning for a slot: pages are on disk as they arrive; batch key → spooled name, and the turns applied since</extracomment>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="111"/>
        <source>Grey</source>
        <translation>Xám</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="111"/>
        <location filename="../../ui/scan_view.py" line="131"/>
        <source>Colour</source>
        <translation>Màu</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="111"/>
        <source>Black &amp; white</source>
        <translation>Đen trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="120"/>
        <source>Both sides</source>
        <translation>Hai mặt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="123"/>
        <source>all</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="124"/>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="129"/>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="130"/>
        <source>Profile</source>
        <translation>Cấu hình</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="132"/>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="133"/>
        <source>Paper</source>
        <translation>Khổ giấy</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="135"/>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="139"/>
        <source>dossier code (optional)</source>
        <translation>mã hồ sơ (không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="141"/>
        <source>component code or name</source>
        <translation>mã hoặc tên thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="142"/>
        <source>Digitized copy</source>
        <translation>Bản số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="144"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="145"/>
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="147"/>
        <source>Scan (F5)</source>
        <translation>Quét (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="149"/>
        <source>Import files…</source>
        <translation>Nhập tệp…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="151"/>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="154"/>
        <source>Make PDF (Ctrl+Enter)</source>
        <translation>Tạo PDF (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="182"/>
        <source>Turn left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="184"/>
        <source>Turn right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="186"/>
        <source>Delete page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="188"/>
        <source>Re-scan page</source>
        <translation>Quét lại trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="157"/>
        <location filename="../../ui/scan_view.py" line="676"/>
        <source>Clear batch</source>
        <translation>Xóa cả lô</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="209"/>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="210"/>
        <source>After clean-up</source>
        <translation>Sau khi làm sạch</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="315"/>
        <source>Looking for scanners…</source>
        <translation>Đang tìm máy quét…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="331"/>
        <source>%n scanner(s) found.</source>
        <translation>
            <numerusform>Tìm thấy %n máy quét.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="333"/>
        <source>No scanner found: connect one and press Refresh, or import files.</source>
        <translation>Không thấy máy quét: hãy cắm máy rồi bấm Làm mới, hoặc nhập tệp.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="377"/>
        <source>Scanning…</source>
        <translation>Đang quét…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="387"/>
        <source>This scanner scans one side only, and the profile asks for both sides.</source>
        <translation>Máy quét này chỉ quét được một mặt, còn cấu hình quét lại yêu cầu hai mặt.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="389"/>
        <source>Choose the profile “%1” (one side) or untick “Both sides”, then scan again.</source>
        <translation>Chọn cấu hình “%1” (một mặt) hoặc bỏ chọn “Hai mặt”, rồi quét lại.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="392"/>
        <source>Untick “Both sides”, then scan again.</source>
        <translation>Bỏ chọn “Hai mặt”, rồi quét lại.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="403"/>
        <source>Import pages</source>
        <translation>Nhập trang</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="404"/>
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="426"/>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="434"/>
        <source>Stopped. Pages already scanned are kept.</source>
        <translation>Đã dừng. Các trang đã quét vẫn được giữ.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="471"/>
        <location filename="../../ui/scan_view.py" line="475"/>
        <source>%n page(s) in this batch.</source>
        <translation>
            <numerusform>Lô quét có %n trang.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="532"/>
        <source>low dpi</source>
        <translation>dpi thấp</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="532"/>
        <source>blurred</source>
        <translation>mờ</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="532"/>
        <source>too dark</source>
        <translation>quá tối</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="533"/>
        <source>too light</source>
        <translation>quá nhạt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="533"/>
        <source>blank</source>
        <translation>trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="533"/>
        <source>cut off</source>
        <translation>bị cắt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="540"/>
        <source>Page %1</source>
        <translation>Trang %1</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="542"/>
        <location filename="../../ui/scan_view.py" line="585"/>
        <source>checking…</source>
        <translation>đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="546"/>
        <source>good</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="579"/>
        <source>nothing to do</source>
        <translation>không cần xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="580"/>
        <source>Clean-up: %1</source>
        <translation>Làm sạch: %1</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="592"/>
        <source>whole frame kept</source>
        <translation>giữ nguyên khung ảnh</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="593"/>
        <source>perspective straightened</source>
        <translation>đã nắn phối cảnh</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="593"/>
        <source>cropped</source>
        <translation>đã cắt viền</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="594"/>
        <source>grey</source>
        <translation>chuyển sang xám</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="594"/>
        <source>lighting evened</source>
        <translation>đã cân bằng ánh sáng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="594"/>
        <source>blank page</source>
        <translation>trang trắng</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="595"/>
        <source>turned %1</source>
        <translation>đã xoay %1</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="595"/>
        <source>specks removed</source>
        <translation>đã khử nhiễu</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="596"/>
        <source>straightened %1</source>
        <translation>đã chỉnh nghiêng %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="636"/>
        <source>%n page(s) scanned earlier are back; nothing was lost.</source>
        <translation>
            <numerusform>Đã khôi phục %n trang quét trước đó; không mất trang nào.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="675"/>
        <source>Remove all %n page(s) of this batch? They are not in any PDF yet.</source>
        <translation>
            <numerusform>Xóa cả %n trang của lô này? Các trang này chưa nằm trong PDF nào.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="686"/>
        <source>The batch is empty.</source>
        <translation>Lô quét đã trống.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="706"/>
        <source>page %1 (%2)</source>
        <translation>trang %1 (%2)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/scan_view.py" line="708"/>
        <source>%n page(s) have problems: %1. Make the PDF anyway?</source>
        <translation>
            <numerusform>%n trang có vấn đề: %1. Vẫn tạo PDF?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="709"/>
        <source>Make PDF</source>
        <translation>Tạo PDF</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="710"/>
        <source>PDF not made: re-scan, turn or delete the pages with problems.</source>
        <translation>Chưa tạo PDF: hãy quét lại, xoay hoặc xóa các trang có vấn đề.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="734"/>
        <source>Recognizing text…</source>
        <translation>Đang nhận dạng chữ…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="743"/>
        <source>PDF ready: %1 (%2 pages, %3 KB/page).</source>
        <translation>Đã tạo PDF: %1 (%2 trang, %3 KB/trang).</translation>
    </message>
    <message>
        <location filename="../../ui/scan_view.py" line="747"/>
        <source>Attached to the dossier.</source>
        <translation>Đã gắn vào hồ sơ.</translation>
    </message>
</context>
</TS>
