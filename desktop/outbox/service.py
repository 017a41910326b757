"""The durable outbox: jobs written with the change they upload, delivered exactly once.

* Jobs are created by a dossier listener inside the dossier's own transaction, so a
  change and its upload are committed together or not at all.
* A worker claims a job with a lease (``in_flight`` until ``next_attempt_at``); a
  process killed mid-delivery leaves a lease that expires, and the job is delivered
  again with the same idempotency key, which the dossier system deduplicates.
* Per dossier: the dossier before its files, files before status changes, each kind in
  the order created. Failures back off exponentially with jitter; a permanent failure
  or too many attempts park the job with its reason until someone retries it.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings
from desktop.db import Database
from desktop.db.models import DigitizedFile, Dossier, DossierComponent, DossierStatusChange
from desktop.errors import Conflict, MotcuaError, NotFound
from desktop.i18n import msg
from desktop.outbox.adapters.base import Adapter, DeliveryError
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.outbox.models import OutboxJob
from desktop.tasks import CancelToken, ProgressFn, no_progress
from desktop.timeutil import to_vn, utcnow

log = logging.getLogger(__name__)
RANK = {"dossier": 0, "file": 1, "status": 2}
MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=5)
#: jobs claimed and recorded per transaction (one job per dossier per batch keeps the order)
BATCH = 20


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """2 s, 4 s, 8 s … capped at 10 min, with ±25 % jitter so counters do not retry in step."""
    base = min(600.0, 2.0 * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * (0.75 + 0.5 * (rng or random).random()))


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    dossier_code: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "dossier_code": self.dossier_code, "state": self.state,
                "attempts": self.attempts, "next_attempt_at": to_vn(self.next_attempt_at).isoformat(),
                "last_error": self.last_error, "created_at": to_vn(self.created_at).isoformat()}


def adapter_for(settings: Settings) -> Adapter:
    import os

    url = settings.resolved_dossier_url()
    if url.startswith("file://"):
        return FolderAdapter.from_url(url)
    if url.startswith(("http://", "https://")):
        from desktop.outbox.adapters.http import HttpAdapter

        extra = settings.extra.get("dossier_system", {})
        return HttpAdapter(url, os.environ.get("MOTCUA_DOSSIER_CLIENT_ID", extra.get("client_id", "motcua")),
                           os.environ.get("MOTCUA_DOSSIER_CLIENT_SECRET", extra.get("client_secret", "motcua-secret")),
                           ca_bundle=extra.get("ca_bundle"))
    raise MotcuaError(msg("Địa chỉ hệ thống hồ sơ “{u}” không hợp lệ (cần file://, http:// hoặc https://).",
                          "Dossier-system address “{u}” is not valid (file://, http:// or https://).", u=url))


def _dossier_payload(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code, "procedure_code": d.procedure.code, "procedure_name": d.procedure.name,
        "field": d.procedure.field, "channel": d.channel, "status": d.status,
        "owner": {"name": d.applicant_name, "id_number": d.applicant_id_number, "address": d.applicant_address,
                  "phone": d.applicant_phone, "email": d.applicant_email},
        "received_at": to_vn(d.received_at).isoformat(),
        "due_at": to_vn(d.due_at).isoformat() if d.due_at else None,
        "documents": [{"code": c.code, "name": c.name, "copy_kind": c.copy_kind, "quantity": c.quantity}
                      for c in d.components],
    }


class Outbox:
    def __init__(self, db: Database, audit: AuditLog, settings: Settings,
                 adapter_factory: Callable[[], Adapter] | None = None) -> None:
        self.db = db
        self.audit = audit
        self.settings = settings
        self._adapter_factory = adapter_factory or (lambda: adapter_for(settings))

    # --- creating jobs (inside the dossier's transaction) -----------------------------

    def on_dossier_event(self, session: Session, event: str, payload: Any) -> None:
        if event == "dossier.received":
            d: Dossier = payload
            self._add(session, "dossier", d.id, d.code, _dossier_payload(d))
        elif event == "file.attached":
            f: DigitizedFile = payload
            d = session.get(Dossier, f.dossier_id)  # type: ignore[assignment]
            comp = session.get(DossierComponent, f.component_id) if f.component_id else None
            self._add(session, "file", d.id, d.code, {
                "file_id": f.id, "path": f.path, "filename": f.filename, "sha256": f.sha256, "size": f.size,
                "pages": f.pages,
                "kind": f.kind, "component_code": comp.code if comp else "", "digitized": True,
                "reusable": f.reusable, "signature_state": f.signature_state})
        elif event == "status.changed":
            c: DossierStatusChange = payload
            d = session.get(Dossier, c.dossier_id)  # type: ignore[assignment]
            self._add(session, "status", d.id, d.code, {"status": c.status, "at": to_vn(c.at).isoformat(),
                                                         "note": c.note})

    def _add(self, s: Session, kind: str, dossier_id: int, code: str, payload: dict[str, Any]) -> None:
        seq = (s.scalar(select(func.max(OutboxJob.seq)).where(OutboxJob.dossier_id == dossier_id)) or 0) + 1
        if kind == "status":
            payload = {**payload, "seq": seq}
        s.add(OutboxJob(kind=kind, dossier_id=dossier_id, dossier_code=code, seq=seq, payload=payload,
                        idempotency_key=f"{code}:{kind}:{seq}:{uuid.uuid4().hex[:8]}", next_attempt_at=utcnow()))

    # --- delivering --------------------------------------------------------------------

    def _claim(self, limit: int = BATCH) -> list[OutboxJob]:
        """Lease up to ``limit`` due jobs, at most one per dossier, each not waiting on an earlier one."""
        now = utcnow()
        claimed: list[OutboxJob] = []
        with self.db.session() as s:
            q = (select(OutboxJob).where(or_(OutboxJob.state == "pending", OutboxJob.state == "in_flight"),
                                         OutboxJob.next_attempt_at <= now).order_by(OutboxJob.id).limit(limit * 4))
            # several uploader processes on PostgreSQL skip each other's claimed rows
            candidates = s.scalars(q.with_for_update(skip_locked=True) if self.db.is_postgres else q)
            dossiers: set[int] = set()
            for job in candidates:
                if job.dossier_id in dossiers or self._blocked(s, job):
                    continue
                job.state, job.attempts, job.next_attempt_at = "in_flight", job.attempts + 1, now + LEASE
                dossiers.add(job.dossier_id)
                claimed.append(job)
                if len(claimed) == limit:
                    break
            s.flush()
            for job in claimed:
                s.expunge(job)
        return claimed

    @staticmethod
    def _blocked(s: Session, job: OutboxJob) -> bool:
        """An earlier job of the same dossier must go first."""
        earlier = s.scalars(select(OutboxJob).where(OutboxJob.dossier_id == job.dossier_id, OutboxJob.id != job.id,
                                                    OutboxJob.state != "done"))
        for other in earlier:
            before = (RANK[other.kind], other.seq) < (RANK[job.kind], job.seq)
            if before and (other.state != "parked" or other.kind == "dossier"):
                return True
        return False

    def _deliver(self, adapter: Adapter, job: OutboxJob) -> None:
        p = job.payload
        if job.kind == "dossier":
            adapter.send_dossier(job.idempotency_key, p)
        elif job.kind == "file":
            p = self._current_file(p)
            adapter.send_file(job.idempotency_key, job.dossier_code, p, Path(p["path"]))
        else:
            adapter.send_status(job.idempotency_key, job.dossier_code, p)

    def _current_file(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The file as it is now: it may have been signed since the job was queued.

        A signed file goes out only once its signature was verified; a file whose
        signature is invalid is parked, one still waiting for verification waits.
        """
        file_id = payload.get("file_id")
        if file_id is None:
            return payload
        with self.db.session() as s:
            f = s.get(DigitizedFile, file_id)
            if f is None:
                raise DeliveryError(msg("Tệp số hóa {i} đã bị xóa khỏi hồ sơ.", "Digitized file {i} was removed from the dossier.",
                                        i=file_id), permanent=True)
            if f.signature_state == "invalid":
                raise DeliveryError(msg("Chữ ký số của {f} không hợp lệ: không gửi.", "The signature of {f} is not valid: not sent.",
                                        f=f.filename), permanent=True)
            if f.signature_state == "signed":
                raise DeliveryError(msg("{f} đã ký nhưng chưa được kiểm tra chữ ký; sẽ gửi sau khi kiểm tra.",
                                        "{f} is signed but its signature is not verified yet; it goes after verification.",
                                        f=f.filename))
            return {**payload, "path": f.path, "sha256": f.sha256, "size": f.size,
                    "signature_state": f.signature_state}

    def _finish(self, results: list[tuple[OutboxJob, DeliveryError | None]]) -> None:
        """Record a batch's outcomes in one transaction."""
        with self.db.session() as s:
            for job, error in results:
                row = s.get(OutboxJob, job.id, with_for_update=True)
                if row is None:
                    continue
                if error is None:
                    row.state, row.done_at, row.last_error = "done", utcnow(), ""
                    self.audit.record(s, actor="outbox", action="upload.done", entity_type=f"outbox.{row.kind}",
                                      entity_id=row.id, data={"dossier": row.dossier_code})
                elif error.permanent or row.attempts >= MAX_ATTEMPTS:
                    row.state, row.last_error = "parked", str(error)
                    self.audit.record(s, actor="outbox", action="upload.parked", entity_type=f"outbox.{row.kind}",
                                      entity_id=row.id, data={"dossier": row.dossier_code, "reason": str(error)})
                else:
                    row.state, row.last_error = "pending", str(error)
                    row.next_attempt_at = utcnow() + backoff(row.attempts)

    def drain(self, *, timeout: float | None = None, cancel: CancelToken | None = None,
              progress: ProgressFn = no_progress) -> dict[str, int]:
        """Deliver due jobs until none is due (or the timeout); returns counts by outcome."""
        adapter = self._adapter_factory()
        deadline = None if timeout is None else time.monotonic() + timeout
        done = failed = 0
        while deadline is None or time.monotonic() < deadline:
            if cancel is not None:
                cancel.raise_if_cancelled()
            batch = self._claim()
            if not batch:
                break
            results: list[tuple[OutboxJob, DeliveryError | None]] = []
            try:
                for job in batch:
                    if cancel is not None and cancel.cancelled:
                        break  # the rest keep their lease and are picked up again later
                    try:
                        self._deliver(adapter, job)
                        results.append((job, None))
                        done += 1
                    except DeliveryError as exc:
                        results.append((job, exc))
                        failed += 1
                        log.info("outbox job %s failed: %s", job.id, exc)
                    progress(done + failed, done + failed, job.dossier_code)
            finally:
                self._finish(results)
        close = getattr(adapter, "close", None)
        if close is not None:
            close()
        return {"delivered": done, "failed": failed, **self.counts()}

    # --- looking and retrying ----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.db.session() as s:
            return {str(k): int(v) for k, v in s.execute(select(OutboxJob.state, func.count())
                                                         .group_by(OutboxJob.state)).all()}

    def jobs(self, states: tuple[str, ...] = ("pending", "in_flight", "parked"), limit: int = 500) -> list[JobView]:
        with self.db.session() as s:
            rows = s.scalars(select(OutboxJob).where(OutboxJob.state.in_(states)).order_by(OutboxJob.id).limit(limit))
            return [JobView(j.id, j.kind, j.dossier_code, j.state, j.attempts, j.next_attempt_at, j.last_error,
                            j.created_at) for j in rows]

    def retry(self, actor: Actor, job_id: int) -> None:
        require(actor, Permission.UPLOAD)
        with self.db.session() as s:
            job = s.get(OutboxJob, job_id)
            if job is None:
                raise NotFound(msg("Không có việc gửi số {i}.", "No outbox job {i}.", i=job_id))
            if job.state == "done":
                raise Conflict(msg("Việc gửi {i} đã hoàn tất.", "Outbox job {i} is already done.", i=job_id))
            s.execute(update(OutboxJob).where(OutboxJob.id == job_id)
                      .values(state="pending", attempts=0, next_attempt_at=utcnow()))
            self.audit.record(s, actor=actor.audit_name, action="upload.retry", entity_type="outbox",
                              entity_id=job_id)
