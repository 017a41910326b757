"""What a form shows, as plain data gathered from the dossier and the unit's settings.

:func:`forms_settings` is the one place that reads the unit's names, the place name of
the "[place], ngày … tháng … năm …" line and the help line from the settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.config import Settings
from desktop.db.models import Dossier, DossierStatus, DossierStatusChange, Officer
from desktop.kernel.errors import NotFound
from desktop.kernel.i18n import msg
from desktop.lifecycle.models import DueChange, DueKind, Fee, Handoff

COPY_KIND_VI = {
    "original": "Bản chính",
    "certified_copy": "Bản sao có chứng thực",
    "copy": "Bản sao",
    "original_or_certified_copy": "Bản chính hoặc bản sao có chứng thực",
}
COLLECTION_VI = {"before": "thu trước", "after": "thu sau", "exempt": "miễn"}


@dataclass(frozen=True)
class FormsSettings:
    agency: str
    parent_agency: str
    place: str
    return_place: str
    help_line: str


_ADMIN_WORDS = ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "thành phố", "tỉnh", "phường", "xã", "thị trấn",
                "đặc khu", "huyện", "quận", "thị xã")


def place_from_agency(agency: str) -> str:
    """The place of "[place], ngày …" read from the unit's name when none is set:
    "UBND phường Quy Nhơn" → "Quy Nhơn"; "" when the name holds no place ("Bộ phận Một cửa")."""
    text = " ".join(agency.split())
    low = text.lower()
    best: tuple[int, int] | None = None  # (where the last administrative word ends, its start)
    for word in _ADMIN_WORDS:
        at = low.rfind(word + " ")
        if at >= 0 and (at == 0 or low[at - 1] == " "):
            end = at + len(word) + 1
            if best is None or end > best[0]:
                best = (end, at)
    if best is None:
        return ""
    rest = text[best[0]:].strip(" ,.-")
    return rest if rest and rest[0].isupper() else ""


def forms_settings(settings: Settings) -> FormsSettings:
    """From ``settings.extra["forms"]`` (agency, parent_agency, place, return_place, help_line)."""
    conf = dict(settings.extra.get("forms") or {})
    agency = conf.get("agency") or settings.extra.get("unit_name") or "Bộ phận Một cửa"
    return FormsSettings(agency=str(agency), parent_agency=str(conf.get("parent_agency", "")),
                         place=str(conf.get("place") or settings.extra.get("place") or place_from_agency(str(agency))),
                         return_place=str(conf.get("return_place") or agency),
                         help_line=str(conf.get("help_line") or agency))


def for_agency(org: FormsSettings, own_unit: str, unit_code: str, unit_name: str) -> FormsSettings:
    """The names of a dossier's forms for the unit it was recorded with: a unit other than
    the workstation's (the procedure's agency, issue 11 item 3) names itself as the agency
    that receives ("[unit] tiếp nhận hồ sơ của …"); the superior agency, the place and where
    the result is collected stay the counter's, where the citizen comes back."""
    name = " ".join(unit_name.split())
    if not own_unit or not unit_code or unit_code == own_unit or not name or name == unit_code:
        return org
    return replace(org, agency=name)


@dataclass(frozen=True)
class HandoffRow:
    at: datetime
    giver: str
    receiver: str
    department: str
    action: str
    step_due: datetime | None
    outcome: str
    note: str


@dataclass
class FormData:
    code: str
    procedure_code: str
    procedure_name: str
    area: str
    applicant_name: str
    id_number: str
    address: str
    phone: str
    email: str
    received_at: datetime
    due_at: datetime | None
    legal_due_at: datetime | None
    days: float
    sets: int
    officer_name: str
    org: FormsSettings
    components: list[tuple[str, str, int]] = field(default_factory=list)  # name, copy kind, quantity
    fees: list[dict[str, Any]] = field(default_factory=list)
    status: int = 2
    # what the transition that produced the form recorded
    #: the reason of the refusal (03) or of the stop (05)
    reason: str = ""
    supplement_reason: str = ""
    supplement_components: list[str] = field(default_factory=list)
    #: component code → name, to print the name of a component asked for by code
    component_names: dict[str, str] = field(default_factory=dict)
    paused_at: datetime | None = None
    remaining_minutes: float | None = None
    previous_due: datetime | None = None
    new_due: datetime | None = None
    extension_reason: str = ""
    stage: str = ""
    handoffs: list[HandoffRow] = field(default_factory=list)
    register_entry: str = ""
    #: names of the components ticked as not brought at reception (the receipt lists the others)
    not_brought: set[str] = field(default_factory=set)
    #: the organisation the applicant acts for, by its tax code (both "" for a citizen's own dossier)
    tax_code: str = ""
    organisation: str = ""


def collect(s: Session, code: str, settings: Settings) -> FormData:
    d = s.scalar(select(Dossier).options(selectinload(Dossier.components), selectinload(Dossier.pauses),
                                         selectinload(Dossier.procedure)).where(Dossier.code == code))
    if d is None:
        raise NotFound(msg("Không có hồ sơ mã “{c}”.", "No dossier with code “{c}”.", c=code))
    officer = s.get(Officer, d.officer_id) if d.officer_id else None
    fees = [{"name": f.name, "amount": f.amount, "collection": f.collection, "state": f.state, "method": f.method,
             "receipt_ref": f.receipt_ref} for f in s.scalars(select(Fee).where(Fee.dossier_id == d.id).order_by(Fee.id))]
    data = FormData(
        code=d.code, procedure_code=d.procedure.code, procedure_name=d.procedure.name, area=d.procedure.field,
        applicant_name=d.applicant_name, id_number=d.applicant_id_number, address=d.applicant_address,
        phone=d.applicant_phone, email=d.applicant_email, received_at=d.received_at, due_at=d.due_at,
        legal_due_at=d.legal_due_at, days=d.procedure.days, sets=d.sets,
        officer_name=(officer.full_name or officer.username) if officer else "",
        org=for_agency(forms_settings(settings), settings.unit_code, d.unit.code if d.unit else "", d.unit.name if d.unit else ""),
        components=[(c.name, c.copy_kind, c.quantity) for c in d.components], fees=fees, status=d.status,
        tax_code=d.applicant_tax_code or "", organisation=d.applicant_organisation or "")
    changes = list(s.scalars(select(DossierStatusChange).where(DossierStatusChange.dossier_id == d.id)
                             .order_by(DossierStatusChange.id)))
    last_note = {c.action: c.note for c in changes}
    data.not_brought = {c.name for c in d.components if not c.received}
    data.component_names = {c.code: c.name for c in d.procedure.components if c.code}
    data.component_names.update({c.code: c.name for c in d.components if c.code})
    if d.pauses:
        p = max(d.pauses, key=lambda p: p.started_at)
        data.supplement_components = list(p.components or [])
        data.paused_at, data.remaining_minutes = p.started_at, p.remaining_minutes
        data.supplement_reason = p.reason
    for action in ("refuse", "stop"):
        if action in last_note:
            data.reason = last_note[action]
    ext = s.scalars(select(DueChange).where(DueChange.dossier_id == d.id, DueChange.kind == DueKind.EXTEND.value)
                    .order_by(DueChange.id.desc())).first()
    if ext is not None:
        data.previous_due, data.new_due = ext.previous_due, ext.new_due
        data.extension_reason = ext.reason
    stop = next((c for c in reversed(changes) if c.action == "stop"), None)
    if stop is not None:
        before = [c for c in changes if c.id < stop.id]
        data.stage = _stage(before[-1].status if before else d.status)
    data.handoffs = [HandoffRow(h.at, h.giver, h.receiver, h.department, h.action, h.step_due, h.outcome, h.note)
                     for h in s.scalars(select(Handoff).where(Handoff.dossier_id == d.id).order_by(Handoff.id))]
    data.register_entry = d.code.rsplit("-", 1)[-1]  # the daily sequence is the register's entry number
    return data


def _stage(status: int) -> str:
    from desktop.lifecycle.machine import STATUS_NAMES

    return STATUS_NAMES[DossierStatus(status)][0]


def applicable(data: FormData) -> list[str]:
    """The forms (01 … 06) this dossier has something to print on, in number order: a form
    whose transition never happened would print empty lines (a 04 with no extension)."""
    refused = data.status == DossierStatus.NOT_RECEIVED
    received = not refused and data.status != DossierStatus.NEW
    out = []
    if received:
        out.append("01")
    if data.supplement_reason or data.supplement_components:
        out.append("02")
    if refused:
        out.append("03")
    if data.new_due is not None:
        out.append("04")
    if data.stage:
        out.append("05")
    if received:
        out.append("06")
    return out
