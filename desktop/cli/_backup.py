"""``--no-backup`` of the risky commands, and the backup they make first (issue 14).

Purging personal data, encrypting or decrypting the database, importing a catalogue and
starting a new database each change or drop what cannot be typed in again; each makes an
online backup first (:func:`desktop.db.storage.backup_before`) and does not run when that
backup fails: the command exits with code 5 (:class:`desktop.db.storage.BackupFailed`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.config import Settings
    from desktop.db import Database

NO_BACKUP_HELP = ("do not back up the database first (for scripts that just made one); without it a failed backup "
                  "stops the command with exit code 5")


def add_no_backup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-backup", action="store_true", help=NO_BACKUP_HELP)


def backup_first(args: argparse.Namespace, settings: Settings, db: Database, reason: str) -> Path | None:
    """The backup before a risky command, unless ``--no-backup``; raises BackupFailed (exit 5)."""
    from desktop.db.storage import backup_before

    return backup_before(settings, db, reason, enabled=not args.no_backup)
