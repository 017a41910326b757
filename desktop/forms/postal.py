"""The postal agent's handover list (danh sách bàn giao cho bưu điện): A4, printable, PDF/A.

One row per result to post: dossier code, recipient, address, phone, waybill number (empty
boxes to fill in by hand when printed before the post assigns them), and signatures of
the one-stop unit and the post at the bottom.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from desktop.config import Settings
from desktop.forms.data import forms_settings
from desktop.forms.layout import MM, Page
from desktop.forms.pdfa import to_pdfa, write_atomic
from desktop.kernel.fonts import register_reportlab_fonts
from desktop.kernel.timeutil import to_vn, utcnow

TITLE = "DANH SÁCH BÀN GIAO KẾT QUẢ CHO BƯU ĐIỆN"


def write_postal_list(settings: Settings, rows: list[dict[str, Any]], out: Path) -> Path:
    from reportlab.pdfgen import canvas

    fonts = register_reportlab_fonts()
    org = forms_settings(settings)
    now = utcnow()
    buf = io.BytesIO()
    size = (210 * MM, 297 * MM)
    c = canvas.Canvas(buf, pagesize=size, pageCompression=1, initialFontName=fonts[0])
    c.setTitle(TITLE)
    c.setAuthor(org.agency)
    p = Page(c, size, fonts)
    p.para(org.agency.upper(), font=p.bold, size=9)
    p.para(TITLE, font=p.bold, size=12, centre=True)
    p.para(f"{org.place or '........'}, ngày {to_vn(now):%d} tháng {to_vn(now):%m} năm {to_vn(now):%Y}",
           font=p.italic, size=9, centre=True, gap=4 * MM)
    xs = (p.margin, p.margin + 9 * MM, p.margin + 55 * MM, p.margin + 95 * MM, p.margin + 150 * MM)
    p.need(6 * MM)
    p.y -= 4 * MM
    c.setFont(p.bold, 8.5)
    for x, head in zip(xs, ("TT", "Mã hồ sơ", "Người nhận", "Địa chỉ, điện thoại", "Số vận đơn"), strict=True):
        c.drawString(x, p.y, head)
    p.y -= 2 * MM
    for i, r in enumerate(rows, 1):
        addr = p.wrap(f"{r['address']} {r['phone'] or ''}".strip(), p.regular, 8, 53 * MM)
        p.need(len(addr) * 3.8 * MM + 2 * MM)
        top = p.y - 3.6 * MM
        c.setFont(p.regular, 8)
        c.drawString(xs[0], top, str(i))
        c.drawString(xs[1], top, r["code"])
        c.drawString(xs[2], top, str(r["recipient"])[:30])
        for j, line in enumerate(addr):
            c.drawString(xs[3], top - j * 3.8 * MM, line)
        c.drawString(xs[4], top, r["waybill"] or "........................")
        p.y -= len(addr) * 3.8 * MM + 1.5 * MM
        c.setLineWidth(0.2)
        c.line(p.margin, p.y + 0.5 * MM, p.w - p.margin, p.y + 0.5 * MM)
    p.para(f"Tổng số: {len(rows)} hồ sơ", gap=2 * MM)
    p.signatures("BỘ PHẬN MỘT CỬA", "NHÂN VIÊN BƯU ĐIỆN")
    c.showPage()
    c.save()
    return write_atomic(to_pdfa(buf.getvalue(), title=TITLE, author=org.agency, created=now), out)
