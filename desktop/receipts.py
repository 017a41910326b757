"""The receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a PDF.

Content follows the one-stop rules (Decree 61/2018 and successors; Circular 01/2023 for
the QR code in the top-left corner carrying the dossier code, procedure code, applicant's
ID number, document name, issuing system, time and the appointment date).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.dossiers import DossierView
from desktop.kernel.files import replace_durably
from desktop.kernel.fonts import register_reportlab_fonts
from desktop.kernel.timeutil import to_vn

COPY_KIND_VI = {
    "original": "Bản chính",
    "certified_copy": "Bản sao có chứng thực",
    "copy": "Bản sao",
    "original_or_certified_copy": "Bản chính hoặc bản sao có chứng thực",
}
ISSUING_SYSTEM = "motcua"


@dataclass
class ReceiptInfo:
    agency_name: str
    parent_agency: str = ""
    return_place: str = "Bộ phận Một cửa"
    officer_name: str = ""
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    days: float = 0


def qr_payload(d: DossierView, issued_at: datetime) -> str:
    return json.dumps({
        "ma_ho_so": d.code,
        "ma_tthc": d.procedure_code,
        "so_dinh_danh": d.applicant_id_number,
        "ten_giay_to": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "he_thong": ISSUING_SYSTEM,
        "thoi_gian": to_vn(issued_at).replace(microsecond=0).isoformat(),
        "ngay_hen_tra": to_vn(d.due_at).date().isoformat() if d.due_at else None,
    }, ensure_ascii=False, separators=(",", ":"))


def write_receipt(d: DossierView, info: ReceiptInfo, out: Path, *, components: list[tuple[str, str, int]] | None = None,
                  issued_at: datetime | None = None) -> Path:
    """Write the receipt for ``d`` to ``out`` (atomically); components are (name, copy_kind, quantity)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    regular, bold, italic = register_reportlab_fonts()
    issued = issued_at or datetime.now().astimezone()
    rcv = to_vn(d.received_at)
    width, height = A4
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".receipt-", suffix=".pdf", dir=out.parent)
    os.close(fd)
    try:
        c = canvas.Canvas(tmp_name, pagesize=A4, pageCompression=1)
        c.setTitle(f"Giấy tiếp nhận hồ sơ {d.code}")
        c.setAuthor(info.agency_name)
        c.setCreator("motcua")
        # QR code, top-left (Circular 01/2023/TT-VPCP)
        qr = QrCodeWidget(qr_payload(d, issued), barLevel="M")
        x0, y0, x1, y1 = qr.getBounds()
        size = 28 * mm
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(qr)
        renderPDF.draw(drawing, c, 12 * mm, height - 12 * mm - size)

        def centred(text: str, y: float, font: str = regular, size_pt: float = 12, x: float = width / 2) -> None:
            c.setFont(font, size_pt)
            c.drawCentredString(x, y, text)

        left_x, right_x = 75 * mm, 145 * mm
        top = height - 18 * mm
        if info.parent_agency:
            centred(info.parent_agency.upper(), top, regular, 11, left_x)
        centred(info.agency_name.upper(), top - 5 * mm, bold, 11, left_x)
        centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", top, bold, 11, right_x + 8 * mm)
        centred("Độc lập - Tự do - Hạnh phúc", top - 5 * mm, bold, 12, right_x + 8 * mm)
        centred(f"Số: {d.code}", top - 12 * mm, regular, 11, left_x)
        centred(f"........, ngày {rcv.day:02d} tháng {rcv.month:02d} năm {rcv.year}", top - 12 * mm, italic, 11,
                right_x + 8 * mm)
        y = height - 58 * mm
        centred("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", y, bold, 14)
        y -= 6 * mm
        centred(f"Mã hồ sơ: {d.code}", y, bold, 12)
        y -= 11 * mm
        c.setFont(regular, 12)
        lines = [
            f"{info.agency_name} tiếp nhận hồ sơ của: {d.applicant_name}",
            f"Số định danh cá nhân: {d.applicant_id_number or '...................'}",
            f"Địa chỉ: {info.applicant_address or '...................................................'}",
            f"Số điện thoại: {info.applicant_phone or '...............'}    Thư điện tử: "
            f"{info.applicant_email or '...............'}",
            f"Nội dung yêu cầu giải quyết: {d.procedure_name} (mã {d.procedure_code})",
        ]
        for line in lines:
            y = _wrapped(c, line, 20 * mm, y, width - 40 * mm, regular, 12)
        y -= 2 * mm
        c.drawString(20 * mm, y, "1. Thành phần hồ sơ nộp gồm:")
        y -= 7 * mm
        comps = components if components is not None else [(n, "original", 1) for _, n in d.components]
        c.setFont(bold, 11)
        c.drawString(22 * mm, y, "TT")
        c.drawString(32 * mm, y, "Tên giấy tờ")
        c.drawString(140 * mm, y, "Hình thức")
        c.drawRightString(width - 20 * mm, y, "Số lượng")
        y -= 6 * mm
        for i, (name, kind, qty) in enumerate(comps, 1):
            top_y = y
            y = _wrapped(c, name, 32 * mm, y, 104 * mm, regular, 11)
            c.setFont(regular, 11)
            c.drawString(22 * mm, top_y, str(i))
            _wrapped(c, COPY_KIND_VI.get(kind, kind), 140 * mm, top_y, 36 * mm, regular, 10)
            c.drawRightString(width - 20 * mm, top_y, str(qty))
            y -= 1 * mm
        y -= 3 * mm
        c.setFont(regular, 12)
        days = f"{info.days:g}" if info.days else "—"
        rest = [
            "2. Số lượng hồ sơ: 01 (bộ)",
            f"3. Thời gian giải quyết hồ sơ theo quy định: {days} ngày làm việc",
            f"4. Thời gian nhận hồ sơ: {rcv:%H} giờ {rcv:%M} phút, ngày {rcv:%d}/{rcv:%m}/{rcv:%Y}",
        ]
        if d.due_at:
            due = to_vn(d.due_at)
            rest.append(f"5. Thời gian trả kết quả: {due:%H} giờ {due:%M} phút, ngày {due:%d}/{due:%m}/{due:%Y}")
        rest.append(f"6. Đăng ký nhận kết quả tại: {info.return_place}")
        for line in rest:
            y = _wrapped(c, line, 20 * mm, y, width - 40 * mm, regular, 12)
        y -= 8 * mm
        centred("NGƯỜI NỘP HỒ SƠ", y, bold, 12, 55 * mm)
        centred("NGƯỜI TIẾP NHẬN HỒ SƠ", y, bold, 12, width - 55 * mm)
        centred("(Ký và ghi rõ họ tên)", y - 5 * mm, italic, 11, 55 * mm)
        centred("(Ký và ghi rõ họ tên)", y - 5 * mm, italic, 11, width - 55 * mm)
        centred(d.applicant_name, y - 28 * mm, bold, 12, 55 * mm)
        if info.officer_name:
            centred(info.officer_name, y - 28 * mm, bold, 12, width - 55 * mm)
        c.showPage()
        c.save()
        replace_durably(tmp_name, out, private=True)  # names and ID numbers
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return out


def _wrapped(c, text: str, x: float, y: float, max_width: float, font: str, size: float) -> float:  # type: ignore[no-untyped-def]
    """Draw ``text`` wrapped at word boundaries; return the y below the last line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    c.setFont(font, size)
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if stringWidth(trial, font, size) > max_width and line:
            c.drawString(x, y, line)
            y -= size * 1.45
            line = word
        else:
            line = trial
    if line:
        c.drawString(x, y, line)
    return y - size * 1.45
