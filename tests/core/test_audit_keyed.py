"""An audit log a database user cannot rewrite (issue 14, item 2).

Before: the chain was unkeyed SHA-256 with its head in the same database, so each tampering
below passed ``motcua audit verify`` with exit 0. Now every event and the head carry an HMAC
with the workstation's key (kept outside the database) and the head is anchored at the
dossier system through the outbox (and kept locally in the private directory).
Each tampering is done as a database user would: plain SQL on the file, hashes recomputed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from desktop.audit import GENESIS, _canonical
from desktop.audit_key import load_key
from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.storage import instance_id
from desktop.selftest import check_audit_key
from tests.cli import signed_in_env

ADMIN = Actor.cli()


def _events(ctx: AppContext, n: int) -> None:
    for i in range(n):
        ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=f"Nguyễn Văn {i}")


def _verify(data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(data), "--lang", "en", "audit",
                           "verify"], capture_output=True, text=True, timeout=120, env=signed_in_env())


def _rehash_from(conn: sqlite3.Connection, start: int, key: bytes | None = None) -> None:
    """What an attacker does after editing: recompute every later hash and move the head (no key);
    with ``key`` (an insider who has the workstation's key) every MAC too, so the chain verifies."""
    from datetime import datetime

    from desktop.audit import _head_mac, _mac

    prev = conn.execute("SELECT hash FROM audit_event WHERE seq = ?", (start - 1,)).fetchone()
    prev_hash = prev[0] if prev else GENESIS
    rows = conn.execute("SELECT seq, at, actor, action, entity_type, entity_id, data FROM audit_event "
                        "WHERE seq >= ? ORDER BY seq", (start,)).fetchall()
    for seq, at, actor, action, et, eid, data in rows:
        from datetime import UTC

        when = datetime.fromisoformat(at).replace(tzinfo=UTC)
        body = _canonical(seq, when, actor, action, et, eid, json.loads(data), prev_hash)
        h = hashlib.sha256(body).hexdigest()
        conn.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE seq = ?", (prev_hash, h, seq))
        if key is not None:
            conn.execute("UPDATE audit_event SET mac = ? WHERE seq = ?", (_mac(key, body), seq))
        prev_hash = h
    last = conn.execute("SELECT max(seq) FROM audit_event").fetchone()[0] or 0
    conn.execute("UPDATE audit_head SET seq = ?, hash = ?", (last, prev_hash))
    if key is not None:
        conn.execute("UPDATE audit_head SET mac = ?", (_head_mac(key, last, prev_hash),))


@pytest.fixture
def anchored(tmp_path: Path) -> tuple[Path, Path]:
    """A workstation with 6 events, the head anchored at the dossier system after the 5th."""
    data = tmp_path / "ws"
    ctx = AppContext(load_settings(data))
    _events(ctx, 4)
    seq = ctx.outbox.queue_anchor()
    ctx.outbox.drain(ADMIN)
    assert seq is not None and ctx.outbox.local_anchor().seq == seq
    _events(ctx, 2)
    ctx.outbox.drain(ADMIN)
    db = ctx.db.sqlite_path
    ctx.close()
    assert db is not None
    r = _verify(data)
    assert r.returncode == 0 and "anchor" in r.stdout, r.stdout + r.stderr
    return data, db


def test_forged_appended_event_with_recomputed_hash(anchored: tuple[Path, Path]) -> None:
    data, db = anchored
    with sqlite3.connect(db) as conn:
        seq, h = conn.execute("SELECT seq, hash FROM audit_head").fetchone()
        conn.execute("INSERT INTO audit_event (seq, at, actor, action, entity_type, entity_id, data, prev_hash, hash)"
                     " SELECT ?, at, 'eve', 'officer.create', 'officer', 'eve', '{\"role\": \"admin\"}', ?, '' "
                     "FROM audit_event WHERE seq = ?", (seq + 1, h, seq))
        _rehash_from(conn, seq + 1)
    r = _verify(data)
    assert r.returncode == 1 and f"#{seq + 1}" in r.stdout and "without the workstation key" in r.stdout, r.stdout


def test_rewritten_old_event_and_every_later_hash(anchored: tuple[Path, Path]) -> None:
    data, db = anchored
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_event SET actor = 'someone-else' WHERE seq = 2")
        _rehash_from(conn, 2)
    r = _verify(data)
    assert r.returncode == 1 and "#2: signature does not match" in r.stdout, r.stdout


def test_deleted_last_event_with_the_head_moved_back(anchored: tuple[Path, Path]) -> None:
    data, db = anchored
    with sqlite3.connect(db) as conn:
        last = conn.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
        conn.execute("DELETE FROM audit_event WHERE seq = ?", (last,))
        _rehash_from(conn, last)
    r = _verify(data)
    assert r.returncode == 1 and "chain head moved without the workstation key" in r.stdout, r.stdout


def test_deleted_events_before_the_anchor_are_caught_by_it(anchored: tuple[Path, Path]) -> None:
    data, db = anchored
    with sqlite3.connect(db) as conn:  # cut back to before the anchor, head copied from a real event
        anchor = json.loads(next((data / "private" / "anchors").glob("*.json")).read_text())["seq"]
        conn.execute("DELETE FROM audit_event WHERE seq >= ?", (anchor,))
        seq, h, mac = conn.execute("SELECT seq, hash, mac FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
        conn.execute("UPDATE audit_head SET seq = ?, hash = ?, mac = ?", (seq, h, mac))
    r = _verify(data)
    assert r.returncode == 1 and f"#{anchor}: events {anchor}..{anchor} deleted: the anchor" in r.stdout, r.stdout


def test_every_event_deleted(anchored: tuple[Path, Path]) -> None:
    data, db = anchored
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM audit_event")
        conn.execute("DELETE FROM audit_head")
    r = _verify(data)
    assert r.returncode == 1 and "deleted: the anchor" in r.stdout, r.stdout
    # the dossier system's own copy says the same when the local copy is gone too
    for f in (data / "private" / "anchors").glob("*.json"):
        f.unlink()
    r = _verify(data)
    assert r.returncode == 1 and "dossier system" in r.stdout, r.stdout


def test_the_anchor_reaches_the_bundled_http_server(tmp_path: Path) -> None:
    from tests.outbox.test_http import Server

    srv = Server(tmp_path / "server")
    try:
        ws = tmp_path / "ws"
        ws.mkdir()
        (ws / "settings.json").write_text(json.dumps({"dossier_url": srv.url, "extra": srv.extra()}), encoding="utf-8")
        ctx = AppContext(load_settings(ws))
        _events(ctx, 2)
        seq = ctx.outbox.queue_anchor()
        ctx.outbox.drain(ADMIN)
        remote = [a for a in ctx.outbox.anchors() if a.source in ("hệ thống hồ sơ", "dossier system")]
        assert seq is not None and remote and remote[0].seq == seq
        with ctx.db.session() as s:
            assert ctx.audit.verify(s, remote) == []
        ctx.close()
    finally:
        srv.stop()


def test_key_fallback_file_is_private_and_said_in_self_test(ctx: AppContext) -> None:
    _events(ctx, 1)
    key = load_key(ctx.settings, instance_id(ctx.settings, ctx.db), create=False)
    assert key is not None and not key.in_keyring
    assert stat.S_IMODE(Path(key.store).stat().st_mode) == 0o600
    assert key.key.hex() not in Path(ctx.db.sqlite_path or "").read_bytes().hex()
    c = check_audit_key(ctx.settings)
    assert not c.ok and "0600" in c.detail


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


def test_key_goes_to_the_os_keyring_when_there_is_one(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    before = keyring.get_keyring()
    keyring.set_keyring(ring)
    try:
        ctx = AppContext(load_settings(tmp_path))
        _events(ctx, 1)
        assert len(ring.items) == 1 and not (tmp_path / "private" / "keys").exists()
        assert check_audit_key(ctx.settings).ok
        with ctx.db.session() as s:
            assert ctx.audit.verify(s) == []
        ctx.close()
    finally:
        keyring.set_keyring(before)


class ForgetfulKeyring(MemoryKeyring):
    """A backend that takes a password without error and keeps nothing."""

    def set_password(self, service: str, username: str, password: str) -> None:
        pass


def test_a_keyring_that_keeps_nothing_falls_back_to_the_key_file(tmp_path: Path) -> None:
    """The audit key was taken as kept in the keyring when set_password did not fail: with a
    backend that keeps nothing, the next start had no key and could not verify the chain."""
    before = keyring.get_keyring()
    keyring.set_keyring(ForgetfulKeyring())
    try:
        settings = load_settings(tmp_path)
        first = load_key(settings, "i1")
        assert first is not None and not first.in_keyring and Path(first.store).is_file()
        again = load_key(settings, "i1", create=False)
        assert again is not None and again.key == first.key
    finally:
        keyring.set_keyring(before)
