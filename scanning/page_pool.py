"""A pool of page worker processes, one per core, each with one single-threaded Tesseract.

Processes, not threads: Tesseract and the clean-up then run on every core without the
GIL, and OpenMP is held to one thread per process (``OMP_THREAD_LIMIT=1``), which on a
small machine is several times faster than Tesseract's own threading. Workers are
started with ``spawn`` so that a Qt application's threads are never forked.

The application keeps one pool warm for its lifetime (the engine is loaded once per
worker); a command-line run makes one for the call. Cancelling drops the pages not yet
started; a page already in Tesseract finishes (about a second) and is discarded.

Workers die with their parent, however it ends (issue 14: a killed ``digitize`` left
≈160 MB workers reparented to init): a watchdog thread in each worker waits on the
parent's sentinel (a pipe that multiprocessing gives every spawned child, on every OS)
and on Linux the kernel also signals the worker when its parent goes (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

from scanning.page_work import PageJob, PageOutcome, run_page

T = TypeVar("T")


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Exit as soon as the parent process is gone."""
    if sys.platform.startswith("linux"):
        # The kernel signals when the parent *thread* that spawned us ends, which may be a
        # worker thread of a live application: the handler exits only if we were reparented.
        def orphaned(_sig: int, _frame: object) -> None:
            if os.getppid() != parent_pid:
                os._exit(1)

        signal.signal(signal.SIGUSR1, orphaned)
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGUSR1)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)
    parent = multiprocessing.parent_process()
    sentinel = parent.sentinel if parent is not None else None
    if sentinel is not None:
        def watch() -> None:  # also ends a worker stuck in Tesseract's C code
            multiprocessing.connection.wait([sentinel])
            os._exit(1)

        threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _init_worker(parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    # the caller handles Ctrl-C and cancels; workers must not die half-way through a page
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import cv2

    cv2.setNumThreads(1)


class PagePool:
    def __init__(self, workers: int | None = None) -> None:
        from scanning.leftovers import sweep_temp

        sweep_temp()  # what killed runs left in the temporary folder
        self.workers = workers or default_workers()
        self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker, initargs=(os.getpid(),))

    def submit(self, job: PageJob) -> Future[PageOutcome]:
        return self._executor.submit(run_page, job)

    def call(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run another page function in a worker (``fn`` and its arguments picklable): the
        scan screen's clean-up previews, whose NumPy and Tesseract work held the UI
        process's GIL for up to 160 ms at a time on its threads (bench/flow_bench.py --why)."""
        return self._executor.submit(fn, *args)

    def warm_up(self) -> None:
        """Start the workers now, so the first page does not wait for them."""
        for f in [self._executor.submit(os.getpid) for _ in range(self.workers)]:
            f.result()

    def worker_pids(self) -> list[int]:
        return [p.pid for p in list(getattr(self._executor, "_processes", {}).values()) if p.pid]

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> PagePool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
