"""Receiving dossiers: codes, due dates, components, attached files and status changes.

Other areas react to dossier changes without this module knowing them: a listener
registered with :meth:`DossierService.add_listener` is called *inside the same
transaction* as the change (the outbox uses it to queue uploads atomically).
Events: ``dossier.received`` (payload: Dossier), ``file.attached`` / ``file.removed`` (DigitizedFile),
``status.changed`` (DossierStatusChange; the lifecycle, ``desktop/lifecycle``, emits it for
every transition through :meth:`DossierService.emit`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings
from desktop.db import Database
from desktop.db.models import (
    Channel,
    CodeSequence,
    DigitizedFile,
    Dossier,
    DossierComponent,
    DossierPause,
    DossierStatus,
    DossierStatusChange,
    OrgUnit,
    Procedure,
    SignatureState,
)
from desktop.kernel.errors import Conflict, InvalidInput, NotFound, require_readable_file
from desktop.kernel.i18n import msg
from desktop.kernel.taxcode import normalize_tax_code
from desktop.kernel.timeutil import VN_TZ, to_vn, utcnow

if TYPE_CHECKING:
    from desktop.queue.models import Ticket
    from desktop.workdays import WorkCalendar

Listener = Callable[[Session, str, Any], None]


@dataclass(frozen=True)
class FileView:
    id: int
    dossier_code: str
    component_code: str
    component_name: str
    kind: str
    path: str
    filename: str
    sha256: str
    size: int
    pages: int
    signature_state: SignatureState


@dataclass(frozen=True)
class DossierView:
    id: int
    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    channel: int
    status: int
    received_at: datetime
    due_at: datetime | None
    officer: str
    components: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    #: the receiving unit the dossier is recorded with (its code begins the dossier code)
    agency_code: str = ""
    agency_name: str = ""
    #: the organisation the applicant acts for ("" for a citizen's own dossier)
    tax_code: str = ""
    organisation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "code": self.code, "procedure_code": self.procedure_code,
            "procedure_name": self.procedure_name, "applicant_name": self.applicant_name,
            "applicant_id_number": self.applicant_id_number, "channel": self.channel, "status": self.status,
            "received_at": to_vn(self.received_at).isoformat(),
            "due_at": to_vn(self.due_at).isoformat() if self.due_at else None,
            "officer": self.officer, "agency_code": self.agency_code,
            "tax_code": self.tax_code, "organisation": self.organisation,
            "components": [{"code": c, "name": n} for c, n in self.components],
        }


def find_component(d: Dossier, component: str) -> DossierComponent:
    """The dossier's component with this code (or, failing that, this exact name)."""
    comp = next((c for c in d.components if c.code == component), None) or next(
        (c for c in d.components if c.name == component), None)
    if comp is None:
        have = ", ".join(c.code or c.name for c in d.components) or msg("(không có)", "(none)")
        raise NotFound(msg("Hồ sơ {d} không có thành phần “{c}”. Các thành phần: {h}",
                           "Dossier {d} has no component “{c}”. Its components: {h}", d=d.code, c=component, h=have))
    return comp


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def next_daily_number(session: Session, key: str, day: str) -> int:
    """Atomic increment of the counter ``(key, day)``: 1, 2, 3 … without gaps.

    The upsert holds the row lock until the transaction ends, so concurrent callers
    wait for each other; a rolled-back transaction rolls its number back too.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    stmt = upsert(CodeSequence).values(unit_code=key, day=day, last=1).on_conflict_do_update(
        index_elements=[CodeSequence.unit_code, CodeSequence.day],
        set_={"last": CodeSequence.last + 1},
    )
    return int(session.execute(stmt.returning(CodeSequence.last)).scalar_one())


def next_dossier_code(session: Session, unit_code: str, when: datetime) -> str:
    """``<agency>-<YYMMDD>-<NNNN>``, the sequence restarting daily per unit (Vietnam date)."""
    day = to_vn(when).strftime("%y%m%d")
    return f"{unit_code}-{day}-{next_daily_number(session, unit_code, day):04d}"


def organisation_applicant(tax_code: str, name: str) -> tuple[str, str]:
    """The organisation an applicant acts for, checked: (tax code as stored, name), or ("", "")."""
    code, name = normalize_tax_code(tax_code), " ".join((name or "").split())
    if code and not name:
        raise InvalidInput(msg("Chưa nhập tên tổ chức có mã số thuế {t}.",
                               "The name of the organisation with tax code {t} is missing.", t=code))
    if name and not code:
        raise InvalidInput(msg("Chưa nhập mã số thuế của tổ chức “{n}”.",
                               "The tax code of the organisation “{n}” is missing.", n=name))
    if len(name) > 300:
        raise InvalidInput(msg("Tên tổ chức dài quá 300 ký tự.", "The organisation's name is longer than 300 characters."))
    return code, name


@dataclass
class ComponentInput:
    name: str
    code: str = ""
    copy_kind: str = "original"
    quantity: int = 1
    #: None: as the procedure says (True for a component it does not list)
    must_sign: bool | None = None
    #: handed over by the citizen (False: ticked as missing, to be supplemented)
    received: bool = True


class DossierService:
    def __init__(self, db: Database, audit: AuditLog, calendar: WorkCalendar, settings: Settings) -> None:
        self.db = db
        self.audit = audit
        self.calendar = calendar
        self.settings = settings
        self._listeners: list[Listener] = []

    def add_listener(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def emit(self, session: Session, event: str, payload: Any) -> None:
        """Call every listener inside ``session``'s transaction (the lifecycle emits through here too)."""
        for fn in self._listeners:
            fn(session, event, payload)

    _emit = emit

    # --- reception --------------------------------------------------------------------

    def _unit(self, session: Session, proc: Procedure | None = None) -> OrgUnit:
        """The receiving unit: the agency the procedure names in the catalogue (a postal agent
        receives for many departments), else the workstation's own unit."""
        code = (proc.agency_code if proc is not None else "") or self.settings.unit_code
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        if unit is None:
            name = (proc.agency_name if proc is not None and proc.agency_code else "") or code
            unit = OrgUnit(code=code, name=name)
            session.add(unit)
            session.flush()
        return unit

    def receive(self, actor: Actor, *, procedure_code: str, applicant_name: str, applicant_id_number: str = "",
                applicant_address: str = "", applicant_phone: str = "", applicant_email: str = "",
                channel: int = Channel.IN_PERSON.value, received_at: datetime | None = None,
                components: Iterable[ComponentInput] | None = None, ticket_number: str = "",
                code: str | None = None, sets: int = 1, note: str = "", ticket_id: int | None = None,
                postal_address: dict[str, str] | None = None, organisation_tax_code: str = "",
                organisation_name: str = "", session: Session | None = None) -> DossierView:
        """Record a received dossier with its code and due date; returns a plain view.

        With ``ticket_id`` the dossier is linked to the visit's queue ticket (being served at
        a counter) in the same transaction, and a ticket that already has a dossier is
        refused: a second "Receive" for the same citizen makes no second dossier. With
        ``session``, in that transaction (see :meth:`submit`), else in its own.

        ``organisation_tax_code`` and ``organisation_name``: the applicant acts for an
        organisation (both or neither; the tax code's check digit is checked); its documents
        then go to that organisation's store."""
        require(actor, Permission.RECEIVE_DOSSIER)
        if not applicant_name.strip():
            raise InvalidInput(msg("Chưa nhập tên người nộp hồ sơ.", "The applicant's name is missing."))
        if applicant_id_number and not (applicant_id_number.isdigit() and len(applicant_id_number) in (9, 12)):
            raise InvalidInput(msg("Số định danh “{n}” không hợp lệ (cần 12 chữ số, hoặc 9 với CMND cũ).",
                                   "ID number “{n}” is not valid (12 digits, or 9 for an old ID card).",
                                   n=applicant_id_number))
        tax_code, organisation = organisation_applicant(organisation_tax_code, organisation_name)
        if channel not in {c.value for c in Channel}:
            raise InvalidInput(msg("Kênh nộp {c} không hợp lệ (1, 2 hoặc 3).", "Channel {c} is not valid (1, 2 or 3).",
                                   c=channel))
        when = received_at or utcnow()
        if when.tzinfo is None:
            when = when.replace(tzinfo=VN_TZ)
        with self._tx(session) as s:
            proc = s.scalar(select(Procedure).options(selectinload(Procedure.components))
                            .where(Procedure.code == procedure_code))
            if proc is None:
                raise NotFound(msg("Không có thủ tục mã “{c}” trong danh mục.",
                                   "No procedure with code “{c}” in the catalogue.", c=procedure_code))
            ticket = self._ticket_for_reception(s, ticket_id) if ticket_id is not None else None
            if ticket is not None:
                ticket_number = ticket.number
            unit = self._unit(s, proc)
            dossier_code = code or next_dossier_code(s, unit.code, when)
            due = self.calendar.due(when, proc.days)
            d = Dossier(code=dossier_code, unit_id=unit.id, procedure_id=proc.id, applicant_name=applicant_name.strip(),
                        applicant_id_number=applicant_id_number, applicant_address=applicant_address,
                        applicant_phone=applicant_phone, applicant_email=applicant_email, channel=channel,
                        status=DossierStatus.RECEIVED.value, received_at=when, due_at=due, legal_due_at=due,
                        officer_id=actor.officer_id, ticket_number=ticket_number, sets=sets, note=note,
                        postal_address=dict(postal_address or {}), applicant_tax_code=tax_code,
                        applicant_organisation=organisation,
                        ticket_id=ticket.id if ticket is not None else None)
            if components is None:
                d.components = [DossierComponent(procedure_component_id=pc.id, code=pc.code, name=pc.name,
                                                 copy_kind=pc.copy_kind, quantity=pc.quantity, must_sign=pc.must_sign)
                                for pc in proc.components]
            else:
                by_code = {pc.code: pc for pc in proc.components if pc.code}
                d.components = [DossierComponent(
                    procedure_component_id=by_code[c.code].id if c.code in by_code else None,
                    code=c.code, name=c.name, copy_kind=c.copy_kind, quantity=c.quantity, received=c.received,
                    must_sign=c.must_sign if c.must_sign is not None else
                    by_code[c.code].must_sign if c.code in by_code else True) for c in components]
            d.status_history = [DossierStatusChange(status=d.status, at=when, officer_id=actor.officer_id,
                                                    action="receive")]
            s.add(d)
            s.flush()
            if ticket is not None:
                ticket.dossier_code = d.code
            self.audit.record(s, actor=actor.audit_name, action="dossier.receive", entity_type="dossier",
                              entity_id=d.code, data={"procedure": proc.code, "due_at": due.isoformat() if due else None,
                                                      "ticket": ticket.number if ticket is not None else None,
                                                      **({"tax_code": tax_code} if tax_code else {})})
            self._emit(s, "dossier.received", d)
            return self._view(d, proc)

    def attach_file(self, actor: Actor, dossier_code: str, path: Path | str, *, component: str | None = None,
                    kind: str = "component", pages: int = 0, ocr_text: str = "",
                    session: Session | None = None) -> FileView:
        """Link a digitized PDF to one of the dossier's components (matched by code, then by
        name). A component the dossier does not have is refused with the ones it has: a
        typo must not make a new component. The file starts unsigned; only
        :mod:`desktop.workflow.signing` changes that. With ``session``, in that transaction."""
        require(actor, Permission.SCAN)
        p = Path(path)
        require_readable_file(p)
        digest, size = sha256_file(p), p.stat().st_size
        with self._tx(session) as s:
            d = self._get(s, dossier_code)
            comp = find_component(d, component) if component else None
            f = DigitizedFile(dossier_id=d.id, component_id=comp.id if comp else None, kind=kind, path=str(p.resolve()),
                              filename=p.name, sha256=digest, size=size, pages=pages, ocr_text=ocr_text,
                              signature_state=SignatureState.UNSIGNED)
            s.add(f)
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="file.attach", entity_type="file", entity_id=f.id,
                              data={"dossier": d.code, "component": comp.code if comp else "", "sha256": digest})
            self._emit(s, "file.attached", f)
            return FileView(f.id, d.code, comp.code if comp else "", comp.name if comp else "", kind, f.path,
                            f.filename, digest, size, pages, SignatureState.UNSIGNED)

    def _tx(self, session: Session | None) -> AbstractContextManager[Session]:
        return nullcontext(session) if session is not None else self.db.session()

    def submit(self, actor: Actor, files: Sequence[tuple[str, Path]], **dossier: Any) -> DossierView:
        """Record a dossier and attach its files in one transaction: all of it, or nothing.

        A failed attach used to leave a recorded dossier without its file, already queued
        for upload; now the dossier, its files, their audit events and outbox jobs commit together.
        """
        with self.db.session() as s:
            d = self.receive(actor, session=s, **dossier)
            for component, path in files:
                self.attach_file(actor, d.code, path, component=component, session=s)
            return d

    def set_status(self, actor: Actor, dossier_code: str, status: int | DossierStatus, note: str = "") -> None:
        """Set a status without the lifecycle's checks (imports, tests); the counter's work goes
        through :class:`desktop.lifecycle.service.LifecycleService`."""
        require(actor, Permission.RECEIVE_DOSSIER)
        status = DossierStatus(int(status))
        with self.db.session() as s:
            d = self._get(s, dossier_code)
            if d.status == status.value:
                return
            now = utcnow()
            if status == DossierStatus.SUPPLEMENT_REQUESTED:
                s.add(DossierPause(dossier_id=d.id, started_at=now, reason=note))
            elif d.status == DossierStatus.SUPPLEMENT_REQUESTED.value:
                for p in d.pauses:
                    if p.ended_at is None:
                        p.ended_at = now
                s.flush()
                s.refresh(d)
                d.due_at = self.calendar.due(d.received_at, d.procedure.days,
                                             pauses=[(p.started_at, p.ended_at) for p in d.pauses])
            old = d.status
            d.status = status.value
            change = DossierStatusChange(dossier_id=d.id, status=status.value, at=now, officer_id=actor.officer_id,
                                         note=note)
            s.add(change)
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="dossier.status", entity_type="dossier",
                              entity_id=d.code, data={"from": old, "to": status.value, "note": note})
            self._emit(s, "status.changed", change)

    def get(self, dossier_code: str) -> DossierView:
        with self.db.session() as s:
            d = self._get(s, dossier_code)
            return self._view(d, d.procedure)

    def files(self, dossier_code: str) -> list[FileView]:
        with self.db.session() as s:
            d = self._get(s, dossier_code)
            rows = s.scalars(select(DigitizedFile).where(DigitizedFile.dossier_id == d.id).order_by(DigitizedFile.id))
            return [FileView(f.id, d.code, f.component.code if f.component else "",
                             f.component.name if f.component else "", f.kind, f.path, f.filename, f.sha256,
                             f.size, f.pages, SignatureState(f.signature_state)) for f in rows]

    def search_text(self, query: str, limit: int = 50) -> list[tuple[FileView, str]]:
        """Digitized files whose OCR text holds every word of ``query`` (diacritics and case
        ignored), newest first, each with a snippet around the first word found."""
        from desktop.catalogue import fold

        words = fold(query).split()
        if not words:
            raise InvalidInput(msg("Nhập từ cần tìm.", "Enter the words to search for."))
        found: list[tuple[FileView, str]] = []
        with self.db.session() as s:
            # folding is done here, not in SQL, so SQLite and PostgreSQL agree on "Đức" = "duc"
            rows = s.execute(select(DigitizedFile, Dossier.code).join(Dossier, Dossier.id == DigitizedFile.dossier_id)
                             .where(DigitizedFile.ocr_text != "").order_by(DigitizedFile.id.desc())
                             .execution_options(yield_per=200))
            for f, code in rows:
                text = fold(f.ocr_text)
                if all(w in text for w in words):
                    at = text.index(words[0])
                    plain = " ".join(f.ocr_text.split())
                    snippet = plain[max(0, at - 40):at + 80]  # fold keeps one char per char: same offsets
                    found.append((FileView(f.id, code, f.component.code if f.component else "",
                                           f.component.name if f.component else "", f.kind, f.path, f.filename,
                                           f.sha256, f.size, f.pages, SignatureState(f.signature_state)), snippet))
                    if len(found) >= limit:
                        break
        return found

    def remove_file(self, actor: Actor, file_id: int, *, reason: str) -> None:
        """Take back a file that must not stand (a result whose seal did not verify): the row,
        with an audit record saying why; listeners drop what they queued for it."""
        require(actor, Permission.SCAN)
        with self.db.session() as s:
            f = s.get(DigitizedFile, file_id)
            if f is None:
                return
            code = s.scalar(select(Dossier.code).where(Dossier.id == f.dossier_id))
            self._emit(s, "file.removed", f)
            self.audit.record(s, actor=actor.audit_name, action="file.remove", entity_type="file", entity_id=file_id,
                              data={"dossier": code, "filename": f.filename, "reason": reason})
            s.delete(f)

    def component_code(self, dossier_code: str, component: str) -> str:
        """The code of the dossier's component named by ``component`` (code or name), or NotFound
        listing the ones it has — checked before a long digitization, not after."""
        with self.db.session() as s:
            return find_component(self._get(s, dossier_code), component).code

    def _ticket_for_reception(self, s: Session, ticket_id: int) -> Ticket:
        from desktop.queue.models import ACTIVE, Ticket

        q = select(Ticket).where(Ticket.id == ticket_id)
        ticket = s.scalar(q.with_for_update() if self.db.is_postgres else q)
        if ticket is None:
            raise NotFound(msg("Không có số thứ tự id {i}.", "No queue ticket with id {i}.", i=ticket_id))
        if ticket.dossier_code:
            other = s.scalar(select(Dossier.status).where(Dossier.code == ticket.dossier_code))
            if other is not None and other != DossierStatus.WITHDRAWN.value:
                raise Conflict(msg("Số {t} đã được tiếp nhận thành hồ sơ {c}; không tạo hồ sơ thứ hai.",
                                   "Ticket {t} was already received as dossier {c}; no second dossier is made.",
                                   t=ticket.number, c=ticket.dossier_code))
        if ticket.state not in ACTIVE:
            raise InvalidInput(msg("Số {t} không đang được phục vụ tại quầy (trạng thái: {s}).",
                                   "Ticket {t} is not being served at a counter (state: {s}).",
                                   t=ticket.number, s=ticket.state))
        return ticket

    def _get(self, s: Session, code: str) -> Dossier:
        d = s.scalar(select(Dossier).options(selectinload(Dossier.components), selectinload(Dossier.pauses))
                     .where(Dossier.code == code))
        if d is None:
            raise NotFound(msg("Không có hồ sơ mã “{c}”.", "No dossier with code “{c}”.", c=code))
        return d

    @staticmethod
    def _view(d: Dossier, proc: Procedure) -> DossierView:
        return DossierView(d.id, d.code, proc.code, proc.name, d.applicant_name, d.applicant_id_number, d.channel,
                           d.status, d.received_at, d.due_at, d.officer.username if d.officer else "",
                           [(c.code, c.name) for c in d.components], d.unit.code if d.unit else "",
                           d.unit.name if d.unit else "", d.applicant_tax_code or "", d.applicant_organisation or "")


__all__ = ["ComponentInput", "DossierService", "DossierView", "FileView", "next_daily_number", "next_dossier_code",
           "sha256_file",
]
