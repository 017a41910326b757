"""A SoftHSM2 token for the signing-screen tests (separate from the signing core's fixtures).

The token is made by ``softhsm2-util`` in a temporary directory; its keys are generated
on the token and their certificates come from a throw-away CA made here, with the
validity each test asks for (e.g. one that expires in 12 days, for the status-bar
warning). SoftHSM2 reads ``SOFTHSM2_CONF`` when the module is initialized, once per
process: :meth:`UiToken.activate` points the process at this token and re-initializes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
           "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")


@dataclass(frozen=True)
class KeySpec:
    key_id: str
    common_name: str
    days_left: int = 365
    signing: bool = True


@dataclass
class UiToken:
    base: Path
    conf: Path
    module: str
    label: str
    pin: str
    ca_pem: Path
    keys: list[KeySpec] = field(default_factory=list)

    def activate(self) -> None:
        os.environ["SOFTHSM2_CONF"] = str(self.conf)
        from signing.tokens import load_module

        load_module(self.module).reinitialize()


def softhsm_module() -> str:
    for p in MODULES:
        if Path(p).exists():
            return p
    raise RuntimeError("softhsm2 is not installed (apt-get install softhsm2)")


def _name(cn: str, org: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def make_ui_token(base: Path, keys: list[KeySpec], *, label: str = "MOTCUA-UI-TEST", pin: str = "482910",
                  so_pin: str = "10293847", key_bits: int = 2048) -> UiToken:
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass

    base.mkdir(parents=True, exist_ok=True)
    tokens = base / "tokens"
    shutil.rmtree(tokens, ignore_errors=True)
    tokens.mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    util = shutil.which("softhsm2-util") or "/usr/bin/softhsm2-util"
    subprocess.run([util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin], check=True,
                   capture_output=True, env={**os.environ, "SOFTHSM2_CONF": str(conf)}, timeout=60)
    tok = UiToken(base, conf, softhsm_module(), label, pin, base / "ca.pem", list(keys))
    tok.activate()

    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("motcua UI test CA")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=400))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    tok.ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))

    from signing.tokens import load_module

    token = load_module(tok.module).get_token(token_label=label)
    with token.open(rw=True, user_pin=pin) as session:
        for spec in keys:
            kid = bytes.fromhex(spec.key_id)
            pub, _ = session.generate_keypair(KeyType.RSA, key_bits, id=kid, label=spec.common_name, store=True)
            numbers = rsa.RSAPublicNumbers(int.from_bytes(pub[Attribute.PUBLIC_EXPONENT], "big"),
                                           int.from_bytes(pub[Attribute.MODULUS], "big"))
            subject = _name(spec.common_name, "motcua UI test")
            # days_left counts whole days from now: end a few hours into the day after
            not_after = now + dt.timedelta(days=spec.days_left, hours=6)
            cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
                    .public_key(numbers.public_key()).serial_number(x509.random_serial_number())
                    .not_valid_before(min(now - dt.timedelta(days=1), not_after - dt.timedelta(days=2)))
                    .not_valid_after(not_after)
                    .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                    .add_extension(x509.KeyUsage(spec.signing, spec.signing, not spec.signing, False, False, False,
                                                 False, False, False), critical=True)
                    .sign(ca_key, hashes.SHA256()))
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.ID: kid,
                Attribute.LABEL: spec.common_name,
                Attribute.SUBJECT: subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            })
    return tok
