"""The demo token is a real SoftHSM2 token with an organization key and certificate.

Runs in a subprocess: SoftHSM2 reads SOFTHSM2_CONF once per process (at C_Initialize),
so a token directory of this test must not leak into the other signing tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

CHECK = r"""
import sys
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from pkcs11 import Attribute, Mechanism, ObjectClass

from signing.demo_token import ensure_demo_token

base = Path(sys.argv[1])
t = ensure_demo_token(base)
assert ensure_demo_token(base) == t, "not idempotent"
cert = x509.load_pem_x509_certificate(t.cert.read_bytes())
assert "Quy Nhơn" in cert.subject.rfc4514_string()
assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment
token = pkcs11.lib(t.module_path).get_token(token_label=t.label)
with token.open(user_pin=t.pin) as s:
    key = s.get_key(object_class=ObjectClass.PRIVATE_KEY, id=bytes.fromhex(t.key_id))
    sig = key.sign(b"ho so", mechanism=Mechanism.SHA256_RSA_PKCS)
    certs = list(s.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.ID: bytes.fromhex(t.key_id)}))
    assert len(certs) == 1
cert.public_key().verify(sig, b"ho so", padding.PKCS1v15(), hashes.SHA256())
print("ok")
"""


def test_demo_token_signs_with_its_certificate_key(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path / "tok")], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr[-3000:]
