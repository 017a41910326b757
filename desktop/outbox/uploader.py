"""The background uploader: sends the outbox while the application is open, by itself.

One thread owned by the application shell. It drains whenever jobs come due: woken at
once when a transaction that queued a job commits (:meth:`Outbox.add_wake_listener`),
else when the next backed-off job is due, else every ``idle_poll`` seconds (jobs queued
by another process on the same database). After a round where nothing went through it
asks whether the dossier system answers at all; while it does not, it says *offline* and
probes every ``probe_interval`` seconds, and when the network comes back the backed-off
jobs are made due at once instead of waiting out their backoff. Notices to citizens (e-mail,
SMS) do not go through the dossier system: while it is offline they are still sent at each
probe. ``stop()`` cancels a
drain between two jobs (a job being sent finishes or keeps its lease) and joins.

Its :class:`UploaderStatus` drives the status bar; listeners are called from the uploader
thread, so a Qt adapter must hand the value over to the UI thread (``ui/services.py``).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from desktop.auth import Actor
from desktop.kernel.tasks import Cancelled, CancelToken
from desktop.outbox.models import NOTICE_KINDS, OutboxState
from desktop.outbox.service import Outbox

log = logging.getLogger(__name__)


class UploaderState(enum.StrEnum):
    STARTING = "starting"
    IDLE = "idle"  # nothing due
    SENDING = "sending"
    RETRYING = "retrying"  # the last round failed, the dossier system answers
    OFFLINE = "offline"  # the dossier system does not answer
    STOPPED = "stopped"


@dataclass(frozen=True)
class UploaderStatus:
    state: UploaderState
    pending: int = 0  # to send, now or after a backoff (in flight included)
    waiting: int = 0  # digitized copies waiting for their signature
    parked: int = 0  # need someone to look
    delivered: int = 0  # since the uploader started
    last_error: str = ""
    last_delivery: float | None = None  # time.time() of the last delivered job


Listener = Callable[[UploaderStatus], None]


class Uploader:
    def __init__(self, outbox: Outbox, *, probe: Callable[[], bool] | None = None, idle_poll: float = 30.0,
                 probe_interval: float = 15.0, max_wait: float = 300.0) -> None:
        self.outbox = outbox
        self.actor = Actor.uploader()
        self._probe = probe or (lambda: True)
        self.idle_poll = idle_poll
        self.probe_interval = probe_interval
        self.max_wait = max_wait
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._cancel = CancelToken()
        self._thread: threading.Thread | None = None
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._status = UploaderStatus(UploaderState.STOPPED)
        outbox.add_wake_listener(self.wake)

    # --- control ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._cancel = CancelToken()
        self._set(state=UploaderState.STARTING)
        self._thread = threading.Thread(target=self._run, name="motcua-uploader", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look at the outbox now (new jobs, a retry, the officer pressed "send now")."""
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> bool:
        """Stop after the job being sent; True when the thread ended within ``timeout``."""
        thread = self._thread
        if thread is None:
            return True
        self._stop.set()
        self._cancel.cancel()
        self._wake.set()
        thread.join(timeout)
        ended = not thread.is_alive()
        if ended:
            self._thread = None
            self._set(state=UploaderState.STOPPED)
        else:
            log.warning("the uploader did not stop within %.0f s; its jobs keep their lease", timeout)
        return ended

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # --- status ----------------------------------------------------------------------------

    def add_listener(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def status(self) -> UploaderStatus:
        with self._lock:
            return self._status

    def _set(self, **changes: object) -> None:
        with self._lock:
            new = replace(self._status, **changes)  # type: ignore[arg-type]
            if new == self._status:
                return
            self._status = new
        for fn in list(self._listeners):
            try:
                fn(new)
            except Exception:  # a broken listener must not stop the uploads
                log.exception("uploader listener failed")

    def _count(self) -> None:
        c = self.outbox.counts()
        self._set(pending=c.get(OutboxState.PENDING, 0) + c.get(OutboxState.IN_FLIGHT, 0),
                  waiting=c.get(OutboxState.WAITING, 0), parked=c.get(OutboxState.PARKED, 0))

    # --- the loop --------------------------------------------------------------------------

    def _run(self) -> None:
        offline = False
        while not self._stop.is_set():
            self._wake.clear()
            try:
                if offline:
                    if not self._probe():
                        self._notices()
                        self._count()
                        self._sleep(self.probe_interval)
                        continue
                    offline = False
                    n = self.outbox.hurry()
                    log.info("dossier system reachable again; %d job(s) made due", n)
                offline = self._round()
                self._count()
            except Cancelled:
                break
            except Exception as exc:  # the database itself failed: say so, try again later
                log.exception("uploader round failed")
                self._set(state=UploaderState.RETRYING, last_error=f"{type(exc).__name__}: {exc}"[:300])
                self._sleep(self.probe_interval)
                continue
            if offline:
                self._sleep(self.probe_interval)
                continue
            due = self.outbox.next_due_in()
            self._sleep(self.idle_poll if due is None else min(max(due, 0.05), self.max_wait))
        self._set(state=UploaderState.STOPPED)

    def _notices(self) -> None:
        """Send the due notices while the dossier system is offline: the mail server may answer."""
        r = self.outbox.drain(self.actor, cancel=self._cancel, only=NOTICE_KINDS)
        if r.get("delivered"):
            self._set(delivered=self.status().delivered + r["delivered"], last_delivery=time.time())

    def _round(self) -> bool:
        """Drain what is due; True when nothing went through and the dossier system does not answer."""
        self.outbox.settle_notices()  # notices held for a mail server configured since become due
        due = self.outbox.next_due_in()
        if due is None or due > 0:
            self._set(state=UploaderState.IDLE if not self.status().last_error else self.status().state)
            return False
        self._set(state=UploaderState.SENDING)
        result = self.outbox.drain(self.actor, cancel=self._cancel)
        delivered, failed = result.get("delivered", 0), result.get("failed", 0)
        if delivered:
            self._set(delivered=self.status().delivered + delivered, last_delivery=time.time())
        if failed and not delivered:
            last = self.outbox.last_error()
            if not self._probe():
                self._set(state=UploaderState.OFFLINE, last_error=last)
                return True
            self._set(state=UploaderState.RETRYING, last_error=last)
            return False
        self._set(state=UploaderState.IDLE, last_error="")
        return False

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
