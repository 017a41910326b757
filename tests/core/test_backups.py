"""The daily backup while the application is open, and how long backups are kept (issue 14).

The backup was made only when a program opened the database, and only when the newest was
more than 24 h old: a counter PC that runs the application all day, every day, got a backup
at an hour that drifted through the week, or none at all for as long as it stayed open.
The policy takes the clock, so these tests set the backups' times (``os.utime``) and pass
``now`` instead of waiting.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.backups import BackupState, backup_due, day_start, due, scheduled_backup
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db import Database
from desktop.db.cipher import read_header_encrypted
from desktop.db.storage import KEEP_NEWEST, backup, backups, open_database, prune_backups, to_prune

MORNING = datetime(2026, 12, 7, 8, 30)


def _at(path: Path, when: datetime) -> Path:
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.mark.parametrize(("taken", "is_due"), [
    ([], True),
    ([MORNING - timedelta(hours=2)], False),  # 06:30 today
    # 23:00 yesterday: less than 24 h ago, but today has no backup yet
    ([MORNING - timedelta(hours=9, minutes=30)], True),
    ([MORNING - timedelta(days=3)], True),
    # the clock was set back: a backup "from tomorrow" does not stand for today's
    ([MORNING + timedelta(days=1)], True),
    ([MORNING - timedelta(days=1), MORNING - timedelta(minutes=1)], False),
], ids=["none", "this-morning", "late-yesterday", "days-ago", "from-the-future", "yesterday-and-today"])
def test_a_backup_is_due_once_per_local_day(taken: list[datetime], is_due: bool) -> None:
    assert backup_due(taken, MORNING) is is_due


def test_due_reads_the_backups_on_disk(ctx: AppContext) -> None:
    made = _at(backup(ctx.settings, ctx.db, "manual"), MORNING - timedelta(hours=9, minutes=30))
    assert due(ctx.settings, ctx.db, MORNING)
    _at(made, MORNING - timedelta(hours=1))
    assert not due(ctx.settings, ctx.db, MORNING)
    assert due(ctx.settings, ctx.db, MORNING + timedelta(days=1))  # the next morning


def test_the_running_application_backs_up_once_a_day(ctx: AppContext) -> None:
    first = scheduled_backup(ctx.settings, ctx.db)
    assert first.state == BackupState.MADE and first.path is not None and first.path.name.endswith("-daily.db")
    assert _mode(first.path) == 0o600 and _mode(ctx.settings.backup_dir) == 0o700
    again = scheduled_backup(ctx.settings, ctx.db)
    assert again.state == BackupState.NOT_DUE and again.path == first.path and backups(ctx.settings) == [first.path]
    # the next day, without a restart
    assert scheduled_backup(ctx.settings, ctx.db, now=datetime.now() + timedelta(days=1)).state == BackupState.MADE
    assert len(backups(ctx.settings)) == 2


def test_a_failed_daily_backup_is_reported_not_raised(ctx: AppContext) -> None:
    ctx.settings.backup_dir.parent.mkdir(parents=True, exist_ok=True)
    ctx.settings.backup_dir.write_text("not a folder")
    outcome = scheduled_backup(ctx.settings, ctx.db)
    assert outcome.state == BackupState.FAILED and str(ctx.settings.backup_dir) in outcome.detail
    assert ctx.db.session  # the database is still usable


def test_a_centres_postgresql_is_left_to_its_administrator(settings) -> None:  # type: ignore[no-untyped-def]
    db = Database("postgresql+psycopg://motcua@db.example.invalid/motcua")
    try:
        outcome = scheduled_backup(settings, db)
        assert outcome.state == BackupState.SERVER and "pg_dump" in outcome.detail
        assert not due(settings, db) and backups(settings) == []
    finally:
        db.dispose()


def test_opening_the_database_uses_the_same_day_rule(tmp_path: Path) -> None:
    """A backup just before midnight and a start in the morning: less than 24 h, but today had none."""
    ctx = AppContext(load_settings(tmp_path))
    late = _at(backup(ctx.settings, ctx.db, "manual"), day_start(datetime.now()) - timedelta(minutes=1))
    ctx.close()
    db = open_database(load_settings(tmp_path))
    db.dispose()
    found = backups(load_settings(tmp_path))
    assert late in found and any(p.name.endswith("-daily.db") for p in found), found


def test_pruning_keeps_the_newest_few_however_old() -> None:
    now = MORNING
    found = [(Path(f"motcua-{i}.db"), now - timedelta(days=40 - i)) for i in range(6)]
    assert to_prune(found, now, 14) == [p for p, _ in found[:-KEEP_NEWEST]]
    assert to_prune(found[:KEEP_NEWEST], now, 14) == []
    recent = [(Path("new.db"), now - timedelta(days=2)), *found]
    assert to_prune(recent, now, 14) == [p for p, _ in found[:-(KEEP_NEWEST - 1)]]
    assert to_prune(found, now, 0) == to_prune(found, now, 1)  # never less than a day


def test_backups_older_than_the_setting_are_pruned_on_disk(ctx: AppContext) -> None:
    ctx.settings.backup_keep_days = 3
    made = [backup(ctx.settings, ctx.db, f"b{i}") for i in range(KEEP_NEWEST + 2)]
    for i, b in enumerate(made):
        _at(b, MORNING - timedelta(days=10 - i))  # 10, 9, 8, 7, 6 days old: all past the setting
    assert sorted(prune_backups(ctx.settings, MORNING)) == sorted(made[:2])
    assert backups(ctx.settings) == made[2:]


@pytest.mark.fresh_data_dir  # encrypted because it is new
def test_a_backup_of_an_encrypted_database_stays_encrypted(data_dir: Path) -> None:
    (data_dir / "motcua.toml").write_text("schema = 2\n[storage]\nencrypt_db = true\ndb_key_file = true\n",
                                          encoding="utf-8")
    ctx = AppContext(load_settings(data_dir))
    try:
        assert ctx.db.key is not None
        outcome = scheduled_backup(ctx.settings, ctx.db)
        assert outcome.path is not None and read_header_encrypted(outcome.path) is True
        assert _mode(outcome.path) == 0o600
    finally:
        ctx.close()
