"""The daily retention purge of a running window process, in a worker thread.

:class:`RetentionPurge` looks a minute after start and then hourly whether today's purge
(:mod:`desktop.privacy.schedule`) is due and runs it off the UI thread. The application
shell has one (through ``UiServices``), and so has each window that runs as its own
process (kiosk, display board, rating screen): a machine that only runs the kiosk keeps
citizens' data too, and nothing else would ever purge it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Slot

from desktop.context import AppContext
from desktop.kernel.tasks import CancelToken
from desktop.privacy.schedule import purge_due, scheduled_purge
from ui.workers import Task, Workers

log = logging.getLogger(__name__)

#: the first look at the retention purge, after start-up has settled, then every hour
PURGE_FIRST_MS = 60_000
PURGE_EVERY_MS = 3_600_000


class RetentionPurge(QObject):
    def __init__(self, ctx: AppContext, workers: Workers, parent: QObject | None = None, *, first_ms: int | None = None,
                 every_ms: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.workers = workers
        self._task: Task | None = None
        self._closed = False
        self._every_ms = PURGE_EVERY_MS if every_ms is None else every_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._purge_if_due)
        # armed even with no retention period: one set in the Settings screen applies within the hour
        self._timer.start(PURGE_FIRST_MS if first_ms is None else first_ms)

    @Slot()
    def _purge_if_due(self) -> None:
        """Start the purge in a worker when today's has not run (it runs beside the officer's
        work: each dossier is its own short transaction)."""
        self._timer.start(self._every_ms)
        # a period set meanwhile with `motcua config set` (another process) counts from this look
        if self.ctx.settings.reread("retention_days"):
            log.info("retention period now %d days (changed in the settings files)", self.ctx.settings.retention_days)
        if self._closed or self._task is not None or not purge_due(self.ctx.settings):
            return
        ctx = self.ctx

        def run(cancel: CancelToken, _progress: object) -> object:
            return scheduled_purge(ctx.privacy, ctx.settings, cancel=cancel)

        self._task = self.workers.submit(run, name="retention purge")
        self._task.failed.connect(lambda why: log.warning("retention purge failed (tried again in an hour): %s", why))
        self._task.finished.connect(self._finished)

    @Slot()
    def _finished(self) -> None:
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def close(self) -> None:
        """No new purge; one under way is asked to stop (it stops between dossiers)."""
        self._closed = True
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()
