"""The counter panel: who waits (with live wait timers), the current ticket and its service timer.

The database is read in the db worker every few seconds; the timers are repainted every
second from the times already loaded, so a second's tick costs no query. Thresholds
follow the province's targets: wait amber at 12 min, red at 15; service red at 30.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.app import AppContext
from desktop.auth import Actor
from desktop.kernel.timeutil import utcnow
from desktop.queue.service import CounterBoard, TicketView, counter_board
from desktop.queue.targets import Level, ServiceTargets
from ui import workers
from ui.queue.live import QueueLive

AMBER, RED = QColor("#ffe0a3"), QColor("#ffb3b3")
LEVEL_COLORS = {Level.WARN: AMBER, Level.LATE: RED}
REFRESH_MS = 3000


def mmss(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60:02d}:{s % 60:02d}" if s < 3600 else f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class WaitingModel(QAbstractTableModel):
    """Waiting tickets (plain views from the core) with their wait computed at paint time."""

    def __init__(self, parent: QWidget | None = None, targets: ServiceTargets | None = None) -> None:
        super().__init__(parent)
        self.targets = targets or ServiceTargets()
        self.rows: list[TicketView] = []
        self.now: datetime = utcnow()
        self.headers = [self.tr("Ticket"), self.tr("Service"), self.tr("Priority"), self.tr("Waiting")]

    def set_rows(self, rows: list[TicketView]) -> None:
        if [r.id for r in rows] == [r.id for r in self.rows]:
            # the same tickets in the same order (most re-reads): no reset, no relayout
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, 3))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def tick(self, now: datetime) -> None:
        self.now = now
        if self.rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.rows) - 1, 3))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        t = self.rows[index.row()]
        wait = (self.now - t.issued_at).total_seconds()
        if role == Qt.ItemDataRole.DisplayRole:
            return (t.number, t.service, PRIORITY_LABELS.get(t.priority, t.priority), mmss(wait))[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            color = LEVEL_COLORS.get(self.targets.wait_level(wait))
            return QBrush(color) if color is not None else None
        return None


PRIORITY_LABELS: dict[str, str] = {}


class CounterPanel(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *,
                 live: QueueLive | None = None) -> None:
        """``live``: the application's shared queue notifications; without it the panel listens itself."""
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.board: CounterBoard | None = None
        PRIORITY_LABELS.update({"walk_in": self.tr("walk-in"), "elderly": self.tr("elderly"),
                                "disability": self.tr("disability"), "pregnant": self.tr("pregnant"),
                                "appointment": self.tr("appointment")})
        self.counter = QComboBox()
        for n in range(1, 21):
            self.counter.addItem(self.tr("Counter %1").replace("%1", str(n)), n)
        self.counter.currentIndexChanged.connect(self.refresh)
        self.current = QLabel("—")
        self.current.setObjectName("current")
        self.current.setStyleSheet("font-size: 40pt; font-weight: 700;")
        self.service_timer = QLabel("")
        self.service_timer.setObjectName("serviceTimer")
        self.service_timer.setStyleSheet("font-size: 20pt;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.targets = ServiceTargets.from_settings(ctx.settings.extra)
        self.model = WaitingModel(self, self.targets)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        actions = (("call", self.tr("Call next"), "F2"), ("start", self.tr("Start"), "F3"),
                   ("end", self.tr("End"), "F4"), ("skip", self.tr("Not present"), "F5"),
                   ("recall", self.tr("Recall no-show"), "F6"))
        for i, (key, text, shortcut) in enumerate(actions):
            b = QPushButton(f"{text}  [{shortcut}]")
            b.setMinimumHeight(44)
            b.clicked.connect(lambda _=False, k=key: self.act(k))
            QShortcut(QKeySequence(shortcut), self).activated.connect(lambda k=key: self.act(k))
            self.buttons[key] = b
            grid.addWidget(b, i // 3, i % 3)
        top = QHBoxLayout()
        top.addWidget(self.counter)
        top.addStretch(1)
        now_box = QVBoxLayout()
        now_box.addWidget(QLabel(self.tr("Now serving")))
        now_box.addWidget(self.current)
        now_box.addWidget(self.service_timer)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(now_box)
        lay.addLayout(grid)
        lay.addWidget(self.message)
        lay.addWidget(QLabel(self.tr("Waiting for this counter")))
        lay.addWidget(self.table, 1)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self.tick)
        self.tick_timer.start()
        self._own_live = live is None
        self.live = live if live is not None else QueueLive(ctx.db, self)  # pushed on PostgreSQL, else polled
        self.live.changed.connect(self.refresh)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(self.live.poll_ms if self.live.live else REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self.refresh_timer.start()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        # the clock and the re-reads run only while the panel is on screen
        if not self.tick_timer.isActive():
            self.tick_timer.start()
            self.refresh_timer.start()
            self.refresh()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.tick_timer.stop()
        self.refresh_timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.tick_timer.stop()
        self.refresh_timer.stop()
        if self._own_live:
            self.live.stop()
        super().closeEvent(event)

    def counter_number(self) -> int:
        return int(self.counter.currentData())

    def _submit(self, fn, on_success) -> None:
        workers.run(lambda cancel, progress: fn(), on_success=on_success, on_failure=self._failed, pool_name=workers.Pool.DB,
                    name="counter")

    @Slot()
    def refresh(self) -> None:
        desk, n = self.ctx.queue, self.counter_number()
        self._submit(lambda: counter_board(desk, n), self._show)

    @Slot(object)
    def _show(self, board: CounterBoard) -> None:
        self.board = board
        self.model.set_rows(board.waiting)
        self.current.setText(board.current.number if board.current else "—")
        self.tick()

    @Slot()
    def tick(self) -> None:
        now = utcnow()
        self.model.tick(now)
        b = self.board
        if b is None or b.current is None or b.current_since is None:
            self.service_timer.setText("")
            self.service_timer.setStyleSheet("font-size: 20pt;")
            return
        secs = (now - b.current_since).total_seconds()
        self.service_timer.setText(self.tr("Service time %1").replace("%1", mmss(secs)))
        self.service_timer.setStyleSheet("font-size: 20pt;" + (" color: #b00020; font-weight: 700;"
                                                                if self.targets.service_level(secs) == Level.LATE
                                                                else ""))

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(message)

    def act(self, key: str) -> None:
        desk, actor, n = self.ctx.queue, self.actor, self.counter_number()
        if key == "call":
            fn = lambda: desk.call_next(actor, n)  # noqa: E731
        elif key == "start":
            fn = lambda: desk.start(actor, n)  # noqa: E731
        elif key == "end":
            fn = lambda: desk.end(actor, n)  # noqa: E731
        elif key == "skip":
            fn = lambda: desk.skip(actor, n)  # noqa: E731
        else:
            fn = lambda: desk.recall_last(actor, n)  # noqa: E731
        self.message.clear()
        self._submit(fn, self._acted)

    @Slot(object)
    def _acted(self, ticket: TicketView | None) -> None:
        if ticket is None:
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Nobody is waiting for this counter."))
        self.refresh()
