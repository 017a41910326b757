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

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.backups import BackupOutcome, BackupState, scheduled_backup, server_note
from desktop.context import AppContext
from desktop.kernel.tasks import CancelToken
from ui.workers import Task, Workers

log = logging.getLogger(__name__)

#: the first look, after start-up (and the retention purge's first look) has settled, then hourly
BACKUP_FIRST_MS = 90_000
BACKUP_EVERY_MS = 3_600_000


class BackupSchedule(QObject):
    #: a BackupOutcome, on the UI thread
    changed = Signal(object)

    def __init__(self, ctx: AppContext, workers: Workers, parent: QObject | None = None, *, first_ms: int | None = None,
                 every_ms: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.workers = workers
        self.current: BackupOutcome | None = None
        self._task: Task | None = None
        self._closed = False
        self._failure = ""  # the reason already logged
        self._every_ms = BACKUP_EVERY_MS if every_ms is None else every_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._backup_if_due)
        # from the settings: ``ctx.db`` may not be open yet, and opening it is no UI-thread work
        if not ctx.settings.resolved_db_url().startswith("sqlite"):  # the centre's server: its pg_dump
            self.current = BackupOutcome(BackupState.SERVER, detail=server_note())
            return
        self._timer.start(BACKUP_FIRST_MS if first_ms is None else first_ms)

    @Slot()
    def _backup_if_due(self) -> None:
        self._timer.start(self._every_ms)
        # a number of days set meanwhile with `motcua config set` (another process) prunes from now on
        self.ctx.settings.reread("backup_keep_days")
        if self._closed or self._task is not None:
            return
        ctx = self.ctx

        def run(_cancel: CancelToken, _progress: object) -> BackupOutcome:
            return scheduled_backup(ctx.settings, ctx.db)

        self._task = self.workers.submit(run, name="daily backup")
        self._task.succeeded.connect(self._arrived)
        # scheduled_backup returns its failures; this is a bug's (already logged by the worker)
        self._task.failed.connect(self._crashed)
        self._task.finished.connect(self._finished)

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

    @Slot()
    def _finished(self) -> None:
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def close(self) -> None:
        """No new backup; one under way finishes (a half-made copy is never named as a backup)."""
        self._closed = True
        self._timer.stop()
