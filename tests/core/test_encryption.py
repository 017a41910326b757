"""Encryption at rest of the embedded database (issue 14, item "personal data"): real SQLCipher.

The workstation's settings file turns ``storage.encrypt_db`` on (and, this machine having no
keyring backend, allows the 0600 key file), so the in-process context and every ``motcua``
subprocess use the same encrypted database. A few existing core tests (reception, attaching,
the outbox) are collected here again and run against it: ``settings`` below overrides the
shared fixture, and an autouse check fails any of them that ran on a plain file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.auth import Actor
from desktop.config import Settings, load_settings
from desktop.context import AppContext
from desktop.db import cipher
from desktop.db.cipher import DatabaseKeyError, read_header_encrypted
from desktop.db.models import Dossier
from desktop.db.storage import backup, backups, check, open_database, restore
from desktop.selftest import check_database, check_encryption
from tests.cli import motcua

# existing tests, run again here on an encrypted database (the fixtures below)
from tests.core.test_storage import test_backups_are_kept_the_configured_number_of_days  # noqa: F401
from tests.outbox.test_outbox import (  # noqa: F401
    test_deleted_file_is_parked_with_its_reason_and_retry_works,
    test_order_dossier_files_status,
    test_transient_failure_backs_off_and_recovers,
)

# a database is encrypted when it is made: these start without the seeded copy (tests/conftest.py)
pytestmark = pytest.mark.fresh_data_dir

ADMIN = Actor.cli()
NAME = "Nguyễn Thị Hoà Bình"
CCCD = "001199012345"
ADDRESS = "12 Phố Hàng Bạc, Hoàn Kiếm"


def _encrypted_config(data_dir: Path, *, encrypt: bool = True, key_file: bool = True) -> None:
    (data_dir / "motcua.toml").write_text(
        f"schema = 2\n[storage]\nencrypt_db = {str(encrypt).lower()}\ndb_key_file = {str(key_file).lower()}\n",
        encoding="utf-8")


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    _encrypted_config(data_dir)
    return load_settings(data_dir)


@pytest.fixture(autouse=True)
def _was_encrypted(request: pytest.FixtureRequest, settings: Settings) -> Iterator[None]:
    yield
    db = settings.private_dir / "motcua.db"
    if request.function.__module__ != __name__ and db.exists():  # the tests collected from elsewhere  # read after the test's context closed: no connection of ours is left on it
        assert read_header_encrypted(db) is True, "the test ran on a plain database"


def _receive(ctx: AppContext, tmp_path: Path) -> str:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=NAME, applicant_id_number=CCCD,
                             applicant_address=ADDRESS, applicant_phone="0912345678")
    pdf = tmp_path / "tk.pdf"
    pdf.write_bytes(b"%PDF-1.4 " + b"x" * 200)
    ctx.dossiers.attach_file(ADMIN, d.code, pdf, component="TK", ocr_text=f"Họ và tên: {NAME} CCCD {CCCD}")
    return d.code


def _personal_bytes() -> list[bytes]:
    return [NAME.encode(), CCCD.encode(), ADDRESS.encode(), NAME.encode("utf-16-le")]


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain-control", "encrypted"])
def test_the_file_holds_no_name_or_cccd_in_its_bytes(data_dir: Path, tmp_path: Path, encrypted: bool) -> None:
    _encrypted_config(data_dir, encrypt=encrypted)
    ctx = AppContext(load_settings(data_dir))
    try:
        code = _receive(ctx, tmp_path)
        backup(ctx.settings, ctx.db, "test")
        wal = Path(f"{ctx.db.sqlite_path}-wal")
        wal_bytes = wal.read_bytes() if wal.exists() else b""  # the WAL holds the newest pages
        assert ctx.dossiers.get(code).applicant_name == NAME  # the application reads it back
    finally:
        ctx.close()
    path = data_dir / "private" / "motcua.db"
    raw = [path.read_bytes(), wal_bytes] + [b.read_bytes() for b in backups(ctx.settings)]
    found = [s for s in _personal_bytes() for blob in raw if s in blob]
    if encrypted:
        assert found == [] and read_header_encrypted(path) is True
    else:  # the control: the same grep finds them in a plain file, so the check can fail
        assert NAME.encode() in found and CCCD.encode() in found


def test_the_application_works_end_to_end_and_the_cli_reads_it(ctx: AppContext, data_dir: Path, tmp_path: Path) -> None:
    code = _receive(ctx, tmp_path)
    assert ctx.db.key is not None
    assert [f.component_code for f in ctx.dossiers.files(code)] == ["TK"]
    assert ctx.outbox.jobs(), "the upload is queued with the dossier"
    assert [f.component_code for f, _ in ctx.dossiers.search_text("hoa binh")] == ["TK"]  # OCR text search
    ctx.close()
    r = motcua(data_dir, "dossier", "show", code, "--json")
    assert r.returncode == 0 and CCCD in r.stdout, r.stderr
    r = motcua(data_dir, "audit", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    r = motcua(data_dir, "self-test", "--json", env={**os.environ, "MOTCUA_LANG": "en"})
    assert "SQLCipher" in r.stdout, r.stdout


def test_a_missing_key_is_said_plainly_and_the_file_is_untouched(ctx: AppContext, data_dir: Path,
                                                               tmp_path: Path) -> None:
    code = _receive(ctx, tmp_path)
    path = ctx.db.sqlite_path
    assert path is not None
    ctx.close()
    before = path.read_bytes()
    key_file = cipher.key_file(ctx.settings, path)
    hidden = key_file.with_name("elsewhere")
    key_file.rename(hidden)
    r = motcua(data_dir, "dossier", "show", code, env={**os.environ, "MOTCUA_LANG": "en"})
    assert r.returncode == 4, r.stdout + r.stderr
    assert "is encrypted but its key is not on this machine" in r.stderr and "Traceback" not in r.stderr
    assert "file is not a database" not in r.stderr
    r = motcua(data_dir, "dossier", "show", code)  # Vietnamese by default
    assert "đã được mã hóa nhưng không tìm thấy khóa" in r.stderr, r.stderr
    assert path.read_bytes() == before and not key_file.exists()  # no new key, no new database over it
    hidden.rename(key_file)
    r = motcua(data_dir, "dossier", "show", code)
    assert r.returncode == 0, r.stderr


def test_a_wrong_key_is_said_plainly_and_the_file_is_untouched(ctx: AppContext, data_dir: Path,
                                                             tmp_path: Path) -> None:
    _receive(ctx, tmp_path)
    path = ctx.db.sqlite_path
    assert path is not None
    ctx.close()
    before = path.read_bytes()
    env = {**os.environ, "MOTCUA_LANG": "en", cipher.KEY_ENV: "ab" * 32}
    r = motcua(data_dir, "dossier", "list", env=env)
    assert r.returncode == 4, r.stdout + r.stderr
    assert "cannot be opened with this machine's key" in r.stderr and "Traceback" not in r.stderr
    assert "hmac" not in r.stderr.lower()  # SQLCipher's own log stays off the terminal
    r = motcua(data_dir, "self-test", env=env)
    assert "cannot be opened with this machine's key" in r.stdout, r.stdout
    assert path.read_bytes() == before


def test_no_keyring_and_no_key_file_allowed_encrypts_nothing(data_dir: Path) -> None:
    _encrypted_config(data_dir, key_file=False)
    settings = load_settings(data_dir)
    with pytest.raises(DatabaseKeyError) as err:
        open_database(settings)
    assert "storage.db_key_file" in str(err.value)
    assert not settings.key_dir.exists() or not list(settings.key_dir.glob("database-key-*"))
    c = check_database(settings)
    assert not c.ok


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """A keyring backend that keeps secrets in this process (a real backend of the keyring API)."""
    import keyring
    from keyring.backend import KeyringBackend

    store: dict[tuple[str, str], str] = {}

    class Backend(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Backend())
    yield store
    keyring.set_keyring(previous)


def test_the_key_goes_to_the_keyring_when_there_is_one(data_dir: Path, memory_keyring: dict) -> None:  # type: ignore[type-arg]
    _encrypted_config(data_dir, key_file=False)
    settings = load_settings(data_dir)
    db = open_database(settings)
    try:
        assert db.key is not None
        assert memory_keyring[("motcua", cipher.key_name(settings.private_dir / "motcua.db"))] == db.key.hex()
        assert not settings.key_dir.exists() or not list(settings.key_dir.glob("database-key-*"))
        c = check_encryption(settings)
        assert c is not None and c.ok and "kho khóa" in c.detail, c
    finally:
        db.dispose()


def _plain_workstation(data_dir: Path, n: int) -> list[tuple[str, str]]:
    _encrypted_config(data_dir, encrypt=False)
    ctx = AppContext(load_settings(data_dir))
    try:
        for i in range(n):
            ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=f"{NAME} {i}",
                                 applicant_id_number=f"0011990{i:05d}")
        backup(ctx.settings, ctx.db, "plain")
    finally:
        ctx.close()
    return _rows(data_dir / "private" / "motcua.db", None)


def _rows(path: Path, key: bytes | None) -> list[tuple[str, str]]:
    conn = cipher.connect(path, key)
    try:
        return sorted(conn.execute("SELECT code, applicant_name FROM dossier").fetchall())
    finally:
        conn.close()


def _counts(path: Path, key: bytes | None) -> dict[str, int]:
    conn = cipher.connect(path, key)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def test_db_encrypt_keeps_every_row_and_leaves_nothing_plain(data_dir: Path) -> None:
    rows = _plain_workstation(data_dir, 30)
    path = data_dir / "private" / "motcua.db"
    counts = _counts(path, None)
    assert read_header_encrypted(path) is False
    r = motcua(data_dir, "db", "encrypt", env={**os.environ, "MOTCUA_LANG": "en"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Encrypted" in r.stdout
    assert read_header_encrypted(path) is True
    key = bytes.fromhex(motcua(data_dir, "db", "key").stdout.strip())
    assert _rows(path, key) == rows
    after = _counts(path, key)
    assert after.pop("audit_event") > counts.pop("audit_event")  # db.encrypt and the sign-ins are audited
    after.pop("audit_head", None), counts.pop("audit_head", None)
    assert {k: v for k, v in after.items() if k != "officer_session"} == \
        {k: v for k, v in counts.items() if k != "officer_session"}
    # nothing plain is left: no old file beside it, and the plain backup was replaced by an encrypted one
    assert sorted(p.name for p in path.parent.iterdir() if p.is_file()) == ["motcua.db"]
    assert backups(load_settings(data_dir)) and all(read_header_encrypted(b) for b in backups(load_settings(data_dir)))
    assert "encrypt_db = true" in (data_dir / "motcua.toml").read_text(encoding="utf-8")
    r = motcua(data_dir, "audit", "list")
    assert "db.encrypt" in r.stdout, r.stdout + r.stderr
    r = motcua(data_dir, "dossier", "list")
    assert r.returncode == 0 and f"{NAME} 29" in r.stdout, r.stderr
    # and back: decrypt gives the same rows in a plain file
    r = motcua(data_dir, "db", "decrypt")
    assert r.returncode == 0, r.stderr
    assert read_header_encrypted(path) is False and _rows(path, None) == rows


def test_a_conversion_killed_before_the_rename_leaves_the_plain_database_usable(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _plain_workstation(data_dir, 5)
    path = data_dir / "private" / "motcua.db"
    before = path.read_bytes()
    settings = load_settings(data_dir)

    def crash(tmp: Path, target: Path) -> None:
        raise KeyboardInterrupt("killed at the rename")

    monkeypatch.setattr(cipher, "_swap", crash)
    with pytest.raises(KeyboardInterrupt):
        cipher.convert(settings, path, encrypt=True)
    monkeypatch.undo()
    assert read_header_encrypted(path) is False and _rows(path, None) == rows
    assert [p.name for p in path.parent.iterdir() if p.is_file()] == ["motcua.db"]  # no copy, no second name
    assert len(path.read_bytes()) >= len(before) // 2
    cipher.forget(path)
    ctx = AppContext(load_settings(data_dir))
    try:  # still plain (the setting is off) and writable
        assert ctx.db.key is None
        ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Sau sự cố")
        assert check(ctx.db) == []
    finally:
        ctx.close()


def test_leftovers_of_a_crash_after_the_rename_are_shredded(data_dir: Path) -> None:
    _plain_workstation(data_dir, 3)
    path = data_dir / "private" / "motcua.db"
    plain = path.read_bytes()
    settings = load_settings(data_dir)
    cipher.convert(settings, path, encrypt=True)
    # a crash after the rename, before the old content was shredded, leaves its second name
    old = path.with_name(path.name + ".old")
    old.write_bytes(plain)
    cipher.clean_leftovers(path)
    assert not old.exists()
    # while ".old" is still the live file's other name, only the name goes
    os.link(path, old)
    cipher.clean_leftovers(path)
    assert not old.exists() and read_header_encrypted(path) is True
    key = cipher.load_key(settings, path, create=False)
    assert key is not None and len(_rows(path, key.key)) == 3


def test_db_encrypt_is_refused_while_another_process_has_the_database_open(data_dir: Path) -> None:
    _plain_workstation(data_dir, 2)
    path = data_dir / "private" / "motcua.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        r = motcua(data_dir, "db", "encrypt", env={**os.environ, "MOTCUA_LANG": "en"})
        assert r.returncode != 0 and "in use by another program" in r.stderr, r.stdout + r.stderr
        assert read_header_encrypted(path) is False
    finally:
        holder.kill()
        holder.wait()
    assert [p.name for p in path.parent.iterdir() if p.is_file() and not p.name.endswith(("-wal", "-shm"))] == \
        ["motcua.db"]


HOLDER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA journal_mode=WAL")
c.execute("SELECT count(*) FROM dossier").fetchone()
print("open", flush=True)
time.sleep(120)
"""

WRITER = """
import sys
from desktop.context import AppContext
from desktop.auth import Actor
from desktop.config import load_settings

ctx = AppContext(load_settings(sys.argv[1]))
for i in range(int(sys.argv[2])):
    ctx.dossiers.receive(Actor.cli(), procedure_code="1.001193", applicant_name=f"Lê Thị {i}")
ctx.close()
"""


def test_online_backup_of_an_encrypted_database_while_another_process_writes_then_restore(
        ctx: AppContext, data_dir: Path) -> None:
    ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=NAME)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), "30"])
    made = []
    while writer.poll() is None:
        made.append(backup(ctx.settings, ctx.db, "test"))
        time.sleep(0.05)
    assert writer.wait() == 0
    made.append(backup(ctx.settings, ctx.db, "test"))
    assert ctx.db.key is not None
    for b in made:
        assert read_header_encrypted(b) is True
        with pytest.raises(sqlite3.DatabaseError):  # useless without the key
            sqlite3.connect(b).execute("SELECT count(*) FROM dossier").fetchone()
    assert len(_rows(made[-1], ctx.db.key)) == 31
    earlier = len(_rows(made[0], ctx.db.key))
    assert restore(ctx.settings, ctx.db, made[0]) is not None
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Dossier)) == earlier
    assert check(ctx.db) == []


def test_self_test_says_when_the_setting_is_on_but_the_file_is_plain(data_dir: Path) -> None:
    _plain_workstation(data_dir, 1)
    cipher.forget(data_dir / "private" / "motcua.db")
    _encrypted_config(data_dir)
    c = check_encryption(load_settings(data_dir))
    assert c is not None and not c.ok and "motcua db encrypt" in c.fix


def test_a_plain_backup_is_not_restored_into_an_encrypted_database(data_dir: Path) -> None:
    _plain_workstation(data_dir, 2)
    plain_backup = backups(load_settings(data_dir))[-1]
    keep = data_dir.parent / plain_backup.name
    keep.write_bytes(plain_backup.read_bytes())  # db encrypt shreds the plain backups it finds
    assert motcua(data_dir, "db", "encrypt").returncode == 0
    path = data_dir / "private" / "motcua.db"
    before = path.read_bytes()
    cipher.forget(path)
    r = motcua(data_dir, "db", "restore", str(keep), env={**os.environ, "MOTCUA_LANG": "en"})
    assert r.returncode != 0 and "is an unencrypted backup and the database is encrypted" in r.stderr, r.stderr
    assert path.read_bytes() == before
