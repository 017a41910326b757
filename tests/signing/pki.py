"""A throw-away PKI for tests and the signing bench: a test CA, a TSA, OCSP and a CRL on loopback.

The CA is generated with ``cryptography`` (Vietnamese names survive, unlike OpenSSL's
``x509 -new``). One small HTTP server on 127.0.0.1 answers:

* ``POST /tsa``  — RFC 3161 time-stamps (pyHanko's DummyTimeStamper signs with the TSA key);
* ``POST /ocsp`` — OCSP for every certificate this CA issued (good unless revoked);
* ``GET /ca.crl`` — the CA's CRL; ``GET /ca.crt`` — the CA certificate (AIA caIssuers).

Certificates issued by :meth:`TestPKI.issue` point to these URLs, so pyHanko can embed
revocation data at B-LT and validators can check it.
"""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

KU_FIELDS = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")


def key_usage(*names: str) -> x509.KeyUsage:
    return x509.KeyUsage(**{f: f in names for f in KU_FIELDS})  # type: ignore[arg-type]


def vn_name(cn: str, org: str | None = None, province: str = "Gia Lai") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


class TestPKI:
    __test__ = False  # not a pytest test class

    def __init__(self, base: Path) -> None:
        self.base = base
        base.mkdir(parents=True, exist_ok=True)
        self.now = dt.datetime.now(dt.UTC)
        self.issued: dict[int, x509.Certificate] = {}
        self.revoked: dict[int, dt.datetime] = {}
        self.requests: dict[str, int] = {"tsa": 0, "ocsp": 0, "crl": 0}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="test-pki", daemon=True)
        self._thread.start()
        self.ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_name = vn_name("motcua Test Root CA (THỬ NGHIỆM)", "Ban Cơ yếu Chính phủ (THỬ NGHIỆM)", "Hà Nội")
        self.ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
                   .public_key(self.ca_key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(self.now - dt.timedelta(days=30)).not_valid_after(self.now + dt.timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(key_usage("key_cert_sign", "crl_sign", "digital_signature"), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.ca_key.public_key()), critical=False)
                   .sign(self.ca_key, hashes.SHA256()))
        self.ca_pem = base / "test-ca.pem"
        self.ca_pem.write_bytes(self.ca.public_bytes(serialization.Encoding.PEM))
        self.ca_der = base / "test-ca.der"
        self.ca_der.write_bytes(self.ca.public_bytes(serialization.Encoding.DER))
        self.tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.tsa = self.issue(self.tsa_key.public_key(), vn_name("motcua Test TSA (THỬ NGHIỆM)", "motcua"),
                              usage=("digital_signature",), eku=ExtendedKeyUsageOID.TIME_STAMPING)
        self._stamper: Any = None

    # ------------------------------------------------------------------ issuing
    def issue(self, public_key: Any, subject: x509.Name, *, days_before: float = 1, days_after: float = 365,
              usage: tuple[str, ...] = ("digital_signature", "content_commitment"), eku: Any = None,
              not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
              aia: bool = True, crl_dp: bool = True) -> x509.Certificate:
        nb = not_before or self.now - dt.timedelta(days=days_before)
        na = not_after or self.now + dt.timedelta(days=days_after)
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.ca.subject).public_key(public_key)
             .serial_number(x509.random_serial_number()).not_valid_before(nb).not_valid_after(na)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(key_usage(*usage), critical=True)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                            critical=False)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))
        if aia:
            b = b.add_extension(x509.AuthorityInformationAccess([
                 x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                        x509.UniformResourceIdentifier(f"{self.url}/ocsp")),
                 x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                        x509.UniformResourceIdentifier(f"{self.url}/ca.crt"))]), critical=False)
        if crl_dp:
            b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(f"{self.url}/ca.crl")], None, None, None)]), critical=False)
        if eku is not None:
            b = b.add_extension(x509.ExtendedKeyUsage([eku]), critical=True)
        cert = b.sign(self.ca_key, hashes.SHA256())
        self.issued[cert.serial_number] = cert
        return cert

    def revoke(self, cert: x509.Certificate) -> None:
        self.revoked[cert.serial_number] = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)

    # ------------------------------------------------------------------ answers
    def crl(self) -> bytes:
        now = dt.datetime.now(dt.UTC)
        b = (x509.CertificateRevocationListBuilder().issuer_name(self.ca.subject)
             .last_update(now - dt.timedelta(minutes=5)).next_update(now + dt.timedelta(days=1))
             .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                            critical=False))
        for serial, when in self.revoked.items():
            b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                          .revocation_date(when).build())
        return b.sign(self.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp(self, body: bytes) -> bytes:
        req = ocsp.load_der_ocsp_request(body)
        cert = self.issued.get(req.serial_number)
        if cert is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
                serialization.Encoding.DER)
        now = dt.datetime.now(dt.UTC)
        revoked = self.revoked.get(cert.serial_number)
        b = ocsp.OCSPResponseBuilder().add_response(
            cert=cert, issuer=self.ca, algorithm=req.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=now - dt.timedelta(minutes=1), next_update=now + dt.timedelta(hours=12),
            revocation_time=revoked, revocation_reason=None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, self.ca)
        for ext in req.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                b = b.add_extension(ext.value, critical=False)
        return b.sign(self.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def tsa_response(self, body: bytes) -> bytes:
        from asn1crypto import keys, tsp
        from asn1crypto import x509 as ax509
        from pyhanko.sign.timestamps import DummyTimeStamper

        if self._stamper is None:
            der = self.tsa_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption())
            self._stamper = DummyTimeStamper(
                ax509.Certificate.load(self.tsa.public_bytes(serialization.Encoding.DER)),
                keys.PrivateKeyInfo.load(der),
                certs_to_embed=[ax509.Certificate.load(self.ca.public_bytes(serialization.Encoding.DER))])
        return bytes(self._stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump())

    def serve_in_subprocess(self) -> None:
        """Move the server to a forked child on the same port, so a benchmark's TSA/OCSP
        work does not share this process's interpreter lock (as a real TSA would not)."""
        import multiprocessing

        self._server.shutdown()
        self._server.server_close()
        port = int(self.url.rsplit(":", 1)[1])
        ready = multiprocessing.get_context("fork").Event()
        self._child = multiprocessing.get_context("fork").Process(target=self._serve_child, args=(port, ready),
                                                                  daemon=True)
        self._child.start()
        if not ready.wait(10):
            raise RuntimeError("the test PKI child did not start")

    def _serve_child(self, port: int, ready: Any) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        ready.set()
        server.serve_forever()

    def close(self) -> None:
        child = getattr(self, "_child", None)
        if child is not None:
            child.terminate()
            child.join(5)
            return
        self._server.shutdown()
        self._server.server_close()


def _handler(pki: TestPKI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, body: bytes, ctype: str, code: int = 200) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.startswith("/ca.crl"):
                pki.requests["crl"] += 1
                self._send(pki.crl(), "application/pkix-crl")
            elif self.path.startswith("/ocsp/"):  # NSS asks by GET for small requests (RFC 6960 A.1)
                import base64
                from urllib.parse import unquote

                pki.requests["ocsp"] += 1
                self._send(pki.ocsp(base64.b64decode(unquote(self.path[len("/ocsp/"):]))), "application/ocsp-response")
            elif self.path.startswith("/ca.crt"):
                self._send(pki.ca.public_bytes(serialization.Encoding.DER), "application/pkix-cert")
            else:
                self._send(b"not found", "text/plain", 404)

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                if self.path.startswith("/tsa"):
                    pki.requests["tsa"] += 1
                    self._send(pki.tsa_response(body), "application/timestamp-reply")
                elif self.path.startswith("/ocsp"):
                    pki.requests["ocsp"] += 1
                    self._send(pki.ocsp(body), "application/ocsp-response")
                else:
                    self._send(b"not found", "text/plain", 404)
            except Exception as exc:  # noqa: BLE001 - a test server answers 500 and goes on
                self._send(str(exc).encode(), "text/plain", 500)

    return Handler
