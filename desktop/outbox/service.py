"""The durable outbox: jobs written with the change they upload, delivered exactly once.

* Jobs are created by a dossier listener inside the dossier's own transaction, so a
  change and its upload are committed together or not at all.
* A worker claims a job with a lease (``in_flight`` until ``next_attempt_at``); a
  process killed mid-delivery leaves a lease that expires, and the job is delivered
  again with the same idempotency key, which the dossier system deduplicates.
* Per dossier: the dossier before its files, files before status changes, each kind in
  the order created. Failures back off exponentially with jitter; a permanent failure
  or too many attempts park the job with its reason until someone retries it.
* Jobs go in batches: one transaction records a batch's outcomes (with its audit events
  written at once) and leases the next batch; the order check covers the whole batch in
  the claim query. The adapter, with its HTTP connection and token, is kept between drains.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, Table, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings
from desktop.db import Database
from desktop.db.base import UTCDateTime
from desktop.db.models import DigitizedFile, Dossier, DossierComponent, DossierStatusChange
from desktop.kernel.errors import Conflict, MotcuaError, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken, ProgressFn, no_progress
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.outbox.adapters.base import Adapter, DeliveryError
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.outbox.models import OutboxJob

log = logging.getLogger(__name__)
RANK = {"dossier": 0, "file": 1, "status": 2}
MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=5)
#: jobs claimed and recorded per transaction (one job per dossier per batch keeps the order)
BATCH = 20
#: file bytes per batch: a batch of large files is sent well within its lease
BATCH_BYTES = 64 << 20


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """2 s, 4 s, 8 s … capped at 10 min, with ±25 % jitter so counters do not retry in step."""
    base = min(600.0, 2.0 * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * (0.75 + 0.5 * (rng or random).random()))


@dataclass(frozen=True)
class Claim:
    """A leased job, detached from the database while it is being sent."""

    id: int
    kind: str
    dossier_code: str
    payload: dict[str, Any]
    idempotency_key: str
    #: attempts including this one
    attempts: int


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
        from desktop.config import get_secret
        from desktop.outbox.adapters.http import HttpAdapter

        extra = settings.extra.get("dossier_system", {})
        # the secret comes from the environment or the keyring, never from a settings file; the
        # fallback is the bundled dossier server's demo secret
        return HttpAdapter(url, os.environ.get("MOTCUA_DOSSIER_CLIENT_ID", extra.get("client_id", settings.dossier_client_id)),
                           get_secret("dossier_system.client_secret") or "motcua-secret",
                           ca_bundle=extra.get("ca_bundle"),
                           # files above the threshold go as resumable upload sessions, in chunks
                           chunk_threshold=int(extra.get("chunk_threshold", 4 << 20)),
                           chunk_size=int(extra.get("chunk_size", 1 << 20)))
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


_T = cast(Table, OutboxJob.__table__)
_LEASE = (update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True)))
          .values(state="in_flight", attempts=_T.c.attempts + 1, next_attempt_at=bindparam("until")))

_DONE = (update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True)))
         .values(state="done", done_at=bindparam("now"), last_error=""))
# a job another worker delivered after this one's lease ran out stays delivered
_FAILED = (update(_T).where(_T.c.id == bindparam("b_id"), _T.c.state != "done")
           .values(state=bindparam("b_state"), last_error=bindparam("b_error"), next_attempt_at=bindparam("b_next")))
_RELEASE = (update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True)), _T.c.state == "in_flight")
            .values(state="pending", attempts=_T.c.attempts - 1, next_attempt_at=bindparam("now")))


@functools.cache
def _claim_query(postgres: bool, limit: int) -> Select[Any]:
    """Due jobs, oldest first, that no earlier unfinished job of the same dossier must precede."""
    j, o = _T.alias("j"), _T.alias("o")
    rank_j, rank_o = (case(RANK, value=t.c.kind, else_=9) for t in (j, o))
    earlier = (select(o.c.id).where(o.c.dossier_id == j.c.dossier_id, o.c.id != j.c.id, o.c.state != "done",
                                    # a parked file or status does not hold back the rest; a parked dossier does
                                    or_(o.c.state != "parked", o.c.kind == "dossier"),
                                    or_(rank_o < rank_j, and_(rank_o == rank_j, o.c.seq < j.c.seq)))
               .exists())
    q = (select(j.c.id, j.c.kind, j.c.dossier_id, j.c.dossier_code, j.c.payload, j.c.idempotency_key, j.c.attempts)
         .where(j.c.state.in_(("pending", "in_flight")), j.c.next_attempt_at <= bindparam("now", type_=UTCDateTime),
                ~earlier)
         .order_by(j.c.id).limit(limit))
    if postgres:  # several uploader processes skip each other's claimed rows
        q = q.with_for_update(skip_locked=True, of=j)
    return q


class Outbox:
    def __init__(self, db: Database, audit: AuditLog, settings: Settings,
                 adapter_factory: Callable[[], Adapter] | None = None) -> None:
        self.db = db
        self.audit = audit
        self.settings = settings
        self._adapter_factory = adapter_factory or (lambda: adapter_for(settings))
        self._adapter_lock = threading.Lock()
        self._adapter_key: tuple[object, str] | None = None
        self._adapter_obj: Adapter | None = None
        self._adapter_finalizer: weakref.finalize | None = None

    def _adapter(self) -> Adapter:
        """The adapter, kept from one drain to the next with its HTTP connection and token.

        Making an HTTP client costs ~40 ms (TLS context) plus a connection and a token; the
        screen drains every few seconds. A new factory or dossier-system address makes a new one.
        """
        key = (self._adapter_factory, self.settings.resolved_dossier_url())
        with self._adapter_lock:
            if self._adapter_obj is None or self._adapter_key != key:
                self._close_adapter()
                self._adapter_obj, self._adapter_key = self._adapter_factory(), key
                close = getattr(self._adapter_obj, "close", None)
                if close is not None:  # also at interpreter exit, if nobody called close()
                    self._adapter_finalizer = weakref.finalize(self, close)
            return self._adapter_obj

    def _close_adapter(self) -> None:
        if self._adapter_finalizer is not None:
            self._adapter_finalizer()
        self._adapter_obj = self._adapter_finalizer = self._adapter_key = None

    def close(self) -> None:
        """Close the kept adapter (its HTTP connections); the next drain makes a new one."""
        with self._adapter_lock:
            self._close_adapter()

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

    def file_changed(self, session: Session, f: DigitizedFile) -> None:
        """A file changed after it was attached (signed, verified): make sure this version goes.

        A job not yet picked up reads the file as it is at delivery, so it is enough; a job
        already sent (or being sent, or parked) may have carried the old version, so the new
        one gets its own job (the server keeps files by their SHA-256: no duplicate)."""
        jobs = session.scalars(select(OutboxJob).where(OutboxJob.kind == "file",
                                                       OutboxJob.dossier_id == f.dossier_id))
        if any(j.state == "pending" and (j.payload or {}).get("file_id") == f.id for j in jobs):
            return
        self.on_dossier_event(session, "file.attached", f)

    def _add(self, s: Session, kind: str, dossier_id: int, code: str, payload: dict[str, Any]) -> None:
        seq = (s.scalar(select(func.max(OutboxJob.seq)).where(OutboxJob.dossier_id == dossier_id)) or 0) + 1
        if kind == "status":
            payload = {**payload, "seq": seq}
        s.add(OutboxJob(kind=kind, dossier_id=dossier_id, dossier_code=code, seq=seq, payload=payload,
                        idempotency_key=f"{code}:{kind}:{seq}:{uuid.uuid4().hex[:8]}", next_attempt_at=utcnow()))

    # --- delivering --------------------------------------------------------------------

    def _claim_in(self, s: Session, limit: int = BATCH) -> list[Claim]:
        """Lease up to ``limit`` due jobs in ``s``: each not waiting on an earlier job of its dossier.

        The per-dossier order is checked for the whole batch inside the one query, so at
        most one job per dossier can qualify (a later one waits on the earlier, which is
        pending or leased). File jobs stop being added once the batch carries
        ``BATCH_BYTES``, so a batch of large files is not still being sent when its lease ends.
        """
        now = utcnow()
        conn = s.connection()  # Core statements: no ORM bookkeeping on the hot path
        rows = conn.execute(_claim_query(self.db.is_postgres, limit), {"now": now})
        claimed: list[Claim] = []
        dossiers: set[int] = set()
        size = 0
        for row in rows:
            if row.dossier_id in dossiers:
                continue
            if row.kind == "file":
                if claimed and size + int(row.payload.get("size") or 0) > BATCH_BYTES:
                    break
                size += int(row.payload.get("size") or 0)
            dossiers.add(row.dossier_id)
            claimed.append(Claim(row.id, row.kind, row.dossier_code, row.payload, row.idempotency_key,
                                 row.attempts + 1))
        if claimed:
            conn.execute(_LEASE, {"ids": [c.id for c in claimed], "until": now + LEASE})
        return claimed

    def _claim(self, limit: int = BATCH) -> list[Claim]:
        with self.db.session() as s:
            return self._claim_in(s, limit)

    def _deliver(self, adapter: Adapter, job: Claim) -> None:
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

    def _finish(self, results: list[tuple[Claim, DeliveryError | None]], *, unsent: Sequence[Claim] = (),
                claim_next: bool = False) -> list[Claim]:
        """Record a batch's outcomes in one transaction, and in the same one lease the next batch.

        Outcomes and the next lease commit together, so a crash leaves either both or
        neither: an unrecorded delivery keeps its lease and is sent again with the same
        idempotency key, which the dossier system recognises. Jobs of the batch that were
        not attempted (cancelled) give their lease back.
        """
        with self.db.session() as s:
            if results:
                self._record(s, results)
            if unsent:
                s.connection().execute(_RELEASE, {"ids": [j.id for j in unsent], "now": utcnow()})
            return self._claim_in(s) if claim_next else []

    def _record(self, s: Session, results: list[tuple[Claim, DeliveryError | None]]) -> None:
        now = utcnow()
        events: list[dict[str, Any]] = []
        conn = s.connection()
        done = [job for job, error in results if error is None]
        if done:
            conn.execute(_DONE, {"ids": [j.id for j in done], "now": now})
            events += [{"actor": "outbox", "action": "upload.done", "entity_type": f"outbox.{j.kind}",
                        "entity_id": j.id, "data": {"dossier": j.dossier_code}} for j in done]
        failed: list[dict[str, Any]] = []
        for job, error in results:
            if error is None:
                continue
            park = error.permanent or job.attempts >= MAX_ATTEMPTS
            failed.append({"b_id": job.id, "b_state": "parked" if park else "pending", "b_error": str(error),
                           "b_next": now if park else now + backoff(job.attempts)})
            if park:
                events.append({"actor": "outbox", "action": "upload.parked", "entity_type": f"outbox.{job.kind}",
                               "entity_id": job.id, "data": {"dossier": job.dossier_code, "reason": str(error)}})
        if failed:
            conn.execute(_FAILED, failed)
        self.audit.record_many(s, events)

    def drain(self, *, timeout: float | None = None, cancel: CancelToken | None = None,
              progress: ProgressFn = no_progress) -> dict[str, int]:
        """Deliver due jobs until none is due (or the timeout); returns counts by outcome."""
        adapter = self._adapter()
        deadline = None if timeout is None else time.monotonic() + timeout
        done = failed = 0
        try:
            if cancel is not None:
                cancel.raise_if_cancelled()
            batch = self._claim()
            while batch:
                results: list[tuple[Claim, DeliveryError | None]] = []
                try:
                    for job in batch:
                        if cancel is not None and cancel.cancelled:
                            break  # the rest give their lease back in _finish
                        try:
                            self._deliver(adapter, job)
                            results.append((job, None))
                            done += 1
                        except DeliveryError as exc:
                            results.append((job, exc))
                            failed += 1
                            log.info("outbox job %s failed: %s", job.id, exc)
                        except Exception as exc:  # a bug or an odd answer: this job backs off, the rest go on
                            log.exception("outbox job %s failed unexpectedly", job.id)
                            results.append((job, DeliveryError(msg(
                                "Lỗi không mong đợi khi gửi: {e}", "Unexpected error while sending: {e}",
                                e=f"{type(exc).__name__}: {exc}"[:300]))))
                            failed += 1
                        progress(done + failed, done + failed, job.dossier_code)
                except BaseException:
                    self._finish(results, unsent=batch[len(results):])
                    raise
                go_on = (cancel is None or not cancel.cancelled) and (deadline is None or time.monotonic() < deadline)
                batch = self._finish(results, unsent=batch[len(results):], claim_next=go_on)
            if cancel is not None:
                cancel.raise_if_cancelled()
        except BaseException:
            self.close()  # a broken connection is not kept for the next drain
            raise
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
