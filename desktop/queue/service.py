"""Queue actions: issue, call next, recall, skip, transfer, start, end; status from events.

Ordering rule: priority classes (elderly, people with disabilities, pregnant women, people
with a child under 6, appointments: :mod:`desktop.queue.priority`) are called before
walk-ins; within a class, the earliest issued first.
"Call next" is atomic: on PostgreSQL the chosen row is locked with ``FOR UPDATE SKIP
LOCKED`` so twenty counters never get the same ticket and never wait for each other;
on SQLite the ``BEGIN IMMEDIATE`` transaction serializes callers.

Every action appends a ``ticket_event``; wait (last call − issue) and service time
(end − start) are computed from events. Event times come from the database clock's
caller (UTC), so a change of the workstation's local clock or time zone does not shift
them; a backwards jump can only shorten one interval and is clamped at zero.

On PostgreSQL every change also sends ``pg_notify('motcua_queue', json)`` in its own
transaction, for the screens (:mod:`desktop.queue.live`); on SQLite screens poll.
Counter sessions (sign in, pause, resume, sign out) gate "call next"; their open, idle
and paused time is replayed from events (:mod:`desktop.queue.sessions`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
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
    literal,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, selectinload

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.db.base import UTCDateTime
from desktop.db.models import Officer
from desktop.dossiers import next_daily_number
from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.queue.live import CHANNEL
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
from desktop.queue.priority import ORDER
from desktop.queue.sessions import CounterFigures, busy_intervals, measure

PRIORITIES: tuple[str, ...] = tuple(p.value for p in ORDER)


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str
    service: str
    priority: str
    state: TicketState
    issued_at: datetime
    counter: int | None
    ahead: int = 0


@dataclass(frozen=True)
class ServiceStatus:
    code: str
    name: str
    waiting: int
    longest_wait_s: int
    served_today: int
    avg_wait_s: int | None
    avg_service_s: int | None


@dataclass(frozen=True)
class SessionView:
    id: int
    counter: int
    officer: str | None
    state: SessionState
    started_at: datetime
    ended_at: datetime | None


def _table(model: type) -> Table:
    """The Core table of a mapped class (Core statements skip the ORM's bookkeeping)."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def _today_key(now: datetime) -> str:
    return to_vn(now).strftime("%Y%m%d")


_tickets = _table(Ticket)
_events = _table(TicketEvent)
_services = _table(QueueService)
_counters = _table(Counter)
_sessions = _table(CounterSession)
_session_events = _table(CounterSessionEvent)
_RANK = {p: i for i, p in enumerate(PRIORITIES)}
_Changed = Row[int, str, int, str, datetime]  # id, number, service_id, priority, issued_at
_RETURNED = (_tickets.c.id, _tickets.c.number, _tickets.c.service_id, _tickets.c.priority, _tickets.c.issued_at)
# Statements are built once: building one costs more than running it on PostgreSQL.
_INSERT_EVENT = insert(_events)


def _claim_statement(skip_locked: bool) -> Update:
    """Call the best waiting ticket for a counter, in one statement.

    The statement also checks that the counter is still as this process cached it, has
    an open (not paused) session and serves nobody, so the common case is one round trip; when it matches nothing the
    caller finds out why. Parameters: ``cid``, ``codes`` (the counter's services),
    ``services_text``.
    """
    cand, cur = _tickets.alias("cand"), _tickets.alias("cur")
    rank = case(_RANK, value=cand.c.priority, else_=len(PRIORITIES))
    pick = (select(cand.c.id)
            .where(cand.c.state == TicketState.WAITING,
                   cand.c.service_id.in_(select(_services.c.id).where(
                       _services.c.code.in_(bindparam("codes", expanding=True)), _services.c.active)),
                   exists().where(_counters.c.id == bindparam("cid"), _counters.c.active,
                                  cast(_counters.c.services, String) == bindparam("services_text")),
                   ~exists().where(cur.c.counter_id == bindparam("cid"), cur.c.state.in_(ACTIVE)),
                   exists().where(_sessions.c.counter_id == bindparam("cid"), _sessions.c.state == SessionState.OPEN))
            .order_by(rank, cand.c.issued_at, cand.c.id).limit(1))
    if skip_locked:  # twenty counters never get the same row, and never wait for each other
        pick = pick.with_for_update(skip_locked=True)
    return (update(_tickets).where(_tickets.c.id == pick.scalar_subquery())
            .values(state=TicketState.CALLED, counter_id=bindparam("cid")).returning(*_RETURNED))


_CLAIM = {True: _claim_statement(True), False: _claim_statement(False)}


def _act_statement(with_dossier: bool) -> Update:
    """Move the counter's current ticket (in one of ``states``) to ``new_state``."""
    stmt = (update(_tickets).where(_tickets.c.counter_id == bindparam("cid"),
                                   _tickets.c.state.in_(bindparam("states", expanding=True))))
    values: dict[str, Any] = {"state": bindparam("new_state")}
    if with_dossier:
        values["dossier_code"] = bindparam("new_dossier")
    return stmt.values(values).returning(*_RETURNED)


_ACT = {True: _act_statement(True), False: _act_statement(False)}


def _with_event(stmt: Update) -> Select[Any]:
    """PostgreSQL: ``stmt``, the ticket's event row and its notification in one statement.

    A writable CTE; the notification (see :mod:`desktop.queue.live`) is delivered at
    commit. Extra parameters: ``kind``, ``at``, ``officer_id``, ``data``,
    ``counter_number``; ``cid`` is the counter's id.
    """
    changed = stmt.cte("changed")
    kind = bindparam("kind", type_=String)
    event = insert(_events).from_select(
        ["ticket_id", "kind", "at", "counter_id", "officer_id", "data"],
        select(changed.c.id, kind, bindparam("at", type_=UTCDateTime()),
               bindparam("cid", type_=Integer), bindparam("officer_id", type_=Integer),
               bindparam("data", type_=JSON))).cte("event")
    service = select(_services.c.code).where(_services.c.id == changed.c.service_id).scalar_subquery()
    payload = func.json_build_object("kind", kind, "ticket", changed.c.number, "ticket_id", changed.c.id,
                                     "counter", bindparam("counter_number", type_=Integer), "service", service)
    notify = func.pg_notify(CHANNEL, cast(payload, Text))
    return select(*changed.c, notify).add_cte(event)


_CLAIM_PG = _with_event(_CLAIM[True])
_PROBE = select(
    _counters.c.id, _counters.c.name, cast(_counters.c.services, String),
    select(_tickets.c.number).where(_tickets.c.counter_id == _counters.c.id, _tickets.c.state.in_(ACTIVE))
    .limit(1).scalar_subquery(),
    select(_sessions.c.state).where(_sessions.c.counter_id == _counters.c.id,
                                    _sessions.c.state.in_((SessionState.OPEN, SessionState.PAUSED))).limit(1).scalar_subquery(),
).where(_counters.c.number == bindparam("number"), _counters.c.active)
_NOTIFY = select(func.pg_notify(CHANNEL, bindparam("payload", type_=Text)))
_ACT_PG = {True: _with_event(_ACT[True]), False: _with_event(_ACT[False])}


@dataclass(frozen=True)
class _CounterInfo:
    """A counter as this process last read it; the claim statement re-checks it."""

    id: int
    number: int
    name: str
    services: tuple[str, ...]
    #: ``services`` exactly as stored: the claim compares it so a changed counter is noticed
    services_text: str


@dataclass(frozen=True)
class _ServiceInfo:
    id: int
    code: str
    name: str
    prefix: str


class QueueDesk:
    """The queue actions of the centre (``QueueService`` is the table of services).

    Counters and services change a few times a year but are needed by every action, so
    they are cached per process. The cache is never trusted blindly: the statements that
    act on a ticket repeat the cached facts in their ``WHERE`` (counter active, same
    service list; service active, same prefix), and a statement that matches nothing
    re-reads the row and tries once more. :meth:`invalidate` drops the cache at once.
    """

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit
        self._counter_cache: dict[int, _CounterInfo] = {}
        self._service_cache: dict[str, _ServiceInfo] = {}
        self._service_codes: dict[int, str] = {}

    def invalidate(self) -> None:
        """Forget the cached counters and services (after editing them)."""
        self._counter_cache = {}
        self._service_cache = {}
        self._service_codes = {}

    # --- lookups ----------------------------------------------------------------------

    @staticmethod
    def _service(s: Session, code: str) -> QueueService:
        svc = s.scalar(select(QueueService).where(QueueService.code == code.upper(), QueueService.active))
        if svc is None:
            known = ", ".join(s.scalars(select(QueueService.code).order_by(QueueService.code)))
            raise NotFound(msg("Không có dịch vụ “{c}” (có: {k}).", "No service “{c}” (known: {k}).", c=code, k=known))
        return svc

    @staticmethod
    def _counter(s: Session, number: int) -> Counter:
        c = s.scalar(select(Counter).where(Counter.number == number, Counter.active))
        if c is None:
            raise NotFound(msg("Không có quầy số {n}.", "No counter number {n}.", n=number))
        return c

    @staticmethod
    def _current(s: Session, counter: Counter) -> Ticket | None:
        return s.scalar(select(Ticket).where(Ticket.counter_id == counter.id, Ticket.state.in_(ACTIVE))
                        .order_by(Ticket.id.desc()).with_for_update())

    def _counter_info(self, s: Session, number: int, *, fresh: bool = False) -> _CounterInfo:
        info = None if fresh else self._counter_cache.get(number)
        return info if info is not None else self._probe(s, number)[0]

    def _probe(self, s: Session, number: int) -> tuple[_CounterInfo, str | None, str | None]:
        """The counter as stored now (cached again), its current ticket and its live session's state.

        One statement: it is what "call next" runs when its claim found nothing, which
        is every press of the button while nobody waits.
        """
        row = s.connection().execute(_PROBE, {"number": number}).first()
        if row is None:
            self._counter_cache.pop(number, None)
            raise NotFound(msg("Không có quầy số {n}.", "No counter number {n}.", n=number))
        cid, name, text_, current, live = row
        text_ = str(text_ or "[]")
        info = _CounterInfo(int(cid), number, str(name), tuple(str(c) for c in json.loads(text_)), text_)
        self._counter_cache[number] = info
        return info, current, live

    def _service_info(self, s: Session, code: str, *, fresh: bool = False) -> _ServiceInfo:
        code = code.upper()
        info = None if fresh else self._service_cache.get(code)
        if info is None:
            svc = self._service(s, code)
            info = _ServiceInfo(svc.id, svc.code, svc.name, svc.prefix)
            self._service_cache[code] = info
            self._service_codes[svc.id] = svc.code
        return info

    def _service_code(self, s: Session, service_id: int) -> str:
        code = self._service_codes.get(service_id)
        if code is None:
            code = str(s.scalar(select(_services.c.code).where(_services.c.id == service_id)))
            self._service_codes[service_id] = code
        return code

    def _event(self, s: Session, actor: Actor, ticket_id: int, number: str, kind: str,
               counter: _CounterInfo | Counter | None = None, data: dict[str, object] | None = None, *,
               logged: bool = False, service: str | None = None) -> None:
        """The ticket's event row (unless the action's statement wrote it: ``logged``), then the audit record."""
        if not logged:
            s.connection().execute(_INSERT_EVENT, {"ticket_id": ticket_id, "kind": kind, "at": utcnow(),
                                                   "counter_id": counter.id if counter else None,
                                                   "officer_id": actor.officer_id, "data": dict(data or {})})
            self._notify(s, kind=kind, ticket=number, ticket_id=ticket_id,
                         counter=counter.number if counter else None, service=service)
        # Last statement before commit: the audit chain's head lock is held the shortest.
        self.audit.record(s, actor=actor.audit_name, action=f"queue.{kind}", entity_type="ticket",
                          entity_id=number, data={"counter": counter.number if counter else None, **(data or {})})

    def _change(self, s: Session, plain: Update, with_event: Select[Any], params: dict[str, Any], actor: Actor,
                kind: str, data: dict[str, object]) -> tuple[_Changed | None, bool]:
        """Run a ticket-changing statement; on PostgreSQL it also writes the event row."""
        if self.db.is_postgres:
            params = {**params, "kind": kind, "at": utcnow(), "officer_id": actor.officer_id, "data": data}
            row = s.connection().execute(with_event, params).first()
            return (None if row is None else row[:5]), True  # type: ignore[return-value]
        return s.connection().execute(plain, params).first(), False

    def _notify(self, s: Session, **payload: object) -> None:
        """Tell the screens (PostgreSQL LISTEN/NOTIFY, delivered at commit); SQLite screens poll."""
        if self.db.is_postgres:
            s.connection().execute(_NOTIFY, {"payload": json.dumps(payload, ensure_ascii=False, default=str)})

    @staticmethod
    def _view(s: Session, t: Ticket, service: QueueService | None = None, counter: Counter | None = None) -> TicketView:
        ahead = 0
        if t.state == TicketState.WAITING:  # only a waiting ticket has people ahead of it
            ahead = s.scalar(select(func.count()).select_from(Ticket).where(
                Ticket.service_id == t.service_id, Ticket.state == TicketState.WAITING, Ticket.id < t.id)) or 0
        if counter is None and t.counter_id:
            counter = s.get(Counter, t.counter_id)
        return TicketView(t.id, t.number, (service or t.service).code, t.priority, t.state, t.issued_at,
                          counter.number if counter else None, int(ahead))

    # --- actions ----------------------------------------------------------------------

    def issue(self, actor: Actor, service_code: str, priority: str = "walk_in") -> TicketView:
        require(actor, Permission.ISSUE_TICKET)
        if priority not in PRIORITIES:
            raise InvalidInput(msg("Diện ưu tiên “{p}” không hợp lệ ({all}).", "Priority “{p}” is not valid ({all}).",
                                   p=priority, all=", ".join(PRIORITIES)))
        with self.db.session() as s:
            return self.issue_in(s, actor, service_code, priority)

    def issue_in(self, s: Session, actor: Actor, service_code: str, priority: str) -> TicketView:
        """``issue`` inside the caller's transaction, for a ticket that goes with another
        change (a booking checked in): both are kept, or neither. Permission checked by the caller."""
        now = utcnow()
        day = _today_key(now)
        svc = self._service_info(s, service_code)
        n = next_daily_number(s, f"Q:{svc.code}", day[2:])
        tid = self._insert_ticket(s, svc, n, day, priority, now)
        if tid is None:  # the cached service changed: read it again (raises if it is gone)
            svc = self._service_info(s, service_code, fresh=True)
            tid = self._insert_ticket(s, svc, n, day, priority, now)
            assert tid is not None
        ahead = s.scalar(select(func.count()).select_from(_tickets).where(
            _tickets.c.service_id == svc.id, _tickets.c.state == TicketState.WAITING, _tickets.c.id < tid)) or 0
        number = f"{svc.prefix}{n:03d}"
        self._event(s, actor, tid, number, "issue", data={"priority": priority}, service=svc.code)
        return TicketView(tid, number, svc.code, priority, TicketState.WAITING, now, None, int(ahead))

    @staticmethod
    def _insert_ticket(s: Session, svc: _ServiceInfo, n: int, day: str, priority: str, now: datetime) -> int | None:
        """Insert the ticket only if the service is still as cached; its id, else None."""
        src = select(literal(f"{svc.prefix}{n:03d}", String), literal(day, String), _services.c.id,
                     literal(priority, String), literal(now, UTCDateTime()), literal(TicketState.WAITING.value, String),
                     literal("", String)).where(_services.c.id == svc.id, _services.c.code == svc.code,
                                                _services.c.prefix == svc.prefix, _services.c.active)
        stmt = insert(_tickets).from_select(["number", "day", "service_id", "priority", "issued_at", "state",
                                             "dossier_code"], src).returning(_tickets.c.id)
        tid = s.execute(stmt).scalar()
        return None if tid is None else int(tid)

    def _claim(self, s: Session, c: _CounterInfo, actor: Actor) -> tuple[_Changed | None, bool]:
        params = {"cid": c.id, "codes": list(c.services), "services_text": c.services_text, "counter_number": c.number}
        return self._change(s, _CLAIM[self.db.is_postgres], _CLAIM_PG, params, actor, "call", {})

    def call_next(self, actor: Actor, counter_number: int) -> TicketView | None:
        """The next ticket for this counter's services, or None when nobody waits."""
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            c = self._counter_info(s, counter_number)
            row, logged = self._claim(s, c, actor)
            if row is None:  # nobody waits, or the cached counter is stale, busy, paused or closed
                fresh, current, live = self._probe(s, counter_number)  # raises if the counter is gone
                if current is not None:
                    raise Conflict(msg("Quầy {n} đang phục vụ số {t}; kết thúc hoặc bỏ qua trước khi gọi số mới.",
                                       "Counter {n} is serving {t}; end or skip it before calling the next.",
                                       n=c.number, t=current))
                opened = live != SessionState.OPEN and self._ensure_open(s, actor, fresh)
                if fresh != c or opened:
                    c = fresh
                    row, logged = self._claim(s, c, actor)
            if row is None:
                return None
            tid, number, service_id, priority, issued_at = row
            view = TicketView(tid, number, self._service_code(s, service_id), priority, TicketState.CALLED, issued_at, c.number)
            self._event(s, actor, tid, number, "call", c, logged=logged)
            return view

    def _act(self, actor: Actor, counter_number: int, kind: str, states: tuple[TicketState, ...], new_state: TicketState,
             **data: object) -> TicketView:
        require(actor, Permission.SERVE_QUEUE)
        dossier = str(data.get("dossier_code") or "")
        with self.db.session() as s:
            c = self._counter_info(s, counter_number)
            params = {"cid": c.id, "states": list(states), "new_state": new_state, "new_dossier": dossier,
                      "counter_number": c.number}
            row, logged = self._change(s, _ACT[bool(dossier)], _ACT_PG[bool(dossier)], params, actor, kind, data)
            if row is None:
                c = self._counter_info(s, counter_number, fresh=True)  # NotFound if the counter is gone
                raise Conflict(msg("Quầy {n} không có số nào đang được gọi/phục vụ để {k}.",
                                   "Counter {n} has no called/served ticket to {k}.", n=c.number, k=kind))
            tid, number, service_id, priority, issued_at = row
            view = TicketView(tid, number, self._service_code(s, service_id), priority, new_state, issued_at,
                              c.number)
            self._event(s, actor, tid, number, kind, c, data, logged=logged)
            return view

    # --- counter sessions ---------------------------------------------------------------

    @staticmethod
    def _live_session(s: Session, counter_id: int, *, lock: bool = False) -> CounterSession | None:
        q = select(CounterSession).where(CounterSession.counter_id == counter_id,
                                         CounterSession.state.in_((SessionState.OPEN, SessionState.PAUSED)))
        return s.scalar(q.with_for_update() if lock else q)

    @staticmethod
    def _pause_reason(s: Session, session_id: int) -> str:
        return s.scalar(select(CounterSessionEvent.reason).where(CounterSessionEvent.session_id == session_id,
                                                                 CounterSessionEvent.kind == "pause")
                        .order_by(CounterSessionEvent.id.desc()).limit(1)) or ""

    def _ensure_open(self, s: Session, actor: Actor, c: _CounterInfo) -> bool:
        """Refuse a paused or signed-out counter; open a session for a counter never opened today.

        True when it opened one. A counter signed out today stays closed until an officer
        opens it again (``motcua queue session open``); one with no session today is
        opened for the caller, so the kiosk-to-counter flow works without a sign-in step.
        """
        live = self._live_session(s, c.id)
        if live is not None and live.state == SessionState.PAUSED:
            raise Conflict(msg("Quầy {n} đang tạm dừng ({r}); tiếp tục phiên làm việc trước khi gọi số.",
                               "Counter {n} is paused ({r}); resume the session before calling.",
                               n=c.number, r=self._pause_reason(s, live.id) or "-"))
        if live is not None:
            return False
        now = utcnow()
        closed = s.scalar(select(func.max(CounterSession.ended_at)).where(CounterSession.counter_id == c.id))
        if closed is not None and _today_key(closed) == _today_key(now):
            raise Conflict(msg("Quầy {n} đã đóng phiên làm việc lúc {t}; mở phiên mới trước khi gọi số.",
                               "Counter {n} was signed out at {t}; open a new session before calling.",
                               n=c.number, t=to_vn(closed).strftime("%H:%M")))
        self._open(s, actor, c, actor.officer_id, now, auto=True)
        return True

    def _open(self, s: Session, actor: Actor, c: _CounterInfo, officer_id: int | None, now: datetime, *,
              auto: bool = False) -> int:
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        live = text("state IN ('open', 'paused')")
        # Two processes opening the same counter at once: the partial unique index keeps one.
        sid = s.execute(upsert(_sessions).values(counter_id=c.id, officer_id=officer_id, started_at=now, state=SessionState.OPEN)
                        .on_conflict_do_nothing(index_elements=["counter_id"], index_where=live)
                        .returning(_sessions.c.id)).scalar()
        if sid is None:
            raise Conflict(msg("Quầy {n} vừa được mở ở nơi khác.", "Counter {n} was just opened elsewhere.",
                               n=c.number))
        self._session_event(s, actor, int(sid), c, "open", now, officer_id, data={"auto": auto} if auto else None)
        return int(sid)

    def _session_event(self, s: Session, actor: Actor, session_id: int, c: _CounterInfo, kind: str, now: datetime,
                       officer_id: int | None, reason: str = "", data: dict[str, object] | None = None) -> None:
        s.execute(insert(_session_events).values(session_id=session_id, kind=kind, at=now, officer_id=officer_id,
                                                 reason=reason))
        self._notify(s, kind=f"session_{kind}", counter=c.number, reason=reason)
        self.audit.record(s, actor=actor.audit_name, action=f"queue.session_{kind}", entity_type="counter",
                          entity_id=c.number, data={"session": session_id, **({"reason": reason} if reason else {}),
                                                    **(data or {})})

    def _officer(self, s: Session, actor: Actor, login: str | None) -> tuple[int | None, str | None]:
        if not login:
            return actor.officer_id, (actor.username if actor.officer_id else None)
        row = s.execute(select(Officer.id, Officer.username).where(Officer.username == login.strip(),
                                                                   Officer.active)).first()
        if row is None:
            raise NotFound(msg("Không có cán bộ “{u}”.", "No officer “{u}”.", u=login))
        if row[0] != actor.officer_id:
            require(actor, Permission.MANAGE_QUEUE)  # signing someone else in is a supervisor's job
        return int(row[0]), str(row[1])

    def _session_view(self, s: Session, cs: CounterSession, c: _CounterInfo) -> SessionView:
        officer = s.scalar(select(Officer.username).where(Officer.id == cs.officer_id)) if cs.officer_id else None
        return SessionView(cs.id, c.number, officer, cs.state, cs.started_at, cs.ended_at)

    def open_session(self, actor: Actor, counter_number: int, officer: str | None = None) -> SessionView:
        """An officer signs in at a counter (``officer``: a login; default the actor)."""
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            c = self._counter_info(s, counter_number, fresh=True)
            officer_id, _ = self._officer(s, actor, officer)
            live = self._live_session(s, c.id)
            if live is not None:
                raise Conflict(msg("Quầy {n} đã có phiên làm việc từ {t}; đóng phiên đó trước khi mở phiên mới.",
                                   "Counter {n} already has a session since {t}; close it before opening another.",
                                   n=c.number, t=to_vn(live.started_at).strftime("%H:%M")))
            sid = self._open(s, actor, c, officer_id, utcnow())
            cs = s.get(CounterSession, sid)
            assert cs is not None
            return self._session_view(s, cs, c)

    def _session_change(self, actor: Actor, counter_number: int, kind: str, reason: str = "") -> SessionView:
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            c = self._counter_info(s, counter_number, fresh=True)
            cs = self._live_session(s, c.id, lock=True)
            if cs is None:
                raise Conflict(msg("Quầy {n} chưa mở phiên làm việc.", "Counter {n} has no open session.",
                                   n=c.number))
            if kind == "pause" and cs.state == SessionState.PAUSED:
                raise Conflict(msg("Quầy {n} đã tạm dừng rồi.", "Counter {n} is already paused.", n=c.number))
            if kind == "resume" and cs.state != SessionState.PAUSED:
                raise Conflict(msg("Quầy {n} không tạm dừng nên không cần tiếp tục.",
                                   "Counter {n} is not paused, so there is nothing to resume.", n=c.number))
            if kind in ("pause", "close"):
                # A call committing at this very moment is not seen here; only the officer at
                # the counter both calls and pauses it, so the two do not race in practice.
                current = s.scalar(select(_tickets.c.number).where(_tickets.c.counter_id == c.id,
                                                                   _tickets.c.state.in_(ACTIVE)))
                if current is not None:
                    raise Conflict(msg("Quầy {n} đang phục vụ số {t}; kết thúc hoặc bỏ qua trước.",
                                       "Counter {n} is serving {t}; end or skip it first.", n=c.number, t=current))
            now = utcnow()
            cs.state = {"pause": SessionState.PAUSED, "resume": SessionState.OPEN, "close": SessionState.CLOSED}[kind]
            if kind == "close":
                cs.ended_at = now
            s.flush()
            view = self._session_view(s, cs, c)
            self._session_event(s, actor, cs.id, c, kind, now, actor.officer_id, reason)
            return view

    def pause_session(self, actor: Actor, counter_number: int, reason: str) -> SessionView:
        """Pause the counter (a break, a meeting): calls are refused until it resumes."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise InvalidInput(msg("Cần ghi lý do tạm dừng quầy.", "A reason is needed to pause the counter."))
        if len(reason) > 200:
            raise InvalidInput(msg("Lý do tạm dừng dài quá 200 ký tự.", "The pause reason is over 200 characters."))
        return self._session_change(actor, counter_number, "pause", reason)

    def resume_session(self, actor: Actor, counter_number: int) -> SessionView:
        return self._session_change(actor, counter_number, "resume")

    def close_session(self, actor: Actor, counter_number: int) -> SessionView:
        """The officer signs out: calls are refused until a session is opened again."""
        return self._session_change(actor, counter_number, "close")

    def counter_figures(self, now: datetime | None = None) -> list[CounterFigures]:
        """Today's open, paused, busy and idle time and tickets served, per active counter (from events)."""
        now = now or utcnow()
        local = to_vn(now)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)
        with self.db.session() as s:
            counters = s.execute(select(_counters.c.id, _counters.c.number, _counters.c.name)
                                 .where(_counters.c.active).order_by(_counters.c.number)).all()
            sessions = s.execute(select(_sessions.c.id, _sessions.c.counter_id, _sessions.c.state,
                                        Officer.username)
                                 .outerjoin(Officer, Officer.id == _sessions.c.officer_id)
                                 .where((_sessions.c.ended_at.is_(None)) | (_sessions.c.ended_at >= day_start))
                                 .order_by(_sessions.c.id)).all()
            ids = [r[0] for r in sessions]
            sev: dict[int, list[tuple[str, datetime]]] = {i: [] for i in ids}
            if ids:
                for sid, kind, at in s.execute(select(_session_events.c.session_id, _session_events.c.kind,
                                                      _session_events.c.at)
                                               .where(_session_events.c.session_id.in_(ids))
                                               .order_by(_session_events.c.id)):
                    sev[sid].append((kind, at))
            tev = s.execute(select(_events.c.ticket_id, _events.c.kind, _events.c.at, _events.c.counter_id)
                            .where(_events.c.at >= day_start, _events.c.kind.in_(("call", "end", "skip", "transfer")))
                            .order_by(_events.c.id)).all()
        out = []
        for cid, number, name in counters:
            mine = [r for r in sessions if r[1] == cid]
            live = next((r for r in reversed(mine) if r[2] in (SessionState.OPEN, SessionState.PAUSED)), None)
            opened, paused, busy, idle = measure([sev[r[0]] for r in mine], busy_intervals(tev, cid, now),
                                                 day_start, now)
            served = sum(1 for _, k, _, c in tev if k == "end" and c == cid)
            out.append(CounterFigures(number, name, live[2] if live else SessionState.CLOSED, live[3] if live else None,
                                      opened, paused, busy, idle, served))
        return out

    def start(self, actor: Actor, counter_number: int) -> TicketView:
        return self._act(actor, counter_number, "start", (TicketState.CALLED,), TicketState.SERVING)

    def end(self, actor: Actor, counter_number: int, dossier_code: str = "") -> TicketView:
        return self._act(actor, counter_number, "end", ACTIVE, TicketState.DONE, dossier_code=dossier_code)

    def skip(self, actor: Actor, counter_number: int) -> TicketView:
        """The citizen did not come: a no-show, which can still be recalled."""
        return self._act(actor, counter_number, "skip", (TicketState.CALLED,), TicketState.NO_SHOW)

    def recall(self, actor: Actor, number: str, counter_number: int) -> TicketView:
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            counter = self._counter(s, counter_number)
            if self._current(s, counter) is not None:
                raise Conflict(msg("Quầy {n} đang phục vụ một số khác.", "Counter {n} is serving another ticket.",
                                   n=counter.number))
            self._ensure_open(s, actor, self._counter_info(s, counter_number, fresh=True))
            t = s.scalar(select(Ticket).where(Ticket.number == number.upper(), Ticket.day == _today_key(utcnow()))
                         .with_for_update())
            if t is None or t.state not in (TicketState.NO_SHOW, TicketState.CALLED):
                raise Conflict(msg("Số {t} không thể gọi lại.", "Ticket {t} cannot be recalled.", t=number))
            t.state, t.counter_id = TicketState.CALLED, counter.id
            view = self._view(s, t, counter=counter)
            self._event(s, actor, t.id, t.number, "call", counter, {"recall": True}, service=view.service)
            return view

    def recall_last(self, actor: Actor, counter_number: int) -> TicketView:
        """Call again the most recent no-show of this counter (the citizen came back)."""
        with self.db.session() as s:
            counter = self._counter(s, counter_number)
            number = s.scalar(select(Ticket.number).where(Ticket.counter_id == counter.id, Ticket.state == TicketState.NO_SHOW,
                                                          Ticket.day == _today_key(utcnow()))
                              .order_by(Ticket.id.desc()).limit(1))
        if number is None:
            raise Conflict(msg("Quầy {n} không có số vắng mặt nào để gọi lại.", "Counter {n} has no no-show to recall.",
                               n=counter_number))
        return self.recall(actor, number, counter_number)

    def transfer(self, actor: Actor, counter_number: int, service_code: str) -> TicketView:
        """Send the current ticket to another service; it keeps its issue time."""
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            counter = self._counter(s, counter_number)
            t = self._current(s, counter)
            if t is None:
                raise Conflict(msg("Quầy {n} không có số nào để chuyển.", "Counter {n} has no ticket to transfer.",
                                   n=counter.number))
            svc = self._service(s, service_code)
            old = t.service.code
            t.service_id, t.state, t.counter_id = svc.id, TicketState.WAITING, None
            s.flush()
            view = self._view(s, t, svc)
            self._event(s, actor, t.id, t.number, "transfer", counter, {"from": old, "to": svc.code}, service=svc.code)
            return view

    def services(self) -> list[tuple[str, str]]:
        """(code, name) of the active services, for the kiosk's buttons."""
        with self.db.session() as s:
            return [(c, n) for c, n in s.execute(select(QueueService.code, QueueService.name)
                                                 .where(QueueService.active).order_by(QueueService.code))]

    def recent_calls(self, limit: int = 8) -> list[tuple[int, str, int, datetime]]:
        """Today's newest calls: (event id, ticket number, counter number, time), newest first."""
        day = _today_key(utcnow())
        with self.db.session() as s:
            rows = s.execute(select(TicketEvent.id, Ticket.number, Counter.number, TicketEvent.at)
                             .join(Ticket, TicketEvent.ticket_id == Ticket.id)
                             .join(Counter, TicketEvent.counter_id == Counter.id)
                             .where(TicketEvent.kind == "call", Ticket.day == day)
                             .order_by(TicketEvent.id.desc()).limit(limit)).all()
        return [(int(i), str(n), int(c), at) for i, n, c, at in rows]

    # --- figures ----------------------------------------------------------------------

    def status(self, now: datetime | None = None) -> list[ServiceStatus]:
        now = now or utcnow()
        day = _today_key(now)
        out = []
        with self.db.session() as s:
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
    live = s.execute(select(_sessions.c.id, _sessions.c.state, _sessions.c.started_at)
                     .where(_sessions.c.counter_id == counter_id,
                            _sessions.c.state.in_((SessionState.OPEN, SessionState.PAUSED)))).first()
    if live is None:
        return NO_SESSION
    sid, state, started = live
    if state != SessionState.PAUSED:
        return SessionStatus(SessionState.OPEN, started)
    pause = s.execute(select(_session_events.c.at, _session_events.c.reason)
                      .where(_session_events.c.session_id == sid, _session_events.c.kind == "pause")
                      .order_by(_session_events.c.id.desc()).limit(1)).first()
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
