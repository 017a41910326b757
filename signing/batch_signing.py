"""Batch signing: one PIN entry, many PDFs, progress and cancel, results per file.

The token is logged in once for the whole batch and the PIN is dropped right after the
login. Each file is signed atomically (:class:`signing.pades.PadesSigner`), so at any
stop — cancel, a damaged file, the token pulled out — the files already signed stay
signed and complete, and the rest are reported "unsigned" to be queued again.
A damaged input fails alone; a token that went away (DeviceRemoved, TokenNotPresent,
SessionClosed, ...) stops the batch, since every later file would fail the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop.kernel.errors import MotcuaError
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken, Progress, no_progress
from signing.pades import PadesSigner, SignerIdentity, SignResult
from signing.pin_policy import PinFailures, login
from signing.tokens import TokenManager, is_token_gone, pkcs11_error

SIGNED, FAILED, UNSIGNED = "signed", "failed", "unsigned"


@dataclass
class SignJob:
    input: Path
    output: Path
    #: optional per-file overrides and a caller's reference (e.g. a DigitizedFile id)
    profile: str | None = None
    identity: SignerIdentity | None = None
    ref: Any = None


@dataclass
class JobResult:
    input: str
    output: str
    status: str  # signed | failed | unsigned (not attempted, or stopped before it finished)
    error: str = ""
    result: SignResult | None = None
    ref: Any = None
    #: set by callers that verify what was signed (``desktop.workflow.signing``): None = not checked
    verified: bool | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class BatchResult:
    results: list[JobResult] = field(default_factory=list)
    cancelled: bool = False
    token_gone: bool = False
    error: str = ""
    signer_subject: str = ""

    @property
    def signed(self) -> list[JobResult]:
        return [r for r in self.results if r.status == SIGNED]

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status == FAILED]

    @property
    def unsigned(self) -> list[JobResult]:
        return [r for r in self.results if r.status == UNSIGNED]

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.status == SIGNED for r in self.results)

    @property
    def not_verified(self) -> list[JobResult]:
        """Files signed whose signature was checked and does not verify (untrusted, wrong signer, broken)."""
        return [r for r in self.results if r.status == SIGNED and r.verified is False]

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "cancelled": self.cancelled, "token_gone": self.token_gone, "error": self.error,
                "signer": self.signer_subject, "signed": len(self.signed), "failed": len(self.failed),
                "unsigned": len(self.unsigned), "not_verified": len(self.not_verified),
                "results": [{k: v for k, v in asdict(r).items() if k != "ref"} for r in self.results]}


def sign_batch(jobs: list[SignJob], *, module_path: str, token_label: str | None = None, serial: str | None = None,
               key_id: str | None = None, pin: str, profile: str = "copy", level: str = "B-B",
               tsa_url: str | None = None, identity: SignerIdentity | None = None,
               trust_roots: list[Path] | None = None, chain: list[Path] | None = None,
               data_dir: Path | None = None, failures: PinFailures | None = None, confirm_final_try: bool = False,
               seal_image: Path | None = None, seal_mm: float | None = None,
               cancel: CancelToken | None = None, progress: Progress | None = None,
               session_wrapper: Callable[[Any], Any] | None = None) -> BatchResult:
    """Sign every job with one login. Login problems (wrong PIN, locked token, no token,
    unusable certificate) raise :class:`MotcuaError` before any file is touched; problems
    with single files are reported in the result.

    ``session_wrapper`` exists for tests (e.g. :class:`tests.signing.doubles.PullAfter`).
    """
    import pkcs11.exceptions as p11e

    cancel = cancel or CancelToken()
    report = progress or no_progress
    total = len(jobs)
    batch = BatchResult()
    manager = TokenManager(module_path)
    try:
        token = manager.get_token(label=token_label, serial=serial)
        kid = manager.find_signing_key_id(token, key_id)
    except p11e.PKCS11Error as exc:
        raise pkcs11_error(exc) from exc
    report(0, total, msg("Đăng nhập token…", "Logging in to the token…"))
    session = login(token, pin, failures, confirm_final_try=confirm_final_try)
    del pin  # one login per batch; the PIN is not needed again
    try:
        used = session_wrapper(session) if session_wrapper else session
        signer = PadesSigner(used, kid, level=level, tsa_url=tsa_url, trust_roots=trust_roots, chain=chain,
                             data_dir=data_dir)
        batch.signer_subject = signer.subject
        stop = False
        for i, job in enumerate(jobs):
            entry = JobResult(str(job.input), str(job.output), UNSIGNED, ref=job.ref)
            batch.results.append(entry)
            if stop:
                continue
            if cancel.cancelled:
                batch.cancelled = True
                stop = True
                continue
            try:
                entry.result = signer.sign(Path(job.input), Path(job.output), profile=job.profile or profile,
                                           identity=job.identity or identity or SignerIdentity(), seal_image=seal_image, seal_mm=seal_mm)
                entry.status = SIGNED
            except Exception as exc:  # noqa: BLE001 - every failure is reported per file
                if is_token_gone(exc):
                    batch.token_gone = True
                    err = pkcs11_error(exc) if not isinstance(exc, MotcuaError) else exc
                    entry.error = batch.error = str(err)
                    stop = True
                elif isinstance(exc, MotcuaError):
                    entry.status, entry.error = FAILED, str(exc)
                else:
                    entry.status, entry.error = FAILED, msg("Lỗi không mong đợi: {e}", "Unexpected error: {e}",
                                                            e=f"{type(exc).__name__}: {exc}")
            if not stop:
                report(i + 1, total, msg("Đã xử lý {f}", "Done with {f}", f=Path(job.input).name))
        done = len(batch.signed) + len(batch.failed)
        report(done, total, msg("Đã ký {s}/{t} tệp", "Signed {s}/{t} file(s)", s=len(batch.signed), t=total))
        return batch
    finally:
        with suppress(Exception):  # a pulled token's session is already gone
            session.close()
