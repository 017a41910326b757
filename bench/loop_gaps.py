"""Measuring how long the Qt event loop is kept from running, for the UI benchmarks.

A 5-ms timer runs on the UI thread; every gap between its ticks is a moment the window
could not repaint or take a click. ``run(until)`` spins the loop until ``until()`` is true
and returns the gaps seen meanwhile with the process's CPU use.

``LoopGaps(app, why_ms=40)`` also says *why*: a watchdog thread reads the UI thread's stack
(``sys._current_frames``) whenever the loop is late by more than ``why_ms``, and the
collector's passes are timed (``gc.callbacks``); :meth:`LoopGaps.explain` lists each long gap
with the step the benchmark was at (``gaps.step = "..."``), the stacks seen and the
collections that fell in it. Off by default: the watchdog itself takes the GIL every few ms.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Gaps:
    ticks: int
    max_ms: float
    p99_ms: float
    cpu: float  # share of one core used by the whole process


@dataclass
class LongGap:
    """One gap longer than the watchdog's threshold and what was seen during it."""

    start: float  # perf_counter at the last tick before the gap
    ms: float
    step: str
    stacks: list[str] = field(default_factory=list)  # the UI thread's stacks sampled meanwhile
    gc_ms: list[tuple[int, float]] = field(default_factory=list)  # (generation, ms) of collections in it


#: where a worker thread waits for work: not a cause of anything
_IDLE = ("threading.py", "queue.py", "thread.py:81 _worker", "selectors.py")


def _short_stack(frame: Any, limit: int = 8) -> str:
    """The innermost frames, innermost last, as "file:line func" joined by " < "."""
    frames = traceback.extract_stack(frame)[-limit:]
    return " > ".join(f"{'/'.join(f.filename.split('/')[-2:])}:{f.lineno} {f.name}" for f in frames)


class LoopGaps:
    def __init__(self, app: Any, interval_ms: int = 5, *, why_ms: float | None = None) -> None:
        from PySide6.QtCore import QTimer

        self.app = app
        self._gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)
        self._timer.start(interval_ms)
        #: what the benchmark is doing now, named in :meth:`explain`
        self.step = ""
        self._why_s = why_ms / 1000 if why_ms is not None else None
        self._long: list[LongGap] = []
        self._samples: list[tuple[float, str]] = []  # (when, a thread's stack)
        self._gc: list[tuple[float, float, int]] = []  # (start, end, generation) on the UI thread
        self._gc_start = 0.0
        self._main = threading.get_ident()
        self._stop = threading.Event()
        if self._why_s is not None:
            gc.callbacks.append(self._gc_event)
            threading.Thread(target=self._watch, name="loop-gaps watchdog", daemon=True).start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        self._gaps.append(gap)
        if self._why_s is not None and gap > self._why_s:
            g = LongGap(self._last, gap * 1000, self.step)
            g.gc_ms = [(gen, (e - s) * 1000) for s, e, gen in self._gc if s >= self._last]
            self._long.append(g)
        self._last = now

    def _watch(self) -> None:
        assert self._why_s is not None
        woke = time.perf_counter()
        while not self._stop.wait(0.005):
            now = time.perf_counter()
            held = now - woke - 0.005  # how long this thread waited for the GIL after its sleep
            woke = now
            late = now - self._last
            if late > self._why_s * 0.75 or held > self._why_s * 0.5:
                # just now the GIL came back: whoever held it is right after the call that held it
                me = threading.get_ident()
                names = {t.ident: t.name for t in threading.enumerate()}
                tag = f"[GIL waited {held * 1000:.0f} ms] " if held > self._why_s * 0.5 else ""
                for ident, frame in sys._current_frames().items():
                    if ident == me:
                        continue
                    stack = _short_stack(frame)
                    if ident == self._main:
                        self._samples.append((now, tag + "UI: " + stack))
                    elif not any(idle in stack for idle in _IDLE):  # a worker doing something
                        self._samples.append((now, f"{tag}{names.get(ident, ident)}: {stack}"))

    def _gc_event(self, phase: str, info: dict[str, Any]) -> None:
        if threading.get_ident() != self._main:
            return
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            self._gc.append((self._gc_start, time.perf_counter(), int(info.get("generation", -1))))

    def restart(self) -> None:
        """Forget the gaps seen so far: the next ones are measured from now."""
        self._gaps.clear()
        self._long.clear()
        self._samples.clear()
        self._gc.clear()
        self._last = time.perf_counter()

    def summary(self, cpu: float = 0.0) -> Gaps:
        """The gaps seen since the last :meth:`restart`."""
        g = sorted(self._gaps)
        p99 = g[int(0.99 * (len(g) - 1))] if g else 0.0
        return Gaps(len(g), (g[-1] if g else 0.0) * 1000, p99 * 1000, cpu)

    def explain(self, since: float = 0.0) -> str:
        """The long gaps since :meth:`restart` (``why_ms`` given), longest first, each with the
        stacks sampled during it or just after (the sampler too waits for a held GIL)."""
        out = []
        for g in sorted(self._long, key=lambda g: -g.ms):
            end = g.start + g.ms / 1000
            g.stacks = list(dict.fromkeys(text for t, text in self._samples if g.start < t <= end + 0.02))
            out.append(f"{g.ms:6.1f} ms at +{g.start - since:6.2f} s in {g.step or '?'}"
                       + "".join(f"; gc gen {gen} {ms:.1f} ms" for gen, ms in g.gc_ms))
            out += [f"         {s}" for s in g.stacks[:8]] or ["         (no sample: the GIL was held elsewhere)"]
        return "\n".join(out)

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
        self._stop.set()
        if self._gc_event in gc.callbacks:
            gc.callbacks.remove(self._gc_event)
