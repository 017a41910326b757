<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>CccdCameraDialog</name>
    <message>
        <location filename="../../ui/cccd_camera.py" line="67" />
        <source>Read the CCCD with the camera</source>
        <extracomment>opens camera ``index``: ``cv2.VideoCapture`` in the application, a video file in the tests</extracomment>
        <translation>Đọc CCCD bằng camera</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="76" />
        <source>Starting the camera…</source>
        <translation>Đang mở camera…</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="80" />
        <source>Hold the side of the card with the QR code under the camera; the fields fill in as soon as it is read.</source>
        <translation>Đưa mặt có mã QR của thẻ vào dưới camera; các trường được điền ngay khi đọc được mã.</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="86" />
        <source>Try again</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="89" />
        <source>Close (Esc)</source>
        <translation>Đóng (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="92" />
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="117" />
        <source>Camera %1</source>
        <translation>Camera %1</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="119" />
        <source>No camera found on this workstation. Read the QR from an image file, or type the ID number.</source>
        <translation>Không tìm thấy camera trên máy trạm này. Hãy đọc mã QR từ tệp ảnh, hoặc nhập số định danh.</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="121" />
        <source>No camera</source>
        <translation>Không có camera</translation>
    </message>
    <message>
        <location filename="../../ui/cccd_camera.py" line="168" />
        <source>QR code in view, not used: %1</source>
        <translation>Mã QR trong khung hình chưa dùng được: %1</translation>
    </message>
    <message>
        <source>A QR code is in view but it is not a CCCD's: %1</source>
        <translation type="vanished">Có mã QR trong khung hình nhưng không phải mã của thẻ CCCD: %1</translation>
    </message>
</context>
<context>
    <name>CounterPanel</name>
    <message>
        <source>walk-in</source>
        <translation type="vanished">thông thường</translation>
    </message>
    <message>
        <source>elderly</source>
        <translation type="vanished">người cao tuổi</translation>
    </message>
    <message>
        <source>disability</source>
        <translation type="vanished">người khuyết tật</translation>
    </message>
    <message>
        <source>pregnant</source>
        <translation type="vanished">phụ nữ mang thai</translation>
    </message>
    <message>
        <source>appointment</source>
        <translation type="vanished">đặt lịch hẹn</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="198" />
        <source>Counter %1</source>
        <translation>Quầy %1</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="143" />
        <source>Call next</source>
        <translation>Gọi số tiếp</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="143" />
        <source>Start</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="144" />
        <source>End</source>
        <translation>Kết thúc</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="144" />
        <source>Not present</source>
        <translation>Vắng mặt</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="145" />
        <source>Recall no-show</source>
        <translation>Gọi lại số vắng</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="146" />
        <source>Receive a dossier for this citizen</source>
        <translation>Tiếp nhận hồ sơ cho công dân này</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="152" />
        <location filename="../../ui/queue/counter_panel.py" line="275" />
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="153" />
        <source>Close session</source>
        <translation>Đóng phiên</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="155" />
        <source>Now serving</source>
        <translation>Đang phục vụ</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="163" />
        <source>Waiting for this counter</source>
        <translation>Đang chờ tại quầy này</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="200" />
        <source>No counter is set up in the database yet; ask a supervisor to add the counters.</source>
        <translation>Cơ sở dữ liệu chưa có quầy nào; đề nghị cán bộ phụ trách thêm các quầy.</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="274" />
        <source>Resume</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="275" />
        <source>Open session</source>
        <translation>Mở phiên</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="292" />
        <source>Service time %1</source>
        <translation>Thời gian phục vụ %1</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="306" />
        <source>No open session</source>
        <translation>Chưa mở phiên làm việc</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="309" />
        <source>Paused %1 — %2</source>
        <translation>Tạm dừng %1 — %2</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="313" />
        <source>Session open since %1</source>
        <translation>Phiên làm việc mở từ %1</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="325" />
        <source>End or skip ticket %1 before pausing the counter.</source>
        <translation>Kết thúc hoặc bỏ qua số %1 trước khi tạm dừng quầy.</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="353" />
        <source>Start serving the ticket first (F3), then receive its dossier (F7).</source>
        <translation>Bắt đầu phục vụ số này trước (F3), rồi tiếp nhận hồ sơ (F7).</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="377" />
        <source>Nobody is waiting for this counter.</source>
        <translation>Không còn công dân nào chờ tại quầy này.</translation>
    </message>
</context>
<context>
    <name>DisplayBoard</name>
    <message>
        <location filename="../../ui/queue/display_board.py" line="34" />
        <source>Display board</source>
        <translation>Màn hình gọi số</translation>
    </message>
    <message>
        <location filename="../../ui/queue/display_board.py" line="36" />
        <source>NOW CALLING</source>
        <translation>MỜI CÔNG DÂN</translation>
    </message>
    <message>
        <location filename="../../ui/queue/display_board.py" line="92" />
        <source>%1 → counter %2</source>
        <translation>%1 → quầy %2</translation>
    </message>
    <message>
        <location filename="../../ui/queue/display_board.py" line="95" />
        <source>Counter %1</source>
        <translation>Quầy %1</translation>
    </message>
</context>
<context>
    <name>FeeDialog</name>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="316" />
        <source>Fee paid</source>
        <translation>Nộp phí</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="319" />
        <source>Cash</source>
        <translation>Tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="319" />
        <source>Bank transfer</source>
        <translation>Chuyển khoản</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="320" />
        <source>Online payment</source>
        <translation>Thanh toán trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="324" />
        <source>the e-receipt's or transfer's reference</source>
        <translation>số biên lai điện tử hoặc mã giao dịch</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="326" />
        <source>Amount due:</source>
        <translation>Số tiền phải nộp:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="327" />
        <source>Paid by:</source>
        <translation>Hình thức nộp:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="328" />
        <source>Receipt reference:</source>
        <translation>Số biên lai:</translation>
    </message>
</context>
<context>
    <name>FormsDialog</name>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="396" />
        <source>Forms of this dossier</source>
        <extracomment>what the officer chose: "print", "seal" or "send" the forms that go to the citizen (desktop.outbox.notices.CITIZEN_FORMS)</extracomment>
        <translation>Biểu mẫu của hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="409" />
        <source>Preview and print (Enter)</source>
        <translation>Xem và in (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="412" />
        <source>Issue electronically, sealed…</source>
        <translation>Phát hành điện tử, ký số…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="416" />
        <source>Only the agency's officers seal forms with the organization's signature.</source>
        <translation>Chỉ cán bộ của cơ quan được ký số biểu mẫu bằng chữ ký của tổ chức.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="418" />
        <source>Send to the citizen (Ctrl+E)</source>
        <translation>Gửi cho công dân (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="421" />
        <source>E-mail the last issued copy to the citizen (and an SMS where a gateway is configured); the outbox sends it and the history records it.</source>
        <translation>Gửi bản đã phát hành gần nhất qua thư điện tử cho công dân (và tin nhắn SMS nếu đã cấu hình cổng SMS); hàng đợi gửi sẽ gửi đi và lịch sử hồ sơ ghi lại.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="426" />
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="452" />
        <source>Receipt and appointment slip</source>
        <translation>Giấy tiếp nhận hồ sơ và hẹn trả kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="453" />
        <source>Request to supplement the dossier</source>
        <translation>Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="454" />
        <source>Refusal to receive</source>
        <translation>Phiếu từ chối tiếp nhận giải quyết hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="455" />
        <source>Apology and extension of the time</source>
        <translation>Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="456" />
        <source>Notice of stopping</source>
        <translation>Thông báo dừng giải quyết hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="457" />
        <source>Process control sheet</source>
        <translation>Phiếu kiểm soát quá trình giải quyết hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="458" />
        <source>Dossier register</source>
        <translation>Sổ theo dõi hồ sơ</translation>
    </message>
</context>
<context>
    <name>HandoffDialog</name>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="269" />
        <source>Send for processing</source>
        <translation>Chuyển xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="269" />
        <source>Hand off</source>
        <translation>Chuyển bước</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="277" />
        <source>the department or agency</source>
        <translation>phòng, ban hoặc cơ quan</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="280" />
        <source>optional: the department assigns it</source>
        <translation>không bắt buộc: phòng chuyên môn tự phân công</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="281" />
        <source>required</source>
        <translation>bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="287" />
        <source>no time set</source>
        <translation>không đặt thời hạn</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="288" />
        <source> working hours</source>
        <translation> giờ làm việc</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="292" />
        <source>Department:</source>
        <translation>Phòng, ban:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="293" />
        <source>Receiver:</source>
        <translation>Người nhận:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="294" />
        <source>Time for the step:</source>
        <translation>Thời gian cho bước:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="295" />
        <source>Note:</source>
        <translation>Ghi chú:</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../ui/queue/kiosk.py" line="53" />
        <source>Take a number</source>
        <translation>Lấy số thứ tự</translation>
    </message>
    <message>
        <location filename="../../ui/queue/kiosk.py" line="57" />
        <source>Choose the service you need</source>
        <translation>Xin mời chọn dịch vụ cần giải quyết</translation>
    </message>
    <message>
        <location filename="../../ui/queue/kiosk.py" line="71" />
        <source>Priority? Touch it first, then your service.</source>
        <translation>Thuộc diện ưu tiên? Chạm vào diện đó trước, rồi chọn dịch vụ.</translation>
    </message>
    <message>
        <location filename="../../ui/queue/kiosk.py" line="130" />
        <source>Your number: %1 — %2 waiting ahead of you</source>
        <translation>Số của bạn: %1 — có %2 người chờ trước</translation>
    </message>
    <message>
        <location filename="../../ui/queue/kiosk.py" line="133" />
        <source>Priority: %1</source>
        <translation>Ưu tiên: %1</translation>
    </message>
    <message>
        <location filename="../../ui/queue/kiosk.py" line="137" />
        <source>The ticket printer is not available: please remember your number.</source>
        <translation>Máy in phiếu không sẵn sàng: xin ghi nhớ số thứ tự của bạn.</translation>
    </message>
    <message>
        <location filename="../../ui/queue/kiosk.py" line="161" />
        <source>The ticket could not be printed: please remember your number.</source>
        <translation>Không in được phiếu: xin ghi nhớ số thứ tự của bạn.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="52" />
        <source>motcua — Sign in</source>
        <translation>motcua — Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="53" />
        <source>One-stop counter</source>
        <translation>Bộ phận Một cửa</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="66" />
        <source>This password was set by someone else: choose your own before you go on (at least 10 characters, not your user name, not a common password).</source>
        <translation>Mật khẩu này do người khác đặt: hãy chọn mật khẩu của riêng bạn trước khi tiếp tục (ít nhất 10 ký tự, không chứa tên đăng nhập, không phải mật khẩu phổ biến).</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="79" />
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="80" />
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="81" />
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="82" />
        <source>New password again</source>
        <translation>Nhập lại mật khẩu mới</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="87" />
        <location filename="../../ui/login_dialog.py" line="203" />
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="88" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="136" />
        <source>Signing in…</source>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="151" />
        <source>The two new passwords differ.</source>
        <translation>Hai lần nhập mật khẩu mới không khớp.</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="179" />
        <source>Change password</source>
        <translation>Đổi mật khẩu</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="61" />
        <source>motcua — One-stop counter</source>
        <extracomment>room for the title bar before the window manager has decorated the window (its height is unknown then) the counter flow's screens, built at idle after sign-in (see :meth:`MainWindow.prebuild_all`): built on first use they froze the window for 40–90 ms each (bench/flow_bench.py --why) whether a window builds :data:`PREBUILT_AREAS` at idle once shown; the UI tests switch it off (tests/ui/conftest.py) so a test builds what it opens, when it opens it what is left to build at idle, one step per event-loop turn (each well under 50 ms) the idle chain has built everything it had to (benchmarks wait for it)</extracomment>
        <translation>motcua — Bộ phận Một cửa</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="248" />
        <source>This screen could not be opened: %1
Details are in the log file.</source>
        <translation>Không mở được màn hình này: %1
Chi tiết đã ghi vào tệp nhật ký.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="258" />
        <source>&amp;Application</source>
        <translation>&amp;Ứng dụng</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="259" />
        <source>Sign &amp;out</source>
        <translation>Đăng &amp;xuất</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="262" />
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="266" />
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="275" />
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="276" />
        <source>&amp;About motcua</source>
        <translation>&amp;Giới thiệu motcua</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="302" />
        <source>About motcua</source>
        <translation>Giới thiệu motcua</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="303" />
        <source>motcua %1 — workstation of the one-stop counter.
Database: %2</source>
        <translation>motcua %1 — máy trạm của Bộ phận Một cửa.
Cơ sở dữ liệu: %2</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../ui/navigation.py" line="110" />
        <source>Counter</source>
        <translation>Quầy – gọi số</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="112" />
        <source>Reception</source>
        <translation>Tiếp nhận hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="114" />
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="116" />
        <source>Scanning</source>
        <translation>Số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="117" />
        <source>Signing</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="119" />
        <source>Queue</source>
        <translation>Hàng đợi</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="120" />
        <source>Dashboard</source>
        <translation>Bảng điều hành</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="122" />
        <source>Outbox</source>
        <translation>Gửi hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="123" />
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="124" />
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <location filename="../../ui/outbox_view.py" line="51" />
        <source>Job</source>
        <extracomment>a safety net: the uploader's reports refresh the screen as things change</extracomment>
        <translation>Việc</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="51" />
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="51" />
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="51" />
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="52" />
        <source>Attempts</source>
        <translation>Số lần thử</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="52" />
        <source>Reason / next attempt</source>
        <translation>Lý do / lần thử tiếp</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="58" />
        <source>Send now</source>
        <translation>Gửi ngay</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="59" />
        <source>Try every job that is waiting out a retry delay now.</source>
        <translation>Gửi ngay mọi việc đang chờ đến lượt thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="84" />
        <source>starting</source>
        <translation>đang khởi động</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="84" />
        <source>up to date</source>
        <translation>đã gửi hết</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="85" />
        <source>sending…</source>
        <translation>đang gửi…</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="85" />
        <source>retrying after a failure</source>
        <translation>sẽ thử lại sau lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="86" />
        <source>dossier system unreachable: uploads wait</source>
        <translation>không kết nối được hệ thống hồ sơ: hồ sơ chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="87" />
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="88" />
        <source>Uploader: %1</source>
        <translation>Bộ gửi: %1</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="115" />
        <source>To send %1 · sending %2 · waiting for signature %3 · parked %4 · delivered %5</source>
        <translation>Chờ gửi %1 · đang gửi %2 · chờ ký số %3 · tạm dừng %4 · đã gửi %5</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="123" />
        <source>waiting for configuration</source>
        <translation>chờ cấu hình</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="125" />
        <source>audit anchor</source>
        <translation>mốc nhật ký kiểm toán</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="125" />
        <source>e-mail to the citizen</source>
        <translation>thư điện tử cho công dân</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="126" />
        <source>SMS to the citizen</source>
        <translation>tin nhắn SMS cho công dân</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="152" />
        <source>Sending now.</source>
        <translation>Đang gửi ngay.</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="159" />
        <source>Select a parked job to retry.</source>
        <translation>Chọn một việc đang tạm dừng để gửi lại.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="vanished">Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="61" />
        <source>Retry selected</source>
        <translation>Gửi lại việc đã chọn</translation>
    </message>
    <message>
        <source>Waiting %1 · sending %2 · parked %3 · delivered %4</source>
        <translation type="vanished">Chờ gửi %1 · đang gửi %2 · tạm dừng %3 · đã gửi %4</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="vanished">chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="121" />
        <source>sending</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="121" />
        <source>to send</source>
        <translation>chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="122" />
        <source>parked</source>
        <translation>tạm dừng</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="122" />
        <source>waiting for signature</source>
        <translation>chờ ký số</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="124" />
        <source>dossier</source>
        <translation>hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="124" />
        <source>file</source>
        <translation>tệp</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="124" />
        <source>status</source>
        <translation>trạng thái</translation>
    </message>
    <message>
        <source>Sending stopped.</source>
        <translation type="vanished">Đã dừng gửi.</translation>
    </message>
    <message>
        <source>Delivered %1, failed %2.</source>
        <translation type="vanished">Đã gửi %1, lỗi %2.</translation>
    </message>
</context>
<context>
    <name>PauseDialog</name>
    <message>
        <location filename="../../ui/queue/pause_dialog.py" line="27" />
        <source>Pause the counter</source>
        <extracomment>the core limits a pause reason to 200 characters</extracomment>
        <translation>Tạm dừng quầy</translation>
    </message>
    <message>
        <location filename="../../ui/queue/pause_dialog.py" line="30" />
        <source>Break</source>
        <translation>Nghỉ giải lao</translation>
    </message>
    <message>
        <location filename="../../ui/queue/pause_dialog.py" line="30" />
        <source>Lunch break</source>
        <translation>Nghỉ trưa</translation>
    </message>
    <message>
        <location filename="../../ui/queue/pause_dialog.py" line="30" />
        <source>Meeting</source>
        <translation>Họp</translation>
    </message>
    <message>
        <location filename="../../ui/queue/pause_dialog.py" line="31" />
        <source>Helping at another counter</source>
        <translation>Hỗ trợ quầy khác</translation>
    </message>
    <message>
        <location filename="../../ui/queue/pause_dialog.py" line="31" />
        <source>Technical problem</source>
        <translation>Sự cố kỹ thuật</translation>
    </message>
    <message>
        <location filename="../../ui/queue/pause_dialog.py" line="37" />
        <source>Or type another reason</source>
        <translation>Hoặc nhập lý do khác</translation>
    </message>
    <message>
        <location filename="../../ui/queue/pause_dialog.py" line="43" />
        <source>Why is the counter pausing? Calls are refused until it resumes.</source>
        <translation>Vì sao quầy tạm dừng? Quầy không gọi số cho đến khi tiếp tục.</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <location filename="../../ui/queue/priority_labels.py" line="13" />
        <source>Elderly</source>
        <translation>Người cao tuổi</translation>
    </message>
    <message>
        <location filename="../../ui/queue/priority_labels.py" line="14" />
        <source>Person with a disability</source>
        <translation>Người khuyết tật</translation>
    </message>
    <message>
        <location filename="../../ui/queue/priority_labels.py" line="15" />
        <source>Pregnant</source>
        <translation>Phụ nữ mang thai</translation>
    </message>
    <message>
        <location filename="../../ui/queue/priority_labels.py" line="16" />
        <source>With a child under 6</source>
        <translation>Người đưa trẻ em dưới 6 tuổi</translation>
    </message>
    <message>
        <location filename="../../ui/queue/priority_labels.py" line="17" />
        <source>Appointment</source>
        <translation>Đặt lịch hẹn</translation>
    </message>
    <message>
        <location filename="../../ui/queue/priority_labels.py" line="18" />
        <source>Walk-in</source>
        <translation>Khách vãng lai</translation>
    </message>
</context>
<context>
    <name>ReceptionView</name>
    <message>
        <location filename="../../ui/reception_view.py" line="87" />
        <source>Search procedures (diacritics optional), e.g. dang ky khai sinh</source>
        <extracomment>the mark of a favourite procedure of this counter, in the list and on the star button the item data role that says whether a listed procedure is a favourite a dossier was received (its code): the shell opens its page in the "Hồ sơ" area the queue ticket being served that this reception is for (F7 on the counter panel) the print preview opens for a receipt (tests switch this off: no dialog left open) the last receipt issued here (form 01 of the last received dossier)</extracomment>
        <translation>Tìm thủ tục (có hoặc không dấu), ví dụ: dang ky khai sinh</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="110" />
        <source>Favourite of this counter (Ctrl+D): listed first for every officer here</source>
        <translation>Thủ tục yêu thích của quầy (Ctrl+D): hiện đầu danh sách cho mọi cán bộ ngồi quầy này</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="111" />
        <source>Favourite of this counter</source>
        <translation>Thủ tục yêu thích của quầy</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="122" />
        <source>Acting for an organisation</source>
        <translation>Nộp thay mặt tổ chức</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="129" />
        <source>10 digits, or 10-3 for a branch</source>
        <translation>10 chữ số, hoặc 10-3 với chi nhánh</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="135" />
        <source>In person</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="136" />
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="137" />
        <source>Public postal service</source>
        <translation>Qua dịch vụ bưu chính công ích</translation>
    </message>
    <message>
        <source>Read CCCD QR from image…</source>
        <translation type="vanished">Đọc mã QR CCCD từ ảnh…</translation>
    </message>
    <message>
        <source>Read CCCD with the camera… (Ctrl+I)</source>
        <translation type="vanished">Đọc CCCD bằng camera… (Ctrl+I)</translation>
    </message>
    <message>
        <source>Read CCCD on the scanner (Ctrl+Shift+I)</source>
        <translation type="vanished">Đọc CCCD bằng máy quét (Ctrl+Shift+I)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="148" />
        <source>Lay the card face down on the scanner's glass: one page is scanned and the card's QR read from it</source>
        <translation>Úp mặt trước thẻ xuống mặt kính máy quét: quét một trang rồi đọc mã QR của thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="153" />
        <source>Receive dossier</source>
        <translation>Tiếp nhận hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="156" />
        <source>Receive and request the missing components</source>
        <translation>Tiếp nhận và yêu cầu bổ sung thành phần còn thiếu</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="158" />
        <source>Receives the dossier and issues the request to complete it (form 02) for the required components not brought.</source>
        <translation>Tiếp nhận hồ sơ và lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02) cho các thành phần bắt buộc chưa nộp.</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation type="vanished">In giấy tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="138" />
        <source>Image file…</source>
        <translation>Tệp ảnh…</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="139" />
        <source>Read the card's QR from a photo or scan saved as an image</source>
        <translation>Đọc mã QR của thẻ từ ảnh chụp hoặc bản quét đã lưu thành tệp ảnh</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="141" />
        <source>Camera… (Ctrl+I)</source>
        <translation>Camera… (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="142" />
        <source>Hold the card's QR in front of the camera: it is read as soon as it is in view</source>
        <translation>Đưa mã QR của thẻ trước camera: mã được đọc ngay khi vào khung hình</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="146" />
        <source>Scanner (Ctrl+Shift+I)</source>
        <translation>Máy quét (Ctrl+Shift+I)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="164" />
        <source>Receipt (Ctrl+P)</source>
        <translation>Giấy tiếp nhận (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="172" />
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="180" />
        <source>Applicant</source>
        <translation>Người nộp hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="182" />
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="183" />
        <source>ID number (CCCD)</source>
        <translation>Số định danh (CCCD)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="184" />
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="185" />
        <source>Phone</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="186" />
        <source>Email</source>
        <translation>Thư điện tử</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="187" />
        <source>Channel</source>
        <translation>Hình thức nộp</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="192" />
        <source>Read the CCCD</source>
        <translation>Đọc CCCD</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="195" />
        <source>Tax code</source>
        <translation>Mã số thuế</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="196" />
        <source>Organisation</source>
        <translation>Tên tổ chức</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="197" />
        <source>Components received</source>
        <translation>Thành phần hồ sơ đã nhận</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="306" />
        <source>Remove from this counter's favourites</source>
        <translation>Bỏ khỏi thủ tục yêu thích của quầy</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="307" />
        <source>Add to this counter's favourites</source>
        <translation>Thêm vào thủ tục yêu thích của quầy</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="345" />
        <source> (if any)</source>
        <translation> (nếu có)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="355" />
        <source>Received by: %1 (%2)</source>
        <translation>Cơ quan tiếp nhận: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="356" />
        <source>Received by: %1 (%2), this workstation's unit</source>
        <translation>Cơ quan tiếp nhận: %1 (%2), đơn vị của máy này</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="361" />
        <source>CCCD image</source>
        <translation>Ảnh thẻ CCCD</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="362" />
        <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)</source>
        <translation>Ảnh (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="390" />
        <source>Scanning the card…</source>
        <translation>Đang quét thẻ…</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="430" />
        <source>Returning citizen: the contact details of dossier %1 were filled in; check them with the citizen.</source>
        <translation>Công dân đã từng nộp hồ sơ: đã điền thông tin liên hệ của hồ sơ %1; hãy kiểm tra lại với công dân.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="447" />
        <source>Receiving for ticket %1</source>
        <translation>Tiếp nhận cho số thứ tự %1</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="458" />
        <source>Choose a procedure first.</source>
        <translation>Hãy chọn thủ tục trước.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="462" />
        <source>Missing: %1</source>
        <translation>Còn thiếu: %1</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="512" />
        <source>Received: %1 — result due %2</source>
        <translation>Đã tiếp nhận: %1 — hẹn trả kết quả %2</translation>
    </message>
    <message>
        <location filename="../../ui/reception_view.py" line="531" />
        <source>Receipt: %1</source>
        <translation>Giấy tiếp nhận: %1</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../../ui/reports_view.py" line="115" />
        <source>Today</source>
        <extracomment>the audit chain head the figures were read at: the export carries it</extracomment>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="115" />
        <source>This week</source>
        <translation>Tuần này</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="116" />
        <source>This month</source>
        <translation>Tháng này</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="116" />
        <source>Last month</source>
        <translation>Tháng trước</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="117" />
        <source>This year</source>
        <translation>Năm nay</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="117" />
        <source>Custom</source>
        <translation>Tùy chọn</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="129" />
        <source>by service</source>
        <translation>theo lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="129" />
        <source>by counter</source>
        <translation>theo quầy</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="130" />
        <location filename="../../ui/reports_view.py" line="134" />
        <source>by officer</source>
        <translation>theo cán bộ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="130" />
        <source>by hour of day</source>
        <translation>theo giờ trong ngày</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="131" />
        <source>by day</source>
        <translation>theo ngày</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="131" />
        <source>by week</source>
        <translation>theo tuần</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="131" />
        <source>by month</source>
        <translation>theo tháng</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="135" />
        <source>by unit</source>
        <translation>theo đơn vị</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="138" />
        <source>Compute</source>
        <translation>Tính</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="140" />
        <source>Export XLSX…</source>
        <translation>Xuất XLSX…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="142" />
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="144" />
        <source>Monthly report PDF…</source>
        <translation>Báo cáo tháng (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="151" />
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="151" />
        <source>from</source>
        <translation>từ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="151" />
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="161" />
        <source>Waits in 3-minute buckets (click a bar for the tickets)</source>
        <translation>Thời gian chờ theo khoảng 3 phút (bấm cột để xem các số)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="164" />
        <source>Average wait per group (minutes; red: 15-minute target)</source>
        <translation>Thời gian chờ TB theo nhóm (phút; đỏ: chỉ tiêu 15 phút)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="175" />
        <source>Queue</source>
        <translation>Hàng đợi</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="187" />
        <source>Late dossiers (as the province publishes them)</source>
        <translation>Hồ sơ trễ hạn (như tỉnh công bố)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="190" />
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="193" />
        <source>Satisfied or very satisfied, per officer (%)</source>
        <translation>Hài lòng và rất hài lòng theo cán bộ (%)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="199" />
        <source>Satisfaction</source>
        <translation>Mức độ hài lòng</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="204" />
        <source>Arrivals per weekday and hour (darker: more); average wait in minutes, red above 15</source>
        <translation>Lượt đến theo thứ và giờ (đậm: nhiều hơn); thời gian chờ TB (phút), đỏ khi quá 15</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="207" />
        <source>Heat map</source>
        <translation>Bản đồ nhiệt</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="210" />
        <source>Counter sessions</source>
        <translation>Phiên làm việc tại quầy</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="307" />
        <source>Late dossiers (as the province publishes them): %1</source>
        <translation>Hồ sơ trễ hạn (như tỉnh công bố): %1</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="315" />
        <source>Received %1 · late %2 (%3) · components digitized %4 · results digitized %5 · signed results %6 · reuse %7 · online %8</source>
        <translation>Tiếp nhận %1 · trễ hạn %2 (%3) · số hóa thành phần %4 · số hóa kết quả %5 · kết quả ký số %6 · tái sử dụng %7 · trực tuyến %8</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="326" />
        <source>%1: %2 arrived, %3 served, %4 no-shows; average wait %5; %6 dossiers received.</source>
        <translation>%1: %2 lượt đến, %3 đã phục vụ, %4 vắng mặt; chờ trung bình %5; %6 hồ sơ tiếp nhận.</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="353" />
        <source>Tickets behind “%1” for %2</source>
        <translation>Các số thứ tự của “%1” – %2</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="367" />
        <source>Dossiers behind “%1” for %2</source>
        <translation>Các hồ sơ của “%1” – %2</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="382" />
        <source>Export XLSX</source>
        <translation>Xuất XLSX</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="386" />
        <location filename="../../ui/reports_view.py" line="397" />
        <location filename="../../ui/reports_view.py" line="413" />
        <source>Written: %1</source>
        <translation>Đã ghi: %1</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="392" />
        <source>Export CSV into a folder</source>
        <translation>Xuất CSV vào thư mục</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="406" />
        <source>Monthly report PDF</source>
        <translation>Báo cáo tháng (PDF)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="vanished">Hủy</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation type="vanished">Cán bộ</translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="vanished">Tiếp nhận</translation>
    </message>
    <message>
        <source>Late</source>
        <translation type="vanished">Trễ hạn</translation>
    </message>
    <message>
        <source>Components digitized</source>
        <translation type="vanished">Thành phần đã số hóa</translation>
    </message>
    <message>
        <source>Results digitized</source>
        <translation type="vanished">Kết quả đã số hóa</translation>
    </message>
    <message>
        <source>Signed results</source>
        <translation type="vanished">Kết quả đã ký số</translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="vanished">Trực tuyến</translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="vanished">Tháng</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="vanished">Đã hủy.</translation>
    </message>
    <message>
        <source>All officers</source>
        <translation type="vanished">Tất cả cán bộ</translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) received in the month.</source>
        <translation type="vanished">
            <numerusform>%n hồ sơ tiếp nhận trong tháng.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResultDialog</name>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="351" />
        <source>The result</source>
        <extracomment>the PDF is a scan of the paper result (digitized first) the last day the result is valid; None: no end date</extracomment>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="359" />
        <source>No end date</source>
        <translation>Không thời hạn</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="363" />
        <source>This PDF is a scan of the paper result (digitized: clean-up, OCR, PDF/A)</source>
        <translation>Tệp PDF này là bản quét kết quả giấy (số hóa: làm sạch, nhận dạng chữ, PDF/A)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="370" />
        <source>Valid until:</source>
        <translation>Hiệu lực đến:</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="82" />
        <source>Return the result</source>
        <extracomment>the authorization letter: one PDF taken as it is, or its pages (photos, scans) to digitize</extracomment>
        <translation>Trả kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="88" />
        <source>At the counter</source>
        <translation>Tại quầy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="89" />
        <source>Online (the signed result through the dossier system)</source>
        <translation>Trực tuyến (kết quả đã ký số qua hệ thống hồ sơ)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="93" />
        <source>12 digits, from the card in hand</source>
        <translation>12 chữ số, theo thẻ đang cầm</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="94" />
        <source>Read the card (photo or scan)…</source>
        <translation>Đọc thẻ (ảnh chụp hoặc bản quét)…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="100" />
        <source>Someone else collects it, with an authorization letter</source>
        <translation>Người khác nhận thay, có giấy ủy quyền</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="104" />
        <location filename="../../ui/dossiers/dialogs.py" line="197" />
        <source>No letter chosen</source>
        <translation>Chưa chọn giấy ủy quyền</translation>
    </message>
    <message>
        <source>Authorization letter (PDF)…</source>
        <translation type="vanished">Giấy ủy quyền (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="106" />
        <source>Authorization letter (PDF or photos)…</source>
        <translation>Giấy ủy quyền (PDF hoặc ảnh chụp)…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="110" />
        <source>Applicant:</source>
        <translation>Người nộp:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="111" />
        <source>Channel:</source>
        <translation>Hình thức trả:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="115" />
        <source>Recipient's ID number:</source>
        <translation>Số định danh người nhận:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="118" />
        <source>Proxy's full name:</source>
        <translation>Họ tên người nhận thay:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="142" />
        <source>The recipient's CCCD</source>
        <translation>CCCD của người nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="143" />
        <source>Images (*.png *.jpg *.jpeg *.tif *.tiff)</source>
        <translation>Ảnh (*.png *.jpg *.jpeg *.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="153" />
        <source>Reading the card…</source>
        <translation>Đang đọc thẻ…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="177" />
        <source>Read from the card: %1</source>
        <translation>Đọc từ thẻ: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="188" />
        <source>The authorization letter: its PDF, or photos or scans of its pages</source>
        <translation>Giấy ủy quyền: tệp PDF, hoặc ảnh chụp hay bản quét các trang</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="189" />
        <source>PDF and images (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)</source>
        <translation>PDF và ảnh (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/dialogs.py" line="201" />
        <source>%1 and %n more page(s)</source>
        <translation>
            <numerusform>%1 và %n trang nữa</numerusform>
        </translation>
    </message>
    <message>
        <source>The authorization letter</source>
        <translation type="vanished">Giấy ủy quyền</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="vanished">PDF (*.pdf)</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <location filename="../../ui/settings_view.py" line="81" />
        <source>This workstation</source>
        <translation>Máy trạm này</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="83" />
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="84" />
        <source>Agency code (QCVN 102:2016)</source>
        <translation>Mã cơ quan (QCVN 102:2016)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="85" />
        <source>Database URL (empty: local SQLite)</source>
        <translation>Địa chỉ cơ sở dữ liệu (để trống: SQLite trên máy)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="86" />
        <source>Dossier system (file:// folder or https:// server)</source>
        <translation>Hệ thống hồ sơ (thư mục file:// hoặc máy chủ https://)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="87" />
        <source>Token PKCS#11 module</source>
        <translation>Mô-đun PKCS#11 của token</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="88" />
        <source>Counter number</source>
        <translation>Số quầy</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="89" />
        <source>Scanner profile</source>
        <translation>Cấu hình máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="93" />
        <source>Receipt printer</source>
        <translation>Máy in giấy biên nhận</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="97" />
        <source>Ticket printer (80 mm)</source>
        <translation>Máy in số thứ tự (80 mm)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="98" />
        <source>Settings file</source>
        <translation>Tệp cấu hình</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="122" />
        <source>Data folder</source>
        <translation>Thư mục dữ liệu</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="102" />
        <source> days</source>
        <translation> ngày</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="73" />
        <source>Open the receipt at Receive</source>
        <extracomment>the installed printers once read (None: not yet, or they cannot be told here)</extracomment>
        <translation>Mở giấy tiếp nhận khi tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="75" />
        <source>After “Receive”, the receipt (form 01) opens ready to print: the citizen is handed one every time.</source>
        <translation>Sau khi bấm “Tiếp nhận”, giấy tiếp nhận (mẫu 01) mở sẵn để in: lần nào công dân cũng được nhận một bản.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="79" />
        <source>Reading printers…</source>
        <translation>Đang đọc danh sách máy in…</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="103" />
        <source>kept (no automatic purge)</source>
        <translation>giữ lại (không tự động xóa)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="105" />
        <source>The names, ID numbers, addresses and phones of dossiers closed longer ago are erased once a day by the open application.</source>
        <translation>Họ tên, số định danh, địa chỉ và số điện thoại của hồ sơ đã kết thúc lâu hơn thời hạn này được ứng dụng đang mở xóa mỗi ngày một lần.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="107" />
        <source>Encrypt the database on this workstation (SQLCipher)</source>
        <translation>Mã hóa cơ sở dữ liệu trên máy trạm này (SQLCipher)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="112" />
        <source>A server database relies on the server's storage encryption.</source>
        <translation>Cơ sở dữ liệu trên máy chủ dùng mã hóa lưu trữ của máy chủ.</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="115" />
        <source>Personal data</source>
        <translation>Dữ liệu cá nhân</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="123" />
        <source>Keep personal data of closed dossiers</source>
        <translation>Giữ dữ liệu cá nhân của hồ sơ đã kết thúc</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="133" />
        <source>none (a relay of the centre)</source>
        <translation>không (máy chuyển thư của trung tâm)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="137" />
        <source>empty: the system's certificates</source>
        <translation>để trống: chứng thư của hệ thống</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="138" />
        <source>The PEM file of the CA that issued the mail server's certificate (often the province's own CA); only it is trusted for the server.</source>
        <translation>Tệp PEM của CA đã cấp chứng thư cho máy chủ thư (thường là CA riêng của tỉnh); chỉ CA này được tin cậy cho máy chủ.</translation>
    </message>
    <message>
        <source>must name the server</source>
        <translation type="vanished">phải mang tên máy chủ</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="140" />
        <source>The certificate must name the mail server</source>
        <translation>Chứng thư phải mang tên máy chủ thư</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="147" />
        <source>Notices to citizens (form 04 by e-mail and SMS)</source>
        <translation>Thông báo cho công dân (mẫu 04 qua thư điện tử và SMS)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="149" />
        <source>Mail server (SMTP)</source>
        <translation>Máy chủ thư (SMTP)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="150" />
        <source>Port</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="151" />
        <source>Security</source>
        <translation>Bảo mật</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="152" />
        <source>CA of the mail server (PEM)</source>
        <translation>CA của máy chủ thư (PEM)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="154" />
        <source>Mail login (empty: none)</source>
        <translation>Tên đăng nhập thư (để trống: không đăng nhập)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="155" />
        <source>Sender (From)</source>
        <translation>Địa chỉ gửi (From)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="156" />
        <source>SMS gateway URL (empty: no SMS)</source>
        <translation>Địa chỉ cổng SMS (để trống: không gửi SMS)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="157" />
        <source>Passwords stay in the system keyring: motcua config set smtp.password - · motcua config set sms.token -</source>
        <translation>Mật khẩu được giữ trong kho khóa của hệ điều hành: motcua config set smtp.password - · motcua config set sms.token -</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="161" />
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="188" />
        <source>empty: the system's default printer</source>
        <translation>để trống: máy in mặc định của hệ thống</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="211" />
        <source>the installed printers cannot be listed</source>
        <translation>không đọc được danh sách máy in đã cài</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="240" />
        <source>The database will be encrypted at the next start of motcua; close every motcua program on this workstation (window, kiosk, display board) first.</source>
        <translation>Cơ sở dữ liệu sẽ được mã hóa ở lần mở motcua tiếp theo; trước đó hãy đóng mọi chương trình motcua trên máy trạm này (cửa sổ, kiosk, bảng hiển thị).</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="242" />
        <source>The database will be decrypted at the next start of motcua; close every motcua program on this workstation (window, kiosk, display board) first.</source>
        <translation>Cơ sở dữ liệu sẽ được giải mã ở lần mở motcua tiếp theo; trước đó hãy đóng mọi chương trình motcua trên máy trạm này (cửa sổ, kiosk, bảng hiển thị).</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="245" />
        <source>Not done at the last start: %1</source>
        <translation>Chưa thực hiện được ở lần mở trước: %1</translation>
    </message>
    <message>
        <location filename="../../ui/settings_view.py" line="250" />
        <source>Saved. A change of database or dossier system takes effect at the next start.</source>
        <translation>Đã lưu. Thay đổi cơ sở dữ liệu hoặc hệ thống hồ sơ có hiệu lực từ lần mở sau.</translation>
    </message>
</context>
<context>
    <name>StatusIndicators</name>
    <message>
        <location filename="../../ui/status_indicators.py" line="86" />
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="87" />
        <source>Dossier system</source>
        <translation>Hệ thống hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="95" />
        <source>sending</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="95" />
        <source>offline</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="96" />
        <source>retrying</source>
        <translation>đang thử lại</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="97" />
        <source>Uploads: %1 to send</source>
        <translation>Gửi hồ sơ: %1 chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="99" />
        <source>%1 waiting for signature</source>
        <translation>%1 chờ ký số</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="101" />
        <source>%1 parked</source>
        <translation>%1 tạm dừng</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="107" />
        <source>The outbox sends by itself while the application is open.</source>
        <translation>Hàng đợi tự gửi khi ứng dụng đang mở.</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="111" />
        <source>The dossier system does not answer; nothing is lost, uploads go when it is back.</source>
        <translation>Hệ thống hồ sơ không phản hồi; không mất gì, hồ sơ sẽ được gửi khi kết nối lại.</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="119" />
        <source>Backup: by the centre</source>
        <translation>Sao lưu: do trung tâm</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="121" />
        <source>Backup failed</source>
        <translation>Sao lưu không thành công</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="122" />
        <source>Tried again within the hour; the administrator can run “motcua db backup” and “motcua db check”.</source>
        <translation>Sẽ thử lại trong vòng một giờ; quản trị viên có thể chạy “motcua db backup” và “motcua db check”.</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="126" />
        <source>Backup %1</source>
        <translation>Sao lưu %1</translation>
    </message>
    <message>
        <location filename="../../ui/status_indicators.py" line="127" />
        <source>Newest backup: %1. Backups are kept %2 days.</source>
        <translation>Bản sao lưu mới nhất: %1. Các bản sao lưu được giữ %2 ngày.</translation>
    </message>
    <message>
        <source>Outbox: %1 waiting, %2 parked</source>
        <translation type="vanished">Chờ gửi: %1, tạm dừng: %2</translation>
    </message>
</context>
<context>
    <name>SupplementDialog</name>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="225" />
        <source>Request a supplement</source>
        <translation>Yêu cầu bổ sung hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="237" />
        <source>what is missing or must be corrected (required)</source>
        <translation>còn thiếu gì hoặc cần sửa gì (bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="239" />
        <source>Components to supplement (printed on form 02):</source>
        <translation>Thành phần cần bổ sung (in trên mẫu 02):</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/dialogs.py" line="241" />
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="64" />
        <source>Ticket</source>
        <translation>Số thứ tự</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="64" />
        <source>Service</source>
        <translation>Dịch vụ</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="64" />
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location filename="../../ui/queue/counter_panel.py" line="64" />
        <source>Waiting</source>
        <translation>Đã chờ</translation>
    </message>
</context>
<context>
    <name>ZoomBar</name>
    <message>
        <location filename="../../ui/page_zoom.py" line="264" />
        <source>Zoom out (Ctrl+-, Ctrl+wheel)</source>
        <extracomment>the zoom steps of Ctrl++ / Ctrl+- (a factor of the scanned page's pixels) beyond this a 300-dpi A4 page becomes a picture of several hundred megabytes the shown scale changed (shown pixels per scanned pixel) the sharp picture for the current zoom is shown Ctrl+wheel over the page: the bar steps every preview it drives (+1 in, -1 out)</extracomment>
        <translation>Thu nhỏ (Ctrl+-, Ctrl+lăn chuột)</translation>
    </message>
    <message>
        <location filename="../../ui/page_zoom.py" line="265" />
        <source>Zoom in (Ctrl++, Ctrl+wheel)</source>
        <translation>Phóng to (Ctrl++, Ctrl+lăn chuột)</translation>
    </message>
    <message>
        <location filename="../../ui/page_zoom.py" line="266" />
        <source>Page</source>
        <translation>Cả trang</translation>
    </message>
    <message>
        <location filename="../../ui/page_zoom.py" line="266" />
        <source>Fit the whole page (Ctrl+0)</source>
        <translation>Vừa cả trang (Ctrl+0)</translation>
    </message>
    <message>
        <location filename="../../ui/page_zoom.py" line="268" />
        <source>Width</source>
        <translation>Vừa ngang</translation>
    </message>
    <message>
        <location filename="../../ui/page_zoom.py" line="268" />
        <source>Fit the page's width (Ctrl+2)</source>
        <translation>Vừa chiều ngang trang (Ctrl+2)</translation>
    </message>
    <message>
        <location filename="../../ui/page_zoom.py" line="270" />
        <source>Actual size: one scanned pixel per screen pixel (Ctrl+1)</source>
        <translation>Kích thước thật: mỗi điểm ảnh quét là một điểm ảnh màn hình (Ctrl+1)</translation>
    </message>
</context>
</TS>