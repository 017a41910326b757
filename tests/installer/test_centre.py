"""``motcua db init-centre`` against a PostgreSQL started with TLS and a CA made in the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from desktop.db import Database
from tests.cli import signed_in_env
from tests.pgserver import PostgresServer

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tls_server() -> Iterator[PostgresServer]:
    server = PostgresServer(ssl=True).start()
    yield server
    server.stop()


def _motcua(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # signed in as the seeded administrator: a data command opens the database only then
    return subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "data"), "--lang", "en", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env=signed_in_env({**os.environ, **(env or {})}))


def test_init_centre_roles_tls_and_audit_rights(tls_server: PostgresServer, tmp_path: Path) -> None:
    admin = tls_server.create_database()
    # an administrator URL that does not verify the server is refused before anything is done
    insecure = admin.split("?")[0] + "?sslmode=require"
    r = _motcua(tmp_path, "--db-url", insecure, "db", "init-centre", "--role", "ws_counter1")
    assert r.returncode == 2 and "verify-full" in r.stderr

    r = _motcua(tmp_path, "--db-url", admin, "db", "init-centre", "--role", "ws_counter1", "--role", "officers",
                "--json")
    assert r.returncode == 0, r.stderr
    roles = {x["name"]: x for x in json.loads(r.stdout)["roles"]}
    ws = roles["ws_counter1"]
    assert ws["created"] and len(ws["password"]) >= 20 and "verify-full" in ws["url"] and ws["password"] not in ws["url"]

    with psycopg.connect(f"host={tls_server.base} port={tls_server.port} user=postgres dbname=postgres") as conn:
        stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'ws_counter1'").fetchone()
    assert stored is not None and stored[0].startswith("SCRAM-SHA-256$")

    # the workstation connects with TLS (password from the environment, as from the keyring)
    env = {"MOTCUA_DB_PASSWORD": ws["password"]}
    r = _motcua(tmp_path, "--db-url", ws["url"], "self-test", "--json", env=env)
    db_check = json.loads(r.stdout)["checks"][0]
    assert db_check["ok"], db_check
    os.environ["MOTCUA_DB_PASSWORD"] = ws["password"]
    try:
        from desktop.config import load_settings

        url = load_settings(tmp_path / "data", db_url=ws["url"]).resolved_db_url()
    finally:
        del os.environ["MOTCUA_DB_PASSWORD"]
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar() is True
            assert conn.execute(text("SELECT current_user")).scalar() == "ws_counter1"
        # it may write the audit log through the application ...
        from desktop.audit import AuditLog

        with db.session() as s:
            AuditLog().record(s, actor="test", action="centre.check", entity_type="test", entity_id="1", data={})
        # ... but cannot delete or change an audit row, nor create tables
        for stmt in ("DELETE FROM audit_event", "UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_head",
                     "CREATE TABLE mine (x int)", "DROP TABLE dossier"):
            with pytest.raises(Exception) as err, db.engine.begin() as conn:
                conn.execute(text(stmt))
            assert "permission denied" in str(err.value) or "must be owner" in str(err.value), stmt
        with db.engine.begin() as conn:  # its own tables: normal rights
            conn.execute(text("UPDATE queue_service SET name = name"))
    finally:
        db.dispose()

    # without TLS the server refuses the connection, even with the right password
    plain = (f"host=127.0.0.1 port={tls_server.port} user=ws_counter1 password={ws['password']} "
             f"dbname={admin.split('/')[-1].split('?')[0]} sslmode=disable")
    with pytest.raises(psycopg.OperationalError, match="no encryption|rejects connection"):
        psycopg.connect(plain).close()

    # running again keeps the passwords (and re-grants); --rotate gives new ones
    r = _motcua(tmp_path, "--db-url", admin, "db", "init-centre", "--role", "ws_counter1", "--json")
    again = json.loads(r.stdout)["roles"][0]
    assert r.returncode == 0 and again["password"] == "" and not again["created"]


def test_a_database_newer_than_the_app_is_refused_and_an_older_postgres_waits_for_the_admin(
        tls_server: PostgresServer, tmp_path: Path) -> None:
    url = tls_server.create_database()
    r = _motcua(tmp_path, "--db-url", url, "db", "migrate")
    assert r.returncode == 0, r.stderr
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        r = _motcua(tmp_path, "--db-url", url, "queue", "status")
        assert r.returncode == 2 and "newer motcua" in r.stderr and "9999_from_the_future" in r.stderr
        r = _motcua(tmp_path, "--db-url", url, "db", "migrate")
        assert r.returncode == 2 and "newer motcua" in r.stderr
        # an older schema: the application does not upgrade a shared PostgreSQL by itself
        head = db.status().heads
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0003_appointments'"))
    finally:
        db.dispose()
    r = _motcua(tmp_path, "--db-url", url, "queue", "status")
    assert r.returncode == 2 and "db migrate" in r.stderr
    assert head
