"""PAdES signing with a PKCS#11 token, appearance from ``resources/signing_profiles.json``.

The signature is SHA-256, PAdES baseline (B-B; B-T when a time-stamp server is given).
The output is written to a temporary file and renamed, so a failure leaves no partial
file; signing an already signed PDF appends an incremental update, never a rewrite.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.errors import InvalidInput, MotcuaError
from desktop.i18n import msg
from desktop.timeutil import iso_vn, utcnow
from signing.pin_policy import PinFailures, check_before_login, token_serial

PROFILES_FILE = Path(__file__).resolve().parent.parent / "resources" / "signing_profiles.json"
MM = 72 / 25.4


@dataclass(frozen=True)
class SignerIdentity:
    organization: str = ""
    signer: str = ""
    position: str = ""


def load_profiles() -> dict[str, dict[str, Any]]:
    return json.loads(PROFILES_FILE.read_text(encoding="utf-8"))["profiles"]  # type: ignore[no-any-return]


def _pkcs11_error(exc: Exception) -> MotcuaError:
    name = type(exc).__name__
    if name in ("PinIncorrect", "PinInvalid", "PinLenRange"):
        return MotcuaError(msg("Sai mã PIN của token.", "Wrong token PIN."),
                           hint=msg("Nhiều token bị khóa sau 3 lần sai; kiểm tra kỹ trước khi thử lại.",
                                    "Many tokens lock after 3 wrong PINs; check before trying again."))
    if name == "PinLocked":
        return MotcuaError(msg("Token đã bị khóa PIN; chỉ đơn vị cấp token mở khóa được.",
                               "The token's PIN is locked; only its issuer can unlock it."))
    if name in ("NoSuchToken", "TokenNotPresent", "DeviceRemoved", "TokenNotRecognised"):
        return MotcuaError(msg("Không thấy token: hãy cắm token và thử lại.", "No token found: plug it in and try again."))
    return MotcuaError(msg("Lỗi token PKCS#11: {e}", "PKCS#11 token error: {e}", e=f"{name} {exc}".strip()))


def open_module(module_path: str):  # type: ignore[no-untyped-def]
    import pkcs11

    if not module_path or not Path(module_path).exists():
        raise MotcuaError(msg("Không tìm thấy mô-đun PKCS#11 “{p}”.", "PKCS#11 module “{p}” not found.", p=module_path),
                          hint=msg("Cài trình điều khiển token và chỉ đường dẫn tới tệp .so/.dll của nó.",
                                   "Install the token driver and point to its .so/.dll file."))
    try:
        return pkcs11.lib(module_path)
    except Exception as exc:
        text = str(exc)
        wrong_arch = "wrong ELF class" in text or "ELFCLASS" in text
        raise MotcuaError(msg("Không nạp được mô-đun PKCS#11 {p}: {e}", "Cannot load PKCS#11 module {p}: {e}", p=module_path,
                              e=msg("sai kiến trúc (cần bản 64-bit)", "wrong architecture (a 64-bit build is needed)")
                              if wrong_arch else text)) from exc


@contextmanager
def token_session(module_path: str, token_label: str, pin: str, *, failures: PinFailures | None = None,
                  confirm_final_try: bool = False) -> Iterator[Any]:
    """One login for a batch; the PIN is used here and not kept. The token's PIN flags
    and the local failure count are checked first (see ``pin_policy``)."""
    import pkcs11.exceptions as p11e

    lib = open_module(module_path)
    try:
        token = lib.get_token(token_label=token_label)
    except p11e.PKCS11Error as exc:
        raise _pkcs11_error(exc) from exc
    check_before_login(token, failures, confirm_final_try=confirm_final_try)
    serial = token_serial(token)
    try:
        session = token.open(user_pin=pin)
    except (p11e.PinIncorrect, p11e.PinInvalid) as exc:
        if failures is not None:
            failures.failed(serial)
        raise _pkcs11_error(exc) from exc
    except p11e.PKCS11Error as exc:
        raise _pkcs11_error(exc) from exc
    if failures is not None:
        failures.succeeded(serial)
    try:
        yield session
    finally:
        with suppress(Exception):  # a pulled token cannot be logged out; the session is gone anyway
            session.close()


def _check_pdf(path: Path) -> None:
    import pikepdf

    if not path.is_file():
        raise InvalidInput(msg("Không tìm thấy tệp {p}.", "File {p} not found.", p=path))
    try:
        with pikepdf.open(path):
            pass
    except pikepdf.PasswordError:
        raise InvalidInput(msg("{p} là PDF có mật khẩu; không ký được.", "{p} is password-protected; it cannot be signed.",
                               p=path.name)) from None
    except pikepdf.PdfError as exc:
        raise InvalidInput(msg("{p} không phải PDF hợp lệ ({e}).", "{p} is not a valid PDF ({e}).", p=path.name,
                               e=exc)) from exc


def _check_certificate(cert: Any, when: datetime) -> None:
    """Refuse a certificate that is expired, not yet valid, or not meant for signing."""
    nb, na = cert.not_valid_before, cert.not_valid_after
    if when < nb:
        raise MotcuaError(msg("Chứng thư số chưa có hiệu lực (từ {d}).", "The certificate is not valid yet (from {d}).",
                              d=iso_vn(nb)))
    if when > na:
        raise MotcuaError(msg("Chứng thư số đã hết hạn ngày {d}.", "The certificate expired on {d}.", d=iso_vn(na)))
    ku = cert.key_usage_value
    if ku is not None and not ({"digital_signature", "non_repudiation"} & set(ku.native)):
        raise MotcuaError(msg("Chứng thư số không dùng để ký (thiếu key usage chữ ký số).",
                              "The certificate is not for signing (no digital-signature key usage)."))


def sign_pdf(session: Any, input_pdf: Path, output_pdf: Path, *, key_id: str, profile: str = "copy",
             identity: SignerIdentity = SignerIdentity(), tsa_url: str | None = None) -> Path:
    """Sign ``input_pdf`` into ``output_pdf`` with the key ``key_id`` (hex CKA_ID) of an open session."""
    import pkcs11.exceptions as p11e
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.pkcs11 import PKCS11Signer
    from pyhanko.stamp import TextStampStyle

    from signing.fonts import stamp_font

    profiles = load_profiles()
    if profile not in profiles:
        raise InvalidInput(msg("Không có kiểu chữ ký “{p}” ({all}).", "No signature profile “{p}” ({all}).", p=profile,
                               all=", ".join(profiles)))
    spec = profiles[profile]
    _check_pdf(input_pdf)
    now = utcnow()
    try:
        signer = PKCS11Signer(session, key_id=bytes.fromhex(key_id), cert_id=bytes.fromhex(key_id))
        cert = signer.signing_cert
    except p11e.PKCS11Error as exc:
        raise _pkcs11_error(exc) from exc
    except Exception as exc:  # pyHanko says "could not find" for a missing key or certificate
        raise MotcuaError(msg("Không có khóa/chứng thư với CKA_ID {k} trên token.", "No key/certificate with CKA_ID {k} on the token.",
                              k=key_id)) from exc
    _check_certificate(cert, now)
    organization = identity.organization or cert.subject.native.get("organization_name", "")
    values = {"copy_form": spec.get("copy_form", ""), "organization": organization, "signer": identity.signer,
              "position": identity.position, "time": iso_vn(now)}
    text = "\n".join(line.format(**values) for line in spec["lines"] if line.format(**values).strip())
    size = spec["font_size"]
    style = TextStampStyle(
        stamp_text=text.replace("%", "%%"), border_width=0,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(stamp_font()), font_size=size), font_size=size))
    with open(input_pdf, "rb") as f:
        page = PdfFileReader(f).root["/Pages"]
        box = [float(v) for v in _first_page_box(page)]
    pw, ph = box[2] - box[0], box[3] - box[1]
    w, h, m = spec["width_mm"] * MM, spec["height_mm"] * MM, spec["margin_mm"] * MM
    x = box[0] + (pw - w - m if spec["corner"].endswith("right") else m)
    y = box[1] + ph - h - m
    field_name = f"{profile.capitalize()}Signature{now.strftime('%Y%m%d%H%M%S%f')}"
    meta = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, reason=values["copy_form"] or None,
                                        name=organization or None)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style,
                                   timestamper=timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None,
                                   new_field_spec=fields.SigFieldSpec(field_name, on_page=0, box=(x, y, x + w, y + h)))
    output_pdf.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".sign-", suffix=".pdf", dir=output_pdf.parent)
    try:
        with open(input_pdf, "rb") as inf, os.fdopen(fd, "wb") as out:
            pdf_signer.sign_pdf(IncrementalPdfFileWriter(inf, strict=False), output=out)
        os.replace(tmp, output_pdf)
    except p11e.PKCS11Error as exc:
        raise _pkcs11_error(exc) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    return output_pdf


def _first_page_box(pages: Any) -> list[Any]:
    node = pages
    while "/Kids" in node:
        node = node["/Kids"][0].get_object()
    box = node.get("/MediaBox") or node.get("/CropBox")
    parent = node
    while box is None and "/Parent" in parent:
        parent = parent["/Parent"].get_object()
        box = parent.get("/MediaBox")
    return list(box)  # type: ignore[arg-type]
