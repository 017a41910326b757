"""A pool of page worker processes, one per core, each with one single-threaded Tesseract.

Processes, not threads: Tesseract and the clean-up then run on every core without the
GIL, and OpenMP is held to one thread per process (``OMP_THREAD_LIMIT=1``), which on a
small machine is several times faster than Tesseract's own threading. Workers are
started with ``spawn`` so that a Qt application's threads are never forked.

The application keeps one pool warm for its lifetime (the engine is loaded once per
worker); a command-line run makes one for the call. Cancelling drops the pages not yet
started; a page already in Tesseract finishes (about a second) and is discarded.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType

from scanning.page_work import PageJob, PageOutcome, run_page


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    # the caller handles Ctrl-C and cancels; workers must not die half-way through a page
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import cv2

    cv2.setNumThreads(1)


class PagePool:
    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker)

    def submit(self, job: PageJob) -> Future[PageOutcome]:
        return self._executor.submit(run_page, job)

    def warm_up(self) -> None:
        """Start the workers now, so the first page does not wait for them."""
        for f in [self._executor.submit(os.getpid) for _ in range(self.workers)]:
            f.result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> PagePool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
