"""A backup before every risky command, and no command when that backup fails (issue 14).

``motcua privacy purge``, ``db encrypt``/``decrypt``, ``catalogue import`` and
``db init --new-database`` changed or dropped what cannot be typed in again without any
copy being made first. Each now backs up first; a failed backup (here: a file where the
backup folder should be) stops it with exit code 5, and ``--no-backup`` skips the copy.
The commands run in this process (``desktop.cli.main.main``) on real files.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.catalogue import CATALOGUE_FILE
from desktop.cli.main import main
from desktop.config import Settings, load_settings
from desktop.context import AppContext
from desktop.db.cipher import read_header_encrypted
from desktop.db.models import DossierStatus
from desktop.db.storage import BackupFailed, backups
from desktop.kernel.timeutil import now_vn
from tests.cli import ADMIN, ADMIN_PASSWORD
from tests.outbox.exempt import exempt_components

NAME = "Phan Thị Thanh Tâm"
RENAMED = "Đăng ký khai sinh (bản mới)"


@pytest.fixture(autouse=True)
def _signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_USER", ADMIN)
    monkeypatch.setenv("MOTCUA_PASSWORD", ADMIN_PASSWORD)


@dataclass(frozen=True)
class Risky:
    """A risky command: how to set it up, its arguments, and whether it did its work."""

    reason: str
    config: str
    prepare: Callable[[AppContext, Path], list[str]]
    ran: Callable[[Settings], bool]


def _purge(ctx: AppContext, tmp: Path) -> list[str]:
    d = ctx.dossiers.receive(Actor.cli(), procedure_code="1.001193", applicant_name=NAME,
                             applicant_id_number="079301234567", components=exempt_components(1))
    ctx.dossiers.set_status(Actor.cli(), d.code, DossierStatus.WITHDRAWN)
    ctx.outbox.drain(Actor.cli())
    return ["privacy", "purge", "--before", (now_vn().date() + timedelta(days=1)).isoformat()]


def _column(settings: Settings, sql: str) -> object:
    """Read the file itself: a context would seed the bundled catalogue over an imported one."""
    conn = sqlite3.connect(f"file:{_database(settings)}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _purged(settings: Settings) -> bool:
    return _column(settings, "SELECT applicant_name FROM dossier") == ""


def _catalogue(ctx: AppContext, tmp: Path) -> list[str]:
    doc = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    next(p for p in doc["procedures"] if p["code"] == "1.001193")["name"] = RENAMED
    f = tmp / "v2.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return ["catalogue", "import", str(f)]


def _imported(settings: Settings) -> bool:
    return _column(settings, "SELECT name FROM procedure WHERE code = '1.001193'") == RENAMED


def _database(settings: Settings) -> Path:
    return settings.private_dir / "motcua.db"


def _new_database(ctx: AppContext, tmp: Path) -> list[str]:
    """The tables are gone (an outside tool, a bad copy); something is left in the file."""
    path = ctx.db.sqlite_path
    assert path is not None
    ctx.close()
    for ext in ("", "-wal", "-shm"):
        Path(f"{path}{ext}").unlink(missing_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE left_over (note TEXT)")
        conn.execute("INSERT INTO left_over VALUES ('the only copy')")
    conn.close()
    return ["db", "init", "--new-database"]


def _started_anew(settings: Settings) -> bool:
    """The old database's marker was set aside (a new one is written for the new database)."""
    return any((settings.private_dir / "databases").glob("*.forgotten-*.json"))


KEY_FILE = "schema = 2\n[storage]\ndb_key_file = true\n"
ENCRYPTED = "schema = 2\n[storage]\nencrypt_db = true\ndb_key_file = true\n"
CASES = {
    "purge": Risky("before-purge", "", _purge, _purged),
    "catalogue-import": Risky("before-catalogue-import", "", _catalogue, _imported),
    "encrypt": Risky("before-encrypt", KEY_FILE, lambda c, t: ["db", "encrypt"],
                     lambda s: read_header_encrypted(_database(s)) is True),
    "decrypt": Risky("before-decrypt", ENCRYPTED, lambda c, t: ["db", "decrypt"],
                     lambda s: read_header_encrypted(_database(s)) is False),
    "new-database": Risky("before-new-database", "", _new_database, _started_anew),
}
# a database made encrypted by its settings must be new: decrypt's case starts without the
# session's seeded copy (tests/conftest.py data_dir)
PARAMS = [pytest.param(n, marks=pytest.mark.fresh_data_dir) if CASES[n].config == ENCRYPTED else n for n in CASES]


def _set_up(case: Risky, data_dir: Path, tmp_path: Path) -> tuple[Settings, list[str]]:
    if case.config:
        (data_dir / "motcua.toml").write_text(case.config, encoding="utf-8")
    ctx = AppContext(load_settings(data_dir))
    try:
        argv = case.prepare(ctx, tmp_path)
    finally:
        ctx.close()
    return load_settings(data_dir), ["--data-dir", str(data_dir), *argv]


def _made(settings: Settings, reason: str) -> list[Path]:
    return [p for p in backups(settings) if p.name.endswith(f"-{reason}.db")]


@pytest.mark.parametrize("name", PARAMS)
def test_a_risky_command_backs_up_first(name: str, data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES[name]
    settings, argv = _set_up(case, data_dir, tmp_path)
    with caplog.at_level(logging.INFO, logger="desktop.db.storage"):
        assert main(argv) == 0, capsys.readouterr().err
    assert case.ran(settings)
    copied = [r.getMessage() for r in caplog.records if r.getMessage().startswith("backed up")]
    assert copied and copied[0].endswith(f"({case.reason})"), copied  # the first copy, before the work
    made = _made(settings, case.reason)
    if name == "encrypt":  # the plain copy is shredded once the encrypted one exists (docs/PRIVACY.md)
        assert made == [] and all(read_header_encrypted(b) for b in backups(settings))
        return
    assert len(made) == 1 and stat.S_IMODE(made[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.backup_dir.stat().st_mode) == 0o700
    conn = sqlite3.connect(f"file:{made[0]}?mode=ro", uri=True)
    try:
        if name == "decrypt":  # a copy of an encrypted database stays encrypted
            assert read_header_encrypted(made[0]) is True
        elif name == "purge":  # the copy holds what the purge removed
            assert conn.execute("SELECT applicant_name FROM dossier").fetchall() == [(NAME,)]
        elif name == "catalogue-import":
            assert conn.execute("SELECT name FROM procedure WHERE code = '1.001193'").fetchone()[0] != RENAMED
        else:
            assert conn.execute("SELECT note FROM left_over").fetchall() == [("the only copy",)]
    finally:
        conn.close()


@pytest.mark.parametrize("name", PARAMS)
def test_a_risky_command_does_not_run_when_its_backup_fails(name: str, data_dir: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES[name]
    settings, argv = _set_up(case, data_dir, tmp_path)
    if settings.backup_dir.is_dir():  # the set-up's own backups, if it made any
        for p in backups(settings):
            p.unlink()
        settings.backup_dir.rmdir()
    settings.backup_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.backup_dir.write_text("a file where the backups should go")
    assert main(argv) == BackupFailed.exit_code == 5
    err = capsys.readouterr().err
    assert "Không sao lưu được" in err and str(settings.backup_dir) in err and "--no-backup" in err, err
    assert not case.ran(settings)


@pytest.mark.parametrize("name", PARAMS)
def test_no_backup_skips_the_copy(name: str, data_dir: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES[name]
    settings, argv = _set_up(case, data_dir, tmp_path)
    assert main([*argv, "--no-backup"]) == 0, capsys.readouterr().err
    assert case.ran(settings) and _made(settings, case.reason) == []


@pytest.mark.parametrize("command", [["privacy", "purge"], ["catalogue", "import"], ["db", "encrypt"],
                                     ["db", "decrypt"], ["db", "init"]])
def test_help_says_what_no_backup_does(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--no-backup" in out and "exit code 5" in out, out
