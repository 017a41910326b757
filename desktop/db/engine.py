"""Engine creation (SQLite embedded default, PostgreSQL for many counters) and migrations.

SQLite runs in WAL mode with a busy timeout and ``BEGIN IMMEDIATE`` transactions, so
several local processes (the app, a kiosk, the CLI) can share one file without the
"database is locked" upgrade deadlock. PostgreSQL is used as it is.
"""

from __future__ import annotations

import functools
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from desktop.kernel.errors import MotcuaError
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where migrations are looked at, not with this module: it costs about a
# third of a second at start-up (all its dialect modules), before the sign-in window can show.
log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@dataclass(frozen=True)
class MigrationStatus:
    current: frozenset[str]
    heads: frozenset[str]

    @property
    def up_to_date(self) -> bool:
        return self.current == self.heads

    #: revisions of the database that this application does not know: a newer motcua wrote them
    unknown: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.current

    @property
    def newer(self) -> bool:
        return bool(self.unknown)


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    return cfg


@dataclass(frozen=True)
class _Scripts:
    heads: frozenset[str]
    known: frozenset[str]


@functools.cache
def _scripts() -> _Scripts:
    """The revisions the code ships, read once per process: Alembic's ScriptDirectory imports
    every migration file, and a start asked for them three times (about 0.3 s)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return _Scripts(frozenset(script.get_heads()), frozenset(rev.revision for rev in script.walk_revisions()))


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:  # a DB-API connection (sqlite3)
    # The driver's own transaction handling is switched off so that we can emit
    # BEGIN IMMEDIATE ourselves (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One database: engine, session factory, migration helpers."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 5, key: bytes | None = None) -> None:
        self.url = make_url(url)
        #: the SQLCipher key of an encrypted embedded database (desktop.db.cipher); never in the URL
        self.key = key
        kwargs: dict[str, object] = {"echo": echo, "future": True}
        if key is not None:
            from desktop.db.cipher import dbapi_module

            kwargs["module"] = dbapi_module(key)
        if self.is_sqlite:
            path = self.url.database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs.update(pool_size=pool_size, pool_pre_ping=True)
        self.engine: Engine = create_engine(self.url, **kwargs)
        if key is not None:
            event.listen(self.engine, "do_connect", self._cipher_connect)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)

    def _cipher_connect(self, _dialect: Any, _record: object, cargs: tuple[Any, ...],
                        cparams: dict[str, Any]) -> Any:
        # the connection is made here so that PRAGMA key is its first statement, before the
        # dialect's and our own pragmas read the file
        from desktop.db.cipher import connect

        return connect(cargs[0] if cargs else cparams.pop("database"), self.key,
                       **{k: v for k, v in cparams.items() if k != "database"})

    def raw_connect(self, database: str | Path, **kwargs: Any) -> Any:
        """A DB-API connection to ``database`` (this file, a backup of it) with this database's key."""
        from desktop.db.cipher import connect

        return connect(database, self.key, **kwargs)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @property
    def sqlite_path(self) -> Path | None:
        db = self.url.database
        return Path(db) if self.is_sqlite and db and db != ":memory:" else None

    def display_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self.Session() as s, s.begin():
            yield s

    def dispose(self) -> None:
        self.engine.dispose()

    # --- migrations -----------------------------------------------------------------

    def alembic_config(self) -> Config:
        """Alembic's configuration for this code's migrations (for ``command.upgrade`` etc.)."""
        return _alembic_config()

    def script_heads(self) -> frozenset[str]:
        return _scripts().heads

    def status(self) -> MigrationStatus:
        """Which revisions the database is at, against what the code expects."""
        from alembic.runtime.migration import MigrationContext

        try:
            with self.engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_heads()
        except (OperationalError, DatabaseError) as exc:
            raise self._explain(exc) from exc
        scripts = _scripts()
        return MigrationStatus(frozenset(current), scripts.heads,
                               frozenset(r for r in current if r not in scripts.known))

    def newer_error(self, st: MigrationStatus) -> MotcuaError:
        from desktop import __version__

        return MotcuaError(
            msg("Cơ sở dữ liệu {u} do một phiên bản motcua mới hơn tạo (lược đồ {r}); bản {v} này không dùng được nó.",
                "The database {u} was made by a newer motcua (schema {r}); this version {v} cannot use it.",
                u=self.display_url(), r=", ".join(sorted(st.unknown)), v=__version__),
            hint=msg("Cài phiên bản motcua mới nhất trên máy trạm này; cơ sở dữ liệu không bị thay đổi.",
                     "Install the newest motcua on this workstation; the database was left untouched."))

    def migrate(self, *, backup: bool = True, admin: bool = True) -> MigrationStatus:
        """Bring the schema to the newest revision; back up an SQLite file first.

        A database newer than the code is refused. ``admin=False`` (the application
        starting) creates an empty database but leaves an older PostgreSQL schema to the
        administrator's ``motcua db migrate``: many workstations share it, and one of them
        upgrading it at start would change it under the others.
        """
        before = self.status()
        if before.newer:
            raise self.newer_error(before)
        if before.up_to_date:
            return before
        if not admin and self.is_postgres and not before.empty:
            raise MotcuaError(
                msg("Lược đồ cơ sở dữ liệu {u} cũ hơn ứng dụng ({c}, cần {h}).",
                    "The database {u} has an older schema than the application ({c}, needs {h}).",
                    u=self.display_url(), c=", ".join(sorted(before.current)), h=", ".join(sorted(before.heads))),
                hint=msg("Quản trị viên chạy “motcua db migrate --db-url …” một lần cho trung tâm, sau khi sao lưu.",
                         "The administrator runs “motcua db migrate --db-url …” once for the centre, after a backup."))
        path = self.sqlite_path
        if backup and path is not None and path.exists() and not before.empty:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target = path.with_name(f"{path.name}.bak-{stamp}")
            self.dispose()  # WAL content is checkpointed when the last connection closes
            shutil.copy2(path, target)
            log.info("backed up %s to %s before migrating", path, target)
        from alembic import command

        cfg = _alembic_config()
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
        after = self.status()
        log.info("database %s migrated from %s to %s", self.display_url(),
                 sorted(before.current), sorted(after.current))
        return after

    def check_connection(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                if self.is_sqlite:
                    conn.exec_driver_sql("PRAGMA schema_version").fetchone()
        except (OperationalError, DatabaseError) as exc:
            raise self._explain(exc) from exc

    def check_writable(self) -> None:
        """Raise the reason if this process cannot write the database (read-only file, folder, role)."""
        try:
            with self.engine.connect() as conn, conn.begin() as tx:
                # touch a real row and roll back: a read-only file, folder or server refuses at once
                conn.execute(text("UPDATE audit_head SET seq = seq WHERE id = (SELECT MIN(id) FROM audit_head)"))
                conn.execute(text("UPDATE officer SET id = id WHERE id = (SELECT MIN(id) FROM officer)"))
                tx.rollback()
        except (OperationalError, DatabaseError) as exc:
            raise self._explain(exc) from exc

    def _explain(self, exc: Exception) -> MotcuaError:
        if self.key is not None and self.sqlite_path is not None and "not a database" in str(exc).lower():
            from desktop.db.cipher import wrong_key

            return wrong_key(self.sqlite_path)
        return explain_database_error(exc, self.url.render_as_string(hide_password=False)) or MotcuaError(
            msg("Lỗi cơ sở dữ liệu {url}.", "Database error on {url}.", url=self.display_url()),
            hint=msg("Chi tiết kỹ thuật đã ghi vào tệp nhật ký.", "Technical details are in the log file."))


#: a refusal while connecting carries no SQLSTATE in psycopg: libpq's text says which it was
#: (the server's own words, English unless its lc_messages says otherwise)
_CONNECT_REFUSALS = (("password authentication failed", "28P01"), ("no pg_hba.conf entry", "28000"),
                     ("role \"", "28000"), ("database \"", "3D000"), ("too many clients", "53300"),
                     ("remaining connection slots", "53300"))


def _connect_state(text_: str) -> str:
    if "FATAL:" not in text_:
        return ""
    fatal = text_.split("FATAL:", 1)[1]
    for words, state in _CONNECT_REFUSALS:
        if words in fatal and (state != "3D000" or "does not exist" in fatal):
            return state
    return ""


def _explain_server_error(exc: BaseException, shown: str, role: str) -> MotcuaError:
    """A PostgreSQL refusal by its SQLSTATE class: a server that answered and said no is not
    a server that cannot be reached (the officer and the IT admin fix different things)."""
    orig = getattr(exc, "orig", None) or exc
    state = str(getattr(orig, "sqlstate", "") or "") or _connect_state(str(orig))
    lines = str(orig).strip().splitlines()
    err = (lines[0] if lines else "")[:300]
    if state == "25006":  # read_only_sql_transaction: a standby, or default_transaction_read_only
        return MotcuaError(
            msg("Cơ sở dữ liệu {url} chỉ cho đọc: máy chủ từ chối ghi, không lưu được thay đổi nào.",
                "The database {url} is read-only: the server refuses writes, no change can be saved.", url=shown),
            hint=msg("Có thể đây là máy chủ dự phòng (standby) hoặc cơ sở dữ liệu đặt chế độ chỉ đọc: "
                     "trỏ MOTCUA_DB_URL tới máy chủ chính, hoặc nhờ quản trị viên bỏ chế độ chỉ đọc.",
                     "It may be a standby server or a database set read-only: point MOTCUA_DB_URL at the "
                     "primary, or ask the administrator to lift read-only mode."))
    if state == "42501":  # insufficient_privilege
        return MotcuaError(
            msg("Tài khoản cơ sở dữ liệu “{role}” không có quyền cần thiết trên {url}.",
                "The database role “{role}” lacks a privilege it needs on {url}: {err}", role=role, url=shown, err=err),
            hint=msg("Nhờ quản trị viên cấp quyền (“motcua db init-centre” tạo đúng các quyền).",
                     "Ask the administrator to grant it (“motcua db init-centre” sets the right grants)."))
    if state.startswith("28"):  # invalid authorization: wrong role or password
        return MotcuaError(
            msg("Máy chủ cơ sở dữ liệu {url} từ chối đăng nhập của “{role}”: sai tên hoặc mật khẩu.",
                "The database server {url} refused the role “{role}”: wrong name or password.", role=role, url=shown),
            hint=msg("Kiểm tra tên và mật khẩu trong MOTCUA_DB_URL / --db-url hoặc trong kho khóa của hệ điều hành.",
                     "Check the name and password in MOTCUA_DB_URL / --db-url or in the OS keyring."))
    if state == "3D000":  # invalid_catalog_name
        return MotcuaError(
            msg("Máy chủ trả lời nhưng không có cơ sở dữ liệu {url}.", "The server answers but has no database {url}.",
                url=shown),
            hint=msg("Tạo nó bằng “motcua db init-centre”, hoặc sửa tên trong MOTCUA_DB_URL.",
                     "Create it with “motcua db init-centre”, or correct the name in MOTCUA_DB_URL."))
    if state.startswith("53"):  # insufficient resources: disk full, too many connections
        return MotcuaError(
            msg("Máy chủ cơ sở dữ liệu {url} hết tài nguyên (ổ đĩa, bộ nhớ hoặc số kết nối).",
                "The database server {url} is out of resources (disk, memory or connections): {err}",
                url=shown, err=err),
            hint=msg("Báo quản trị viên máy chủ rồi thử lại; thay đổi vừa rồi chưa được lưu.",
                     "Tell the server's administrator and try again; the change just made was not saved."))
    return MotcuaError(
        msg("Không kết nối được cơ sở dữ liệu {url}.", "Cannot reach the database {url}: {err}", url=shown, err=err),
        hint=msg("Kiểm tra MOTCUA_DB_URL / --db-url và máy chủ PostgreSQL (chi tiết trong tệp nhật ký).",
                 "Check MOTCUA_DB_URL / --db-url and the PostgreSQL server."))


def explain_database_error(exc: BaseException, url: str) -> MotcuaError | None:
    """A database refusal as a message in the user's language with its fix; None if it looks like a bug.

    The driver's English text is kept out of the Vietnamese message (it is in the log).
    """
    from desktop.db.cipher import errors

    if not isinstance(exc, (OperationalError, DatabaseError, *errors())):
        return None
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    text_ = str(exc).lower()
    if parsed.get_backend_name() != "sqlite":
        return _explain_server_error(exc, shown, parsed.username or "")
    path = Path(parsed.database or "")
    folder = path.parent
    if "not a database" in text_ or "malformed" in text_:
        return MotcuaError(
            msg("Tệp cơ sở dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu motcua.",
                "The database file {path} is damaged or is not a motcua database.", path=path),
            hint=msg("Tệp không bị thay đổi. Khôi phục bản sao lưu gần nhất: “motcua db restore”; "
                     "hoặc bắt đầu cơ sở dữ liệu mới có chủ ý: “motcua db init --new-database”.",
                     "The file was left untouched. Restore the newest backup: “motcua db restore”; "
                     "or start a new database on purpose: “motcua db init --new-database”."))
    if "readonly" in text_ or "read-only" in text_:
        return MotcuaError(
            msg("Cơ sở dữ liệu {path} chỉ đọc được, không ghi được: không lưu được thay đổi nào.",
                "The database {path} can be read but not written: no change can be saved.", path=path),
            hint=msg("Cho tài khoản đang chạy motcua quyền ghi cả tệp đó lẫn thư mục {d} (SQLite ghi thêm tệp "
                     "-wal, -shm bên cạnh), hoặc chuyển dữ liệu sang ổ ghi được (--data-dir).",
                     "Give the account running motcua write access to that file and to the folder {d} (SQLite "
                     "writes -wal and -shm files beside it), or move the data to a writable drive (--data-dir).",
                     d=folder))
    if "unable to open database file" in text_:
        return MotcuaError(
            msg("Không mở được tệp cơ sở dữ liệu {path}.", "Cannot open the database file {path}.", path=path),
            hint=msg("Kiểm tra thư mục {d} có tồn tại, và tài khoản đang chạy motcua có quyền đọc, ghi trong đó.",
                     "Check that the folder {d} exists and the account running motcua may read and write in it.",
                     d=folder))
    if "disk is full" in text_ or "database or disk is full" in text_:
        return MotcuaError(
            msg("Ổ đĩa chứa {path} đã đầy: thay đổi chưa được lưu.", "The disk holding {path} is full: the change "
                "was not saved.", path=path),
            hint=msg("Giải phóng dung lượng rồi thử lại.", "Free some space and try again."))
    if "disk i/o error" in text_:
        return MotcuaError(
            msg("Lỗi đọc/ghi ổ đĩa với {path}.", "Disk input/output error on {path}.", path=path),
            hint=msg("Ổ đĩa có thể bị rút ra hoặc hỏng; kiểm tra rồi thử lại. Không xóa các tệp -wal/-shm.",
                     "The drive may have been removed or be failing; check it and retry. Do not delete the "
                     "-wal/-shm files."))
    if "database is locked" in text_:
        return MotcuaError(
            msg("Cơ sở dữ liệu {path} đang bị chương trình khác khóa.", "The database {path} is locked by another "
                "program.", path=path),
            hint=msg("Đợi chương trình đó (sao lưu, đồng bộ) xong rồi thử lại.",
                     "Wait for that program (backup, sync) to finish and try again."))
    if isinstance(exc, OperationalError) or (isinstance(exc, errors()) and type(exc).__name__ == "OperationalError"):
        return MotcuaError(msg("Lỗi cơ sở dữ liệu {path}.", "Database error on {path}.", path=path),
                           hint=msg("Chi tiết kỹ thuật đã ghi vào tệp nhật ký.", "Technical details are in the log file."))
    return None
