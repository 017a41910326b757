"""Indexing, offering, listing and reusing the documents of the citizen being served.

Privacy: the only ways in are by one citizen's ID number, with the reason (the dossier or a
stated purpose), and every look-up is audited: who, which citizen, why. A reuse re-verifies
the stored file's signature and is refused, with the reason, when the file is gone, was
changed, no longer verifies, has expired, or belongs to someone else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.db.models import DigitizedFile, Dossier, DossierComponent, SignatureState
from desktop.dossiers import find_component, sha256_file
from desktop.kernel.errors import InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import now_vn, to_vn, utcnow
from desktop.store.models import StoredDocument
from signing.verify import verify_pdf

if TYPE_CHECKING:
    from desktop.dossiers import DossierService


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

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        d["valid_until"] = self.valid_until.isoformat() if self.valid_until else None
        return d


def _view(r: StoredDocument) -> DocumentView:
    return DocumentView(r.id, r.id_number, r.kind, r.doc_type, r.doc_name, r.number, r.issuer, r.issued_on,
                        r.valid_until, r.source_dossier, r.sha256)


def today_vn() -> date:
    return now_vn().date()


def index_verified(session: Session, f: DigitizedFile) -> None:
    """Put a file that has just verified into its holder's store (in the signing transaction).

    A dossier without an ID number has no holder to file it under: nothing is stored. A file
    signed again updates its entry (the new bytes)."""
    d = session.get(Dossier, f.dossier_id)
    if d is None or not (d.applicant_id_number or "").strip():
        return
    comp = session.get(DossierComponent, f.component_id) if f.component_id else None
    if comp is not None:
        doc_type, doc_name = comp.code or comp.name[:40], comp.name
    else:  # a result: its kind is the procedure's result
        doc_type, doc_name = f"result:{d.procedure.code}", d.procedure.result or d.procedure.name
    row = session.scalar(select(StoredDocument).where(StoredDocument.file_id == f.id))
    if row is None:  # filled before it is added: a lazy load must not flush a half-made row
        row = StoredDocument(file_id=f.id, path=f.path, sha256=f.sha256)
        session.add(row)
    row.id_number, row.kind, row.doc_type, row.doc_name = d.applicant_id_number.strip(), f.kind, doc_type, doc_name
    row.tax_code = str((d.postal_address or {}).get("tax_code", "") or "")[:20]
    row.path, row.sha256, row.source_dossier = f.path, f.sha256, d.code
    row.issued_on = row.issued_on or to_vn(f.signed_at or utcnow()).date()


class DocumentStore:
    def __init__(self, db: Database, audit: AuditLog, dossiers: DossierService, trust: list[Path]) -> None:
        self.db, self.audit, self.dossiers, self.trust = db, audit, dossiers, trust

    # --- looking up -------------------------------------------------------------------------

    def _valid(self, s: Session, id_number: str, *, today: date) -> list[StoredDocument]:
        q = (select(StoredDocument).where(StoredDocument.id_number == id_number)
             .order_by(StoredDocument.stored_at.desc(), StoredDocument.id.desc()))
        return [r for r in s.scalars(q) if r.valid_until is None or r.valid_until >= today]

    def list_for(self, actor: Actor, id_number: str, *, why: str, include_expired: bool = False) -> list[DocumentView]:
        """The citizen's stored documents (still valid unless ``include_expired``); audited with ``why``."""
        require(actor, Permission.RECEIVE_DOSSIER)
        id_number = id_number.strip()
        if not id_number or not why.strip():
            raise InvalidInput(msg("Cần số định danh của công dân và lý do tra cứu.",
                                   "The citizen's ID number and the reason for the look-up are needed."))
        with self.db.session() as s:
            if include_expired:
                rows = list(s.scalars(select(StoredDocument).where(StoredDocument.id_number == id_number)
                                      .order_by(StoredDocument.id)))
            else:
                rows = self._valid(s, id_number, today=today_vn())
            self.audit.record(s, actor=actor.audit_name, action="store.lookup", entity_type="citizen",
                              entity_id=id_number, data={"why": why, "found": len(rows)})
            return [_view(r) for r in rows]

    def offers(self, actor: Actor, dossier_code: str) -> dict[str, list[DocumentView]]:
        """Per component slot of the dossier (its code), this citizen's stored, still-valid
        documents of that type, newest first; slots with none are left out. Audited."""
        require(actor, Permission.RECEIVE_DOSSIER)
        with self.db.session() as s:
            d = self._dossier(s, dossier_code)
            id_number = (d.applicant_id_number or "").strip()
            if not id_number:
                return {}
            docs = self._valid(s, id_number, today=today_vn())
            out: dict[str, list[DocumentView]] = {}
            for c in d.components:
                match = [_view(r) for r in docs if r.doc_type in {c.code, c.name[:40]} and r.doc_type]
                if match:
                    out[c.code or c.name] = match
            self.audit.record(s, actor=actor.audit_name, action="store.lookup", entity_type="citizen",
                              entity_id=id_number, data={"why": d.code, "offered": sum(map(len, out.values()))})
            return out

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
                              entity_id=str(r.id), data={"citizen": r.id_number, "number": r.number,
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
            path, sha, valid_until, owner = Path(r.path), r.sha256, r.valid_until, r.id_number
            comp_code = comp.code
        problem = ""
        if not citizen or owner != citizen:
            # the same answer as an unknown id: another citizen's store is not confirmed to exist
            raise NotFound(msg("Không có tài liệu {i} trong kho của công dân này.",
                               "There is no document {i} in this citizen's store.", i=document_id))
        if valid_until is not None and valid_until < today_vn():
            problem = msg("tài liệu đã hết hiệu lực ngày {d}", "the document expired on {d}",
                          d=valid_until.strftime("%d/%m/%Y"))
        elif not path.is_file():
            problem = msg("tệp đã ký không còn trên ổ đĩa ({p})", "the signed file is no longer on disk ({p})", p=path)
        elif sha256_file(path) != sha:
            problem = msg("tệp đã bị thay đổi sau khi ký (mã băm khác)",
                          "the file was changed after it was signed (its hash differs)")
        else:
            report = verify_pdf(path, self.trust)
            if not report.ok:
                issues = report.problems + [p for sig in report.signatures for p in sig.problems]
                problem = msg("chữ ký số không còn hợp lệ: {p}", "the signature no longer verifies: {p}",
                              p="; ".join(issues) or "?")
        if problem:
            with self.db.session() as s:
                self.audit.record(s, actor=actor.audit_name, action="store.reuse_refused",
                                  entity_type="store_document", entity_id=str(document_id),
                                  data={"citizen": citizen, "dossier": dossier_code, "component": comp_code,
                                        "reason": problem})
            raise InvalidInput(msg("Không dùng lại được tài liệu {i}: {p}. Hãy số hóa lại thành phần này.",
                                   "Document {i} cannot be reused: {p}. Digitize this component anew.",
                                   i=document_id, p=problem))
        with self.db.session() as s:
            d = self._dossier(s, dossier_code)
            comp = find_component(d, component)
            r = self._doc(s, document_id)
            f = DigitizedFile(dossier_id=d.id, component_id=comp.id, kind="component", path=str(path),
                              filename=path.name, sha256=sha, size=path.stat().st_size,
                              signature_state=SignatureState.VERIFIED.value, signed_at=utcnow(), reused=True)
            s.add(f)
            s.flush()
            r.reuse_count = (r.reuse_count or 0) + 1
            self.audit.record(s, actor=actor.audit_name, action="store.reuse", entity_type="file",
                              entity_id=str(f.id), data={"citizen": citizen, "dossier": d.code,
                                                         "component": comp.code, "document": r.id,
                                                         "source_dossier": r.source_dossier, "sha256": sha})
            self.dossiers.emit(s, "file.attached", f)  # its upload, flagged reused, in this transaction
            return f.id

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
