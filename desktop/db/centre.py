"""A centre's PostgreSQL: schema, least-privilege roles, TLS and SCRAM (``motcua db init-centre``).

The administrator runs this once per centre (and again after ``motcua db migrate`` adds
tables, which ``db migrate`` does by itself when the roles exist). It:

- refuses an administrator URL that does not verify the server (``sslmode=verify-full``
  with the centre's CA in ``sslrootcert``) or a session that is not encrypted;
- creates the schema (Alembic, as ``db migrate``) owned by the administrator;
- creates the group role :data:`GROUP` (no login) holding the workstations' rights: read
  and write on the application's own tables only, INSERT and SELECT but never UPDATE or
  DELETE on the audit log (:data:`APPEND_ONLY`), the audit chain head updatable but not
  deletable, read-only on ``alembic_version``, no CREATE anywhere;
- creates one login role per workstation or officer group, member of the group, with a
  SCRAM-SHA-256 password (``password_encryption`` is set for the statement, whatever the
  server's default).

Whether a connection without TLS is refused is the server's ``pg_hba.conf``
(``hostssl … scram-sha-256`` and ``hostnossl all all 0.0.0.0/0 reject``): :data:`HBA_LINES`
is printed for the administrator, and the test starts a server configured that way.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from desktop.config import Settings
from desktop.db.engine import Database
from desktop.kernel.errors import InvalidInput, MotcuaError
from desktop.kernel.i18n import msg

GROUP = "motcua_workstation"
#: tables a workstation may add to but never change or remove rows from
APPEND_ONLY = ("audit_event",)
#: tables a workstation may change rows of but never remove them from (the audit chain head)
NO_DELETE = ("audit_head",)
READ_ONLY = ("alembic_version",)
HBA_LINES = (
    "hostssl  all  all  0.0.0.0/0  scram-sha-256",
    "hostssl  all  all  ::/0       scram-sha-256",
    "hostnossl all all  0.0.0.0/0  reject",
    "hostnossl all all  ::/0       reject",
)
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass
class CentreRole:
    name: str
    password: str
    created: bool


def require_verified_tls(url: str) -> None:
    """The URL must make libpq verify the server's certificate against the centre's CA."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise InvalidInput(msg("init-centre chỉ dùng cho PostgreSQL.", "init-centre is for PostgreSQL only."))
    if parsed.query.get("sslmode") != "verify-full" or not parsed.query.get("sslrootcert"):
        raise InvalidInput(
            msg("URL quản trị phải dùng TLS có xác minh máy chủ (sslmode=verify-full và sslrootcert).",
                "The administrator URL must use TLS that verifies the server (sslmode=verify-full and sslrootcert)."),
            hint=msg("Ví dụ: postgresql+psycopg://admin@db.trungtam.vn/motcua?sslmode=verify-full"
                     "&sslrootcert=/etc/motcua/centre-ca.pem",
                     "For example: postgresql+psycopg://admin@db.centre.example/motcua?sslmode=verify-full"
                     "&sslrootcert=/etc/motcua/centre-ca.pem"))


def _session_encrypted(conn: Connection) -> bool:
    return bool(conn.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar())


def _quote(name: str) -> str:
    if not _ROLE.match(name):
        raise InvalidInput(msg("Tên vai trò “{r}” không hợp lệ (chữ thường, số, gạch dưới).",
                               "Role name “{r}” is not valid (lower-case letters, digits, underscore).", r=name))
    return f'"{name}"'


def apply_grants(conn: Connection) -> list[str]:
    """(Re)grant the group's rights on every table of the schema; returns the tables."""
    g = _quote(GROUP)
    db = conn.execute(text("SELECT current_database()")).scalar()
    conn.execute(text(f'REVOKE ALL ON DATABASE "{db}" FROM PUBLIC'))
    conn.execute(text(f'GRANT CONNECT, TEMPORARY ON DATABASE "{db}" TO {g}'))
    conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {g}"))
    tables = list(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).scalars())
    for table in tables:
        t = f'public."{table}"'
        conn.execute(text(f"REVOKE ALL ON {t} FROM {g}"))
        if table in READ_ONLY:
            rights = "SELECT"
        elif table in APPEND_ONLY:
            rights = "SELECT, INSERT"
        elif table in NO_DELETE:
            rights = "SELECT, INSERT, UPDATE"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        conn.execute(text(f"GRANT {rights} ON {t} TO {g}"))
    conn.execute(text(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {g}"))
    return tables


def group_exists(conn: Connection) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": GROUP}).scalar())


def init_centre(admin_url: str, roles: list[str], settings: Settings, *, rotate: bool = False) -> list[CentreRole]:
    """Schema, group and login roles; returns each role with its new password ('' if kept)."""
    require_verified_tls(admin_url)
    db = Database(admin_url)
    try:
        with db.engine.connect() as conn:
            if not _session_encrypted(conn):
                raise MotcuaError(msg("Phiên kết nối tới máy chủ không được mã hóa.", "The session to the server is not "
                                      "encrypted."), hint=msg("Bật ssl = on trên máy chủ PostgreSQL.",
                                                              "Turn ssl = on on the PostgreSQL server."))
        st = db.migrate()
        if not st.up_to_date:  # pragma: no cover - migrate raises or reaches the heads
            raise MotcuaError(msg("Không tạo được lược đồ.", "The schema could not be created."))
        from desktop.seed import ensure_seeded

        ensure_seeded(db, settings)
        made: list[CentreRole] = []
        with db.engine.begin() as conn:
            if not group_exists(conn):
                conn.execute(text(f"CREATE ROLE {_quote(GROUP)} NOLOGIN"))
            apply_grants(conn)
            conn.execute(text("SET LOCAL password_encryption = 'scram-sha-256'"))
            for name in roles:
                q = _quote(name)
                exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).scalar()
                password = ""
                if not exists or rotate:
                    password = secrets.token_urlsafe(18)
                    # a password literal cannot be a bind parameter in CREATE/ALTER ROLE; it is ours and
                    # URL-safe (letters, digits, - and _), so quoting it is safe
                    verb = "ALTER" if exists else "CREATE"
                    conn.execute(text(f"{verb} ROLE {q} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT "
                                      f"PASSWORD '{password}'"))
                conn.execute(text(f"GRANT {_quote(GROUP)} TO {q}"))
                conn.execute(text(f"ALTER ROLE {q} INHERIT"))
                made.append(CentreRole(name, password, not exists))
        return made
    finally:
        db.dispose()


def workstation_url(admin_url: str, role: str) -> str:
    """The URL a workstation uses: the role instead of the administrator, no password in it."""
    parsed = make_url(admin_url).set(username=role, password=None)
    return parsed.render_as_string(hide_password=False)
