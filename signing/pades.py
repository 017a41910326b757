"""PAdES signing with a PKCS#11 token: B-B, B-T (RFC 3161 time-stamp), B-LT (revocation data).

* SHA-256, ETSI.CAdES.detached (PAdES baseline), the appearance from a profile
  (:mod:`signing.appearance`).
* The certificate is checked before anything is signed: expired, not yet valid, or
  without the digitalSignature/nonRepudiation key usage → a clear refusal.
* The output is written to a temporary file beside it and renamed, so a failure
  (token pulled, TSA down, disk full) leaves no partial file. Signing an already signed
  PDF appends an incremental update: the bytes of the first signature stay as they were.
* :class:`PadesSigner` loads the key and certificate once and signs many files (one
  login per batch, see :mod:`signing.batch_signing`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.kernel.errors import InvalidInput, MotcuaError, require_readable_file
from desktop.kernel.files import replace_durably
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import iso_vn, utcnow
from signing.appearance import Profile, StampValues, get_profile, layout_stamp
from signing.pin_policy import PinFailures, login
from signing.tokens import TokenManager, find_pkcs11_error, pkcs11_error

LEVELS = ("B-B", "B-T", "B-LT")


@dataclass(frozen=True)
class SignerIdentity:
    """What the stamp shows besides the certificate: organization, person, position."""

    organization: str = ""
    signer: str = ""
    position: str = ""
    copy_form: str = ""


@dataclass
class SignResult:
    input: str
    output: str
    field_name: str
    level: str
    profile: str
    signer_subject: str
    signed_at: str
    sha256: str
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- checks

def check_pdf(path: Path) -> None:
    """Refuse a missing, encrypted or unreadable PDF with a message naming the file."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    require_readable_file(path)
    try:
        with open(path, "rb") as f:
            if not f.read(1024).lstrip().startswith(b"%PDF-"):
                raise ValueError("no %PDF header")
            f.seek(0)
            reader = PdfFileReader(f, strict=False)
            if reader.encrypted:
                raise InvalidInput(msg("{p} là PDF có mật khẩu/mã hóa; không ký được. Hãy dùng bản không mã hóa.",
                                       "{p} is password-protected (encrypted); it cannot be signed. Use an unencrypted copy.",
                                       p=path.name))
            _page_box(reader, 0)  # walks the trailer, catalogue and page tree
    except InvalidInput:
        raise
    except Exception as exc:  # any parser failure means the file is damaged for our purpose
        raise InvalidInput(msg("{p} không phải PDF hợp lệ (tệp hỏng hoặc không đầy đủ: {e}).",
                               "{p} is not a valid PDF (damaged or truncated: {e}).", p=path.name,
                               e=str(exc)[:120] or type(exc).__name__)) from exc


def check_certificate(cert: Any, when: datetime) -> None:
    """Refuse a certificate that is expired, not yet valid, or not meant for signing."""
    nb, na = cert.not_valid_before, cert.not_valid_after
    if when < nb:
        raise MotcuaError(msg("Chứng thư số chưa có hiệu lực (từ {d}).", "The certificate is not valid yet (from {d}).",
                              d=iso_vn(nb)))
    if when > na:
        raise MotcuaError(msg("Chứng thư số đã hết hạn ngày {d}; hãy gia hạn với đơn vị cấp.",
                              "The certificate expired on {d}; renew it with its issuer.", d=iso_vn(na)))
    ku = cert.key_usage_value
    if ku is not None and not ({"digital_signature", "non_repudiation"} & set(ku.native)):
        raise MotcuaError(msg("Chứng thư số không dùng để ký (thiếu key usage digitalSignature/nonRepudiation).",
                              "The certificate is not for signing (no digitalSignature/nonRepudiation key usage)."))


def _reserved_size(signed: bytes) -> int | None:
    """pyHanko's reservation for the last signature, read back from its /ByteRange.

    pyHanko counts it in hex digits (twice the CMS size) and already adds a 50 % margin.
    """
    import re

    ranges = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed[-200_000:])
    if not ranges:
        return None
    _, b, c, _ = (int(v) for v in ranges[-1])
    hole = c - b - 2  # the hex digits between "<" and ">"
    return hole + (hole % 2) if hole > 0 else None


def _page_count(reader: Any) -> int:
    return int(reader.root["/Pages"].get("/Count", 0))


def _page_box(reader: Any, index: int) -> tuple[float, float, float, float]:
    """The crop (else media) box of page ``index`` (negative counts from the end)."""
    count = _page_count(reader)
    if count <= 0:
        raise ValueError("no pages")
    index = index % count
    node = reader.root["/Pages"]
    inherited: dict[str, Any] = {}
    while True:
        for key in ("/MediaBox", "/CropBox"):
            if key in node:
                inherited[key] = node[key]
        if "/Kids" not in node:
            break
        for kid in node["/Kids"]:
            kid = kid.get_object()
            n = int(kid.get("/Count", 1)) if "/Kids" in kid else 1
            if index < n:
                node = kid
                break
            index -= n
        else:
            raise ValueError("page tree shorter than /Count")
    box = inherited.get("/CropBox") or inherited.get("/MediaBox")
    if box is None:
        raise ValueError("page without /MediaBox")
    x0, y0, x1, y1 = (float(v) for v in box)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


# --------------------------------------------------------------------------- signer

def load_certs(paths: list[Path]) -> list[Any]:
    """asn1crypto certificates from PEM/DER files (a PEM file may hold several)."""
    from asn1crypto import pem, x509

    out: list[Any] = []
    for p in paths:
        try:
            data = Path(p).read_bytes()
        except OSError as exc:
            raise InvalidInput(msg("Không đọc được chứng thư {p}.", "Cannot read certificate {p}.", p=p)) from exc
        try:
            if pem.detect(data):
                out.extend(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
            else:
                out.append(x509.Certificate.load(data))
        except Exception as exc:
            raise InvalidInput(msg("{p} không phải chứng thư X.509.", "{p} is not an X.509 certificate.", p=p)) from exc
    return out


class PadesSigner:
    """One key of an open, logged-in session, ready to sign many PDFs."""

    def __init__(self, session: Any, key_id: str, *, level: str = "B-B", tsa_url: str | None = None,
                 trust_roots: list[Path] | None = None, chain: list[Path] | None = None,
                 data_dir: Path | None = None, now: datetime | None = None) -> None:
        from asn1crypto import x509
        from pkcs11 import Attribute, ObjectClass
        from pyhanko.sign import timestamps
        from pyhanko.sign.pkcs11 import PKCS11Signer

        if level not in LEVELS:
            raise InvalidInput(msg("Mức chữ ký “{l}” không hỗ trợ ({all}).", "Unsupported signature level “{l}” ({all}).",
                                   l=level, all=", ".join(LEVELS)))
        if level in ("B-T", "B-LT") and not tsa_url:
            raise InvalidInput(msg("Mức {l} cần địa chỉ máy chủ cấp dấu thời gian (TSA).",
                                   "Level {l} needs a time-stamp server (TSA) URL.", l=level))
        self.level, self.tsa_url, self.data_dir = level, tsa_url, data_dir
        self.key_id = key_id.lower().replace(":", "").replace(" ", "")
        try:
            kid = bytes.fromhex(self.key_id)
        except ValueError as exc:
            raise InvalidInput(msg("CKA_ID “{k}” không phải số hex.", "CKA_ID “{k}” is not hex.", k=key_id)) from exc
        self.trust_roots = load_certs(trust_roots or [])
        ca_chain = load_certs(chain or [])
        try:
            # CA certificates stored on the token (many Vietnamese tokens carry their chain)
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                c = x509.Certificate.load(bytes(obj[Attribute.VALUE]))
                if c.ca and bytes(obj[Attribute.ID]) != kid:
                    ca_chain.append(c)
            self.signer = PKCS11Signer(session, key_id=kid, cert_id=kid, ca_chain=ca_chain or None)
            self.cert = self.signer.signing_cert  # loads the certificate and the key handle now
        except MotcuaError:
            raise
        except Exception as exc:
            if find_pkcs11_error(exc) is not None and "could not find" not in str(exc).lower():
                raise pkcs11_error(exc) from exc
            raise MotcuaError(msg("Không có khóa hoặc chứng thư với CKA_ID {k} trên token.",
                                  "No key or certificate with CKA_ID {k} on the token.", k=self.key_id)) from exc
        check_certificate(self.cert, now or utcnow())
        self.timestamper = timestamps.HTTPTimeStamper(tsa_url, timeout=20) if tsa_url and level != "B-B" else None
        self._vc: Any = None
        self._reserved: int | None = None

    @property
    def subject(self) -> str:
        return str(self.cert.subject.human_friendly)

    @property
    def organization(self) -> str:
        names = self.cert.subject.native
        return str(names.get("organization_name") or names.get("common_name") or "")

    @property
    def common_name(self) -> str:
        return str(self.cert.subject.native.get("common_name") or "")

    def _validation_context(self) -> Any:
        from pyhanko_certvalidator import ValidationContext

        if self._vc is None:
            # B-LT: fetch OCSP/CRL for the chain now and embed them (the DSS), so the file can
            # be validated later without the network.
            self._vc = ValidationContext(trust_roots=self.trust_roots or None, allow_fetching=True,
                                         revocation_mode="require")
        return self._vc

    def sign(self, input_pdf: Path, output_pdf: Path, *, profile: str | Profile = "copy",
             identity: SignerIdentity = SignerIdentity(), seal_image: Path | None = None,
             seal_mm: float | None = None) -> SignResult:
        """Sign ``input_pdf`` into ``output_pdf`` (may be the same path) atomically."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        started = time.perf_counter()
        prof = profile if isinstance(profile, Profile) else get_profile(profile, self.data_dir)
        input_pdf, output_pdf = Path(input_pdf), Path(output_pdf)
        check_pdf(input_pdf)
        now = utcnow()
        check_certificate(self.cert, now)
        if prof.signer == "organization":
            shown = identity.organization or self.organization
        else:
            shown = identity.signer or self.common_name
        values = StampValues(organization=identity.organization or self.organization,
                             signer=identity.signer or self.common_name, position=identity.position,
                             copy_form=identity.copy_form, time=now)
        field_name = f"{prof.name.capitalize()}Signature{now.strftime('%Y%m%d%H%M%S%f')}"
        lt = self.level == "B-LT"
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=(identity.copy_form or prof.copy_form or prof.label) or None, name=shown or None,
            embed_validation_info=lt, validation_context=self._validation_context() if lt else None,
            use_pades_lta=False)
        output_pdf.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{output_pdf.name}.", suffix=".part", dir=output_pdf.parent)
        try:
            with open(input_pdf, "rb") as inf, os.fdopen(fd, "wb") as out:
                writer = IncrementalPdfFileWriter(inf, strict=False)
                reader = writer.prev
                page_ix = (prof.page - 1) if prof.page > 0 else _page_count(reader) + prof.page
                style, box = layout_stamp(prof, values, _page_box(reader, page_ix), image=seal_image,
                                          image_mm=seal_mm)
                pdf_signer = signers.PdfSigner(meta, signer=self.signer, stamp_style=style,
                                               timestamper=self.timestamper,
                                               new_field_spec=fields.SigFieldSpec(field_name, on_page=page_ix,
                                                                                  box=box))  # type: ignore[arg-type]
                # pyHanko sizes the signature hole with a dry-run signature (a third of the
                # time of a small file); its size does not change within a batch, so the
                # first file's hole is reused for the rest.
                pdf_signer.sign_pdf(writer, output=out, bytes_reserved=self._reserved)
                out.flush()
                os.fsync(out.fileno())
            data = Path(tmp).read_bytes()
            replace_durably(tmp, output_pdf)
        except MotcuaError:
            raise
        except Exception as exc:
            if self._reserved is not None and find_pkcs11_error(exc) is None:
                self._reserved = None  # e.g. a longer time-stamp token: measure again, once
                return self.sign(input_pdf, output_pdf, profile=profile, identity=identity, seal_image=seal_image,
                                 seal_mm=seal_mm)
            raise self._signing_error(exc) from exc
        finally:
            Path(tmp).unlink(missing_ok=True)
        if self._reserved is None:
            self._reserved = _reserved_size(data)
        digest = hashlib.sha256(data).hexdigest()
        return SignResult(str(input_pdf), str(output_pdf), field_name, self.level, prof.name, self.subject,
                          iso_vn(now), digest, round(time.perf_counter() - started, 4))

    def _signing_error(self, exc: BaseException) -> MotcuaError:
        if find_pkcs11_error(exc) is not None:
            return pkcs11_error(exc)
        text = f"{type(exc).__name__}: {exc}"
        low = text.lower()
        if self.timestamper is not None and any(k in low for k in ("timestamp", "time stamp", "tsa", "connect",
                                                                    "timeout", "http")):
            return MotcuaError(msg("Không lấy được dấu thời gian từ {u}: {e}", "Could not get a time-stamp from {u}: {e}",
                                   u=self.tsa_url, e=text[:200]),
                               hint=msg("Kiểm tra mạng và địa chỉ TSA, hoặc ký ở mức B-B.",
                                        "Check the network and the TSA URL, or sign at level B-B."))
        if self.level == "B-LT" and any(k in low for k in ("revocation", "ocsp", "crl", "validat", "path")):
            return MotcuaError(msg("Không xác nhận được chứng thư (đã bị thu hồi, hoặc không lấy được OCSP/CRL): {e}",
                                   "The certificate could not be validated (revoked, or no OCSP/CRL answer): {e}",
                                   e=text[:200]),
                               hint=msg("Mức B-LT cần mạng tới máy chủ OCSP/CRL của CA và chứng thư gốc tin cậy.",
                                        "Level B-LT needs the CA's OCSP/CRL servers and a trusted root certificate."))
        if "certif" in low and ("no changes" in low or "docmdp" in low or "mdp" in low):
            return MotcuaError(msg("PDF đã được chứng nhận “không cho thay đổi”; không thêm chữ ký được.",
                                   "The PDF is certified with “no changes allowed”; no signature can be added."))
        return MotcuaError(msg("Không ký được tệp: {e}", "Could not sign the file: {e}", e=text[:240]))


# --------------------------------------------------------------------------- one-off helpers

@contextmanager
def token_session(module_path: str, token_label: str | None, pin: str, *, serial: str | None = None,
                  failures: PinFailures | None = None, confirm_final_try: bool = False) -> Iterator[Any]:
    """One login (PIN policy first); the session is closed on exit. The PIN is not kept."""
    import pkcs11.exceptions as p11e

    manager = TokenManager(module_path)
    try:
        token = manager.get_token(label=token_label, serial=serial)
    except p11e.PKCS11Error as exc:
        raise pkcs11_error(exc) from exc
    session = login(token, pin, failures, confirm_final_try=confirm_final_try)
    del pin
    try:
        yield session
    finally:
        with suppress(Exception):  # a pulled token cannot be logged out; the session is gone anyway
            session.close()


def sign_pdf(session: Any, input_pdf: Path, output_pdf: Path, *, key_id: str, profile: str = "copy",
             identity: SignerIdentity = SignerIdentity(), tsa_url: str | None = None, level: str | None = None,
             trust_roots: list[Path] | None = None) -> Path:
    """Sign one PDF with the key ``key_id`` (hex CKA_ID) of an open session."""
    lvl = level or ("B-T" if tsa_url else "B-B")
    PadesSigner(session, key_id, level=lvl, tsa_url=tsa_url, trust_roots=trust_roots).sign(
        Path(input_pdf), Path(output_pdf), profile=profile, identity=identity)
    return Path(output_pdf)
