"""Every report table as plain rows, written to CSV (UTF-8 with BOM, for Excel) or XLSX (openpyxl).

A :class:`Table` is what the screens show, what the PDF prints and what is exported, so
the three never disagree. Column titles are bilingual pairs chosen at build time.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.kernel.i18n import msg
from desktop.reports.dossiers import DossierLine, DossierReport
from desktop.reports.queue import BUCKET_LABELS, QueueReport, SessionRow
from desktop.reports.satisfaction import SatisfactionReport

Cell = str | int | float | None


@dataclass
class Table:
    name: str  # sheet name and file stem: short, ASCII
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def _pct(v: float | None) -> float | None:
    return None if v is None else round(100 * v, 2)


def queue_table(r: QueueReport) -> Table:
    cols = [msg("Nhóm", "Group"), msg("Đến", "Arrived"), msg("Đã phục vụ", "Served"), msg("Vắng mặt", "No-shows"),
            msg("Chuyển", "Transferred"), msg("Chờ TB (s)", "Wait avg (s)"), msg("Chờ P50 (s)", "Wait p50 (s)"),
            msg("Chờ P90 (s)", "Wait p90 (s)"), msg("Chờ max (s)", "Wait max (s)"),
            msg("Chờ > 15 ph (%)", "Wait > 15 min (%)"), msg("Phục vụ TB (s)", "Service avg (s)"),
            msg("Phục vụ P50 (s)", "Service p50 (s)"), msg("Phục vụ P90 (s)", "Service p90 (s)"),
            msg("Phục vụ max (s)", "Service max (s)"), msg("Phục vụ > 30 ph (%)", "Service > 30 min (%)"),
            *(msg("Chờ {b} ph", "Wait {b} min", b=b) for b in BUCKET_LABELS),
            msg("Giờ mở quầy", "Open hours"), msg("Phục vụ / giờ mở", "Served / open hour"),
            msg("Loại trừ (sự kiện sai thứ tự)", "Excluded (events out of order)")]
    rows: list[list[Cell]] = []
    for x in [*r.rows, r.total]:
        rows.append([msg("Tổng", "Total") if x is r.total else x.key, x.arrived, x.served, x.no_show, x.transferred,
                     x.wait_avg_s, x.wait_p50_s, x.wait_p90_s, x.wait_max_s, _pct(x.wait_over_15min_share),
                     x.service_avg_s, x.service_p50_s, x.service_p90_s, x.service_max_s,
                     _pct(x.service_over_30min_share), *x.wait_buckets,
                     None if x.open_s is None else round(x.open_s / 3600, 2), x.served_per_open_hour, x.excluded])
    return Table("queue", msg("Hàng đợi {p}", "Queue {p}", p=r.period.label), cols, rows)


def dossier_table(r: DossierReport) -> Table:
    cols = [msg("Nhóm", "Group"), msg("Tiếp nhận", "Received"), msg("Đã giải quyết", "Closed"),
            msg("Trước hạn", "Early"), msg("Đúng hạn", "On time"), msg("Trễ hạn", "Late"),
            msg("Trễ hạn (%)", "Late (%)"), msg("Đang xử lý", "Open"), msg("Đang xử lý, quá hạn", "Open, overdue"),
            msg("Đến hạn hôm nay", "Due today"), msg("Đến hạn tuần này", "Due this week"),
            msg("Dừng/rút/từ chối", "Ended"), msg("Số hóa TP (%)", "Components digitized (%)"),
            msg("Số hóa KQ (%)", "Results digitized (%)"), msg("KQ ký số (%)", "Signed results (%)"),
            msg("Tái sử dụng (%)", "Reuse (%)"), msg("Trực tuyến (%)", "Online (%)"),
            msg("Thanh toán trực tuyến (%)", "Online payment (%)")]
    rows: list[list[Cell]] = []
    for x in [*r.rows, r.total]:
        rows.append([msg("Tổng", "Total") if x is r.total else x.key, x.received, x.closed, x.early, x.on_time,
                     x.late, _pct(x.late_share), x.open, x.open_late, x.due_today, x.due_this_week, x.ended,
                     _pct(x.component_digitization_share), _pct(x.result_digitization_share),
                     _pct(x.signed_result_share), _pct(x.reuse_share), _pct(x.online_share),
                     _pct(x.online_payment_share)])
    return Table("dossiers", msg("Hồ sơ {p}", "Dossiers {p}", p=r.period.label), cols, rows)


def late_table(lines: Sequence[DossierLine], label: str) -> Table:
    cols = [msg("Mã hồ sơ", "Dossier"), msg("Thủ tục", "Procedure"), msg("Cán bộ", "Officer"),
            msg("Họ tên", "Name"), msg("Đơn vị", "Unit"), msg("Tiếp nhận", "Received"), msg("Hẹn trả", "Due"),
            msg("Giải quyết", "Closed"), msg("Trễ (giờ làm việc)", "Late (working hours)")]
    rows: list[list[Cell]] = [[x.code, x.procedure, x.officer, x.officer_name, x.unit, x.received_at[:16],
                               (x.due_at or "")[:16], (x.closed_at or msg("chưa", "open"))[:16], x.late_working_hours]
                              for x in lines]
    return Table("late", msg("Hồ sơ trễ hạn {p}", "Late dossiers {p}", p=label), cols, rows)


def satisfaction_table(r: SatisfactionReport) -> Table:
    cols = [msg("Cán bộ", "Officer"), msg("Lượt đánh giá", "Ratings"), msg("Không hài lòng", "Not satisfied"),
            msg("Hài lòng", "Satisfied"), msg("Rất hài lòng", "Very satisfied"),
            msg("Hài lòng trở lên (%)", "Satisfied or better (%)")]
    rows: list[list[Cell]] = [[msg("Tổng", "Total") if x is r.total else x.key, x.ratings, x.not_satisfied,
                               x.satisfied, x.very_satisfied, _pct(x.satisfied_or_better_share)]
                              for x in [*r.rows, r.total]]
    return Table("satisfaction", msg("Mức độ hài lòng {p}", "Satisfaction {p}", p=r.period.label), cols, rows)


def sessions_table(rows_in: Sequence[SessionRow], label: str) -> Table:
    cols = [msg("Quầy", "Counter"), msg("Cán bộ", "Officer"), msg("Mở", "Opened"), msg("Đóng", "Closed"),
            msg("Mở (ph)", "Open (min)"), msg("Tạm dừng (ph)", "Paused (min)"), msg("Bận (ph)", "Busy (min)"),
            msg("Rảnh (ph)", "Idle (min)"), msg("Đã phục vụ", "Served"), msg("Phục vụ / giờ", "Served / hour")]
    rows: list[list[Cell]] = [[x.counter, x.officer, x.started_at[:16], x.ended_at[:16], round(x.open_s / 60, 1),
                               round(x.paused_s / 60, 1), round(x.busy_s / 60, 1), round(x.idle_s / 60, 1), x.served,
                               x.served_per_open_hour] for x in rows_in]
    return Table("sessions", msg("Phiên làm việc tại quầy {p}", "Counter sessions {p}", p=label), cols, rows)


def _private(path: Path) -> None:
    """Exports list dossiers with their applicants: the OS account's only (0600)."""
    if os.name == "posix":
        os.chmod(path, 0o600)


def _folder(path: Path) -> None:
    """The export's folder, made 0700 if it is new (``data/exports`` the first time)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)


def write_csv(table: Table, path: Path) -> Path:
    _folder(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    _private(path)  # an existing file keeps its mode through O_TRUNC
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:  # the BOM makes Excel read UTF-8
        w = csv.writer(f)
        w.writerow(table.columns)
        w.writerows([["" if c is None else c for c in row] for row in table.rows])
    return path


def write_xlsx(tables: Sequence[Table], path: Path, *, note: str = "") -> Path:
    """The tables, one sheet each; ``note`` (the audit chain head) goes below each table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    first = True
    for t in tables:
        ws: Any = wb.active if first else wb.create_sheet()
        first = False
        ws.title = t.name[:31]
        ws.append([t.title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(t.columns)
        for c in ws[2]:
            c.font = Font(bold=True)
        for row in t.rows:
            ws.append(list(row))
        if note:
            ws.append([])
            ws.append([note])
        for i, col in enumerate(t.columns, start=1):
            width = max([len(str(col)), *(len(str(r[i - 1])) for r in t.rows if r[i - 1] is not None)])
            ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = min(40, width + 2)
        ws.freeze_panes = "B3"
    _folder(path)
    wb.save(path)
    _private(path)
    return path
