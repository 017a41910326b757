"""Queue actions: issue, call next, recall, skip, transfer, start, end; status from events.

Ordering rule: priority classes (elderly, people with disabilities, pregnant women,
appointments) are called before walk-ins; within a class, the earliest issued first.
"Call next" is atomic: on PostgreSQL the chosen row is locked with ``FOR UPDATE SKIP
LOCKED`` so twenty counters never get the same ticket and never wait for each other;
on SQLite the ``BEGIN IMMEDIATE`` transaction serializes callers.

Every action appends a ``ticket_event``; wait (last call − issue) and service time
(end − start) are computed from events. Event times come from the database clock's
caller (UTC), so a change of the workstation's local clock or time zone does not shift
them; a backwards jump can only shorten one interval and is clamped at zero.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.dossiers import next_daily_number
from desktop.errors import Conflict, InvalidInput, NotFound
from desktop.i18n import msg
from desktop.queue.models import Counter, QueueService, Ticket, TicketEvent
from desktop.timeutil import to_vn, utcnow

PRIORITIES = ("elderly", "disability", "pregnant", "appointment", "walk_in")
ACTIVE = ("called", "serving")


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str
    service: str
    priority: str
    state: str
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


def _today_key(now: datetime) -> str:
    return to_vn(now).strftime("%Y%m%d")


class QueueDesk:
    """The queue actions of the centre (``QueueService`` is the table of services)."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

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

    def _event(self, s: Session, actor: Actor, t: Ticket, kind: str, counter: Counter | None = None,
               **data: object) -> None:
        s.add(TicketEvent(ticket_id=t.id, kind=kind, at=utcnow(), counter_id=counter.id if counter else None,
                          officer_id=actor.officer_id, data=dict(data)))
        self.audit.record(s, actor=actor.audit_name, action=f"queue.{kind}", entity_type="ticket",
                          entity_id=t.number, data={"counter": counter.number if counter else None, **data})

    @staticmethod
    def _view(s: Session, t: Ticket, service: QueueService | None = None, counter: Counter | None = None) -> TicketView:
        ahead = 0
        if t.state == "waiting":  # only a waiting ticket has people ahead of it
            ahead = s.scalar(select(func.count()).select_from(Ticket).where(
                Ticket.service_id == t.service_id, Ticket.state == "waiting", Ticket.id < t.id)) or 0
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
            svc = self._service(s, service_code)
            now = utcnow()
            day = _today_key(now)
            n = next_daily_number(s, f"Q:{svc.code}", day[2:])
            t = Ticket(number=f"{svc.prefix}{n:03d}", day=day, service_id=svc.id, priority=priority, issued_at=now)
            s.add(t)
            s.flush()
            view = self._view(s, t)
            self._event(s, actor, t, "issue", priority=priority)
            return view

    def call_next(self, actor: Actor, counter_number: int) -> TicketView | None:
        """The next ticket for this counter's services, or None when nobody waits."""
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            counter = self._counter(s, counter_number)
            current = self._current(s, counter)
            if current is not None:
                raise Conflict(msg("Quầy {n} đang phục vụ số {t}; kết thúc hoặc bỏ qua trước khi gọi số mới.",
                                   "Counter {n} is serving {t}; end or skip it before calling the next.",
                                   n=counter.number, t=current.number))
            rank = case({p: i for i, p in enumerate(PRIORITIES)}, value=Ticket.priority, else_=len(PRIORITIES))
            q = (select(Ticket, QueueService).join(QueueService)
                 .where(Ticket.state == "waiting", QueueService.code.in_(counter.services or []))
                 .order_by(rank, Ticket.issued_at, Ticket.id).limit(1))
            q = q.with_for_update(skip_locked=True, of=Ticket) if self.db.is_postgres else q
            row = s.execute(q).first()
            if row is None:
                return None
            t, service = row
            t.state, t.counter_id = "called", counter.id
            view = self._view(s, t, service, counter)
            self._event(s, actor, t, "call", counter)  # last: the audit chain's lock is held until commit
            return view

    def _act(self, actor: Actor, counter_number: int, kind: str, states: tuple[str, ...], new_state: str,
             **data: object) -> TicketView:
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            counter = self._counter(s, counter_number)
            t = self._current(s, counter)
            if t is None or t.state not in states:
                raise Conflict(msg("Quầy {n} không có số nào đang được gọi/phục vụ để {k}.",
                                   "Counter {n} has no called/served ticket to {k}.", n=counter.number, k=kind))
            t.state = new_state
            if "dossier_code" in data and data["dossier_code"]:
                t.dossier_code = str(data["dossier_code"])
            view = self._view(s, t, counter=counter)
            self._event(s, actor, t, kind, counter, **data)
            return view

    def start(self, actor: Actor, counter_number: int) -> TicketView:
        return self._act(actor, counter_number, "start", ("called",), "serving")

    def end(self, actor: Actor, counter_number: int, dossier_code: str = "") -> TicketView:
        return self._act(actor, counter_number, "end", ("called", "serving"), "done", dossier_code=dossier_code)

    def skip(self, actor: Actor, counter_number: int) -> TicketView:
        """The citizen did not come: a no-show, which can still be recalled."""
        return self._act(actor, counter_number, "skip", ("called",), "no_show")

    def recall(self, actor: Actor, number: str, counter_number: int) -> TicketView:
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            counter = self._counter(s, counter_number)
            if self._current(s, counter) is not None:
                raise Conflict(msg("Quầy {n} đang phục vụ một số khác.", "Counter {n} is serving another ticket.",
                                   n=counter.number))
            t = s.scalar(select(Ticket).where(Ticket.number == number.upper(), Ticket.day == _today_key(utcnow()))
                         .with_for_update())
            if t is None or t.state not in ("no_show", "called"):
                raise Conflict(msg("Số {t} không thể gọi lại.", "Ticket {t} cannot be recalled.", t=number))
            t.state, t.counter_id = "called", counter.id
            self._event(s, actor, t, "call", counter, recall=True)
            return self._view(s, t)

    def recall_last(self, actor: Actor, counter_number: int) -> TicketView:
        """Call again the most recent no-show of this counter (the citizen came back)."""
        with self.db.session() as s:
            counter = self._counter(s, counter_number)
            number = s.scalar(select(Ticket.number).where(Ticket.counter_id == counter.id, Ticket.state == "no_show",
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
            t.service_id, t.state, t.counter_id = svc.id, "waiting", None
            self._event(s, actor, t, "transfer", counter, **{"from": old, "to": svc.code})
            s.flush()
            s.refresh(t)
            return self._view(s, t)

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
                waiting = [t for t in mine if t.state == "waiting"]
                longest = max((max(timedelta(0), now - t.issued_at) for t in waiting), default=timedelta(0))
                waits = [w for t in mine if (w := wait_time(t)) is not None]
                services = [v for t in mine if (v := service_time(t)) is not None]
                out.append(ServiceStatus(svc.code, svc.name, len(waiting), int(longest.total_seconds()),
                                         sum(t.state == "done" for t in mine), _avg(waits), _avg(services)))
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
class CounterBoard:
    """What a counter's screen shows: its current ticket and who waits for its services."""

    counter: int
    name: str
    current: TicketView | None
    #: when the current ticket's service began (start, else its last call)
    current_since: datetime | None
    waiting: list[TicketView]


def counter_board(desk: QueueDesk, counter_number: int) -> CounterBoard:
    with desk.db.session() as s:
        counter = desk._counter(s, counter_number)
        rank = case({p: i for i, p in enumerate(PRIORITIES)}, value=Ticket.priority, else_=len(PRIORITIES))
        rows = s.execute(select(Ticket, QueueService).join(QueueService)
                         .where(Ticket.state == "waiting", QueueService.code.in_(counter.services or []))
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
                            since, waiting)
