<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>DossierActions</name>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="39" />
        <source>Request a supplement…</source>
        <extracomment>the transitions offered on the page, with their keys (the others stay in the CLI for now)</extracomment>
        <translation>Yêu cầu bổ sung…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="39" />
        <source>Supplement back</source>
        <translation>Đã nhận hồ sơ bổ sung</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="40" />
        <source>Send for processing</source>
        <translation>Chuyển xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="40" />
        <source>Extend…</source>
        <translation>Gia hạn…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="41" />
        <source>Refuse…</source>
        <translation>Từ chối…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="41" />
        <source>Stop…</source>
        <translation>Dừng xử lý…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="42" />
        <source>Return the result…</source>
        <translation>Trả kết quả…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="70" />
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="70" />
        <location filename="../../ui/dossiers/actions.py" line="76" />
        <source>Reason (required):</source>
        <translation>Lý do (bắt buộc):</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="76" />
        <location filename="../../ui/dossiers/actions.py" line="79" />
        <source>Extend</source>
        <translation>Gia hạn</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="79" />
        <source>New due date (YYYY-MM-DD HH:MM):</source>
        <translation>Hạn mới (YYYY-MM-DD HH:MM):</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="88" />
        <source>Return the result</source>
        <translation>Trả kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="88" />
        <source>The recipient's ID number (CCCD):</source>
        <translation>Số định danh (CCCD) của người nhận:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="99" />
        <source>Done.</source>
        <translation>Đã thực hiện.</translation>
    </message>
</context>
<context>
    <name>DossierList</name>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="23" />
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="24" />
        <source>received</source>
        <translation>đã tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="25" />
        <source>not received</source>
        <translation>không tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="26" />
        <source>processing</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="27" />
        <source>supplement requested</source>
        <translation>yêu cầu bổ sung</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="28" />
        <source>fees due</source>
        <translation>chờ thực hiện nghĩa vụ tài chính</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="29" />
        <source>withdrawn</source>
        <translation>đã rút</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="30" />
        <source>stopped</source>
        <translation>dừng xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="31" />
        <source>result ready</source>
        <translation>đã có kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="32" />
        <source>result returned</source>
        <translation>đã trả kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="45" />
        <source>%1 d</source>
        <translation>%1 ngày</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="46" />
        <source>%1 h</source>
        <translation>%1 giờ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="47" />
        <source>%1 min</source>
        <translation>%1 phút</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="49" />
        <source>late %1</source>
        <translation>trễ %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61" />
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61" />
        <source>Applicant</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61" />
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61" />
        <source>Received</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61" />
        <source>Due</source>
        <translation>Hẹn trả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61" />
        <source>Time left</source>
        <translation>Còn lại</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="62" />
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="62" />
        <source>Scanned · signed · sent</source>
        <translation>Số hóa · ký số · đã gửi</translation>
    </message>
    <message>
        <source>Digitized / signed / uploaded</source>
        <translation type="vanished">Số hóa / ký số / đã gửi</translation>
    </message>
</context>
<context>
    <name>DossierListView</name>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="74" />
        <source>Search: code, applicant, ID number (Ctrl+F)</source>
        <extracomment>a safety net; the uploader's reports and the page's changes refresh sooner a printable key typed in the table: it goes to the search box</extracomment>
        <translation>Tìm: mã hồ sơ, người nộp, số định danh (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="77" />
        <source>Open dossiers</source>
        <translation>Hồ sơ đang mở</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="78" />
        <source>All statuses</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="82" />
        <source>Any due date</source>
        <translation>Mọi hạn trả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="82" />
        <source>Due today</source>
        <translation>Đến hạn hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="83" />
        <source>Late</source>
        <translation>Trễ hạn</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="87" />
        <source>All results</source>
        <translation>Mọi kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="87" />
        <source>To return</source>
        <translation>Chờ trả kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="88" />
        <source>Post</source>
        <translation>Bưu điện</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="91" />
        <source>All channels</source>
        <translation>Mọi kênh</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="91" />
        <source>At the counter</source>
        <translation>Tại quầy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="92" />
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="92" />
        <source>By post</source>
        <translation>Qua bưu chính</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="94" />
        <source>Received by me</source>
        <translation>Tôi tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="96" />
        <source>Received from</source>
        <translation>Tiếp nhận từ</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/list_view.py" line="214" />
        <source>%n dossier(s)</source>
        <translation>
            <numerusform>%n hồ sơ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/list_view.py" line="216" />
        <source>%n late</source>
        <translation>
            <numerusform>%n trễ hạn</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DossierPageView</name>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="115" />
        <source>← List (Esc)</source>
        <extracomment>(dossier code, component code): the area opens the scan screen targeted at the slot the dossier changed here (the list refreshes) the visit was ended (F8): the shell goes back to the counter panel for the next call component → this citizen's stored, still-valid documents that can fill the slot (looked up once per opening: each look-up is audited) component → pages scanned for it but not yet made into its PDF (kept on disk)</extracomment>
        <translation>← Danh sách (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="116" />
        <source>Scan into the slot (F5)</source>
        <translation>Quét vào thành phần (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="117" />
        <source>Import files… (Ctrl+O)</source>
        <translation>Nhập tệp… (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="118" />
        <source>Whole dossier (F6)</source>
        <translation>Cả hồ sơ (F6)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="120" />
        <source>Sign the dossier (Ctrl+Shift+S)</source>
        <translation>Ký số hồ sơ (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="121" />
        <source>Brought / not brought (Space)</source>
        <translation>Có / chưa nộp (Space)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="122" />
        <source>Withdraw… (Ctrl+W)</source>
        <translation>Rút hồ sơ… (Ctrl+W)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="123" />
        <source>End the visit, next citizen (F8)</source>
        <translation>Kết thúc lượt, mời người tiếp theo (F8)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="126" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="155" />
        <source>Components</source>
        <translation>Thành phần hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="161" />
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="236" />
        <source>Checking the stored document's signature…</source>
        <translation>Đang kiểm tra chữ ký của giấy tờ trong kho…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="240" />
        <source>%1: the stored copy is reused (its signature verified); no new scan.</source>
        <translation>%1: dùng lại bản đã lưu trong kho (chữ ký hợp lệ); không cần quét lại.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="269" />
        <source>not queued</source>
        <translation>chưa vào hàng gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="269" />
        <source>waits for signature</source>
        <translation>chờ ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="270" />
        <source>queued</source>
        <translation>chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="270" />
        <source>sending</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="271" />
        <source>parked</source>
        <translation>tạm dừng gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="271" />
        <source>sent</source>
        <translation>đã gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="274" />
        <source>not brought</source>
        <translation>chưa nộp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="274" />
        <source>paper only</source>
        <translation>chỉ bản giấy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="275" />
        <source>to digitize</source>
        <translation>cần số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="275" />
        <source>to sign</source>
        <translation>cần ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="276" />
        <source>signature failed</source>
        <translation>chữ ký không hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="276" />
        <source>signed</source>
        <translation>đã ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="279" />
        <source>original</source>
        <translation>bản chính</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="279" />
        <source>certified copy</source>
        <translation>bản sao chứng thực</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="279" />
        <source>copy</source>
        <translation>bản sao</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="280" />
        <source>original or certified copy</source>
        <translation>bản chính hoặc bản sao chứng thực</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="297" />
        <source>Applicant: %1</source>
        <translation>Người nộp: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="299" />
        <source>Status: %1</source>
        <translation>Trạng thái: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="300" />
        <source>Received %1</source>
        <translation>Tiếp nhận %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="301" />
        <source>Due %1</source>
        <translation>Hẹn trả %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="304" />
        <source>Ticket %1</source>
        <translation>Số thứ tự %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="305" />
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="305" />
        <source>Required</source>
        <translation>Bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="305" />
        <source>Copy</source>
        <translation>Loại bản</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="306" />
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="306" />
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="306" />
        <source>Upload</source>
        <translation>Gửi lên</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="306" />
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="314" />
        <source>Already digitized on %1 (dossier %2) — Ctrl+R to reuse</source>
        <translation>Đã số hóa ngày %1 (hồ sơ %2) — Ctrl+R để dùng lại</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="316" />
        <source>required</source>
        <translation>bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="316" />
        <source>optional</source>
        <translation>không bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="335" />
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="335" />
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="335" />
        <source>What</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="337" />
        <source>digitized copy attached</source>
        <translation>đính kèm bản số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="337" />
        <source>copy signed and verified</source>
        <translation>đã ký số và kiểm tra chữ ký</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="338" />
        <source>signing failed</source>
        <translation>ký số không thành công</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="338" />
        <source>file taken back</source>
        <translation>thu hồi tệp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="339" />
        <source>applicant's details corrected</source>
        <translation>sửa thông tin người nộp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="340" />
        <source>component ticked brought / not brought</source>
        <translation>đánh dấu thành phần đã nộp / chưa nộp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="341" />
        <source>fee recorded</source>
        <translation>ghi nhận phí, lệ phí</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="341" />
        <source>postal address recorded</source>
        <translation>ghi địa chỉ nhận kết quả qua bưu chính</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="368" />
        <source>Scanned, PDF not made yet: %1 — F5 to continue</source>
        <translation>Đã quét, chưa tạo PDF: %1 — F5 để tiếp tục</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/page_view.py" line="371" />
        <source>Whole-dossier pass not confirmed: %n page(s) — F6 to continue</source>
        <translation>
            <numerusform>Lượt quét cả hồ sơ chưa xác nhận: %n trang — F6 để tiếp tục</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="374" />
        <source>To digitize: %1</source>
        <translation>Cần số hóa: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="376" />
        <source>Not brought (required): %1</source>
        <translation>Chưa nộp (bắt buộc): %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/page_view.py" line="379" />
        <source>%n copy(ies) to sign</source>
        <translation>
            <numerusform>%n bản cần ký số</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="380" />
        <source>Upload: %1</source>
        <translation>Gửi lên: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="382" />
        <source>Complete: every copy signed and sent.</source>
        <translation>Hoàn tất: mọi bản đã ký số và đã gửi.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="431" />
        <source>Cancelled; nothing was lost.</source>
        <translation>Đã hủy; không mất dữ liệu.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="481" />
        <source>Files for this component</source>
        <translation>Tệp của thành phần này</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="482" />
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/page_view.py" line="498" />
        <source>Digitizing %n file(s)…</source>
        <translation>
            <numerusform>Đang số hóa %n tệp…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="501" />
        <source>%1: %2 page(s) digitized; waits for the signature.</source>
        <translation>%1: đã số hóa %2 trang; chờ ký số.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="513" />
        <source>This component already has digitized pages.</source>
        <translation>Thành phần này đã có trang số hóa.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="526" />
        <source>Withdraw the dossier</source>
        <translation>Rút hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="527" />
        <source>Why is dossier %1 withdrawn? (recorded and sent)</source>
        <translation>Lý do rút hồ sơ %1? (được ghi lại và gửi đi)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="539" />
        <source>Dossier withdrawn.</source>
        <translation>Đã rút hồ sơ.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="566" />
        <source>No signing token is set up for this workstation (Settings → signing).</source>
        <translation>Máy này chưa cấu hình token ký số (Cài đặt → ký số).</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="578" />
        <source>Checking the token…</source>
        <translation>Đang kiểm tra token…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="587" />
        <source>Signing cancelled: no PIN was given.</source>
        <translation>Đã hủy ký: chưa nhập PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="606" />
        <source>Signing the dossier…</source>
        <translation>Đang ký số hồ sơ…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/page_view.py" line="611" />
        <source>%n copy(ies) signed and verified; they are sent by themselves.</source>
        <translation>
            <numerusform>Đã ký và kiểm tra %n bản; hệ thống tự gửi đi.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="615" />
        <source>Signed: %1. Not signed: %2 — sign again to finish.</source>
        <translation>Đã ký: %1. Chưa ký: %2 — ký lại để hoàn tất.</translation>
    </message>
</context>
<context>
    <name>DossiersArea</name>
    <message>
        <location filename="../../ui/dossiers/area.py" line="32" />
        <source>← Dossier (Esc)</source>
        <translation>← Hồ sơ (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/area.py" line="83" />
        <source>Scanning into %1 — %2</source>
        <translation>Đang quét vào %1 — %2</translation>
    </message>
</context>
<context>
    <name>FeederView</name>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="133" />
        <source>Scan the whole dossier — %1</source>
        <extracomment>(page indices, component code or "" for unassigned) a digit pressed on a page: the slot's number (0 = unassigned) the dossier's slots were digitized from the pass (the dossier page refreshes)</extracomment>
        <translation>Quét cả hồ sơ — %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="160" />
        <source>Refresh</source>
        <extracomment>slots that had a digitized copy when the dialog opened (the core checks again on confirm) the pass's pages on disk as they arrive (scanning/spool.py): a closed dialog or a killed application loses no scanned page, and the next opening picks the pass up</extracomment>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="162" />
        <source>With separator sheets</source>
        <translation>Có tờ phân cách</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="164" />
        <source>Print separator sheets (Ctrl+P)</source>
        <translation>In tờ phân cách (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="166" />
        <source>Scan the whole dossier (F5)</source>
        <translation>Quét cả hồ sơ (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="168" />
        <source>Import a file… (Ctrl+O)</source>
        <translation>Nhập tệp… (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="171" />
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="174" />
        <source>Profile</source>
        <translation>Cấu hình quét</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="184" />
        <source>Page</source>
        <translation>Trang</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="184" />
        <source>Confidence</source>
        <translation>Độ tin cậy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="184" />
        <source>Why</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="204" />
        <source>Move a page: drag it onto a slot, or select it and press the slot's number (0: unassigned) or M. Del leaves a page out.</source>
        <translation>Chuyển trang: kéo thả vào thành phần, hoặc chọn trang rồi bấm số của thành phần (0: chưa xếp) hoặc M. Del để bỏ trang ra.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="216" />
        <source>Stop (Esc)</source>
        <translation>Dừng (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="218" />
        <source>Confirm and digitize (Ctrl+Enter)</source>
        <translation>Xác nhận và số hóa (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="328" />
        <source>Scanning the whole dossier…</source>
        <translation>Đang quét cả hồ sơ…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="336" />
        <source>The whole dossier (one or more files)</source>
        <translation>Cả hồ sơ (một hoặc nhiều tệp)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="337" />
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="363" />
        <source>Reading the files…</source>
        <translation>Đang đọc tệp…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="397" />
        <source>No page was scanned.</source>
        <translation>Không quét được trang nào.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/feeder_view.py" line="414" />
        <source>Sorting %n page(s) into the components…</source>
        <translation>
            <numerusform>Đang xếp %n trang vào các thành phần…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="423" />
        <source>%1 page(s) sorted; check them, then confirm (Ctrl+Enter).</source>
        <translation>Đã xếp %1 trang; hãy kiểm tra rồi xác nhận (Ctrl+Enter).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/feeder_view.py" line="425" />
        <source>Your %n correction(s) of that pass were put back.</source>
        <translation>
            <numerusform>Đã khôi phục %n chỉnh sửa của bạn trên lượt quét đó.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="427" />
        <source>%1 page(s) of the last pass, kept on disk, were restored.</source>
        <translation>Đã khôi phục %1 trang của lượt quét trước (được lưu trên đĩa).</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="448" />
        <location filename="../../ui/dossiers/feeder_view.py" line="557" />
        <source>0. Unassigned</source>
        <translation>0. Chưa xếp</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/feeder_view.py" line="454" />
        <location filename="../../ui/dossiers/feeder_view.py" line="469" />
        <source>(%n page(s))</source>
        <translation>
            <numerusform>(%n trang)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="468" />
        <source>Left out (not kept)</source>
        <translation>Đã bỏ ra (không lưu)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="489" />
        <source>moved by the officer</source>
        <translation>cán bộ đã chuyển</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="491" />
        <source>Page %1</source>
        <translation>Trang %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="519" />
        <source>Page %1: %2</source>
        <translation>Trang %1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="558" />
        <source>Move the page</source>
        <translation>Chuyển trang</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="558" />
        <source>Into which component?</source>
        <translation>Vào thành phần nào?</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="585" />
        <source>Making the separator sheets…</source>
        <translation>Đang tạo tờ phân cách…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="594" />
        <source>%1 page(s) are not in any component: move them to a component or leave them out (Del).</source>
        <translation>Còn %1 trang chưa thuộc thành phần nào: hãy chuyển vào một thành phần hoặc bỏ ra (Del).</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="600" />
        <source>Nothing digitized: move the pages of %1 or confirm another copy.</source>
        <translation>Chưa số hóa gì: hãy chuyển các trang của %1 đi hoặc xác nhận thêm một bản nữa.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="614" />
        <source>Digitizing the components…</source>
        <translation>Đang số hóa các thành phần…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="618" />
        <source>These slots already have a copy</source>
        <translation>Các thành phần này đã có bản số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="619" />
        <source>%1 already have a digitized copy. Add these pages as another copy?</source>
        <translation>%1 đã có bản số hóa. Thêm các trang này thành một bản nữa?</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="628" />
        <source>Digitized: %1; they wait for the signature.</source>
        <translation>Đã số hóa: %1; đang chờ ký số.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="647" />
        <source>Stopped; nothing was digitized.</source>
        <translation>Đã dừng; chưa số hóa gì.</translation>
    </message>
</context>
</TS>