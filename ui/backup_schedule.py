"""The daily backup of a running window process, in a worker thread (issue 14).

A counter PC runs the application all day and is rarely restarted: :class:`BackupSchedule`
looks shortly after start and then every hour whether today's backup is due
(:func:`desktop.backups.scheduled_backup`) and makes it on a worker thread, never on the UI
thread (a copy of a large database takes seconds). The outcome comes back as
``changed(BackupOutcome)`` for the status bar; a failure is logged once per reason and
shown there until a backup succeeds, never raised. A centre's PostgreSQL is the
administrator's to back up: nothing is armed, and the outcome says so.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from desktop.backups import BackupOutcome, BackupState, scheduled_backup, server_note
from desktop.context import AppContext
from desktop.kernel.tasks import CancelToken
from ui.hourly import HourlyLook
from ui.workers import Task, Workers

log = logging.getLogger(__name__)

#: the first look, after start-up (and the retention purge's first look) has settled, then hourly
BACKUP_FIRST_MS = 90_000
BACKUP_EVERY_MS = 3_600_000


class BackupSchedule(HourlyLook):
    #: a BackupOutcome, on the UI thread
    changed = Signal(object)
    # close(): a backup under way finishes (a half-made copy is never named as a backup)
    cancel_on_close = False

    def __init__(self, ctx: AppContext, workers: Workers, parent: QObject | None = None, *, first_ms: int | None = None,
                 every_ms: int | None = None) -> None:
        super().__init__(workers, parent, every_ms=BACKUP_EVERY_MS if every_ms is None else every_ms)
        self.ctx = ctx
        self.current: BackupOutcome | None = None
        self._failure = ""  # the reason already logged
        # from the settings: ``ctx.db`` may not be open yet, and opening it is no UI-thread work
        if not ctx.settings.resolved_db_url().startswith("sqlite"):  # the centre's server: its pg_dump
            self.current = BackupOutcome(BackupState.SERVER, detail=server_note())
            return
        self._arm(BACKUP_FIRST_MS if first_ms is None else first_ms)

    def _before_look(self) -> None:
        # a number of days set meanwhile with `motcua config set` (another process) prunes from now on
        self.ctx.settings.reread("backup_keep_days")

    def _start(self) -> Task:
        ctx = self.ctx

        def run(_cancel: CancelToken, _progress: object) -> BackupOutcome:
            return scheduled_backup(ctx.settings, ctx.db)

        task = self.workers.submit(run, name="daily backup")
        task.succeeded.connect(self._arrived)
        # scheduled_backup returns its failures; this is a bug's (already logged by the worker)
        task.failed.connect(self._crashed)
        return task

    @Slot(object)
    def _arrived(self, outcome: BackupOutcome) -> None:
        if outcome.state == BackupState.FAILED:
            if outcome.detail != self._failure:
                log.warning("daily backup failed (tried again in an hour): %s", outcome.detail)
            self._failure = outcome.detail
        else:
            if self._failure:
                log.info("daily backup works again: %s", outcome.path)
            self._failure = ""
        self.current = outcome
        self.changed.emit(outcome)

    @Slot(str)
    def _crashed(self, why: str) -> None:
        self._arrived(BackupOutcome(BackupState.FAILED, detail=why))
