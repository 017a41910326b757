"""reportlab layouts of forms 01–06 (A5): the common header, QR, barcode, and each body.

Common header (Circular 03/2025 Appendix I, as printed by production systems): the QR code
of Circular 01/2023 top-left; the superior agency and the one-stop unit on the left with a
short rule; the national motto on the right with a rule; the number line; the place and
date line. The dossier code is printed as a Code 128 barcode under the title. Only the
embedded serif family is used (PDF/A forbids the non-embedded base-14 fonts).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from desktop.forms.data import COLLECTION_VI, COPY_KIND_VI, FormData
from desktop.forms.pdfa import to_pdfa
from desktop.forms.templates import Template
from desktop.kernel.fonts import register_reportlab_fonts
from desktop.kernel.timeutil import iso_vn, to_vn

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
A4 = (210 * MM, 297 * MM)
DOTS = "........................"


def hm(dt: datetime | None) -> str:
    return f"{to_vn(dt):%H} giờ {to_vn(dt):%M} phút" if dt else DOTS


def dmy(dt: datetime | None) -> str:
    return f"{to_vn(dt):%d/%m/%Y}" if dt else DOTS


def when_text(dt: datetime | None) -> str:
    return f"{hm(dt)}, ngày {dmy(dt)}" if dt else DOTS


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def fees_text(fees: list[dict[str, Any]]) -> str:
    if not fees:
        return "không"
    return "; ".join(f"{f['name']}: {money(int(f['amount']))} ({COLLECTION_VI.get(f['collection'], f['collection'])})"
                     for f in fees)


def values(data: FormData, t: Template, issued: datetime) -> dict[str, Any]:
    """Every placeholder a template may use."""
    rcv, due = data.received_at, data.due_at
    remaining = data.remaining_minutes
    paid = [f for f in data.fees if f["state"] == "paid" and f["amount"]]
    return {
        "code": data.code, "agency": data.org.agency, "parent_agency": data.org.parent_agency,
        "place": data.org.place or DOTS, "applicant_name": data.applicant_name, "id_number": data.id_number or DOTS,
        "address": data.address or DOTS, "phone": data.phone or DOTS, "email": data.email or DOTS,
        "procedure_name": data.procedure_name, "procedure_code": data.procedure_code, "field": data.area,
        "fees": fees_text(data.fees), "sets": data.sets, "days": f"{data.days:g}" if data.days else "—",
        "received_hm": hm(rcv), "received_date": dmy(rcv), "due_hm": hm(due), "due_date": dmy(due),
        "return_place": data.org.return_place, "help_line": data.org.help_line,
        "book": f"{to_vn(rcv).year}", "entry": data.register_entry,
        "reason": data.reason or DOTS, "supplement_reason": data.supplement_reason or DOTS, "paused_at": when_text(data.paused_at),
        "remaining": (f"{int(remaining // 60)} giờ {int(remaining % 60):02d} phút" if remaining is not None
                      and remaining >= 0 else DOTS),
        "previous_due": when_text(data.previous_due), "new_due": when_text(data.new_due),
        "extension_reason": data.extension_reason or DOTS, "stage": data.stage or DOTS,
        "fees_paid": "; ".join(f"{f['name']} {money(int(f['amount']))}" for f in paid) or "không",
        "departments": ", ".join(dict.fromkeys(h.department for h in data.handoffs if h.department)) or DOTS,
        "day": f"{to_vn(issued).day:02d}", "month": f"{to_vn(issued).month:02d}", "year": f"{to_vn(issued).year}",
        "number": f"{data.register_entry}/{t.number}",
        "organisation": data.organisation or DOTS, "tax_code": data.tax_code or DOTS,
    }


def qr_payload(data: FormData, t: Template, issued: datetime) -> str:
    """Circular 01/2023: dossier code, procedure code, ID number, document name, issuing system, time
    (and the appointment date on the receipt)."""
    doc: dict[str, Any] = {
        "ma_ho_so": data.code, "ma_tthc": data.procedure_code, "so_dinh_danh": data.id_number,
        "ten_giay_to": t.name, "mau_so": t.number, "he_thong": t.common.get("issuing_system", "motcua"),
        "thoi_gian": iso_vn(issued),
    }
    if t.number == "01":
        doc["ngay_hen_tra"] = to_vn(data.due_at).date().isoformat() if data.due_at else None
    if t.number == "04" and data.new_due is not None:
        doc["ngay_hen_tra"] = to_vn(data.new_due).date().isoformat()
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def draw_qr(c: Any, text: str, x: float, y: float, size: float) -> None:
    """A QR code (error correction M) of ``size`` points with its lower-left corner at (x, y).

    zxing-cpp encodes it (about 1 ms; reportlab's own encoder took 100 ms per form). The dark
    modules are drawn as vector rectangles in module units (one path; runs of a row merged,
    and equal runs of consecutive rows merged into one rectangle), so the code stays sharp
    when printed and costs a few hundred path operations instead of a thousand.
    """
    import numpy as np
    import zxingcpp

    modules = np.asarray(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
                         .to_image(scale=1, add_quiet_zones=False)) < 128
    n = int(modules.shape[0])
    open_runs: dict[tuple[int, int], int] = {}  # (start, end) → first row of a rectangle still growing
    rects: list[tuple[int, int, int, int]] = []
    for r in range(n + 1):
        runs: set[tuple[int, int]] = set()
        if r < n:
            row = np.concatenate(([False], modules[r], [False])).astype(np.int8)
            edges = np.flatnonzero(np.diff(row))
            runs = {(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)}
        for run in [k for k in open_runs if k not in runs]:
            top = open_runs.pop(run)
            rects.append((run[0], top, run[1] - run[0], r - top))
        for run in runs:
            open_runs.setdefault(run, r)
    path = c.beginPath()
    for col, row0, width, height in rects:
        path.rect(col, n - row0 - height, width, height)
    c.saveState()
    c.translate(x, y)
    c.scale(size / n, size / n)
    c.setFillColorRGB(0, 0, 0)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


class Page:
    """A canvas with a text cursor that starts a new page when the next block does not fit."""

    def __init__(self, c: Any, size: tuple[float, float], fonts: tuple[str, str, str], margin: float = 12 * MM) -> None:
        self.c, self.w, self.h = c, size[0], size[1]
        self.regular, self.bold, self.italic = fonts
        self.margin = margin
        self.y = self.h - margin

    def need(self, height: float) -> None:
        if self.y - height < self.margin:
            self.c.showPage()
            self.y = self.h - self.margin

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        lines: list[str] = []
        for para in text.split("\n"):
            line = ""
            for word in para.split():
                trial = f"{line} {word}".strip()
                if line and stringWidth(trial, font, size) > width:
                    lines.append(line)
                    line = word
                else:
                    line = trial
            lines.append(line)
        return lines

    def para(self, text: str, *, font: str | None = None, size: float = 9.5, x: float | None = None,
             width: float | None = None, gap: float = 1.2 * MM, centre: bool = False) -> None:
        font = font or self.regular
        x0 = self.margin if x is None else x
        w = width or (self.w - x0 - self.margin)
        lead = size * 1.3
        lines = self.wrap(text, font, size, w)
        self.need(lead * len(lines))
        self.c.setFont(font, size)
        for line in lines:
            self.y -= lead
            if centre:
                self.c.drawCentredString(x0 + w / 2, self.y, line)
            else:
                self.c.drawString(x0, self.y, line)
        self.y -= gap

    def signatures(self, left: str | None, right: str | None, left_name: str = "", right_name: str = "") -> None:
        self.need(30 * MM)
        y = self.y - 6 * MM
        for text, name, cx in ((left, left_name, self.w * 0.27), (right, right_name, self.w * 0.73)):
            if not text:
                continue
            self.c.setFont(self.bold, 9)
            self.c.drawCentredString(cx, y, text)
            self.c.setFont(self.italic, 8.5)
            self.c.drawCentredString(cx, y - 4 * MM, "(Ký và ghi rõ họ tên)")
            if name:
                self.c.setFont(self.bold, 9)
                self.c.drawCentredString(cx, y - 22 * MM, name)
        self.y = y - 26 * MM


def header(p: Page, t: Template, data: FormData, issued: datetime, v: dict[str, Any]) -> None:
    from reportlab.graphics.barcode.code128 import Code128

    c, w, h = p.c, p.w, p.h
    size = 24 * MM
    draw_qr(c, qr_payload(data, t, issued), 5 * MM, h - 5 * MM - size, size)
    left_cx, left_w = 52 * MM, 40 * MM
    right_cx = 108 * MM
    y = h - 10 * MM
    if data.org.parent_agency:
        for line in p.wrap(data.org.parent_agency.upper(), p.regular, 7.5, left_w):
            c.setFont(p.regular, 7.5)
            c.drawCentredString(left_cx, y, line)
            y -= 3.4 * MM
    for line in p.wrap(data.org.agency.upper(), p.bold, 7.5, left_w):
        c.setFont(p.bold, 7.5)
        c.drawCentredString(left_cx, y, line)
        y -= 3.4 * MM
    c.setLineWidth(0.5)
    c.line(left_cx - 8 * MM, y + 2 * MM, left_cx + 8 * MM, y + 2 * MM)
    c.setFont(p.bold, 8)
    c.drawCentredString(right_cx, h - 10 * MM, t.common.get("motto_1", ""))
    c.setFont(p.bold, 8.5)
    c.drawCentredString(right_cx, h - 13.6 * MM, t.common.get("motto_2", ""))
    c.line(right_cx - 18 * MM, h - 14.6 * MM, right_cx + 18 * MM, h - 14.6 * MM)
    top = min(y - 2 * MM, h - 21 * MM)
    c.setFont(p.regular, 8.5)
    c.drawCentredString(left_cx, top, t.common.get("number", "Số: {number}").format(**v))
    c.setFont(p.italic, 8.5)
    c.drawCentredString(right_cx, top, t.common.get("place_date", "{place}, ngày {day} tháng {month} năm {year}")
                        .format(**v))
    p.y = min(top - 6 * MM, h - 5 * MM - size - 4 * MM)
    p.para(t.title, font=p.bold, size=11, centre=True, gap=1 * MM)
    bc = Code128(data.code, barHeight=7 * MM, barWidth=0.28 * MM, humanReadable=0, quiet=1)
    p.need(10 * MM)
    p.y -= 8 * MM
    bc.drawOn(c, (w - bc.width) / 2, p.y)
    if "code" in t.texts:
        p.para(t.text("code", **v), font=p.bold, size=9.5, centre=True, gap=2 * MM)


def _components_table(p: Page, comps: list[tuple[str, str, int]]) -> None:
    c = p.c
    xs = (p.margin, p.margin + 8 * MM, p.w - p.margin - 38 * MM, p.w - p.margin)
    p.need(6 * MM)
    p.y -= 4 * MM
    c.setFont(p.bold, 8.5)
    c.drawString(xs[0], p.y, "TT")
    c.drawString(xs[1], p.y, "Tên giấy tờ")
    c.drawString(xs[2], p.y, "Hình thức")
    c.drawRightString(xs[3], p.y, "SL")
    p.y -= 1.5 * MM
    for i, (name, kind, qty) in enumerate(comps, 1):
        lines = p.wrap(name, p.regular, 8.5, xs[2] - xs[1] - 2 * MM)
        kinds = p.wrap(COPY_KIND_VI.get(kind, kind), p.regular, 8, xs[3] - xs[2] - 6 * MM)
        p.need(max(len(lines), len(kinds)) * 3.8 * MM)
        top = p.y - 3.6 * MM
        c.setFont(p.regular, 8.5)
        c.drawString(xs[0], top, str(i))
        c.drawRightString(xs[3], top, str(qty))
        for j, line in enumerate(lines):
            c.drawString(xs[1], top - j * 3.8 * MM, line)
        c.setFont(p.regular, 8)
        for j, line in enumerate(kinds):
            c.drawString(xs[2], top - j * 3.8 * MM, line)
        p.y -= max(len(lines), len(kinds)) * 3.8 * MM + 0.6 * MM
    p.y -= 1.5 * MM


#: form 01's line for an organisation's dossier, where an administrator's template (older than
#: this line) has none: the organisation is never left off the receipt
ORGANISATION_TEXT = "Tên tổ chức: {organisation}    Mã số thuế: {tax_code}"


def body_receipt(p: Page, t: Template, data: FormData, v: dict[str, Any]) -> None:
    for key in ("intro", "id_number"):
        p.para(t.text(key, **v))
    if data.tax_code:  # the applicant acts for an organisation: whose dossier it is, by its tax code
        p.para(t.texts.get("organisation", ORGANISATION_TEXT).format(**v))
    for key in ("address", "contact", "request", "fees"):
        p.para(t.text(key, **v))
    p.para(t.text("components", **v), gap=0)
    # what the citizen handed over: a component ticked as missing is form 02's, not the receipt's
    _components_table(p, [c for c in data.components if c[0] not in data.not_brought])
    for key in ("sets", "days", "received", "due", "return_place", "register"):
        p.para(t.text(key, **v))
    p.signatures(t.texts.get("left_sign"), t.texts.get("right_sign"), data.applicant_name, data.officer_name)


def body_supplement(p: Page, t: Template, data: FormData, v: dict[str, Any]) -> None:
    p.para(t.text("intro", **v))
    p.para(t.text("ask", **v), gap=0)
    kinds = {n: k for n, k, _ in data.components}
    names = [data.component_names.get(c, c) for c in data.supplement_components] or [data.supplement_reason]
    _components_table(p, [(n, kinds.get(n, ""), 1) for n in names])
    p.para(t.text("reason", **v))
    p.para(t.text("clock", **v))
    p.para(t.text("help", **v))
    p.signatures(None, t.texts.get("right_sign"), "", data.officer_name)


def body_refusal(p: Page, t: Template, data: FormData, v: dict[str, Any]) -> None:
    for key in ("intro", "refusal"):
        p.para(t.text(key, **v))
    p.para(t.text("reason", **v), font=p.italic)
    p.para(t.text("thanks", **v))
    p.signatures(t.texts.get("left_sign"), t.texts.get("right_sign"), data.applicant_name, data.officer_name)


def body_extension(p: Page, t: Template, data: FormData, v: dict[str, Any]) -> None:
    v = {**v, "reason": data.extension_reason or v["reason"]}
    for key in ("intro", "original", "reason", "apology", "thanks"):
        p.para(t.text(key, **v))
    p.signatures(None, t.texts.get("right_sign"))


def body_stop(p: Page, t: Template, data: FormData, v: dict[str, Any]) -> None:
    for key in ("intro", "stage", "decision", "settlement"):
        p.para(t.text(key, **v))
    p.signatures(None, t.texts.get("right_sign"))


def body_control(p: Page, t: Template, data: FormData, v: dict[str, Any]) -> None:
    for key in ("received", "due", "agencies"):
        p.para(t.text(key, **v))
    c = p.c
    xs = (p.margin, p.margin + 30 * MM, p.w - p.margin - 38 * MM, p.w - p.margin - 18 * MM)
    p.need(8 * MM)
    p.y -= 4 * MM
    c.setFont(p.bold, 8)
    for x, head in zip(xs, ("Bộ phận", "Thời gian giao, nhận hồ sơ", "Kết quả", "Ghi chú"), strict=True):
        c.drawString(x, p.y, head)
    p.y -= 1.5 * MM
    rows = data.handoffs
    for i, h in enumerate(rows):
        # a row's result is that of the step it ends, which the next hand-off records
        outcome = rows[i + 1].outcome if i + 1 < len(rows) else ""
        text = t.text("row", giver=h.giver, receiver=h.receiver or "…", at=when_text(h.at))
        lines = p.wrap(text, p.regular, 8, xs[2] - xs[1] - 2 * MM)
        dept = p.wrap(h.department or "—", p.regular, 8, xs[1] - xs[0] - 2 * MM)
        n = max(len(lines), len(dept))
        p.need(n * 3.6 * MM + 1 * MM)
        top = p.y - 3.4 * MM
        c.setFont(p.regular, 8)
        for j, line in enumerate(dept):
            c.drawString(xs[0], top - j * 3.6 * MM, line)
        for j, line in enumerate(lines):
            c.drawString(xs[1], top - j * 3.6 * MM, line)
        c.drawString(xs[2], top, t.texts.get(outcome, outcome) if outcome else "")
        c.drawString(xs[3], top, (h.note or "")[:14])
        p.y -= n * 3.6 * MM + 1.2 * MM
        c.setLineWidth(0.2)
        c.line(p.margin, p.y + 0.4 * MM, p.w - p.margin, p.y + 0.4 * MM)


BODIES: dict[str, Callable[[Page, Template, FormData, dict[str, Any]], None]] = {
    "receipt": body_receipt, "supplement": body_supplement, "refusal": body_refusal,
    "extension": body_extension, "stop": body_stop, "control": body_control,
}


def render_slip(t: Template, data: FormData, issued: datetime) -> bytes:
    """Form ``t`` for ``data`` as PDF/A-2b bytes (raises on a template that does not fit)."""
    from reportlab.pdfgen import canvas

    fonts = register_reportlab_fonts()
    v = values(data, t, issued)
    body = BODIES[t.layout]  # an unknown layout name is a broken template
    buf = io.BytesIO()
    size = A4 if t.paper.upper() == "A4" else A5
    c = canvas.Canvas(buf, pagesize=size, pageCompression=1, initialFontName=fonts[0])
    c.setTitle(f"{t.name} {data.code}")
    c.setAuthor(data.org.agency)
    c.setCreator("motcua")
    p = Page(c, size, fonts)
    header(p, t, data, issued, v)
    body(p, t, data, v)
    c.showPage()
    c.save()
    return to_pdfa(buf.getvalue(), title=f"{t.name} {data.code}", author=data.org.agency,
                   subject=f"Mẫu {t.number} (phiên bản {t.version})", created=issued)
