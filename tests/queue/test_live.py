"""LISTEN/NOTIFY: a change committed in one process reaches a listener in another, across a restart."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import threading
import time
from collections.abc import Iterator

import pytest

from desktop.audit import AuditLog
from desktop.auth import Actor
from desktop.db import Database
from desktop.db.models import Role
from desktop.kernel.errors import Conflict
from desktop.queue.desk import QueueDesk
from desktop.queue.listener import QueueEvent, QueueListener, conninfo, parse
from desktop.queue.seed import seed_queue
from tests.pgserver import PostgresServer

OFFICER = Actor(username="lan", role=Role.COUNTER_OFFICER)


def _worker(url: str, commands: mp.Queue, done: mp.Queue) -> None:
    """Another process of the centre: runs queue actions on request, says when each committed."""
    desk = QueueDesk(Database(url), AuditLog())
    while (cmd := commands.get(timeout=60)) is not None:
        if cmd == "issue":
            number = desk.issue(OFFICER, "TP").number
        elif cmd == "call":
            t = desk.call_next(OFFICER, 1)
            number = t.number if t else ""
        elif cmd == "end":
            number = desk.end(OFFICER, 1).number
        elif cmd == "pause":
            desk.pause_session(OFFICER, 1, "họp")
            number = ""
        else:
            with contextlib.suppress(Conflict):
                desk.call_next(OFFICER, 1)  # refused while paused: rolled back, nothing to tell
            number = ""
        done.put((cmd, number, time.time()))


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()  # its own: this test restarts it
    yield server
    server.stop()


class Collector:
    def __init__(self) -> None:
        self.q: queue.Queue[tuple[QueueEvent, float]] = queue.Queue()

    def __call__(self, ev: QueueEvent) -> None:
        self.q.put((ev, time.time()))

    def next(self, timeout: float = 10) -> tuple[QueueEvent, float]:
        return self.q.get(timeout=timeout)


def test_changes_reach_a_listener_in_another_process_and_survive_a_restart(own_server: PostgresServer) -> None:
    url = own_server.create_database()
    db = Database(url)
    db.migrate()
    with db.session() as s:
        seed_queue(s)
    db.dispose()
    listener = QueueListener(url)
    got = Collector()
    ctx = mp.get_context("spawn")
    commands: mp.Queue = ctx.Queue()
    done: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_worker, args=(url, commands, done))
    proc.start()
    listener.start(got)
    try:
        time.sleep(0.5)  # LISTEN is in place before the first change
        for cmd in ("issue", "call", "end", "pause", "refused"):
            commands.put(cmd)
            kind, number, committed = done.get(timeout=60)
            if cmd == "refused":
                with pytest.raises(queue.Empty):
                    got.next(timeout=1.0)
                continue
            ev, received = got.next()
            if cmd == "call":  # the counter's first call opened its session
                assert (ev.kind, ev.counter) == ("session_open", 1)
                ev, received = got.next()
            assert ev.kind == {"pause": "session_pause"}.get(cmd, cmd)
            assert received - committed < 1.0, f"{cmd} took {received - committed:.3f} s to arrive"
            if cmd != "pause":
                assert (ev.ticket, ev.data["service"]) == (number, "TP")
            if cmd in ("call", "end", "pause"):
                assert ev.counter == 1
        assert got.q.empty()

        own_server.restart(down_s=1.5)
        ev, _ = got.next(timeout=30)
        assert ev.kind == "reconnected"  # the screen reloads: anything sent meanwhile was missed
        commands.put("issue")
        _, number, committed = done.get(timeout=60)  # the worker's pool reconnects too (pre-ping)
        ev, received = got.next()
        assert (ev.kind, ev.ticket) == ("issue", number) and received - committed < 1.0

        own_server.restart(mode="immediate")  # as a crash
        assert got.next(timeout=30)[0].kind == "reconnected"
        commands.put("issue")
        _, number, _ = done.get(timeout=60)
        assert got.next()[0].ticket == number
    finally:
        commands.put(None)
        proc.join(timeout=30)
        listener.stop()
    assert proc.exitcode == 0


def test_iterating_with_a_deadline_and_parsing() -> None:
    assert parse('{"kind": "call", "counter": 3, "ticket": "A001"}') == QueueEvent(
        "call", 3, "A001", {"kind": "call", "counter": 3, "ticket": "A001"})
    assert parse("not json").kind == "unknown"
    assert conninfo("postgresql+psycopg://u:p@127.0.0.1:5999/x") == "postgresql://u:p@127.0.0.1:5999/x"
    with pytest.raises(ValueError):
        conninfo("sqlite:///x.db")
    assert QueueListener.for_database(Database("sqlite://")) is None


def test_events_iterator_until_deadline(pg_url: str) -> None:
    db = Database(pg_url)
    db.migrate()
    with db.session() as s:
        seed_queue(s)
    desk = QueueDesk(db, AuditLog())
    desk.issue(OFFICER, "TP")  # before anyone listens: not delivered later
    # the generator connects on its first step; the change comes 0.5 s later
    timer = threading.Timer(0.5, lambda: desk.issue(OFFICER, "TP"))
    listener = QueueListener(pg_url)
    start = time.monotonic()
    it = listener.events(until=start + 2.5)
    timer.start()
    try:
        seen = list(it)
    finally:
        timer.join()
        db.dispose()
    assert 2.4 < time.monotonic() - start < 5
    assert [(e.kind, e.ticket) for e in seen] == [("issue", "A002")]
