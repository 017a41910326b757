"""Keeping the workstation database: private directory, disappearance guard, online backups.

* The embedded SQLite file lives in ``<data>/private`` (0700, files 0600), apart from every
  user-visible file: a process that opens and closes any descriptor of the file drops all
  its POSIX locks on it, so the next ``motcua`` process believes it is alone, checkpoints
  and deletes the WAL while the first one still writes to it (issue 14). Nothing but
  SQLite must open it; the application's file dialogs never list this directory.
* A data directory that held a database remembers it (a marker outside the database). If
  the database then disappears (deleted, 0 bytes, an empty PostgreSQL schema) nothing is
  recreated over it: dossier codes would restart at -0001 and overwrite earlier citizens'
  dossiers at the dossier system. The message says how to restore or start anew on purpose.
* Online backups with SQLite's backup API (a consistent copy while others write): daily
  (when the database opens, and while the application runs: :mod:`desktop.backups`), and
  before risky operations (:func:`backup_before`), kept ``backup_keep_days`` days.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from desktop.config import Settings
from desktop.db.cipher import errors
from desktop.db.engine import Database
from desktop.kernel.errors import MotcuaError, explain_os_error
from desktop.kernel.files import private_dir
from desktop.kernel.i18n import msg

log = logging.getLogger(__name__)
DAILY = timedelta(hours=24)
LEGACY_NAME = "motcua.db"


def _private_file(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)


class DatabaseGone(MotcuaError):
    """The data directory had a database and it is no longer there: nothing is recreated."""

    exit_code = 4


@dataclass(frozen=True)
class Marker:
    """What the data directory remembers of its database (kept outside it)."""

    path: Path
    instance: str
    created_at: str


def _identity(db: Database) -> str:
    target = str(db.sqlite_path.resolve()) if db.sqlite_path else db.display_url()
    return hashlib.sha256(target.encode()).hexdigest()[:16]


def marker_path(settings: Settings, db: Database) -> Path:
    return settings.private_dir / "databases" / f"{_identity(db)}.json"


def read_marker(settings: Settings, db: Database) -> Marker | None:
    path = marker_path(settings, db)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Marker(path, str(data["instance"]), str(data.get("created_at", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # a damaged marker still says a database was here: the guard must not fall open
        return Marker(path, "unknown", "")


def write_marker(settings: Settings, db: Database) -> Marker:
    path = marker_path(settings, db)
    private_dir(path.parent)
    marker = Marker(path, uuid.uuid4().hex, datetime.now().astimezone().isoformat(timespec="seconds"))
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"instance": marker.instance, "created_at": marker.created_at,
                               "database": db.display_url()}), encoding="utf-8")
    _private_file(tmp)
    os.replace(tmp, path)
    return marker


def instance_id(settings: Settings, db: Database) -> str:
    """This database's instance id on this workstation (names its audit key and anchors)."""
    m = read_marker(settings, db)
    return m.instance if m is not None else write_marker(settings, db).instance


# --- moving an existing data directory to the private layout ------------------------------


def move_legacy_database(settings: Settings) -> Path | None:
    """Move ``<data>/motcua.db`` (+ -wal/-shm) of an older release into the private directory.

    The copy is made with the backup API under an exclusive lock, so no older process can be
    writing while it moves (if one is, the move waits for the next start); the old files are
    removed only after the copy passed ``integrity_check``.
    """
    old = settings.data_dir / LEGACY_NAME
    new = settings.private_dir / LEGACY_NAME
    if settings.db_url or not old.is_file() or new.exists():
        return None
    private_dir(settings.private_dir)
    lock = sqlite3.connect(old, timeout=2, isolation_level=None)
    try:
        try:
            busy = lock.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy:  # another process is reading or writing: it moves at a quieter start
                log.warning("database %s is in use: it moves to %s at the next start", old, new)
                return None
            lock.execute("BEGIN EXCLUSIVE")  # no other writer during the copy
        except sqlite3.OperationalError as exc:
            log.warning("database %s is in use (%s): it moves to %s at the next start", old, exc, new)
            return None
        except sqlite3.DatabaseError as exc:  # damaged: left untouched where it is, and said so
            raise Database(f"sqlite:///{old}")._explain(exc) from exc
        tmp = new.with_name(new.name + ".moving")
        # the copy reads through a second connection: the backup API refuses a source
        # connection that holds the write lock
        src, dst = sqlite3.connect(old), sqlite3.connect(tmp)
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            dst.close()
            src.close()
        lock.execute("ROLLBACK")
    finally:
        lock.close()
    if not ok:
        tmp.unlink(missing_ok=True)
        raise MotcuaError(msg("Không chuyển được cơ sở dữ liệu {p}: bản sao không toàn vẹn.",
                              "Could not move the database {p}: the copy failed its integrity check.", p=old))
    _private_file(tmp)
    os.replace(tmp, new)
    for ext in ("", "-wal", "-shm"):
        Path(f"{old}{ext}").unlink(missing_ok=True)
    for bak in settings.data_dir.glob(f"{LEGACY_NAME}.bak-*"):  # old pre-migration copies: personal data too
        private_dir(settings.backup_dir)
        shutil.move(str(bak), settings.backup_dir / bak.name)
    log.info("moved the database %s to the private directory %s", old, new)
    return new


# --- the disappearance guard --------------------------------------------------------------


def _gone(settings: Settings, db: Database, why: str) -> DatabaseGone:
    latest = latest_backup(settings)
    restore = (msg("Khôi phục bản sao lưu mới nhất: motcua db restore {b}", "Restore the latest backup: motcua db restore {b}",
                   b=latest) if latest else
               msg("Không có bản sao lưu trong {d}; nếu có bản sao ở nơi khác: motcua db restore TỆP.",
                   "There is no backup in {d}; with a copy from elsewhere: motcua db restore FILE.",
                   d=settings.backup_dir))
    return DatabaseGone(
        msg("Cơ sở dữ liệu {u} đã từng có ở đây nhưng {w}; không tạo cơ sở dữ liệu mới đè lên "
            "(mã hồ sơ sẽ bắt đầu lại từ -0001 và ghi đè hồ sơ cũ ở hệ thống hồ sơ).",
            "The database {u} existed here but {w}; no new database is created over it "
            "(dossier codes would restart at -0001 and overwrite earlier dossiers at the dossier system).",
            u=db.display_url(), w=why),
        hint=msg("{r} Hoặc, nếu chắc chắn muốn bắt đầu lại từ đầu: motcua db init --new-database.",
                 "{r} Or, to start anew on purpose: motcua db init --new-database.", r=restore),
    )


def guard(settings: Settings, db: Database) -> None:
    """Refuse to go on when a database this data directory had is missing or empty."""
    if read_marker(settings, db) is None:
        return
    path = db.sqlite_path
    if path is not None:
        if not path.exists():
            raise _gone(settings, db, msg("tệp đã bị xóa", "its file was deleted"))
        if path.stat().st_size == 0 and not Path(f"{path}-wal").exists():
            raise _gone(settings, db, msg("tệp rỗng (0 byte)", "its file is empty (0 bytes)"))
    if db.status().empty:
        raise _gone(settings, db, msg("nó không còn bảng nào", "it has no tables any more"))


def open_database(settings: Settings, *, migrate: bool = True, new_database: bool = False,
                  admin: bool = True, backup_first: bool = True) -> Database:
    """The workstation's database, guarded, migrated and seeded, with its daily backup.

    ``admin=False`` (the application starting) leaves an older shared PostgreSQL schema to
    the administrator (``Database.migrate``).

    A brand-new data directory is set up automatically; one whose database disappeared is
    refused unless ``new_database`` says to start anew on purpose (after a backup of what is
    left of it, unless ``backup_first`` is off).
    """
    from desktop.seed import ensure_seeded

    if not settings.db_url:
        private_dir(settings.private_dir)
        move_legacy_database(settings)
    from desktop.db.cipher import clean_leftovers, workstation_database

    if not settings.db_url:
        clean_leftovers(settings.private_dir / LEGACY_NAME)
    database = workstation_database(settings)
    try:
        if new_database:
            start_anew(settings, database, backup_first=backup_first)
        guard(settings, database)
        if database.sqlite_path is not None:
            _create_private_file(database.sqlite_path)
        if migrate:
            st = database.status()
            # an SQLite file is copied before it is upgraded; PostgreSQL is the centre's to back
            # up (pg_dump), and a newer schema is refused by migrate() without any change
            if database.sqlite_path is not None and not st.empty and not st.up_to_date and not st.newer:
                backup(settings, database, "before-migrate")
            database.migrate(backup=False, admin=admin)
            ensure_seeded(database, settings)
            if read_marker(settings, database) is None:
                write_marker(settings, database)
            else:
                daily_backup(settings, database)
    except BaseException:
        database.dispose()
        raise
    return database


def _create_private_file(path: Path) -> None:
    # Created 0600 before SQLite first opens it (SQLite gives -wal/-shm the file's mode).
    # No connection of this process exists yet, so this descriptor cannot drop a lock.
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    else:
        _private_file(path)


def start_anew(settings: Settings, db: Database, *, backup_first: bool = True) -> None:
    """Forget the vanished database on purpose: the next open creates and seeds a new one.

    What is left of the file (tables gone, content not) is backed up first: it may be all
    there is to recover from."""
    marker = read_marker(settings, db)
    if marker is None:
        return
    path = db.sqlite_path
    if path is not None and path.exists() and path.stat().st_size > 0 and not db.status().empty:
        raise MotcuaError(msg("Cơ sở dữ liệu {p} vẫn còn dữ liệu: không bắt đầu lại.",
                              "The database {p} still holds data: not starting anew.", p=path))
    backup_before(settings, db, "before-new-database", enabled=backup_first)
    marker.path.rename(marker.path.with_name(f"{marker.path.stem}.forgotten-{datetime.now():%Y%m%d-%H%M%S}.json"))
    log.warning("database %s started anew on purpose (the old instance %s is forgotten)", db.display_url(),
                marker.instance)


# --- backups ------------------------------------------------------------------------------


def backups(settings: Settings) -> list[Path]:
    """Backups, oldest first."""
    if not settings.backup_dir.is_dir():
        return []
    return sorted(settings.backup_dir.glob("motcua-*.db"), key=lambda p: p.name)


def latest_backup(settings: Settings) -> Path | None:
    found = backups(settings)
    return found[-1] if found else None


def backup_age(settings: Settings) -> timedelta | None:
    latest = latest_backup(settings)
    if latest is None:
        return None
    return datetime.now() - datetime.fromtimestamp(latest.stat().st_mtime)


def _require_sqlite(db: Database) -> Path:
    if db.sqlite_path is None:
        raise MotcuaError(msg("Sao lưu trực tuyến chỉ dành cho SQLite; với PostgreSQL hãy dùng pg_dump.",
                              "Online backups are for SQLite; for PostgreSQL use pg_dump."))
    return db.sqlite_path


def backup(settings: Settings, db: Database, reason: str = "manual") -> Path:
    """A consistent copy made with SQLite's backup API while other processes keep writing."""
    path = _require_sqlite(db)
    private_dir(settings.backup_dir)
    target = settings.backup_dir / f"motcua-{datetime.now():%Y%m%d-%H%M%S-%f}-{reason}.db"
    tmp = target.with_name(target.name + ".part")
    # the copy is encrypted with the database's own key (SQLCipher copies pages between equal keys)
    src = db.raw_connect(path, timeout=30)
    try:
        dst = db.raw_connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    _private_file(tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)
    log.info("backed up %s to %s (%s)", path, target, reason)
    prune_backups(settings)
    return target


def shred_plain_backups(settings: Settings, keep: Path) -> list[Path]:
    """After encrypting: overwrite and remove the backups that are still plain files (personal data)."""
    from desktop.db.cipher import read_header_encrypted, shred

    removed = []
    for p in backups(settings):
        if p != keep and read_header_encrypted(p) is False:
            shred(p)
            removed.append(p)
    return removed


#: backups always kept, whatever their age (a workstation left off for a month keeps some)
KEEP_NEWEST = 3


def taken(settings: Settings) -> list[tuple[Path, datetime]]:
    """Each backup with the time it was taken (its modification time), oldest name first."""
    found = []
    for p in backups(settings):
        try:
            found.append((p, datetime.fromtimestamp(p.stat().st_mtime)))
        except FileNotFoundError:  # pruned meanwhile by another motcua process
            continue
    return found


def to_prune(found: Sequence[tuple[Path, datetime]], now: datetime, keep_days: int,
             keep_newest: int = KEEP_NEWEST) -> list[Path]:
    """The backups older than ``keep_days`` days (at least one), except the newest ``keep_newest``."""
    keep = timedelta(days=max(1, keep_days))
    ordered = sorted(found, key=lambda f: (f[1], f[0].name))
    older = ordered[:-keep_newest] if keep_newest > 0 else ordered
    return [p for p, t in older if now - t > keep]


def prune_backups(settings: Settings, now: datetime | None = None) -> list[Path]:
    """Delete backups older than ``backup_keep_days`` (they hold citizens' personal data),
    always keeping the newest :data:`KEEP_NEWEST`."""
    removed = []
    for p in to_prune(taken(settings), now or datetime.now(), int(settings.backup_keep_days)):
        p.unlink(missing_ok=True)
        removed.append(p)
    if removed:
        log.info("pruned %d backups older than %d days", len(removed), settings.backup_keep_days)
    return removed


class BackupFailed(MotcuaError):
    """The backup before a risky operation failed: the operation did not run."""

    exit_code = 5


def backup_failures() -> tuple[type[Exception], ...]:
    """What a backup may fail with that is the disk's or the file's, not a bug."""
    return (OSError, MotcuaError, *errors())


def explain_backup_failure(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return str(explain_os_error(exc))
    if isinstance(exc, MotcuaError):
        return str(exc)
    return msg("Không sao chép được cơ sở dữ liệu: {e}", "The database could not be copied: {e}", e=exc)


def backup_before(settings: Settings, db: Database, reason: str, *, enabled: bool = True) -> Path | None:
    """A backup before a risky operation (``reason``: ``before-purge`` …); :class:`BackupFailed` when
    it cannot be made, and then the caller does not go on.

    ``None`` when nothing was copied: ``enabled=False`` (``--no-backup``), a centre's
    PostgreSQL (its administrator's pg_dump), or no database file yet."""
    if not enabled:
        log.warning("no backup before %s (--no-backup)", reason)
        return None
    path = db.sqlite_path
    if path is None or not path.exists() or (path.stat().st_size == 0 and not Path(f"{path}-wal").exists()):
        return None
    try:
        return backup(settings, db, reason)
    except backup_failures() as exc:
        why = explain_backup_failure(exc)
        log.error("backup %s failed, the operation did not run: %s", reason, why)
        raise BackupFailed(msg("Không sao lưu được cơ sở dữ liệu trước khi làm việc này; chưa làm gì. {w}",
                               "The database could not be backed up first; nothing was done. {w}", w=why),
                           hint=msg("Sửa lỗi sao lưu rồi chạy lại, hoặc thêm --no-backup nếu chắc chắn không cần "
                                    "bản sao lưu.", "Fix the backup and run it again, or add --no-backup when "
                                    "you are sure no backup is needed.")) from exc


def daily_backup(settings: Settings, db: Database) -> Path | None:
    """A backup when none was taken since the local day began (see :mod:`desktop.backups`)."""
    from desktop.backups import due

    if not due(settings, db):
        return None
    marker = read_marker(settings, db)
    if not backups(settings) and marker is not None:
        try:  # a database created less than a day ago has its first backup tomorrow
            if datetime.now().astimezone() - datetime.fromisoformat(marker.created_at) < DAILY:
                return None
        except ValueError:
            pass
    try:
        return backup(settings, db, "daily")
    except backup_failures() as exc:  # a failed backup must not stop the counter; self-test says it
        log.error("daily backup failed: %s", explain_backup_failure(exc))
        return None


def check(db: Database) -> list[str]:
    """Problems SQLite finds in the file (integrity and foreign keys); empty when sound."""
    path = _require_sqlite(db)
    conn = db.raw_connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        if db.key is not None:  # every page's HMAC: a changed byte anywhere is found
            problems += [f"cipher: {r[0]}" for r in conn.execute("PRAGMA cipher_integrity_check")]
        problems += [f"foreign key: {r[0]} row {r[1]} -> {r[2]}" for r in conn.execute("PRAGMA foreign_key_check")]
    except errors() as exc:
        problems = [str(exc)]
    finally:
        conn.close()
    return problems


def restore(settings: Settings, db: Database, source: Path) -> Path | None:
    """Copy ``source`` into the live database with the backup API; the current one is backed up first.

    Other processes may stay connected: the copy takes the write lock, and they see the
    restored content at their next transaction.
    """
    from desktop.db.cipher import read_header_encrypted

    path = _require_sqlite(db)
    source_encrypted = bool(read_header_encrypted(source))
    if source_encrypted != (db.key is not None):
        raise MotcuaError(
            msg("{p} là bản sao lưu mã hóa còn cơ sở dữ liệu thì không; không khôi phục." if source_encrypted else
                "{p} là bản sao lưu không mã hóa còn cơ sở dữ liệu đã được mã hóa; không khôi phục.",
                "{p} is an encrypted backup and the database is not; nothing was restored." if source_encrypted else
                "{p} is an unencrypted backup and the database is encrypted; nothing was restored.", p=source),
            hint=msg("Chạy “motcua db {c}” trước cho giống bản sao lưu, rồi khôi phục.",
                     "Run “motcua db {c}” first to match the backup, then restore.",
                     c="encrypt" if source_encrypted else "decrypt"))
    unsound: tuple[type[Exception], ...] = (MotcuaError, *errors())
    try:
        conn = db.raw_connect(f"file:{source}?mode=ro", uri=True)
        try:
            bad = conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok" or not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name='alembic_version'").fetchone()
        finally:
            conn.close()
    except unsound:
        bad = True
    if bad:
        raise MotcuaError(msg("{p} không phải bản sao lưu motcua toàn vẹn; không khôi phục.",
                              "{p} is not a sound motcua backup; nothing was restored.", p=source))
    before = None
    if path.exists() and path.stat().st_size > 0 and not check(db):
        before = backup(settings, db, "before-restore")
    db.dispose()
    private_dir(path.parent)
    _create_private_file(path)
    src = db.raw_connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = db.raw_connect(path, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if read_marker(settings, db) is None:
        write_marker(settings, db)
    log.warning("database %s restored from %s (previous content backed up to %s)", path, source, before)
    return before
