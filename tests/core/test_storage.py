"""The workstation database kept safe: private directory, vanished-database guard, online backups.

Issue 14 items 1 and 4: the SQLite file sat beside the scans (a file dialog opened it and
dropped the process's locks), a deleted or 0-byte database was silently recreated and seeded
(dossier codes restarting at -0001), and there was no backup but the one before a migration.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db import Database
from desktop.db.models import Dossier
from desktop.db.storage import DatabaseGone, backup, backups, check, prune_backups, restore
from desktop.selftest import check_backup
from tests.cli import signed_in_env

ADMIN = Actor.cli()


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(data), *args], capture_output=True,
                          text=True, timeout=120, env=signed_in_env())


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_database_lives_in_a_private_directory_apart_from_user_files(ctx: AppContext, data_dir: Path) -> None:
    ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Nguyễn Văn An")
    path = ctx.db.sqlite_path
    assert path is not None and path.parent == data_dir / "private"
    assert _mode(path.parent) == 0o700
    for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert _mode(f) == 0o600, f
    for user_dir in ctx.settings.user_dirs():
        assert path.resolve().parent != user_dir.resolve()
        assert not path.resolve().is_relative_to(user_dir.resolve())
    assert not (data_dir / "motcua.db").exists()


def test_an_old_data_directory_is_moved_to_the_private_layout(tmp_path: Path) -> None:
    old = tmp_path / "motcua.db"
    db = Database(f"sqlite:///{old}")
    db.migrate()
    from desktop.db.models import OrgUnit

    with db.session() as s:
        s.add(OrgUnit(code="000.00.06.H56", name="Sở Tư pháp"))
    db.dispose()
    ctx = AppContext(load_settings(tmp_path))
    try:
        with ctx.db.session() as s:
            from desktop.db.models import OrgUnit

            assert s.scalar(select(OrgUnit.name).where(OrgUnit.code == "000.00.06.H56")) == "Sở Tư pháp"
    finally:
        ctx.close()
    assert not old.exists() and not Path(f"{old}-wal").exists()
    assert (tmp_path / "private" / "motcua.db").is_file()


@pytest.mark.parametrize("how", ["deleted", "zero bytes"])
def test_a_vanished_database_is_not_recreated(tmp_path: Path, how: str) -> None:
    ctx = AppContext(load_settings(tmp_path))
    first = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Nguyễn Văn An").code
    path = ctx.db.sqlite_path
    assert path is not None
    ctx.close()
    for ext in ("-wal", "-shm"):
        Path(f"{path}{ext}").unlink(missing_ok=True)
    if how == "deleted":
        path.unlink()
    else:
        path.write_bytes(b"")
    again = AppContext(load_settings(tmp_path))
    with pytest.raises(DatabaseGone) as err:
        again.db  # noqa: B018
    again.close()
    text = str(err.value)
    assert "không tạo cơ sở dữ liệu mới" in text and "--new-database" in text and "motcua db restore" in text
    r = _cli(tmp_path, "dossier", "show", first)
    assert r.returncode == 4 and "Traceback" not in r.stderr and "--new-database" in r.stderr, r.stderr
    # nothing was seeded over it: the file is still missing or empty
    assert not path.exists() or path.stat().st_size == 0
    # on purpose, it starts anew
    r = _cli(tmp_path, "db", "init", "--new-database")
    assert r.returncode == 0, r.stderr
    assert _cli(tmp_path, "audit", "verify").returncode == 0


def test_a_brand_new_data_directory_is_still_set_up_automatically(tmp_path: Path) -> None:
    r = _cli(tmp_path / "fresh", "audit", "verify")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "fresh" / "private" / "motcua.db").stat().st_size > 0


WRITER = """
import sys, time
from desktop.context import AppContext
from desktop.auth import Actor
from desktop.config import load_settings
ctx = AppContext(load_settings(sys.argv[1]))
for i in range(int(sys.argv[2])):
    ctx.dossiers.receive(Actor.cli(), procedure_code="1.001193", applicant_name=f"Lê Thị {i}")
print("done", flush=True)
ctx.close()
"""


def test_online_backup_while_another_process_writes_then_restore(ctx: AppContext, data_dir: Path) -> None:
    ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Nguyễn Văn An")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), "40"], stdout=subprocess.PIPE, text=True)
    made = []
    while writer.poll() is None:
        made.append(backup(ctx.settings, ctx.db, "test"))
        time.sleep(0.05)
    assert writer.wait() == 0
    made.append(backup(ctx.settings, ctx.db, "test"))
    assert len(made) >= 2
    for b in made:
        assert _mode(b) == 0o600 and check(Database(f"sqlite:///{b}")) == []
    with sqlite3.connect(made[-1]) as conn:
        assert conn.execute("SELECT count(*) FROM dossier").fetchone()[0] == 41
    assert check_backup(ctx.settings).ok  # type: ignore[union-attr]
    # restore an earlier backup: the current content is backed up first
    with sqlite3.connect(made[0]) as conn:
        earlier = conn.execute("SELECT count(*) FROM dossier").fetchone()[0]
    before = restore(ctx.settings, ctx.db, made[0])
    assert before is not None and before.exists()
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Dossier)) == earlier
    r = _cli(data_dir, "db", "check")
    assert r.returncode == 0 and "nguyên vẹn" in r.stdout, r.stdout + r.stderr


def test_restore_after_the_database_was_deleted(tmp_path: Path) -> None:
    ctx = AppContext(load_settings(tmp_path))
    code = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Nguyễn Văn An").code
    backup(ctx.settings, ctx.db, "test")
    path = ctx.db.sqlite_path
    assert path is not None
    ctx.close()
    for ext in ("", "-wal", "-shm"):
        Path(f"{path}{ext}").unlink(missing_ok=True)
    r = _cli(tmp_path, "db", "restore", "latest")
    assert r.returncode == 0, r.stderr
    r = _cli(tmp_path, "dossier", "show", code)
    assert r.returncode == 0 and code in r.stdout, r.stderr


def test_backups_are_kept_the_configured_number_of_days(ctx: AppContext) -> None:
    from desktop.db.storage import KEEP_NEWEST

    ctx.settings.backup_keep_days = 3
    made = [backup(ctx.settings, ctx.db, f"b{i}") for i in range(KEEP_NEWEST + 2)]
    old = (datetime.now() - timedelta(days=5)).timestamp()
    for b in made[:3]:
        os.utime(b, (old, old))
    # the newest few always stay: of the three old ones, only the two beyond them go
    assert sorted(prune_backups(ctx.settings)) == sorted(made[:2])
    assert backups(ctx.settings) == made[2:]


def test_self_test_reports_a_missing_backup(settings) -> None:  # type: ignore[no-untyped-def]
    c = check_backup(settings)
    assert c is not None and not c.ok and "motcua db backup" in c.fix
