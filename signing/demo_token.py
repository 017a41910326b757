"""A SoftHSM2 token for the demo and a fresh install: an "organization" key and certificate.

Real counters use the token issued by the Government Cipher Committee or a licensed CA;
this token lets the whole flow (sign, verify, upload) run on a machine with no hardware.
Its certificate chains to a demo CA created beside it, which is NOT trusted by anyone
else. The demo PIN is public by design (it protects nothing).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from desktop.kernel.errors import MotcuaError
from desktop.kernel.i18n import msg

DEMO_LABEL = "MOTCUA-DEMO"
DEMO_PIN = "123456"
DEMO_SO_PIN = "12345678"
DEMO_KEY_ID = "01"
MODULE_CANDIDATES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                     "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")


@dataclass(frozen=True)
class DemoToken:
    module_path: str
    label: str
    pin: str
    key_id: str
    ca_cert: Path
    cert: Path
    org_name: str


def softhsm_module() -> str:
    for p in MODULE_CANDIDATES:
        if Path(p).exists():
            return p
    raise MotcuaError(msg("Chưa cài SoftHSM2 cho token thử nghiệm.", "SoftHSM2 is not installed for the demo token."),
                      hint=msg("apt-get install softhsm2", "apt-get install softhsm2"))


def ensure_demo_token(base: Path, org_name: str = "UBND phường Quy Nhơn (THỬ NGHIỆM)") -> DemoToken:
    """Create (once) and return the demo token under ``base``; sets SOFTHSM2_CONF for this process."""
    base.mkdir(parents=True, exist_ok=True)
    conf = base / "softhsm2.conf"
    tokens = base / "tokens"
    if not conf.exists():
        tokens.mkdir(exist_ok=True)
        conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    module = softhsm_module()
    ca_pem, cert_pem = base / "demo-ca.pem", base / "org-cert.pem"
    if ca_pem.exists() and cert_pem.exists():
        return DemoToken(module, DEMO_LABEL, DEMO_PIN, DEMO_KEY_ID, ca_pem, cert_pem, org_name)
    # A half-made token (killed process) is rebuilt from scratch rather than repaired.
    shutil.rmtree(tokens, ignore_errors=True)
    tokens.mkdir()
    util = shutil.which("softhsm2-util") or "/usr/bin/softhsm2-util"
    subprocess.run([util, "--init-token", "--free", "--label", DEMO_LABEL, "--pin", DEMO_PIN, "--so-pin", DEMO_SO_PIN],
                   check=True, capture_output=True, env={**os.environ, "SOFTHSM2_CONF": str(conf)}, timeout=60)
    _issue(module, base, org_name, ca_pem, cert_pem)
    return DemoToken(module, DEMO_LABEL, DEMO_PIN, DEMO_KEY_ID, ca_pem, cert_pem, org_name)


def _issue(module: str, base: Path, org_name: str, ca_pem: Path, cert_pem: Path) -> None:
    import pkcs11
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pkcs11 import Attribute, KeyType, ObjectClass

    lib = pkcs11.lib(module)
    token = lib.get_token(token_label=DEMO_LABEL)
    key_id = bytes.fromhex(DEMO_KEY_ID)
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "motcua Demo CA (THỬ NGHIỆM)")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    with token.open(rw=True, user_pin=DEMO_PIN) as session:
        pub, _priv = session.generate_keypair(KeyType.RSA, 2048, id=key_id, label="org-sign", store=True)
        numbers = rsa.RSAPublicNumbers(int.from_bytes(pub[Attribute.PUBLIC_EXPONENT], "big"),
                                       int.from_bytes(pub[Attribute.MODULUS], "big"))
        subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                             x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Gia Lai"),
                             x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_name),
                             x509.NameAttribute(NameOID.COMMON_NAME, org_name)])
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
                .public_key(numbers.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3 * 365))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .sign(ca_key, hashes.SHA256()))
        der = cert.public_bytes(serialization.Encoding.DER)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.ID: key_id,
            Attribute.LABEL: "org-sign",
            Attribute.SUBJECT: subject.public_bytes(),
            Attribute.VALUE: der,
        })
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
