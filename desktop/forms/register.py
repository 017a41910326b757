"""Form 07, the dossier register (Sổ theo dõi hồ sơ): A4 landscape PDF/A and XLSX.

One row per dossier received in the period (filtered by unit and status): code, summary
(procedure), number of sets, owner, address and phone, received, due, returned, receiving
officer, area (field). Drawn straight on the canvas, so a month of a district (3,000
dossiers, ~120 pages) takes well under the two seconds the counter can wait. Every page (the
last row of the XLSX) carries the audit chain head the register was made at, so a printed
register can later be checked against the chain (``motcua audit verify --head``).
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.audit import HeadStamp
from desktop.db.models import Dossier, Officer, OrgUnit, Procedure
from desktop.forms.data import FormsSettings
from desktop.forms.layout import MM, dmy
from desktop.forms.pdfa import to_pdfa, write_atomic
from desktop.forms.templates import Template
from desktop.kernel.fonts import register_reportlab_fonts
from desktop.kernel.timeutil import VN_TZ, to_vn


@dataclass(frozen=True)
class RegisterRow:
    code: str
    summary: str
    sets: int
    owner: str
    address_phone: str
    received_at: datetime
    due_at: datetime | None
    returned_at: datetime | None
    officer: str
    area: str
    status: int


def register_rows(s: Session, date_from: date, date_to: date, *, unit_code: str | None = None,
                  status: int | None = None) -> list[RegisterRow]:
    lo = datetime.combine(date_from, time(0), VN_TZ)
    hi = datetime.combine(date_to + timedelta(days=1), time(0), VN_TZ)
    q = (select(Dossier.code, Procedure.name, Dossier.sets, Dossier.applicant_name, Dossier.applicant_address,
                Dossier.applicant_phone, Dossier.received_at, Dossier.due_at, Dossier.returned_at,
                Officer.full_name, Officer.username, Procedure.field, Dossier.status)
         .join(Procedure, Procedure.id == Dossier.procedure_id)
         .outerjoin(Officer, Officer.id == Dossier.officer_id)
         .where(Dossier.received_at >= lo, Dossier.received_at < hi).order_by(Dossier.received_at, Dossier.id))
    if unit_code:
        q = q.join(OrgUnit, OrgUnit.id == Dossier.unit_id).where(OrgUnit.code == unit_code)
    if status is not None:
        q = q.where(Dossier.status == status)
    return [RegisterRow(r[0], r[1], r[2], r[3], ", ".join(x for x in (r[4], r[5]) if x), r[6], r[7], r[8],
                        r[9] or r[10] or "", r[11], r[12]) for r in s.execute(q)]


COLUMNS_MM = (9, 40, 52, 10, 36, 40, 17, 17, 17, 22, 17, 0)  # the last column takes what is left


@functools.lru_cache(maxsize=8192)
def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` (cached: names, dates and areas repeat a lot)."""
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

    if stringWidth(text, font, size) <= width:  # most cells: one call (C with rl-accel)
        return text
    face = getFont(font).face
    widths, default = face.charWidths, face.defaultWidth
    scale = size / 1000
    ell = widths.get(ord("…"), default) * scale
    total = 0.0
    cut = -1
    for i, ch in enumerate(text):
        total += widths.get(ord(ch), default) * scale
        if cut < 0 and total + ell > width:
            cut = i  # the longest prefix that still leaves room for the ellipsis
        if total > width:
            return text[:max(cut, 0)] + "…"
    return text


def register_pdf(t: Template, org: FormsSettings, rows: list[RegisterRow], date_from: date, date_to: date,
                 issued: datetime, head: HeadStamp | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    regular, bold, italic = register_reportlab_fonts()
    w, h = 297 * MM, 210 * MM
    margin = 10 * MM
    widths = list(COLUMNS_MM[:-1]) + [(w - 2 * margin) / MM - sum(COLUMNS_MM)]
    xs = [margin]
    for cw in widths[:-1]:
        xs.append(xs[-1] + cw * MM)
    heads = t.texts.get("columns", "").split("|")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h), pageCompression=1, initialFontName=regular)
    c.setTitle(f"{t.name} {date_from:%d/%m/%Y}–{date_to:%d/%m/%Y}")
    c.setAuthor(org.agency)
    c.setCreator("motcua")
    row_h = 4.6 * MM
    size = 7.2
    page = 0
    y = 0.0

    def new_page() -> float:
        nonlocal page
        if page:
            c.showPage()
        page += 1
        top = h - margin
        if page == 1:
            c.setFont(bold, 8)
            c.drawString(margin, top, org.agency.upper())
            c.setFont(bold, 13)
            c.drawCentredString(w / 2, top - 8 * MM, t.title)
            c.setFont(italic, 9)
            c.drawCentredString(w / 2, top - 13 * MM, t.texts.get("period", "").format(
                date_from=f"{date_from:%d/%m/%Y}", date_to=f"{date_to:%d/%m/%Y}"))
            top -= 19 * MM
        c.setFont(regular, 7)
        c.drawRightString(w - margin, margin / 2, f"{page}")
        if head is not None:
            c.drawString(margin, margin / 2, head.printed())
        c.setFont(bold, size)
        for x, cw, column in zip(xs, widths, heads, strict=False):
            c.drawString(x + 0.8 * MM, top - 3.4 * MM, _fit(column, bold, size, cw * MM - 1.6 * MM))
        c.setLineWidth(0.4)
        c.line(margin, top - 4.6 * MM, w - margin, top - 4.6 * MM)
        return top - 4.6 * MM

    y = new_page()
    from desktop.lifecycle.machine import STATUS_NAMES

    status_vi = {int(k): v[0] for k, v in STATUS_NAMES.items()}
    room = [cw * MM - 1.6 * MM for cw in widths]
    steps = [xs[0] + 0.8 * MM] + [b - a for a, b in zip(xs, xs[1:], strict=False)]
    text = None
    rules: list[tuple[float, float, float, float]] = []

    def flush() -> None:
        # one text object and one set of rules per page: each cell is a relative move and a
        # string, not a text object of its own (a third of the time for 3,000 rows)
        nonlocal text, rules
        if text is not None:
            c.drawText(text)
            c.setLineWidth(0.15)
            c.lines(rules)
        text, rules = None, []

    for i, r in enumerate(rows, 1):
        if y - row_h < margin:
            flush()
            y = new_page()
        if text is None:
            text = c.beginText()
            text.setFont(regular, size)
            text.setTextOrigin(0, y - 3.3 * MM)
            line_start = 0.0
        else:
            text.moveCursor(-line_start, row_h)  # back to the left edge, one row down (PDF y grows upwards)
            line_start = 0.0
        cells = (str(i), r.code, r.summary, str(r.sets), r.owner, r.address_phone, dmy(r.received_at),
                 dmy(r.due_at) if r.due_at else "", dmy(r.returned_at) if r.returned_at else "", r.officer, r.area,
                 status_vi.get(r.status, str(r.status)))
        for step, fit, cell in zip(steps, room, cells, strict=True):
            text.moveCursor(step, 0)
            line_start += step
            text.textOut(_fit(cell, regular, size, fit))
        y -= row_h
        rules.append((margin, y, w - margin, y))
    flush()
    c.showPage()
    c.save()
    return to_pdfa(buf.getvalue(), title=f"{t.name} {date_from:%d/%m/%Y}–{date_to:%d/%m/%Y}", author=org.agency,
                   subject=f"Mẫu 07 (phiên bản {t.version})", created=issued)


def register_xlsx(t: Template, org: FormsSettings, rows: list[RegisterRow], date_from: date, date_to: date,
                  out: Path, head: HeadStamp | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("So theo doi ho so")
    bold = Font(bold=True)

    def cell(value: object, b: bool = False) -> WriteOnlyCell:
        x = WriteOnlyCell(ws, value=value)
        if b:
            x.font = bold
        return x

    for i, cw in enumerate((6, 28, 45, 7, 26, 36, 17, 17, 17, 20, 16, 20)):
        ws.column_dimensions[chr(ord("A") + i)].width = cw
    ws.append([cell(org.agency.upper(), True)])
    ws.append([cell(t.title, True)])
    ws.append([cell(t.texts.get("period", "").format(date_from=f"{date_from:%d/%m/%Y}", date_to=f"{date_to:%d/%m/%Y}"))])
    ws.append([cell(hd, True) for hd in t.texts.get("columns", "").split("|")])

    def local(dt: datetime | None) -> datetime | None:
        return to_vn(dt).replace(tzinfo=None, microsecond=0) if dt else None  # Excel has no time zones

    for i, r in enumerate(rows, 1):
        ws.append([i, r.code, r.summary, r.sets, r.owner, r.address_phone, local(r.received_at), local(r.due_at),
                   local(r.returned_at), r.officer, r.area, r.status])
    if head is not None:
        ws.append([])
        ws.append([head.printed()])
    buf = io.BytesIO()
    wb.save(buf)
    return write_atomic(buf.getvalue(), out)
