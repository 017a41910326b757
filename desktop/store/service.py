"""Indexing, offering, listing and reusing the documents of the citizen being served.

**Citizens and organisations.** A citizen's own dossier files its documents under their ID
number. A dossier received for an organisation (its tax code on the dossier) files them under
that tax code, except its *personal components* — the papers about the person who brings it,
their ID card or passport copy (:func:`personal_component`) — which go to the representative's
own store: another employee sent by the same company later must not be offered the first
one's ID card. So, at reception for an organisation, a slot is offered that organisation's
documents (the same tax code exactly: a branch "-001" is a taxpayer of its own and does not
see its parent's), and a personal slot the representative's own; a citizen's own dossier is
offered only what is filed under their ID number with no tax code — never what they once
brought for an employer. The national store is asked for personal slots only (its contract
is per citizen). An organisation's look-up is audited with who, which organisation and the
dossier (or stated reason), the representative's reference beside it.

Privacy: the only ways in are by one citizen's ID number, with the reason (the dossier or a
stated purpose), and every look-up is audited: who, which citizen, why. A reuse re-verifies
the stored file's signature and is refused, with the reason, when the file is gone, was
changed, no longer verifies, has expired, or belongs to someone else.

Where the dossier system offers the national store (its adapter's ``lookup_documents``), a
slot the local store cannot fill is offered that citizen's national documents too, marked
:attr:`Origin.NATIONAL`; the look-up says why (the dossier's code) and is audited like a
local one. A national store that cannot be reached leaves the local offers, with the reason.
Reusing a national document downloads it, checks its SHA-256 against the listing, keeps it
in the local store and then goes the local reuse's way (the signature verified again).

**One request, one audit record.** Each real request to the national store is audited once
(``store.lookup`` with ``source: national``), whether it answered or not. Its answer is kept
for :data:`NATIONAL_ANSWER_SECONDS` per (officer, citizen, purpose), so an officer who opens
the same dossier again and again, or reuses what was just offered, asks nothing more of the
national store; the local look-up's own audit record then says the national offers came
from the answer kept (``national: kept``, with when it was asked). Only answers are kept (a
failure is asked again next time), and ``fresh=True`` (the page's "look up again") asks anew.

**Expired documents are refused, never reused on a confirmation.** A document whose
``valid_until`` has passed is listed (the officer sees it, marked expired, with its number
and dates, and can tell the citizen why) but is not offered, and reusing it is refused with
the reason. The reuse rules spare the citizen a paper the state already holds only while it
is still valid (*còn hiệu lực*): an expired certificate or licence proves nothing for the
new procedure, so no officer may accept it in its place, and a confirmation clicked under the
queue's pressure would send the portal a copy flagged "taken from the store" that the
processing department must then refuse. At the counter the officer does what the rules
expect with an expired paper: asks for the current one and digitizes it.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.db.models import DigitizedFile, Dossier, DossierComponent, SignatureState
from desktop.dossiers import find_component, sha256_file
from desktop.kernel.errors import InvalidInput, MotcuaError, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.taxcode import normalize_tax_code
from desktop.kernel.text import fold
from desktop.kernel.timeutil import now_vn, to_vn, utcnow
from desktop.outbox.adapters.base import DeliveryError, NationalDocument, NationalStore
from desktop.store.models import StoredDocument
from signing.verify import verify_pdf

if TYPE_CHECKING:
    from desktop.dossiers import DossierService


class Origin(enum.StrEnum):
    """Where an offered document is kept."""

    LOCAL = "local"
    NATIONAL = "national"


class NationalState(enum.StrEnum):
    """What the national store said to a look-up."""

    #: this dossier system has none (a folder), or no slot needed it
    NOT_ASKED = "not_asked"
    REACHED = "reached"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class DocumentView:
    id: int
    id_number: str
    kind: str
    doc_type: str
    doc_name: str
    number: str
    issuer: str
    issued_on: date | None
    valid_until: date | None
    source_dossier: str
    sha256: str
    origin: Origin = Origin.LOCAL
    #: the national store's id of the document (``id`` is 0 until it is kept locally)
    national_id: str = ""
    #: past ``valid_until`` on the day it was listed: shown, never offered or reused
    expired: bool = False
    #: the organisation's tax code for an organisation's document ("" for a citizen's own)
    tax_code: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        d["valid_until"] = self.valid_until.isoformat() if self.valid_until else None
        return d


def _expired(valid_until: date | None, today: date) -> bool:
    return valid_until is not None and valid_until < today


def _view(r: StoredDocument, today: date | None = None) -> DocumentView:
    return DocumentView(r.id, r.id_number, r.kind, r.doc_type, r.doc_name, r.number, r.issuer, r.issued_on,
                        r.valid_until, r.source_dossier, r.sha256,
                        expired=_expired(r.valid_until, today or today_vn()), tax_code=r.tax_code or "")


def _national_view(id_number: str, n: NationalDocument, today: date) -> DocumentView:
    return DocumentView(0, id_number, n.kind, n.doc_type, n.doc_name, n.number, n.issuer, n.issued_on, n.valid_until,
                        n.source_dossier, n.sha256, Origin.NATIONAL, n.id, _expired(n.valid_until, today))


#: how long a national store's answer is kept per (officer, citizen, purpose): long enough for
#: the officer's back-and-forth on one dossier, short enough that a document the citizen's
#: other agency has just added shows at the next opening a few minutes later
NATIONAL_ANSWER_SECONDS = 300.0


@dataclass(frozen=True)
class Offers:
    """A dossier's offers per slot, and what the national store answered (its reason when unreachable).

    ``expired``: per slot with no valid offer, the citizen's documents of that type that have
    expired (local or national), shown as such and never reused."""

    slots: dict[str, list[DocumentView]] = field(default_factory=dict)
    national: NationalState = NationalState.NOT_ASKED
    reason: str = ""
    expired: dict[str, list[DocumentView]] = field(default_factory=dict)


def unreachable(exc: Exception) -> str:
    return msg("Không tra cứu được kho dữ liệu quốc gia: {e}", "The national store could not be looked up: {e}",
               e=exc)


def today_vn() -> date:
    return now_vn().date()


#: what the name of a component about the person who brings it says (folded): an identity paper
PERSONAL_WORDS = ("giay to tuy than", "can cuoc", "cccd", "cmnd", "chung minh nhan dan", "ho chieu", "the thuong tru")


def personal_component(name: str) -> bool:
    """Whether a component is a paper about the person who brings it (their ID card, passport),
    filed in their own store even in an organisation's dossier. A letter of authorisation is
    the organisation's paper (it signs it), not the representative's."""
    folded = fold(name)
    return any(w in folded for w in PERSONAL_WORDS)


def _holder(d: Dossier, component_name: str | None) -> tuple[str, str]:
    """(ID number, tax code) a document of this dossier is filed under: the organisation's
    tax code for an organisation's component or result, else ("<ID number>", "")."""
    id_number, tax_code = (d.applicant_id_number or "").strip(), (d.applicant_tax_code or "").strip()
    if tax_code and not (component_name is not None and personal_component(component_name)):
        return id_number, tax_code
    return id_number, ""


def index_verified(session: Session, f: DigitizedFile) -> None:
    """Put a file that has just verified into its holder's store (in the signing transaction).

    An organisation's dossier files it under its tax code (a personal component under the
    representative's ID number: see the module's docstring). A document with neither holder
    (no ID number, no tax code) is not stored. A file signed again updates its entry."""
    d = session.get(Dossier, f.dossier_id)
    if d is None:
        return
    comp = session.get(DossierComponent, f.component_id) if f.component_id else None
    id_number, tax_code = _holder(d, comp.name if comp is not None else None)
    if not tax_code and not id_number:
        return
    if comp is not None:
        doc_type, doc_name = comp.code or comp.name[:40], comp.name
    else:  # a result: its kind is the procedure's result
        doc_type, doc_name = f"result:{d.procedure.code}", d.procedure.result or d.procedure.name
    row = session.scalar(select(StoredDocument).where(StoredDocument.file_id == f.id))
    if row is None:  # filled before it is added: a lazy load must not flush a half-made row
        row = StoredDocument(file_id=f.id, path=f.path, sha256=f.sha256)
        session.add(row)
    # an organisation's document keeps who brought it (id_number) for the trace; it is found by its tax code
    row.id_number, row.tax_code, row.kind, row.doc_type, row.doc_name = id_number, tax_code, f.kind, doc_type, doc_name
    row.path, row.sha256, row.source_dossier = f.path, f.sha256, d.code
    row.issued_on = row.issued_on or to_vn(f.signed_at or utcnow()).date()


def set_validity(session: Session, file_id: int, valid_until: date | None) -> None:
    """The last day the stored file ``file_id`` is valid (None: no end), as the officer gave it
    when the result was recorded (in the transaction that indexed it)."""
    row = session.scalar(select(StoredDocument).where(StoredDocument.file_id == file_id))
    if row is not None:
        row.valid_until = valid_until


class DocumentStore:
    def __init__(self, db: Database, audit: AuditLog, dossiers: DossierService, trust: list[Path], *,
                 national: Callable[[], NationalStore | None] | None = None, keep_dir: Path | None = None) -> None:
        """``national``: the dossier system's national store, if it has one; ``keep_dir``: where
        documents taken from it are kept (the local store's copies)."""
        self.db, self.audit, self.dossiers, self.trust = db, audit, dossiers, trust
        self.national, self.keep_dir = national or (lambda: None), keep_dir
        #: (officer, citizen, purpose) → (monotonic time asked, wall time asked, the answer)
        self._answers: dict[tuple[str, str, str], tuple[float, str, list[NationalDocument]]] = {}
        self._answers_lock = threading.Lock()
        #: seconds an answer is kept (tests shorten it)
        self.answer_seconds = NATIONAL_ANSWER_SECONDS

    # --- looking up -------------------------------------------------------------------------

    @staticmethod
    def _held(s: Session, id_number: str = "", tax_code: str = "") -> list[StoredDocument]:
        """The documents of an organisation (``tax_code``), or of a citizen's own (``id_number``,
        no tax code: what they brought for an organisation is the organisation's), newest first."""
        where = (StoredDocument.tax_code == tax_code if tax_code else
                 (StoredDocument.id_number == id_number) & (StoredDocument.tax_code == ""))
        return list(s.scalars(select(StoredDocument).where(where)
                              .order_by(StoredDocument.stored_at.desc(), StoredDocument.id.desc())))

    def list_for_organisation(self, actor: Actor, tax_code: str, *, why: str,
                              include_expired: bool = False) -> list[DocumentView]:
        """The organisation's stored documents (still valid unless ``include_expired``); audited
        with who, which organisation and ``why``."""
        require(actor, Permission.RECEIVE_DOSSIER)
        code = normalize_tax_code(tax_code)
        if not code or not why.strip():
            raise InvalidInput(msg("Cần mã số thuế của tổ chức và lý do tra cứu.",
                                   "The organisation's tax code and the reason for the look-up are needed."))
        today = today_vn()
        with self.db.session() as s:
            rows = [r for r in self._held(s, tax_code=code) if include_expired or not _expired(r.valid_until, today)]
            self.audit.record(s, actor=actor.audit_name, action="store.lookup", entity_type="organisation",
                              entity_id=code, data={"why": why, "found": len(rows)})
            return [_view(r, today) for r in rows]

    def list_for(self, actor: Actor, id_number: str, *, why: str, include_expired: bool = False) -> list[DocumentView]:
        """The citizen's stored documents (still valid unless ``include_expired``); audited with ``why``."""
        require(actor, Permission.RECEIVE_DOSSIER)
        id_number = id_number.strip()
        if not id_number or not why.strip():
            raise InvalidInput(msg("Cần số định danh của công dân và lý do tra cứu.",
                                   "The citizen's ID number and the reason for the look-up are needed."))
        today = today_vn()
        with self.db.session() as s:
            rows = [r for r in self._held(s, id_number) if include_expired or not _expired(r.valid_until, today)]
            self.audit.record(s, actor=actor.audit_name, action="store.lookup", entity_type="citizen",
                              entity_id=self.audit.citizen_ref(id_number), data={"why": why, "found": len(rows)})
            return [_view(r, today) for r in rows]

    def list_national(self, actor: Actor, id_number: str, *, why: str) -> tuple[list[DocumentView], str]:
        """The citizen's verified documents in the national store (the expired ones marked
        ``expired``), and the reason when it could not be reached (or offers none); always a
        new request, audited with ``why``."""
        require(actor, Permission.RECEIVE_DOSSIER)
        id_number = id_number.strip()
        if not id_number or not why.strip():
            raise InvalidInput(msg("Cần số định danh của công dân và lý do tra cứu.",
                                   "The citizen's ID number and the reason for the look-up are needed."))
        state, reason, found, _kept = self._national_lookup(actor, id_number, why, fresh=True)
        if state is NationalState.NOT_ASKED:
            reason = msg("Hệ thống hồ sơ không có kho dữ liệu quốc gia.",
                         "The dossier system offers no national document store.")
        today = today_vn()
        return [_national_view(id_number, n, today) for n in found], reason

    def offers(self, actor: Actor, dossier_code: str) -> dict[str, list[DocumentView]]:
        """Per component slot of the dossier (its code), this citizen's stored, still-valid
        documents of that type, newest first, then the national store's for slots the local
        one cannot fill; slots with none are left out. Audited."""
        return self.look_up(actor, dossier_code).slots

    def look_up(self, actor: Actor, dossier_code: str, *, fresh: bool = False) -> Offers:
        """:meth:`offers`, with what the national store answered (the reason when it could not be
        reached) and the expired documents per slot. The national store's answer is reused for a
        few minutes unless ``fresh`` (see the module's docstring)."""
        require(actor, Permission.RECEIVE_DOSSIER)
        today = today_vn()
        with self.db.session() as s:
            d = self._dossier(s, dossier_code)
            id_number, tax_code = (d.applicant_id_number or "").strip(), (d.applicant_tax_code or "").strip()
            if not id_number and not tax_code:
                return Offers()
            own = self._held(s, id_number) if id_number else []
            org = self._held(s, tax_code=tax_code) if tax_code else []
            out: dict[str, list[DocumentView]] = {}
            expired: dict[str, list[DocumentView]] = {}
            empty: dict[str, set[str]] = {}
            for c in d.components:
                types = {c.code, c.name[:40]} - {""}
                mine = _holder(d, c.name)[1] == ""  # the representative's (or citizen's) own slot
                match = [_view(r, today) for r in (own if mine else org) if r.doc_type in types]
                valid = [v for v in match if not v.expired]
                if valid:
                    out[c.code or c.name] = valid
                else:
                    if mine and id_number:  # the national store is per citizen: asked for their own slots
                        empty[c.code or c.name] = types
                    if match:
                        expired[c.code or c.name] = match
            local = {r.sha256 for r in own}
            code = d.code
        state, reason, kept = NationalState.NOT_ASKED, "", ""
        found: list[NationalDocument] = []
        if empty:  # else nothing to ask for: the citizen's national record is not looked at
            state, reason, found, kept = self._national_lookup(actor, id_number, code, fresh=fresh)
        for slot, types in empty.items():
            match = [_national_view(id_number, n, today) for n in found if n.doc_type in types and n.sha256 not in local]
            valid = [v for v in match if not v.expired]
            if valid:
                out[slot] = valid
                expired.pop(slot, None)
            elif match:
                expired[slot] = expired.get(slot, []) + match
        data: dict[str, Any] = {"why": code, "offered": sum(map(len, out.values())),
                                "expired": sum(map(len, expired.values()))}
        if kept:  # the national offers shown come from an answer asked (and audited) at ``kept``
            data["national"], data["national_asked_at"] = "kept", kept
        if tax_code:  # who looked up which organisation's store, for which dossier (and whose own papers)
            entity_type, entity_id = "organisation", tax_code
            if id_number:
                data["representative"] = self.audit.citizen_ref(id_number)
        else:
            entity_type, entity_id = "citizen", self.audit.citizen_ref(id_number)
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="store.lookup", entity_type=entity_type,
                              entity_id=entity_id, data=data)
        return Offers(out, state, reason, expired)

    def _national_lookup(self, actor: Actor, id_number: str, why: str, *, fresh: bool = False
                         ) -> tuple[NationalState, str, list[NationalDocument], str]:
        """The citizen's verified national documents (expired ones included), and, when they come
        from an answer kept, when it was asked ("" after a new request). Each new request is
        audited once, whether it answered or not."""
        key = (actor.audit_name, id_number, why)
        now = time.monotonic()
        with self._answers_lock:
            for k in [k for k, (at, _w, _l) in self._answers.items() if now - at > self.answer_seconds]:
                del self._answers[k]  # personal data: not held longer than it serves
            hit = None if fresh else self._answers.get(key)
        if hit is not None:
            return NationalState.REACHED, "", hit[2], hit[1]
        try:
            # making the adapter can fail too (an address that is not valid): the local offers stand
            store = self.national()
            if store is None:
                return NationalState.NOT_ASKED, "", [], ""
            listed = store.lookup_documents(id_number, why)
        except (DeliveryError, MotcuaError, OSError) as exc:
            reason = unreachable(exc)
            with self.db.session() as s:
                self.audit.record(s, actor=actor.audit_name, action="store.lookup", entity_type="citizen",
                                  entity_id=self.audit.citizen_ref(id_number), data={"why": why, "source": "national",
                                        "error": self.audit.scrub(str(exc), id_number)})
            return NationalState.UNREACHABLE, reason, [], ""
        if listed is None:
            return NationalState.NOT_ASKED, "", [], ""
        found = [n for n in listed if n.signature_state == "verified"]
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="store.lookup", entity_type="citizen",
                              entity_id=self.audit.citizen_ref(id_number), data={"why": why, "source": "national", "found": len(found)})
        with self._answers_lock:
            self._answers[key] = (time.monotonic(), utcnow().isoformat(timespec="seconds"), found)
        return NationalState.REACHED, "", found, ""

    def describe(self, actor: Actor, document_id: int, *, number: str | None = None, issuer: str | None = None,
                 issued_on: date | None = None, valid_until: date | None = None) -> DocumentView:
        """Record what the paper says (number, issuing body, dates) on a stored document."""
        require(actor, Permission.RECEIVE_DOSSIER)
        with self.db.session() as s:
            r = self._doc(s, document_id)
            for k, v in (("number", number), ("issuer", issuer), ("issued_on", issued_on),
                         ("valid_until", valid_until)):
                if v is not None:
                    setattr(r, k, v)
            self.audit.record(s, actor=actor.audit_name, action="store.describe", entity_type="store_document",
                              entity_id=str(r.id), data={"citizen": self.audit.citizen_ref(r.id_number), "number": r.number,
                                                         "valid_until": str(r.valid_until or "")})
            return _view(r)

    # --- reusing ----------------------------------------------------------------------------

    def reuse(self, actor: Actor, dossier_code: str, component: str, document_id: int) -> int:
        """Link stored document ``document_id`` to ``component`` of the dossier (no new scan),
        flagged reused; returns the new file's id. Refused, with the reason and an audit record,
        when it is not this citizen's, has expired, is missing, was changed or no longer verifies."""
        require(actor, Permission.SCAN)
        with self.db.session() as s:
            d = self._dossier(s, dossier_code)
            comp = find_component(d, component)
            r = self._doc(s, document_id)
            citizen = (d.applicant_id_number or "").strip()
            _id, holder = _holder(d, comp.name)
            path, sha, valid_until = Path(r.path), r.sha256, r.valid_until
            ours = r.tax_code == holder if holder else bool(citizen) and r.id_number == citizen and r.tax_code == ""
            comp_code = comp.code
        extra = {"organisation": holder} if holder else {}
        if not ours:
            # the same answer as an unknown id: another citizen's (or organisation's) store is not confirmed to exist
            raise NotFound(msg("Không có tài liệu {i} trong kho của công dân (tổ chức) này.",
                               "There is no document {i} in this citizen's (organisation's) store.", i=document_id))
        problem = self._problem(path, sha, valid_until)
        if problem:
            self._refuse(actor, str(document_id), citizen, dossier_code, comp_code, problem, **extra)
        with self.db.session() as s:
            d = self._dossier(s, dossier_code)
            comp = find_component(d, component)
            r = self._doc(s, document_id)
            f = DigitizedFile(dossier_id=d.id, component_id=comp.id, kind="component", path=str(path),
                              filename=path.name, sha256=sha, size=path.stat().st_size,
                              signature_state=SignatureState.VERIFIED, signed_at=utcnow(), reused=True)
            s.add(f)
            s.flush()
            r.reuse_count = (r.reuse_count or 0) + 1
            self.audit.record(s, actor=actor.audit_name, action="store.reuse", entity_type="file",
                              entity_id=str(f.id), data={"citizen": self.audit.citizen_ref(citizen), "dossier": d.code,
                                                         "component": comp.code, "document": r.id,
                                                         "source_dossier": r.source_dossier, "sha256": sha, **extra})
            self.dossiers.emit(s, "file.attached", f)  # its upload, flagged reused, in this transaction
            return f.id

    def reuse_national(self, actor: Actor, dossier_code: str, component: str, national_id: str) -> int:
        """Take the national store's document ``national_id`` for ``component``: downloaded, its
        SHA-256 checked against the listing, kept in the local store, then reused as a local one
        (its signature verified again); returns the new file's id. Refused, with the reason, when
        the store cannot be reached, the copy differs from its listing or no longer verifies."""
        require(actor, Permission.SCAN)
        with self.db.session() as s:
            d = self._dossier(s, dossier_code)
            comp = find_component(d, component)
            comp_code, holder = comp.code, _holder(d, comp.name)[1]
            citizen = (d.applicant_id_number or "").strip()
        if holder:
            raise InvalidInput(msg("Kho dữ liệu quốc gia chỉ giữ giấy tờ của công dân; thành phần {c} là của tổ chức "
                                   "{t}.", "The national store holds citizens' documents only; component {c} is "
                                   "organisation {t}'s.", c=comp_code, t=holder))
        store = self.national()
        if store is None or self.keep_dir is None:
            raise InvalidInput(msg("Hệ thống hồ sơ không có kho dữ liệu quốc gia.",
                                   "The dossier system offers no national document store."))
        # the answer just offered on the page is used (no second request): the download is checked anyway
        state, reason, found, _kept = self._national_lookup(actor, citizen, dossier_code) if citizen else \
            (NationalState.REACHED, "", [], "")
        if state is NationalState.NOT_ASKED:  # a folder: there is no national store to take from
            raise InvalidInput(msg("Hệ thống hồ sơ không có kho dữ liệu quốc gia.",
                                   "The dossier system offers no national document store."))
        if state is NationalState.UNREACHABLE:
            self._refuse(actor, national_id, citizen, dossier_code, comp_code, reason, source="national")
        entry = next((n for n in found if n.id == national_id), None)
        if entry is None:  # also another citizen's: it is not confirmed to exist
            raise NotFound(msg("Không có tài liệu {i} trong kho dữ liệu quốc gia của công dân này.",
                               "There is no document {i} in this citizen's national store.", i=national_id))
        if _expired(entry.valid_until, today_vn()):  # refused before anything is downloaded (module docstring)
            self._refuse(actor, national_id, citizen, dossier_code, comp_code,
                         self._problem(Path(), entry.sha256, entry.valid_until), source="national")
        with self.db.session() as s:
            kept = s.scalar(select(StoredDocument.id).where(StoredDocument.id_number == citizen,
                                                             StoredDocument.tax_code == "",
                                                             StoredDocument.sha256 == entry.sha256))
        if kept is not None:  # taken before: the local copy is reused (and verified again)
            return self.reuse(actor, dossier_code, component, kept)
        dest = self.keep_dir / citizen / f"{entry.sha256[:16]}.pdf"
        try:
            store.fetch_document(citizen, entry.id, dest, dossier_code)
        except (DeliveryError, OSError) as exc:
            self._refuse(actor, national_id, citizen, dossier_code, comp_code, unreachable(exc), source="national")
        problem = self._problem(dest, entry.sha256, entry.valid_until)
        if problem:
            dest.unlink(missing_ok=True)  # never kept: a copy that is not the listed, signed one
            self._refuse(actor, national_id, citizen, dossier_code, comp_code, problem, source="national")
        with self.db.session() as s:
            row = StoredDocument(id_number=citizen, kind=entry.kind, doc_type=entry.doc_type[:40],
                                 doc_name=entry.doc_name[:500], number=entry.number[:80], issuer=entry.issuer[:255],
                                 issued_on=entry.issued_on, valid_until=entry.valid_until, path=str(dest),
                                 sha256=entry.sha256, source_dossier=entry.source_dossier[:60])
            s.add(row)
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="store.import", entity_type="store_document",
                              entity_id=str(row.id), data={"citizen": self.audit.citizen_ref(citizen), "dossier": dossier_code,
                                                           "national_id": entry.id, "sha256": entry.sha256,
                                                           "source_dossier": entry.source_dossier})
            kept = row.id
        return self.reuse(actor, dossier_code, component, kept)

    def _problem(self, path: Path, sha: str, valid_until: date | None) -> str:
        """Why a signed copy cannot be reused ("" when it can): expired, gone, changed or no longer verifying."""
        if valid_until is not None and valid_until < today_vn():
            return msg("tài liệu đã hết hiệu lực ngày {d}", "the document expired on {d}",
                       d=valid_until.strftime("%d/%m/%Y"))
        if not path.is_file():
            return msg("tệp đã ký không còn trên ổ đĩa ({p})", "the signed file is no longer on disk ({p})", p=path)
        if sha256_file(path) != sha:
            return msg("tệp đã bị thay đổi sau khi ký (mã băm khác)",
                       "the file was changed after it was signed (its hash differs)")
        report = verify_pdf(path, self.trust)
        if not report.ok:
            issues = report.problems + [p for sig in report.signatures for p in sig.problems]
            return msg("chữ ký số không còn hợp lệ: {p}", "the signature no longer verifies: {p}",
                       p="; ".join(issues) or "?")
        return ""

    def _refuse(self, actor: Actor, document: str, citizen: str, dossier_code: str, comp_code: str, problem: str,
                **extra: str) -> NoReturn:
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="store.reuse_refused",
                              entity_type="store_document", entity_id=document,
                              data={"citizen": self.audit.citizen_ref(citizen), "dossier": dossier_code,
                                    "component": comp_code, "reason": self.audit.scrub(problem, citizen), **extra})
        raise InvalidInput(msg("Không dùng lại được tài liệu {i}: {p}. Hãy số hóa lại thành phần này.",
                               "Document {i} cannot be reused: {p}. Digitize this component anew.",
                               i=document, p=problem))

    # ------------------------------------------------------------------------------------------

    @staticmethod
    def _dossier(s: Session, code: str) -> Dossier:
        d = s.scalar(select(Dossier).where(Dossier.code == code))
        if d is None:
            raise NotFound(msg("Không có hồ sơ {c}.", "No dossier {c}.", c=code))
        return d

    @staticmethod
    def _doc(s: Session, document_id: int) -> StoredDocument:
        r = s.get(StoredDocument, document_id)
        if r is None:
            raise NotFound(msg("Không có tài liệu {i} trong kho.", "There is no document {i} in the store.",
                               i=document_id))
        return r
