"""What a PKCS#11 module shows: slots, tokens with their PIN flags, certificates.

Certificates are public objects, so listing needs no PIN. Keys are chosen by CKA_ID.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from desktop.timeutil import utcnow
from signing.pades import _pkcs11_error, open_module
from signing.pin_policy import token_serial

#: vendor modules met on Vietnamese tokens, as suggestions for the settings screen
KNOWN_MODULES = {
    "windows": ["C:\\Windows\\System32\\eTPKCS11.dll", "C:\\Windows\\System32\\bit4xpki.dll",
                "C:\\Windows\\System32\\viettel-ca_v6.dll", "C:\\Windows\\System32\\vnptca_p11_v6.dll",
                "C:\\Windows\\System32\\BkavCA.dll"],
    "linux": ["/usr/lib/libeToken.so", "/usr/lib/libbit4xpki.so", "/usr/lib/softhsm/libsofthsm2.so"],
    "macos": ["/usr/local/lib/libeTPkcs11.dylib", "/Library/bit4id/pkcs11/libbit4xpki.dylib"],
}


@dataclass
class CertInfo:
    subject: str
    issuer: str
    not_before: str
    not_after: str
    key_usage: list[str]
    key_id: str
    days_to_expiry: int


@dataclass
class TokenInfo:
    slot_id: int
    label: str
    serial: str
    manufacturer: str
    model: str
    count_low: bool
    final_try: bool
    locked: bool
    certificates: list[CertInfo] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_tokens(module_path: str, now: datetime | None = None) -> list[TokenInfo]:
    import pkcs11.exceptions as p11e
    from cryptography import x509
    from pkcs11 import Attribute, ObjectClass, TokenFlag

    now = now or utcnow()
    out = []
    try:
        for slot in open_module(module_path).get_slots(token_present=True):
            try:
                t = slot.get_token()
            except (p11e.TokenNotRecognised, p11e.TokenNotPresent):
                continue
            if not t.flags & TokenFlag.TOKEN_INITIALIZED:
                continue  # an empty slot waiting for initialization (SoftHSM2 always has one)
            info = TokenInfo(slot.slot_id, t.label, token_serial(t), t.manufacturer_id, t.model,
                             bool(t.flags & TokenFlag.USER_PIN_COUNT_LOW), bool(t.flags & TokenFlag.USER_PIN_FINAL_TRY),
                             bool(t.flags & TokenFlag.USER_PIN_LOCKED))
            with t.open() as s:
                for obj in s.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                    cert = x509.load_der_x509_certificate(obj[Attribute.VALUE])
                    try:
                        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
                        usages = [n for n in ("digital_signature", "content_commitment", "key_encipherment")
                                  if getattr(ku, n)]
                    except x509.ExtensionNotFound:
                        usages = []
                    info.certificates.append(CertInfo(
                        cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(),
                        cert.not_valid_before_utc.isoformat(), cert.not_valid_after_utc.isoformat(), usages,
                        bytes(obj[Attribute.ID]).hex(), (cert.not_valid_after_utc - now).days))
            out.append(info)
    except p11e.PKCS11Error as exc:
        raise _pkcs11_error(exc) from exc
    return out
