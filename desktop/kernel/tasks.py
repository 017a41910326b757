"""Cancellation and progress for long work, in plain Python.

Core functions that take a while (OCR, scanning, batch signing, outbox drain, reports)
accept a :class:`CancelToken` and a ``progress(done, total, message)`` callback. The UI
wraps them in workers (``ui/workers.py``) that turn the callback into Qt signals; the CLI
passes a no-op or a terminal printer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol


class Cancelled(Exception):
    """Raised inside a task when its :class:`CancelToken` was cancelled."""


class CancelToken:
    """A thread-safe flag a task polls between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds; return True early if cancelled."""
        return self._event.wait(timeout)


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """A progress callback that ignores everything."""


ProgressFn = Callable[[int, int, str], None]
