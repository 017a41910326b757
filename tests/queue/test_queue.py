"""Queue actions and figures on SQLite and PostgreSQL (concurrency at scale: test_scale.py)."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.auth import Actor
from desktop.db import Database
from desktop.db.models import Role
from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.queue.desk import QueueDesk
from desktop.queue.figures import service_time, wait_time
from desktop.queue.models import Counter, QueueService, Ticket, TicketEvent
from desktop.queue.seed import seed_queue
from tests.cli import motcua

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
        return motcua(tmp_path, "queue", *args, timeout=60)

    assert run("issue", "--service", "TP").stdout.splitlines()[-1] == "A001"
    assert run("call-next", "--counter", "1").stdout.splitlines()[-1] == "A001"
    r = run("call-next", "--counter", "1")
    assert r.returncode == 2 and "A001" in r.stderr
    assert run("end", "--counter", "1").returncode == 0
    import json

    data = json.loads(run("status", "--json").stdout)
    tp = next(s for s in data["services"] if s["code"] == "TP")
    assert {"code", "name", "waiting", "longest_wait_s"} <= set(tp) and tp["served_today"] == 1


def test_cached_counters_and_services_follow_changes_made_elsewhere(desk: QueueDesk) -> None:
    other = QueueDesk(desk.db, AuditLog())  # another process's desk: its own cache
    assert other.issue(KIOSK, "TP").number == "A001"
    assert other.call_next(OFFICER, 1).number == "A001"  # caches counter 1 (TP) and service TP
    other.end(OFFICER, 1)
    with desk.db.session() as s:  # an administrator edits the configuration
        s.scalar(select(Counter).where(Counter.number == 1)).services = ["DD"]
        s.scalar(select(QueueService).where(QueueService.code == "TP")).prefix = "T"
    desk.issue(KIOSK, "TP")
    land = desk.issue(KIOSK, "DD")
    assert other.call_next(OFFICER, 1).number == land.number  # not the TP ticket any more
    other.end(OFFICER, 1)
    assert other.issue(KIOSK, "TP").number == "T003"
    with desk.db.session() as s:
        s.scalar(select(Counter).where(Counter.number == 1)).active = False
        s.scalar(select(QueueService).where(QueueService.code == "TP")).active = False
    with pytest.raises(NotFound, match="quầy số 1"):
        other.call_next(OFFICER, 1)
    with pytest.raises(NotFound, match="Không có dịch vụ “TP”"):
        other.issue(KIOSK, "TP")
