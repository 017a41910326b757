"""Fault injection for the bundled dossier server: what a real dossier system does on a bad day.

A share of the write requests is answered with HTTP 500 or 503, an expired token, a slow
answer or a connection dropped without an answer; ``cut_chunks`` drops the connection
half-way through that many upload chunks (resume tests). The outbox's tests use these to
prove exactly-once delivery; a production server has a fault rate of zero.
"""

from __future__ import annotations

import random
import threading
import time
from enum import StrEnum

#: bytes read from the socket at a time while receiving a body
PIECE = 64 << 10


class Fault(StrEnum):
    ERROR_500 = "500"
    ERROR_503 = "503"
    SLOW = "slow"
    CUT = "cut"
    EXPIRED = "expired"


class Faults:
    def __init__(self, rate: float = 0.0, *, slow_seconds: float = 1.5, cut_chunks: int = 0,
                 rng: random.Random | None = None) -> None:
        self.rate, self.slow_seconds = rate, slow_seconds
        self._rng = rng or random.Random()
        self._cuts_left = cut_chunks
        self._lock = threading.Lock()

    def draw(self) -> Fault | None:
        """Maybe misbehave: the fault to act out, or None (a slow fault waits, then goes on)."""
        if self.rate <= 0:
            return None
        with self._lock:
            if self._rng.random() >= self.rate:
                return None
            fault = self._rng.choice(list(Fault))
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
