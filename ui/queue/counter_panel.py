"""The counter panel: who waits (with live wait timers), the current ticket and its service timer.

The database is read in the db worker every few seconds; the timers are repainted every
second from the times already loaded, so a second's tick costs no query. Thresholds
follow the province's targets: wait amber at 12 min, red at 15; service red at 30.

The counters offered are those of the database; the workstation's counter is remembered
(:mod:`desktop.queue.workstation`). F7 hands the ticket being served to reception
(``receive_requested``); F9 opens, pauses (with a reason) or resumes the counter's
session and Ctrl+F9 closes it; the paused time runs on screen like the other timers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
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

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.queue import workstation
from desktop.queue.figures import CounterBoard, counter_board
from desktop.queue.models import SessionState, TicketState
from desktop.queue.targets import Level, ServiceTargets
from desktop.queue.views import SessionView, TicketView
from desktop.queue.workstation import CounterChoice
from ui.queue.live_bridge import QueueLive
from ui.queue.pause_dialog import PauseDialog
from ui.queue.priority_labels import priority_label
from ui.workers import Pool, Workers

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
            return (t.number, t.service, priority_label(t.priority), mmss(wait))[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            color = LEVEL_COLORS.get(self.targets.wait_level(wait))
            return QBrush(color) if color is not None else None
        return None


class CounterPanel(QWidget):
    # "receive a dossier for this citizen": the ticket being served (id, number)
    receive_requested = Signal(int, str)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *, workers: Workers,
                 live: QueueLive | None = None) -> None:
        """``live``: the application's shared queue notifications; without it the panel listens itself."""
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor = actor
        self.board: CounterBoard | None = None
        self.pause_dialog: PauseDialog | None = None
        self.counter = QComboBox()
        self.counter.setObjectName("counter")
        self.counter.activated.connect(self._counter_chosen)  # the officer's choice, not the initial fill
        self.session_label = QLabel()
        self.session_label.setObjectName("session")
        self.session_label.setStyleSheet("font-size: 13pt;")
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
        self.keys: dict[str, str] = {}
        grid = QGridLayout()
        actions = (("call", self.tr("Call next"), "F2"), ("start", self.tr("Start"), "F3"),
                   ("end", self.tr("End"), "F4"), ("skip", self.tr("Not present"), "F5"),
                   ("recall", self.tr("Recall no-show"), "F6"),
                   ("receive", self.tr("Receive a dossier for this citizen"), "F7"))
        for i, (key, text, shortcut) in enumerate(actions):
            grid.addWidget(self._button(key, text, shortcut), i // 3, i % 3)
        top = QHBoxLayout()
        top.addWidget(self.counter)
        top.addWidget(self.session_label, 1)
        top.addWidget(self._button("session", self.tr("Pause"), "F9"))
        top.addWidget(self._button("close", self.tr("Close session"), "Ctrl+F9"))
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
        self._show_board_state()
        db = ctx.db
        self._submit(lambda: workstation.counters(db), self._counters)

    def _button(self, key: str, text: str, shortcut: str) -> QPushButton:
        b = QPushButton()
        self.buttons[key] = b
        b.setObjectName(f"action-{key}")
        b.setMinimumHeight(44)
        self.keys[key] = shortcut
        self._label(key, text)
        b.clicked.connect(lambda _=False, k=key: self.act(k))
        QShortcut(QKeySequence(shortcut), self).activated.connect(lambda k=key: self.act(k))
        return b

    def _label(self, key: str, text: str) -> None:
        self.buttons[key].setText(f"{text}  [{self.keys[key]}]")

    @Slot(object)
    def _counters(self, choices: list[CounterChoice]) -> None:
        self.counter.clear()
        for c in choices:
            self.counter.addItem(c.name or self.tr("Counter %1").replace("%1", str(c.number)), c.number)
        if not choices:
            self._failed(self.tr("No counter is set up in the database yet; ask a supervisor to add the counters."))
            self._show_board_state()
            return
        mine = workstation.remembered(self.ctx.settings, choices)
        if mine is not None:
            self.counter.setCurrentIndex(self.counter.findData(mine.number))
        self.refresh()

    @Slot(int)
    def _counter_chosen(self, _index: int) -> None:
        n = self.counter_number()
        if n is None:
            return
        self.board = None
        self._show_board_state()
        db, audit, settings, actor = self.ctx.db, self.ctx.audit, self.ctx.settings, self.actor
        self._submit(lambda: workstation.remember(db, audit, settings, actor, n), lambda _path: None)
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

    def counter_number(self) -> int | None:
        data = self.counter.currentData()
        return None if data is None else int(data)

    def _submit(self, fn, on_success) -> None:
        self.workers.run(lambda cancel, progress: fn(), on_success=on_success, on_failure=self._failed, pool_name=Pool.DB,
                         name="counter")

    @Slot()
    def refresh(self) -> None:
        desk, n = self.ctx.queue, self.counter_number()
        if n is None:  # the counters are not loaded yet (or none exists)
            return
        self._submit(lambda: counter_board(desk, n), self._show)

    @Slot(object)
    def _show(self, board: CounterBoard) -> None:
        if board.counter != self.counter_number():
            return  # a read for the counter chosen before: the next one is on its way
        self.board = board
        self.model.set_rows(board.waiting)
        self.current.setText(board.current.number if board.current else "—")
        self._show_board_state()
        self.tick()

    def serving(self) -> TicketView | None:
        """The ticket being served here (started, not merely called), as last read."""
        b = self.board
        return b.current if b is not None and b.current is not None and b.current.state == TicketState.SERVING else None

    def _show_board_state(self) -> None:
        """Which actions make sense now: F7 needs a ticket being served; F9 says what it will do."""
        b = self.board
        state = b.session.state if b is not None else None
        self.buttons["receive"].setEnabled(self.serving() is not None)
        self._label("session", self.tr("Resume") if state == SessionState.PAUSED
                    else self.tr("Pause") if state == SessionState.OPEN else self.tr("Open session"))
        self.buttons["session"].setEnabled(b is not None)
        self.buttons["close"].setEnabled(state in (SessionState.OPEN, SessionState.PAUSED))
        for key in ("call", "start", "end", "skip", "recall"):
            self.buttons[key].setEnabled(b is not None)

    @Slot()
    def tick(self) -> None:
        now = utcnow()
        self.model.tick(now)
        b = self.board
        self._tick_session(now)
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

    def _tick_session(self, now: datetime) -> None:
        b = self.board
        s = b.session if b is not None else None
        if s is None or s.state == SessionState.CLOSED or s.since is None:
            self.session_label.setText(self.tr("No open session") if b is not None else "")
            self.session_label.setStyleSheet("font-size: 13pt;")
        elif s.state == SessionState.PAUSED:
            self.session_label.setText(self.tr("Paused %1 — %2").replace("%1", mmss((now - s.since).total_seconds()))
                                       .replace("%2", s.reason))
            self.session_label.setStyleSheet("font-size: 13pt; color: #b00020; font-weight: 700;")
        else:
            self.session_label.setText(self.tr("Session open since %1").replace("%1", f"{to_vn(s.since):%H:%M}"))
            self.session_label.setStyleSheet("font-size: 13pt;")

    def act(self, key: str) -> None:
        desk, actor, n = self.ctx.queue, self.actor, self.counter_number()
        if n is None or self.board is None:
            return  # nothing loaded yet: the buttons are disabled, the keys do nothing either
        if key == "receive":
            self._receive()
            return
        if key == "session" and self.board.session.state == SessionState.OPEN:
            if self.board.current is not None:  # the core refuses it too; say so before asking why
                self._failed(self.tr("End or skip ticket %1 before pausing the counter.")
                             .replace("%1", self.board.current.number))
                return
            self._ask_pause_reason()
            return
        fn: Callable[[], TicketView | SessionView | None]
        if key == "call":
            fn = lambda: desk.call_next(actor, n)  # noqa: E731
        elif key == "start":
            fn = lambda: desk.start(actor, n)  # noqa: E731
        elif key == "end":
            fn = lambda: desk.end(actor, n)  # noqa: E731
        elif key == "skip":
            fn = lambda: desk.skip(actor, n)  # noqa: E731
        elif key == "session" and self.board.session.state == SessionState.PAUSED:
            fn = lambda: desk.resume_session(actor, n)  # noqa: E731
        elif key == "session":
            fn = lambda: desk.open_session(actor, n)  # noqa: E731
        elif key == "close":
            fn = lambda: desk.close_session(actor, n)  # noqa: E731
        else:
            fn = lambda: desk.recall_last(actor, n)  # noqa: E731
        self.message.clear()
        self._submit(fn, self._acted)

    def _receive(self) -> None:
        ticket = self.serving()
        if ticket is None:
            self._failed(self.tr("Start serving the ticket first (F3), then receive its dossier (F7)."))
            return
        self.message.clear()
        self.receive_requested.emit(ticket.id, ticket.number)

    def _ask_pause_reason(self) -> None:
        dlg = PauseDialog(self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._pause(dlg.reason()))
        dlg.finished.connect(lambda _r: setattr(self, "pause_dialog", None))
        self.pause_dialog = dlg
        dlg.open()  # no nested event loop: the panel's timers keep running

    def _pause(self, reason: str) -> None:
        desk, actor, n = self.ctx.queue, self.actor, self.counter_number()
        if n is None:
            return
        self.message.clear()
        self._submit(lambda: desk.pause_session(actor, n, reason), self._acted)

    @Slot(object)
    def _acted(self, result: TicketView | SessionView | None) -> None:
        if result is None:
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Nobody is waiting for this counter."))
        self.refresh()
