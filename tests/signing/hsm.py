"""A real SoftHSM2 token for tests and the bench, with keys made on the token and
certificates from :class:`tests.signing.pki.TestPKI` written next to them.

Key ids (CKA_ID) on the token:

* ``01`` organization (Vietnamese name), digitalSignature + nonRepudiation, valid
* ``02`` expired; ``03`` not yet valid; ``04`` keyEncipherment only (not for signing)
* ``05`` a person (the digitizing official), valid; ``06`` a person whose certificate a test revokes
* ``ca`` the test CA certificate (no key), as vendors put the chain on their tokens
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.signing.pki import TestPKI, vn_name

MODULE_CANDIDATES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                     "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")
ORG = "Ủy ban nhân dân phường Quy Nhơn Đông (THỬ NGHIỆM)"
PERSON = "Trần Thị Lan"


def softhsm_module() -> str:
    for p in MODULE_CANDIDATES:
        if Path(p).exists():
            return p
    raise RuntimeError("softhsm2 is not installed (apt-get install softhsm2)")


@dataclass
class HsmToken:
    base: Path
    conf: Path
    module: str
    label: str
    pin: str
    so_pin: str
    serial: str = ""
    certs: dict[str, x509.Certificate] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        return {**os.environ, "SOFTHSM2_CONF": str(self.conf)}

    def activate(self) -> None:
        """Point this process's SoftHSM2 at this token's directory (re-read on C_Initialize)."""
        os.environ["SOFTHSM2_CONF"] = str(self.conf)
        from signing.tokens import load_module

        lib = load_module(self.module)
        lib.reinitialize()


def make_token(base: Path, pki: TestPKI, *, label: str = "MOTCUA-TEST-ORG", pin: str = "246810",
               so_pin: str = "13579246", key_bits: int = 2048) -> HsmToken:
    base.mkdir(parents=True, exist_ok=True)
    tokens = base / "tokens"
    shutil.rmtree(tokens, ignore_errors=True)
    tokens.mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    module = softhsm_module()
    util = shutil.which("softhsm2-util") or "/usr/bin/softhsm2-util"
    subprocess.run([util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin], check=True,
                   capture_output=True, env={**os.environ, "SOFTHSM2_CONF": str(conf)}, timeout=60)
    tok = HsmToken(base, conf, module, label, pin, so_pin)
    tok.activate()

    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass

    from signing.tokens import load_module, token_serial

    token = load_module(module).get_token(token_label=label)
    tok.serial = token_serial(token)
    now = pki.now
    plan = {
        "01": dict(subject=vn_name(ORG, ORG)),
        "02": dict(subject=vn_name("UBND Quy Nhơn Đông (hết hạn)", ORG), not_before=now - dt.timedelta(days=400),
                   not_after=now - dt.timedelta(days=2)),
        "03": dict(subject=vn_name("UBND Quy Nhơn Đông (chưa hiệu lực)", ORG), not_before=now + dt.timedelta(days=5),
                   not_after=now + dt.timedelta(days=400)),
        "04": dict(subject=vn_name("UBND Quy Nhơn Đông (mã hóa)", ORG), usage=("key_encipherment",)),
        "05": dict(subject=vn_name(PERSON, ORG)),
        "06": dict(subject=vn_name("Nguyễn Văn Bình (sẽ thu hồi)", ORG)),
    }
    with token.open(rw=True, user_pin=pin) as session:
        for kid, spec in plan.items():
            pub, _priv = session.generate_keypair(KeyType.RSA, key_bits, id=bytes.fromhex(kid), label=f"key-{kid}",
                                                  store=True)
            numbers = rsa.RSAPublicNumbers(int.from_bytes(pub[Attribute.PUBLIC_EXPONENT], "big"),
                                           int.from_bytes(pub[Attribute.MODULUS], "big"))
            cert = pki.issue(numbers.public_key(), **spec)  # type: ignore[arg-type]
            _write_cert(session, cert, bytes.fromhex(kid), f"cert-{kid}")
            tok.certs[kid] = cert
        _write_cert(session, pki.ca, bytes.fromhex("ca"), "test-ca")
        assert pkcs11.ObjectClass.CERTIFICATE == ObjectClass.CERTIFICATE
    for kid, cert in tok.certs.items():
        (base / f"cert-{kid}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return tok


def _write_cert(session: object, cert: x509.Certificate, kid: bytes, label: str) -> None:
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    session.create_object({  # type: ignore[attr-defined]
        Attribute.CLASS: ObjectClass.CERTIFICATE,
        Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
        Attribute.TOKEN: True,
        Attribute.ID: kid,
        Attribute.LABEL: label,
        Attribute.SUBJECT: cert.subject.public_bytes(),
        Attribute.ISSUER: cert.issuer.public_bytes(),
        Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
    })
