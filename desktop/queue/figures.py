"""Read-only queue figures: each service's status today, the latest calls, a counter's board.

Wait (last call − issue) and service time (end − start, else the call) are computed from
the tickets' events; nothing here writes. :class:`~desktop.queue.desk.QueueDesk`
offers :func:`status` and :func:`recent_calls` as methods; a counter's open, paused, busy
and idle time is :meth:`~desktop.queue.counter_sessions.CounterSessions.counter_figures`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import case, select
from sqlalchemy.orm import Session, selectinload

from desktop.db import Database
from desktop.kernel.timeutil import utcnow
from desktop.queue import statements as sql
from desktop.queue.models import ACTIVE, Counter, QueueService, SessionState, Ticket, TicketEvent, TicketState
from desktop.queue.priority import PRIORITIES
from desktop.queue.views import TicketView

if TYPE_CHECKING:
    from desktop.queue.desk import QueueDesk


@dataclass(frozen=True)
class ServiceStatus:
    code: str
    name: str
    waiting: int
    longest_wait_s: int
    served_today: int
    avg_wait_s: int | None
    avg_service_s: int | None


def status(db: Database, now: datetime | None = None) -> list[ServiceStatus]:
    """Today's figures of each active service: waiting now, longest wait, served, average wait and service."""
    now = now or utcnow()
    day = sql.today_key(now)
    out = []
    with db.session() as s:
        tickets = list(s.scalars(select(Ticket).options(selectinload(Ticket.events), selectinload(Ticket.service))
                                 .where(Ticket.day == day)))
        for svc in s.scalars(select(QueueService).where(QueueService.active).order_by(QueueService.code)):
            mine = [t for t in tickets if t.service_id == svc.id]
            waiting = [t for t in mine if t.state == TicketState.WAITING]
            longest = max((max(timedelta(0), now - t.issued_at) for t in waiting), default=timedelta(0))
            waits = [w for t in mine if (w := wait_time(t)) is not None]
            services = [v for t in mine if (v := service_time(t)) is not None]
            out.append(ServiceStatus(svc.code, svc.name, len(waiting), int(longest.total_seconds()),
                                     sum(t.state == TicketState.DONE for t in mine), _avg(waits), _avg(services)))
    return out


def recent_calls(db: Database, limit: int = 8) -> list[tuple[int, str, int, datetime]]:
    """Today's newest calls: (event id, ticket number, counter number, time), newest first."""
    day = sql.today_key(utcnow())
    with db.session() as s:
        rows = s.execute(select(TicketEvent.id, Ticket.number, Counter.number, TicketEvent.at)
                         .join(Ticket, TicketEvent.ticket_id == Ticket.id)
                         .join(Counter, TicketEvent.counter_id == Counter.id)
                         .where(TicketEvent.kind == "call", Ticket.day == day)
                         .order_by(TicketEvent.id.desc()).limit(limit)).all()
    return [(int(i), str(n), int(c), at) for i, n, c, at in rows]


def wait_time(t: Ticket) -> timedelta | None:
    calls = [e.at for e in t.events if e.kind == "call"]
    return max(timedelta(0), calls[-1] - t.issued_at) if calls else None


def service_time(t: Ticket) -> timedelta | None:
    ends = [e.at for e in t.events if e.kind == "end"]
    if not ends:
        return None
    before = [e for e in t.events if e.at <= ends[-1]]
    # service runs from "start"; a counter that never pressed start served from the call
    begin = ([e.at for e in before if e.kind == "start"] or [e.at for e in before if e.kind == "call"] or ends)[-1]
    return max(timedelta(0), ends[-1] - begin)


def _avg(values: list[timedelta]) -> int | None:
    return int(sum(v.total_seconds() for v in values) / len(values)) if values else None


def status_dicts(rows: list[ServiceStatus]) -> list[dict[str, object]]:
    return [asdict(r) for r in rows]


@dataclass(frozen=True)
class SessionStatus:
    """The counter's live session as its screen shows it."""

    state: SessionState
    #: open: when the session opened; paused: when this pause began; closed: None
    since: datetime | None = None
    #: the reason given for the current pause
    reason: str = ""


NO_SESSION = SessionStatus(SessionState.CLOSED)


@dataclass(frozen=True)
class CounterBoard:
    """What a counter's screen shows: its current ticket, who waits for its services, its session."""

    counter: int
    name: str
    current: TicketView | None
    #: when the current ticket's service began (start, else its last call)
    current_since: datetime | None
    waiting: list[TicketView]
    session: SessionStatus = NO_SESSION


def _session_status(s: Session, counter_id: int) -> SessionStatus:
    live = s.execute(select(sql.sessions.c.id, sql.sessions.c.state, sql.sessions.c.started_at)
                     .where(sql.sessions.c.counter_id == counter_id,
                            sql.sessions.c.state.in_((SessionState.OPEN, SessionState.PAUSED)))).first()
    if live is None:
        return NO_SESSION
    sid, state, started = live
    if state != SessionState.PAUSED:
        return SessionStatus(SessionState.OPEN, started)
    pause = s.execute(select(sql.session_events.c.at, sql.session_events.c.reason)
                      .where(sql.session_events.c.session_id == sid, sql.session_events.c.kind == "pause")
                      .order_by(sql.session_events.c.id.desc()).limit(1)).first()
    return SessionStatus(SessionState.PAUSED, pause[0] if pause else started, str(pause[1]) if pause else "")


def counter_board(desk: QueueDesk, counter_number: int) -> CounterBoard:
    with desk.db.session() as s:
        counter = desk._counter(s, counter_number)
        rank = case({p: i for i, p in enumerate(PRIORITIES)}, value=Ticket.priority, else_=len(PRIORITIES))
        rows = s.execute(select(Ticket, QueueService).join(QueueService)
                         .where(Ticket.state == TicketState.WAITING, QueueService.code.in_(counter.services or []))
                         .order_by(rank, Ticket.issued_at, Ticket.id)).all()
        waiting = [TicketView(t.id, t.number, svc.code, t.priority, t.state, t.issued_at, None, i)
                   for i, (t, svc) in enumerate(rows)]
        cur = s.scalar(select(Ticket).options(selectinload(Ticket.events), selectinload(Ticket.service))
                       .where(Ticket.counter_id == counter.id, Ticket.state.in_(ACTIVE)).order_by(Ticket.id.desc()))
        since = None
        if cur is not None:
            starts = [e.at for e in cur.events if e.kind == "start"] or [e.at for e in cur.events if e.kind == "call"]
            since = starts[-1] if starts else None
        return CounterBoard(counter.number, counter.name, desk._view(s, cur, cur.service, counter) if cur else None,
                            since, waiting, _session_status(s, counter.id))
