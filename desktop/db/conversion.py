"""Encrypting or decrypting the embedded database: now (``motcua db encrypt``) or at the next start.

A conversion needs the database file alone, and the running application holds it (its own
engine, the uploader, the queue screens). So the Settings screen does not convert: it asks
for a conversion, written to ``private/db-conversion.json`` (0600) with who asked, and the
next program that opens the database converts it before its first connection
(:func:`convert_if_asked`, after a backup: no backup, no conversion), then records the
event in the audit chain as the person who asked (:func:`record_conversion`, shared with
the command line). While another motcua
program (kiosk, display board, a second window) still holds the file, nothing is
converted: the request stays, with the reason, and the next start tries again; the
Settings screen and ``motcua self-test`` show it.

Only an explicit request converts. ``storage.encrypt_db`` alone never decrypts a file: a lost
or reset settings file (whose default is "off") must not turn an encrypted database plain.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.kernel.errors import InvalidInput, MotcuaError
from desktop.kernel.files import private_dir, replace_durably
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import now_vn

if TYPE_CHECKING:
    from desktop.audit import AuditLog
    from desktop.config import Settings
    from desktop.db.cipher import DatabaseKey
    from desktop.db.engine import Database

log = logging.getLogger(__name__)

REQUEST = "db-conversion.json"


@dataclass(frozen=True)
class ConversionRequest:
    encrypt: bool
    #: the audit name of the administrator who asked (the conversion is recorded as theirs)
    by: str
    asked: str
    #: why the last attempt converted nothing (in the language of the program that tried)
    last_error: str = ""


@dataclass(frozen=True)
class Converted:
    """A conversion that happened, for :func:`record_conversion` to audit and back up."""

    encrypt: bool
    path: Path
    key: DatabaseKey
    by: str


@dataclass(frozen=True)
class ConversionRecord:
    backup: Path
    shredded: list[Path] = field(default_factory=list)


def not_embedded() -> InvalidInput:
    """The refusal to encrypt a server database (said by the CLI, the Settings screen and here)."""
    return InvalidInput(msg("Chỉ cơ sở dữ liệu SQLite nhúng mới mã hóa được; PostgreSQL dùng mã hóa lưu trữ "
                            "của máy chủ.", "Only the embedded SQLite database can be encrypted; PostgreSQL "
                            "relies on the server's storage encryption."))


def embedded_path(settings: Settings) -> Path | None:
    """The workstation's SQLite file, or None when it uses a server database."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.resolved_db_url())
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def pending(settings: Settings) -> ConversionRequest | None:
    """The conversion asked for and not done yet, if any (a damaged request is no request)."""
    try:
        data = json.loads((settings.private_dir / REQUEST).read_text(encoding="utf-8"))
        return ConversionRequest(encrypt=bool(data["encrypt"]), by=str(data["by"]), asked=str(data["asked"]),
                                 last_error=str(data.get("last_error", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring the damaged database conversion request %s: %s", settings.private_dir / REQUEST, exc)
        return None


def _write(settings: Settings, request: ConversionRequest) -> None:
    folder = private_dir(settings.private_dir)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{REQUEST}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(request), f, ensure_ascii=False)
        replace_durably(tmp, folder / REQUEST, private=True)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def withdraw(settings: Settings) -> None:
    (settings.private_dir / REQUEST).unlink(missing_ok=True)


def ask(settings: Settings, *, encrypt: bool, by: str) -> ConversionRequest | None:
    """Ask for the embedded database to be (de)crypted at the next start; None when it is already so.

    A request that the file already satisfies withdraws any earlier one (an administrator who
    ticks and then unticks the box before restarting leaves nothing to do)."""
    from desktop.db.cipher import file_encrypted

    path = embedded_path(settings)
    if path is None:
        raise not_embedded()
    # asked from the running application: the state read when it opened the file (reading the
    # header again here would open and close a descriptor and drop this process's SQLite locks)
    if file_encrypted(path) is encrypt:
        withdraw(settings)
        return None
    request = ConversionRequest(encrypt=encrypt, by=by, asked=now_vn().isoformat(timespec="seconds"))
    _write(settings, request)
    return request


def convert_if_asked(settings: Settings) -> Converted | None:
    """Carry out the pending request before anything of this process opens the database.

    Never raises for a conversion that cannot happen now: the database opens as it is, the
    request stays with its reason, and the next start tries again."""
    from desktop.db.cipher import convert, read_header_encrypted

    request = pending(settings)
    if request is None:
        return None
    path = embedded_path(settings)
    if path is None or read_header_encrypted(path) in (None, request.encrypt):
        # a server database, no database yet, or done meanwhile (by ``motcua db encrypt``)
        withdraw(settings)
        return None
    try:
        _backup_first(settings, request.encrypt)
        key = convert(settings, path, encrypt=request.encrypt)
    except Exception as exc:  # noqa: BLE001 - whatever stopped it (a full disk too), the application starts
        why = exc.message if isinstance(exc, MotcuaError) else f"{type(exc).__name__}: {exc}"
        log.warning("database %s not %s at this start: %s", path, "encrypted" if request.encrypt else "decrypted",
                    why)
        _write(settings, ConversionRequest(request.encrypt, request.by, request.asked, why))
        return None
    withdraw(settings)
    log.info("database %s %s as asked by %s", path, "encrypted" if request.encrypt else "decrypted", request.by)
    return Converted(request.encrypt, path, key, request.by)


def _backup_first(settings: Settings, encrypt: bool) -> None:
    """A backup before converting (BackupFailed stops the conversion, the request stays)."""
    from desktop.db.cipher import workstation_database
    from desktop.db.storage import backup_before

    db = workstation_database(settings)
    try:
        backup_before(settings, db, "before-encrypt" if encrypt else "before-decrypt")
    finally:
        db.dispose()


def record_conversion(settings: Settings, db: Database, audit: AuditLog, done: Converted) -> ConversionRecord:
    """After a conversion: the audit event, a fresh backup in the new form, the plain backups
    shredded (after encrypting), and the setting made to follow so a new database is made alike."""
    from desktop.db.storage import backup, shred_plain_backups

    store = done.key.store
    with db.session() as s:
        audit.record(s, actor=done.by, action="db.encrypt" if done.encrypt else "db.decrypt",
                     entity_type="database", entity_id=done.path.name,
                     data={"key_store": "keyring" if store == "keyring" else ("env" if store.startswith("env:")
                                                                               else "file")})
    fresh = backup(settings, db, "after-encrypt" if done.encrypt else "after-decrypt")
    removed = shred_plain_backups(settings, fresh) if done.encrypt else []
    if settings.encrypt_db != done.encrypt:
        settings.encrypt_db = done.encrypt
        settings.save()
    return ConversionRecord(fresh, removed)
