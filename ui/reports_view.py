"""Supervisor reports: per-officer indicators for a month, computed in a worker."""

from __future__ import annotations

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import AppContext
from desktop.auth import Actor
from desktop.reports import PeriodReport, dossier_indicators, month_bounds
from ui import workers


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f} %"


class ReportsView(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self._task: workers.Task | None = None
        self.month = QDateEdit(QDate.currentDate())
        self.month.setDisplayFormat("MM/yyyy")
        self.refresh_button = QPushButton(self.tr("Compute"))
        self.refresh_button.clicked.connect(self.refresh)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([
            self.tr("Officer"), self.tr("Received"), self.tr("Late"), self.tr("Components digitized"),
            self.tr("Results digitized"), self.tr("Signed results"), self.tr("Online"),
        ])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Month")))
        top.addWidget(self.month)
        top.addWidget(self.refresh_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.progress, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self._task is not None:
            return
        d = self.month.date()
        start, end = month_bounds(d.year(), d.month())
        db, actor = self.ctx.db, self.actor
        self._task = workers.submit(
            lambda cancel, progress: dossier_indicators(db, actor, start, end, cancel=cancel, progress=progress),
            pool_name="db", name="report")
        self._task.succeeded.connect(self._show)
        self._task.failed.connect(self.status.setText)
        self._task.cancelled.connect(lambda: self.status.setText(self.tr("Cancelled.")))
        self._task.finished.connect(self._done)
        self.progress.show()
        self.refresh_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @Slot()
    def _done(self) -> None:
        self._task = None
        self.progress.hide()
        self.refresh_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    @Slot(object)
    def _show(self, report: PeriodReport) -> None:
        rows = [*report.officers, report.total]
        self.table.setRowCount(len(rows))
        for r, o in enumerate(rows):
            name = self.tr("All officers") if o is report.total else o.officer
            values = [name, str(o.received), f"{o.late} ({_pct(o.late_rate)})",
                      f"{o.components_digitized}/{o.components_to_digitize} ({_pct(o.digitization_rate)})",
                      f"{o.results_digitized}/{o.results} ({_pct(o.result_digitization_rate)})",
                      str(o.results_signed), str(o.online)]
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.status.setText(self.tr("%n dossier(s) received in the month.", "", report.total.received))
