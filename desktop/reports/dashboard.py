"""The floor manager's live figures: who waits now, the longest wait, counters, served today.

Read every few seconds, so each figure is one small indexed query over today's rows
(``ix_queue_ticket_issued_at``, the counter sessions' state, ``ix_dossier_due_at``); the
target is under 50 ms with a provincial centre's busiest day (bench/RESULTS.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import text

from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.kernel.timeutil import VN_TZ, to_vn, utcnow
from desktop.reports.period import Period
from desktop.reports.queue import WAIT_TARGET_S
from desktop.reports.scope import Scope, scope_for
from desktop.reports.sql import Dialect, no_jit, seconds_int, share

OPEN_STATES = "(1, 2, 4, 5, 6)"


@dataclass
class ServiceNow:
    code: str
    name: str
    waiting: int
    longest_wait_s: int
    served_today: int


@dataclass
class DueDossier:
    code: str
    procedure: str
    officer: str
    due_at: str


@dataclass
class Dashboard:
    at: str
    services: list[ServiceNow]
    counters_open: int
    counters_paused: int
    counters_closed: int
    served_today: int
    waiting_now: int
    longest_wait_s: int
    wait_avg_today_s: int | None
    wait_over_15min_share_today: float | None
    dossiers_due_today: int
    due_today: list[DueDossier] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _naive(x: datetime) -> datetime:
    return x.astimezone(UTC).replace(tzinfo=None)


def _dt(v: Any) -> datetime:
    x = v if isinstance(v, datetime) else datetime.fromisoformat(str(v))
    return x.replace(tzinfo=UTC) if x.tzinfo is None else x


SERVICES_SQL = (
    "SELECT s.code, s.name, COALESCE(SUM(CASE WHEN t.state = 'waiting' THEN 1 ELSE 0 END), 0) AS waiting, "
    "MIN(CASE WHEN t.state = 'waiting' THEN t.issued_at END) AS oldest, "
    "COALESCE(SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END), 0) AS done "
    "FROM queue_service s LEFT JOIN queue_ticket t ON t.service_id = s.id "
    "AND t.issued_at >= :lo AND t.issued_at < :hi WHERE s.active GROUP BY s.code, s.name ORDER BY s.code")
SESSIONS_SQL = ("SELECT cs.state, COUNT(*) FROM queue_counter_session cs WHERE cs.state IN ('open', 'paused') "
                "GROUP BY cs.state")
COUNTERS_SQL = "SELECT COUNT(*) FROM queue_counter WHERE active"


def _waits_sql(d: Dialect, scope: Scope) -> str:
    """Today's waits of served tickets: each ticket's last call (by id) − issue; out-of-order ones left out.

    The report's definition on today's rows, without replaying every event (the
    report's own statement took 150–300 ms on a 7,000-ticket day, this one 25 ms).
    """
    return (f"WITH c AS (SELECT t.id, t.issued_at, MAX(e.id) AS call_id FROM queue_ticket t "
            "JOIN queue_ticket_event e ON e.ticket_id = t.id AND e.kind = 'call' "
            "WHERE t.issued_at >= :lo AND t.issued_at < :hi AND t.state = 'done' GROUP BY t.id, t.issued_at) "
            "SELECT AVG(w) AS wait_avg, SUM(CASE WHEN w > 900 THEN 1 ELSE 0 END) AS wait_over, COUNT(w) AS n_wait "
            f"FROM (SELECT {d.seconds('ev.at', 'c.issued_at')} AS w, ev.officer_id FROM c "
            "JOIN queue_ticket_event ev ON ev.id = c.call_id) AS x "
            f"WHERE w >= 0 AND {scope.officer_filter('x.officer_id')}")


def _due_sql(scope: Scope) -> str:
    return ("SELECT d.code, p.code AS procedure, o.username, d.due_at FROM dossier d "
            "JOIN procedure p ON p.id = d.procedure_id LEFT JOIN officer o ON o.id = d.officer_id "
            f"WHERE d.due_at >= :now AND d.due_at < :hi AND d.status IN {OPEN_STATES} "
            f"AND {scope.unit_filter('d.unit_id', 'd.officer_id')} ORDER BY d.due_at LIMIT 50")


def statements(d: Dialect, scope: Scope, now: datetime) -> list[tuple[str, dict[str, Any]]]:
    """The dashboard's statements with their parameters, in order (bench/ runs them bare)."""
    lo = datetime.combine(to_vn(now).date(), time(0), VN_TZ)
    hi = lo + timedelta(days=1)
    day = {"lo": _naive(lo), "hi": _naive(hi)}
    return [(SERVICES_SQL, day), (SESSIONS_SQL, {}), (COUNTERS_SQL, {}),
            (_waits_sql(d, scope), day),
            (_due_sql(scope), {"now": _naive(now), "hi": _naive(hi)})]


def dashboard(db: Database, actor: Actor, now: datetime | None = None) -> Dashboard:
    require(actor, Permission.MANAGE_QUEUE)
    now = now or utcnow()
    d = Dialect(db.is_postgres)
    with db.session() as s:
        scope = scope_for(s, actor)
        no_jit(s)
        (q1, p1), (q2, p2), (q3, p3), (q4, p4), (q5, p5) = statements(d, scope, now)
        per = s.execute(text(q1), p1).all()
        states = {str(k): int(n) for k, n in s.execute(text(q2), p2)}
        counters = int(s.scalar(text(q3), p3) or 0)
        waits = s.execute(text(q4), p4).first()
        due = s.execute(text(q5), p5).all()
    services = []
    for code, name, waiting, oldest, done in per:
        longest = max(0, int((now - _dt(oldest)).total_seconds())) if oldest is not None else 0
        services.append(ServiceNow(code, name, int(waiting), longest, int(done)))
    opened, paused = int(states.get("open", 0)), int(states.get("paused", 0))
    n_wait = int(waits.n_wait or 0) if waits is not None else 0
    return Dashboard(
        at=to_vn(now).isoformat(), services=services, counters_open=opened, counters_paused=paused,
        counters_closed=max(0, counters - opened - paused), served_today=sum(x.served_today for x in services),
        waiting_now=sum(x.waiting for x in services), longest_wait_s=max((x.longest_wait_s for x in services), default=0),
        wait_avg_today_s=seconds_int(waits.wait_avg) if waits is not None else None,
        wait_over_15min_share_today=share(waits.wait_over, n_wait) if waits is not None else None,
        dossiers_due_today=len(due),
        due_today=[DueDossier(c, p, u or "-", to_vn(_dt(at)).strftime("%H:%M")) for c, p, u, at in due])


def today_period(now: datetime | None = None) -> Period:
    t = to_vn(now or utcnow()).date()
    return Period(t, t)


__all__ = ["Dashboard", "dashboard", "today_period", "WAIT_TARGET_S"]
