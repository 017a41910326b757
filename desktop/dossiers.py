"""Receiving dossiers: codes, due dates, components, attached files and status changes.

Other areas react to dossier changes without this module knowing them: a listener
registered with :meth:`DossierService.add_listener` is called *inside the same
transaction* as the change (the outbox uses it to queue uploads atomically).
Events: ``dossier.received`` (payload: Dossier), ``file.attached`` (DigitizedFile),
``status.changed`` (DossierStatusChange).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
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
)
from desktop.kernel.errors import InvalidInput, NotFound, require_readable_file
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import VN_TZ, to_vn, utcnow

if TYPE_CHECKING:
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
    signature_state: str


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "code": self.code, "procedure_code": self.procedure_code,
            "procedure_name": self.procedure_name, "applicant_name": self.applicant_name,
            "applicant_id_number": self.applicant_id_number, "channel": self.channel, "status": self.status,
            "received_at": to_vn(self.received_at).isoformat(),
            "due_at": to_vn(self.due_at).isoformat() if self.due_at else None,
            "officer": self.officer,
            "components": [{"code": c, "name": n} for c, n in self.components],
        }


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


@dataclass
class ComponentInput:
    name: str
    code: str = ""
    copy_kind: str = "original"
    quantity: int = 1


class DossierService:
    def __init__(self, db: Database, audit: AuditLog, calendar: WorkCalendar, settings: Settings) -> None:
        self.db = db
        self.audit = audit
        self.calendar = calendar
        self.settings = settings
        self._listeners: list[Listener] = []

    def add_listener(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def _emit(self, session: Session, event: str, payload: Any) -> None:
        for fn in self._listeners:
            fn(session, event, payload)

    # --- reception --------------------------------------------------------------------

    def _unit(self, session: Session) -> OrgUnit:
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == self.settings.unit_code))
        if unit is None:
            unit = OrgUnit(code=self.settings.unit_code, name=self.settings.unit_code)
            session.add(unit)
            session.flush()
        return unit

    def receive(self, actor: Actor, *, procedure_code: str, applicant_name: str, applicant_id_number: str = "",
                applicant_address: str = "", applicant_phone: str = "", applicant_email: str = "",
                channel: int = Channel.IN_PERSON.value, received_at: datetime | None = None,
                components: Iterable[ComponentInput] | None = None, ticket_number: str = "",
                code: str | None = None, sets: int = 1, note: str = "") -> DossierView:
        """Record a received dossier with its code and due date; returns a plain view."""
        require(actor, Permission.RECEIVE_DOSSIER)
        if not applicant_name.strip():
            raise InvalidInput(msg("Chưa nhập tên người nộp hồ sơ.", "The applicant's name is missing."))
        if applicant_id_number and not (applicant_id_number.isdigit() and len(applicant_id_number) in (9, 12)):
            raise InvalidInput(msg("Số định danh “{n}” không hợp lệ (cần 12 chữ số, hoặc 9 với CMND cũ).",
                                   "ID number “{n}” is not valid (12 digits, or 9 for an old ID card).",
                                   n=applicant_id_number))
        if channel not in {c.value for c in Channel}:
            raise InvalidInput(msg("Kênh nộp {c} không hợp lệ (1, 2 hoặc 3).", "Channel {c} is not valid (1, 2 or 3).",
                                   c=channel))
        when = received_at or utcnow()
        if when.tzinfo is None:
            when = when.replace(tzinfo=VN_TZ)
        with self.db.session() as s:
            proc = s.scalar(select(Procedure).options(selectinload(Procedure.components))
                            .where(Procedure.code == procedure_code))
            if proc is None:
                raise NotFound(msg("Không có thủ tục mã “{c}” trong danh mục.",
                                   "No procedure with code “{c}” in the catalogue.", c=procedure_code))
            unit = self._unit(s)
            dossier_code = code or next_dossier_code(s, unit.code, when)
            due = self.calendar.due(when, proc.days)
            d = Dossier(code=dossier_code, unit_id=unit.id, procedure_id=proc.id, applicant_name=applicant_name.strip(),
                        applicant_id_number=applicant_id_number, applicant_address=applicant_address,
                        applicant_phone=applicant_phone, applicant_email=applicant_email, channel=channel,
                        status=DossierStatus.RECEIVED.value, received_at=when, due_at=due,
                        officer_id=actor.officer_id, ticket_number=ticket_number, sets=sets, note=note)
            if components is None:
                d.components = [DossierComponent(procedure_component_id=pc.id, code=pc.code, name=pc.name,
                                                 copy_kind=pc.copy_kind, quantity=pc.quantity)
                                for pc in proc.components]
            else:
                by_code = {pc.code: pc for pc in proc.components if pc.code}
                d.components = [DossierComponent(
                    procedure_component_id=by_code[c.code].id if c.code in by_code else None,
                    code=c.code, name=c.name, copy_kind=c.copy_kind, quantity=c.quantity) for c in components]
            d.status_history = [DossierStatusChange(status=d.status, at=when, officer_id=actor.officer_id)]
            s.add(d)
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="dossier.receive", entity_type="dossier",
                              entity_id=d.code, data={"procedure": proc.code, "due_at": due.isoformat() if due else None})
            self._emit(s, "dossier.received", d)
            return self._view(d, proc)

    def attach_file(self, actor: Actor, dossier_code: str, path: Path | str, *, component: str | None = None,
                    kind: str = "component", pages: int = 0, ocr_text: str = "",
                    signature_state: str = "unsigned") -> FileView:
        """Link a digitized PDF to the dossier (component matched by code, then by name)."""
        require(actor, Permission.SCAN)
        p = Path(path)
        require_readable_file(p)
        digest, size = sha256_file(p), p.stat().st_size
        with self.db.session() as s:
            d = self._get(s, dossier_code)
            comp = None
            if component:
                comp = next((c for c in d.components if c.code == component), None) or next(
                    (c for c in d.components if c.name == component), None)
                if comp is None:
                    comp = DossierComponent(dossier_id=d.id, code=component, name=component)
                    s.add(comp)
                    s.flush()
            f = DigitizedFile(dossier_id=d.id, component_id=comp.id if comp else None, kind=kind, path=str(p.resolve()),
                              filename=p.name, sha256=digest, size=size, pages=pages, ocr_text=ocr_text,
                              signature_state=signature_state)
            s.add(f)
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="file.attach", entity_type="file", entity_id=f.id,
                              data={"dossier": d.code, "component": comp.code if comp else "", "sha256": digest})
            self._emit(s, "file.attached", f)
            return FileView(f.id, d.code, comp.code if comp else "", comp.name if comp else "", kind, f.path,
                            f.filename, digest, size, pages, signature_state)

    def set_status(self, actor: Actor, dossier_code: str, status: int | DossierStatus, note: str = "") -> None:
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
                             f.size, f.pages, f.signature_state) for f in rows]

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
                                           f.sha256, f.size, f.pages, f.signature_state), snippet))
                    if len(found) >= limit:
                        break
        return found

    def set_signature_state(self, actor: Actor, file_id: int, state: str) -> None:
        require(actor, Permission.SIGN_PERSONAL)
        with self.db.session() as s:
            s.execute(update(DigitizedFile).where(DigitizedFile.id == file_id)
                      .values(signature_state=state, signed_at=utcnow() if state != "unsigned" else None))
            self.audit.record(s, actor=actor.audit_name, action="file.signature", entity_type="file",
                              entity_id=file_id, data={"state": state})

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
                           [(c.code, c.name) for c in d.components])


__all__ = ["ComponentInput", "DossierService", "DossierView", "FileView", "next_daily_number", "next_dossier_code",
           "sha256_file",
]
