"""The Circular 01/2023 QR code on a result, stamped before the seal (issue 12).

A result the unit issues carries, like the forms, a QR code top-left of its first page:
dossier code, procedure code, the applicant's ID number, the document's name, the issuing
system and the time of issue — plus its validity (``hieu_luc_den``: ``YYYY-MM-DD``, or
null for "no end date"), which is what a reader of a printed certificate most needs to
know. The stamp is put on **before** the seal: the seal's signature must cover it, and a
signed PDF is never rewritten.

Where it goes. The QR (20 mm, 4 mm from the top and left edges of the page's crop box) is
drawn on the first page only if that corner is blank: the first page is rendered there
with poppler (``pdftoppm``, which the capture path already needs) and any ink refuses the
corner. A corner with content, a rotated page, or no poppler: the QR goes on a **cover
page added in front** (the first page's size, the QR top-left and the same fields as text).
A cover rather than an annex at the end, because the Circular puts the QR on the first page
(where a reader or a scanner looks for it), and the seal profile stamps the *last* page: an
annex would carry the seal instead of the result itself. The result's own pages are never
drawn over.

Refused before any token is touched: a file pikepdf cannot open (damaged), one with a
password or encryption (it could not be stamped nor sealed), one without pages, and one
already signed (stamping would rewrite it and void the signature it carries).
"""

from __future__ import annotations

import enum
import io
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pikepdf

from desktop.forms.layout import MM, draw_qr
from desktop.kernel.errors import InvalidInput
from desktop.kernel.fonts import register_reportlab_fonts
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import iso_vn

#: the QR's side and its distance from the page's top and left edges
QR_MM = 20.0
EDGE_MM = 4.0
#: the blank area the corner must have: the QR and a quiet zone of 2 mm around it
ROOM_MM = EDGE_MM + QR_MM + 2.0
#: render resolution of the corner check, and the share of inked pixels taken as content
#: (dust in a scanned margin is below it; one short word of 10 pt text is well above)
CHECK_DPI = 72
INK_SHARE = 0.002


class Placement(enum.StrEnum):
    """Where the QR was put."""

    FIRST_PAGE = "first_page"
    COVER_PAGE = "cover_page"


@dataclass(frozen=True)
class ResultQr:
    """The fields of a result's QR code (Circular 01/2023 art. 10 + the validity)."""

    dossier_code: str
    procedure_code: str
    id_number: str
    name: str
    issuing_system: str
    issued: datetime
    valid_until: date | None

    def payload(self) -> str:
        doc: dict[str, Any] = {
            "ma_ho_so": self.dossier_code, "ma_tthc": self.procedure_code, "so_dinh_danh": self.id_number,
            "ten_giay_to": self.name, "loai": "ket_qua", "he_thong": self.issuing_system,
            "thoi_gian": iso_vn(self.issued),
            "hieu_luc_den": self.valid_until.isoformat() if self.valid_until else None,
        }
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _refuse(path: Path, vi: str, en: str) -> InvalidInput:
    return InvalidInput(msg("Tệp kết quả {p}: " + vi, "Result file {p}: " + en, p=path.name))


def check_result_pdf(path: Path) -> None:
    """Refuse a result PDF that cannot be stamped and sealed, with the reason (no token touched)."""
    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                raise _refuse(path, "PDF được mã hóa; hãy xin bản không mã hóa.",
                              "the PDF is encrypted; ask for an unencrypted copy.")
            if len(pdf.pages) == 0:
                raise _refuse(path, "PDF không có trang nào.", "the PDF has no pages.")
            if _signed(pdf):
                raise _refuse(path, "PDF đã có chữ ký số; mã QR phải được đóng trước khi ký (đóng lên sẽ làm mất "
                                    "hiệu lực chữ ký đó). Hãy dùng bản chưa ký.",
                              "the PDF is already signed; the QR code must go on before any signature (stamping "
                              "it would void that signature). Use the unsigned copy.")
            _box(pdf.pages[0])  # a page tree that does not resolve is damaged
    except pikepdf.PasswordError:
        raise _refuse(path, "PDF có mật khẩu; hãy xin bản không khóa.",
                      "the PDF is password-protected; ask for an unlocked copy.") from None
    except pikepdf.PdfError as exc:
        raise InvalidInput(msg("Tệp kết quả {p}: PDF bị hỏng ({e}).", "Result file {p}: damaged PDF ({e}).",
                               p=path.name, e=str(exc)[:200])) from exc


def _signed(pdf: pikepdf.Pdf) -> bool:
    form = pdf.Root.get("/AcroForm")
    fields: list[Any] = list(form.get("/Fields", [])) if isinstance(form, pikepdf.Dictionary) else []
    return any(f.get("/FT") == "/Sig" and "/V" in f for f in fields)


def _box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def corner_is_blank(path: Path, page: pikepdf.Page) -> bool:
    """Whether the first page's top-left corner (:data:`ROOM_MM` square) has no ink, as
    poppler renders it; False when it cannot be told (no poppler, a rotated page)."""
    if int(page.obj.get("/Rotate", 0)) % 360 or shutil.which("pdftoppm") is None:
        return False
    import numpy as np
    from PIL import Image

    side = max(1, round(ROOM_MM / 25.4 * CHECK_DPI))
    with tempfile.TemporaryDirectory(prefix="motcua-qr-") as tmp:
        r = subprocess.run(["pdftoppm", "-r", str(CHECK_DPI), "-f", "1", "-l", "1", "-x", "0", "-y", "0",
                            "-W", str(side), "-H", str(side), "-gray", "-singlefile", str(path), f"{tmp}/c"],
                           capture_output=True, timeout=60)
        out = Path(tmp) / "c.pgm"
        if r.returncode != 0 or not out.is_file():
            return False
        with Image.open(out) as img:
            pixels = np.asarray(img.convert("L"))
    return bool(pixels.size) and float((pixels < 160).mean()) <= INK_SHARE


def _overlay(qr: ResultQr) -> pikepdf.Pdf:
    """A page of the QR's size with the QR on a white square (its quiet zone kept light)."""
    from reportlab.pdfgen import canvas

    size = QR_MM * MM
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(size, size))
    c.setFillColorRGB(1, 1, 1)
    c.rect(0, 0, size, size, stroke=0, fill=1)
    draw_qr(c, qr.payload(), 0, 0, size)
    c.showPage()
    c.save()
    return pikepdf.open(io.BytesIO(buf.getvalue()))


def _cover(qr: ResultQr, width: float, height: float) -> pikepdf.Pdf:
    """A page in front of the result with its QR top-left and its fields as text."""
    from reportlab.pdfgen import canvas

    regular, bold, _italic = register_reportlab_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    size = QR_MM * MM
    draw_qr(c, qr.payload(), EDGE_MM * MM, height - EDGE_MM * MM - size, size)
    x, y = (EDGE_MM + QR_MM + 6) * MM, height - (EDGE_MM + 6) * MM
    c.setFont(bold, 12)
    c.drawString(x, y, "THÔNG TIN KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    lines = [f"Tên giấy tờ: {qr.name}", f"Mã hồ sơ: {qr.dossier_code}", f"Mã thủ tục: {qr.procedure_code}",
             "Hiệu lực đến: " + (qr.valid_until.strftime("%d/%m/%Y") if qr.valid_until else "không thời hạn"),
             f"Thời gian cấp: {iso_vn(qr.issued)}",
             "Trang này do hệ thống thêm vào để mang mã QR (Thông tư 01/2023/TT-VPCP); kết quả bắt đầu từ trang sau."]
    c.setFont(regular, 10)
    for line in lines:
        y -= 6 * MM
        c.drawString(x, y, line[:110])
    c.showPage()
    c.save()
    return pikepdf.open(io.BytesIO(buf.getvalue()))


def stamp_result(src: Path, dst: Path, qr: ResultQr) -> Placement:
    """Write ``src`` with ``qr`` stamped (first page's blank corner, else a cover page) to ``dst``."""
    check_result_pdf(src)
    with pikepdf.open(src) as pdf:
        first = pdf.pages[0]
        x0, _y0, x1, y1 = _box(first)
        if corner_is_blank(src, first):
            size, edge = QR_MM * MM, EDGE_MM * MM
            with _overlay(qr) as ov:
                first.add_overlay(ov.pages[0], pikepdf.Rectangle(x0 + edge, y1 - edge - size,
                                                                 x0 + edge + size, y1 - edge))
            placement = Placement.FIRST_PAGE
        else:
            with _cover(qr, x1 - x0, y1 - _y0) as cover:
                pdf.pages.insert(0, cover.pages[0])
            placement = Placement.COVER_PAGE
        pdf.save(dst)
    return placement
