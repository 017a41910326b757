"""The durable outbox: jobs written with the change they upload, delivered exactly once.

* Jobs are created by a dossier listener inside the dossier's own transaction, so a
  change and its upload are committed together or not at all.
* A worker claims a job with a lease (``in_flight`` until ``next_attempt_at``) that names
  its holder (host, pid, process start time). A worker on the same workstation takes over
  a dead local holder's jobs at once; across workstations the lease is short (1 min) and
  renewed while sending, so a dead remote holder's jobs wait at most that long. Either way
  the job goes again with the same idempotency key, which the dossier system deduplicates.
* Per dossier: the dossier before its files, files before status changes, each kind in
  the order created. Failures (the server or the network said no) back off exponentially
  with jitter; a permanent failure or too many failures park the job with its reason until
  someone retries it. A lease that ran out with no outcome (its holder died) is a takeover,
  not a failure: it lengthens no backoff. A job taken over goes in a batch of its own (the
  others of a killed batch are not blamed twice), one taken over twice only when nothing
  else is due, and one taken over ``MAX_TAKEOVERS`` times in a row is parked as the poison
  job that kills its sender.
* Jobs go in batches: one transaction records a batch's outcomes (with its audit events
  written at once) and leases the next batch; the order check covers the whole batch in
  the claim query. The adapter, with its HTTP connection and token, is kept between drains.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import random
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, Table, and_, bindparam, case, event, func, or_, select, update
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings
from desktop.db import Database
from desktop.db.base import UTCDateTime
from desktop.db.models import DigitizedFile, Dossier, DossierComponent, DossierStatusChange, SignatureState
from desktop.kernel.errors import Conflict, MotcuaError, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken, ProgressFn, no_progress
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.outbox.adapters.base import Adapter, DeliveryError, NationalStore
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.outbox.minimise import delivered_payload
from desktop.outbox.models import NOTICE_KINDS, JobKind, OutboxJob, OutboxState

log = logging.getLogger(__name__)
RANK = {"dossier": 0, "file": 1, "status": 2, "anchor": 3, "email": 4, "sms": 4}
#: the audit chain head goes to the dossier system at most this often (and when asked)
ANCHOR_EVERY = timedelta(hours=1)
#: failures (not takeovers) after which a job is parked
MAX_FAILURES = 10
#: leases run out in a row with no outcome after which a job is parked: its sending kills the sender
MAX_TAKEOVERS = 3
#: a lease across workstations; renewed every third of it while its holder sends
LEASE = timedelta(minutes=1)
HOST = socket.gethostname()


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (Linux), None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def holder_id(pid: int | None = None) -> str:
    """``host pid start-time``: the start time tells a reused pid from the holder."""
    pid = pid or os.getpid()
    fields = _proc_stat(pid)
    return f"{HOST} {pid} {fields[19] if fields and len(fields) > 19 else '-'}"


def holder_alive(holder: str) -> bool:
    """False only when the holder is a process of this host that is gone (or a zombie, or a reused pid)."""
    parts = holder.split(" ")
    if len(parts) != 3 or parts[0] != HOST or not parts[1].isdigit():
        return True  # another workstation's: its lease runs out instead
    pid = int(parts[1])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    except OSError:
        return True
    fields = _proc_stat(pid)
    if fields is None:
        return os.name != "posix" or not os.path.isdir("/proc")
    if fields[0] in ("Z", "X"):
        return False
    return parts[2] == "-" or len(fields) <= 19 or fields[19] == parts[2]
#: jobs claimed and recorded per transaction (one job per dossier per batch keeps the order)
BATCH = 20
#: file bytes per batch: a batch of large files is sent well within its lease
BATCH_BYTES = 64 << 20


class _Heartbeat:
    """Renews a batch's lease every third of it while the batch is being sent."""

    def __init__(self, outbox: Outbox, ids: list[int]) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(outbox, ids), name="outbox-lease", daemon=True)
        self._thread.start()

    def _run(self, outbox: Outbox, ids: list[int]) -> None:
        while not self._stop.wait(LEASE.total_seconds() / 3):
            try:
                outbox._renew(ids)
            except Exception:  # a missed renewal only lets another workstation resend (same key)
                log.exception("could not renew the outbox lease")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class DrainReport:
    delivered: int
    failed: int
    counts: dict[str, int]
    #: jobs not delivered, with their reasons
    left: list[JobView]

    @property
    def empty(self) -> bool:
        return not any(self.counts.get(k) for k in (OutboxState.PENDING, OutboxState.IN_FLIGHT, OutboxState.PARKED))


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
    #: failures recorded before this attempt
    failures: int


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
    #: the lease holder of a job in flight ("host pid start")
    holder: str = ""
    failures: int = 0
    takeovers: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "dossier_code": self.dossier_code, "state": self.state,
                "attempts": self.attempts, "next_attempt_at": to_vn(self.next_attempt_at).isoformat(),
                "last_error": self.last_error, "created_at": to_vn(self.created_at).isoformat(),
                "holder": self.holder, "failures": self.failures, "takeovers": self.takeovers}

    def reason(self) -> str:
        """Why the job is not delivered yet, in the user's language."""
        if self.state == OutboxState.PARKED:
            return msg("tạm dừng: {e}", "parked: {e}", e=self.last_error)
        if self.state == OutboxState.UNCONFIGURED:
            return msg("chờ cấu hình: {e}", "waiting for configuration: {e}", e=self.last_error)
        if self.state == OutboxState.IN_FLIGHT and self.holder:
            alive = holder_alive(self.holder)
            return msg("đang được gửi bởi {h}{d}", "being sent by {h}{d}", h=self.holder,
                       d="" if alive else msg(" (tiến trình đã chết: sẽ được tiếp quản)", " (dead: will be taken over)"))
        due = to_vn(self.next_attempt_at).strftime("%H:%M:%S")
        return msg("chờ thử lại lúc {t}{e}", "waiting to retry at {t}{e}", t=due,
                   e=f": {self.last_error}" if self.last_error else "")


def adapter_for(settings: Settings) -> Adapter:
    import os

    from desktop.outbox.adapters.identity import client_secret, workstation_id

    url = settings.resolved_dossier_url()
    # every delivery names this data directory's instance: a dossier code it did not send is never overwritten
    ws = workstation_id(settings.data_dir)
    if url.startswith("file://"):
        return FolderAdapter.from_url(url, workstation_id=ws)
    if url.startswith(("http://", "https://")):
        from desktop.config import get_secret
        from desktop.outbox.adapters.http import HttpAdapter

        extra = settings.extra.get("dossier_system", {})
        client_id = os.environ.get("MOTCUA_DOSSIER_CLIENT_ID", extra.get("client_id", settings.dossier_client_id))
        # the environment, the keyring (``motcua config set dossier_system.client_secret -``)
        # or the bundled server's secret file; never a value typed into motcua.toml
        secret = client_secret(extra, client_id) or get_secret("dossier_system.client_secret")
        return HttpAdapter(url, client_id, secret, workstation_id=ws,
                           ca_bundle=extra.get("ca_bundle"),
                           # files above the threshold go as resumable upload sessions, in chunks
                           chunk_threshold=int(extra.get("chunk_threshold", 4 << 20)),
                           chunk_size=int(extra.get("chunk_size", 1 << 20)),
                           # a national-store look-up is made while the citizen waits at the counter
                           lookup_timeout=float(extra.get("lookup_timeout", 8.0)))
    raise MotcuaError(msg("Địa chỉ hệ thống hồ sơ “{u}” không hợp lệ (cần file://, http:// hoặc https://).",
                          "Dossier-system address “{u}” is not valid (file://, http:// or https://).", u=url))


def _validity(f: DigitizedFile) -> dict[str, Any]:
    """A result's ``valid_until`` (ISO date, None: no end date) for its upload; nothing for a component."""
    if f.kind != "result":
        return {}
    return {"valid_until": f.valid_until.isoformat() if f.valid_until else None}


def _dossier_payload(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code, "procedure_code": d.procedure.code, "procedure_name": d.procedure.name,
        "field": d.procedure.field, "channel": d.channel, "status": d.status,
        "owner": {"name": d.applicant_name, "id_number": d.applicant_id_number, "address": d.applicant_address,
                  "phone": d.applicant_phone, "email": d.applicant_email,
                  # the organisation the applicant acts for ("" for a citizen's own dossier)
                  "tax_code": d.applicant_tax_code or "", "organisation": d.applicant_organisation or ""},
        "received_at": to_vn(d.received_at).isoformat(),
        "due_at": to_vn(d.due_at).isoformat() if d.due_at else None,
        "documents": [{"code": c.code, "name": c.name, "copy_kind": c.copy_kind, "quantity": c.quantity}
                      for c in d.components],
    }


_T = cast(Table, OutboxJob.__table__)
# a job still in flight when claimed again is a takeover: its lease ran out with no outcome
_LEASE = (update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True)))
          .values(state=OutboxState.IN_FLIGHT, attempts=_T.c.attempts + 1, next_attempt_at=bindparam("until"),
                  holder=bindparam("holder"),
                  takeovers=case((_T.c.state == OutboxState.IN_FLIGHT, _T.c.takeovers + 1), else_=_T.c.takeovers)))
_RENEW = (update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True)), _T.c.state == OutboxState.IN_FLIGHT,
                           _T.c.holder == bindparam("holder"))
          .values(next_attempt_at=bindparam("until")))

_DONE = (update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True)))
         .values(state=OutboxState.DONE, done_at=bindparam("now"), last_error="", holder=""))
# with the delivery, the stored payload loses the citizen's data (desktop/outbox/minimise.py)
_MINIMISE = update(_T).where(_T.c.id == bindparam("b_id")).values(payload=bindparam("b_payload"))
# a job another worker delivered after this one's lease ran out stays delivered
_FAILED = (update(_T).where(_T.c.id == bindparam("b_id"), _T.c.state != OutboxState.DONE)
           .values(state=bindparam("b_state"), last_error=bindparam("b_error"), next_attempt_at=bindparam("b_next"),
                   holder="", failures=bindparam("b_failures"), takeovers=0))
_POISON = (update(_T).where(_T.c.id == bindparam("b_id"), _T.c.state == OutboxState.IN_FLIGHT)
           .values(state=OutboxState.PARKED, last_error=bindparam("b_error"), next_attempt_at=bindparam("b_next"),
                   holder="", takeovers=_T.c.takeovers + 1))
_RELEASE = (update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True)), _T.c.state == OutboxState.IN_FLIGHT)
            .values(state=OutboxState.PENDING, attempts=_T.c.attempts - 1, next_attempt_at=bindparam("now"), holder=""))


@functools.cache
def _claim_query(postgres: bool, limit: int, only: frozenset[str] | None = None) -> Select[Any]:
    """Due jobs (of the kinds ``only``, if given), oldest first, that no earlier unfinished job
    of the same dossier must precede."""
    j, o = _T.alias("j"), _T.alias("o")
    rank_j, rank_o = (case(RANK, value=t.c.kind, else_=9) for t in (j, o))
    earlier = (select(o.c.id).where(o.c.dossier_id == j.c.dossier_id, o.c.id != j.c.id, o.c.state != OutboxState.DONE,
                                    # a parked (or signature-waiting) file or status does not hold back
                                    # the rest; a parked dossier does
                                    or_(o.c.state.notin_((OutboxState.PARKED, OutboxState.WAITING)),
                                        o.c.kind == JobKind.DOSSIER),
                                    or_(rank_o < rank_j, and_(rank_o == rank_j, o.c.seq < j.c.seq)),
                                    # a notice to the citizen waits only for an earlier one of its kind: an
                                    # e-mail is not held back by the dossier system being offline
                                    or_(j.c.kind.notin_(tuple(NOTICE_KINDS)), o.c.kind == j.c.kind))
               .exists())
    q = (select(j.c.id, j.c.kind, j.c.dossier_id, j.c.dossier_code, j.c.payload, j.c.idempotency_key, j.c.state,
                j.c.failures, j.c.takeovers, j.c.holder)
         .where(j.c.state.in_((OutboxState.PENDING, OutboxState.IN_FLIGHT)), j.c.next_attempt_at <= bindparam("now", type_=UTCDateTime),
                ~earlier)
         .order_by(j.c.id).limit(limit))
    if only is not None:
        q = q.where(j.c.kind.in_(sorted(only)))
    if postgres:  # several uploader processes skip each other's claimed rows
        q = q.with_for_update(skip_locked=True, of=j)
    return q


class NoticeSenders:
    """Makes the senders of notices from the settings as they are at each delivery (a server
    configured while a notice waits is used at its next attempt). Tests may hand their own."""

    def email(self, settings: Settings) -> Any:
        from desktop.outbox.adapters.smtp import SmtpSender

        return SmtpSender.from_settings(settings)

    def sms(self, settings: Settings) -> Any:
        from desktop.outbox.adapters.sms import SmsGateway

        return SmsGateway.from_settings(settings)

    def problem(self, kind: str, settings: Settings) -> str:
        """Why notices of ``kind`` cannot go with these settings, known without sending ("": they can)."""
        if kind == JobKind.EMAIL:
            from desktop.outbox.adapters.smtp import configuration_problem

            return configuration_problem(settings)
        from desktop.outbox.adapters.sms import configuration_problem as sms_problem

        return sms_problem(settings)


def _claim(row: Any) -> Claim:
    return Claim(row.id, row.kind, row.dossier_code, row.payload, row.idempotency_key, row.failures)


def _park_events(job: Claim, reason: str) -> list[dict[str, Any]]:
    """The audit events of a parked job (a notice's on its dossier too, for its history)."""
    events = [{"actor": "outbox", "action": "upload.parked", "entity_type": f"outbox.{job.kind}",
               "entity_id": job.id, "data": {"dossier": job.dossier_code, "reason": reason}}]
    if job.kind in NOTICE_KINDS:
        events.append({"actor": "outbox", "action": "notice.failed", "entity_type": "dossier",
                       "entity_id": job.dossier_code, "data": {**_notice_audit(job), "reason": reason[:300]}})
    return events


def _notice_audit(job: Claim) -> dict[str, Any]:
    """What the audit log keeps of a notice: the form, the channel, a masked address."""
    from desktop.outbox.notices import masked

    p = job.payload
    channel = "e-mail" if job.kind == JobKind.EMAIL else "SMS"
    to = masked(str(p.get("to", "")))
    return {"form": p.get("form", ""), "channel": job.kind, "to": to, "job": job.id,
            "message_id": p.get("message_id", ""), "note": f"{p.get('form', '')} · {channel} · {to}"}


class Outbox:
    def __init__(self, db: Database, audit: AuditLog, settings: Settings,
                 adapter_factory: Callable[[], Adapter] | None = None, instance: str = "",
                 notice_senders: NoticeSenders | None = None) -> None:
        self.db = db
        self._instance = instance
        self.audit = audit
        self.settings = settings
        self._adapter_factory = adapter_factory or (lambda: adapter_for(settings))
        self._adapter_lock = threading.Lock()
        self._adapter_key: tuple[object, str] | None = None
        self._adapter_obj: Adapter | None = None
        self._adapter_finalizer: weakref.finalize | None = None
        self._wake_listeners: list[Callable[[], None]] = []
        self._notice_senders = notice_senders or NoticeSenders()

    def _adapter(self) -> Adapter:
        """The adapter, kept from one drain to the next with its HTTP connection and token.

        Making an HTTP client costs ~40 ms (TLS context) plus a connection and a token; the
        background uploader drains whenever jobs come due. A new factory or dossier-system address makes a new one.
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

    def national_store(self) -> NationalStore | None:
        """The dossier system's national document store, where its adapter offers one (not a folder's)."""
        adapter = self._adapter()
        return cast(NationalStore, adapter) if hasattr(adapter, "lookup_documents") else None

    def _close_adapter(self) -> None:
        if self._adapter_finalizer is not None:
            self._adapter_finalizer()
        self._adapter_obj = self._adapter_finalizer = self._adapter_key = None

    def close(self) -> None:
        """Close the kept adapter (its HTTP connections); the next drain makes a new one."""
        with self._adapter_lock:
            self._close_adapter()

    # --- audit anchors: the chain head kept outside the workstation ---------------------

    @property
    def instance(self) -> str:
        if not self._instance:
            from desktop.db.storage import instance_id

            self._instance = instance_id(self.settings, self.db)
        return self._instance

    def queue_anchor(self, *, if_older_than: timedelta | None = None) -> int | None:
        """Queue the audit chain head for the dossier system; returns its seq (None: nothing new).

        With ``if_older_than``, only when the last anchor (or, before the first, the first
        event) is older than that: the drain calls it so that the head leaves regularly.
        """
        from desktop.db.models import AuditEvent

        with self.db.session() as s:
            seq, head = self.audit.head(s)
            if seq == 0:
                return None
            last = s.scalars(select(OutboxJob).where(OutboxJob.kind == "anchor")
                             .order_by(OutboxJob.id.desc()).limit(1)).first()
            if last is not None and int((last.payload or {}).get("seq", 0)) >= seq:
                return None
            if if_older_than is not None:
                since = last.created_at if last is not None else s.scalar(select(func.min(AuditEvent.at)))
                if since is None or utcnow() - since < if_older_than:
                    return None
            now = utcnow()
            s.add(OutboxJob(kind="anchor", dossier_id=None, dossier_code="", seq=seq,
                            payload={"workstation": self.instance, "seq": seq, "hash": head,
                                     "at": to_vn(now).isoformat()},
                            idempotency_key=f"anchor:{self.instance[:16]}:{seq}:{uuid.uuid4().hex[:8]}",
                            next_attempt_at=now))
        return seq

    def _anchor_file(self, workstation: str) -> Path:
        return self.settings.private_dir / "anchors" / f"{workstation}.json"

    def _keep_anchor(self, anchor: dict[str, Any]) -> None:
        """The delivered anchor, also kept locally (outside the database) for ``audit verify``."""
        import json
        import os

        from desktop.kernel.files import private_dir

        path = self._anchor_file(str(anchor["workstation"]))
        old = self.local_anchor(str(anchor["workstation"]))
        if old is not None and old.seq >= int(anchor["seq"]):
            return
        private_dir(path.parent)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(anchor, f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    def local_anchor(self, workstation: str | None = None) -> Any:
        """The newest delivered anchor kept in the private directory (an :class:`~desktop.audit.Anchor`)."""
        import json

        from desktop.audit import Anchor

        path = self._anchor_file(workstation or self.instance)
        try:
            a = json.loads(path.read_text(encoding="utf-8"))
            return Anchor(int(a["seq"]), str(a["hash"]), str(a.get("at", "")), msg("bản lưu cục bộ", "local copy"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def anchors(self) -> list[Any]:
        """The anchors to verify the chain against: the dossier system's and the local copy."""
        from desktop.audit import Anchor

        found = [a for a in [self.local_anchor()] if a is not None]
        fetch = getattr(self._adapter(), "fetch_anchor", None)
        if fetch is not None:
            try:
                a = fetch(self.instance)
            except (DeliveryError, OSError) as exc:
                log.warning("could not read the audit anchor from the dossier system: %s", exc)
                a = None
            if a:
                found.append(Anchor(int(a["seq"]), str(a["hash"]), str(a.get("at", "")),
                                    msg("hệ thống hồ sơ", "dossier system")))
        return found

    # --- creating jobs (inside the dossier's transaction) -----------------------------

    def on_dossier_event(self, session: Session, event: str, payload: Any) -> None:
        if event == "dossier.received":
            d: Dossier = payload
            self._add(session, "dossier", d.id, d.code, _dossier_payload(d))
        elif event == "file.attached":
            self._add_file_job(session, payload)
        elif event == "file.removed":
            gone: DigitizedFile = payload
            for j in session.scalars(select(OutboxJob).where(OutboxJob.kind == JobKind.FILE,
                                                             OutboxJob.dossier_id == gone.dossier_id,
                                                             OutboxJob.state != OutboxState.DONE)):
                if (j.payload or {}).get("file_id") == gone.id:
                    session.delete(j)
        elif event == "status.changed":
            c: DossierStatusChange = payload
            d = session.get(Dossier, c.dossier_id)  # type: ignore[assignment]
            status: dict[str, Any] = {"status": c.status, "at": to_vn(c.at).isoformat(), "note": c.note}
            if c.action:  # a lifecycle transition: its name and the portal's whole record go along
                status.update(action=c.action, portal=c.detail or {})
            self._add(session, "status", d.id, d.code, status)

    def file_changed(self, session: Session, f: DigitizedFile) -> None:
        """A file changed after it was attached (signed, verified): make sure this version goes.

        A job not yet picked up reads the file as it is at delivery, so it is enough; a job
        already sent (or being sent, or parked) may have carried the old version, so the new
        one gets its own job that names the version it replaces (``replaces``: that SHA-256)."""
        jobs = [j for j in session.scalars(select(OutboxJob).where(OutboxJob.kind == JobKind.FILE,
                                                                   OutboxJob.dossier_id == f.dossier_id))
                if (j.payload or {}).get("file_id") == f.id]
        waiting = [j for j in jobs if j.state == OutboxState.WAITING]
        if waiting and f.signature_state == SignatureState.VERIFIED:
            for j in waiting:  # the signed, verified copy may go now
                j.state, j.last_error, j.next_attempt_at = OutboxState.PENDING, "", utcnow()
                j.payload = {**(j.payload or {}), "sha256": f.sha256, "size": f.size,
                             "signature_state": f.signature_state, "digitized": bool(f.digitized),
                             "reusable": bool(f.reusable), **_validity(f)}
            session.flush()
            self._wake_after_commit(session)
            return
        if waiting or any(j.state == OutboxState.PENDING for j in jobs):
            return
        # the version the dossier system may hold already: the new one replaces it there
        # (re-signed in place, the file keeps its place in the dossier; the server keeps the
        # old one as history only, so the dossier does not show two copies of one component)
        sent = sorted((j for j in jobs if (j.payload or {}).get("sha256") not in (None, f.sha256)),
                      key=lambda j: j.seq)
        self._add_file_job(session, f, replaces=str(sent[-1].payload["sha256"]) if sent else None)

    def _add_file_job(self, session: Session, f: DigitizedFile, replaces: str | None = None) -> None:
        d = session.get(Dossier, f.dossier_id)
        if d is None:  # the foreign key makes this impossible; said plainly, not with assert (-O)
            raise LookupError(f"file {f.id} has no dossier")
        comp = session.get(DossierComponent, f.component_id) if f.component_id else None
        held = f.signature_state != SignatureState.VERIFIED and (comp is None or comp.must_sign)
        payload: dict[str, Any] = {
            "file_id": f.id, "path": f.path, "filename": f.filename, "sha256": f.sha256, "size": f.size,
            "pages": f.pages,
            "kind": f.kind, "component_code": comp.code if comp else "",
            "digitized": True if f.digitized is None else bool(f.digitized),
            "reusable": f.reusable, "reused": bool(f.reused), "signature_state": f.signature_state,
            **_validity(f)}
        if replaces:
            payload["replaces"] = replaces
        self._add(session, "file", d.id, d.code, payload,
                  state=OutboxState.WAITING if held else OutboxState.PENDING,
                  reason=msg("Chờ ký số của cơ quan và kiểm tra chữ ký trước khi gửi.",
                             "Waiting for the organization's signature and its verification before sending.")
                  if held else "")

    def queue_notice(self, s: Session, dossier_id: int, code: str, kind: JobKind, payload: dict[str, Any]) -> int:
        """Queue a notice to the citizen in the caller's transaction (the form's issue); returns its job id.

        The same form not yet sent on the same channel is replaced rather than sent twice (a
        printed form sealed a minute later goes once, as the sealed copy)."""
        for j in s.scalars(select(OutboxJob).where(OutboxJob.kind == kind, OutboxJob.dossier_id == dossier_id,
                                                   OutboxJob.state == OutboxState.PENDING, OutboxJob.attempts == 0)):
            if (j.payload or {}).get("form") == payload.get("form"):
                j.payload, j.next_attempt_at, j.last_error = payload, utcnow(), ""
                self._wake_after_commit(s)
                return j.id
        job = self._add(s, kind, dossier_id, code, payload)
        s.flush()
        return job.id

    def _add(self, s: Session, kind: str, dossier_id: int, code: str, payload: dict[str, Any], *,
             state: OutboxState = OutboxState.PENDING, reason: str = "") -> OutboxJob:
        seq = (s.scalar(select(func.max(OutboxJob.seq)).where(OutboxJob.dossier_id == dossier_id)) or 0) + 1
        if kind == "status":
            payload = {**payload, "seq": seq}
        job = OutboxJob(kind=kind, dossier_id=dossier_id, dossier_code=code, seq=seq, payload=payload,
                        idempotency_key=f"{code}:{kind}:{seq}:{uuid.uuid4().hex[:8]}", next_attempt_at=utcnow(),
                        state=state, last_error=reason)
        s.add(job)
        self._wake_after_commit(s)  # a waiting job too: the uploader's counts (status bar) change
        return job

    # --- waking the uploader -------------------------------------------------------------

    def add_wake_listener(self, fn: Callable[[], None]) -> None:
        """``fn()`` runs after a transaction that made jobs due commits (from that thread)."""
        self._wake_listeners.append(fn)

    def _wake_after_commit(self, s: Session) -> None:
        if not self._wake_listeners or s.info.get("outbox_wake"):
            return
        s.info["outbox_wake"] = True  # once per transaction, however many jobs it adds

        def woken(session: Session) -> None:
            session.info.pop("outbox_wake", None)
            for fn in self._wake_listeners:
                fn()

        def rolled_back(session: Session) -> None:
            session.info.pop("outbox_wake", None)
            if event.contains(session, "after_commit", woken):
                event.remove(session, "after_commit", woken)

        event.listen(s, "after_commit", woken, once=True)
        event.listen(s, "after_soft_rollback", rolled_back, once=True)

    # --- delivering --------------------------------------------------------------------

    def _claim_in(self, s: Session, limit: int = BATCH, only: frozenset[str] | None = None) -> list[Claim]:
        """Lease up to ``limit`` due jobs in ``s``: each not waiting on an earlier job of its dossier.

        The per-dossier order is checked for the whole batch inside the one query, so at
        most one job per dossier can qualify (a later one waits on the earlier, which is
        pending or leased). File jobs stop being added once the batch carries
        ``BATCH_BYTES``, so a batch of large files is not still being sent when its lease ends.
        """
        now = utcnow()
        conn = s.connection()  # Core statements: no ORM bookkeeping on the hot path
        self._take_over_dead(conn, now)
        self._settle_notices(conn, now)
        rows = conn.execute(_claim_query(self.db.is_postgres, limit, only), {"now": now}).all()
        # a job in flight whose lease ran out is taken over: this is one more takeover in a row
        seen = {r.id: r.takeovers + (r.state == OutboxState.IN_FLIGHT) for r in rows}
        poison = [r for r in rows if r.state == OutboxState.IN_FLIGHT and seen[r.id] >= MAX_TAKEOVERS]
        if poison:  # parked, it holds back no file or status of its dossier: ask again
            self._park_poison(s, poison, now)
            return self._claim_in(s, limit, only)
        claimed: list[Claim] = []
        dossiers: set[int] = set()
        last: Any = None
        size = 0
        for row in rows:
            if row.dossier_id in dossiers:
                continue
            if seen[row.id] >= 2:
                # taken over twice, the second time alone: most likely it kills its sender, so it
                # goes only when nothing else is due (the others are sent before it can)
                last = last or row
                continue
            if row.kind in NOTICE_KINDS or seen[row.id]:
                # alone in its batch: a notice's outcome is committed as soon as the server took it
                # (SMTP has no idempotency); a job taken over is not sent with others that a crash
                # of its sending would take over with it, so only its own takeovers count
                if claimed:
                    continue
                claimed.append(_claim(row))
                break
            if row.kind == "file":
                if claimed and size + int(row.payload.get("size") or 0) > BATCH_BYTES:
                    break
                size += int(row.payload.get("size") or 0)
            dossiers.add(row.dossier_id)
            claimed.append(_claim(row))
        if not claimed and last is not None:
            claimed.append(_claim(last))
        if claimed:
            conn.execute(_LEASE, {"ids": [c.id for c in claimed], "until": now + LEASE, "holder": holder_id()})
        return claimed

    def _park_poison(self, s: Session, rows: Sequence[Any], now: datetime) -> None:
        """Park the jobs whose sending stopped their sender ``MAX_TAKEOVERS`` times in a row."""
        parked = []
        for r in rows:
            reason = msg("Tiến trình gửi đã dừng {n} lần khi đang gửi việc này, chưa ghi được kết quả (lần cuối: {h}). "
                         "Có thể chính việc này làm tiến trình dừng (tệp làm hỏng thư viện, hết bộ nhớ): đã tạm dừng "
                         "để các việc khác được gửi. Kiểm tra rồi thử lại bằng tay.",
                         "The sending process stopped {n} times while sending this job, before any outcome was "
                         "recorded (last: {h}). The job itself may be stopping it (a file that crashes a library, "
                         "memory running out): parked so that the other jobs go. Check it, then retry it by hand.",
                         n=r.takeovers + 1, h=r.holder or "?")
            if s.connection().execute(_POISON, {"b_id": r.id, "b_error": reason, "b_next": now}).rowcount:
                parked.append((_claim(r), reason))
                log.error("outbox job %s parked: its sender stopped %s times while sending it", r.id, r.takeovers + 1)
        self.audit.record_many(s, [e for job, reason in parked for e in _park_events(job, reason)])

    def _take_over_dead(self, conn: Any, now: datetime) -> int:
        """Make the jobs leased by a dead process of this workstation due now (not in 1 min)."""
        held = conn.execute(select(_T.c.holder).distinct().where(
            _T.c.state == OutboxState.IN_FLIGHT, _T.c.next_attempt_at > now, _T.c.holder.like(f"{HOST} %"))).scalars().all()
        me = holder_id()
        dead = [h for h in held if h != me and not holder_alive(h)]
        if not dead:
            return 0
        # the holder stays named until the job is claimed again (the poison reason names the last one)
        n = conn.execute(update(_T).where(_T.c.state == OutboxState.IN_FLIGHT, _T.c.holder.in_(dead))
                         .values(next_attempt_at=now)).rowcount
        log.warning("took over %s outbox job(s) of dead local uploader(s) %s", n, ", ".join(dead))
        return int(n or 0)

    def _settle_notices(self, conn: Any, now: datetime) -> int:
        """Hold the due notices of a channel that is not configured (no attempt spent), and make
        the held ones pending again once it is; returns how many were made pending."""
        kinds = conn.execute(select(_T.c.kind).distinct().where(_T.c.kind.in_(sorted(NOTICE_KINDS)), or_(
            _T.c.state == OutboxState.UNCONFIGURED,
            and_(_T.c.state == OutboxState.PENDING, _T.c.next_attempt_at <= now)))).scalars().all()
        released = 0
        for kind in kinds:  # the settings as they are now: a relay configured since is used at once
            problem = self._notice_senders.problem(kind, self.settings)
            if problem:
                conn.execute(update(_T).where(_T.c.kind == kind, _T.c.state == OutboxState.PENDING,
                                              _T.c.next_attempt_at <= now)
                             .values(state=OutboxState.UNCONFIGURED, last_error=problem, holder=""))
            else:
                released += int(conn.execute(update(_T).where(_T.c.kind == kind,
                                                              _T.c.state == OutboxState.UNCONFIGURED)
                                             .values(state=OutboxState.PENDING, last_error="",
                                                     next_attempt_at=now)).rowcount or 0)
        return released

    def settle_notices(self) -> int:
        """What the uploader asks before looking for due jobs: notices held for a configuration
        that is now there become due (returns how many), new ones whose channel is not are held."""
        with self.db.session() as s:
            return self._settle_notices(s.connection(), utcnow())

    def _renew(self, ids: list[int]) -> None:
        with self.db.session() as s:
            s.connection().execute(_RENEW, {"ids": ids, "until": utcnow() + LEASE, "holder": holder_id()})

    def _claim(self, limit: int = BATCH, only: frozenset[str] | None = None) -> list[Claim]:
        with self.db.session() as s:
            return self._claim_in(s, limit, only)

    def _deliver(self, adapter: Adapter, job: Claim) -> dict[str, Any]:
        """Send ``job``; returns the payload as sent (a file as it is now)."""
        p = job.payload
        if job.kind == "anchor":
            send = getattr(adapter, "send_anchor", None)
            if send is None:
                raise DeliveryError(msg("Hệ thống hồ sơ này không nhận mốc nhật ký kiểm toán.",
                                        "This dossier system does not take audit anchors."), permanent=True)
            send(job.idempotency_key, p)
            self._keep_anchor(p)
        elif job.kind == "dossier":
            adapter.send_dossier(job.idempotency_key, p)
        elif job.kind == "file":
            p = self._current_file(p)
            adapter.send_file(job.idempotency_key, job.dossier_code, p, Path(p["path"]))
        elif job.kind == JobKind.EMAIL:
            p = {**p, "message_id": self._notice_senders.email(self.settings).send(job.idempotency_key, p)}
        elif job.kind == JobKind.SMS:
            self._notice_senders.sms(self.settings).send(job.idempotency_key, p)
        else:
            adapter.send_status(job.idempotency_key, job.dossier_code, p)
        return p

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
            if f.signature_state == SignatureState.INVALID:
                raise DeliveryError(msg("Chữ ký số của {f} không hợp lệ: không gửi.", "The signature of {f} is not valid: not sent.",
                                        f=f.filename), permanent=True)
            if f.signature_state == SignatureState.SIGNED:
                raise DeliveryError(msg("{f} đã ký nhưng chưa được kiểm tra chữ ký; sẽ gửi sau khi kiểm tra.",
                                        "{f} is signed but its signature is not verified yet; it goes after verification.",
                                        f=f.filename))
            return {**payload, "path": f.path, "sha256": f.sha256, "size": f.size,
                    "signature_state": f.signature_state}

    def _finish(self, results: list[tuple[Claim, DeliveryError | None]], *, unsent: Sequence[Claim] = (),
                claim_next: bool = False, only: frozenset[str] | None = None) -> list[Claim]:
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
            return self._claim_in(s, only=only) if claim_next else []

    def _record(self, s: Session, results: list[tuple[Claim, DeliveryError | None]]) -> None:
        now = utcnow()
        events: list[dict[str, Any]] = []
        conn = s.connection()
        done = [job for job, error in results if error is None]
        if done:
            conn.execute(_DONE, {"ids": [j.id for j in done], "now": now})
            # same transaction as the delivery mark: a delivered job never keeps names or ID numbers
            conn.execute(_MINIMISE, [{"b_id": j.id, "b_payload": delivered_payload(j.kind, j.payload)} for j in done])
            events += [{"actor": "outbox", "action": "upload.done", "entity_type": f"outbox.{j.kind}",
                        "entity_id": j.id, "data": {"dossier": j.dossier_code}} for j in done]
            # a notice delivered is also on the dossier, for its history
            events += [{"actor": "outbox", "action": "notice.sent", "entity_type": "dossier",
                        "entity_id": j.dossier_code, "data": _notice_audit(j)} for j in done if j.kind in NOTICE_KINDS]
        failed: list[dict[str, Any]] = []
        for job, error in results:
            if error is None:
                continue
            failures = job.failures + 1  # a takeover before this attempt is not one of them
            park = error.permanent or failures >= MAX_FAILURES
            failed.append({"b_id": job.id, "b_state": OutboxState.PARKED if park else OutboxState.PENDING, "b_error": str(error),
                           "b_next": now if park else now + backoff(failures), "b_failures": failures})
            if park:
                events += _park_events(job, str(error))
        if failed:
            conn.execute(_FAILED, failed)
        self.audit.record_many(s, events)

    def drain(self, actor: Actor, *, timeout: float | None = None, cancel: CancelToken | None = None,
              progress: ProgressFn = no_progress, only: frozenset[str] | None = None) -> dict[str, int]:
        """Deliver due jobs (of the kinds ``only``, if given) until none is due (or the timeout);
        returns counts by outcome."""
        require(actor, Permission.UPLOAD)
        adapter = self._adapter()
        deadline = None if timeout is None else time.monotonic() + timeout
        done = failed = 0
        self.queue_anchor(if_older_than=ANCHOR_EVERY)
        try:
            if cancel is not None:
                cancel.raise_if_cancelled()
            batch = self._claim(only=only)
            while batch:
                results: list[tuple[Claim, DeliveryError | None]] = []
                beat = _Heartbeat(self, [j.id for j in batch])
                try:
                    for job in batch:
                        if cancel is not None and cancel.cancelled:
                            break  # the rest give their lease back in _finish
                        try:
                            sent = self._deliver(adapter, job)
                            results.append((dataclasses.replace(job, payload=sent), None))
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
                    beat.stop()
                    self._finish(results, unsent=batch[len(results):])
                    raise
                beat.stop()
                go_on = (cancel is None or not cancel.cancelled) and (deadline is None or time.monotonic() < deadline)
                batch = self._finish(results, unsent=batch[len(results):], claim_next=go_on, only=only)
            if cancel is not None:
                cancel.raise_if_cancelled()
        except BaseException:
            self.close()  # a broken connection is not kept for the next drain
            raise
        return {"delivered": done, "failed": failed, **self.counts()}

    # --- what the background uploader asks ------------------------------------------------

    def next_due_in(self) -> float | None:
        """Seconds until the next job to send comes due (0 when one is due now), None when none."""
        with self.db.session() as s:
            at = s.scalar(select(func.min(OutboxJob.next_attempt_at))
                          .where(OutboxJob.state.in_((OutboxState.PENDING, OutboxState.IN_FLIGHT))))
        return None if at is None else max(0.0, (at - utcnow()).total_seconds())

    def last_error(self) -> str:
        """The reason of the most recent failed attempt still waiting to be retried."""
        with self.db.session() as s:
            return s.scalar(select(OutboxJob.last_error).where(OutboxJob.state == OutboxState.PENDING,
                                                               OutboxJob.last_error != "")
                            .order_by(OutboxJob.next_attempt_at.desc()).limit(1)) or ""

    def hurry(self) -> int:
        """Make every backed-off job due now (the network came back); returns how many."""
        now = utcnow()
        with self.db.session() as s:
            r = s.execute(update(OutboxJob).where(OutboxJob.state == OutboxState.PENDING,
                                                  OutboxJob.next_attempt_at > now).values(next_attempt_at=now))
            return int(getattr(r, "rowcount", 0) or 0)
    def drain_until_empty(self, actor: Actor, timeout: float, *, cancel: CancelToken | None = None,
                          progress: ProgressFn = no_progress) -> DrainReport:
        """Work until nothing is left to send or ``timeout`` seconds passed, waiting for backoffs.

        Jobs of a dead uploader on this workstation are taken over at once; those leased by a
        live one (here or elsewhere) are waited for. Parked jobs need a person: they end the
        wait and are reported with their reasons.
        """
        deadline = time.monotonic() + timeout
        delivered = failed = 0
        while True:
            r = self.drain(actor, timeout=max(0.1, deadline - time.monotonic()), cancel=cancel, progress=progress)
            delivered, failed = delivered + r["delivered"], failed + r["failed"]
            left = time.monotonic() - deadline
            if not (r.get(OutboxState.PENDING, 0) + r.get(OutboxState.IN_FLIGHT, 0)) or left >= 0:
                break
            with self.db.session() as s:
                due = s.scalar(select(func.min(OutboxJob.next_attempt_at))
                               .where(OutboxJob.state.in_((OutboxState.PENDING, OutboxState.IN_FLIGHT))))
            wait = (due - utcnow()).total_seconds() if due is not None else 0.0
            # at most a second: a dead local holder is noticed at the next claim
            time.sleep(min(max(wait, 0.05), 1.0, max(0.0, -left)))
        return DrainReport(delivered, failed, self.counts(), self.jobs())

    # --- looking and retrying ----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.db.session() as s:
            return {str(k): int(v) for k, v in s.execute(select(OutboxJob.state, func.count())
                                                         .group_by(OutboxJob.state)).all()}

    def jobs(self, states: tuple[str, ...] = (OutboxState.PENDING, OutboxState.IN_FLIGHT, OutboxState.WAITING,
                                              OutboxState.UNCONFIGURED, OutboxState.PARKED),
             limit: int = 500) -> list[JobView]:
        with self.db.session() as s:
            rows = s.scalars(select(OutboxJob).where(OutboxJob.state.in_(states)).order_by(OutboxJob.id).limit(limit))
            return [JobView(j.id, j.kind, j.dossier_code, j.state, j.attempts, j.next_attempt_at, j.last_error,
                            j.created_at, j.holder or "", j.failures, j.takeovers) for j in rows]

    def retry(self, actor: Actor, job_id: int) -> None:
        require(actor, Permission.UPLOAD)
        with self.db.session() as s:
            job = s.get(OutboxJob, job_id)
            if job is None:
                raise NotFound(msg("Không có việc gửi số {i}.", "No outbox job {i}.", i=job_id))
            if job.state == OutboxState.DONE:
                raise Conflict(msg("Việc gửi {i} đã hoàn tất.", "Outbox job {i} is already done.", i=job_id))
            if job.state == OutboxState.WAITING:
                raise Conflict(msg("Việc gửi {i} đang chờ ký số: ký hồ sơ trước, tệp sẽ tự gửi.",
                                   "Outbox job {i} is waiting for its signature: sign the dossier and it goes by itself.",
                                   i=job_id))
            if job.state == OutboxState.UNCONFIGURED:
                raise Conflict(msg("Việc gửi {i} đang chờ cấu hình: {e} Nó sẽ tự gửi khi có cấu hình.",
                                   "Outbox job {i} is waiting for configuration: {e} It goes by itself once there.",
                                   i=job_id, e=job.last_error))
            s.execute(update(OutboxJob).where(OutboxJob.id == job_id)
                      .values(state=OutboxState.PENDING, attempts=0, failures=0, takeovers=0, next_attempt_at=utcnow()))
            self.audit.record(s, actor=actor.audit_name, action="upload.retry", entity_type="outbox",
                              entity_id=job_id)
