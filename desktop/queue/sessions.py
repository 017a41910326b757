"""Counter-session figures computed from events: time open, paused, busy and idle.

Nothing here is stored: a session's open/pause/resume/close events and the tickets'
call/end/skip/transfer events at the counter are replayed over a window (today, in
Vietnam time) and measured.

* open   — between the session's open and close (or now);
* paused — between a pause and the next resume (or close, or now);
* busy   — a ticket is at the counter: from its call there to its end, skip or transfer
  (or to its call at another counter, or now);
* idle   — open, not paused, and not busy.

Pausing and closing are refused while a ticket is at the counter, so paused and busy
time do not overlap in practice; the arithmetic does not rely on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

Interval = tuple[datetime, datetime]


def _clip(intervals: Iterable[Interval], lo: datetime, hi: datetime) -> list[Interval]:
    out = [(max(a, lo), min(b, hi)) for a, b in intervals]
    return [(a, b) for a, b in out if b > a]


def union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def intersect(xs: list[Interval], ys: list[Interval]) -> list[Interval]:
    """Intersection of two unions of intervals (both sorted and disjoint)."""
    out: list[Interval] = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if b > a:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def length(intervals: Iterable[Interval]) -> timedelta:
    return sum((b - a for a, b in intervals), timedelta(0))


def session_intervals(events: Iterable[tuple[str, datetime]], now: datetime) -> tuple[list[Interval], list[Interval]]:
    """(open, paused) intervals of one session from its events in order."""
    opened: list[Interval] = []
    paused: list[Interval] = []
    start: datetime | None = None
    pause: datetime | None = None
    for kind, at in events:
        if kind == "open" and start is None:
            start = at
        elif kind == "pause" and start is not None and pause is None:
            pause = at
        elif kind == "resume" and pause is not None:
            paused.append((pause, at))
            pause = None
        elif kind == "close" and start is not None:
            if pause is not None:
                paused.append((pause, at))
                pause = None
            opened.append((start, at))
            start = None
    if pause is not None:
        paused.append((pause, now))
    if start is not None:
        opened.append((start, now))
    return opened, paused


def busy_intervals(ticket_events: Iterable[tuple[int, str, datetime, int | None]], counter_id: int,
                   now: datetime) -> list[Interval]:
    """When a ticket was at ``counter_id``: (ticket id, kind, at, counter id) events in order."""
    here: dict[int, datetime] = {}
    out: list[Interval] = []
    for ticket, kind, at, counter in ticket_events:
        if kind == "call":
            if counter == counter_id:
                here.setdefault(ticket, at)  # a second call of the same ticket here continues the visit
            elif ticket in here:  # called to another counter
                out.append((here.pop(ticket), at))
        elif kind in ("end", "skip", "transfer") and ticket in here:
            out.append((here.pop(ticket), at))
    out.extend((since, now) for since in here.values())
    return union(out)


@dataclass(frozen=True)
class CounterFigures:
    counter: int
    name: str
    #: open | paused | closed (no live session)
    state: str
    officer: str | None
    open_s: int
    paused_s: int
    busy_s: int
    idle_s: int
    served: int


def measure(sessions: list[list[tuple[str, datetime]]], busy: list[Interval], lo: datetime,
            now: datetime) -> tuple[int, int, int, int]:
    """(open, paused, busy, idle) seconds within [lo, now] for one counter's sessions."""
    opened: list[Interval] = []
    paused: list[Interval] = []
    for events in sessions:
        o, p = session_intervals(events, now)
        opened += o
        paused += p
    opened_u = union(_clip(opened, lo, now))
    paused_u = intersect(opened_u, union(_clip(paused, lo, now)))
    busy_u = intersect(opened_u, union(_clip(busy, lo, now)))
    working = _subtract(opened_u, paused_u)
    idle = _subtract(working, busy_u)
    return (int(length(opened_u).total_seconds()), int(length(paused_u).total_seconds()),
            int(length(busy_u).total_seconds()), int(length(idle).total_seconds()))


def _subtract(xs: list[Interval], ys: list[Interval]) -> list[Interval]:
    """xs minus ys (both sorted, disjoint)."""
    out: list[Interval] = []
    for a, b in xs:
        cur = a
        for c, d in ys:
            if d <= cur or c >= b:
                continue
            if c > cur:
                out.append((cur, c))
            cur = max(cur, d)
        if cur < b:
            out.append((cur, b))
    return out
