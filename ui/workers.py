"""Run core work off the UI thread and get progress/results back as Qt signals.

Core functions take ``(cancel: CancelToken, progress: ProgressFn)``; :meth:`Workers.submit`
runs one on a named :class:`QThreadPool` and returns a :class:`Task` whose signals are
delivered on the main thread (queued connections): ``progress(done, total, message)``,
``succeeded(result)``, ``failed(message)`` (localized for a MotcuaError, generic and
logged otherwise), ``cancelled()`` and, always last, ``finished()``.

Pools are named by purpose (napari/Anki style): ``db`` has one thread so database work
is serialized; ``scanner`` and ``token`` have one thread each because devices are not
thread-safe; ``general`` is for the rest. OCR parallelism lives in the scanning core's
process pool, not in these threads.

The pools and the tasks they run belong to a :class:`Workers` object, not to this module:
the application shell's ``UiServices`` builds one and shuts it down when it closes, each
window that runs as its own process (kiosk, display board) and the sign-in dialog get one
from their entry point, and the screens take it through their constructors. After
:meth:`Workers.shutdown` new work is refused: the task it returns never runs.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

from desktop.kernel.errors import MotcuaError
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import Cancelled, CancelToken

log = logging.getLogger(__name__)

class Pool(enum.StrEnum):
    """The thread pools, by purpose."""

    #: one thread: database work is serialized (SQLite's single writer, one session at a time)
    DB = "db"
    #: one thread each: the devices' drivers are not thread-safe
    SCANNER = "scanner"
    TOKEN = "token"
    GENERAL = "general"


POOL_SIZES = {Pool.DB: 1, Pool.SCANNER: 1, Pool.TOKEN: 1, Pool.GENERAL: 2}


class Task(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, fn: Callable[[CancelToken, Callable[[int, int, str], None]], Any], name: str = "",
                 on_done: Callable[[Task], None] | None = None) -> None:
        super().__init__()
        self.fn = fn
        self._on_done = on_done
        self.name = name or getattr(fn, "__name__", "task")
        self.token = CancelToken()

    def cancel(self) -> None:
        self.token.cancel()

    def _emit_progress(self, done: int, total: int, message: str = "") -> None:
        self.progress.emit(done, total, message)

    def _run(self) -> None:
        try:
            result = self.fn(self.token, self._emit_progress)
        except Cancelled:
            self.cancelled.emit()
        except MotcuaError as exc:
            log.info("task %s failed: %s", self.name, exc.message)
            self.failed.emit(str(exc))
        except Exception:
            log.exception("task %s crashed", self.name)
            self.failed.emit(msg("Lỗi không mong đợi; chi tiết đã ghi vào nhật ký.",
                                 "Unexpected error; details were written to the log."))
        else:
            if self.token.cancelled:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            if self._on_done is not None:
                self._on_done(self)
            self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


Work = Callable[[CancelToken, Callable[[int, int, str], None]], Any]


class Workers:
    """The worker pools of one window process, with the tasks they run.

    Built by whoever owns the window's lifetime (``UiServices`` for the main window; the
    sign-in dialog's shell, the kiosk's and display board's entry points; each test) and
    shut down by it, so that two of them never share a thread or a task set. Use it from
    the UI thread only: the task sets are not locked (a task leaves ``running`` from its
    worker thread, a ``set.discard`` that the GIL makes atomic)."""

    def __init__(self) -> None:
        self._pools: dict[Pool, QThreadPool] = {}
        self._running: set[Task] = set()  # a QRunnable is not a QObject: keep tasks alive until done
        # ... and until their queued signals have reached the main thread: the last reference
        # dropped in the worker thread would delete the QObject while its signals are on their way
        self._delivering: set[Task] = set()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def pool(self, name: Pool) -> QThreadPool:
        if name not in self._pools:
            p = QThreadPool()
            p.setObjectName(f"motcua-{name}")
            p.setMaxThreadCount(POOL_SIZES.get(name, 1))
            self._pools[name] = p
        return self._pools[name]

    def submit(self, fn: Work, *, pool_name: Pool = Pool.GENERAL, name: str = "") -> Task:
        """Start ``fn(cancel, progress)`` on the named pool at the next event-loop turn.

        Refused once :meth:`shutdown` has begun (a task started then would outlive the window
        and the database it works for): the task returned is already cancelled, never runs
        and emits nothing. Not an exception: a window's timer or a finished task's slot may
        still ask for work in the moment between the services closing and the window going."""
        task = Task(fn, name, on_done=self._running.discard)
        if self._closed:
            log.info("task %s refused: the workers are shut down", task.name)
            task.cancel()
            return task
        self._running.add(task)
        self._delivering.add(task)
        task.finished.connect(lambda: self._delivering.discard(task))
        # Started from the event loop, not here: the caller connects its slots right after
        # submit() returns, and a fast task must not finish before anyone listens.
        QTimer.singleShot(0, lambda: self.pool(pool_name).start(_Runnable(task)))
        return task

    def run(self, fn: Work, *, on_success: Callable[[Any], Any] | None = None,
            on_failure: Callable[[str], Any] | None = None, pool_name: Pool = Pool.GENERAL, name: str = "") -> Task:
        """:meth:`submit` with the usual connections: the result to ``on_success``, the
        (localized) message to ``on_failure``. The task is kept alive until it finishes."""
        task = self.submit(fn, pool_name=pool_name, name=name)
        if on_success is not None:
            task.succeeded.connect(on_success)
        if on_failure is not None:
            task.failed.connect(on_failure)
        return task

    def running_tasks(self) -> int:
        return len(self._running)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Refuse new work, cancel everything and wait for the pools (window or process exit,
        test teardown). True when every task has finished."""
        self._closed = True
        ok = True
        for _ in range(5):  # a queued start still pending: run it (as cancelled) and wait again
            for task in list(self._running):
                task.cancel()
            QCoreApplication.processEvents()  # run queued starts, so they are waited for too
            for p in list(self._pools.values()):
                ok = p.waitForDone(timeout_ms) and ok
            if not self._running:
                break
        return ok and not self._running
