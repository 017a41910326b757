"""The daily retention purge of a running window process, in a worker thread.

:class:`RetentionPurge` looks a minute after start and then hourly whether today's purge
(:mod:`desktop.privacy.schedule`) is due and runs it off the UI thread. The application
shell has one (through ``UiServices``), and so has each window that runs as its own
process (kiosk, display board, rating screen): a machine that only runs the kiosk keeps
citizens' data too, and nothing else would ever purge it. The hourly timer is
:class:`ui.hourly.HourlyLook`'s, shared with the daily backup.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from desktop.context import AppContext
from desktop.kernel.tasks import CancelToken
from desktop.privacy.schedule import purge_due, scheduled_purge
from ui.hourly import HourlyLook
from ui.workers import Task, Workers

log = logging.getLogger(__name__)

#: the first look at the retention purge, after start-up has settled, then every hour
PURGE_FIRST_MS = 60_000
PURGE_EVERY_MS = 3_600_000


class RetentionPurge(HourlyLook):
    cancel_on_close = True  # a purge under way stops between two dossiers

    def __init__(self, ctx: AppContext, workers: Workers, parent: QObject | None = None, *, first_ms: int | None = None,
                 every_ms: int | None = None) -> None:
        super().__init__(workers, parent, every_ms=PURGE_EVERY_MS if every_ms is None else every_ms)
        self.ctx = ctx
        # armed even with no retention period: one set in the Settings screen applies within the hour
        self._arm(PURGE_FIRST_MS if first_ms is None else first_ms)

    def _before_look(self) -> None:
        # a period set meanwhile with `motcua config set` (another process) counts from this look
        if self.ctx.settings.reread("retention_days"):
            log.info("retention period now %d days (changed in the settings files)", self.ctx.settings.retention_days)

    def _start(self) -> Task | None:
        """Start the purge in a worker when today's has not run (it runs beside the officer's
        work: each dossier is its own short transaction)."""
        if not purge_due(self.ctx.settings):
            return None
        ctx = self.ctx

        def run(cancel: CancelToken, _progress: object) -> object:
            return scheduled_purge(ctx.privacy, ctx.settings, cancel=cancel)

        task = self.workers.submit(run, name="retention purge")
        task.failed.connect(lambda why: log.warning("retention purge failed (tried again in an hour): %s", why))
        return task
