"""A throw-away PostgreSQL server on loopback for tests and benchmarks.

Runs Debian's PostgreSQL binaries in a temporary cluster (as the ``postgres`` user when
we are root, since initdb refuses root). Not a mock: the real server, started in about
a second, stopped and deleted at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise RuntimeError(f"PostgreSQL's {name} not found: install the 'postgresql' package (scripts/bootstrap.sh does)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_ca_and_server_cert(base: Path) -> tuple[Path, Path, Path]:
    """A CA made for this server and a certificate for localhost/127.0.0.1 signed by it."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "motcua test centre CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_pem, crt, pem_key = base / "ca.pem", base / "server.crt", base / "server.key"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem_key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return ca_pem, crt, pem_key


class PostgresServer:
    """``ssl=True``: a server a centre would run — TLS with a certificate from a CA made here
    (:attr:`ca_file`), SCRAM passwords over TLS, every connection without TLS refused; the
    ``postgres`` superuser connects over TLS without a password (the tests' administrator)."""

    def __init__(self, *, ssl: bool = False) -> None:
        # /tmp, not the test's tmp_path under /root: the postgres user must read it.
        self.base = Path(tempfile.mkdtemp(prefix="motcua-pg-", dir="/tmp"))
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self.data = self.base / "data"
        self.ssl = ssl
        self.ca_file: Path | None = None

    def _run(self, *cmd: str) -> None:
        full = ["runuser", "-u", "postgres", "--", *cmd] if self._as_postgres else list(cmd)
        subprocess.run(full, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> PostgresServer:
        if self._as_postgres:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        if self.ssl:
            self._configure_ssl()
        self._pg_start()
        return self

    def _configure_ssl(self) -> None:
        tls = self.base / "tls"
        tls.mkdir()
        self.ca_file, crt, key = _make_ca_and_server_cert(tls)
        if self._as_postgres:
            for p in (tls, crt, key):
                shutil.chown(p, "postgres", "postgres")
        key.chmod(0o600)
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"ssl = on\nssl_cert_file = '{crt}'\nssl_key_file = '{key}'\n"
                       "password_encryption = 'scram-sha-256'\n")
        (self.data / "pg_hba.conf").write_text(
            "local     all  postgres                trust\n"
            "hostssl   all  postgres  127.0.0.1/32  trust\n"
            "hostssl   all  all       127.0.0.1/32  scram-sha-256\n"
            "hostnossl all  all       0.0.0.0/0     reject\n")

    def _pg_start(self) -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.base / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                  f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start")

    def restart(self, down_s: float = 0.0, mode: str = "fast") -> None:
        """Stop the server (``fast``: clients are disconnected; ``immediate``: as a crash), wait, start it again.

        Same port and data, so clients that reconnect find it where it was.
        """
        import time

        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
        time.sleep(down_s)
        self._pg_start()

    def stop(self) -> None:
        with contextlib.suppress(Exception):  # already stopped, or the binaries are gone
            self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its SQLAlchemy URL (over verified TLS with ``ssl=True``)."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host={self.base} port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        if self.ssl:
            return (f"postgresql+psycopg://postgres@localhost:{self.port}/{name}"
                    f"?sslmode=verify-full&sslrootcert={self.ca_file}")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
