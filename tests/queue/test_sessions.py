"""Counter sessions: sign in, pause with a reason, resume, sign out; idle time from events."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.auth import Actor, AuthService
from desktop.db import Database
from desktop.db.models import AuditEvent, Role
from desktop.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desktop.kernel.i18n import set_language
from desktop.queue.desk import QueueDesk
from desktop.queue.models import CounterSession, CounterSessionEvent, TicketEvent
from desktop.queue.seed import seed_queue
from desktop.queue.sessions import busy_intervals, measure
from tests.cli import motcua

ADMIN = Actor(username="admin", role=Role.ADMIN)
KIOSK = Actor(username="kiosk", role=Role.SUPERVISOR)
T0 = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


def m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture(params=["sqlite", "postgres"])
def desk(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'q.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    db = Database(url)
    db.migrate()
    with db.session() as s:
        seed_queue(s)
    yield QueueDesk(db, AuditLog())
    db.dispose()


# --- the arithmetic, on hand-made events ---------------------------------------------

def test_idle_is_open_minus_paused_minus_busy() -> None:
    session = [("open", m(0)), ("pause", m(30)), ("resume", m(40)), ("close", m(120))]
    # ticket 1 at counter 7 from 10 to 25; ticket 2 called at 50, recalled elsewhere at 55;
    # ticket 3 skipped; ticket 4 still being served at "now"
    tickets = [(1, "call", m(10), 7), (1, "end", m(25), 7), (2, "call", m(50), 7), (2, "call", m(55), 8),
               (3, "call", m(60), 7), (3, "skip", m(62), 7), (5, "call", m(61), 8), (5, "end", m(90), 8),
               (4, "call", m(100), 7)]
    busy = busy_intervals(tickets, 7, m(200))
    assert busy == [(m(10), m(25)), (m(50), m(55)), (m(60), m(62)), (m(100), m(200))]
    opened, paused, busy_s, idle = measure([session], busy, m(-60), m(200))
    assert opened == 120 * 60 and paused == 10 * 60
    assert busy_s == (15 + 5 + 2 + 20) * 60  # the last visit counts only while the session is open
    assert idle == (120 - 10 - 42) * 60


def test_open_pause_counts_until_now_and_window_clips() -> None:
    sessions = [[("open", m(-30)), ("close", m(-10))],  # before the window
                [("open", m(0)), ("pause", m(20))]]  # still paused now
    opened, paused, busy, idle = measure(sessions, [], m(-20), m(50))
    assert opened == (10 + 50) * 60 and paused == 30 * 60 and busy == 0 and idle == 30 * 60


# --- the service ---------------------------------------------------------------------

def test_pause_resume_close_and_calls(desk: QueueDesk) -> None:
    auth = AuthService(desk.db, desk.audit)
    lan = auth.create_officer(ADMIN, username="lan", full_name="Nguyễn Thị Lan", role=Role.COUNTER_OFFICER,
                              password="Quầy-hai-buổi-chiều")
    auth.create_officer(ADMIN, username="minh", full_name="Trần Minh", role=Role.COUNTER_OFFICER,
                        password="Quầy-hai-buổi-chiều")
    with pytest.raises(Conflict, match="chưa mở phiên"):
        desk.pause_session(lan, 1, "nghỉ giữa giờ")
    v = desk.open_session(lan, 1)
    assert (v.counter, v.officer, v.state) == (1, "lan", "open")
    with pytest.raises(Conflict, match="đã có phiên làm việc"):
        desk.open_session(lan, 1)
    with pytest.raises(PermissionDenied):  # an officer does not sign a colleague in
        desk.open_session(lan, 2, officer="minh")
    with pytest.raises(NotFound, match="Không có cán bộ “ai”"):
        desk.open_session(ADMIN, 2, officer="ai")
    assert desk.open_session(ADMIN, 2, officer="minh").officer == "minh"

    a1 = desk.issue(KIOSK, "TP")
    a2 = desk.issue(KIOSK, "TP")
    assert desk.call_next(lan, 1).number == a1.number
    with pytest.raises(Conflict, match="đang phục vụ số A001"):
        desk.pause_session(lan, 1, "họp")
    desk.end(lan, 1)
    with pytest.raises(InvalidInput, match="lý do"):
        desk.pause_session(lan, 1, "   ")
    assert desk.pause_session(lan, 1, "  họp   giao ban ").state == "paused"
    with pytest.raises(Conflict, match="đang tạm dừng \\(họp giao ban\\)"):
        desk.call_next(lan, 1)
    set_language("en")
    with pytest.raises(Conflict, match="Counter 1 is paused \\(họp giao ban\\); resume"):
        desk.call_next(lan, 1)
    set_language(None)
    with pytest.raises(Conflict, match="đã tạm dừng rồi"):
        desk.pause_session(lan, 1, "lần nữa")
    assert desk.call_next(ADMIN, 2).number == a2.number  # other counters are not affected
    desk.end(ADMIN, 2)
    assert desk.resume_session(lan, 1).state == "open"
    with pytest.raises(Conflict, match="không tạm dừng"):
        desk.resume_session(lan, 1)
    assert desk.call_next(lan, 1) is None  # open, nobody waiting
    closed = desk.close_session(lan, 1)
    assert closed.state == "closed" and closed.ended_at is not None
    desk.issue(KIOSK, "TP")
    with pytest.raises(Conflict, match="đã đóng phiên làm việc lúc"):
        desk.call_next(lan, 1)  # signed out today: no silent re-opening
    with pytest.raises(Conflict, match="đã đóng phiên"):
        desk.recall(lan, a1.number, 1)
    desk.open_session(lan, 1)
    assert desk.call_next(lan, 1) is not None

    with desk.db.session() as s:
        kinds = [k for k, in s.execute(select(CounterSessionEvent.kind).join(CounterSession)
                                       .where(CounterSession.counter_id == 1).order_by(CounterSessionEvent.id))]
        actions = set(s.scalars(select(AuditEvent.action)))
        assert not desk.audit.verify(s)
    assert kinds == ["open", "pause", "resume", "close", "open"]
    assert {"queue.session_open", "queue.session_pause", "queue.session_resume", "queue.session_close"} <= actions


def test_call_next_opens_a_session_for_a_counter_not_opened_today(desk: QueueDesk) -> None:
    officer = Actor(username="lan", role=Role.COUNTER_OFFICER)
    desk.issue(KIOSK, "TP")
    assert desk.call_next(officer, 1) is not None
    figures = {f.counter: f for f in desk.counter_figures()}
    assert figures[1].state == "open" and figures[3].state == "closed"
    # closed on an earlier day: the next morning's first call opens a new session
    desk.end(officer, 1)
    desk.close_session(officer, 1)
    with desk.db.session() as s:
        for cs in s.scalars(select(CounterSession)):
            cs.ended_at = cs.started_at = cs.started_at - timedelta(days=1)
    desk.issue(KIOSK, "TP")
    assert desk.call_next(officer, 1) is not None
    with desk.db.session() as s:
        assert [st for st, in s.execute(select(CounterSession.state).order_by(CounterSession.id))] == ["closed", "open"]


def test_figures_come_from_events(desk: QueueDesk) -> None:
    officer = Actor(username="lan", role=Role.COUNTER_OFFICER)
    desk.open_session(officer, 1)
    desk.issue(KIOSK, "TP")
    desk.issue(KIOSK, "TP")
    desk.call_next(officer, 1)
    desk.end(officer, 1)
    desk.pause_session(officer, 1, "nghỉ trưa")
    desk.resume_session(officer, 1)
    desk.call_next(officer, 1)
    desk.skip(officer, 1)
    # put the events on a known timeline: open 0, call 10, end 25, pause 30, resume 40, call 50, skip 52
    times = iter([m(0), m(30), m(40)])
    with desk.db.session() as s:
        for ev in s.scalars(select(CounterSessionEvent).order_by(CounterSessionEvent.id)):
            ev.at = next(times)
        ticket_times = iter([m(-5), m(-4), m(10), m(25), m(50), m(52)])  # issue, issue, call, end, call, skip
        for tev in s.scalars(select(TicketEvent).order_by(TicketEvent.id)):
            tev.at = next(ticket_times)
    f = {x.counter: x for x in desk.counter_figures(now=m(60))}[1]
    assert (f.state, f.officer, f.served) == ("open", None, 1)
    assert (f.open_s, f.paused_s, f.busy_s, f.idle_s) == (3600, 600, 17 * 60, (60 - 10 - 17) * 60)


def test_cli_session_commands_and_status_json(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return motcua(tmp_path, "queue", *args, timeout=60)

    assert run("session", "open", "--counter", "2").returncode == 0
    r = run("session", "pause", "--counter", "2")
    assert r.returncode == 2 and "lý do" in r.stderr
    assert run("session", "pause", "--counter", "2", "--reason", "họp").returncode == 0
    assert run("issue", "--service", "TP").stdout.splitlines()[-1] == "A001"
    r = run("call-next", "--counter", "2")
    assert r.returncode == 2 and "tạm dừng (họp)" in r.stderr
    assert run("session", "resume", "--counter", "2").returncode == 0
    assert run("call-next", "--counter", "2").stdout.splitlines()[-1] == "A001"
    assert run("end", "--counter", "2").returncode == 0
    data = json.loads(run("status", "--json").stdout)
    tp = next(s for s in data["services"] if s["code"] == "TP")
    assert {"code", "name", "waiting", "longest_wait_s"} <= set(tp)
    c2 = next(c for c in data["counters"] if c["counter"] == 2)
    assert c2["state"] == "open" and c2["served"] == 1
    assert c2["open_s"] >= c2["paused_s"] + c2["idle_s"] and {"busy_s", "officer"} <= set(c2)
    assert run("session", "close", "--counter", "2").returncode == 0
    assert run("session", "resume", "--counter", "2").returncode == 2
