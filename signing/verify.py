"""Verifying the signatures of a PDF: integrity, coverage, trust, time-stamp, revocation data.

For each signature: the bytes it covers are intact and the CMS signature is valid; the
signer's chain ends at one of the configured trust anchors; what was added after it is
only another signature, form filling or validation data (a change to the content is
"modified after signing"); the RFC 3161 time-stamp, when present, is valid and trusted;
revocation data embedded for B-LT (the DSS) proves the signer's certificate was good at
the signing time; the signer is the configured organization certificate when one is
given. The file is valid only when every signature is. The result is JSON-able.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from desktop.kernel.errors import InvalidInput, require_readable_file
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import iso_vn

ALLOWED_LATER_CHANGES = ("NONE", "LTA_UPDATES", "FORM_FILLING")


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
    level: str = "B-B"
    modification_level: str = ""
    timestamp_trusted: bool = False
    timestamp_time: str | None = None
    revocation_info: bool = False
    revocation_ok: bool | None = None
    signer_cert_sha256: str = ""
    expected_signer: bool | None = None
    problems: list[str] = dc_field(default_factory=list)
    #: what was added to the file after this signature, said in words (empty: nothing)
    later_changes: list[str] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.problems


@dataclass
class VerifyReport:
    file: str
    signatures: list[SignatureReport]
    problems: list[str] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and not self.problems and all(s.ok for s in self.signatures)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "valid": self.ok, "problems": self.problems,
                "signatures": [{**asdict(s), "ok": s.ok} for s in self.signatures]}


def _roots(trust: list[Path]) -> list[Any]:
    from signing.pades import load_certs

    return load_certs([Path(t) for t in trust])


def _dss(reader: Any) -> Any:
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError

    try:
        return DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None


def verify_pdf(path: Path, trust: list[Path], *, expected_signer: str | None = None,
               expected_cert: Path | None = None, allow_fetching: bool = False) -> VerifyReport:
    """Check every signature of ``path`` against the trust anchors ``trust`` (PEM/DER files).

    ``expected_signer``: the signer's whole common name or organization name (case, spacing and
    Unicode form aside) — not a part of it: "Sở" must not accept every department;
    ``expected_cert``: the organization's certificate file — the signer must be exactly it.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = _roots(trust)
    expected_fp = None
    if expected_cert is not None:
        expected_fp = hashlib.sha256(_roots([expected_cert])[0].dump()).hexdigest()
    path = Path(path)
    require_readable_file(path)
    report = VerifyReport(str(path), [])
    data = path.read_bytes()
    with open(path, "rb") as f:
        try:
            reader = PdfFileReader(f, strict=False)
            if reader.encrypted:
                raise InvalidInput(msg("{p} là PDF mã hóa; không kiểm tra được chữ ký.",
                                       "{p} is encrypted; its signatures cannot be checked.", p=path.name))
            sigs = list(reader.embedded_signatures)
        except InvalidInput:
            raise
        except Exception as exc:
            raise InvalidInput(msg("{p} không phải PDF đọc được.", "{p} is not a readable PDF ({e}).",
                                   p=path.name, e=str(exc)[:120])) from exc
        dss = _dss(reader)
        has_revinfo = dss is not None and bool(dss.ocsps or dss.crls)
        for sig in sigs:
            one = _check_one(sig, roots, dss, has_revinfo, expected_signer, expected_fp,
                             allow_fetching, ValidationContext, validate_pdf_signature)
            notes, problems = _later_changes(reader, sig, data)
            one.later_changes += notes
            one.problems += problems
            report.signatures.append(one)
    return report


def _later_changes(reader: Any, sig: Any, data: bytes) -> tuple[list[str], list[str]]:
    """What the file gained after this signature: (said in any case, what makes it not valid).

    pyHanko rates an incremental update of the document information or XMP metadata as
    "LTA updates", the same level as the validation data B-LT adds, and does not look at
    bytes after the last ``%%EOF``: both left a changed file "valid" with nothing said.
    """
    notes: list[str] = []
    problems: list[str] = []
    later = reader.xrefs.total_revisions - 1 - sig.signed_revision
    if later > 0:
        notes.append(msg("{n} lần cập nhật thêm vào tệp sau chữ ký này", "{n} update(s) appended after this signature",
                         n=later))
        old = reader.get_historical_resolver(sig.signed_revision)
        if _info(old.trailer_view) != _info(reader.trailer):
            problems.append(msg("thông tin mô tả tệp (tiêu đề, tác giả…) bị sửa sau khi ký",
                                "the document information (title, author, ...) was changed after signing"))
        if _metadata(old.root) != _metadata(reader.root):
            problems.append(msg("siêu dữ liệu XMP bị sửa sau khi ký", "the XMP metadata was changed after signing"))
        if "/DSS" in reader.root and ("/DSS" not in old.root or _resolved(reader.root["/DSS"]) != _resolved(old.root["/DSS"])):
            notes.append(msg("đã thêm dữ liệu xác thực (chứng thư, OCSP/CRL)",
                             "validation data (certificates, OCSP/CRL) was added"))
    end = data.rfind(b"%%EOF")
    extra = len(data[end + 5:].strip(b"\r\n\t \x00")) if end >= 0 else len(data)
    if extra:
        problems.append(msg("có {n} byte lạ nối sau dấu kết thúc tệp (%%EOF), không thuộc phiên bản nào",
                            "{n} stray byte(s) were appended after the end-of-file mark (%%EOF), outside any revision",
                            n=extra))
    return notes, problems


def _resolved(obj: Any) -> str:
    """A comparable rendering of a PDF object, references followed (bounded depth)."""
    from pyhanko.pdf_utils import generic

    def walk(o: Any, depth: int) -> Any:
        if isinstance(o, generic.IndirectObject):
            o = o.get_object()
        if depth > 6:
            return repr(o)[:200]
        if isinstance(o, generic.StreamObject):
            return ("stream", hashlib.sha256(o.data).hexdigest(), walk(dict(o), depth + 1))
        if isinstance(o, dict):
            return tuple(sorted((str(k), walk(v, depth + 1)) for k, v in o.items()))
        if isinstance(o, list):
            return tuple(walk(v, depth + 1) for v in o)
        return repr(o)

    return repr(walk(obj, 0))


def _info(trailer: Any) -> str:
    return _resolved(trailer["/Info"]) if "/Info" in trailer else ""


def _metadata(root: Any) -> str:
    return _resolved(root["/Metadata"]) if "/Metadata" in root else ""


def _check_one(sig: Any, roots: list[Any], dss: Any, has_revinfo: bool, expected_signer: str | None,
               expected_fp: str | None, allow_fetching: bool, vc_cls: Any, validate: Any) -> SignatureReport:
    problems: list[str] = []
    kwargs: dict[str, Any] = {"trust_roots": roots, "allow_fetching": allow_fetching}
    vc = dss.as_validation_context(kwargs) if dss is not None else vc_cls(**kwargs)
    try:
        st = validate(sig, signer_validation_context=vc, ts_validation_context=vc)
    except Exception as exc:  # a malformed signature dictionary or CMS blob
        return SignatureReport(str(sig.field_name), "", None, False, False, False, "UNKNOWN", True, False,
                               problems=[msg("chữ ký hỏng (từ điển chữ ký hoặc khối CMS không đọc được)",
                                             "damaged signature: {e}", e=str(exc)[:160])])
    cert = st.signing_cert
    subject = cert.subject.human_friendly if cert is not None else ""
    fp = hashlib.sha256(cert.dump()).hexdigest() if cert is not None else ""
    coverage = st.coverage.name if st.coverage else "UNKNOWN"
    level_obj = getattr(st.diff_result, "modification_level", None)
    modification = level_obj.name if level_obj is not None else ("SUSPICIOUS" if st.diff_result is not None else "")
    # a SuspiciousModification result has no level: the content was changed after signing
    modified = st.diff_result is not None and modification not in ALLOWED_LATER_CHANGES
    if coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION"):
        problems.append(msg("chữ ký không phủ toàn bộ tệp", "the signature does not cover the whole file"))
    if modified:
        problems.append(msg("tệp bị sửa sau khi ký", "the file was changed after signing"))
    if st.docmdp_ok is False:
        problems.append(msg("thay đổi sau khi ký vi phạm quyền chứng nhận (DocMDP)",
                            "changes after signing break the certification (DocMDP) rules"))
    if not st.intact:
        problems.append(msg("nội dung đã ký bị thay đổi", "the signed content was altered"))
    elif not st.valid:
        problems.append(msg("chữ ký số không hợp lệ", "the cryptographic signature is invalid"))
    if st.intact and st.valid and not st.trusted:
        problems.append(msg("chứng thư người ký không dẫn tới chứng thư gốc tin cậy",
                            "the signer's certificate does not chain to a trusted root"))
    ts = st.timestamp_validity
    ts_trusted = bool(ts is not None and ts.intact and ts.valid and ts.trusted)
    if ts is not None and not ts_trusted:
        problems.append(msg("dấu thời gian không hợp lệ hoặc không tin cậy", "the time-stamp is invalid or untrusted"))
    revocation_ok = None
    if has_revinfo and cert is not None and st.trusted:
        revocation_ok = _revocation_ok(sig, roots, dss, ts.timestamp if ts is not None else st.signer_reported_dt,
                                       vc_cls)
        if not revocation_ok:
            problems.append(msg("dữ liệu thu hồi (OCSP/CRL) kèm theo không chứng minh được chứng thư còn hiệu lực",
                                "the embedded revocation data (OCSP/CRL) does not show the certificate was good"))
    level = "B-LT" if ts is not None and has_revinfo else ("B-T" if ts is not None else "B-B")
    expected = None
    if expected_fp is not None:
        expected = fp == expected_fp
    if expected_signer:
        expected = (expected is not False) and _names_match(expected_signer, cert)
    if expected is False:
        problems.append(msg("người ký không phải chứng thư của cơ quan đã cấu hình",
                            "the signer is not the configured organization certificate"))
    return SignatureReport(
        str(sig.field_name), str(subject), iso_vn(st.signer_reported_dt) if st.signer_reported_dt else None,
        bool(st.intact), bool(st.valid), bool(st.trusted), coverage, modified, ts is not None, level, modification,
        ts_trusted, iso_vn(ts.timestamp) if ts is not None else None, has_revinfo, revocation_ok, fp, expected,
        problems)


def _norm(text: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _names_match(expected: str, cert: Any) -> bool:
    """The expected name equals the certificate's common name or organization, not a substring of it."""
    if cert is None:
        return False
    names = cert.subject.native
    values = [names.get(k) for k in ("common_name", "organization_name")]
    flat = [v for value in values for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    return any(_norm(v) == _norm(expected) for v in flat)


def _revocation_ok(sig: Any, roots: list[Any], dss: Any, when: Any, vc_cls: Any) -> bool:
    """Validate the signer's chain at the signing time using only the embedded OCSP/CRL."""
    from pyhanko.sign.validation import validate_pdf_signature

    if when is None:
        return False
    vc = dss.as_validation_context({"trust_roots": roots, "allow_fetching": False, "revocation_mode": "hard-fail",
                                    "moment": when, "retroactive_revinfo": True})
    try:
        st = validate_pdf_signature(sig, signer_validation_context=vc, skip_diff=True)
    except Exception:  # noqa: BLE001 - any failure here means the revocation proof is missing or bad
        return False
    return bool(st.trusted and st.revocation_details is None)
