"""Queue actions: issue, call next, recall, skip, transfer, start, end (:class:`QueueDesk`).

Ordering rule: priority classes (elderly, people with disabilities, pregnant women, people
with a child under 6, appointments: :mod:`desktop.queue.priority`) are called before
walk-ins; within a class, the earliest issued first.
"Call next" is atomic: on PostgreSQL the chosen row is locked with ``FOR UPDATE SKIP
LOCKED`` so twenty counters never get the same ticket and never wait for each other;
on SQLite the ``BEGIN IMMEDIATE`` transaction serializes callers. The statements are
compiled once in :mod:`desktop.queue.statements`.

Every action appends a ``ticket_event``; wait (last call − issue) and service time
(end − start) are computed from events (:mod:`desktop.queue.figures`). Event times come
from the database clock's caller (UTC), so a change of the workstation's local clock or
time zone does not shift them; a backwards jump can only shorten one interval and is
clamped at zero.

On PostgreSQL every change also sends ``pg_notify('motcua_queue', json)`` in its own
transaction, for the screens (:mod:`desktop.queue.listener`); on SQLite screens poll.
Counter sessions (sign in, pause, resume, sign out: :mod:`desktop.queue.counter_sessions`)
gate "call next"; their open, idle and paused time is replayed from events
(:mod:`desktop.queue.sessions`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, Update, func, insert, literal, select
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.db.base import UTCDateTime
from desktop.dossiers import next_daily_number
from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import utcnow
from desktop.queue import figures
from desktop.queue import statements as sql
from desktop.queue.counter_sessions import CounterSessions
from desktop.queue.figures import ServiceStatus
from desktop.queue.models import ACTIVE, Counter, QueueService, SessionState, Ticket, TicketState
from desktop.queue.priority import PRIORITIES
from desktop.queue.views import TicketView


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


class QueueDesk(CounterSessions):
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
        row = s.connection().execute(sql.PROBE, {"number": number}).first()
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
            code = str(s.scalar(select(sql.services.c.code).where(sql.services.c.id == service_id)))
            self._service_codes[service_id] = code
        return code

    def _event(self, s: Session, actor: Actor, ticket_id: int, number: str, kind: str,
               counter: _CounterInfo | Counter | None = None, data: dict[str, object] | None = None, *,
               logged: bool = False, service: str | None = None) -> None:
        """The ticket's event row (unless the action's statement wrote it: ``logged``), then the audit record."""
        if not logged:
            s.connection().execute(sql.INSERT_EVENT, {"ticket_id": ticket_id, "kind": kind, "at": utcnow(),
                                                   "counter_id": counter.id if counter else None,
                                                   "officer_id": actor.officer_id, "data": dict(data or {})})
            self._notify(s, kind=kind, ticket=number, ticket_id=ticket_id,
                         counter=counter.number if counter else None, service=service)
        # Last statement before commit: the audit chain's head lock is held the shortest.
        self.audit.record(s, actor=actor.audit_name, action=f"queue.{kind}", entity_type="ticket",
                          entity_id=number, data={"counter": counter.number if counter else None, **(data or {})})

    def _change(self, s: Session, plain: Update, with_event: Select[Any], params: dict[str, Any], actor: Actor,
                kind: str, data: dict[str, object]) -> tuple[sql.Changed | None, bool]:
        """Run a ticket-changing statement; on PostgreSQL it also writes the event row."""
        if self.db.is_postgres:
            params = {**params, "kind": kind, "at": utcnow(), "officer_id": actor.officer_id, "data": data}
            row = s.connection().execute(with_event, params).first()
            return (None if row is None else row[:5]), True  # type: ignore[return-value]
        return s.connection().execute(plain, params).first(), False

    def _notify(self, s: Session, **payload: object) -> None:
        """Tell the screens (PostgreSQL LISTEN/NOTIFY, delivered at commit); SQLite screens poll."""
        if self.db.is_postgres:
            s.connection().execute(sql.NOTIFY, {"payload": json.dumps(payload, ensure_ascii=False, default=str)})

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
        day = sql.today_key(now)
        svc = self._service_info(s, service_code)
        n = next_daily_number(s, f"Q:{svc.code}", day[2:])
        tid = self._insert_ticket(s, svc, n, day, priority, now)
        if tid is None:  # the cached service changed: read it again (raises if it is gone)
            svc = self._service_info(s, service_code, fresh=True)
            tid = self._insert_ticket(s, svc, n, day, priority, now)
            assert tid is not None
        ahead = s.scalar(select(func.count()).select_from(sql.tickets).where(
            sql.tickets.c.service_id == svc.id, sql.tickets.c.state == TicketState.WAITING, sql.tickets.c.id < tid)) or 0
        number = f"{svc.prefix}{n:03d}"
        self._event(s, actor, tid, number, "issue", data={"priority": priority}, service=svc.code)
        return TicketView(tid, number, svc.code, priority, TicketState.WAITING, now, None, int(ahead))

    @staticmethod
    def _insert_ticket(s: Session, svc: _ServiceInfo, n: int, day: str, priority: str, now: datetime) -> int | None:
        """Insert the ticket only if the service is still as cached; its id, else None."""
        src = select(literal(f"{svc.prefix}{n:03d}", String), literal(day, String), sql.services.c.id,
                     literal(priority, String), literal(now, UTCDateTime()), literal(TicketState.WAITING.value, String),
                     literal("", String)).where(sql.services.c.id == svc.id, sql.services.c.code == svc.code,
                                                sql.services.c.prefix == svc.prefix, sql.services.c.active)
        stmt = insert(sql.tickets).from_select(["number", "day", "service_id", "priority", "issued_at", "state",
                                             "dossier_code"], src).returning(sql.tickets.c.id)
        tid = s.execute(stmt).scalar()
        return None if tid is None else int(tid)

    def _claim(self, s: Session, c: _CounterInfo, actor: Actor) -> tuple[sql.Changed | None, bool]:
        params = {"cid": c.id, "codes": list(c.services), "services_text": c.services_text, "counter_number": c.number}
        return self._change(s, sql.CLAIM[self.db.is_postgres], sql.CLAIM_PG, params, actor, "call", {})

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
            row, logged = self._change(s, sql.ACT[bool(dossier)], sql.ACT_PG[bool(dossier)], params, actor, kind, data)
            if row is None:
                c = self._counter_info(s, counter_number, fresh=True)  # NotFound if the counter is gone
                raise Conflict(msg("Quầy {n} không có số nào đang được gọi/phục vụ để {k}.",
                                   "Counter {n} has no called/served ticket to {k}.", n=c.number, k=kind))
            tid, number, service_id, priority, issued_at = row
            view = TicketView(tid, number, self._service_code(s, service_id), priority, new_state, issued_at,
                              c.number)
            self._event(s, actor, tid, number, kind, c, data, logged=logged)
            return view

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
            t = s.scalar(select(Ticket).where(Ticket.number == number.upper(), Ticket.day == sql.today_key(utcnow()))
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
                                                          Ticket.day == sql.today_key(utcnow()))
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

    # --- figures ----------------------------------------------------------------------

    def recent_calls(self, limit: int = 8) -> list[tuple[int, str, int, datetime]]:
        """Today's newest calls: (event id, ticket number, counter number, time), newest first."""
        return figures.recent_calls(self.db, limit)

    def status(self, now: datetime | None = None) -> list[ServiceStatus]:
        """Today's figures of each active service (:func:`desktop.queue.figures.status`)."""
        return figures.status(self.db, now)
