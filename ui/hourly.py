"""A daily job looked at hourly by a window process, run on a worker thread.

:class:`HourlyLook` is the scaffold the retention purge (``ui/retention.py``) and the daily
backup (``ui/backup_schedule.py``) share: a single-shot timer armed for the first look
shortly after start, re-armed for every ``every_ms`` at each look (so a slow job never
stacks looks), at most one job on the worker at a time, and ``close()`` that starts
nothing more. A subclass says what a look does (:meth:`HourlyLook._start`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot

from ui.workers import Task, Workers


class HourlyLook(QObject):
    #: close() asks the job under way to stop (the purge stops between dossiers); otherwise it finishes
    cancel_on_close = False

    def __init__(self, workers: Workers, parent: QObject | None, *, every_ms: int) -> None:
        super().__init__(parent)
        self.workers = workers
        self._task: Task | None = None
        self._closed = False
        self._every_ms = every_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._look)

    def _arm(self, first_ms: int) -> None:
        """The first look, ``first_ms`` from now (not armed: never looks)."""
        self._timer.start(first_ms)

    def _start(self) -> Task | None:
        """Start the job on :attr:`workers` when it is due; None when it is not."""
        raise NotImplementedError

    def _before_look(self) -> None:
        """Done at every look, even closed or busy (settings changed by another process)."""

    @Slot()
    def _look(self) -> None:
        self._timer.start(self._every_ms)
        self._before_look()
        if self._closed or self._task is not None:
            return
        self._task = self._start()
        if self._task is not None:
            self._task.finished.connect(self._finished)

    @Slot()
    def _finished(self) -> None:
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def close(self) -> None:
        """No new job; one under way is cancelled if :attr:`cancel_on_close`, else finishes."""
        self._closed = True
        self._timer.stop()
        if self.cancel_on_close and self._task is not None:
            self._task.cancel()
