"""Live queue updates over PostgreSQL LISTEN/NOTIFY, for the display board and counter screens.

Every queue change (issue, call, start, end, skip, transfer, recall, counter session
open/pause/resume/close) runs ``pg_notify('motcua_queue', <json>)`` in its own
transaction, so a notification is delivered exactly when the change commits and never
for a change that rolled back. The payload is a JSON object with at least ``kind``
(``issue``, ``call``, ``start``, ``end``, ``skip``, ``transfer``, ``session_open``, …)
and ``counter`` (a number or null); ticket changes add ``ticket``, ``ticket_id`` and
``service``. On SQLite there is nothing to listen to: screens keep polling.

:class:`QueueListener` is plain Python (no Qt). It owns one psycopg connection in
autocommit mode, LISTENs, and hands each notification over as a :class:`QueueEvent`,
either by iteration (:meth:`QueueListener.events`) or to a callback on its own thread
(:meth:`QueueListener.start` / :meth:`QueueListener.stop`). When the server goes away
(restart, network cut) it reconnects with a growing delay (0.2 s up to 5 s) and, once
listening again, delivers ``QueueEvent(kind="reconnected")``: notifications sent while
it was disconnected are lost, so the receiver must reload its whole view then.

How a Qt screen is meant to use it (the adapter lives in ``ui/``, not here)::

    listener = QueueListener.for_database(ctx.db)      # None on SQLite: keep the poll timer
    if listener is not None:
        # callback runs on the listener's thread: hand over with a queued signal
        listener.start(lambda ev: bridge.changed.emit(ev))
        poll_timer.setInterval(60_000)                   # a slow safety net only
    ...
    bridge.changed.connect(screen.refresh)              # main thread; refresh on any event
    ...
    listener.stop()                                     # on close: joins the thread

Events may arrive in bursts (a busy morning): refresh at most every few hundred
milliseconds rather than once per event.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    import psycopg

    from desktop.db import Database

log = logging.getLogger(__name__)

CHANNEL = "motcua_queue"


@dataclass(frozen=True)
class QueueEvent:
    kind: str
    counter: int | None = None
    ticket: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL (``postgresql+psycopg://…``)."""
    u = make_url(url)
    if u.get_backend_name() != "postgresql":
        raise ValueError(f"LISTEN/NOTIFY needs PostgreSQL, not {u.get_backend_name()}")
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def parse(payload: str) -> QueueEvent:
    try:
        data = json.loads(payload)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return QueueEvent("unknown", data={"payload": payload})
    counter = data.get("counter")
    return QueueEvent(str(data.get("kind", "unknown")), counter if isinstance(counter, int) else None,
                      data.get("ticket"), data)


class QueueListener:
    """LISTENs on ``motcua_queue`` and survives server restarts."""

    def __init__(self, url: str, *, channel: str = CHANNEL, max_delay: float = 5.0) -> None:
        self.conninfo = conninfo(url)
        self.channel = channel
        self.max_delay = max_delay
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: psycopg.Connection[Any] | None = None

    @classmethod
    def for_database(cls, db: Database) -> QueueListener | None:
        """A listener for ``db``, or None on SQLite (poll instead)."""
        return cls(db.url.render_as_string(hide_password=False)) if db.is_postgres else None

    # --- connection -------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg  # only on PostgreSQL installs: the service imports CHANNEL from here

        # TCP keepalives notice a server that vanished without closing the socket
        conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5, keepalives=1,
                               keepalives_idle=10, keepalives_interval=5, keepalives_count=3)
        conn.execute(f'LISTEN "{self.channel}"')
        return conn

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken: nothing left to release
                conn.close()

    def _reconnect(self) -> bool:
        """Connect (again), waiting longer after each failure; False if stopped meanwhile."""
        import psycopg

        delay = 0.2
        while not self._stop.is_set():
            try:
                self._conn = self._connect()
                return True
            except psycopg.OperationalError as exc:
                log.info("queue listener: cannot connect yet (%s); retrying in %.1f s", str(exc).strip()[:200], delay)
                self._stop.wait(delay)
                delay = min(delay * 2, self.max_delay)
        return False

    # --- consuming --------------------------------------------------------------------

    def events(self, *, poll: float = 0.5, until: float | None = None) -> Iterator[QueueEvent]:
        """Notifications as they come, until :meth:`stop` (or ``until``, a ``time.monotonic()`` deadline).

        Yields ``QueueEvent("reconnected")`` after every reconnection (not the first
        connection): anything sent meanwhile was missed.
        """
        import psycopg

        first = True
        checked = time.monotonic()
        while not self._stop.is_set() and (until is None or time.monotonic() < until):
            if self._conn is None or self._conn.closed:
                self._close()
                if not self._reconnect():
                    return
                if not first:
                    yield QueueEvent("reconnected")
                first = False
            assert self._conn is not None
            timeout = poll if until is None else max(0.0, min(poll, until - time.monotonic()))
            try:
                for n in self._conn.notifies(timeout=timeout):
                    if n.channel == self.channel:
                        yield parse(n.payload)
                    if self._stop.is_set():
                        break
                # a quiet socket can hide a dead server: libpq only notices on I/O
                if not self._stop.is_set() and time.monotonic() - checked > 15:
                    self._conn.execute("SELECT 1")
                    checked = time.monotonic()
            except psycopg.OperationalError as exc:
                log.warning("queue listener lost its connection: %s", str(exc).strip()[:200])
                self._close()
        self._close()

    def start(self, callback: Callable[[QueueEvent], None]) -> None:
        """Deliver events to ``callback`` on a thread of its own until :meth:`stop`."""
        if self._thread is not None:
            raise RuntimeError("listener already started")
        self._stop.clear()

        def run() -> None:
            for ev in self.events():
                try:
                    callback(ev)
                except Exception:  # a faulty receiver must not stop the updates
                    log.exception("queue listener callback failed on %s", ev)

        self._thread = threading.Thread(target=run, name="queue-listener")
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening; joins the thread started by :meth:`start`."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        else:
            self._close()
