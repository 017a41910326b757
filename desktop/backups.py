"""When the embedded database is backed up, and how long backups are kept (issue 14).

* **Daily, while the application is open.** A counter PC runs the application all day and
  is rarely restarted, so the backup made when the database opens
  (:func:`desktop.db.storage.open_database`) is not enough: the shell's timer
  (``ui/backup_schedule.py``) calls :func:`scheduled_backup` about every hour, and it backs
  up when no backup was taken since the local day began (so never more than a day of
  dossiers lives only in the live file). A backup dated after "now" (the clock was set
  back) does not count, or a wrong clock would stop the backups for as long as it is wrong.
* **Before every risky operation** (purge of personal data, encryption on or off, catalogue
  import, starting a new database): :func:`desktop.db.storage.backup_before`. When that
  backup fails the operation does not run, and the command exits with
  :attr:`~desktop.db.storage.BackupFailed.exit_code` (5).
* **Kept** ``storage.backup_keep_days`` days (at least one), but the newest
  :data:`~desktop.db.storage.KEEP_NEWEST` always stay (:func:`desktop.db.storage.to_prune`):
  a workstation left off for a month must not come back to an empty backup folder.
* **PostgreSQL** (a centre's server) is backed up by the centre's administrator
  (``pg_dump``): nothing is done here, and the status says so.

Every function takes the clock (``now``) so the policy is tested without waiting.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.config import Settings
from desktop.db import storage
from desktop.db.engine import Database
from desktop.kernel.i18n import msg

log = logging.getLogger(__name__)


class BackupState(enum.StrEnum):
    """What one look at the backups did."""

    MADE = "made"
    #: a backup was already taken since the local day began
    NOT_DUE = "not_due"
    #: a centre's PostgreSQL: backed up by its administrator, not by the workstation
    SERVER = "server"
    FAILED = "failed"


@dataclass(frozen=True)
class BackupOutcome:
    state: BackupState
    path: Path | None = None
    #: when ``path`` was taken (local time)
    at: datetime | None = None
    #: what the person at the counter reads (the failure's reason, the server's note)
    detail: str = ""


def server_note() -> str:
    return msg("Cơ sở dữ liệu PostgreSQL của trung tâm do quản trị viên sao lưu (pg_dump); máy trạm không sao lưu tệp.",
               "The centre's PostgreSQL database is backed up by its administrator (pg_dump); the workstation makes "
               "no file backup.")


def day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def backup_due(taken: Iterable[datetime], now: datetime) -> bool:
    """No backup taken since the local day began (none in the last 24 h is a case of it)."""
    start = day_start(now)
    return not any(start <= t <= now for t in taken)


def due(settings: Settings, db: Database, now: datetime | None = None) -> bool:
    """Whether :func:`scheduled_backup` would back up now (never for PostgreSQL)."""
    if db.sqlite_path is None:
        return False
    return backup_due((t for _, t in storage.taken(settings)), now or datetime.now())


def scheduled_backup(settings: Settings, db: Database, *, now: datetime | None = None) -> BackupOutcome:
    """Today's backup if none was taken since the local day began (old ones pruned after it).

    Never raises for a refusal of the disk or of the database file: the counter goes on,
    the outcome carries the reason (for the status bar and the caller's log)."""
    if db.sqlite_path is None:
        return BackupOutcome(BackupState.SERVER, detail=server_note())
    now = now or datetime.now()
    found = storage.taken(settings)
    if not backup_due((t for _, t in found), now):
        path, at = max(found, key=lambda f: f[1])
        return BackupOutcome(BackupState.NOT_DUE, path, at)
    try:
        path = storage.backup(settings, db, "daily")
    except storage.backup_failures() as exc:
        why = storage.explain_backup_failure(exc)
        # tried again within the hour: the caller logs a failure once, not every hour
        log.info("daily backup failed: %s", why)
        return BackupOutcome(BackupState.FAILED, detail=why)
    return BackupOutcome(BackupState.MADE, path, datetime.now())
