"""Sign the digitized files of dossiers and record the outcome (state + audit) in the database.

The files are signed in place: the signed PDF is an incremental update of the digitized
one and replaces it atomically, so the row keeps pointing at the right file. Every file
signed is verified at once (trust anchors, organization certificate) and its state set
to ``verified`` or ``invalid`` in the same transaction as its audit record; only a
``verified`` file should be queued for upload. Files left unsigned (cancel, token pulled,
damaged input) keep their state and get an audit record saying why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.auth import Actor, Permission, require
from desktop.db.models import DigitizedFile
from desktop.kernel.errors import NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken, Progress
from desktop.kernel.timeutil import utcnow
from signing.appearance import get_profile
from signing.batch import SIGNED, BatchResult, SignJob, sign_batch
from signing.pades import SignerIdentity
from signing.pin_policy import PinFailures
from signing.verify import verify_pdf


@dataclass
class FileOutcome:
    file_id: int
    status: str  # signed | failed | unsigned (batch) ...
    state: str  # ... and the file's signature_state afterwards
    error: str = ""
    problems: list[str] = field(default_factory=list)


def sign_digitized_files(db: Any, audit: Any, actor: Actor, file_ids: list[int], *, module_path: str, pin: str,
                         token_label: str | None = None, serial: str | None = None, key_id: str | None = None,
                         profile: str = "copy", level: str = "B-B", tsa_url: str | None = None,
                         identity: SignerIdentity | None = None, trust: list[Path] | None = None,
                         organization_cert: Path | None = None, data_dir: Path | None = None,
                         failures: PinFailures | None = None, confirm_final_try: bool = False,
                         cancel: CancelToken | None = None, progress: Progress | None = None,
                         on_verified: Callable[[Any, DigitizedFile], None] | None = None,
                         ) -> tuple[BatchResult, list[FileOutcome]]:
    """Sign, verify and record the files ``file_ids`` with one login.

    ``on_verified(session, file)`` runs in the transaction that records a verified
    signature (the outbox uses it to send the signed version)."""
    prof = get_profile(profile, data_dir)
    require(actor, Permission.SIGN_ORGANIZATION if prof.signer == "organization" else Permission.SIGN_PERSONAL)
    with db.session() as s:
        rows = {f.id: Path(f.path) for f in s.scalars(select(DigitizedFile).where(DigitizedFile.id.in_(file_ids)))}
    missing = [i for i in file_ids if i not in rows]
    if missing:
        raise NotFound(msg("Không có tệp số hóa id {i}.", "No digitized file with id {i}.",
                           i=", ".join(map(str, missing))))
    jobs = [SignJob(rows[i], rows[i], ref=i) for i in file_ids]
    result = sign_batch(jobs, module_path=module_path, token_label=token_label, serial=serial, key_id=key_id,
                        pin=pin, profile=profile, level=level, tsa_url=tsa_url, identity=identity,
                        trust_roots=trust, data_dir=data_dir, failures=failures,
                        confirm_final_try=confirm_final_try, cancel=cancel, progress=progress)
    del pin
    outcomes: list[FileOutcome] = []
    for r in result.results:
        fid = int(r.ref)
        problems: list[str] = []
        state = ""
        if r.status == SIGNED:
            report = verify_pdf(Path(r.output), trust or [], expected_cert=organization_cert
                                if prof.signer == "organization" else None)
            last = report.signatures[-1] if report.signatures else None
            state = "verified" if report.ok else "invalid"
            problems = report.problems + (last.problems if last else [])
        with db.session() as s:
            f = s.get(DigitizedFile, fid)
            if f is None:  # deleted while we signed; nothing to record against
                continue
            if r.status == SIGNED:
                data = Path(r.output).read_bytes()
                f.sha256, f.size = hashlib.sha256(data).hexdigest(), len(data)
                f.signature_state, f.signed_at = state, utcnow()
                audit.record(s, actor=actor.audit_name, action="file.sign", entity_type="file", entity_id=str(fid),
                             data={"state": state, "profile": profile, "level": level, "sha256": f.sha256,
                                   "signer": result.signer_subject, "problems": problems})
                if state == "verified" and on_verified is not None:
                    on_verified(s, f)
            else:
                audit.record(s, actor=actor.audit_name, action="file.sign_failed", entity_type="file",
                             entity_id=str(fid), data={"status": r.status, "error": r.error,
                                                       "cancelled": result.cancelled,
                                                       "token_gone": result.token_gone})
            outcomes.append(FileOutcome(fid, r.status, f.signature_state, r.error, problems))
    return result, outcomes
