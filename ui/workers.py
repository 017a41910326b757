"""Run core work off the UI thread and get progress/results back as Qt signals.

Core functions take ``(cancel: CancelToken, progress: ProgressFn)``; :func:`submit` runs
one on a named :class:`QThreadPool` and returns a :class:`Task` whose signals are
delivered on the main thread (queued connections): ``progress(done, total, message)``,
``succeeded(result)``, ``failed(message)`` (localized for a MotcuaError, generic and
logged otherwise), ``cancelled()`` and, always last, ``finished()``.

Pools are named by purpose (napari/Anki style): ``db`` has one thread so database work
is serialized; ``scanner`` and ``token`` have one thread each because devices are not
thread-safe; ``general`` is for the rest. OCR parallelism lives in the scanning core's
process pool, not in these threads.
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
_pools: dict[Pool, QThreadPool] = {}
_running: set[Task] = set()  # a QRunnable is not a QObject: keep tasks alive until done
# ... and until their queued signals have reached the main thread: the last reference
# dropped in the worker thread would delete the QObject while its signals are on their way
_delivering: set[Task] = set()


def pool(name: Pool) -> QThreadPool:
    if name not in _pools:
        p = QThreadPool()
        p.setObjectName(f"motcua-{name}")
        p.setMaxThreadCount(POOL_SIZES.get(name, 1))
        _pools[name] = p
    return _pools[name]


class Task(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, fn: Callable[[CancelToken, Callable[[int, int, str], None]], Any], name: str = "") -> None:
        super().__init__()
        self.fn = fn
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
            _running.discard(self)
            self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


def submit(fn: Callable[[CancelToken, Callable[[int, int, str], None]], Any], *,
           pool_name: Pool = Pool.GENERAL, name: str = "") -> Task:
    """Start ``fn(cancel, progress)`` on the named pool at the next event-loop turn."""
    task = Task(fn, name)
    _running.add(task)
    _delivering.add(task)
    task.finished.connect(lambda: _delivering.discard(task))
    # Started from the event loop, not here: the caller connects its slots right after
    # submit() returns, and a fast task must not finish before anyone listens.
    QTimer.singleShot(0, lambda: pool(pool_name).start(_Runnable(task)))
    return task


def run(fn: Callable[[CancelToken, Callable[[int, int, str], None]], Any], *,
        on_success: Callable[[Any], Any] | None = None, on_failure: Callable[[str], Any] | None = None,
        pool_name: Pool = Pool.GENERAL, name: str = "") -> Task:
    """:func:`submit` with the usual connections: the result to ``on_success``, the
    (localized) message to ``on_failure``. The task is kept alive until it finishes."""
    task = submit(fn, pool_name=pool_name, name=name)
    if on_success is not None:
        task.succeeded.connect(on_success)
    if on_failure is not None:
        task.failed.connect(on_failure)
    return task


def running_tasks() -> int:
    return len(_running)


def shutdown(timeout_ms: int = 10_000) -> bool:
    """Cancel everything and wait for the pools (application exit, test teardown)."""
    ok = True
    for _ in range(5):  # a finishing task may have queued another start: repeat until quiet
        for task in list(_running):
            task.cancel()
        QCoreApplication.processEvents()  # run queued starts, so they are waited for too
        for p in list(_pools.values()):
            ok = p.waitForDone(timeout_ms) and ok
        if not _running:
            break
    return ok and not _running
