<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>DossierActions</name>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="53"/>
        <source>Accept the online dossier</source>
        <extracomment>the steps offered on the page, with their keys</extracomment>
        <translation>Tiếp nhận hồ sơ trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="54"/>
        <source>Request a supplement…</source>
        <translation>Yêu cầu bổ sung…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="54"/>
        <source>Supplement back</source>
        <translation>Đã nhận hồ sơ bổ sung</translation>
    </message>
    <message>
        <source>Send for processing</source>
        <translation type="vanished">Chuyển xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="55"/>
        <source>Send for processing…</source>
        <translation>Chuyển xử lý…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="55"/>
        <source>Hand off…</source>
        <translation>Chuyển bước…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="56"/>
        <source>Extend…</source>
        <translation>Gia hạn…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="57"/>
        <source>Refuse…</source>
        <translation>Từ chối…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="57"/>
        <source>Stop…</source>
        <translation>Dừng xử lý…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="57"/>
        <source>Fee paid…</source>
        <translation>Đã nộp phí…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="58"/>
        <source>Return the result…</source>
        <translation>Trả kết quả…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="58"/>
        <source>Attach the signed result…</source>
        <translation>Đính kèm kết quả, ký số…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="59"/>
        <source>Hand to the post</source>
        <translation>Chuyển bưu điện</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="59"/>
        <source>Sent by post…</source>
        <translation>Đã gửi qua bưu điện…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="60"/>
        <location filename="../../ui/dossiers/actions.py" line="162"/>
        <source>Delivered by post</source>
        <translation>Bưu điện đã phát</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="101"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="101"/>
        <location filename="../../ui/dossiers/actions.py" line="107"/>
        <source>Reason (required):</source>
        <translation>Lý do (bắt buộc):</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="107"/>
        <location filename="../../ui/dossiers/actions.py" line="110"/>
        <source>Extend</source>
        <translation>Gia hạn</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="110"/>
        <source>New due date (YYYY-MM-DD HH:MM):</source>
        <translation>Hạn mới (YYYY-MM-DD HH:MM):</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="128"/>
        <source>Handed to %1.</source>
        <translation>Đã chuyển cho %1.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="128"/>
        <source>the processing department</source>
        <translation>phòng chuyên môn</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="137"/>
        <source>Result returned.</source>
        <translation>Đã trả kết quả.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="152"/>
        <source>Payment recorded.</source>
        <translation>Đã ghi nhận nộp phí.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="155"/>
        <source>On the postal handover list.</source>
        <translation>Đã đưa vào danh sách chuyển bưu điện.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="157"/>
        <source>Sent by post</source>
        <translation>Đã gửi qua bưu điện</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="157"/>
        <source>The post&apos;s waybill number:</source>
        <translation>Số vận đơn của bưu điện:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="163"/>
        <source>Did the post report dossier %1 delivered?</source>
        <translation>Bưu điện đã báo phát hồ sơ %1?</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="210"/>
        <source>Digitizing the authorization letter…</source>
        <translation>Đang số hóa giấy ủy quyền…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="233"/>
        <source>The result: its electronic PDF, or the scans of the paper result</source>
        <translation>Kết quả: bản PDF điện tử, hoặc bản quét của kết quả giấy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="234"/>
        <source>PDF and images (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)</source>
        <translation>PDF và ảnh (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)</translation>
    </message>
    <message>
        <source>The result</source>
        <translation type="vanished">Kết quả</translation>
    </message>
    <message>
        <source>Is this PDF a scan of the paper result?

Yes: it is digitized (clean-up, OCR, PDF/A) and counted as a digitized result.
No: it is the electronic result, sealed as it is.</source>
        <translation type="vanished">PDF này là bản quét của kết quả giấy?

Có: được số hóa (làm sạch, nhận dạng chữ, PDF/A) và tính là kết quả đã số hóa.
Không: đây là kết quả điện tử, được ký số nguyên bản.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="265"/>
        <source>Digitizing the paper result…</source>
        <translation>Đang số hóa kết quả giấy…</translation>
    </message>
    <message>
        <source>The result (PDF)</source>
        <translation type="vanished">Kết quả (PDF)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="vanished">PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="265"/>
        <source>Sealing the result…</source>
        <translation>Đang ký số kết quả…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="266"/>
        <source>Result sealed and verified; the dossier is done.</source>
        <translation>Kết quả đã ký số và kiểm tra; hồ sơ đã có kết quả.</translation>
    </message>
    <message>
        <source>Return the result</source>
        <translation type="vanished">Trả kết quả</translation>
    </message>
    <message>
        <source>The recipient&apos;s ID number (CCCD):</source>
        <translation type="vanished">Số định danh (CCCD) của người nhận:</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/actions.py" line="87"/>
        <source>Done.</source>
        <translation>Đã thực hiện.</translation>
    </message>
</context>
<context>
    <name>DossierList</name>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="23"/>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="24"/>
        <source>received</source>
        <translation>đã tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="25"/>
        <source>not received</source>
        <translation>không tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="26"/>
        <source>processing</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="27"/>
        <source>supplement requested</source>
        <translation>yêu cầu bổ sung</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="28"/>
        <source>fees due</source>
        <translation>chờ thực hiện nghĩa vụ tài chính</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="29"/>
        <source>withdrawn</source>
        <translation>đã rút</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="30"/>
        <source>stopped</source>
        <translation>dừng xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="31"/>
        <source>result ready</source>
        <translation>đã có kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="32"/>
        <source>result returned</source>
        <translation>đã trả kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="45"/>
        <source>%1 d</source>
        <translation>%1 ngày</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="46"/>
        <source>%1 h</source>
        <translation>%1 giờ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="47"/>
        <source>%1 min</source>
        <translation>%1 phút</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="49"/>
        <source>late %1</source>
        <translation>trễ %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61"/>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61"/>
        <source>Applicant</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61"/>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61"/>
        <source>Received</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61"/>
        <source>Due</source>
        <translation>Hẹn trả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="61"/>
        <source>Time left</source>
        <translation>Còn lại</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="62"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_model.py" line="62"/>
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
        <location filename="../../ui/dossiers/list_view.py" line="90"/>
        <source>Search: code, applicant, ID number (Ctrl+F)</source>
        <extracomment>a safety net; the uploader&apos;s reports and the page&apos;s changes refresh sooner the officer filter&apos;s &quot;received by me&quot;: whoever is signed in (``DossierListView.officer``) a printable key typed in the table: it goes to the search box who prints the lists (the postal handover, the register); the form desk that writes them</extracomment>
        <translation>Tìm: mã hồ sơ, người nộp, số định danh (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="93"/>
        <source>Open dossiers</source>
        <translation>Hồ sơ đang mở</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="94"/>
        <source>All statuses</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="98"/>
        <source>Any due date</source>
        <translation>Mọi hạn trả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="98"/>
        <source>Due today</source>
        <translation>Đến hạn hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="99"/>
        <source>Late</source>
        <translation>Trễ hạn</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="103"/>
        <source>All results</source>
        <translation>Mọi kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="103"/>
        <source>To return</source>
        <translation>Chờ trả kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="104"/>
        <source>Post</source>
        <translation>Bưu điện</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="107"/>
        <source>All channels</source>
        <translation>Mọi kênh</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="107"/>
        <source>At the counter</source>
        <translation>Tại quầy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="108"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="108"/>
        <source>By post</source>
        <translation>Qua bưu chính</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="114"/>
        <source>Received by anyone</source>
        <extracomment>received by: anyone, the signed-in officer (&quot;me&quot;: ``self.officer``, set by the area), or one officer (a supervisor&apos;s look at one officer&apos;s dossiers)</extracomment>
        <translation>Mọi người tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="115"/>
        <source>Received by me</source>
        <translation>Tôi tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="120"/>
        <source>All agencies</source>
        <extracomment>the receiving agency, shown once the list holds more than one (a postal agent&apos;s counter)</extracomment>
        <translation>Mọi cơ quan</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="122"/>
        <source>Received from</source>
        <translation>Tiếp nhận từ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="148"/>
        <source>Print the postal handover list (Ctrl+P)</source>
        <translation>In danh sách bàn giao bưu điện (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="152"/>
        <source>Register (form 07)…</source>
        <translation>Sổ theo dõi (mẫu 07)…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="154"/>
        <source>The dossier register of the dates chosen above (this month if none), as PDF or Excel</source>
        <translation>Sổ theo dõi hồ sơ của các ngày đã chọn ở trên (tháng này nếu chưa chọn), dạng PDF hoặc Excel</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="221"/>
        <source>Handover list: %1</source>
        <extracomment>the print preview opens for the list (tests switch this off)</extracomment>
        <translation>Danh sách bàn giao: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="263"/>
        <source>Dossier register (form 07)</source>
        <translation>Sổ theo dõi hồ sơ (mẫu 07)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/list_view.py" line="276"/>
        <source>Register written: %1</source>
        <translation>Đã ghi sổ theo dõi: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/list_view.py" line="364"/>
        <source>%n dossier(s)</source>
        <translation>
            <numerusform>%n hồ sơ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/list_view.py" line="366"/>
        <source>%n late</source>
        <translation>
            <numerusform>%n trễ hạn</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DossierPageView</name>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="135"/>
        <source>← List (Esc)</source>
        <extracomment>(dossier code, component code): the area opens the scan screen targeted at the slot the dossier changed here (the list refreshes) the visit was ended (F8): the shell goes back to the counter panel for the next call the print preview opens for a form (tests switch this off: no dialog left open) component → this citizen&apos;s stored, still-valid documents that can fill the slot (looked up once per opening: each look-up is audited) component → the citizen&apos;s documents of that type that have expired (shown, never reused) component → pages scanned for it but not yet made into its PDF (kept on disk)</extracomment>
        <translation>← Danh sách (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="136"/>
        <source>Scan into the slot (F5)</source>
        <translation>Quét vào thành phần (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="137"/>
        <source>Import files… (Ctrl+O)</source>
        <translation>Nhập tệp… (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="138"/>
        <source>Whole dossier (F6)</source>
        <translation>Cả hồ sơ (F6)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="140"/>
        <source>Sign the dossier (Ctrl+Shift+S)</source>
        <translation>Ký số hồ sơ (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="141"/>
        <source>Brought / not brought (Space)</source>
        <translation>Có / chưa nộp (Space)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="142"/>
        <source>Withdraw… (Ctrl+W)</source>
        <translation>Rút hồ sơ… (Ctrl+W)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="143"/>
        <source>Receipt (Ctrl+P)</source>
        <translation>Giấy tiếp nhận (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="146"/>
        <source>Forms… (Ctrl+Shift+M)</source>
        <translation>Biểu mẫu… (Ctrl+Shift+M)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="149"/>
        <source>Look up documents again (Ctrl+Shift+R)</source>
        <translation>Tra cứu lại giấy tờ (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="154"/>
        <source>End the visit, next citizen (F8)</source>
        <translation>Kết thúc lượt, mời người tiếp theo (F8)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="157"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="189"/>
        <source>Components</source>
        <translation>Thành phần hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="195"/>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="254"/>
        <source>The citizen&apos;s documents were looked up again.</source>
        <translation>Đã tra cứu lại giấy tờ của công dân.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="267"/>
        <source>Looking the citizen&apos;s documents up again…</source>
        <translation>Đang tra cứu lại giấy tờ của công dân…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="282"/>
        <source>%1: the citizen&apos;s document expired on %2 and cannot be reused; digitize the current paper.</source>
        <translation>%1: giấy tờ của công dân đã hết hiệu lực ngày %2, không dùng lại được; hãy số hóa bản đang còn hiệu lực.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="290"/>
        <source>Taking the document from the national store and checking its signature…</source>
        <translation>Đang lấy tài liệu từ kho dữ liệu quốc gia và kiểm tra chữ ký số…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="294"/>
        <source>Checking the stored document&apos;s signature…</source>
        <translation>Đang kiểm tra chữ ký của giấy tờ trong kho…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="301"/>
        <source>%1: the national store&apos;s copy is reused (its hash and signature verified); no new scan.</source>
        <translation>%1: đã dùng lại bản trong kho dữ liệu quốc gia (đã kiểm tra mã băm và chữ ký số); không cần quét lại.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="304"/>
        <source>%1: the stored copy is reused (its signature verified); no new scan.</source>
        <translation>%1: dùng lại bản đã lưu trong kho (chữ ký hợp lệ); không cần quét lại.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="333"/>
        <source>not queued</source>
        <translation>chưa vào hàng gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="333"/>
        <source>waits for signature</source>
        <translation>chờ ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="334"/>
        <source>queued</source>
        <translation>chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="334"/>
        <source>sending</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="335"/>
        <source>parked</source>
        <translation>tạm dừng gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="335"/>
        <source>sent</source>
        <translation>đã gửi</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="338"/>
        <source>not brought</source>
        <translation>chưa nộp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="338"/>
        <source>paper only</source>
        <translation>chỉ bản giấy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="339"/>
        <source>to digitize</source>
        <translation>cần số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="339"/>
        <source>to sign</source>
        <translation>cần ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="340"/>
        <source>signature failed</source>
        <translation>chữ ký không hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="340"/>
        <source>signed</source>
        <translation>đã ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="343"/>
        <source>original</source>
        <translation>bản chính</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="343"/>
        <source>certified copy</source>
        <translation>bản sao chứng thực</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="343"/>
        <source>copy</source>
        <translation>bản sao</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="344"/>
        <source>original or certified copy</source>
        <translation>bản chính hoặc bản sao chứng thực</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="361"/>
        <source>Applicant: %1</source>
        <translation>Người nộp: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="363"/>
        <source>Status: %1</source>
        <translation>Trạng thái: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="364"/>
        <source>Received %1</source>
        <translation>Tiếp nhận %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="365"/>
        <source>Due %1</source>
        <translation>Hẹn trả %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="368"/>
        <source>Ticket %1</source>
        <translation>Số thứ tự %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="369"/>
        <source>Fee due: %1 đ</source>
        <translation>Phí chưa nộp: %1 đ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="371"/>
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="371"/>
        <source>Required</source>
        <translation>Bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="371"/>
        <source>Copy</source>
        <translation>Loại bản</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="372"/>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="372"/>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="372"/>
        <source>Upload</source>
        <translation>Gửi lên</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="372"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Already digitized on %1 (dossier %2) — Ctrl+R to reuse</source>
        <translation type="vanished">Đã số hóa ngày %1 (hồ sơ %2) — Ctrl+R để dùng lại</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="383"/>
        <source>Ctrl+R reuses the copy from the national store (dossier %1)</source>
        <translation>Ctrl+R: dùng lại bản trong kho dữ liệu quốc gia (hồ sơ %1)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="386"/>
        <source>Ctrl+R reuses the copy digitized on %1 (dossier %2)</source>
        <translation>Ctrl+R: dùng lại bản đã số hóa ngày %1 (hồ sơ %2)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="389"/>
        <source>Expired on %1, not reusable: digitize the current paper (dossier %2)</source>
        <translation>Hết hiệu lực ngày %1, không dùng lại được: số hóa bản đang còn hiệu lực (hồ sơ %2)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="392"/>
        <source>required</source>
        <translation>bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="392"/>
        <source>optional</source>
        <translation>không bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="413"/>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="413"/>
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="413"/>
        <source>What</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="415"/>
        <source>digitized copy attached</source>
        <translation>đính kèm bản số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="415"/>
        <source>copy signed and verified</source>
        <translation>đã ký số và kiểm tra chữ ký</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="416"/>
        <source>signing failed</source>
        <translation>ký số không thành công</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="416"/>
        <source>file taken back</source>
        <translation>thu hồi tệp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="417"/>
        <source>applicant&apos;s details corrected</source>
        <translation>sửa thông tin người nộp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="418"/>
        <source>component ticked brought / not brought</source>
        <translation>đánh dấu thành phần đã nộp / chưa nộp</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="419"/>
        <source>fee recorded</source>
        <translation>ghi nhận phí, lệ phí</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="419"/>
        <source>postal address recorded</source>
        <translation>ghi địa chỉ nhận kết quả qua bưu chính</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="420"/>
        <source>form issued</source>
        <translation>đã phát hành biểu mẫu</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="420"/>
        <source>due date changed</source>
        <translation>đổi hạn trả kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="421"/>
        <source>form to send to the citizen</source>
        <translation>văn bản chờ gửi cho công dân</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="422"/>
        <source>form sent to the citizen</source>
        <translation>đã gửi văn bản cho công dân</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="423"/>
        <source>form could not be sent to the citizen</source>
        <translation>không gửi được văn bản cho công dân</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="439"/>
        <source>no. %1</source>
        <translation>số %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="443"/>
        <source>issued %1</source>
        <translation>cấp ngày %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="444"/>
        <source>valid until %1</source>
        <translation>hiệu lực đến %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="445"/>
        <source>no end date</source>
        <translation>không thời hạn</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="464"/>
        <source>Scanned, PDF not made yet: %1 — F5 to continue</source>
        <translation>Đã quét, chưa tạo PDF: %1 — F5 để tiếp tục</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/page_view.py" line="467"/>
        <source>Whole-dossier pass not confirmed: %n page(s) — F6 to continue</source>
        <translation>
            <numerusform>Lượt quét cả hồ sơ chưa xác nhận: %n trang — F6 để tiếp tục</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="470"/>
        <source>To digitize: %1</source>
        <translation>Cần số hóa: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="472"/>
        <source>Not brought (required): %1</source>
        <translation>Chưa nộp (bắt buộc): %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/page_view.py" line="475"/>
        <source>%n copy(ies) to sign</source>
        <translation>
            <numerusform>%n bản cần ký số</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="476"/>
        <source>Upload: %1</source>
        <translation>Gửi lên: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="478"/>
        <source>Complete: every copy signed and sent.</source>
        <translation>Hoàn tất: mọi bản đã ký số và đã gửi.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="530"/>
        <source>Cancelled; nothing was lost.</source>
        <translation>Đã hủy; không mất dữ liệu.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="580"/>
        <source>Files for this component</source>
        <translation>Tệp của thành phần này</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="581"/>
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/page_view.py" line="597"/>
        <source>Digitizing %n file(s)…</source>
        <translation>
            <numerusform>Đang số hóa %n tệp…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="600"/>
        <source>%1: %2 page(s) digitized; waits for the signature.</source>
        <translation>%1: đã số hóa %2 trang; chờ ký số.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="612"/>
        <source>This component already has digitized pages.</source>
        <translation>Thành phần này đã có trang số hóa.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="625"/>
        <source>Withdraw the dossier</source>
        <translation>Rút hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="626"/>
        <source>Why is dossier %1 withdrawn? (recorded and sent)</source>
        <translation>Lý do rút hồ sơ %1? (được ghi lại và gửi đi)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="638"/>
        <source>Dossier withdrawn.</source>
        <translation>Đã rút hồ sơ.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="663"/>
        <source>No signing token is set up for this workstation (Settings → signing).</source>
        <translation>Máy này chưa cấu hình token ký số (Cài đặt → ký số).</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="675"/>
        <source>Checking the token…</source>
        <translation>Đang kiểm tra token…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="685"/>
        <source>Signing cancelled: no PIN was given.</source>
        <translation>Đã hủy ký: chưa nhập PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="718"/>
        <source>Signing the dossier…</source>
        <translation>Đang ký số hồ sơ…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="771"/>
        <source>Sending form %1 to the citizen…</source>
        <translation>Đang gửi mẫu %1 cho công dân…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="775"/>
        <source>Queued to the citizen: %1 — it goes by itself (Outbox screen).</source>
        <translation>Đã xếp hàng gửi cho công dân: %1 — sẽ tự gửi (màn hình Gửi hồ sơ).</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="796"/>
        <source>Preparing form %1…</source>
        <translation>Đang lập mẫu %1…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="805"/>
        <source>Sealing form %1…</source>
        <translation>Đang ký số mẫu %1…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="813"/>
        <source>Form %1 (%2) issued, sealed and verified: %3</source>
        <translation>Mẫu %1 (%2) đã phát hành, ký số và kiểm tra: %3</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="816"/>
        <source>Form %1 (%2): %3</source>
        <translation>Mẫu %1 (%2): %3</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="822"/>
        <source>The administrator&apos;s template does not render; the built-in one was used.</source>
        <translation>Mẫu của quản trị viên bị lỗi; đã dùng mẫu có sẵn.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/page_view.py" line="833"/>
        <source>%n copy(ies) signed and verified; they are sent by themselves.</source>
        <translation>
            <numerusform>Đã ký và kiểm tra %n bản; hệ thống tự gửi đi.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/page_view.py" line="837"/>
        <source>Signed: %1. Not signed: %2 — sign again to finish.</source>
        <translation>Đã ký: %1. Chưa ký: %2 — ký lại để hoàn tất.</translation>
    </message>
</context>
<context>
    <name>DossiersArea</name>
    <message>
        <location filename="../../ui/dossiers/area.py" line="36"/>
        <source>← Dossier (Esc)</source>
        <translation>← Hồ sơ (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/area.py" line="100"/>
        <source>Scanning into %1 — %2</source>
        <translation>Đang quét vào %1 — %2</translation>
    </message>
</context>
<context>
    <name>FeederView</name>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="144"/>
        <source>Scan the whole dossier — %1</source>
        <extracomment>the slot value of the &quot;Left out&quot; row: no component code can be it (codes are printable) (page indices, component code, &quot;&quot; for unassigned or LEFT_OUT_SLOT) a digit pressed on a page: the slot&apos;s number (0 = unassigned) the dossier&apos;s slots were digitized from the pass (the dossier page refreshes) the pass was thrown away (its dossier code): the page&apos;s &quot;pass not confirmed&quot; line goes</extracomment>
        <translation>Quét cả hồ sơ — %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="171"/>
        <source>Refresh</source>
        <extracomment>slots that had a digitized copy when the dialog opened (the core checks again on confirm) the pass&apos;s pages on disk as they arrive (scanning/spool.py): a closed dialog or a killed application loses no scanned page, and the next opening picks the pass up</extracomment>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="173"/>
        <source>With separator sheets</source>
        <translation>Có tờ phân cách</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="175"/>
        <source>Print separator sheets (Ctrl+P)</source>
        <translation>In tờ phân cách (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="177"/>
        <source>Scan the whole dossier (F5)</source>
        <translation>Quét cả hồ sơ (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="179"/>
        <source>Import a file… (Ctrl+O)</source>
        <translation>Nhập tệp… (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="182"/>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="185"/>
        <source>Profile</source>
        <translation>Cấu hình quét</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="195"/>
        <source>Page</source>
        <translation>Trang</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="195"/>
        <source>Confidence</source>
        <translation>Độ tin cậy</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="195"/>
        <source>Why</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="219"/>
        <source>Move a page: drag it onto a slot, or select it and press the slot&apos;s number (0: unassigned) or M. Del leaves a page out.</source>
        <translation>Chuyển trang: kéo thả vào thành phần, hoặc chọn trang rồi bấm số của thành phần (0: chưa xếp) hoặc M. Del để bỏ trang ra.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="231"/>
        <source>Stop (Esc)</source>
        <translation>Dừng (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="233"/>
        <source>Confirm and digitize (Ctrl+Enter)</source>
        <translation>Xác nhận và số hóa (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="236"/>
        <source>Discard this pass…</source>
        <translation>Bỏ lượt quét này…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="320"/>
        <source>No scanner found: connect one and press Refresh, or import files (Ctrl+O).</source>
        <translation>Không thấy máy quét: hãy cắm máy quét rồi bấm &quot;Làm mới&quot;, hoặc nhập tệp (Ctrl+O).</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="351"/>
        <source>Scanning the whole dossier…</source>
        <translation>Đang quét cả hồ sơ…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="359"/>
        <source>The whole dossier (one or more files)</source>
        <translation>Cả hồ sơ (một hoặc nhiều tệp)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="360"/>
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh và PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="386"/>
        <source>Reading the files…</source>
        <translation>Đang đọc tệp…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="420"/>
        <source>No page was scanned.</source>
        <translation>Không quét được trang nào.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/feeder_view.py" line="437"/>
        <source>Sorting %n page(s) into the components…</source>
        <translation>
            <numerusform>Đang xếp %n trang vào các thành phần…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="446"/>
        <source>%1 page(s) sorted; check them, then confirm (Ctrl+Enter).</source>
        <translation>Đã xếp %1 trang; hãy kiểm tra rồi xác nhận (Ctrl+Enter).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/feeder_view.py" line="448"/>
        <source>Your %n correction(s) of that pass were put back.</source>
        <translation>
            <numerusform>Đã khôi phục %n chỉnh sửa của bạn trên lượt quét đó.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="450"/>
        <source>%1 page(s) of the last pass, kept on disk, were restored.</source>
        <translation>Đã khôi phục %1 trang của lượt quét trước (được lưu trên đĩa).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/feeder_view.py" line="463"/>
        <source>Discard the %n page(s) of this pass and your corrections? They are not in any PDF yet: the paper would have to be fed again.</source>
        <translation>
            <numerusform>Bỏ %n trang của lượt quét này và các chỉnh sửa của bạn? Chúng chưa nằm trong tệp PDF nào: sẽ phải đưa giấy vào quét lại.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="465"/>
        <source>Discard this pass</source>
        <translation>Bỏ lượt quét này</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="475"/>
        <source>The pass was discarded; nothing of it was kept.</source>
        <translation>Đã bỏ lượt quét; không giữ lại gì của lượt này.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="494"/>
        <location filename="../../ui/dossiers/feeder_view.py" line="608"/>
        <source>0. Unassigned</source>
        <translation>0. Chưa xếp</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/dossiers/feeder_view.py" line="502"/>
        <source>(%n page(s))</source>
        <translation>
            <numerusform>(%n trang)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="500"/>
        <source>Left out (not kept)</source>
        <translation>Đã bỏ ra (không lưu)</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="503"/>
        <source>— drop a page here or press Del</source>
        <translation>— kéo trang vào đây hoặc nhấn Del</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="526"/>
        <source>moved by the officer</source>
        <translation>cán bộ đã chuyển</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="528"/>
        <source>Page %1</source>
        <translation>Trang %1</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="556"/>
        <source>Page %1: %2</source>
        <translation>Trang %1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="609"/>
        <source>Move the page</source>
        <translation>Chuyển trang</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="609"/>
        <source>Into which component?</source>
        <translation>Vào thành phần nào?</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="637"/>
        <source>Making the separator sheets…</source>
        <translation>Đang tạo tờ phân cách…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="646"/>
        <source>%1 page(s) are not in any component: move them to a component or leave them out (Del).</source>
        <translation>Còn %1 trang chưa thuộc thành phần nào: hãy chuyển vào một thành phần hoặc bỏ ra (Del).</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="652"/>
        <source>Nothing digitized: move the pages of %1 or confirm another copy.</source>
        <translation>Chưa số hóa gì: hãy chuyển các trang của %1 đi hoặc xác nhận thêm một bản nữa.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="666"/>
        <source>Digitizing the components…</source>
        <translation>Đang số hóa các thành phần…</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="670"/>
        <source>These slots already have a copy</source>
        <translation>Các thành phần này đã có bản số hóa</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="671"/>
        <source>%1 already have a digitized copy. Add these pages as another copy?</source>
        <translation>%1 đã có bản số hóa. Thêm các trang này thành một bản nữa?</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="680"/>
        <source>Digitized: %1; they wait for the signature.</source>
        <translation>Đã số hóa: %1; đang chờ ký số.</translation>
    </message>
    <message>
        <location filename="../../ui/dossiers/feeder_view.py" line="699"/>
        <source>Stopped; nothing was digitized.</source>
        <translation>Đã dừng; chưa số hóa gì.</translation>
    </message>
</context>
</TS>
