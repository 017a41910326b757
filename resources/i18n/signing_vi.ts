<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../ui/pin_dialog.py" line="47"/>
        <source>Token PIN</source>
        <translation>Mã PIN của token</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="55"/>
        <source>Enter the PIN of token “%1”. It is used for this batch only and is not saved.</source>
        <translation>Nhập mã PIN của token “%1”. Mã chỉ dùng cho lượt ký này và không được lưu.</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="74"/>
        <source>None: the token is locked</source>
        <translation>Không còn: token đã bị khóa</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="76"/>
        <source>Not reported by the token (usually 3)</source>
        <translation>Token không cho biết (thường là 3)</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="84"/>
        <source>I have checked the PIN; try it even though a wrong PIN locks the token</source>
        <translation>Tôi đã kiểm tra mã PIN; vẫn thử dù nhập sai sẽ khóa token</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="90"/>
        <source>This token is locked after too many wrong PINs. Only its issuer (the certificate authority) can unlock it; no PIN is asked.</source>
        <translation>Token đã bị khóa do nhập sai PIN quá nhiều lần. Chỉ đơn vị cấp (tổ chức chứng thực) mở khóa được; không hỏi PIN nữa.</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="96"/>
        <source>Final try: one more wrong PIN locks this token, and only its issuer can unlock it.</source>
        <translation>Lần thử cuối: nhập sai thêm một lần token sẽ bị khóa, và chỉ đơn vị cấp mở khóa được.</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="103"/>
        <source>Wrong PINs were entered before; the token may lock after a few more.</source>
        <translation>Trước đó đã nhập sai PIN; token có thể bị khóa sau vài lần sai nữa.</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="110"/>
        <source>Sign</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="111"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="116"/>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="117"/>
        <source>PIN:</source>
        <translation>Mã PIN:</translation>
    </message>
    <message>
        <location filename="../../ui/pin_dialog.py" line="118"/>
        <source>Tries left:</source>
        <translation>Số lần thử còn lại:</translation>
    </message>
</context>
<context>
    <name>SigningView</name>
    <message>
        <location filename="../../ui/signing_view.py" line="124"/>
        <source>Add PDFs…</source>
        <translation>Thêm tệp PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="126"/>
        <source>Remove</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="128"/>
        <source>Clear</source>
        <translation>Xóa hết</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="132"/>
        <source>next to each original, as name_signed.pdf</source>
        <translation>cạnh tệp gốc, tên_signed.pdf</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="133"/>
        <source>Folder…</source>
        <translation>Thư mục…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="135"/>
        <source>Digitized files of dossiers are signed from the dossier screen (not available here yet).</source>
        <translation>Bản số hóa của hồ sơ được ký từ màn hình hồ sơ (chưa có ở đây).</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="144"/>
        <source>Save signed files in:</source>
        <translation>Lưu tệp đã ký vào:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="147"/>
        <source>PDF files to sign</source>
        <translation>Các tệp PDF cần ký</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="159"/>
        <source>B-B (basic)</source>
        <translation>B-B (cơ bản)</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="159"/>
        <source>B-T (with time-stamp)</source>
        <translation>B-T (có dấu thời gian)</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="160"/>
        <source>B-LT (time-stamp and revocation data)</source>
        <translation>B-LT (dấu thời gian và dữ liệu thu hồi)</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="166"/>
        <source>needed for B-T and B-LT</source>
        <translation>cần cho B-T và B-LT</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="168"/>
        <source>from the certificate</source>
        <translation>lấy từ chứng thư số</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="175"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="184"/>
        <source>Profile:</source>
        <translation>Kiểu chữ ký:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="185"/>
        <source>Level:</source>
        <translation>Mức PAdES:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="186"/>
        <source>Time-stamp server:</source>
        <translation>Máy chủ dấu thời gian:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="187"/>
        <source>Organization:</source>
        <translation>Cơ quan:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="188"/>
        <source>Signer (personal):</source>
        <translation>Người ký (cá nhân):</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="189"/>
        <source>Position (personal):</source>
        <translation>Chức vụ (cá nhân):</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="190"/>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="191"/>
        <source>Certificate (CKA_ID):</source>
        <translation>Chứng thư số (CKA_ID):</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="193"/>
        <source>Signature</source>
        <translation>Chữ ký</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="197"/>
        <source>Sign</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="201"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="219"/>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="219"/>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="219"/>
        <source>Detail</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="267"/>
        <source>Choose PDF files to sign</source>
        <translation>Chọn tệp PDF cần ký</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="268"/>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="273"/>
        <source>Folder for signed files</source>
        <translation>Thư mục lưu tệp đã ký</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="326"/>
        <source>Reading tokens…</source>
        <translation>Đang đọc token…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="364"/>
        <location filename="../../ui/signing_view.py" line="425"/>
        <source>No PKCS#11 module is set: choose the token&apos;s library in Settings.</source>
        <translation>Chưa đặt mô-đun PKCS#11: hãy chọn thư viện của token trong Cài đặt.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="366"/>
        <location filename="../../ui/signing_view.py" line="426"/>
        <location filename="../../ui/signing_view.py" line="473"/>
        <location filename="../../ui/signing_view.py" line="523"/>
        <source>No token found: plug in the signing token.</source>
        <translation>Không thấy token: hãy cắm token ký số.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="387"/>
        <source>expired</source>
        <translation>đã hết hạn</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="389"/>
        <source>not for signing</source>
        <translation>không dùng để ký</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/signing_view.py" line="391"/>
        <source>%n day(s) left</source>
        <translation>
            <numerusform>còn %n ngày</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="412"/>
        <source>Signing is in progress.</source>
        <translation>Đang ký số.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="421"/>
        <source>Add the PDF files to sign.</source>
        <translation>Hãy thêm các tệp PDF cần ký.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="422"/>
        <source>No signature profile is available.</source>
        <translation>Không có kiểu chữ ký nào.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="423"/>
        <source>Your role may not sign with this profile.</source>
        <translation>Vai trò của bạn không được ký với kiểu chữ ký này.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="424"/>
        <source>B-T and B-LT need a time-stamp server address.</source>
        <translation>B-T và B-LT cần địa chỉ máy chủ dấu thời gian.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="427"/>
        <source>Choose the certificate to sign with.</source>
        <translation>Hãy chọn chứng thư số để ký.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="428"/>
        <source>The chosen certificate has expired.</source>
        <translation>Chứng thư số đã chọn đã hết hạn.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="429"/>
        <source>The chosen certificate is not for signing.</source>
        <translation>Chứng thư số đã chọn không dùng để ký.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="430"/>
        <location filename="../../ui/signing_view.py" line="480"/>
        <source>The token is PIN-locked; only its issuer can unlock it.</source>
        <translation>Token đã bị khóa PIN; chỉ đơn vị cấp mở khóa được.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="462"/>
        <source>Checking the token…</source>
        <translation>Đang kiểm tra token…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="501"/>
        <source>Signing cancelled: no PIN was given.</source>
        <translation>Đã hủy ký: chưa nhập mã PIN.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/signing_view.py" line="563"/>
        <source>Signing %n file(s)…</source>
        <translation>
            <numerusform>Đang ký %n tệp…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="584"/>
        <source>Stopping after the current file…</source>
        <translation>Sẽ dừng sau tệp đang ký…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="613"/>
        <source>The token was removed from %1: stopping; the remaining files stay unsigned.</source>
        <translation>Token đã bị rút khỏi %1: dừng lại; các tệp còn lại chưa được ký.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="659"/>
        <source>%1 file(s) signed, but %3 do not verify: check the trusted roots in the settings and that the key is the organization&apos;s.</source>
        <translation>Đã ký %1 tệp, nhưng %3 tệp không kiểm tra được chữ ký: xem chứng thư gốc tin cậy trong cài đặt và khóa có đúng là của cơ quan không.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="663"/>
        <source>All %1 file(s) signed and verified.</source>
        <translation>Đã ký và kiểm tra xong cả %1 tệp.</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation type="vanished">Đã ký</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="629"/>
        <source>Not signed (error)</source>
        <translation>Chưa ký (lỗi)</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="629"/>
        <source>Signed and verified</source>
        <translation>Đã ký, chữ ký hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="630"/>
        <source>Left unsigned</source>
        <translation>Để lại chưa ký</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="637"/>
        <source>Signed, does NOT verify</source>
        <translation>Đã ký, chữ ký KHÔNG hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="653"/>
        <source>Stopped: the token was removed. %1 file(s) signed; still unsigned: %2</source>
        <translation>Đã dừng: token bị rút ra. Đã ký %1 tệp; còn chưa ký: %2</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="655"/>
        <source>Cancelled. %1 file(s) signed; still unsigned: %2</source>
        <translation>Đã hủy. Đã ký %1 tệp; còn chưa ký: %2</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="657"/>
        <source>%1 file(s) signed; not signed: %2</source>
        <translation>Đã ký %1 tệp; chưa ký được: %2</translation>
    </message>
    <message>
        <source>All %1 file(s) signed.</source>
        <translation type="vanished">Đã ký xong cả %1 tệp.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_view.py" line="672"/>
        <source>Signing was cancelled.</source>
        <translation>Đã hủy ký số.</translation>
    </message>
</context>
<context>
    <name>TokenStatus</name>
    <message>
        <location filename="../../ui/token_status.py" line="87"/>
        <source>○ Card service stopped</source>
        <translation>○ Dịch vụ thẻ đã dừng</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="88"/>
        <source>The smart-card service (PC/SC) is not running: %1</source>
        <translation>Dịch vụ thẻ thông minh (PC/SC) không chạy: %1</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="90"/>
        <source>○ No card reader</source>
        <translation>○ Không có đầu đọc thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="91"/>
        <source>Plug in the signing token (or its card reader).</source>
        <translation>Hãy cắm token ký số (hoặc đầu đọc thẻ).</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="96"/>
        <source>● %1: card present</source>
        <translation>● %1: có thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="97"/>
        <source>%1: card, ATR %2</source>
        <translation>%1: có thẻ, ATR %2</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="100"/>
        <source>○ %1: no card</source>
        <translation>○ %1: không có thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="160"/>
        <source>No token module set</source>
        <translation>Chưa đặt mô-đun token</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="161"/>
        <source>Choose the token&apos;s PKCS#11 library in Settings.</source>
        <translation>Hãy chọn thư viện PKCS#11 của token trong Cài đặt.</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="165"/>
        <source>Token error</source>
        <translation>Lỗi token</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="171"/>
        <source>No token</source>
        <translation>Không có token</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="172"/>
        <source>No token is visible through %1.</source>
        <translation>Không thấy token nào qua %1.</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="176"/>
        <source>%1: no certificate</source>
        <translation>%1: không có chứng thư số</translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="181"/>
        <source>Token %1 (serial %2)
Subject: %3
Issuer: %4
Valid %5 → %6
CKA_ID %7</source>
        <translation>Token %1 (số sê-ri %2)
Chủ thể: %3
Đơn vị cấp: %4
Hiệu lực %5 → %6
CKA_ID %7</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/token_status.py" line="188"/>
        <source>⚠ expired %n day(s) ago</source>
        <translation>
            <numerusform>⚠ đã hết hạn %n ngày</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/token_status.py" line="191"/>
        <source>⚠ expires in %n day(s)</source>
        <translation>
            <numerusform>⚠ hết hạn sau %n ngày</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/token_status.py" line="192"/>
        <source>Ask the certificate authority for a new certificate now.</source>
        <translation>Hãy đề nghị tổ chức chứng thực cấp chứng thư số mới ngay.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/token_status.py" line="195"/>
        <source>%n day(s) left</source>
        <translation>
            <numerusform>còn %n ngày</numerusform>
        </translation>
    </message>
</context>
</TS>
