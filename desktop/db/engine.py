"""Engine creation (SQLite embedded default, PostgreSQL for many counters) and migrations.

SQLite runs in WAL mode with a busy timeout and ``BEGIN IMMEDIATE`` transactions, so
several local processes (the app, a kiosk, the CLI) can share one file without the
"database is locked" upgrade deadlock. PostgreSQL is used as it is.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
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


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    # The driver's own transaction handling is switched off so that we can emit
    # BEGIN IMMEDIATE ourselves (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One database: engine, session factory, migration helpers."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 5) -> None:
        self.url = make_url(url)
        kwargs: dict[str, object] = {"echo": echo, "future": True}
        if self.is_sqlite:
            path = self.url.database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs.update(pool_size=pool_size, pool_pre_ping=True)
        self.engine: Engine = create_engine(self.url, **kwargs)  # type: ignore[arg-type]
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)

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

    def _alembic_config(self) -> Config:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.set_main_option("path_separator", "os")
        return cfg

    def script_heads(self) -> frozenset[str]:
        from alembic.script import ScriptDirectory

        return frozenset(ScriptDirectory.from_config(self._alembic_config()).get_heads())

    def status(self) -> MigrationStatus:
        """Which revisions the database is at, against what the code expects."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        try:
            with self.engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_heads()
        except (OperationalError, DatabaseError) as exc:
            raise self._explain(exc) from exc
        script = ScriptDirectory.from_config(self._alembic_config())
        known = {rev.revision for rev in script.walk_revisions()}
        return MigrationStatus(frozenset(current), frozenset(script.get_heads()),
                               frozenset(r for r in current if r not in known))

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

        cfg = self._alembic_config()
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

    def _explain(self, exc: Exception) -> MotcuaError:
        text_ = str(exc).lower()
        if self.is_sqlite and ("not a database" in text_ or "malformed" in text_):
            return MotcuaError(
                msg("Tệp cơ sở dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu motcua.",
                    "The database file {path} is damaged or is not a motcua database.",
                    path=self.sqlite_path),
                hint=msg("Tệp không bị thay đổi. Hãy khôi phục bản sao lưu (*.bak-*) cạnh tệp, "
                         "hoặc đổi tên tệp hỏng để ứng dụng tạo cơ sở dữ liệu mới.",
                         "The file was left untouched. Restore a backup (*.bak-*) next to it, "
                         "or rename the damaged file so that a new database is created."),
            )
        return MotcuaError(
            msg("Không kết nối được cơ sở dữ liệu {url}: {err}",
                "Cannot reach the database {url}: {err}",
                url=self.display_url(), err=str(exc.args[0] if exc.args else exc).strip()[:300]),
            hint=msg("Kiểm tra MOTCUA_DB_URL / --db-url và máy chủ PostgreSQL.",
                     "Check MOTCUA_DB_URL / --db-url and the PostgreSQL server."),
        )
