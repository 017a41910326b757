"""Reports area: a period picker; queue, dossier, satisfaction, heat-map and session reports with
charts; double-click a figure (or click a bar) for the tickets or dossiers behind it; export.

Every figure comes from ``desktop.reports`` (computed in SQL, scoped by the signed-in
role in the core), read in the db worker; the tables shown are the ones exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.audit import HeadStamp, read_stamp
from desktop.auth import Actor
from desktop.context import AppContext
from desktop.kernel.timeutil import now_vn
from desktop.reports.dossiers import DossierReport, dossier_report, drill_dossiers, late_list
from desktop.reports.export import (
    Table,
    dossier_table,
    late_table,
    queue_table,
    satisfaction_table,
    sessions_table,
    write_csv,
    write_xlsx,
)
from desktop.reports.period import Period
from desktop.reports.queue import (
    BUCKET_LABELS,
    HeatMap,
    QueueReport,
    drill_tickets,
    heatmap,
    queue_report,
    session_report,
)
from desktop.reports.satisfaction import SatisfactionReport, satisfaction_report
from ui import file_dialogs
from ui.reports.charts import GREEN, BarChart
from ui.reports.charts import HeatMap as HeatMapChart
from ui.reports.drill import DrillDialog
from ui.workers import Pool, Task, Workers

QUEUE_FIGURES = {1: "arrived", 2: "served", 3: "no_show", 4: "transferred", 9: "wait_over_15min",
                 14: "service_over_30min", **{15 + i: f"bucket_{i}" for i in range(7)}, 24: "excluded"}
DOSSIER_FIGURES = {1: "received", 2: "closed", 3: "early", 4: "on_time", 5: "late", 6: "late", 7: "open",
                   8: "open_late", 9: "due_today", 10: "due_this_week", 11: "ended", 16: "online"}


@dataclass
class Bundle:
    period: Period
    queue: QueueReport
    dossiers: DossierReport
    late: Table
    satisfaction: SatisfactionReport
    heat: HeatMap
    sessions: Table
    #: the audit chain head the figures were read at: the export carries it
    head: HeadStamp


def _fill(table: QTableWidget, t: Table) -> None:
    table.clear()
    table.setColumnCount(len(t.columns))
    table.setHorizontalHeaderLabels([str(c) for c in t.columns])
    table.setRowCount(len(t.rows))
    for r, row in enumerate(t.rows):
        for c, v in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("–" if v is None else str(v)))


def _table(name: str) -> QTableWidget:
    t = QTableWidget(0, 0)
    t.setObjectName(name)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.setAlternatingRowColors(True)
    return t


class ReportsView(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *, workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor = actor
        self.bundle: Bundle | None = None
        self._task: Task | None = None
        self._again = False  # the period or grouping changed while a computation ran
        today = now_vn().date()
        self.quick = QComboBox()
        self.quick.setObjectName("quick")
        for key, label in (("today", self.tr("Today")), ("week", self.tr("This week")),
                           ("month", self.tr("This month")), ("last_month", self.tr("Last month")),
                           ("year", self.tr("This year")), ("custom", self.tr("Custom"))):
            self.quick.addItem(label, key)
        self.first = QDateEdit(QDate(today.year, today.month, 1))
        self.last = QDateEdit(QDate(today.year, today.month, today.day))
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd/MM/yyyy")
        self.quick.setCurrentIndex(2)
        self.quick.currentIndexChanged.connect(self._quick)
        self.quick.activated.connect(self._changed)
        self.group = QComboBox()
        self.group.setObjectName("group")
        for key, label in (("service", self.tr("by service")), ("counter", self.tr("by counter")),
                           ("officer", self.tr("by officer")), ("hour", self.tr("by hour of day")),
                           ("day", self.tr("by day")), ("week", self.tr("by week")), ("month", self.tr("by month"))):
            self.group.addItem(label, key)
        self.dossier_group = QComboBox()
        self.dossier_group.addItem(self.tr("by officer"), "officer")
        self.dossier_group.addItem(self.tr("by unit"), "unit")
        self.group.activated.connect(self._changed)
        self.dossier_group.activated.connect(self._changed)
        self.compute = QPushButton(self.tr("Compute"))
        self.compute.clicked.connect(self.refresh)
        self.xlsx = QPushButton(self.tr("Export XLSX…"))
        self.xlsx.clicked.connect(self.export_xlsx)
        self.csv = QPushButton(self.tr("Export CSV…"))
        self.csv.clicked.connect(self.export_csv)
        self.pdf = QPushButton(self.tr("Monthly report PDF…"))
        self.pdf.clicked.connect(self.export_pdf)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.hide()
        top = QHBoxLayout()
        for w in (QLabel(self.tr("Period")), self.quick, QLabel(self.tr("from")), self.first, QLabel(self.tr("to")),
                  self.last, self.group, self.dossier_group, self.compute, self.progress):
            top.addWidget(w)
        top.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        # queue
        self.queue_table = _table("queue")
        self.queue_table.cellDoubleClicked.connect(self._drill_queue)
        self.buckets = BarChart(self.tr("Waits in 3-minute buckets (click a bar for the tickets)"))
        self.buckets.setObjectName("buckets")
        self.buckets.barClicked.connect(lambda i: self._drill_queue_figure("total", "*", f"bucket_{i}"))
        self.waits = BarChart(self.tr("Average wait per group (minutes; red: 15-minute target)"))
        self.waits.barClicked.connect(self._drill_wait_bar)
        charts = QWidget()
        cl = QHBoxLayout(charts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.buckets)
        cl.addWidget(self.waits)
        q = QSplitter(Qt.Orientation.Vertical)
        q.addWidget(charts)
        q.addWidget(self.queue_table)
        q.setSizes([230, 300])
        self.tabs.addTab(q, self.tr("Queue"))
        # dossiers
        self.dossier_table = _table("dossiers")
        self.dossier_table.cellDoubleClicked.connect(self._drill_dossiers)
        self.late_table = _table("late")
        self.indicators = QLabel()
        self.indicators.setObjectName("indicators")
        self.indicators.setWordWrap(True)
        dw = QWidget()
        dl = QVBoxLayout(dw)
        dl.addWidget(self.indicators)
        dl.addWidget(self.dossier_table, 2)
        self.late_label = QLabel(self.tr("Late dossiers (as the province publishes them)"))
        dl.addWidget(self.late_label)
        dl.addWidget(self.late_table, 2)
        self.tabs.addTab(dw, self.tr("Dossiers"))
        # satisfaction
        self.sat_table = _table("satisfaction")
        self.sat_chart = BarChart(self.tr("Satisfied or very satisfied, per officer (%)"))
        self.sat_chart.colour = GREEN
        sw = QWidget()
        sl = QVBoxLayout(sw)
        sl.addWidget(self.sat_chart, 1)
        sl.addWidget(self.sat_table, 1)
        self.tabs.addTab(sw, self.tr("Satisfaction"))
        # heat map
        self.heat = HeatMapChart()
        hw = QWidget()
        hl = QVBoxLayout(hw)
        hl.addWidget(QLabel(self.tr("Arrivals per weekday and hour (darker: more); average wait in minutes, "
                                    "red above 15")))
        hl.addWidget(self.heat, 1)
        self.tabs.addTab(hw, self.tr("Heat map"))
        # sessions
        self.sessions_table = _table("sessions")
        self.tabs.addTab(self.sessions_table, self.tr("Counter sessions"))

        self.status = QLabel()
        self.status.setObjectName("status")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)
        # the exports share the status line: on one row with the period they made the
        # window wider than a 1366-pixel screen
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for w in (self.xlsx, self.csv, self.pdf):
            bottom.addWidget(w)
        lay.addLayout(bottom)
        self.refresh()

    # --- period --------------------------------------------------------------------------

    @Slot(int)
    def _quick(self, _index: int) -> None:
        key = self.quick.currentData()
        today = now_vn().date()
        if key == "today":
            a, b = today, today
        elif key == "week":
            a, b = today - timedelta(days=today.weekday()), today
        elif key == "month":
            a, b = today.replace(day=1), today
        elif key == "last_month":
            b = today.replace(day=1) - timedelta(days=1)
            a = b.replace(day=1)
        elif key == "year":
            a, b = date(today.year, 1, 1), today
        else:
            return
        self.first.setDate(QDate(a.year, a.month, a.day))
        self.last.setDate(QDate(b.year, b.month, b.day))

    @Slot(int)
    def _changed(self, _index: int) -> None:
        self.refresh()

    def period(self) -> Period:
        a, b = self.first.date(), self.last.date()
        return Period(date(a.year(), a.month(), a.day()), date(b.year(), b.month(), b.day()))

    # --- compute ---------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        if self._task is not None:
            self._again = True
            return
        try:
            period = self.period()
        except Exception as exc:  # a MotcuaError from Period: from after to, or too long
            self.status.setText(str(exc))
            return
        db, actor, cal = self.ctx.db, self.actor, self.ctx.calendar
        by, dby = self.group.currentData(), self.dossier_group.currentData()

        def work(cancel: Any, progress: Any) -> Bundle:
            head = read_stamp(db)
            q = queue_report(db, actor, period, by)
            cancel.raise_if_cancelled()
            d = dossier_report(db, actor, period, dby)
            late = late_table(late_list(db, actor, period, calendar=cal), period.label)
            s = satisfaction_report(db, actor, period)
            h = heatmap(db, actor, period)
            ses = sessions_table(session_report(db, actor, period), period.label)
            return Bundle(period, q, d, late, s, h, ses, head)

        self._task = self.workers.run(work, on_success=self._show, on_failure=self.status.setText, pool_name=Pool.DB,
                                      name="reports")
        self._task.finished.connect(self._done)
        self.progress.show()
        self.compute.setEnabled(False)

    @Slot()
    def _done(self) -> None:
        self._task = None
        self.progress.hide()
        self.compute.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()

    @Slot(object)
    def _show(self, b: Bundle) -> None:
        self.bundle = b
        _fill(self.queue_table, queue_table(b.queue))
        t = b.queue.total
        self.buckets.set_data(t.wait_buckets, [f"{x}'" for x in BUCKET_LABELS])
        self.waits.set_data([(r.wait_avg_s or 0) / 60 for r in b.queue.rows], [r.key for r in b.queue.rows], target=15)
        self.waits.value_format = "{:.1f}"
        _fill(self.dossier_table, dossier_table(b.dossiers))
        _fill(self.late_table, b.late)
        self.late_label.setText(self.tr("Late dossiers (as the province publishes them): %1").replace(
            "%1", str(len(b.late.rows))))
        d = b.dossiers.total

        def pct(v: float | None) -> str:
            return "–" if v is None else f"{100 * v:.1f} %"

        self.indicators.setText(
            self.tr("Received %1 · late %2 (%3) · components digitized %4 · results digitized %5 · signed results %6 "
                    "· reuse %7 · online %8").replace("%1", str(d.received)).replace("%2", str(d.late))
            .replace("%3", pct(d.late_share)).replace("%4", pct(d.component_digitization_share))
            .replace("%5", pct(d.result_digitization_share)).replace("%6", pct(d.signed_result_share))
            .replace("%7", pct(d.reuse_share)).replace("%8", pct(d.online_share)))
        _fill(self.sat_table, satisfaction_table(b.satisfaction))
        self.sat_chart.set_data([100 * (r.satisfied_or_better_share or 0) for r in b.satisfaction.rows],
                                [r.key for r in b.satisfaction.rows])
        self.heat.set_data(b.heat.arrivals, b.heat.wait_avg_s)
        _fill(self.sessions_table, b.sessions)
        avg = "–" if t.wait_avg_s is None else f"{t.wait_avg_s // 60}:{t.wait_avg_s % 60:02d}"
        self.status.setText(self.tr("%1: %2 arrived, %3 served, %4 no-shows; average wait %5; %6 dossiers received.")
                            .replace("%1", b.period.label).replace("%2", str(t.arrived)).replace("%3", str(t.served))
                            .replace("%4", str(t.no_show)).replace("%5", avg).replace("%6", str(d.received)))

    # --- drill-down ------------------------------------------------------------------------

    def _queue_key(self, row: int) -> tuple[str, str]:
        assert self.bundle is not None
        rows = self.bundle.queue.rows
        return (self.bundle.queue.by, rows[row].key) if row < len(rows) else ("total", "*")

    @Slot(int, int)
    def _drill_queue(self, row: int, col: int) -> None:
        if self.bundle is None:
            return
        by, key = self._queue_key(row)
        self._drill_queue_figure(by, key, QUEUE_FIGURES.get(col, "arrived"))

    @Slot(int)
    def _drill_wait_bar(self, i: int) -> None:
        if self.bundle is not None and i < len(self.bundle.queue.rows):
            self._drill_queue_figure(self.bundle.queue.by, self.bundle.queue.rows[i].key, "served")

    def _drill_queue_figure(self, by: str, key: str, figure: str) -> DrillDialog | None:
        if self.bundle is None:
            return None
        db, actor, period = self.ctx.db, self.actor, self.bundle.period
        title = self.tr("Tickets behind “%1” for %2").replace("%1", figure).replace("%2", key)
        dlg = DrillDialog(title, lambda: drill_tickets(db, actor, period, by, key, figure), self,
                          workers=self.workers)
        dlg.show()
        return dlg

    @Slot(int, int)
    def _drill_dossiers(self, row: int, col: int) -> None:
        if self.bundle is None:
            return
        rows = self.bundle.dossiers.rows
        by, key = (self.bundle.dossiers.by, rows[row].key) if row < len(rows) else ("total", "*")
        figure = DOSSIER_FIGURES.get(col, "received")
        db, actor, period, cal = self.ctx.db, self.actor, self.bundle.period, self.ctx.calendar
        title = self.tr("Dossiers behind “%1” for %2").replace("%1", figure).replace("%2", key)
        DrillDialog(title, lambda: drill_dossiers(db, actor, period, by, key, figure, calendar=cal), self,
                    workers=self.workers).show()

    # --- export ----------------------------------------------------------------------------

    def _tables(self) -> list[Table]:
        assert self.bundle is not None
        b = self.bundle
        return [queue_table(b.queue), dossier_table(b.dossiers), b.late, satisfaction_table(b.satisfaction), b.sessions]

    @Slot()
    def export_xlsx(self) -> None:
        if self.bundle is None:
            return
        path = file_dialogs.save_file_name(self, self.tr("Export XLSX"), self.ctx.settings, "bao-cao.xlsx",
                                           "Excel (*.xlsx)")
        if path:
            write_xlsx(self._tables(), Path(path), note=self.bundle.head.line())
            self.status.setText(self.tr("Written: %1").replace("%1", path))

    @Slot()
    def export_csv(self) -> None:
        if self.bundle is None:
            return
        folder = file_dialogs.existing_directory(self, self.tr("Export CSV into a folder"), self.ctx.settings,
                                                 self.ctx.settings.data_dir / "exports")
        if folder:
            for t in self._tables():
                write_csv(t, Path(folder) / f"{t.name}.csv")
            self.status.setText(self.tr("Written: %1").replace("%1", folder))

    @Slot()
    def export_pdf(self) -> None:
        from desktop.reports.monthly_pdf import write_monthly_report
        from desktop.reports.period import month_period

        a = self.first.date()
        period = month_period(a.year(), a.month())
        path = file_dialogs.save_file_name(self, self.tr("Monthly report PDF"), self.ctx.settings,
                                           f"bao-cao-thang-{a.year()}-{a.month():02d}.pdf", "PDF (*.pdf)")
        if not path:
            return
        db, actor, cal, centre = self.ctx.db, self.actor, self.ctx.calendar, self.ctx.settings.unit_code
        self.workers.run(lambda cancel, progress: write_monthly_report(db, actor, period, Path(path), calendar=cal,
                                                                  centre=centre),
                         on_success=lambda p: self.status.setText(self.tr("Written: %1").replace("%1", str(p))),
                         on_failure=self.status.setText, pool_name=Pool.DB, name="monthly pdf")

