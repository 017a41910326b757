"""Queue overview for the floor manager: every service and every counter of the centre now.

Per service: waiting, longest wait (amber/red at the province's thresholds), served today,
average wait and service time. Per counter: session state (open, paused with its reason,
closed), officer, served today, busy and idle time. Figures come from the core
(``QueueDesk.status`` and ``counter_figures``), read in the db worker, refreshed when a
queue change is pushed (PostgreSQL) or every few seconds (SQLite).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QBrush, QCloseEvent, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.queue.targets import Level, ServiceTargets
from ui.queue.counter_panel import AMBER, LEVEL_COLORS, mmss
from ui.queue.live_bridge import QueueLive
from ui.workers import Pool, Workers


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    if align_right:
        it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return it


class QueueOverview(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor | None = None, parent: QWidget | None = None, *, workers: Workers,
                 live: QueueLive | None = None) -> None:
        """``live``: the application's shared queue notifications; without it the screen listens itself."""
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.targets = ServiceTargets.from_settings(ctx.settings.extra)
        self.actor = actor
        self._busy = False
        self._again = False
        self.services = QTableWidget(0, 7)
        self.services.setObjectName("services")
        self.services.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Service"), self.tr("Waiting"), self.tr("Longest wait"), self.tr("Served today"),
            self.tr("Average wait"), self.tr("Average service")])
        self.counters = QTableWidget(0, 7)
        self.counters.setObjectName("counters")
        self.counters.setHorizontalHeaderLabels([
            self.tr("Counter"), self.tr("State"), self.tr("Officer"), self.tr("Served"), self.tr("Busy"),
            self.tr("Idle"), self.tr("Paused")])
        for table in (self.services, self.counters):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet("font-size: 13pt;")
        self.message = QLabel()
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(QLabel(self.tr("Services")))
        lay.addWidget(self.services, 1)
        lay.addWidget(QLabel(self.tr("Counters")))
        lay.addWidget(self.counters, 1)
        lay.addWidget(self.message)
        self._own_live = live is None
        self.live = live if live is not None else QueueLive(ctx.db, self)
        self.live.changed.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(self.live.poll_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._own_live:
            self.live.stop()
        self.timer.stop()
        super().closeEvent(event)

    @Slot()
    def refresh(self) -> None:
        if self._busy:
            self._again = True
            return
        self._busy = True
        desk = self.ctx.queue
        task = self.workers.submit(lambda cancel, progress: (desk.status(), desk.counter_figures()), pool_name=Pool.DB,
                                   name="queue overview")
        task.succeeded.connect(self._show)
        task.failed.connect(self.message.setText)
        task.finished.connect(self._done)

    @Slot()
    def _done(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()

    @Slot(object)
    def _show(self, result: tuple[list[Any], list[Any]]) -> None:
        services, counters = result
        self.services.setRowCount(len(services))
        for r, s in enumerate(services):
            cells = [_item(s.code), _item(s.name), _item(str(s.waiting), True),
                     _item(mmss(s.longest_wait_s) if s.waiting else "—", True), _item(str(s.served_today), True),
                     _item(mmss(s.avg_wait_s) if s.avg_wait_s is not None else "—", True),
                     _item(mmss(s.avg_service_s) if s.avg_service_s is not None else "—", True)]
            level = self.targets.wait_level(s.longest_wait_s) if s.waiting else Level.OK
            if level in LEVEL_COLORS:
                cells[3].setBackground(QBrush(LEVEL_COLORS[level]))
            for c, it in enumerate(cells):
                self.services.setItem(r, c, it)
        states = {"open": self.tr("open"), "paused": self.tr("paused"), "closed": self.tr("closed")}
        self.counters.setRowCount(len(counters))
        for r, c in enumerate(counters):
            cells = [_item(f"{c.counter} · {c.name}"), _item(states.get(c.state, c.state)), _item(c.officer or "—"),
                     _item(str(c.served), True), _item(mmss(c.busy_s), True), _item(mmss(c.idle_s), True),
                     _item(mmss(c.paused_s), True)]
            if c.state == "paused":
                cells[1].setBackground(QBrush(AMBER))
            elif c.state == "closed":
                cells[1].setForeground(QBrush(QColor("#777777")))
            for col, it in enumerate(cells):
                self.counters.setItem(r, col, it)
        waiting = sum(s.waiting for s in services)
        longest = max((s.longest_wait_s for s in services if s.waiting), default=0)
        open_counters = sum(1 for c in counters if c.state == "open")
        text = self.tr("%1 waiting, longest %2; %3 of %4 counters open").replace("%1", str(waiting))
        text = text.replace("%2", mmss(longest)).replace("%3", str(open_counters)).replace("%4", str(len(counters)))
        self.summary.setText(text + (" · " + self.tr("live") if self.live.live else ""))
