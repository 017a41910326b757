"""Encryption at rest of the embedded database (SQLCipher), an option the administrator turns on.

* ``storage.encrypt_db = true`` makes a new embedded database an SQLCipher file; an existing
  plain one is converted by ``motcua db encrypt`` (and back by ``motcua db decrypt``).
  Whether a file is encrypted is read from the file itself (a plain SQLite file starts with
  ``SQLite format 3``), so an encrypted database is always opened with its key, whatever
  the setting says.
* The key is 32 random bytes, one per database file, kept in the operating system's keyring
  (service ``motcua``, ``database-key-<id>``). Where no keyring backend exists it goes to a
  0600 file in ``private/keys`` only if the administrator allowed it
  (``storage.db_key_file = true``); ``MOTCUA_DB_KEY`` (64 hex digits) wins over both, to
  open a copy on another machine. A missing or wrong key is said plainly and nothing is
  created over the file.
* Every connection to an encrypted file, the engine's and the raw ones of backups and checks,
  goes through :func:`connect` (``PRAGMA key`` first). One process uses one SQLite library
  for one file: the state of each path is read once per process (:func:`file_encrypted`),
  before this process connects to it, because opening and closing any other descriptor of
  the file would drop this process's POSIX locks on it (see ``storage``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.kernel.errors import Conflict, MotcuaError
from desktop.kernel.files import fsync_dir, fsync_file
from desktop.kernel.i18n import msg
from desktop.kernel.secret_keys import from_keyring, new_key_file, read_key_file

if TYPE_CHECKING:
    from desktop.config import Settings
    from desktop.db.engine import Database

log = logging.getLogger(__name__)
HEADER = b"SQLite format 3\x00"
KEY_ENV = "MOTCUA_DB_KEY"
SERVICE = "motcua"

#: path -> encrypted, read once per process before its first connection (see the docstring)
_STATE: dict[str, bool] = {}


class DatabaseKeyError(MotcuaError):
    """The key of an encrypted database is missing, wrong, or cannot be kept."""

    exit_code = 4


@dataclass(frozen=True)
class DatabaseKey:
    key: bytes
    #: "keyring", "env:MOTCUA_DB_KEY" or the path of the key file
    store: str

    def pragma(self) -> str:
        return pragma_value(self.key)


def pragma_value(key: bytes) -> str:
    """SQLCipher's raw-key form (no key derivation: the key is already random)."""
    return f"x'{key.hex()}'"


def errors() -> tuple[type[Exception], ...]:
    """The DB-API error classes of both SQLite libraries this process may use."""
    mod = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error, mod.Error) if mod is not None else (sqlite3.Error,)


def _canonical(path: Path) -> str:
    return str(path.resolve())


def key_name(path: Path) -> str:
    return "database-key-" + hashlib.sha256(_canonical(path).encode()).hexdigest()[:16]


def key_file(settings: Settings, path: Path) -> Path:
    return settings.key_dir / f"{key_name(path)}.key"


def read_header_encrypted(path: Path) -> bool | None:
    """True/False for a file with content, None for a missing or empty one (a new database)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(HEADER))
    except FileNotFoundError:
        return None
    if not head:
        return None
    return head != HEADER


def file_encrypted(path: Path) -> bool | None:
    """The state of ``path`` for this process (read once, then remembered)."""
    key = _canonical(path)
    if key in _STATE:
        return _STATE[key]
    state = read_header_encrypted(path)
    if state is not None:
        _STATE[key] = state
    return state


def remember(path: Path, encrypted: bool) -> None:
    _STATE[_canonical(path)] = encrypted


def forget(path: Path) -> None:
    _STATE.pop(_canonical(path), None)


# --- the key ---------------------------------------------------------------------------------


def _from_env() -> DatabaseKey | None:
    raw = os.environ.get(KEY_ENV, "").strip()
    if not raw:
        return None
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise DatabaseKeyError(msg("{v} phải là 64 chữ số thập lục phân (khóa 32 byte).",
                                   "{v} must be 64 hexadecimal digits (a 32-byte key).", v=KEY_ENV))
    return DatabaseKey(key, f"env:{KEY_ENV}")


def load_key(settings: Settings, path: Path, *, create: bool) -> DatabaseKey | None:
    """The key of the database file ``path``: environment, key file, keyring; a new one if ``create``."""
    env = _from_env()
    if env is not None:
        return env
    file = key_file(settings, path)
    if file.is_file():
        return DatabaseKey(read_key_file(file), str(file))
    key, reason = from_keyring(SERVICE, key_name(path), create=create)
    if key is not None:
        return DatabaseKey(key, "keyring")
    if not create:
        return None
    if not settings.db_key_file:
        raise DatabaseKeyError(
            msg("Không có kho khóa của hệ điều hành để giữ khóa mã hóa cơ sở dữ liệu; chưa mã hóa gì.",
                "No operating-system keyring is available to keep the database encryption key; nothing was "
                "encrypted."),
            hint=msg("Cài và mở một kho khóa (Windows: Trình quản lý thông tin xác thực; Linux: gnome-keyring), "
                     "hoặc cho phép giữ khóa trong tệp 0600 của thư mục riêng: "
                     "“motcua config set storage.db_key_file true” (xem docs/PRIVACY.md).",
                     "Install and unlock a keyring (Windows: Credential Manager; Linux: gnome-keyring), or allow "
                     "the key in a 0600 file of the private folder: “motcua config set storage.db_key_file true” "
                     "(see docs/PRIVACY.md)."))
    key = new_key_file(file)
    log.warning("no OS keyring backend (%s): the database key is kept in the 0600 file %s, as allowed by "
                "storage.db_key_file", reason[:200], file)
    return DatabaseKey(key, str(file))


def _missing(path: Path, settings: Settings) -> DatabaseKeyError:
    return DatabaseKeyError(
        msg("Cơ sở dữ liệu {p} đã được mã hóa nhưng không tìm thấy khóa của nó trên máy này; tệp không bị "
            "thay đổi.", "The database {p} is encrypted but its key is not on this machine; the file was left "
            "untouched.", p=path),
        hint=msg("Khôi phục khóa vào kho khóa của hệ điều hành, vào tệp {f}, hoặc đặt biến môi trường {v} "
                 "(64 chữ số, từ bản lưu khóa của quản trị viên). Không có khóa thì không đọc được dữ liệu.",
                 "Restore the key into the OS keyring, into the file {f}, or set the environment variable {v} "
                 "(64 digits, from the administrator's copy of the key). Without it the data cannot be read.",
                 f=key_file(settings, path), v=KEY_ENV))


def wrong_key(path: Path) -> DatabaseKeyError:
    return DatabaseKeyError(
        msg("Không mở được cơ sở dữ liệu mã hóa {p} bằng khóa của máy này: khóa sai, hoặc tệp bị hỏng. "
            "Tệp không bị thay đổi.", "The encrypted database {p} cannot be opened with this machine's key: the "
            "key is wrong, or the file is damaged. The file was left untouched.", p=path),
        hint=msg("Kiểm tra khóa (kho khóa, tệp khóa hoặc {v}) là khóa của chính tệp này; nếu tệp hỏng, khôi phục "
                 "bản sao lưu: “motcua db restore latest”.",
                 "Check that the key (keyring, key file or {v}) is this file's; if the file is damaged, restore a "
                 "backup: “motcua db restore latest”.", v=KEY_ENV))


def key_for(settings: Settings, url: str) -> bytes | None:
    """The key to open the workstation database ``url`` with; None for a plain (or non-SQLite) one."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    state = file_encrypted(path)
    if state is None:  # a new database: the setting decides
        if not settings.encrypt_db:
            remember(path, False)  # this process creates it plain: never read its header again
            return None
        found = load_key(settings, path, create=True)
        assert found is not None  # create=True gives a key or raises
        remember(path, True)
        return found.key
    if not state:
        if settings.encrypt_db:
            log.warning("storage.encrypt_db is on but the database %s is not encrypted yet: run “motcua db encrypt”",
                        path)
        return None
    found = load_key(settings, path, create=False)
    if found is None:
        raise _missing(path, settings)
    return found.key


def workstation_database(settings: Settings, url: str | None = None) -> Database:
    """The workstation's database engine, with its key when the file is encrypted (not connected yet)."""
    from desktop.db.engine import Database

    url = url or settings.resolved_db_url()
    return Database(url, key=key_for(settings, url))


# --- connections -----------------------------------------------------------------------------


def dbapi_module(key: bytes | None) -> Any:
    """The DB-API module for a file: SQLCipher's for an encrypted one, the standard library's otherwise."""
    if key is None:
        return sqlite3
    import sqlcipher3.dbapi2

    return sqlcipher3.dbapi2


def connect(database: str | Path, key: bytes | None, **kwargs: Any) -> Any:
    """A DB-API connection with the key given first; a wrong key raises :func:`wrong_key`'s error."""
    mod = dbapi_module(key)
    conn = mod.connect(str(database), **kwargs)
    if key is None:
        return conn
    try:
        # a global switch, not a read of the file: SQLCipher would print a wrong key's
        # "hmac check failed" to the terminal; the key stays the first statement on the file
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{pragma_value(key)}"')
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a wrong key fails here
    except mod.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc).lower():
            path = str(database).removeprefix("file:").split("?", 1)[0]
            raise wrong_key(Path(path)) from exc
        raise
    return conn


# --- converting a database in place ------------------------------------------------------------


def _swap(tmp: Path, path: Path) -> None:
    """The one step that makes the converted copy the database (atomic; a fault test breaks it)."""
    os.replace(tmp, path)


def shred(path: Path) -> None:
    """Overwrite a file's bytes before unlinking it (best effort: SSDs and copy-on-write file
    systems may keep old blocks; full-disk encryption covers those)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as f:
            left = size
            while left > 0:
                n = min(left, 1 << 20)
                f.write(secrets.token_bytes(n))
                left -= n
            f.flush()
            os.fsync(f.fileno())
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)


def leftovers(path: Path) -> list[Path]:
    return [path.with_name(path.name + ext) for ext in (".converting", ".old")]


def clean_leftovers(path: Path) -> None:
    """What an interrupted conversion left: the unfinished copy, the old file's second name.

    ``.old`` is a hard link made while converting: while it is the live file's inode it is only
    unlinked (overwriting it would destroy the database); once it is another file it holds the
    data as it was before the conversion and is shredded.
    """
    tmp, old = leftovers(path)
    tmp.unlink(missing_ok=True)
    if old.exists():
        if path.exists() and os.path.samefile(old, path):
            old.unlink()
        else:
            shred(old)


def convert(settings: Settings, path: Path, *, encrypt: bool) -> DatabaseKey:
    """Encrypt (or decrypt) the database file ``path`` in place; every other process must be stopped.

    ``sqlcipher_export`` writes a converted copy beside it, which is checked (integrity, every
    table's row count) and fsynced, then renamed over the database in one atomic step; a crash
    before it leaves the original as it was. The old file is then overwritten and removed.
    """
    import sqlcipher3.dbapi2 as mod

    state = read_header_encrypted(path)
    if state is None:
        raise Conflict(msg("Không có cơ sở dữ liệu {p} để chuyển đổi.", "There is no database {p} to convert.", p=path))
    if state == encrypt:
        raise Conflict(msg("Cơ sở dữ liệu {p} đã được mã hóa." if encrypt else "Cơ sở dữ liệu {p} chưa được mã hóa.",
                           "The database {p} is already encrypted." if encrypt else "The database {p} is not encrypted.",
                           p=path))
    clean_leftovers(path)
    found = load_key(settings, path, create=encrypt)
    if found is None:
        raise _missing(path, settings)
    tmp, old = leftovers(path)
    if encrypt:
        conn = mod.connect(str(path), timeout=2, isolation_level=None)
    else:
        conn = connect(path, found.key, timeout=2, isolation_level=None)
    try:
        try:
            # leaving WAL needs every other connection gone: a running motcua is found here
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise mod.OperationalError("database is locked")
            # held until this connection closes: nobody reads or writes until the swap
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
        except mod.OperationalError as exc:
            raise Conflict(msg("Cơ sở dữ liệu {p} đang được chương trình khác dùng; không chuyển đổi gì.",
                               "The database {p} is in use by another program; nothing was converted.", p=path),
                           hint=msg("Đóng mọi chương trình motcua trên máy này (ứng dụng, kiosk, bảng hiển thị) "
                                    "rồi chạy lại.", "Close every motcua program on this machine (window, kiosk, "
                                    "display board) and run it again.")) from exc
        target_key = pragma_value(found.key) if encrypt else ""
        conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(tmp), target_key))
        conn.execute("SELECT sqlcipher_export('converted')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA converted.user_version = {int(version)}")
        tables = [r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type='table' "
                                             "AND name NOT LIKE 'sqlite_%'")]
        counts = {t: conn.execute(f'SELECT count(*) FROM main."{t}"').fetchone()[0] for t in tables}
        conn.execute("DETACH DATABASE converted")
        check = connect(tmp, found.key if encrypt else None)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            copied = {t: check.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            check.close()
        if not ok or copied != counts:
            raise MotcuaError(msg("Bản chuyển đổi của {p} không khớp bản gốc; cơ sở dữ liệu không bị thay đổi.",
                                  "The converted copy of {p} does not match the original; the database was left "
                                  "untouched.", p=path))
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        fsync_file(tmp)
        os.link(path, old)  # the old content keeps a name until it is shredded
        if os.name == "nt":  # Windows renames nothing over a file still open; POSIX keeps the lock to the end
            conn.close()
        _swap(tmp, path)
        fsync_dir(path.parent)
        remember(path, encrypt)
    except BaseException:
        tmp.unlink(missing_ok=True)
        if old.exists() and os.path.samefile(old, path):
            old.unlink()
        raise
    finally:
        conn.close()
    if encrypt:
        shred(old)
    else:
        old.unlink(missing_ok=True)
    log.warning("database %s %s (key: %s)", path, "encrypted" if encrypt else "decrypted", found.store)
    return found
