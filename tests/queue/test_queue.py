"""Queue actions and figures on SQLite and PostgreSQL, and call-next under concurrency."""

from __future__ import annotations

import multiprocessing as mp
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.auth import Actor
from desktop.db import Database
from desktop.db.models import Role
from desktop.errors import Conflict, InvalidInput, NotFound
from desktop.queue.models import Counter, Ticket, TicketEvent
from desktop.queue.seed import seed_queue
from desktop.queue.service import QueueDesk, service_time, wait_time

KIOSK = Actor(username="kiosk", role=Role.SUPERVISOR)
OFFICER = Actor(username="lan", role=Role.COUNTER_OFFICER)


def _db(url: str) -> Database:
    db = Database(url)
    db.migrate()
    with db.session() as s:
        seed_queue(s)
    return db


@pytest.fixture(params=["sqlite", "postgres"])
def desk(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'q.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    db = _db(url)
    yield QueueDesk(db, AuditLog())
    db.dispose()


def test_numbers_priority_and_flow(desk: QueueDesk) -> None:
    a1 = desk.issue(KIOSK, "TP")
    a2 = desk.issue(KIOSK, "tp")
    old = desk.issue(KIOSK, "TP", "elderly")
    assert (a1.number, a2.number, old.number) == ("A001", "A002", "A003")
    assert a2.ahead == 1
    assert desk.call_next(OFFICER, 1).number == "A003"  # elderly before walk-ins
    with pytest.raises(Conflict, match="đang phục vụ số A003"):
        desk.call_next(OFFICER, 1)
    desk.start(OFFICER, 1)
    done = desk.end(OFFICER, 1, dossier_code="000.00.06.H56-261122-0001")
    assert done.state == "done"
    assert desk.call_next(OFFICER, 1).number == "A001"
    desk.skip(OFFICER, 1)  # no-show
    assert desk.call_next(OFFICER, 1).number == "A002"
    desk.transfer(OFFICER, 1, "DD")  # A002 moves to land, keeps its issue time
    assert desk.call_next(OFFICER, 1) is None  # counter 1 serves TP only; A001 is a no-show
    assert desk.recall(OFFICER, "A001", 1).number == "A001"
    desk.end(OFFICER, 1)
    assert desk.call_next(OFFICER, 3).number == "A002"  # counter 3 serves DD
    st = {r.code: r for r in desk.status()}
    assert st["TP"].served_today == 2 and st["TP"].waiting == 0
    assert st["TP"].avg_wait_s is not None and st["TP"].avg_service_s is not None


def test_bad_input(desk: QueueDesk) -> None:
    with pytest.raises(NotFound, match="Không có dịch vụ “XX”"):
        desk.issue(KIOSK, "XX")
    with pytest.raises(InvalidInput):
        desk.issue(KIOSK, "TP", "vip")
    with pytest.raises(NotFound, match="quầy số 42"):
        desk.call_next(OFFICER, 42)
    with pytest.raises(Conflict):
        desk.end(OFFICER, 1)  # never called
    with pytest.raises(Conflict):
        desk.recall(OFFICER, "A999", 1)


def test_times_come_from_events_and_recall_counts_last_call(desk: QueueDesk) -> None:
    t = desk.issue(KIOSK, "TP")
    desk.call_next(OFFICER, 1)
    desk.skip(OFFICER, 1)
    desk.recall(OFFICER, t.number, 1)
    desk.start(OFFICER, 1)
    desk.end(OFFICER, 1)
    with desk.db.session() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.id == t.id))
        calls = [e.at for e in ticket.events if e.kind == "call"]
        assert len(calls) == 2
        assert wait_time(ticket) == calls[-1] - ticket.issued_at
        assert service_time(ticket) is not None and service_time(ticket) >= timedelta(0)
        kinds = [e.kind for e in s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == t.id)
                                           .order_by(TicketEvent.id))]
    assert kinds == ["issue", "call", "skip", "call", "start", "end"]


def test_cli_prints_the_number_last(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "queue", *args],
                              capture_output=True, text=True, timeout=60)

    assert run("issue", "--service", "TP").stdout.splitlines()[-1] == "A001"
    assert run("call-next", "--counter", "1").stdout.splitlines()[-1] == "A001"
    r = run("call-next", "--counter", "1")
    assert r.returncode == 2 and "A001" in r.stderr
    assert run("end", "--counter", "1").returncode == 0
    import json

    data = json.loads(run("status", "--json").stdout)
    tp = next(s for s in data["services"] if s["code"] == "TP")
    assert {"code", "name", "waiting", "longest_wait_s"} <= set(tp) and tp["served_today"] == 1


# --- concurrency: kiosks and counters as separate processes --------------------------

def _kiosk(url: str, n: int, out: mp.Queue) -> None:
    desk = QueueDesk(Database(url), AuditLog())
    out.put([desk.issue(KIOSK, "TP", "elderly" if i % 10 == 0 else "walk_in").number for i in range(n)])


def _counter(url: str, number: int, out: mp.Queue) -> None:
    desk = QueueDesk(Database(url), AuditLog())
    served: list[tuple[str, str]] = []
    idle = 0
    while idle < 30:
        t = desk.call_next(OFFICER, number)
        if t is None:
            idle += 1
            import time

            time.sleep(0.05)
            continue
        idle = 0
        served.append((t.number, t.priority))
        desk.end(OFFICER, number)
    out.put(served)


@pytest.mark.slow
def test_twenty_counters_never_share_a_ticket_postgres(pg_url: str) -> None:
    db = _db(pg_url)
    with db.session() as s:
        s.add_all(Counter(number=100 + i, name=f"Quầy {100 + i}", services=["TP"]) for i in range(20))
    db.dispose()
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    kiosks = [ctx.Process(target=_kiosk, args=(pg_url, 300, out)) for _ in range(2)]
    counters = [ctx.Process(target=_counter, args=(pg_url, 100 + i, out)) for i in range(20)]
    for p in kiosks + counters:
        p.start()
    results = [out.get(timeout=600) for _ in kiosks + counters]
    for p in kiosks + counters:
        p.join(timeout=60)
        assert p.exitcode == 0
    issued = [n for r in results if r and isinstance(r[0], str) for n in r]  # kiosks return numbers
    served = [n for r in results if r and isinstance(r[0], tuple) for n, _ in r]
    assert len(issued) == 600 and len(set(issued)) == 600
    assert sorted(served) == sorted(issued), "a ticket was lost or served twice"
