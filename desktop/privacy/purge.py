"""``PrivacyService.purge``: local copies of a closed, delivered dossier's personal data go.

A dossier qualifies when it is closed — result returned (10), refused (3), withdrawn (7)
or stopped (8) — since before the cut-off date, and none of its outbox jobs is left to
deliver (the dossier system holds the record: deleting earlier would lose the citizen's
papers). Per dossier, one transaction blanks the applicant's fields (name, CCCD, address,
phone, e-mail, postal address, notes, OCR text, the portal snapshots, the delivered
payloads, and the free texts officers write about the case, which name the citizen and
their situation: supplement-request and due-date-change reasons, hand-off notes) and
records ``privacy.purge`` in the audit chain; the files go after the commit,
so a crash in between leaves files that the next run still finds and deletes (a file is
never gone while the database still points at it as the only copy). Files outside the
data directory are the officer's own and are never touched; a file the citizen's document
store still offers for reuse (valid, not expired) stays with its index entry.

A dossier is marked purged (``dossier.purged_at``) once nothing of it is left — with the
blanking when it has no file to delete, else once its files went — and later runs skip it:
the daily run's cost follows the dossiers closed since, not every dossier ever purged. One
whose files could not go, or whose file the document store still offers, stays unmarked and
is looked at again.

A file another dossier still uses stays: a reuse links the later dossier to the same stored
file, so it goes only with the last dossier that is not purged (see ``_live_paths``).

Copies taken from the national store (``files/national-store/<CCCD>/``, kept for a reuse, with
an index entry but no dossier file of their own) go once they were taken before the cut-off
and no dossier that is not being purged uses them: the national store keeps the original,
and a later dossier fetches it again. Their index entries (the citizen's ID number, the
paper's number) go with them, in one audited transaction (``privacy.purge_national_copies``).

Online bookings are not dossiers: a booking whose slot was before the cut-off loses the
name and phone the booking system sent (the ticket it became keeps its number and times).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings
from desktop.db import Database
from desktop.db.base import UTCDateTime
from desktop.db.models import DigitizedFile, Dossier, DossierPause, DossierStatus, DossierStatusChange
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken
from desktop.kernel.timeutil import VN_TZ, utcnow
from desktop.lifecycle.models import DueChange, Handoff, ResultReturn
from desktop.outbox.minimise import delivered_payload
from desktop.outbox.models import OutboxJob, OutboxState
from desktop.queue.models import Appointment
from desktop.store.models import StoredDocument

log = logging.getLogger(__name__)
#: paths bound per statement when asking which are still used (well under every engine's limit)
_SLICE = 500

#: the states after which nothing more happens to a dossier at this workstation
CLOSED = (DossierStatus.RESULT_RETURNED, DossierStatus.NOT_RECEIVED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED)
#: the applicant's columns blanked (kept: code, procedure, channel, status, dates, officer)
BLANKED = ("applicant_name", "applicant_id_number", "applicant_address", "applicant_phone", "applicant_email",
           "postal_address", "note")
#: officers' free texts about the case, on the dossier's other rows: (field name in the report, model, column)
CASE_TEXTS: tuple[tuple[str, Any, str], ...] = (
    ("pause_reason", DossierPause, "reason"), ("due_change_reason", DueChange, "reason"),
    ("handoff_note", Handoff, "note"))


def _safe(text: str) -> str:
    # the folder names the writers derive from a dossier code (workflow.counter, scanning.spool, folder adapter)
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text) or "_"


@dataclass
class PurgeItem:
    code: str
    closed_at: datetime
    #: applicant fields that still hold something
    fields: list[str] = field(default_factory=list)
    #: files and folders that would be (or were) deleted
    paths: list[Path] = field(default_factory=list)
    #: files kept, with the reason
    kept: list[tuple[Path, str]] = field(default_factory=list)
    #: a file was kept for a reason that ends (the store offers it until it expires): a later
    #: run must look at this dossier again, so it is not marked purged
    revisit: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "closed_at": self.closed_at.isoformat(), "fields": self.fields,
                "paths": [str(p) for p in self.paths], "kept": [{"path": str(p), "why": w} for p, w in self.kept]}


@dataclass
class PurgeReport:
    before: date
    dry_run: bool
    items: list[PurgeItem]
    #: closed before the date but with jobs still to deliver: not purged
    undelivered: list[str]
    #: past online bookings that held (dry run: hold) a name or phone
    appointments: int = 0
    #: copies taken from the national store that went (dry run: would go)
    national_copies: list[Path] = field(default_factory=list)


def cutoff(settings: Settings, before: date | None, today: date | None = None) -> date:
    """``before``, or today minus the retention setting; refused when neither says anything."""
    from datetime import timedelta

    if before is not None:
        return before
    if settings.retention_days <= 0:
        raise InvalidInput(msg("Chưa đặt thời hạn lưu (storage.retention_days): cho biết --before NGÀY.",
                               "No retention period is set (storage.retention_days): give --before DATE."))
    return (today or utcnow().astimezone(VN_TZ).date()) - timedelta(days=settings.retention_days)


class PrivacyService:
    def __init__(self, db: Database, audit: AuditLog, settings: Settings) -> None:
        self.db = db
        self.audit = audit
        self.settings = settings

    # --- what would go -------------------------------------------------------------------

    @staticmethod
    def _closed_at() -> Any:
        """When a closed dossier closed: its last change to the status it has (else when its
        result was returned, else its last update), as an SQL expression on ``Dossier``."""
        last = (select(func.max(DossierStatusChange.at))
                .where(DossierStatusChange.dossier_id == Dossier.id, DossierStatusChange.status == Dossier.status)
                .correlate(Dossier).scalar_subquery())
        # typed: the comparison's bound date and the value read back go through UTCDateTime
        return func.coalesce(last, Dossier.returned_at, Dossier.updated_at, type_=UTCDateTime).label("closed_at")

    @staticmethod
    def _open_jobs() -> Any:
        return (select(OutboxJob.id).where(OutboxJob.dossier_id == Dossier.id, OutboxJob.state != OutboxState.DONE)
                .correlate(Dossier).exists())

    def _closed_before(self, before: date) -> tuple[Any, ...]:
        """The dossiers closed before ``before`` (delivered or not), as SQL conditions."""
        limit = datetime.combine(before, time.min, tzinfo=VN_TZ)
        at = self._closed_at()
        # not purged yet: the partial index ix_dossier_unpurged_status holds exactly these
        return (Dossier.purged_at.is_(None), Dossier.status.in_([int(c) for c in CLOSED]), at.is_not(None),
                at < limit)

    def _candidate_ids(self, before: date) -> Any:
        """The ids of the dossiers a purge before ``before`` takes, as a subquery: closed before
        it and delivered (no upload still waiting). A subquery, not a list of ids: a centre's
        years of closed dossiers are more than a statement may bind (SQLite 32,766, PostgreSQL's
        protocol 65,535), and loading them for each dossier purged made the run quadratic."""
        return select(Dossier.id).where(*self._closed_before(before), ~self._open_jobs())

    def _candidates(self, s: Session, before: date, only: int | None = None
                    ) -> tuple[list[tuple[Dossier, datetime]], list[str]]:
        """The dossiers to purge with when they closed, and the codes of those closed before
        ``before`` whose uploads still wait (kept until delivered); ``only``: that one dossier."""
        where = [*self._closed_before(before)] + ([Dossier.id == only] if only is not None else [])
        rows = s.execute(select(Dossier, self._closed_at(), self._open_jobs()).where(*where)
                         .order_by(Dossier.id)).all()
        out = [(d, at) for d, at, waiting in rows if not waiting]
        return out, [d.code for d, _at, waiting in rows if waiting]

    def _inside(self, p: Path) -> bool:
        try:
            p.resolve().relative_to(self.settings.data_dir.resolve())
            return True
        except (ValueError, OSError):
            return False

    def _folders(self, code: str) -> list[Path]:
        """Where the writers keep a dossier's copies, by its code."""
        files = self.settings.files_dir
        folders = [files / "dossiers" / _safe(code), files / "spool" / _safe(code),
                   self.settings.data_dir / "forms" / "issued" / code, self.settings.data_dir / "forms" / "issued" / _safe(code)]
        url = self.settings.resolved_dossier_url()
        if url.startswith("file://"):  # the embedded dossier system, when it lives in the data directory
            from desktop.outbox.adapters.folder import FolderAdapter

            root = FolderAdapter.from_url(url).root
            if self._inside(root):
                folders.append(root / "".join(ch if ch.isalnum() or ch in ".-_" else "_" for ch in code)[:120])
        return folders

    @property
    def national_dir(self) -> Path:
        """Where copies taken from the national store are kept (``DocumentStore.keep_dir``)."""
        return self.settings.files_dir / "national-store"

    def _live_paths(self, s: Session, before: date, paths: Iterable[str]) -> set[str]:
        """Those of ``paths`` that a dossier not being purged still uses (a reuse links the
        later dossier to the same file). A dossier purged earlier needs none of its files any
        more (it is marked only once nothing of it is kept for itself). Asked in slices: a
        bound list per statement stays small; by ``ix_digitized_file_path``."""
        wanted = list(dict.fromkeys(paths))
        live: set[str] = set()
        for i in range(0, len(wanted), _SLICE):
            live.update(s.scalars(select(DigitizedFile.path).distinct().join(
                Dossier, Dossier.id == DigitizedFile.dossier_id).where(
                DigitizedFile.path.in_(wanted[i:i + _SLICE]), Dossier.purged_at.is_(None),
                DigitizedFile.dossier_id.not_in(self._candidate_ids(before)))))
        return live

    def _item(self, s: Session, d: Dossier, closed_at: datetime, today: date, live: set[str]) -> PurgeItem:
        item = PurgeItem(d.code, closed_at, [f for f in BLANKED if getattr(d, f)])
        files = list(s.scalars(select(DigitizedFile).where(DigitizedFile.dossier_id == d.id)))
        if any(f.ocr_text for f in files):
            item.fields.append("ocr_text")
        for name, model, column in CASE_TEXTS:
            col = getattr(model, column)
            if s.scalar(select(func.count()).select_from(model).where(model.dossier_id == d.id, col != "")):
                item.fields.append(name)
        # by path: a reused file is the stored document's own file, linked again
        offered = set(s.scalars(select(StoredDocument.path).where(
            StoredDocument.file_id.is_not(None), StoredDocument.path.in_([f.path for f in files]),
            or_(StoredDocument.valid_until.is_(None), StoredDocument.valid_until >= today))))
        keep: set[Path] = set()
        for f in files:
            p = Path(f.path)
            if f.path in offered:
                keep.add(p)
                item.revisit = True
                item.kept.append((p, msg("kho giấy tờ của công dân còn dùng lại được",
                                         "still offered for reuse by the citizen's document store")))
            elif f.path in live:
                keep.add(p)
                item.kept.append((p, msg("hồ sơ khác còn dùng tệp này", "another dossier still uses this file")))
            elif p.is_relative_to(self.national_dir):
                keep.add(p)  # the national store's copy: the sweep decides, with its index entry
            elif not self._inside(p):
                if p.exists():
                    item.kept.append((p, msg("ngoài thư mục dữ liệu", "outside the data directory")))
            elif p.exists():
                item.paths.append(p)
        receipt = self.settings.data_dir / "receipts" / f"{d.code}.pdf"
        if receipt.exists():
            item.paths.append(receipt)
        folders = [f for f in self._folders(d.code)
                   if f.is_dir() and not any(k.is_relative_to(f) for k in keep)]
        # a file inside a folder that goes whole is not listed twice
        item.paths = [p for p in item.paths if not any(p.is_relative_to(f) for f in folders)]
        item.paths += list(dict.fromkeys(folders))
        return item

    def plan(self, actor: Actor, before: date) -> PurgeReport:
        """What ``purge`` would do (the dry run): nothing is changed."""
        require(actor, Permission.PURGE_PERSONAL_DATA)
        today = utcnow().astimezone(VN_TZ).date()
        with self.db.session() as s:
            found, undelivered = self._candidates(s, before)
            mine = s.scalars(select(DigitizedFile.path).where(DigitizedFile.dossier_id.in_(self._candidate_ids(before))))
            live = self._live_paths(s, before, list(mine))
            items = [self._item(s, d, at, today, live) for d, at in found]
            bookings = s.scalar(select(func.count()).select_from(Appointment).where(*self._past_bookings(before)))
            copies = [p for p, _ in self._national_copies(s, before)]
        return PurgeReport(before, True, [i for i in items if i.fields or i.paths], undelivered, int(bookings or 0),
                           copies)

    def _national_copies(self, s: Session, before: date) -> list[tuple[Path, list[StoredDocument]]]:
        """The national store's copies taken before ``before`` that no dossier still being kept
        uses, each with its index entries (none for a file an interrupted import left)."""
        root = self.national_dir
        limit = datetime.combine(before, time.min, tzinfo=VN_TZ)
        rows: dict[str, list[StoredDocument]] = {}
        for r in s.scalars(select(StoredDocument).where(StoredDocument.file_id.is_(None))):
            if Path(r.path).is_relative_to(root):
                rows.setdefault(r.path, []).append(r)
        on_disk = {str(p) for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()
        live = self._live_paths(s, before, sorted(on_disk | set(rows)))
        out: list[tuple[Path, list[StoredDocument]]] = []
        for path in sorted(on_disk | set(rows)):
            entries = rows.get(path, [])
            if entries:
                taken = min(r.stored_at for r in entries)
            else:  # no entry: its file's time (a download that was never indexed)
                taken = datetime.fromtimestamp(Path(path).stat().st_mtime, VN_TZ)
            if taken.astimezone(VN_TZ) >= limit or path in live:
                continue
            out.append((Path(path), entries))
        return out

    def _purge_national_copies(self, actor: Actor, before: date) -> list[Path]:
        with self.db.session() as s:
            gone = self._national_copies(s, before)
            for _path, entries in gone:
                for r in entries:
                    s.delete(r)
            if gone:
                self.audit.record(s, actor=actor.audit_name, action="privacy.purge_national_copies",
                                  entity_type="store_document", entity_id="",
                                  data={"copies": len(gone), "entries": sum(len(e) for _p, e in gone),
                                        "before": before.isoformat()})
        for p, _entries in gone:  # after the commit, as a dossier's files
            try:
                p.unlink(missing_ok=True)
            except OSError as exc:  # left for the next run, which finds it again
                log.warning("could not delete %s: %s", p, exc)
        return [p for p, _ in gone]

    @staticmethod
    def _past_bookings(before: date) -> tuple[Any, ...]:
        limit = datetime.combine(before, time.min, tzinfo=VN_TZ)
        return (Appointment.slot_at < limit, or_(Appointment.name != "", Appointment.phone != ""))

    def _purge_bookings(self, actor: Actor, before: date) -> int:
        with self.db.session() as s:
            rows = list(s.scalars(select(Appointment).where(*self._past_bookings(before))))
            for a in rows:
                a.name, a.phone = "", ""
            if rows:
                self.audit.record(s, actor=actor.audit_name, action="privacy.purge_bookings", entity_type="appointment",
                                  entity_id="", data={"bookings": len(rows), "before": before.isoformat()})
        return len(rows)

    # --- purging -------------------------------------------------------------------------

    def purge(self, actor: Actor, before: date, *, dry_run: bool = False,
              cancel: CancelToken | None = None) -> PurgeReport:
        """Blank and delete what :meth:`plan` lists, one audited transaction per dossier.

        ``cancel`` is looked at between dossiers (``Cancelled`` is raised): what was purged
        stays purged, the rest waits for the next run."""
        if dry_run:
            return self.plan(actor, before)
        require(actor, Permission.PURGE_PERSONAL_DATA)
        today = utcnow().astimezone(VN_TZ).date()
        with self.db.session() as s:
            found, undelivered = self._candidates(s, before)
            ids = [d.id for d, _ in found]
        done: list[PurgeItem] = []
        for dossier_id in ids:
            if cancel is not None:
                cancel.raise_if_cancelled()
            item = self._purge_one(actor, dossier_id, before, today)
            if item is not None:
                done.append(item)
        bookings = self._purge_bookings(actor, before)
        return PurgeReport(before, False, done, undelivered, bookings, self._purge_national_copies(actor, before))

    def _purge_one(self, actor: Actor, dossier_id: int, before: date, today: date) -> PurgeItem | None:
        with self.db.session() as s:
            found, _ = self._candidates(s, before, only=dossier_id)  # again in this transaction: still closed, delivered
            if not found:
                return None
            d, at = found[0]
            mine = s.scalars(select(DigitizedFile.path).where(DigitizedFile.dossier_id == d.id))
            item = self._item(s, d, at, today, self._live_paths(s, before, list(mine)))
            # the marker says nothing of the dossier is left for a later run: set with the blanking
            # when no file is to go, else once its files went (a crash or an error in between
            # leaves it unmarked, and the next run deletes the files)
            finished = not item.revisit
            if not item.fields and not item.paths:
                if finished:  # purged before (or never held anything): skipped from now on
                    d.purged_at = utcnow()
                return None
            for name in BLANKED:
                setattr(d, name, {} if name == "postal_address" else "")
            for f in s.scalars(select(DigitizedFile).where(DigitizedFile.dossier_id == d.id)):
                f.ocr_text = ""
            for c in s.scalars(select(DossierStatusChange).where(DossierStatusChange.dossier_id == d.id)):
                c.note = ""
                c.detail = delivered_payload("status", {"portal": c.detail or {}}).get("portal", {})
            for r in s.scalars(select(ResultReturn).where(ResultReturn.dossier_id == d.id)):
                r.recipient_name, r.recipient_id_number = "", ""
            for _name, model, column in CASE_TEXTS:
                for row in s.scalars(select(model).where(model.dossier_id == d.id)):
                    setattr(row, column, "")
            for j in s.scalars(select(OutboxJob).where(OutboxJob.dossier_id == d.id)):
                j.payload = delivered_payload(j.kind, j.payload or {})
            if finished and not item.paths:
                d.purged_at = utcnow()
            self.audit.record(s, actor=actor.audit_name, action="privacy.purge", entity_type="dossier",
                              entity_id=d.code, data={"closed_at": at.isoformat(), "fields": item.fields,
                                                      "files": len(item.paths), "before": before.isoformat()})
        deleted = True
        for p in item.paths:  # after the commit: see the module docstring
            try:
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink(missing_ok=True)
            except OSError as exc:  # left for the next run, which finds it again
                deleted = False
                log.warning("could not delete %s: %s", p, exc)
        if finished and item.paths and deleted:
            with self.db.session() as s:
                done = s.get(Dossier, dossier_id)
                if done is not None:
                    done.purged_at = utcnow()
        return item


__all__ = ["BLANKED", "CLOSED", "PrivacyService", "PurgeItem", "PurgeReport", "cutoff"]
