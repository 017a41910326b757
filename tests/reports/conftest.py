"""A workstation's database on SQLite and on PostgreSQL, with a settable clock and a known day.

The clock: ``utcnow`` of the queue modules that read it (:data:`QUEUE_CLOCKS`) and
``desktop.dossiers.utcnow`` are replaced by :class:`Clock`, so tickets and dossiers get the times the test says (the code under
test is the real queue and dossier services).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.audit import AuditLog
from desktop.auth import Actor, AuthService
from desktop.db import Database
from desktop.db.models import OrgUnit, Role
from desktop.queue.desk import QueueDesk
from desktop.queue.seed import seed_queue

ADMIN = Actor(username="admin", role=Role.ADMIN)
KIOSK = Actor(username="kiosk", role=Role.SUPERVISOR, unit_id=None)
#: Wednesday 2 December 2026, 08:00 in Vietnam
T0 = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


#: every queue module that reads the clock: tickets, counter sessions, figures
QUEUE_CLOCKS = ("desktop.queue.desk.utcnow", "desktop.queue.counter_sessions.utcnow",
                "desktop.queue.figures.utcnow")


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: float, base: datetime = T0) -> datetime:
        self.now = base + timedelta(minutes=minutes)
        return self.now


def set_queue_clock(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    for target in QUEUE_CLOCKS:
        monkeypatch.setattr(target, clock)


@dataclass
class World:
    db: Database
    desk: QueueDesk
    clock: Clock
    lan: Actor  # officer of unit A
    minh: Actor  # officer of unit B
    sup_a: Actor  # supervisor of unit A
    sup_top: Actor  # supervisor of the centre (top unit)
    units: dict[str, int]


@pytest.fixture(params=["sqlite", "postgres"])
def world(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    url = f"sqlite:///{tmp_path / 'r.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    db = Database(url)
    db.migrate()
    clock = Clock(T0)
    set_queue_clock(monkeypatch, clock)
    monkeypatch.setattr("desktop.dossiers.utcnow", clock)
    with db.session() as s:
        seed_queue(s)
        top = OrgUnit(code="000.00.00.H56", name="Trung tâm PVHCC", level="province")
        s.add(top)
        s.flush()
        a = OrgUnit(code="000.00.06.H56", name="Sở Tư pháp", parent_id=top.id)
        b = OrgUnit(code="000.00.07.H56", name="Sở Xây dựng", parent_id=top.id)
        s.add_all([a, b])
        s.flush()
        units = {"top": top.id, "A": a.id, "B": b.id}
    auth = AuthService(db, AuditLog())
    mk = auth.create_officer
    lan = mk(ADMIN, username="lan", full_name="Nguyễn Thị Lan", role=Role.COUNTER_OFFICER, password="Quầy-báo-cáo-2026",
             unit_code="000.00.06.H56")
    minh = mk(ADMIN, username="minh", full_name="Trần Văn Minh", role=Role.COUNTER_OFFICER, password="Quầy-báo-cáo-2026",
              unit_code="000.00.07.H56")
    sup_a = mk(ADMIN, username="sup_a", full_name="Lê Giám Sát", role=Role.SUPERVISOR, password="Quầy-báo-cáo-2026",
               unit_code="000.00.06.H56")
    sup_top = mk(ADMIN, username="sup_top", full_name="Phạm Trưởng", role=Role.SUPERVISOR, password="Quầy-báo-cáo-2026",
                 unit_code="000.00.00.H56")
    yield World(db, QueueDesk(db, AuditLog()), clock, lan, minh, sup_a, sup_top, units)
    db.dispose()


def play_day(w: World) -> None:
    """The queue day the figures in test_queue_report.py are computed from by hand (minutes after 08:00).

    Counter 1 (lan, TP): A001 0→call 2, start 3, end 10 · B001 (transferred in at 7, keeps its
    issue time 0, so first in line) → call 10, end 12 · A002 1→call 12, end 20 (no start) ·
    A003 2→call 20, skip 21 (no-show) · A004 3→call 21, start 22, end 55 · A005 4→call 55,
    skip 56, recalled 58, end 60; pause 63:30–70, close 80.
    Counter 3 (minh, DD): B001 0→call 5, start 6, transfer to TP 7 · B002 1→call 8, end 15.
    C001 (KD) issued at 5, never called.
    """
    d, lan, minh = w.desk, w.lan, w.minh
    plan: list[tuple[float, Callable[[], object]]] = [
        (-1, lambda: d.open_session(lan, 1)), (-1, lambda: d.open_session(minh, 3)),
        (0, lambda: d.issue(KIOSK, "TP")), (0, lambda: d.issue(KIOSK, "DD")),  # A001, B001
        (1, lambda: d.issue(KIOSK, "TP")), (1, lambda: d.issue(KIOSK, "DD")),  # A002, B002
        (2, lambda: d.issue(KIOSK, "TP")), (2, lambda: d.call_next(lan, 1)),  # A003; A001 called
        (3, lambda: d.issue(KIOSK, "TP")), (3, lambda: d.start(lan, 1)),  # A004
        (4, lambda: d.issue(KIOSK, "TP")),  # A005
        (5, lambda: d.issue(KIOSK, "KD")), (5, lambda: d.call_next(minh, 3)),  # C001; B001 at counter 3
        (6, lambda: d.start(minh, 3)), (7, lambda: d.transfer(minh, 3, "TP")),
        (8, lambda: d.call_next(minh, 3)),  # B002
        (10, lambda: d.end(lan, 1)), (10, lambda: _expect(d.call_next(lan, 1), "B001")),
        (12, lambda: d.end(lan, 1)), (12, lambda: _expect(d.call_next(lan, 1), "A002")),
        (15, lambda: d.end(minh, 3)),
        (20, lambda: d.end(lan, 1, dossier_code="000.00.06.H56-261202-0001")),
        (20, lambda: _expect(d.call_next(lan, 1), "A003")),
        (21, lambda: d.skip(lan, 1)), (21, lambda: _expect(d.call_next(lan, 1), "A004")),
        (22, lambda: d.start(lan, 1)),
        (55, lambda: d.end(lan, 1)), (55, lambda: _expect(d.call_next(lan, 1), "A005")),
        (56, lambda: d.skip(lan, 1)), (58, lambda: d.recall(lan, "A005", 1)), (60, lambda: d.end(lan, 1)),
        (63.5, lambda: d.pause_session(lan, 1, "họp giao ban")), (70, lambda: d.resume_session(lan, 1)),
        (80, lambda: d.close_session(lan, 1)),
    ]
    for minute, action in plan:
        w.clock.at(minute)
        action()


def _expect(view: object, number: str) -> None:
    assert getattr(view, "number", None) == number, view
