"""The lifecycle service: every transition of a dossier after reception, in one transaction each.

Each method checks the transition (:func:`desktop.lifecycle.machine.check`: state and role),
checks what it needs, moves the clock, writes the history rows, and emits
``status.changed`` through the dossier service's listeners in the same transaction, so the
outbox queues the upload (with the portal's whole record) atomically and in order.
Methods return plain :class:`Outcome` objects, never live rows; a transition that produces
a form names it, and the caller renders it (``desktop.forms``) for printing or preview.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings
from desktop.db import Database
from desktop.db.models import (
    DigitizedFile,
    Dossier,
    DossierPause,
    DossierStatus,
    DossierStatusChange,
    Procedure,
)
from desktop.dossiers import DossierService, sha256_file
from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import VN_TZ, iso_vn, to_vn, utcnow
from desktop.lifecycle.machine import Action, Transition, allowed, check, status_name
from desktop.lifecycle.models import (
    DueChange,
    DueKind,
    Fee,
    FeeCollection,
    FeeState,
    Handoff,
    PayMethod,
    ResultReturn,
    ReturnChannel,
    ReturnState,
    StepOutcome,
)
from desktop.lifecycle.portal import portal_record
from desktop.lifecycle.results import (
    FROM_CATALOGUE,
    ResultSealer,
    Validity,
    add_months,
    check_is_pdf,
    check_validity,
)
from desktop.workdays import WorkCalendar

#: a step handed on with at least this many working minutes of its allotted time left is "early" (form 06)
EARLY_MINUTES = 60
#: the longest working time one hand-off step may be allotted (about a working year)
MAX_STEP_HOURS = 2000
COUNTER = "Bộ phận Một cửa"


@dataclass(frozen=True)
class Outcome:
    code: str
    action: Action
    status: int
    due_at: datetime | None
    #: the form this transition produces ("02" …), for the caller to render
    form: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryEntry:
    status: int
    at: datetime
    action: str
    note: str
    officer: str

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "at": to_vn(self.at).strftime("%Y-%m-%d %H:%M"), "at_iso": iso_vn(self.at),
                "action": self.action, "note": self.note, "officer": self.officer}


@dataclass(frozen=True)
class ListedDossier:
    code: str
    status: int
    applicant_name: str
    procedure_code: str
    received_at: datetime
    due_at: datetime | None
    legal_due_at: datetime | None
    late: bool

    def to_dict(self) -> dict[str, Any]:
        def f(dt: datetime | None) -> str | None:
            return to_vn(dt).strftime("%Y-%m-%d %H:%M") if dt else None

        return {"code": self.code, "status": self.status, "applicant_name": self.applicant_name,
                "procedure_code": self.procedure_code, "received_at": f(self.received_at), "due_at": f(self.due_at),
                "legal_due_at": f(self.legal_due_at), "late": self.late}


def is_late(d: Dossier, now: datetime) -> bool:
    """Late against the legal due date (extensions do not excuse it), at closing or now."""
    due = d.legal_due_at or d.due_at
    if due is None:  # paused: judged when the clock runs again
        return False
    end = d.done_at or d.returned_at or now
    return end > due


def reception_listener(session: Session, event: str, payload: Any) -> None:
    """On reception: the first due-date history row and the catalogue's fees.

    Registered before the outbox's listener, so the dossier's first upload already has them.
    """
    if event != "dossier.received":
        return
    d: Dossier = payload
    session.add(DueChange(dossier_id=d.id, at=d.received_at, officer_id=d.officer_id, kind=DueKind.RECEIVE.value,
                          previous_due=None, new_due=d.due_at, previous_legal_due=None, new_legal_due=d.due_at))
    proc = session.get(Procedure, d.procedure_id)
    for i, item in enumerate((proc.fees if proc else None) or [], 1):
        amount = int(item.get("amount") or 0)
        collection = item.get("collection") or (FeeCollection.EXEMPT if amount == 0 else FeeCollection.BEFORE)
        session.add(Fee(dossier_id=d.id, name=str(item.get("name", "")), code=str(item.get("code") or f"P{i}"),
                        amount=amount, collection=FeeCollection(collection).value,
                        state=FeeState.PAID.value if collection == FeeCollection.EXEMPT else FeeState.WAITING.value))
    session.flush()


def _when(at: datetime | None) -> datetime:
    when = at or utcnow()
    return when.replace(tzinfo=VN_TZ) if when.tzinfo is None else when


def recent_departments(s: Session, limit: int = 12) -> list[str]:
    """The departments dossiers were handed to, the latest first: what the hand-off dialog
    offers, so the counter picks "Phòng Tư pháp" rather than types it again."""
    q = (select(Handoff.department).where(Handoff.department != "").group_by(Handoff.department)
         .order_by(func.max(Handoff.id).desc()).limit(limit))
    return list(s.scalars(q))


class LifecycleService:
    def __init__(self, db: Database, audit: AuditLog, calendar: WorkCalendar, settings: Settings,
                 dossiers: DossierService) -> None:
        self.db = db
        self.audit = audit
        self.calendar = calendar
        self.settings = settings
        self.dossiers = dossiers

    # --- the gate ---------------------------------------------------------------------

    def _get(self, s: Session, code: str) -> Dossier:
        d = s.scalar(select(Dossier).options(selectinload(Dossier.pauses), selectinload(Dossier.components))
                     .where(Dossier.code == code))
        if d is None:
            raise NotFound(msg("Không có hồ sơ mã “{c}”.", "No dossier with code “{c}”.", c=code))
        return d

    def _record(self, s: Session, actor: Actor, d: Dossier, t: Transition, at: datetime, note: str = "",
                data: dict[str, Any] | None = None, *, audit_note: str | None = None) -> DossierStatusChange:
        """Apply ``t``'s status, write the history row with the portal record, audit, emit.

        ``audit_note`` replaces ``note`` in the audit event when the note names a citizen by
        number (the history row is personal data that the purge blanks; the chain is kept for ever)."""
        old = d.status
        if t.target is not None:
            d.status = t.target.value
        s.flush()
        s.expire(d, ["pauses"])
        change = DossierStatusChange(dossier_id=d.id, status=d.status, at=at, officer_id=actor.officer_id,
                                     note=note, action=t.action.value)
        s.add(change)
        s.flush()
        change.detail = portal_record(s, d)
        s.flush()
        self.audit.record(s, actor=actor.audit_name, action=f"dossier.{t.action.value}", entity_type="dossier",
                          entity_id=d.code, data={"from": old, "to": d.status,
                                                  "note": note if audit_note is None else audit_note, **(data or {})})
        self.dossiers.emit(s, "status.changed", change)
        return change

    def _handoff(self, s: Session, actor: Actor, d: Dossier, at: datetime, *, receiver: str, department: str,
                 action: Action, allotted_hours: float | None, note: str = "") -> Handoff:
        prev = s.scalars(select(Handoff).where(Handoff.dossier_id == d.id).order_by(Handoff.id.desc())).first()
        outcome = ""
        if prev is not None and prev.step_due is not None:
            if self.calendar.working_minutes_between(at, prev.step_due) >= EARLY_MINUTES:
                outcome = StepOutcome.EARLY.value
            elif at <= prev.step_due:
                outcome = StepOutcome.ON_TIME.value
            else:
                outcome = StepOutcome.LATE.value
        step_due = None
        if allotted_hours is not None:
            # a step's time is working hours: beyond a year of them is a typo, not a plan
            if not 0 < allotted_hours <= MAX_STEP_HOURS:
                raise InvalidInput(msg("Thời gian cho bước này phải từ trên 0 đến {m} giờ làm việc (đã nhập {h}).",
                                       "The step's time must be more than 0 and at most {m} working hours "
                                       "(given: {h}).", m=MAX_STEP_HOURS, h=allotted_hours))
            step_due = self.calendar.add_working_minutes(at, allotted_hours * 60)
        h = Handoff(dossier_id=d.id, at=at, officer_id=actor.officer_id, giver=actor.full_name or actor.username,
                    giver_title=self.settings.extra.get("unit_name", COUNTER) if action != Action.RESULT else department,
                    receiver=receiver, department=department, action=action.value, status=d.status,
                    step_due=step_due, outcome=outcome, note=note)
        s.add(h)
        s.flush()
        return h

    def _due_change(self, s: Session, actor: Actor, d: Dossier, at: datetime, kind: DueKind, new_due: datetime | None,
                    new_legal: datetime | None, reason: str = "") -> None:
        s.add(DueChange(dossier_id=d.id, at=at, officer_id=actor.officer_id, kind=kind.value, previous_due=d.due_at,
                        new_due=new_due, previous_legal_due=d.legal_due_at, new_legal_due=new_legal, reason=reason))
        d.due_at, d.legal_due_at = new_due, new_legal

    def _outcome(self, d: Dossier, t: Transition, **extra: Any) -> Outcome:
        return Outcome(d.code, t.action, d.status, d.due_at, t.form, extra)

    @staticmethod
    def _reason(reason: str, what: tuple[str, str]) -> str:
        text = (reason or "").strip()
        if not text:
            raise InvalidInput(msg("Cần ghi rõ lý do {w}.", "A reason is required {w}.", w=msg(*what)))
        return text

    # --- transitions -------------------------------------------------------------------

    def accept(self, actor: Actor, code: str, *, at: datetime | None = None) -> Outcome:
        """An online dossier (1) is received at the counter: its clock starts now."""
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.ACCEPT)
            due = self.calendar.due(now, d.procedure.days)
            d.received_at = now
            self._due_change(s, actor, d, now, DueKind.RECEIVE, due, due)
            self._record(s, actor, d, t, now)
            return self._outcome(d, t)

    def refuse(self, actor: Actor, code: str, reason: str, *, at: datetime | None = None) -> Outcome:
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.REFUSE)
            text = self._reason(reason, ("từ chối tiếp nhận", "to refuse the dossier"))
            self._record(s, actor, d, t, now, text)
            return self._outcome(d, t)

    def process(self, actor: Actor, code: str, *, receiver: str = "", department: str = "",
                allotted_hours: float | None = None, note: str = "", at: datetime | None = None) -> Outcome:
        """Counter → processing department: the first hand-off of the control sheet."""
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.PROCESS)
            d.status = DossierStatus.PROCESSING.value
            self._handoff(s, actor, d, now, receiver=receiver, department=department or msg(
                "Phòng chuyên môn", "Processing department"), action=t.action, allotted_hours=allotted_hours,
                note=note)
            self._record(s, actor, d, t, now, department)
            return self._outcome(d, t)

    def departments(self, limit: int = 12) -> list[str]:
        """The departments dossiers were handed to, the latest first (:func:`recent_departments`)."""
        with self.db.session() as s:
            return recent_departments(s, limit)

    def handoff(self, actor: Actor, code: str, *, receiver: str, department: str,
                allotted_hours: float | None = None, note: str = "", at: datetime | None = None) -> Outcome:
        """One more hand-off inside processing (department → leader, → cooperating agency …)."""
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.HANDOFF)
            if not receiver.strip():
                raise InvalidInput(msg("Cần ghi người nhận hồ sơ.", "The receiver of the dossier is required."))
            h = self._handoff(s, actor, d, now, receiver=receiver, department=department, action=t.action,
                              allotted_hours=allotted_hours, note=note)
            self._record(s, actor, d, t, now, note or department)
            return self._outcome(d, t, outcome=h.outcome)

    def supplement(self, actor: Actor, code: str, reason: str, components: Sequence[str] = (), *,
                   at: datetime | None = None) -> Outcome:
        """Form 02: the clock stops; the working time left is kept to continue from later."""
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.SUPPLEMENT)
            text = self._reason(reason, ("yêu cầu bổ sung hồ sơ", "to request a supplement"))
            wanted = [c.strip() for c in components if c.strip()]
            if not wanted:
                # form 02 tells the citizen what to bring or correct: a pause that names nothing
                # stops the clock with nothing the citizen can act on
                raise InvalidInput(msg("Phiếu yêu cầu bổ sung phải nêu ít nhất một thành phần cần bổ sung hoặc "
                                       "hoàn thiện.",
                                       "A supplement request must name at least one component to bring or correct."))
            known = {c.code for c in d.components if c.code} | {c.name for c in d.components}
            pcodes = {c.code for c in d.procedure.components if c.code} | {c.name for c in d.procedure.components}
            unknown = [c for c in wanted if c not in known | pcodes]
            if unknown:
                raise InvalidInput(msg("Thành phần “{c}” không có trong hồ sơ/thủ tục.",
                                       "Component “{c}” is not part of the dossier or its procedure.",
                                       c=", ".join(unknown)))
            remaining = self.calendar.remaining_minutes(now, d.due_at) if d.due_at else None
            legal = d.legal_due_at or d.due_at
            legal_remaining = self.calendar.remaining_minutes(now, legal) if legal else None
            s.add(DossierPause(dossier_id=d.id, started_at=now, reason=text, components=wanted,
                               remaining_minutes=remaining, legal_remaining_minutes=legal_remaining))
            self._due_change(s, actor, d, now, DueKind.SUPPLEMENT, None, None, text)
            self._record(s, actor, d, t, now, text, {"components": wanted, "remaining_minutes": remaining})
            return self._outcome(d, t, remaining_minutes=remaining)

    def resume(self, actor: Actor, code: str, *, at: datetime | None = None) -> Outcome:
        """The complete dossier is back: the remaining working time continues from now."""
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            open_pause = next((p for p in d.pauses if p.ended_at is None), None)
            try:
                t = check(actor, d.status, Action.RESUME)
                if open_pause is None:
                    raise Conflict(msg("Không có yêu cầu bổ sung nào đang mở.", "No supplement request is open."))
            except Conflict as exc:
                raise Conflict(msg("Hồ sơ {c} không đang tạm dừng chờ bổ sung: không có gì để tiếp tục. {e}",
                                   "Dossier {c} is not paused for a supplement: there is nothing to resume. {e}",
                                   c=code, e=exc.message)) from None
            assert open_pause is not None
            if now < to_vn(open_pause.started_at):
                raise InvalidInput(msg("Thời điểm nhận bổ sung trước thời điểm yêu cầu bổ sung.",
                                       "The supplement cannot come back before it was requested."))
            open_pause.ended_at = now
            due = self.calendar.continue_clock(now, open_pause.remaining_minutes) \
                if open_pause.remaining_minutes is not None else None
            legal = self.calendar.continue_clock(now, open_pause.legal_remaining_minutes) \
                if open_pause.legal_remaining_minutes is not None else None
            self._due_change(s, actor, d, now, DueKind.RESUME, due, legal)
            self._record(s, actor, d, t, now)
            return self._outcome(d, t, remaining_minutes=open_pause.remaining_minutes)

    def extend(self, actor: Actor, code: str, reason: str, new_due: datetime, *, at: datetime | None = None) -> Outcome:
        """Form 04: a new due date with its reason; lateness stays judged against the legal one."""
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.EXTEND)
            text = self._reason(reason, ("gia hạn", "for an extension"))
            new = new_due if new_due.tzinfo else new_due.replace(tzinfo=VN_TZ)
            if to_vn(new).date() < to_vn(now).date() or new <= now:
                raise InvalidInput(msg("Ngày hẹn mới {n} đã qua; cần một thời điểm sau bây giờ ({t}).",
                                       "The new due date {n} is in the past; it must be after now ({t}).",
                                       n=to_vn(new).strftime("%Y-%m-%d %H:%M"), t=to_vn(now).strftime("%Y-%m-%d %H:%M")))
            if d.due_at is not None and new <= d.due_at:
                raise InvalidInput(msg("Ngày hẹn mới {n} không sau ngày hẹn hiện tại {o}.",
                                       "The new due date {n} is not after the current one {o}.",
                                       n=to_vn(new).strftime("%Y-%m-%d %H:%M"),
                                       o=to_vn(d.due_at).strftime("%Y-%m-%d %H:%M")))
            previous = d.due_at
            self._due_change(s, actor, d, now, DueKind.EXTEND, new, d.legal_due_at, text)
            self._record(s, actor, d, t, now, text, {"previous_due": iso_vn(previous) if previous else None,
                                                     "new_due": iso_vn(new)})
            return self._outcome(d, t, previous_due=previous)

    def obligation(self, actor: Actor, code: str, note: str = "", *, at: datetime | None = None) -> Outcome:
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.OBLIGATION)
            self._record(s, actor, d, t, now, note)
            return self._outcome(d, t)

    def pay_fees(self, actor: Actor, code: str, method: str, receipt_ref: str = "", *,
                 at: datetime | None = None) -> Outcome | None:
        """Every waiting fee paid by ``method``; a dossier awaiting its obligation goes back to processing."""
        require(actor, Permission.RECEIVE_DOSSIER)
        now = _when(at)
        try:
            pm = PayMethod(method)
        except ValueError:
            raise InvalidInput(msg("Hình thức nộp “{m}” không hợp lệ (cash, transfer, online).",
                                   "Payment method “{m}” is not valid (cash, transfer, online).", m=method)) from None
        with self.db.session() as s:
            d = self._get(s, code)
            if d.status in (DossierStatus.NOT_RECEIVED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED):
                raise Conflict(msg("Hồ sơ {c} ở trạng thái {s}: không thu phí.", "Dossier {c} is in status {s}: no fee is taken.",
                                   c=code, s=status_name(d.status)))
            fees = list(s.scalars(select(Fee).where(Fee.dossier_id == d.id, Fee.state == FeeState.WAITING.value)))
            if not fees:
                raise Conflict(msg("Hồ sơ {c} không có khoản phí nào đang chờ nộp.", "Dossier {c} has no fee waiting.",
                                   c=code))
            for f in fees:
                f.state, f.method, f.receipt_ref, f.paid_at, f.officer_id = (FeeState.PAID.value, pm.value, receipt_ref,
                                                                            now, actor.officer_id)
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="dossier.fee", entity_type="dossier", entity_id=d.code,
                              data={"method": pm.value, "receipt": receipt_ref, "amount": sum(f.amount for f in fees)})
            t = check(actor, d.status, Action.FEE_PAID) if d.status == DossierStatus.FINANCIAL_OBLIGATION else None
            if t is None:  # the payment is news for the portal too, without a status change
                change = DossierStatusChange(dossier_id=d.id, status=d.status, at=now, officer_id=actor.officer_id,
                                             note=receipt_ref, action=Action.FEE.value)
                s.add(change)
                s.flush()
                change.detail = portal_record(s, d)
                self.dossiers.emit(s, "status.changed", change)
                return Outcome(d.code, Action.FEE_PAID, d.status, d.due_at, None)
            self._record(s, actor, d, t, now, receipt_ref)
            return self._outcome(d, t)

    def stop(self, actor: Actor, code: str, reason: str, *, at: datetime | None = None) -> Outcome:
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.STOP)
            text = self._reason(reason, ("dừng xử lý", "to stop processing"))
            self._record(s, actor, d, t, now, text, {"stage": status_name(d.status)})
            return self._outcome(d, t)

    def withdraw(self, actor: Actor, code: str, reason: str = "", *, at: datetime | None = None) -> Outcome:
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.WITHDRAW)
            self._record(s, actor, d, t, now, reason or msg("Công dân rút hồ sơ", "Withdrawn by the citizen"))
            return self._outcome(d, t)

    def attach_result(self, actor: Actor, code: str, pdf: Path, sealer: ResultSealer, *, digitized: bool = False,
                      reusable: bool = True, department: str = "", at: datetime | None = None,
                      valid_until: Validity = FROM_CATALOGUE) -> Outcome:
        """The result: a PDF copied into the data folder with its Circular 01/2023 QR stamped,
        sealed and verified, attached; status 9.

        ``valid_until``: the last day the result is valid, None for no end date, or
        :data:`FROM_CATALOGUE` (the procedure's ``result_valid_months`` from the result's date, else
        no end date). It is in the QR and goes into the citizen's store with the sealed file.
        Nothing is recorded when the file is not a PDF that can be stamped (damaged, encrypted,
        already signed), the validity ends before the result's date, or the signature does not verify.
        """
        from desktop.forms.result_qr import ResultQr, check_result_pdf, stamp_result
        from desktop.forms.templates import load_admin, load_builtin

        now = _when(at)
        pdf = Path(pdf)
        check_is_pdf(pdf)
        check_result_pdf(pdf)  # damaged, encrypted or already signed: said before a token is touched
        with self.db.session() as s:  # state and role first: no token login for a dossier that cannot take it
            d = self._get(s, code)
            check(actor, d.status, Action.RESULT)
            proc_code, name = d.procedure.code, d.procedure.result or d.procedure.name
            months = d.procedure.result_valid_months  # the catalogue's, as imported
            id_number = (d.applicant_id_number or "").strip()
        day = to_vn(now).date()
        if valid_until == FROM_CATALOGUE:
            until: date | None = add_months(day, months) if months else None
        else:
            until = valid_until if isinstance(valid_until, date) else None
        check_validity(until, day)
        templates = load_admin(self.settings.data_dir) or load_builtin()
        qr = ResultQr(code, proc_code, id_number, name, templates.common.get("issuing_system", "motcua"), now, until)
        target_dir = self.settings.files_dir / "results"
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{code}-{sha256_file(pdf)[:12]}.pdf"
        placement = stamp_result(pdf, target, qr)  # before the seal: the signature covers the QR
        fv = self.dossiers.attach_file(actor, code, target, kind="result")  # its upload waits for the seal
        with self.db.session() as s:  # before the seal releases the upload, which carries the flags
            f = s.get(DigitizedFile, fv.id)
            assert f is not None
            f.digitized, f.reusable, f.valid_until = digitized, reusable, until
        try:
            check_ = sealer.seal_file(actor, fv.id, valid_until=until)
            if not check_.ok:
                raise InvalidInput(msg("Chữ ký số trên kết quả không hợp lệ: {p}. Kết quả chưa được ghi nhận.",
                                       "The signature on the result does not verify: {p}. The result was not recorded.",
                                       p="; ".join(check_.problems) or "?"))
        except BaseException as exc:
            self.dossiers.remove_file(actor, fv.id, reason=str(exc)[:300])
            target.unlink(missing_ok=True)
            raise
        fv = next(f for f in self.dossiers.files(code) if f.id == fv.id)  # as sealed
        valid = until.isoformat() if until else None
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.RESULT)
            d.done_at = now
            self._handoff(s, actor, d, now, receiver=COUNTER, department=department, action=t.action,
                          allotted_hours=None)
            self._record(s, actor, d, t, now, fv.filename, {"sha256": fv.sha256, "signer": check_.signer,
                                                            "valid_until": valid, "qr": placement.value})
            return self._outcome(d, t, file=fv.path, signer=check_.signer, valid_until=valid, qr=placement.value)

    def _fees_due(self, s: Session, d: Dossier) -> list[Fee]:
        return [f for f in s.scalars(select(Fee).where(Fee.dossier_id == d.id))
                if f.state == FeeState.WAITING.value and f.collection != FeeCollection.EXEMPT.value and f.amount > 0]

    def return_result(self, actor: Actor, code: str, *, channel: str = ReturnChannel.COUNTER.value,
                      id_number: str = "", recipient_name: str = "", proxy_file: Path | None = None,
                      at: datetime | None = None) -> Outcome:
        """Hand the result back: at the counter (ID checked, or a proxy's authorization), by post, online."""
        now = _when(at)
        try:
            ch = ReturnChannel(channel)
        except ValueError:
            raise InvalidInput(msg("Kênh trả “{c}” không hợp lệ (counter, post, online).",
                                   "Return channel “{c}” is not valid (counter, post, online).", c=channel)) from None
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.POST_HANDOVER if ch == ReturnChannel.POST else Action.RETURN)
            due = self._fees_due(s, d)
            if due:
                raise Conflict(msg("Hồ sơ {c} còn {n} khoản phí chưa nộp ({a} đồng): chưa trả kết quả được.",
                                   "Dossier {c} has {n} fee(s) unpaid ({a} VND): the result cannot be returned yet.",
                                   c=code, n=len(due), a=f"{sum(f.amount for f in due):,}".replace(",", ".")))
            if s.scalar(select(ResultReturn).where(ResultReturn.dossier_id == d.id)) is not None:
                raise Conflict(msg("Kết quả của hồ sơ {c} đã được trả hoặc đã chuyển bưu điện.",
                                   "The result of dossier {c} was already returned or handed to the post.", c=code))
            applicant_id = d.applicant_id_number
            applicant_name = d.applicant_name
        proxy_id: int | None = None
        if ch == ReturnChannel.COUNTER:
            given = id_number.strip()
            if not (given.isdigit() and len(given) in (9, 12)):
                raise InvalidInput(msg("Cần số định danh (CCCD) của người nhận kết quả (12 chữ số, hoặc 9).",
                                       "The recipient's ID number (CCCD) is required (12 digits, or 9)."))
            if given != applicant_id:
                if proxy_file is None:
                    raise InvalidInput(msg("Số định danh {g} không khớp người nộp hồ sơ và không có giấy ủy quyền: không trả kết quả.",
                                           "ID number {g} does not match the applicant and no authorization letter was given: "
                                           "the result is not returned.", g=given))
                check_is_pdf(Path(proxy_file))
                # kind says what it is (not one of the procedure's components); its digitized copy is
                # signed with the dossier's other copies before it is uploaded
                fv = self.dossiers.attach_file(actor, code, Path(proxy_file), kind="authorization")
                proxy_id = fv.id
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.POST_HANDOVER if ch == ReturnChannel.POST else Action.RETURN)
            if ch == ReturnChannel.POST:
                if not (d.postal_address or {}).get("address"):
                    raise InvalidInput(msg("Hồ sơ {c} không đăng ký địa chỉ nhận kết quả qua bưu điện khi tiếp nhận.",
                                           "Dossier {c} has no postal address registered at reception.", c=code))
                day = to_vn(now).strftime("%y%m%d")
                handover = f"BD-{day}"
                r = ResultReturn(dossier_id=d.id, channel=ch.value, state=ReturnState.AWAITING_POST.value, at=now,
                                 officer_id=actor.officer_id, recipient_name=d.postal_address.get("name") or d.applicant_name,
                                 handover_no=handover)
                s.add(r)
                self._record(s, actor, d, t, now, handover)
                return self._outcome(d, t, handover_no=handover)
            given = id_number.strip()
            name = recipient_name or (applicant_name if given == applicant_id or not given else "")
            r = ResultReturn(dossier_id=d.id, channel=ch.value, state=ReturnState.RETURNED.value, at=now,
                             officer_id=actor.officer_id, recipient_name=name, recipient_id_number=given,
                             proxy_file_id=proxy_id)
            s.add(r)
            d.returned_at = now
            note = msg("Trả trực tuyến: kết quả đã ký gửi qua hệ thống hồ sơ", "Returned online: the signed result "
                       "goes through the dossier system") if ch == ReturnChannel.ONLINE else (
                msg("Người được ủy quyền", "Proxy") + f" {given}" if proxy_id else given)
            # the audit names the recipient by reference, never by the number given at the counter
            recipient = self.audit.citizen_ref(given) if ch == ReturnChannel.COUNTER else ""
            self._record(s, actor, d, t, now, note, {"channel": ch.value, "proxy": proxy_id is not None,
                                                     "recipient": recipient},
                         audit_note=self.audit.scrub(note, given))
            return self._outcome(d, t, channel=ch.value)

    def post_sent(self, actor: Actor, code: str, waybill: str, *, at: datetime | None = None) -> Outcome:
        now = _when(at)
        if not waybill.strip():
            raise InvalidInput(msg("Cần số vận đơn của bưu điện.", "The post's waybill number is required."))
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.POST_SENT)
            r = self._post_row(s, d, ReturnState.AWAITING_POST)
            r.state, r.waybill, r.sent_at = ReturnState.SENT.value, waybill.strip(), now
            self._record(s, actor, d, t, now, waybill.strip())
            return self._outcome(d, t, waybill=waybill.strip())

    def post_delivered(self, actor: Actor, code: str, *, at: datetime | None = None) -> Outcome:
        now = _when(at)
        with self.db.session() as s:
            d = self._get(s, code)
            t = check(actor, d.status, Action.POST_DELIVERED)
            r = self._post_row(s, d, ReturnState.SENT)
            r.state, r.delivered_at = ReturnState.DELIVERED.value, now
            d.returned_at = now
            self._record(s, actor, d, t, now, r.waybill)
            return self._outcome(d, t)

    def _post_row(self, s: Session, d: Dossier, expected: ReturnState) -> ResultReturn:
        r = s.scalar(select(ResultReturn).where(ResultReturn.dossier_id == d.id,
                                                ResultReturn.channel == ReturnChannel.POST.value))
        if r is None or r.state != expected.value:
            raise Conflict(msg("Hồ sơ {c}: bước bưu điện không đúng thứ tự (đang: {s}).",
                               "Dossier {c}: postal step out of order (now: {s}).", c=d.code,
                               s=r.state if r else msg("chưa chuyển bưu điện", "not handed to the post")))
        return r

    # --- reading ---------------------------------------------------------------------------

    def allowed_actions(self, code: str, actor: Actor | None = None) -> list[Transition]:
        with self.db.session() as s:
            return allowed(self._get(s, code).status, actor)

    def history(self, code: str) -> list[HistoryEntry]:
        with self.db.session() as s:
            d = self._get(s, code)
            from desktop.db.models import Officer

            names = {o.id: o.username for o in s.scalars(select(Officer))}
            rows = s.scalars(select(DossierStatusChange).where(DossierStatusChange.dossier_id == d.id)
                             .order_by(DossierStatusChange.id))
            return [HistoryEntry(r.status, r.at, r.action or ("receive" if i == 0 else "status"), r.note,
                                 names.get(r.officer_id, "") if r.officer_id else "") for i, r in enumerate(rows)]

    def record(self, code: str) -> dict[str, Any]:
        """The portal's record of the dossier now (fees, due changes, process log …)."""
        with self.db.session() as s:
            return portal_record(s, self._get(s, code))

    def listing(self, *, status: int | None = None, late: bool = False, now: datetime | None = None,
                limit: int = 10000) -> list[ListedDossier]:
        at = _when(now)
        with self.db.session() as s:
            q = select(Dossier).options(selectinload(Dossier.procedure)).order_by(Dossier.received_at)
            if status is not None:
                q = q.where(Dossier.status == int(DossierStatus(status)))
            out = []
            for d in s.scalars(q.limit(limit)):
                lt = is_late(d, at)
                if late and not lt:
                    continue
                out.append(ListedDossier(d.code, d.status, d.applicant_name, d.procedure.code, d.received_at,
                                         d.due_at, d.legal_due_at, lt))
            return out

    def postal_list(self, handover_no: str | None = None) -> list[dict[str, Any]]:
        """The postal agent's handover list: dossiers to send, with their address and waybill."""
        with self.db.session() as s:
            q = select(ResultReturn, Dossier).join(Dossier, Dossier.id == ResultReturn.dossier_id).where(
                ResultReturn.channel == ReturnChannel.POST.value).order_by(ResultReturn.id)
            if handover_no:
                q = q.where(ResultReturn.handover_no == handover_no)
            return [{"code": d.code, "handover_no": r.handover_no, "state": r.state, "waybill": r.waybill,
                     "recipient": r.recipient_name, "address": (d.postal_address or {}).get("address", ""),
                     "phone": (d.postal_address or {}).get("phone", d.applicant_phone),
                     "sent_at": r.sent_at, "delivered_at": r.delivered_at} for r, d in s.execute(q)]

    def set_postal_address(self, actor: Actor, code: str, address: dict[str, str]) -> None:
        """The citizen's postal address for the result (registered at reception, channel 3)."""
        require(actor, Permission.RECEIVE_DOSSIER)
        if not (address.get("address") or "").strip():
            raise InvalidInput(msg("Cần địa chỉ nhận kết quả.", "The postal address is required."))
        with self.db.session() as s:
            d = self._get(s, code)
            d.postal_address = {k: str(v) for k, v in address.items()}
            self.audit.record(s, actor=actor.audit_name, action="dossier.postal_address", entity_type="dossier",
                              entity_id=d.code)


def minutes_to_text(minutes: float | None) -> str:
    if minutes is None:
        return "—"
    h, m = divmod(int(round(abs(minutes))), 60)
    return f"{'-' if minutes < 0 else ''}{h} h {m:02d}"


__all__ = ["HistoryEntry", "LifecycleService", "ListedDossier", "Outcome", "is_late", "reception_listener"]

