"""Separator sheets: one printed A4 sheet per component, put in front of that component's pages.

The officer keeps a reusable set per procedure at the counter and feeds the whole dossier
once; each separator starts a component slot and is not kept in the PDF. A sheet carries
a large QR code whose payload names the format version, the procedure and the component
(``MOTCUA-SEP1|<procedure code>|<component code>``) and the component's name in big
Vietnamese text, so a person can also read it. The QR is read with the same readers as the
CCCD QR (zxing-cpp, then OpenCV), which find it in any rotation (upside down included),
skewed, photocopied and at 150-300 dpi; the page is reduced first because the code is
large and reading a reduced page is several times faster.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.kernel.fonts import register_reportlab_fonts
from desktop.kernel.i18n import msg

PREFIX = "MOTCUA-SEP"
VERSION = 1
READ_LONGEST = 1400  # px: the QR is ~11 cm wide, ~5 px per module at this size


@dataclass(frozen=True)
class ComponentRef:
    """A component as the scanning core needs it: its code and its name."""

    code: str
    name: str


@dataclass(frozen=True)
class SeparatorMark:
    """What a separator page says: which procedure and component it starts."""

    procedure: str
    component: str
    version: int = VERSION


def payload(procedure: str, component: str) -> str:
    for part in (procedure, component):
        if "|" in part or not part.strip():
            raise ValueError(f"code {part!r} cannot go into a separator payload")
    return f"{PREFIX}{VERSION}|{procedure}|{component}"


def parse_payload(text: str) -> SeparatorMark | None:
    """The mark in a QR text, or None if the text is not a separator's (e.g. a CCCD QR)."""
    parts = text.strip().split("|")
    if len(parts) != 3 or not parts[0].startswith(PREFIX):
        return None
    try:
        version = int(parts[0][len(PREFIX):])
    except ValueError:
        return None
    if version != VERSION or not parts[1] or not parts[2]:
        return None  # a future format is not guessed at: the page is treated as a page
    return SeparatorMark(parts[1], parts[2], version)


def render_separators(procedure_code: str, procedure_name: str, components: list[ComponentRef],
                      out: Path) -> Path:
    """Write the PDF of separator sheets for a procedure: one A4 page per component, as
    PDF/A-2b like every PDF the application writes (a centre may archive the batch sheets
    with the dossier)."""
    import io
    from datetime import datetime

    import pikepdf
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    from scanning.pdfa import make_pdfa, save_pdfa

    regular, bold, _ = register_reportlab_fonts()
    width, height = A4
    raw = io.BytesIO()
    c = canvas.Canvas(raw, pagesize=A4)
    title = f"{procedure_code} — separators"
    c.setTitle(title)
    for comp in components:
        side = 110 * mm
        widget = QrCodeWidget(payload(procedure_code, comp.code), barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, c, (width - side) / 2, height - 30 * mm - side)
        c.setFont(regular, 13)
        c.drawCentredString(width / 2, height - 20 * mm,
                            f"TỜ PHÂN CÁCH / SEPARATOR — {procedure_code} {procedure_name}"[:95])
        size = 30
        lines = simpleSplit(comp.name, bold, size, width - 40 * mm)
        while len(lines) > 4 and size > 18:  # long names shrink rather than run off the sheet
            size -= 2
            lines = simpleSplit(comp.name, bold, size, width - 40 * mm)
        c.setFont(bold, size)
        y = height - 30 * mm - side - 20 * mm
        for line in lines:
            c.drawCentredString(width / 2, y, line)
            y -= size * 1.3
        c.setFont(regular, 14)
        c.drawCentredString(width / 2, 25 * mm, f"[{comp.code}]  Đặt trước các trang của thành phần này — "
                                                "put in front of this component's pages")
        c.showPage()
    c.save()
    with pikepdf.open(io.BytesIO(raw.getvalue())) as pdf:
        # reportlab's own Info (author "anonymous", its creator) has no XMP twin: PDF/A wants them equal
        pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(title)))
        make_pdfa(pdf, title=title, created=datetime.now().astimezone())
        save_pdfa(pdf, out)
    return out


def _reduce(gray: np.ndarray, longest: int) -> np.ndarray:
    import cv2

    h, w = gray.shape[:2]
    k = longest / max(h, w)
    if k >= 1:
        return gray
    return cv2.resize(gray, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)


def read_separator(image: np.ndarray) -> SeparatorMark | None:
    """The separator mark on a scanned page, or None for an ordinary page."""
    import cv2
    import zxingcpp

    from scanning.cccd import find_qr_texts

    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    # the reduced page first (fast); the full page only if nothing was found there, so
    # a faint photocopy is not missed
    small = _reduce(gray, READ_LONGEST)
    texts = [r.text for r in zxingcpp.read_barcodes(small) if r.valid and r.format == zxingcpp.BarcodeFormat.QRCode]
    if not texts:
        texts = find_qr_texts(gray)
    for text in texts:
        mark = parse_payload(text)
        if mark is not None:
            return mark
    return None


def is_blank(image: np.ndarray) -> bool:
    """True only for a truly blank side (the back of a duplex separator): the same test as
    the clean-up's blank-page removal, so one line of faint text keeps the page."""
    import cv2

    from scanning.cleanup import has_text_line, ink_ratio

    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return ink_ratio(gray) < 0.002 and not has_text_line(gray)


def describe(mark: SeparatorMark, components: list[ComponentRef]) -> str:
    names = {c.code: c.name for c in components}
    return msg("Tờ phân cách: {c} — {n}", "Separator: {c} — {n}", c=mark.component, n=names.get(mark.component, "?"))
