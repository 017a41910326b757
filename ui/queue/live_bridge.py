"""Qt side of the live queue: PostgreSQL notifications become one coalesced signal.

On PostgreSQL a :class:`~desktop.queue.listener.QueueListener` thread receives every queue
change; this adapter hands them to the main thread and emits ``changed`` at most every
``coalesce_ms`` (a busy morning sends bursts). On SQLite there is nothing to listen to,
``live`` is False and screens keep their poll timers at the short interval.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

POLL_MS = 5000  # without notifications
SAFETY_POLL_MS = 60_000  # with notifications: only a safety net


class QueueLive(QObject):
    changed = Signal()
    _arrived = Signal(object)  # from the listener thread, queued to the main thread

    def __init__(self, db: Any, parent: QObject | None = None, coalesce_ms: int = 250) -> None:
        super().__init__(parent)
        from desktop.queue.listener import QueueListener

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(self.changed)
        self._arrived.connect(self._on_event)
        self.events_seen = 0
        self._listener = QueueListener.for_database(db)
        if self._listener is not None:
            self._listener.start(self._arrived.emit)
            if parent is not None:  # a screen closed without stop(): still end the thread
                listener = self._listener
                parent.destroyed.connect(lambda *_: listener.stop())

    @property
    def live(self) -> bool:
        return self._listener is not None

    @property
    def poll_ms(self) -> int:
        """How often a screen should still re-read everything."""
        return SAFETY_POLL_MS if self.live else POLL_MS

    @Slot(object)
    def _on_event(self, event: Any) -> None:
        self.events_seen += 1
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        self._timer.stop()
