"""The display board: the numbers being called, per counter, large; each new call is spoken.

Runs as its own process (``motcua display-board``). On PostgreSQL a call reaches it by
LISTEN/NOTIFY within a fraction of a second (see :mod:`ui.queue.live_bridge`); on SQLite it
reads the newest calls every two seconds in the db worker.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.queue.announce import announcement, speak
from ui.queue.live_bridge import QueueLive
from ui.workers import Pool, Workers

POLL_MS = 2000


class DisplayBoard(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, workers: Workers, voice: bool = True) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.voice = voice
        self.last_event = -1
        self.spoken: list[str] = []
        self._busy = False
        self._again = False
        self.setWindowTitle(self.tr("Display board"))
        self.setStyleSheet("background: #0d2a4a; color: white;")
        head = QLabel(self.tr("NOW CALLING"))
        head.setAlignment(Qt.AlignmentFlag.AlignCenter)
        head.setStyleSheet("font-size: 30pt; font-weight: 700; color: #ffd54f;")
        self.latest = QLabel("—")
        self.latest.setObjectName("latest")
        self.latest.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.latest.setStyleSheet("font-size: 72pt; font-weight: 800;")
        self.grid = QGridLayout()
        self.rows: list[tuple[QLabel, QLabel]] = []
        for i in range(6):
            number, counter = QLabel(""), QLabel("")
            for lab in (number, counter):
                lab.setStyleSheet("font-size: 34pt;")
            self.grid.addWidget(number, i, 0)
            self.grid.addWidget(counter, i, 1)
            self.rows.append((number, counter))
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.latest)
        lay.addLayout(self.grid, 1)
        self.live = QueueLive(ctx.db, self)
        self.live.changed.connect(self.poll)
        self.timer = QTimer(self, interval=POLL_MS if not self.live.live else self.live.poll_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.poll()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live.stop()
        self.timer.stop()
        super().closeEvent(event)

    @Slot()
    def poll(self) -> None:
        if self._busy:
            self._again = True
            return
        self._busy = True
        desk = self.ctx.queue
        task = self.workers.submit(lambda cancel, progress: desk.recent_calls(len(self.rows) + 1), pool_name=Pool.DB,
                                   name="board")
        task.succeeded.connect(self._show)
        task.finished.connect(self._done)

    @Slot()
    def _done(self) -> None:
        self._busy = False
        if self._again:  # a change came in while reading: read once more
            self._again = False
            self.poll()

    @Slot(object)
    def _show(self, calls: list[tuple[int, str, int, datetime]]) -> None:
        if not calls:
            return
        newest_id, number, counter, _ = calls[0]
        self.latest.setText(self.tr("%1 → counter %2").replace("%1", number).replace("%2", str(counter)))
        for (num_label, counter_label), call in zip(self.rows, calls[1:] + [None] * len(self.rows), strict=False):
            num_label.setText(call[1] if call else "")
            counter_label.setText(self.tr("Counter %1").replace("%1", str(call[2])) if call else "")
        new = [c for c in reversed(calls) if c[0] > self.last_event] if self.last_event >= 0 else [calls[0]]
        self.last_event = newest_id
        for _, n, c, _ in new:
            text = announcement(n, c)
            self.spoken.append(text)
            if self.voice:
                speak(text)
