"""The dossier workspace's reads and edits: the dossier list (search, filters) and the
dossier page (header, slots with their files and upload states, history, linked ticket),
and the page's edits, each checked against the version the officer was looking at.

The rules on what the slots add up to are in :mod:`desktop.workflow.flow`; this module
only reads the database into those values. The list is one indexed query with a LIMIT
(never a Python loop over every dossier), so it stays fast with 200,000 dossiers: the
search matches the folded key (:func:`desktop.kernel.text.dossier_search_key`), filters
are plain column comparisons, and the digitized/signed/uploaded counts are read only for
the rows shown.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.db.base import utcnow
from desktop.db.models import (
    AuditEvent,
    Channel,
    DigitizedFile,
    Dossier,
    DossierComponent,
    DossierStatus,
    DossierStatusChange,
    Officer,
    OrgUnit,
    Procedure,
    ProcedureComponent,
    SignatureState,
)
from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.text import fold
from desktop.kernel.timeutil import VN_TZ, to_vn
from desktop.lifecycle.machine import Action
from desktop.outbox.models import JobKind, OutboxJob
from desktop.workdays import WorkCalendar
from desktop.workflow.flow import Progress, Slot, SlotFile, SlotSpec, UploadState, upload_state

if TYPE_CHECKING:
    from desktop.lifecycle.service import LifecycleService

# the screens take the dossier's codes from here (ui/ never imports desktop.db)
#: statuses after which the dossier is closed at the counter (not "open" in the list)
CLOSED = frozenset({DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RESULT_RETURNED,
                    DossierStatus.NOT_RECEIVED})


class Returning(enum.StrEnum):
    """The list's return views: results to hand back at the counter, and the post's."""

    ANY = "any"
    #: status 9, not yet returned nor handed to the post
    TO_RETURN = "to_return"
    #: handed to the post, awaiting its waybill or its delivery
    POST = "post"


class Due(enum.StrEnum):
    """The list's due-date filter."""

    ANY = "any"
    TODAY = "today"
    LATE = "late"


@dataclass(frozen=True)
class DossierQuery:
    """The dossier list's search and filters (every field optional)."""

    text: str = ""
    status: DossierStatus | None = None
    open_only: bool = False
    due: Due = Due.ANY
    channel: int | None = None
    officer: str = ""
    unit: str = ""
    received_from: date | None = None
    received_to: date | None = None
    returning: Returning = Returning.ANY
    limit: int = 200


@dataclass(frozen=True)
class FilterChoices:
    """The list's officer and unit filters: (username, full name) and (agency code, name)."""

    officers: list[tuple[str, str]]
    units: list[tuple[str, str]]


@dataclass(frozen=True)
class DossierRow:
    code: str
    applicant_name: str
    applicant_id_number: str
    procedure_code: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None
    status: DossierStatus
    channel: int
    officer: str
    unit: str
    #: working minutes left until the due date (negative: late; None: the clock is paused)
    remaining_minutes: float | None
    digitized: int = 0
    signed: int = 0
    uploaded: int = 0
    to_digitize: int = 0

    @property
    def late(self) -> bool:
        return self.remaining_minutes is not None and self.remaining_minutes < 0 and self.status not in CLOSED


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    who: str
    what: str  # the audit action or "status"
    detail: str
    status: DossierStatus | None = None


@dataclass(frozen=True)
class DossierPage:
    code: str
    version: int
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_address: str
    channel: int
    status: DossierStatus
    received_at: datetime
    due_at: datetime | None
    remaining_minutes: float | None
    officer: str
    unit: str
    ticket_number: str
    ticket_id: int | None
    note: str
    progress: Progress
    history: list[HistoryItem] = field(default_factory=list)
    #: fees still to pay (VND, exempt ones left out): the result cannot be returned before
    fees_due: int = 0
    #: how the result went back, once it did or was handed to the post (None: not yet)
    return_state: str | None = None
    #: a postal address was registered at reception (channel 3)
    postal_address: bool = False
    #: where dossiers were handed lately, the latest first (offered by the hand-off dialog
    #: while the dossier can be handed on)
    departments: tuple[str, ...] = ()
    #: the procedure's default validity of the result in months (the catalogue's; None: no end date)
    result_valid_months: int | None = None

    @property
    def closed(self) -> bool:
        return self.status in CLOSED


#: the page's own steps beside the machine's transitions: recording a payment
PAY = Action.FEE


def offered(page: DossierPage, actor: Actor) -> list[Action]:
    """What the dossier page offers now: the machine's transitions for this officer, narrowed
    by what the machine does not see — the postal steps in their order (hand over, sent,
    delivered), the post only with an address, one return per result — plus recording a
    payment while a fee is due."""
    from desktop.lifecycle.machine import allowed
    from desktop.lifecycle.models import ReturnState

    out = []
    for t in allowed(page.status, actor):
        a = PAY if t.action == Action.FEE_PAID else t.action  # the obligation ends with the payment recorded
        if a in (Action.RETURN, Action.POST_HANDOVER) and page.return_state is not None:
            continue
        if a == Action.POST_HANDOVER and not page.postal_address:
            continue
        if a == Action.POST_SENT and page.return_state != ReturnState.AWAITING_POST.value:
            continue
        if a == Action.POST_DELIVERED and page.return_state != ReturnState.SENT.value:
            continue
        out.append(a)
    if page.fees_due > 0 and not page.closed and actor.can(Permission.RECEIVE_DOSSIER) and PAY not in out:
        out.append(PAY)
    return out


#: audit events that a status-history row already shows (the lifecycle's transitions)
_STATUS_EVENTS = frozenset({"dossier.status"} | {f"dossier.{a.value}" for a in Action if a != Action.FEE})


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=VN_TZ)
    return start, start + timedelta(days=1)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class DossierWorkspace:
    def __init__(self, db: Database, audit: AuditLog, calendar: WorkCalendar,
                 lifecycle: LifecycleService | None = None) -> None:
        self.db = db
        self.audit = audit
        self.calendar = calendar
        self.lifecycle = lifecycle

    # --- the list --------------------------------------------------------------------------

    def _list_query(self, q: DossierQuery, now: datetime) -> Select[*tuple[Any, ...]]:
        stmt = (select(Dossier.id, Dossier.code, Dossier.applicant_name, Dossier.applicant_id_number, Procedure.code,
                       Procedure.name, Dossier.received_at, Dossier.due_at, Dossier.status, Dossier.channel,
                       Officer.username, OrgUnit.code)
                .join(Procedure, Procedure.id == Dossier.procedure_id)
                .outerjoin(Officer, Officer.id == Dossier.officer_id)
                .outerjoin(OrgUnit, OrgUnit.id == Dossier.unit_id))
        for word in fold(q.text).split():
            stmt = stmt.where(Dossier.search_key.like(_like(word), escape="\\"))
        if q.status is not None:
            stmt = stmt.where(Dossier.status == int(q.status))
        if q.open_only:
            stmt = stmt.where(Dossier.status.not_in([int(s) for s in CLOSED]))
        if q.channel is not None:
            stmt = stmt.where(Dossier.channel == q.channel)
        if q.officer:
            stmt = stmt.where(Officer.username == q.officer)
        if q.unit:
            stmt = stmt.where(OrgUnit.code == q.unit)
        if q.received_from is not None:
            stmt = stmt.where(Dossier.received_at >= _day_bounds(q.received_from)[0])
        if q.received_to is not None:
            stmt = stmt.where(Dossier.received_at < _day_bounds(q.received_to)[1])
        if q.returning != Returning.ANY:
            from desktop.lifecycle.models import ResultReturn, ReturnChannel, ReturnState

            # a correlated EXISTS on dossier_return.dossier_id (indexed); dossier.status has no index yet (the lead
            # may add one in a migration for the 200k-dossier case)
            handed = select(ResultReturn.dossier_id).where(ResultReturn.dossier_id == Dossier.id)
            stmt = stmt.where(Dossier.status == int(DossierStatus.DONE))
            if q.returning == Returning.TO_RETURN:
                stmt = stmt.where(~handed.exists())
            else:
                stmt = stmt.where(handed.where(ResultReturn.channel == ReturnChannel.POST.value, ResultReturn.state.in_(
                    [ReturnState.AWAITING_POST.value, ReturnState.SENT.value])).exists())
        if q.due != Due.ANY:
            open_ = Dossier.status.not_in([int(s) for s in CLOSED | {DossierStatus.DONE}])
            if q.due == Due.TODAY:
                start, end = _day_bounds(now.astimezone(VN_TZ).date())
                stmt = stmt.where(open_, Dossier.due_at >= start, Dossier.due_at < end)
            else:
                stmt = stmt.where(open_, Dossier.due_at < now)
        return stmt.order_by(Dossier.received_at.desc(), Dossier.id.desc()).limit(max(1, min(q.limit, 2000)))

    def find(self, q: DossierQuery = DossierQuery(), *, now: datetime | None = None) -> list[DossierRow]:
        """The dossiers matching ``q``, newest first, at most ``q.limit`` of them."""
        at = now or utcnow()
        with self.db.session() as s:
            rows = s.execute(self._list_query(q, at)).all()
            progress = self._progress_many(s, [r[0] for r in rows])
            out = []
            for r in rows:
                p = progress.get(r[0])
                d, sg, up = p.counts() if p else (0, 0, 0)
                todo = len(p.to_digitize) if p else 0
                status = DossierStatus(r[8])
                remaining = (self.calendar.remaining_minutes(at, r[7]) if r[7] is not None and status not in CLOSED
                             else None)
                out.append(DossierRow(r[1], r[2], r[3], r[4], r[5], r[6], r[7], status, r[9], r[10] or "",
                                      r[11] or "", remaining, d, sg, up, todo))
            return out

    # --- slots ----------------------------------------------------------------------------

    def _progress_many(self, s: Session, ids: list[int]) -> dict[int, Progress]:
        if not ids:
            return {}
        comps = s.execute(select(DossierComponent, ProcedureComponent.required, ProcedureComponent.must_digitize)
                          .outerjoin(ProcedureComponent, ProcedureComponent.id == DossierComponent.procedure_component_id)
                          .where(DossierComponent.dossier_id.in_(ids)).order_by(DossierComponent.id)).all()
        files = s.scalars(select(DigitizedFile).where(DigitizedFile.dossier_id.in_(ids),
                                                      DigitizedFile.kind == "component")
                          .order_by(DigitizedFile.id)).all()
        jobs = s.execute(select(OutboxJob.dossier_id, OutboxJob.kind, OutboxJob.state, OutboxJob.payload,
                                OutboxJob.last_error, OutboxJob.id)
                         .where(OutboxJob.dossier_id.in_(ids), OutboxJob.kind.in_([JobKind.DOSSIER, JobKind.FILE]))
                         .order_by(OutboxJob.id)).all()
        file_job: dict[int, tuple[str, str]] = {}
        dossier_job: dict[int, str] = {}
        for dossier_id, kind, state, payload, error, _ in jobs:
            if kind == JobKind.DOSSIER:
                dossier_job[dossier_id] = state
            elif (fid := (payload or {}).get("file_id")) is not None:
                file_job[int(fid)] = (state, error or "")  # the newest job of a file is what counts
        by_comp: dict[int, list[SlotFile]] = defaultdict(list)
        for f in files:
            state, error = file_job.get(f.id, (None, ""))
            up = upload_state(state)
            by_comp[f.component_id or 0].append(
                SlotFile(f.id, f.filename, f.pages, SignatureState(f.signature_state), up,
                         error if up in (UploadState.PARKED, UploadState.WAITING_SIGNATURE, UploadState.QUEUED)
                         else ""))
        slots: dict[int, list[Slot]] = defaultdict(list)
        for c, required, must_digitize in comps:
            spec = SlotSpec(c.code, c.name, True if required is None else bool(required),
                            True if must_digitize is None else bool(must_digitize), c.must_sign, c.copy_kind,
                            c.quantity)
            slots[c.dossier_id].append(Slot(spec, c.received, tuple(by_comp.get(c.id, ()))))
        return {i: Progress(tuple(slots.get(i, ())), upload_state(dossier_job.get(i))) for i in ids}

    def progress(self, code: str) -> Progress:
        with self.db.session() as s:
            d = self._dossier(s, code)
            return self._progress_many(s, [d.id])[d.id]

    # --- the page -------------------------------------------------------------------------

    def page(self, code: str, *, now: datetime | None = None) -> DossierPage:
        """Everything the dossier page shows, read in one transaction."""
        at = now or utcnow()
        with self.db.session() as s:
            d = self._dossier(s, code)
            status = DossierStatus(d.status)
            # the clock stops at the result (done): no time "left" to show from then on
            remaining = (self.calendar.remaining_minutes(at, d.due_at)
                         if d.due_at is not None and status not in CLOSED | {DossierStatus.DONE} else None)
            from desktop.lifecycle.models import Fee, FeeCollection, FeeState, ResultReturn

            due = s.scalar(select(func.coalesce(func.sum(Fee.amount), 0)).where(
                Fee.dossier_id == d.id, Fee.state == FeeState.WAITING.value,
                Fee.collection != FeeCollection.EXEMPT.value, Fee.amount > 0))
            returned = s.scalar(select(ResultReturn.state).where(ResultReturn.dossier_id == d.id))
            departments: tuple[str, ...] = ()
            if status in (DossierStatus.RECEIVED, DossierStatus.PROCESSING):
                from desktop.lifecycle.service import recent_departments

                departments = tuple(recent_departments(s))
            return DossierPage(d.code, d.version, d.procedure.code, d.procedure.name, d.applicant_name,
                               d.applicant_id_number, d.applicant_phone, d.applicant_address, d.channel, status,
                               d.received_at, d.due_at, remaining, d.officer.username if d.officer else "",
                               d.unit.code if d.unit else "", d.ticket_number, d.ticket_id, d.note,
                               self._progress_many(s, [d.id])[d.id], self._history(s, d), int(due or 0), returned,
                               bool((d.postal_address or {}).get("address")), departments,
                               d.procedure.result_valid_months)

    def _history(self, s: Session, d: Dossier) -> list[HistoryItem]:
        names = dict(s.execute(select(Officer.id, Officer.username)).all())
        items = [HistoryItem(c.at, names.get(c.officer_id, "") if c.officer_id else "", "status", c.note,
                             DossierStatus(c.status))
                 for c in s.scalars(select(DossierStatusChange).where(DossierStatusChange.dossier_id == d.id))]
        file_ids = [str(i) for i in s.scalars(select(DigitizedFile.id).where(DigitizedFile.dossier_id == d.id))]
        mine = and_(AuditEvent.entity_type == "dossier", AuditEvent.entity_id == d.code)
        if file_ids:
            mine = or_(mine, and_(AuditEvent.entity_type == "file", AuditEvent.entity_id.in_(file_ids)))
        events = s.scalars(select(AuditEvent).where(mine).order_by(AuditEvent.seq))
        for e in events:
            if e.action in _STATUS_EVENTS:
                continue  # the status change itself is listed above, with its note
            data = e.data or {}
            detail = str(data.get("reason") or data.get("note") or data.get("component") or data.get("filename") or "")
            items.append(HistoryItem(e.at, e.actor, e.action, detail))
        from desktop.lifecycle.models import DueChange

        # a due date moved (an extension, the clock continued after a supplement): both dates, in
        # Vietnam time; the status row beside it has the reason
        for c in s.scalars(select(DueChange).where(DueChange.dossier_id == d.id).order_by(DueChange.id)):
            if c.previous_due is not None and c.new_due is not None and c.previous_due != c.new_due:
                items.append(HistoryItem(c.at, names.get(c.officer_id, "") if c.officer_id else "", "due.change",
                                         f"{to_vn(c.previous_due):%d/%m/%Y %H:%M} → {to_vn(c.new_due):%d/%m/%Y %H:%M}"))
        items.sort(key=lambda h: h.at)
        return items

    # --- edits ----------------------------------------------------------------------------

    def _dossier(self, s: Session, code: str) -> Dossier:
        d = s.scalar(select(Dossier).where(Dossier.code == code))
        if d is None:
            raise NotFound(msg("Không có hồ sơ mã “{c}”.", "No dossier with code “{c}”.", c=code))
        return d

    def _checked(self, s: Session, code: str, version: int) -> Dossier:
        q = select(Dossier).where(Dossier.code == code)
        d = s.scalar(q.with_for_update() if self.db.is_postgres else q)
        if d is None:
            raise NotFound(msg("Không có hồ sơ mã “{c}”.", "No dossier with code “{c}”.", c=code))
        if d.version != version:
            raise Conflict(msg("Hồ sơ {c} vừa được người khác thay đổi (phiên bản {v}, bạn đang xem {o}); "
                               "không ghi đè. Mở lại hồ sơ để xem thay đổi rồi làm lại.",
                               "Dossier {c} was just changed by someone else (version {v}, you were looking at {o}); "
                               "nothing was overwritten. Reopen the dossier to see the change, then try again.",
                               c=code, v=d.version, o=version))
        return d

    def update_applicant(self, actor: Actor, code: str, version: int, *, phone: str | None = None,
                         address: str | None = None, email: str | None = None, note: str | None = None) -> int:
        """Correct the applicant's contact details or the note; returns the new version."""
        require(actor, Permission.RECEIVE_DOSSIER)
        with self.db.session() as s:
            d = self._checked(s, code, version)
            changed = {}
            for name, value in (("applicant_phone", phone), ("applicant_address", address),
                                ("applicant_email", email), ("note", note)):
                if value is not None and getattr(d, name) != value.strip():
                    setattr(d, name, value.strip())
                    changed[name] = True
            if not changed:
                return d.version
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="dossier.edit", entity_type="dossier",
                              entity_id=d.code, data={"fields": sorted(changed)})
            return d.version

    def set_brought(self, actor: Actor, code: str, version: int, component: str, brought: bool) -> int:
        """Tick or untick a component the citizen handed over (e.g. brought later)."""
        require(actor, Permission.RECEIVE_DOSSIER)
        with self.db.session() as s:
            d = self._checked(s, code, version)
            comp = s.scalar(select(DossierComponent).where(DossierComponent.dossier_id == d.id,
                                                           DossierComponent.code == component))
            if comp is None:
                raise NotFound(msg("Hồ sơ {d} không có thành phần “{c}”.", "Dossier {d} has no component “{c}”.",
                                   d=code, c=component))
            if comp.received == brought:
                return d.version
            comp.received = brought
            d.updated_at = utcnow()  # the dossier row changes, so its version moves on
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="dossier.component", entity_type="dossier",
                              entity_id=d.code, data={"component": component, "brought": brought})
            return d.version

    def check_version(self, code: str, version: int) -> None:
        """Conflict if the dossier changed since ``version`` (before a lifecycle action)."""
        with self.db.session() as s:
            self._checked(s, code, version)

    def withdraw(self, actor: Actor, code: str, version: int, reason: str) -> None:
        """Withdraw a dossier received by mistake (a second dossier for the same visit, the
        wrong procedure) or at the citizen's request: the reason is required and audited; the
        status goes to the dossier system like any other, and the visit's ticket may be
        received again."""
        if not reason.strip():
            raise InvalidInput(msg("Cần ghi lý do rút hồ sơ.", "A reason for withdrawing the dossier is required."))
        if self.lifecycle is None:
            raise Conflict(msg("Không rút được hồ sơ ở đây.", "Dossiers cannot be withdrawn here."))
        self.check_version(code, version)
        self.lifecycle.withdraw(actor, code, reason.strip())

    def postal_handover(self, actor: Actor, out: Path | None = None) -> Path:
        """The postal agent's handover list of the results waiting for the post, as a PDF
        (the waybill boxes are filled in by hand, then each is recorded as sent)."""
        require(actor, Permission.RECEIVE_DOSSIER)  # names and addresses of citizens
        if self.lifecycle is None:
            raise InvalidInput(msg("Vòng đời hồ sơ chưa được bật.", "The dossier lifecycle is not set up."))
        from desktop.forms.postal import write_postal_list
        from desktop.kernel.timeutil import now_vn
        from desktop.lifecycle.models import ReturnState

        rows = [r for r in self.lifecycle.postal_list() if r["state"] == ReturnState.AWAITING_POST.value]
        if not rows:
            raise InvalidInput(msg("Không có kết quả nào đang chờ chuyển bưu điện.",
                                   "No result is waiting to be handed to the post."))
        settings = self.lifecycle.settings
        target = out or settings.data_dir / "forms" / "issued" / "post" / f"{now_vn():%Y%m%d-%H%M%S}.pdf"
        return write_postal_list(settings, rows, target)

    def count(self) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count(Dossier.id))) or 0)

    def filter_choices(self) -> FilterChoices:
        """What the list's officer and unit filters offer: the officers and the receiving
        agencies that have dossiers (a postal agent's list holds several agencies'; an officer
        who left still has dossiers to find), each in name order."""
        with self.db.session() as s:
            officers = s.execute(select(Officer.username, Officer.full_name)
                                 .where(select(Dossier.id).where(Dossier.officer_id == Officer.id).exists())
                                 .order_by(Officer.full_name, Officer.username)).all()
            units = s.execute(select(OrgUnit.code, OrgUnit.name)
                              .where(select(Dossier.id).where(Dossier.unit_id == OrgUnit.id).exists())
                              .order_by(OrgUnit.name, OrgUnit.code)).all()
        return FilterChoices(officers=[(u, n) for u, n in officers], units=[(c, n) for c, n in units])


__all__ = ["CLOSED", "PAY", "Channel", "DossierPage", "DossierQuery", "DossierRow", "DossierStatus", "DossierWorkspace",
           "Due", "FilterChoices", "HistoryItem", "Returning", "offered"]
