"""Verifying the signatures of a PDF: integrity, coverage, trust, changes after signing."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from desktop.errors import InvalidInput
from desktop.i18n import msg


@dataclass
class SignatureReport:
    field: str
    signer: str
    signed_at: str | None
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modified_after: bool
    timestamped: bool
    problems: list[str] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.problems


@dataclass
class VerifyReport:
    file: str
    signatures: list[SignatureReport]

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "valid": self.ok, "signatures": [{**asdict(s), "ok": s.ok} for s in self.signatures]}


def verify_pdf(path: Path, trust: list[Path], *, expected_signer: str | None = None) -> VerifyReport:
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for t in trust:
        data = Path(t).read_bytes()
        if pem.detect(data):
            _, _, data = pem.unarmor(data)
        roots.append(x509.Certificate.load(data))
    vc = ValidationContext(trust_roots=roots, allow_fetching=False)
    if not Path(path).is_file():
        raise InvalidInput(msg("Không tìm thấy tệp {p}.", "File {p} not found.", p=path))
    with open(path, "rb") as f:
        try:
            reader = PdfFileReader(f, strict=False)
            sigs = list(reader.embedded_signatures)
        except Exception as exc:
            raise InvalidInput(msg("{p} không phải PDF đọc được ({e}).", "{p} is not a readable PDF ({e}).", p=path.name,
                                   e=exc)) from exc
        reports = []
        for sig in sigs:
            st = validate_pdf_signature(sig, vc)
            subject = st.signing_cert.subject.human_friendly if st.signing_cert else ""
            problems = []
            coverage = st.coverage.name if st.coverage else "UNKNOWN"
            level = getattr(st.diff_result, "modification_level", None)
            # a SuspiciousModification result has no level: it is a change after signing
            modified = st.diff_result is not None and (level is None or level.name not in
                                                        ("NONE", "LTA_UPDATES", "FORM_FILLING"))
            if expected_signer and expected_signer not in subject:
                problems.append(msg("người ký không phải {e}", "signer is not {e}", e=expected_signer))
            if modified:
                problems.append(msg("tệp bị sửa sau khi ký", "changed after signing"))
            reports.append(SignatureReport(str(sig.field_name), str(subject),
                                           st.signer_reported_dt.isoformat() if st.signer_reported_dt else None,
                                           bool(st.intact), bool(st.valid), bool(st.trusted), coverage, modified,
                                           st.timestamp_validity is not None, problems))
    return VerifyReport(str(path), reports)
