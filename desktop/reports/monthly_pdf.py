"""The monthly report as a PDF/A-2b in Vietnamese: summary against targets, charts, tables, late list.

Built with reportlab (platypus for the flow, reportlab.graphics for the charts) in the
serif family of :mod:`desktop.kernel.fonts`, embedded and subset; every chart label uses
it too, so no standard-14 font (which PDF/A forbids unembedded) is referenced. Colours are
opaque RGB under the sRGB output intent that :func:`scanning.pdfa.make_pdfa` adds with
the XMP identification; the document information is rewritten to match the XMP.
The figures are the same objects the screens and the CLI show (``desktop.reports.*``).
Every page's footer carries the audit chain head the report was made at
(:class:`desktop.audit.HeadStamp`), so a printed copy can later be checked against the chain.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.audit import HeadStamp, read_stamp
from desktop.auth import Actor
from desktop.db import Database
from desktop.kernel import i18n
from desktop.kernel.fonts import register_reportlab_fonts
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.reports.dossiers import DossierReport, dossier_report, late_list
from desktop.reports.export import Table, dossier_table, late_table, queue_table, satisfaction_table
from desktop.reports.period import Period
from desktop.reports.queue import BUCKET_LABELS, QueueReport, queue_report
from desktop.reports.satisfaction import SatisfactionReport, satisfaction_report
from desktop.reports.targets import meets
from desktop.workdays import WorkCalendar

GREY = (0.85, 0.85, 0.85)
BLUE = (0.16, 0.38, 0.65)
RED = (0.75, 0.15, 0.15)
GREEN = (0.15, 0.55, 0.25)


@contextmanager
def _vietnamese() -> Iterator[None]:
    """The monthly report is published in Vietnamese whatever the workstation's language."""
    before = getattr(i18n, "_language", None)
    i18n.set_language("vi")
    try:
        yield
    finally:
        i18n.set_language(before)


def _fmt_s(v: int | None) -> str:
    if v is None:
        return "–"
    return f"{v // 60}:{v % 60:02d}"


def _fmt_pct(v: float | None) -> str:
    return "–" if v is None else f"{100 * v:.1f} %".replace(".", ",")


def _bar_chart(values: Sequence[float], labels: Sequence[str], title: str, font: str, *, width: float = 360,
               height: float = 170, colour: tuple[float, float, float] = BLUE, target: float | None = None) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib.colors import Color

    d = Drawing(width, height)
    d.initialFontName = font  # the renderer's first font (else Helvetica: not embedded, not PDF/A)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, width - 55, height - 55
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([*values, target or 0, 1])
    chart.valueAxis.valueMax = top * 1.15
    chart.bars[0].fillColor = Color(*colour)
    chart.bars[0].strokeColor = None
    d.add(chart)
    if target is not None:
        y = chart.y + chart.height * target / (top * 1.15)
        d.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=Color(*RED), strokeWidth=1))
    d.add(String(chart.x, height - 14, title, fontName=font, fontSize=9))
    return d


def _table_flowable(t: Table, font: str, bold: str, columns: Sequence[int] | None = None,
                    col_width: float | None = None) -> Any:
    from reportlab.lib.colors import Color
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, TableStyle
    from reportlab.platypus import Table as RLTable

    idx = list(columns) if columns is not None else list(range(len(t.columns)))
    head_style = ParagraphStyle("h", fontName=bold, fontSize=7, leading=8)
    data: list[list[Any]] = [[Paragraph(str(t.columns[i]), head_style) for i in idx]]
    for r in t.rows:
        data.append(["–" if r[i] is None else str(r[i]).replace(".", ",") if isinstance(r[i], float) else str(r[i])
                     for i in idx])
    if len(data) == 1:
        data.append(["(không có số liệu)"] + [""] * (len(idx) - 1))
    table = RLTable(data, repeatRows=1, colWidths=col_width)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.25, Color(0.6, 0.6, 0.6)),
        ("BACKGROUND", (0, 0), (-1, 0), Color(*GREY)),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _summary(q: QueueReport, dr: DossierReport, sr: SatisfactionReport) -> list[tuple[str, str, str, bool | None]]:
    t, d, s = q.total, dr.total, sr.total
    return [
        ("Thời gian chờ trung bình", _fmt_s(t.wait_avg_s), "≤ 15:00", meets("wait_avg_s", t.wait_avg_s)),
        ("Thời gian chờ P90", _fmt_s(t.wait_p90_s), "", None),
        ("Tỷ lệ chờ quá 15 phút", _fmt_pct(t.wait_over_15min_share), "", None),
        ("Thời gian phục vụ trung bình", _fmt_s(t.service_avg_s), "≤ 30:00", meets("service_avg_s", t.service_avg_s)),
        ("Lượt đến / đã phục vụ / vắng mặt", f"{t.arrived} / {t.served} / {t.no_show}", "", None),
        ("Hồ sơ tiếp nhận", str(d.received), "", None),
        ("Hồ sơ trễ hạn", f"{d.late} ({_fmt_pct(d.late_share)})", "0 %", meets("late_share", d.late_share)),
        ("Số hóa thành phần hồ sơ", _fmt_pct(d.component_digitization_share), "100 % (tỉnh 2024: 94,04 %)",
         meets("component_digitization_share", d.component_digitization_share)),
        ("Số hóa kết quả", _fmt_pct(d.result_digitization_share), "100 %",
         meets("result_digitization_share", d.result_digitization_share)),
        ("Kết quả điện tử ký số", _fmt_pct(d.signed_result_share), "100 %",
         meets("signed_result_share", d.signed_result_share)),
        ("Tái sử dụng dữ liệu số hóa", _fmt_pct(d.reuse_share), "tỉnh: 47,24 %", None),
        ("Hồ sơ trực tuyến", _fmt_pct(d.online_share), "", None),
        ("Thanh toán trực tuyến", _fmt_pct(d.online_payment_share), "", None),
        ("Hài lòng trở lên (SIPAS)", f"{_fmt_pct(s.satisfied_or_better_share)} ({s.ratings} lượt)", "", None),
    ]


def build_monthly_pdf(period: Period, q: QueueReport, q_hour: QueueReport, q_day: QueueReport, dr: DossierReport,
                      late: Table, sr: SatisfactionReport, *, centre: str, created: datetime,
                      head: HeadStamp | None = None) -> bytes:
    """The report's bytes (before the PDF/A identification is added)."""
    from reportlab.graphics.shapes import STATE_DEFAULTS

    # Chart labels and each drawing's renderer default to Helvetica (a standard font, not
    # embedded: not allowed in PDF/A); the defaults are read when a chart is built.
    saved = STATE_DEFAULTS["fontName"]
    STATE_DEFAULTS["fontName"] = register_reportlab_fonts()[0]
    try:
        return _build(period, q, q_hour, q_day, dr, late, sr, centre=centre, created=created, head=head)
    finally:
        STATE_DEFAULTS["fontName"] = saved


def _build(period: Period, q: QueueReport, q_hour: QueueReport, q_day: QueueReport, dr: DossierReport,
           late: Table, sr: SatisfactionReport, *, centre: str, created: datetime,
           head: HeadStamp | None) -> bytes:
    from reportlab.lib.colors import Color
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    font, bold, italic = register_reportlab_fonts()
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12)
    small = ParagraphStyle("s", fontName=italic, fontSize=8, leading=10)
    buf = io.BytesIO()
    title = f"Báo cáo tháng {period.label} – Bộ phận Một cửa {centre}"
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=14 * mm, rightMargin=14 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title, author=centre,
                            subject="Báo cáo chỉ số phục vụ hành chính", creator="motcua",
                            initialFontName=font, initialFontSize=9)

    def footer(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.drawString(14 * mm, 7 * mm, f"{title} · lập lúc {to_vn(created):%H:%M %d/%m/%Y}")
        canvas.drawRightString(landscape(A4)[0] - 14 * mm, 7 * mm, f"Trang {canvas.getPageNumber()}")
        if head is not None:
            canvas.drawString(14 * mm, 3.5 * mm, head.printed())
        canvas.restoreState()

    story: list[Any] = [
        Paragraph(f"BÁO CÁO THÁNG {period.label}", h1),
        Paragraph(f"Bộ phận Một cửa {centre} · từ {period.first:%d/%m/%Y} đến {period.last:%d/%m/%Y}", body),
        Spacer(1, 4 * mm), Paragraph("1. Chỉ số chính so với chỉ tiêu", h2)]
    rows: list[list[str]] = [["Chỉ số", "Kết quả", "Chỉ tiêu / tham chiếu", "Đánh giá"]]
    colours = []
    for i, (name, value, target, ok) in enumerate(_summary(q, dr, sr), start=1):
        rows.append([name, value, target, "" if ok is None else ("Đạt" if ok else "Chưa đạt")])
        if ok is not None:
            colours.append(("TEXTCOLOR", (3, i), (3, i), Color(*(GREEN if ok else RED))))
    summary = RLTable(rows, colWidths=[70 * mm, 45 * mm, 60 * mm, 25 * mm], hAlign="LEFT")
    summary.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 8.5), ("FONT", (0, 0), (-1, 0), bold, 8.5),
                                 ("GRID", (0, 0), (-1, -1), 0.25, Color(0.6, 0.6, 0.6)),
                                 ("BACKGROUND", (0, 0), (-1, 0), Color(*GREY)), *colours]))
    t = q.total
    story += [summary, Spacer(1, 4 * mm)]
    charts = RLTable([[
        _bar_chart([float(x) for x in t.wait_buckets], [f"{b}'" for b in BUCKET_LABELS],
                   "Phân bố thời gian chờ (số lượt, khoảng 3 phút)", font, width=250),
        _bar_chart([(r.wait_avg_s or 0) / 60 for r in q_hour.rows], [r.key for r in q_hour.rows],
                   "Thời gian chờ TB theo giờ (phút; vạch đỏ: 15 phút)", font, width=250, target=15),
        _bar_chart([float(r.arrived) for r in q_day.rows], [r.key[-2:] for r in q_day.rows],
                   "Lượt đến theo ngày", font, width=250, colour=GREEN),
    ]], hAlign="LEFT")
    charts.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 8)]))  # a cell's default is Helvetica
    story += [charts, PageBreak(), Paragraph("2. Hàng đợi theo lĩnh vực", h2),
              _table_flowable(queue_table(q), font, bold, columns=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14]),
              Spacer(1, 3 * mm),
              Paragraph("Thời gian tính bằng giây; chờ = lần gọi cuối − lúc lấy số; phục vụ = kết thúc − bắt đầu "
                        "(hoặc − lần gọi khi không bấm bắt đầu); P50/P90 nội suy tuyến tính.", small),
              Paragraph("3. Hồ sơ theo cán bộ", h2), _table_flowable(dossier_table(dr), font, bold),
              PageBreak(), Paragraph(f"4. Danh sách hồ sơ trễ hạn ({len(late.rows)} hồ sơ)", h2),
              _table_flowable(late, font, bold),
              Paragraph("5. Mức độ hài lòng của người dân theo cán bộ (SIPAS)", h2),
              _bar_chart([100 * (r.satisfied_or_better_share or 0) for r in sr.rows], [r.key for r in sr.rows],
                         "Tỷ lệ hài lòng trở lên theo cán bộ (%)", font, width=400, colour=GREEN),
              _table_flowable(satisfaction_table(sr), font, bold),
              Spacer(1, 3 * mm),
              Paragraph("Định nghĩa các chỉ số: docs/INDICATORS.md. Hồ sơ trễ hạn = giải quyết sau, hoặc còn đang xử lý "
                        "quá, thời hạn theo giờ làm việc; gia hạn không làm hồ sơ hết trễ.", small)]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def write_monthly_report(db: Database, actor: Actor, period: Period, out: Path, *,
                         calendar: WorkCalendar | None = None, centre: str = "",
                         as_of: datetime | None = None) -> Path:
    import pikepdf

    from scanning.pdfa import make_pdfa, save_pdfa

    created = as_of or utcnow()
    head = read_stamp(db)  # before the figures: the chain holds at least this when they are read
    with _vietnamese():
        q = queue_report(db, actor, period, "service", now=created)
        q_hour = queue_report(db, actor, period, "hour", now=created)
        q_day = queue_report(db, actor, period, "day", now=created)
        dr = dossier_report(db, actor, period, "officer", as_of=created)
        late = late_table(late_list(db, actor, period, as_of=created, calendar=calendar), period.label)
        sr = satisfaction_report(db, actor, period)
        raw = build_monthly_pdf(period, q, q_hour, q_day, dr, late, sr, centre=centre, created=created, head=head)
    title = f"Báo cáo tháng {period.label} – Bộ phận Một cửa {centre}"
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        make_pdfa(pdf, title=title, created=created)
        stamp = "D:" + to_vn(created).strftime("%Y%m%d%H%M%S") + "+07'00'"
        pdf.docinfo["/Title"] = title
        pdf.docinfo["/Producer"] = "motcua"
        pdf.docinfo["/Creator"] = "motcua"
        pdf.docinfo["/CreationDate"] = stamp
        pdf.docinfo["/ModDate"] = stamp
        for key in ("/Author", "/Subject", "/Keywords"):  # PDF/A: no Info entry without its XMP twin
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        out.parent.mkdir(parents=True, exist_ok=True)
        save_pdfa(pdf, out)
    if os.name == "posix":
        os.chmod(out, 0o600)  # the late list names applicants
    return out
