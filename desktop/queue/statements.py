"""The queue's SQL, built once: the Core tables and the statements of the ticket actions.

Building a statement costs more than running it on PostgreSQL, so the statements that
every press of a counter's button runs are compiled here at import and reused.
"Call next" is one ``UPDATE … RETURNING`` whose ``WHERE`` picks the best waiting ticket
(priority class, then issue time) and re-checks the counter as the caller cached it; on
PostgreSQL the row is locked with ``FOR UPDATE SKIP LOCKED`` and :func:`with_event` adds
the ticket's event row and its notification to the same statement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    Row,
    Select,
    String,
    Table,
    Text,
    Update,
    bindparam,
    case,
    cast,
    exists,
    func,
    insert,
    select,
    update,
)

from desktop.db.base import UTCDateTime
from desktop.kernel.timeutil import to_vn
from desktop.queue.listener import CHANNEL
from desktop.queue.models import (
    ACTIVE,
    Counter,
    CounterSession,
    CounterSessionEvent,
    QueueService,
    SessionState,
    Ticket,
    TicketEvent,
    TicketState,
)
from desktop.queue.priority import PRIORITIES


def table(model: type) -> Table:
    """The Core table of a mapped class (Core statements skip the ORM's bookkeeping)."""
    core = model.__table__  # type: ignore[attr-defined]
    assert isinstance(core, Table)
    return core


def today_key(now: datetime) -> str:
    """The ``day`` a ticket issued at ``now`` is numbered and stored under (Vietnam's date)."""
    return to_vn(now).strftime("%Y%m%d")


tickets = table(Ticket)
events = table(TicketEvent)
services = table(QueueService)
counters = table(Counter)
sessions = table(CounterSession)
session_events = table(CounterSessionEvent)
RANK = {p: i for i, p in enumerate(PRIORITIES)}
Changed = Row[int, str, int, str, datetime]  # id, number, service_id, priority, issued_at
RETURNED = (tickets.c.id, tickets.c.number, tickets.c.service_id, tickets.c.priority, tickets.c.issued_at)
# Statements are built once: building one costs more than running it on PostgreSQL.
INSERT_EVENT = insert(events)


def claim_statement(skip_locked: bool) -> Update:
    """Call the best waiting ticket for a counter, in one statement.

    The statement also checks that the counter is still as this process cached it, has
    an open (not paused) session and serves nobody, so the common case is one round trip; when it matches nothing the
    caller finds out why. Parameters: ``cid``, ``codes`` (the counter's services),
    ``services_text``.
    """
    cand, cur = tickets.alias("cand"), tickets.alias("cur")
    rank = case(RANK, value=cand.c.priority, else_=len(PRIORITIES))
    pick = (select(cand.c.id)
            .where(cand.c.state == TicketState.WAITING,
                   cand.c.service_id.in_(select(services.c.id).where(
                       services.c.code.in_(bindparam("codes", expanding=True)), services.c.active)),
                   exists().where(counters.c.id == bindparam("cid"), counters.c.active,
                                  cast(counters.c.services, String) == bindparam("services_text")),
                   ~exists().where(cur.c.counter_id == bindparam("cid"), cur.c.state.in_(ACTIVE)),
                   exists().where(sessions.c.counter_id == bindparam("cid"), sessions.c.state == SessionState.OPEN))
            .order_by(rank, cand.c.issued_at, cand.c.id).limit(1))
    if skip_locked:  # twenty counters never get the same row, and never wait for each other
        pick = pick.with_for_update(skip_locked=True)
    return (update(tickets).where(tickets.c.id == pick.scalar_subquery())
            .values(state=TicketState.CALLED, counter_id=bindparam("cid")).returning(*RETURNED))


CLAIM = {True: claim_statement(True), False: claim_statement(False)}


def act_statement(with_dossier: bool) -> Update:
    """Move the counter's current ticket (in one of ``states``) to ``new_state``."""
    stmt = (update(tickets).where(tickets.c.counter_id == bindparam("cid"),
                                  tickets.c.state.in_(bindparam("states", expanding=True))))
    values: dict[str, Any] = {"state": bindparam("new_state")}
    if with_dossier:
        values["dossier_code"] = bindparam("new_dossier")
    return stmt.values(values).returning(*RETURNED)


ACT = {True: act_statement(True), False: act_statement(False)}


def with_event(stmt: Update) -> Select[Any]:
    """PostgreSQL: ``stmt``, the ticket's event row and its notification in one statement.

    A writable CTE; the notification (see :mod:`desktop.queue.listener`) is delivered at
    commit. Extra parameters: ``kind``, ``at``, ``officer_id``, ``data``,
    ``counter_number``; ``cid`` is the counter's id.
    """
    changed = stmt.cte("changed")
    kind = bindparam("kind", type_=String)
    event = insert(events).from_select(
        ["ticket_id", "kind", "at", "counter_id", "officer_id", "data"],
        select(changed.c.id, kind, bindparam("at", type_=UTCDateTime()),
               bindparam("cid", type_=Integer), bindparam("officer_id", type_=Integer),
               bindparam("data", type_=JSON))).cte("event")
    service = select(services.c.code).where(services.c.id == changed.c.service_id).scalar_subquery()
    payload = func.json_build_object("kind", kind, "ticket", changed.c.number, "ticket_id", changed.c.id,
                                     "counter", bindparam("counter_number", type_=Integer), "service", service)
    notify = func.pg_notify(CHANNEL, cast(payload, Text))
    return select(*changed.c, notify).add_cte(event)


CLAIM_PG = with_event(CLAIM[True])
#: an active counter by ``number``: id, name, services as stored, current ticket, live session's state
PROBE = select(
    counters.c.id, counters.c.name, cast(counters.c.services, String),
    select(tickets.c.number).where(tickets.c.counter_id == counters.c.id, tickets.c.state.in_(ACTIVE))
    .limit(1).scalar_subquery(),
    select(sessions.c.state).where(sessions.c.counter_id == counters.c.id,
                                   sessions.c.state.in_((SessionState.OPEN, SessionState.PAUSED))).limit(1).scalar_subquery(),
).where(counters.c.number == bindparam("number"), counters.c.active)
#: a notification to the screens; parameter ``payload`` (JSON text)
NOTIFY = select(func.pg_notify(CHANNEL, bindparam("payload", type_=Text)))
ACT_PG = {True: with_event(ACT[True]), False: with_event(ACT[False])}
