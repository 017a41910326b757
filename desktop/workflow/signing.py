"""The one signing path for dossier files: sign in place, verify, record, audit, release.

The files are signed in place: the signed PDF is an incremental update of the digitized
one and replaces it atomically, so the row keeps pointing at the right file. Every file
signed is verified at once (trust anchors, organization certificate) and its state set
to ``verified`` or ``invalid`` in the same transaction as its audit record; a verified
file's upload is released in that transaction too (``on_verified``, the outbox). Files
left unsigned (cancel, token pulled, damaged input) keep their state and get an audit
record saying why. Nothing else in the code base sets a file's signature state.

Files that belong to no dossier (a letter drafted elsewhere, a file brought on a USB stick)
go through :func:`sign_loose_files`: the same permission and level checks, the same
verification right after signing, and an audit record per file; no database row and no
upload, since nothing in the dossier system waits for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings
from desktop.db import Database
from desktop.db.models import DigitizedFile, SignatureState
from desktop.kernel.errors import InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken, Progress
from desktop.kernel.timeutil import utcnow
from desktop.lifecycle.results import SealCheck
from desktop.store.service import index_verified, set_validity
from signing.appearance import Profile, get_profile
from signing.batch_signing import FAILED, SIGNED, BatchResult, SignJob, sign_batch
from signing.pades import SignerIdentity
from signing.pin_policy import PinFailures
from signing.policy import TIMESTAMPED_LEVELS
from signing.verify import verify_pdf

OnVerified = Callable[[Session, DigitizedFile], None]


@dataclass(frozen=True)
class TokenChoice:
    """Which token, key and PAdES options to sign with (everything but the PIN)."""

    module_path: str
    token_label: str | None = None
    serial: str | None = None
    key_id: str | None = None
    level: str = "B-B"
    tsa_url: str | None = None
    trust: tuple[Path, ...] = ()
    chain: tuple[Path, ...] = ()
    #: the organization's certificate a copy/seal signature must verify against
    organization_cert: Path | None = None
    identity: SignerIdentity | None = None
    seal_image: Path | None = None
    seal_mm: float | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> TokenChoice:
        """The workstation's signing settings (``extra["signing"]``), with ``overrides`` on top."""
        conf = dict(settings.extra.get("signing", {}))
        values: dict[str, Any] = {
            "module_path": settings.pkcs11_module, "token_label": conf.get("token_label"),
            "serial": conf.get("token_serial"), "key_id": conf.get("key_id"), "level": conf.get("level") or "B-B",
            "tsa_url": conf.get("tsa_url"), "trust": tuple(Path(t) for t in conf.get("trust", [])),
            "organization_cert": Path(conf["organization_cert"]) if conf.get("organization_cert") else None,
            "identity": SignerIdentity(organization=conf.get("organization", "")),
            "seal_image": Path(conf["seal_image"]) if conf.get("seal_image") else None,
            "seal_mm": conf.get("seal_mm"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def permission_for(profile: Profile) -> Permission:
    return Permission.SIGN_ORGANIZATION if profile.signer == "organization" else Permission.SIGN_PERSONAL


def may_sign_with(actor: Actor, profile: Profile) -> bool:
    """Whether ``actor``'s role may sign with ``profile`` (postal agents: not the organization's)."""
    return actor.can(permission_for(profile))


@dataclass
class FileOutcome:
    file_id: int
    status: str  # signed | failed | unsigned (signing.batch_signing)
    state: SignatureState  # the file's signature state afterwards
    error: str = ""
    problems: list[str] = field(default_factory=list)
    filename: str = ""


def _check_request(actor: Actor, token: TokenChoice, profile: str, data_dir: Path | None) -> Profile:
    """The checks made before the PIN is used: the role may sign with the profile, a
    time-stamped level has its server. Returns the profile."""
    prof = get_profile(profile, data_dir)
    require(actor, permission_for(prof))
    if token.level in TIMESTAMPED_LEVELS and not token.tsa_url:
        raise InvalidInput(msg("Mức {l} cần địa chỉ máy chủ dấu thời gian (TSA: --tsa hoặc cài đặt).",
                               "Level {l} needs a time-stamp server (TSA) address (--tsa or settings).", l=token.level))
    return prof


def _batch(jobs: list[SignJob], token: TokenChoice, pin: str, profile: str, data_dir: Path | None,
           failures: PinFailures | None, confirm_final_try: bool, cancel: CancelToken | None,
           progress: Progress | None) -> BatchResult:
    return sign_batch(jobs, module_path=token.module_path, token_label=token.token_label, serial=token.serial,
                      key_id=token.key_id, pin=pin, profile=profile, level=token.level, tsa_url=token.tsa_url,
                      identity=token.identity, trust_roots=list(token.trust) or None,
                      chain=list(token.chain) or None, data_dir=data_dir, failures=failures,
                      confirm_final_try=confirm_final_try, seal_image=token.seal_image, seal_mm=token.seal_mm,
                      cancel=cancel, progress=progress)


def _verify(path: Path, token: TokenChoice, prof: Profile) -> tuple[bool, list[str]]:
    """Whether the file's last signature verifies against the trust anchors (and, for the
    organization's profiles, is the organization's certificate), with the problems found."""
    expected = token.organization_cert if prof.signer == "organization" else None
    report = verify_pdf(path, list(token.trust), expected_cert=expected)
    last = report.signatures[-1] if report.signatures else None
    return report.ok, report.problems + (last.problems if last else [])


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sign_loose_files(db: Database, audit: AuditLog, actor: Actor, jobs: list[SignJob], token: TokenChoice,
                     pin: str, *, profile: str = "copy", data_dir: Path | None = None,
                     failures: PinFailures | None = None, confirm_final_try: bool = False,
                     cancel: CancelToken | None = None, progress: Progress | None = None) -> BatchResult:
    """Sign files that belong to no dossier into their outputs, verify each, audit each.

    Each signed result carries ``verified`` and ``problems``. The audit names the files by
    their SHA-256 (input and signed output), not by name: a file name often carries the
    citizen's name, and the audit chain is kept for ever."""
    prof = _check_request(actor, token, profile, data_dir)
    inputs = {i: _sha256(Path(j.input)) if Path(j.input).is_file() else "" for i, j in enumerate(jobs)}
    result = _batch(jobs, token, pin, profile, data_dir, failures, confirm_final_try, cancel, progress)
    del pin
    events: list[dict[str, Any]] = []
    for i, r in enumerate(result.results):
        if r.status == SIGNED:
            r.verified, r.problems = _verify(Path(r.output), token, prof)
            state = SignatureState.VERIFIED if r.verified else SignatureState.INVALID
            digest = _sha256(Path(r.output))
            events.append({"actor": actor.audit_name, "action": "file.sign_loose", "entity_type": "loose_file",
                           "entity_id": digest, "data": {"state": state.value, "input_sha256": inputs[i],
                                                         "profile": profile, "level": token.level,
                                                         "signer": result.signer_subject, "problems": r.problems}})
        elif r.status == FAILED:
            events.append({"actor": actor.audit_name, "action": "file.sign_loose_failed",
                           "entity_type": "loose_file", "entity_id": inputs[i],
                           "data": {"profile": profile, "error": r.error}})
    if events:
        with db.session() as s:
            audit.record_many(s, events)
    return result


def sign_files(db: Database, audit: AuditLog, actor: Actor, file_ids: list[int], token: TokenChoice, pin: str, *,
               profile: str = "copy", data_dir: Path | None = None, failures: PinFailures | None = None,
               confirm_final_try: bool = False, cancel: CancelToken | None = None,
               progress: Progress | None = None, on_verified: OnVerified | None = None,
               ) -> tuple[BatchResult, list[FileOutcome]]:
    """Sign, verify and record the files ``file_ids`` with one login.

    ``on_verified(session, file)`` runs in the transaction that records a verified
    signature (the outbox releases the file's upload there)."""
    prof = _check_request(actor, token, profile, data_dir)
    with db.session() as s:
        rows = {f.id: (Path(f.path), f.filename)
                for f in s.scalars(select(DigitizedFile).where(DigitizedFile.id.in_(file_ids)))}
    missing = [i for i in file_ids if i not in rows]
    if missing:
        raise NotFound(msg("Không có tệp số hóa id {i}.", "No digitized file with id {i}.",
                           i=", ".join(map(str, missing))))
    jobs = [SignJob(rows[i][0], rows[i][0], ref=i) for i in file_ids]
    result = _batch(jobs, token, pin, profile, data_dir, failures, confirm_final_try, cancel, progress)
    del pin
    outcomes: list[FileOutcome] = []
    for r in result.results:
        fid = int(r.ref)
        problems: list[str] = []
        state = SignatureState.UNSIGNED
        if r.status == SIGNED:
            ok, problems = _verify(Path(r.output), token, prof)
            r.verified, r.problems = ok, problems
            state = SignatureState.VERIFIED if ok else SignatureState.INVALID
        with db.session() as s:
            f = s.get(DigitizedFile, fid)
            if f is None:  # deleted while we signed; nothing to record against
                continue
            if r.status == SIGNED:
                data = Path(r.output).read_bytes()
                f.sha256, f.size = hashlib.sha256(data).hexdigest(), len(data)
                f.signature_state, f.signed_at = state, utcnow()
                audit.record(s, actor=actor.audit_name, action="file.sign", entity_type="file", entity_id=str(fid),
                             data={"state": state.value, "profile": profile, "level": token.level,
                                   "sha256": f.sha256, "signer": result.signer_subject, "problems": problems})
                if state == SignatureState.VERIFIED:
                    index_verified(s, f)  # the citizen's document store has it at once
                    if on_verified is not None:
                        on_verified(s, f)
            else:
                audit.record(s, actor=actor.audit_name, action="file.sign_failed", entity_type="file",
                             entity_id=str(fid), data={"status": r.status, "error": r.error,
                                                       "cancelled": result.cancelled,
                                                       "token_gone": result.token_gone})
            outcomes.append(FileOutcome(fid, r.status, SignatureState(f.signature_state), r.error, problems,
                                        rows[fid][1]))
    return result, outcomes


class FileSealer:
    """The organization's token as the lifecycle's :class:`~desktop.lifecycle.results.ResultSealer`:
    a result attached to the dossier is sealed through :func:`sign_files`, the one path that
    records a signature (and releases the upload once it verifies)."""

    def __init__(self, db: Database, audit: AuditLog, outbox: Any, token: TokenChoice, pin: str, *,
                 profile: str = "seal", data_dir: Path | None = None, failures: PinFailures | None = None,
                 confirm_final_try: bool = False) -> None:
        self.db, self.audit, self.outbox = db, audit, outbox
        self.token, self._pin, self.profile = token, pin, profile
        self.data_dir, self.failures, self.confirm_final_try = data_dir, failures, confirm_final_try

    def seal_file(self, actor: Actor, file_id: int, *, valid_until: date | None = None) -> SealCheck:
        def verified(s: Session, f: DigitizedFile) -> None:
            set_validity(s, f.id, valid_until)  # in the transaction that indexed it: never stored without it
            self.outbox.file_changed(s, f)

        result, outcomes = sign_files(self.db, self.audit, actor, [file_id], self.token, self._pin, profile=self.profile,
                                      data_dir=self.data_dir, failures=self.failures,
                                      confirm_final_try=self.confirm_final_try, on_verified=verified)
        o = outcomes[0] if outcomes else None
        if o is None or o.state != SignatureState.VERIFIED:
            problems = (o.problems or ([o.error] if o.error else [])) if o else []
            return SealCheck(False, result.signer_subject, problems or [result.error or msg(
                "chữ ký không hợp lệ hoặc không được tin cậy", "signature not valid or not trusted")])
        return SealCheck(True, result.signer_subject, [])
