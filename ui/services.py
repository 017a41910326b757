"""What the screens share, built once by the application shell and closed by it.

:class:`UiServices` holds the application context and the Qt adapters every screen
uses, so no screen makes its own copy: one token monitor (PC/SC watcher thread), one
queue-notification connection (a PostgreSQL LISTEN; ``None`` on SQLite), the
background uploader's status as a signal, the daily retention purge
(:class:`ui.retention.RetentionPurge`), the daily backup (:class:`ui.backup_schedule.BackupSchedule`)
and the worker pools (:class:`ui.workers.Workers`). Views take from it only what they use, through
their constructors (see ``ui/navigation.py``); nothing here is a module global.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop.context import AppContext
from desktop.outbox.uploader import Uploader, UploaderState, UploaderStatus
from ui.backup_schedule import BackupSchedule
from ui.queue.live_bridge import QueueLive
from ui.retention import RetentionPurge
from ui.token_monitor import TokenMonitor
from ui.workers import Workers

log = logging.getLogger(__name__)


class UploadStatus(QObject):
    """The background uploader as seen from the UI thread: ``changed(UploaderStatus)``.

    The uploader calls its listeners on its own thread; the private signal's queued
    connection brings each status to the main thread before anything is drawn."""

    changed = Signal(object)
    _posted = Signal(object)

    def __init__(self, uploader: Uploader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.uploader = uploader
        self.current: UploaderStatus = uploader.status()
        self._posted.connect(self._arrived, Qt.ConnectionType.QueuedConnection)
        uploader.add_listener(self._posted.emit)

    @Slot(object)
    def _arrived(self, status: UploaderStatus) -> None:
        self.current = status
        self.changed.emit(status)

    def send_now(self) -> None:
        """Make backed-off jobs due and wake the uploader (the officer's "send now")."""
        self.uploader.outbox.hurry()
        self.uploader.wake()


class UiServices(QObject):
    def __init__(self, ctx: AppContext, *, start_uploader: bool = True, parent: QObject | None = None,
                 purge_first_ms: int | None = None, purge_every_ms: int | None = None,
                 backup_first_ms: int | None = None, backup_every_ms: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.workers = Workers()
        self.uploads = UploadStatus(ctx.uploader, self)
        self._token_monitor: TokenMonitor | None = None
        self._queue_live: QueueLive | None = None
        self._closed = False
        if start_uploader:
            ctx.uploader.start()
        self.retention = RetentionPurge(ctx, self.workers, self, first_ms=purge_first_ms, every_ms=purge_every_ms)
        self.backups = BackupSchedule(ctx, self.workers, self, first_ms=backup_first_ms, every_ms=backup_every_ms)

    @property
    def purge_running(self) -> bool:
        return self.retention.running

    @property
    def token_monitor(self) -> TokenMonitor:
        """The PC/SC reader watcher, started on first use."""
        if self._token_monitor is None:
            self._token_monitor = TokenMonitor(self)
            self._token_monitor.start()
        return self._token_monitor

    @property
    def queue_live(self) -> QueueLive:
        """Queue changes pushed by PostgreSQL, one connection for every queue screen."""
        if self._queue_live is None:
            self._queue_live = QueueLive(self.ctx.db, self)
        return self._queue_live

    def close(self) -> None:
        """Stop what runs beside the screens: uploads (after the job being sent), watchers,
        then the worker pools.

        The pools go last: the purge and the backup are told first to start nothing new, and
        no worker task waits for the uploader, the queue connection or the reader watcher,
        while the uploader's thread never waits for a worker; a task still running is
        cancelled and waited for here, after which new work is refused."""
        if self._closed:
            return
        self._closed = True
        self.retention.close()  # a purge under way stops between two dossiers; the rest waits
        self.backups.close()
        if not self.ctx.uploader.stop():
            log.warning("uploader still sending at exit; its job keeps its lease and is sent next time")
        if self._queue_live is not None:
            self._queue_live.stop()
        if self._token_monitor is not None:
            self._token_monitor.stop()
        if not self.workers.shutdown():
            log.warning("worker tasks still running at exit (a task ignores its cancel token?)")


__all__ = ["UiServices", "UploadStatus", "UploaderState", "UploaderStatus"]
