"""The floor manager's live dashboard: who waits now per service, the longest wait, counters
open and paused, served today, today's average wait, and the dossiers due today.

Figures come from :func:`desktop.reports.dashboard.dashboard` (a few indexed queries,
under 50 ms on a provincial centre's busiest day), read in the db worker, refreshed when
a queue change is pushed (PostgreSQL) or every few seconds (SQLite).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.reports.dashboard import Dashboard, dashboard
from ui.queue.live_bridge import QueueLive
from ui.reports.charts import BarChart
from ui.workers import Pool, Workers

WAIT_TARGET_S = 15 * 60


def mmss(s: int | None) -> str:
    return "–" if s is None else f"{s // 60}:{s % 60:02d}"


class Tile(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("–")
        self.value.setStyleSheet("font-size: 24pt; font-weight: bold;")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption = QLabel(title)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.value)
        lay.addWidget(caption)

    def set(self, text: str, alarm: bool = False) -> None:
        self.value.setText(text)
        self.value.setStyleSheet("font-size: 24pt; font-weight: bold;" + (" color: #c0392b;" if alarm else ""))


class DashboardView(QWidget):
    def __init__(self, ctx: Any, actor: Any, parent: QWidget | None = None, *, workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor = actor
        self._busy = False
        self.tiles = {
            "waiting": Tile(self.tr("waiting now")), "longest": Tile(self.tr("longest wait")),
            "avg": Tile(self.tr("average wait today")), "served": Tile(self.tr("served today")),
            "counters": Tile(self.tr("counters open / paused")), "due": Tile(self.tr("dossiers due today")),
        }
        grid = QGridLayout()
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, 0, i)
        self.chart = BarChart(self.tr("Waiting now per service (red: longest wait over 15 minutes)"))
        self.chart.setObjectName("waiting-chart")
        self.services = QTableWidget(0, 4)
        self.services.setObjectName("services")
        self.services.setHorizontalHeaderLabels([self.tr("Service"), self.tr("Waiting"), self.tr("Longest wait"),
                                                 self.tr("Served today")])
        self.due = QTableWidget(0, 4)
        self.due.setObjectName("due")
        self.due.setHorizontalHeaderLabels([self.tr("Dossier"), self.tr("Procedure"), self.tr("Officer"),
                                            self.tr("Due at")])
        for t in (self.services, self.due):
            t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            t.verticalHeader().hide()
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setObjectName("message")
        lower = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.chart, 1)
        left.addWidget(self.services, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Dossiers due today, not yet finished")))
        right.addWidget(self.due, 1)
        lower.addLayout(left, 3)
        lower.addLayout(right, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(grid)
        lay.addLayout(lower, 1)
        lay.addWidget(self.message)
        self.live = QueueLive(ctx.db, self)
        self.live.changed.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(max(2000, self.live.poll_ms))
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live.stop()
        self.timer.stop()
        super().closeEvent(event)

    @Slot()
    def refresh(self) -> None:
        if self._busy:
            return
        self._busy = True
        db, actor = self.ctx.db, self.actor
        task = self.workers.run(lambda cancel, progress: dashboard(db, actor), on_success=self._show,
                                on_failure=self.message.setText, pool_name=Pool.DB, name="dashboard")
        task.finished.connect(self._done)

    @Slot()
    def _done(self) -> None:
        self._busy = False

    @Slot(object)
    def _show(self, d: Dashboard) -> None:
        self.tiles["waiting"].set(str(d.waiting_now))
        self.tiles["longest"].set(mmss(d.longest_wait_s), d.longest_wait_s > WAIT_TARGET_S)
        self.tiles["avg"].set(mmss(d.wait_avg_today_s), (d.wait_avg_today_s or 0) > WAIT_TARGET_S)
        self.tiles["served"].set(str(d.served_today))
        self.tiles["counters"].set(f"{d.counters_open} / {d.counters_paused}")
        self.tiles["due"].set(str(d.dossiers_due_today), d.dossiers_due_today > 0)
        self.chart.set_data([s.waiting for s in d.services], [s.code for s in d.services])
        self.services.setRowCount(len(d.services))
        for r, s in enumerate(d.services):
            for c, v in enumerate([f"{s.code} · {s.name}", str(s.waiting), mmss(s.longest_wait_s) if s.waiting else "–",
                                   str(s.served_today)]):
                self.services.setItem(r, c, QTableWidgetItem(v))
        self.due.setRowCount(len(d.due_today))
        for r, x in enumerate(d.due_today):
            for c, v in enumerate([x.code, x.procedure, x.officer, x.due_at]):
                self.due.setItem(r, c, QTableWidgetItem(v))
        self.message.setText(self.tr("Updated %1").replace("%1", d.at[11:19]) +
                             (" · " + self.tr("live") if self.live.live else ""))
