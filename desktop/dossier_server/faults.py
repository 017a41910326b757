"""Fault injection for the bundled dossier server: what a real dossier system does on a bad day.

A share of the write requests is answered with HTTP 500 or 503, an expired token, a slow
answer or a connection dropped without an answer; ``cut_chunks`` drops the connection
half-way through that many upload chunks (resume tests). The outbox's tests use these to
prove exactly-once delivery; a production server has a fault rate of zero.

Two ways to choose the faults:

* **random** (``rate``): each write request draws from a ``random.Random``. What a job
  meets depends on the timing of every other request, and a job may fail any number of
  times in a row, so the backoff it owes has no bound.
* **scheduled** (:class:`Schedule`): the *n*-th request under a request key (its
  ``Idempotency-Key``, or the upload session of a chunk) gets the fault that a keyed hash
  of (seed, key, *n*) names, and no key fails more than ``max_in_row`` times in a row. The
  same seed gives the same faults to the same keys whatever the order or the threads the
  requests come in, and a test can compute the longest wait the faults can force.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterable
from enum import StrEnum

#: bytes read from the socket at a time while receiving a body
PIECE = 64 << 10


class Fault(StrEnum):
    ERROR_500 = "500"
    ERROR_503 = "503"
    SLOW = "slow"
    CUT = "cut"
    EXPIRED = "expired"


class NationalFault(StrEnum):
    """What the national store's routes do wrong when asked (``--national-fault``): every
    look-up and download gets it, so a test can show what the counter sees for each."""

    ERROR_500 = "500"
    ERROR_503 = "503"
    #: answers after ``slow_seconds`` (longer than the client's look-up timeout in the tests)
    SLOW = "slow"
    #: HTTP 200 with a body that is not JSON (cut off half-way)
    MALFORMED = "malformed"
    #: the workstation's token refused (a client secret revoked), at every try
    UNAUTHORIZED = "401"
    #: the workstation is known but may not look citizens up
    FORBIDDEN = "403"
    #: a well-formed answer far larger than any citizen's listing (or file) could be
    OVERSIZED = "oversized"


#: the size of an oversized answer: above the client's bound on a listing
OVERSIZED_BYTES = 6 << 20


KINDS = tuple(Fault)
#: the kinds that make a request fail (a slow answer is late, then answered as usual)
FAILING = frozenset(KINDS) - {Fault.SLOW}
#: the largest seed a schedule takes (it keys a BLAKE2b hash: 16 bytes)
MAX_SEED = (1 << 128) - 1


def check_rate(rate: float) -> float:
    """A share of requests: a number from 0 to 1 (explicit: ``python -O`` keeps it)."""
    if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0.0 <= rate <= 1.0:
        raise ValueError(f"a fault rate is a number from 0 to 1, not {rate!r}")
    return float(rate)


def check_options(rate: float, schedule: Schedule | None, slow_seconds: float) -> None:
    """Refuse fault options that make no sense (ValueError), before anything is started."""
    check_rate(rate)
    if schedule is not None and rate:
        raise ValueError("a fault schedule carries its own rate: leave the fault rate at 0")
    if not isinstance(slow_seconds, int | float) or not 0 <= slow_seconds <= 600:
        raise ValueError(f"a slow fault waits 0 to 600 seconds, not {slow_seconds!r}")


def _share(raw: float, max_in_row: int) -> float:
    """The share of requests that get a fault when each draws one with probability ``raw``.

    Each key is asked again until it does not fail (the outbox's way), so the run of
    failures is a chain on 0..``max_in_row``: a failing draw moves it up, anything else
    back to 0, and at the cap only a slow answer is left. Its steady state is
    proportional to ``f**k`` with ``f`` the failing share of a draw.
    """
    f = raw * len(FAILING) / len(KINDS)
    weights = [f ** k for k in range(max_in_row + 1)]
    at_cap = weights[-1] / sum(weights)
    return raw * (1.0 - at_cap) + raw * at_cap * (1 - len(FAILING) / len(KINDS))


class Schedule:
    """Faults decided per request by (seed, request key, attempt), capped per key.

    ``rate`` is the share of requests that get a fault, as with random faults: the cap
    turns some failing draws into none, so each draw is made with a slightly higher
    probability (:attr:`draw_probability`) that brings the share back to ``rate``.
    """

    def __init__(self, seed: int, rate: float, max_in_row: int = 2) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
            raise ValueError(f"a fault schedule's seed is an integer from 0 to 2**128 - 1, not {seed!r}")
        if not isinstance(max_in_row, int) or isinstance(max_in_row, bool) or max_in_row < 0:
            raise ValueError(f"max_in_row is a whole number of requests (0 or more), not {max_in_row!r}")
        self.seed, self.rate, self.max_in_row = seed, check_rate(rate), max_in_row
        most = _share(1.0, max_in_row)
        if self.rate > most:
            raise ValueError(f"with at most {max_in_row} failures in a row the fault rate is at most {most:.2f}")
        lo, hi = self.rate, 1.0  # _share(p) <= p and grows with p: bisect for _share(p) == rate
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if _share(mid, max_in_row) < self.rate else (lo, mid)
        self.draw_probability = hi if self.rate > 0 else 0.0
        self._key = seed.to_bytes(16, "big")

    def __repr__(self) -> str:
        return f"Schedule(seed={self.seed}, rate={self.rate}, max_in_row={self.max_in_row})"

    def raw(self, key: str, attempt: int) -> Fault | None:
        """What the hash names for the ``attempt``-th request (from 1) under ``key``, before the cap."""
        h = hashlib.blake2b(f"{attempt}\0{key}".encode(), key=self._key, digest_size=16).digest()
        if int.from_bytes(h[:8], "big") >= self.draw_probability * (1 << 64):
            return None
        return KINDS[int.from_bytes(h[8:], "big") % len(KINDS)]

    def next(self, key: str, attempt: int, run: int) -> Fault | None:
        """The fault of a request that follows ``run`` failures in a row under its key."""
        fault = self.raw(key, attempt)
        return None if fault in FAILING and run >= self.max_in_row else fault

    def sequence(self, key: str, count: int) -> list[Fault | None]:
        """The faults of the first ``count`` requests under ``key`` (what a server with this schedule gives)."""
        out: list[Fault | None] = []
        run = 0
        for attempt in range(1, count + 1):
            fault = self.next(key, attempt, run)
            run = run + 1 if fault in FAILING else 0
            out.append(fault)
        return out


#: called with (request key, attempt, fault or None) for every scheduled decision
Recorder = Callable[[str, int, Fault | None], None]


class Faults:
    def __init__(self, rate: float = 0.0, *, slow_seconds: float = 1.5, cut_chunks: int = 0,
                 rng: random.Random | None = None, schedule: Schedule | None = None,
                 history: Iterable[tuple[str, Fault | None]] = (), record: Recorder | None = None) -> None:
        """Random faults at ``rate``, or those of ``schedule`` (then ``rate`` must be left at 0).

        ``history`` (key, fault) in the order given lets a restarted server go on with the
        schedule where it was; ``record`` is told every scheduled decision.
        """
        check_options(rate, schedule, slow_seconds)
        self.schedule = schedule
        self.rate = schedule.rate if schedule is not None else float(rate)
        self.slow_seconds = slow_seconds
        self._rng = rng or random.Random()
        self._cuts_left = cut_chunks
        self._lock = threading.Lock()
        self._record = record
        #: per request key: requests seen, failures in a row
        self._seen: dict[str, tuple[int, int]] = {}
        for key, fault in history:
            n, run = self._seen.get(key, (0, 0))
            self._seen[key] = (n + 1, run + 1 if fault in FAILING else 0)

    def draw(self, key: str = "") -> Fault | None:
        """Maybe misbehave: the fault to act out, or None (a slow fault waits, then goes on).

        ``key`` names the request for a schedule (retries of one request share it).
        """
        if self.rate <= 0:
            return None
        with self._lock:
            if self.schedule is None:
                if self._rng.random() >= self.rate:
                    return None
                fault: Fault | None = self._rng.choice(KINDS)
            else:
                n, run = self._seen.get(key, (0, 0))
                fault = self.schedule.next(key, n + 1, run)
                self._seen[key] = (n + 1, run + 1 if fault in FAILING else 0)
                if self._record is not None:
                    self._record(key, n + 1, fault)
        if fault is Fault.SLOW:
            time.sleep(self.slow_seconds)
            return None
        return fault

    def take_chunk_cut(self, length: int) -> bool:
        """True for the first ``cut_chunks`` chunks of 128 KiB or more: drop mid-body."""
        with self._lock:
            if self._cuts_left > 0 and length >= 2 * PIECE:
                self._cuts_left -= 1
                return True
            return False
