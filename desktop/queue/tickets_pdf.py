"""The paper ticket of the kiosk: 80 mm roll width, number, service, priority class, time, people ahead.

PDF/A-2b like every PDF the application writes (kept tickets are records of the queue)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from desktop.kernel.files import replace_durably
from desktop.kernel.fonts import register_reportlab_fonts
from desktop.kernel.timeutil import to_vn
from desktop.queue.priority import ticket_line
from desktop.queue.views import TicketView

WIDTH_MM, HEIGHT_MM = 80, 76


def write_ticket(ticket: TicketView, service_name: str, out: Path, *, centre: str = "Bộ phận Một cửa") -> Path:
    import io

    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from desktop.forms.pdfa import to_pdfa

    regular, bold, italic = register_reportlab_fonts()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ticket-", suffix=".pdf", dir=out.parent)
    os.close(fd)
    try:
        w, h = WIDTH_MM * mm, HEIGHT_MM * mm
        raw = io.BytesIO()
        c = canvas.Canvas(raw, pagesize=(w, h))
        title = f"Số thứ tự {ticket.number}"
        c.setTitle(title)
        c.setFont(bold, 11)
        c.drawCentredString(w / 2, h - 9 * mm, centre.upper())
        c.setFont(regular, 10)
        c.drawCentredString(w / 2, h - 15 * mm, "SỐ THỨ TỰ CỦA BẠN")
        c.setFont(bold, 42)
        c.drawCentredString(w / 2, h - 33 * mm, ticket.number)
        c.setFont(regular, 10)
        c.drawCentredString(w / 2, h - 42 * mm, service_name[:48])
        c.drawCentredString(w / 2, h - 49 * mm, f"Số người đang chờ trước bạn: {ticket.ahead}")
        priority = ticket_line(ticket.priority)
        if priority:  # the officer at the counter sees at a glance why this number came first
            c.setFont(bold, 11)
            c.drawCentredString(w / 2, h - 56 * mm, priority)
        c.setFont(italic, 9)
        c.drawCentredString(w / 2, h - 63 * mm, to_vn(ticket.issued_at).strftime("Lấy số lúc %H:%M ngày %d/%m/%Y"))
        c.drawCentredString(w / 2, h - 69 * mm, "Vui lòng theo dõi màn hình và loa gọi số")
        c.showPage()
        c.save()
        Path(tmp).write_bytes(to_pdfa(raw.getvalue(), title=title, author=centre, created=ticket.issued_at))
        replace_durably(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out
