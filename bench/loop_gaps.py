"""Measuring how long the Qt event loop is kept from running, for the UI benchmarks.

A 5-ms timer runs on the UI thread; every gap between its ticks is a moment the window
could not repaint or take a click. ``run(until)`` spins the loop until ``until()`` is true
and returns the gaps seen meanwhile with the process's CPU use.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Gaps:
    ticks: int
    max_ms: float
    p99_ms: float
    cpu: float  # share of one core used by the whole process


class LoopGaps:
    def __init__(self, app: Any, interval_ms: int = 5) -> None:
        from PySide6.QtCore import QTimer

        self.app = app
        self._gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)
        self._timer.start(interval_ms)

    def _tick(self) -> None:
        now = time.perf_counter()
        self._gaps.append(now - self._last)
        self._last = now

    def restart(self) -> None:
        """Forget the gaps seen so far: the next ones are measured from now."""
        self._gaps.clear()
        self._last = time.perf_counter()

    def summary(self, cpu: float = 0.0) -> Gaps:
        """The gaps seen since the last :meth:`restart`."""
        g = sorted(self._gaps)
        p99 = g[int(0.99 * (len(g) - 1))] if g else 0.0
        return Gaps(len(g), (g[-1] if g else 0.0) * 1000, p99 * 1000, cpu)

    def run(self, until: Callable[[], bool], timeout: float = 600) -> Gaps:
        self.restart()
        c_wall = self._last
        c_cpu = time.process_time()
        while not until() and time.perf_counter() - c_wall < timeout:
            self.app.processEvents()
            time.sleep(0.001)
        wall = time.perf_counter() - c_wall
        return self.summary((time.process_time() - c_cpu) / wall)

    def seconds(self, s: float) -> Gaps:
        end = time.perf_counter() + s
        return self.run(lambda: time.perf_counter() > end)

    def stop(self) -> None:
        self._timer.stop()
