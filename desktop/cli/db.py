"""``motcua db``: schema status and migration, for the IT administrator."""

from __future__ import annotations

import argparse
import json

from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="database status and migration")
    s = p.add_subparsers(dest="db_command", required=True)
    st = s.add_parser("status", help="schema revision of the database against the code")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=_status)
    m = s.add_parser("migrate", help="upgrade the schema (an SQLite file is backed up first)")
    m.set_defaults(func=_migrate)
    ic = s.add_parser("init-centre", help="a centre's PostgreSQL: schema, least-privilege roles, TLS and SCRAM "
                                          "(--db-url: the administrator's URL with sslmode=verify-full)")
    ic.add_argument("--role", action="append", default=[], metavar="NAME",
                    help="a login role for a workstation or an officer group (repeatable)")
    ic.add_argument("--rotate", action="store_true", help="give existing roles a new password")
    ic.add_argument("--json", action="store_true")
    ic.set_defaults(func=_init_centre)


def _database(ctx):  # type: ignore[no-untyped-def]
    from desktop.db import Database

    return Database(ctx.settings.resolved_db_url())


def _status(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    db = _database(ctx)
    try:
        st = db.status()
    finally:
        db.dispose()
    if args.json:
        print(json.dumps({"url": db.display_url(), "current": sorted(st.current), "heads": sorted(st.heads),
                          "up_to_date": st.up_to_date}))
    else:
        print(msg("Cơ sở dữ liệu: {u}", "Database: {u}", u=db.display_url()))
        print(msg("Phiên bản hiện tại: {c}; phiên bản mới nhất: {h}", "Current revision: {c}; newest: {h}",
                  c=", ".join(sorted(st.current)) or "-", h=", ".join(sorted(st.heads))))
        print(msg("Đã cập nhật." if st.up_to_date else "Cần nâng cấp: chạy “motcua db migrate”.",
                  "Up to date." if st.up_to_date else "Needs an upgrade: run “motcua db migrate”."))
    return 0 if st.up_to_date else 1


def _migrate(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.seed import ensure_seeded

    db = _database(ctx)
    try:
        st = db.migrate()
        ensure_seeded(db, ctx.settings)
        if db.is_postgres:  # tables a migration added get the workstations' rights too
            from desktop.db.centre import apply_grants, group_exists

            with db.engine.begin() as conn:
                if group_exists(conn):
                    apply_grants(conn)
    finally:
        db.dispose()
    print(msg("Đã nâng cấp lên {h}.", "Migrated to {h}.", h=", ".join(sorted(st.current))))
    return 0


def _init_centre(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.db.centre import HBA_LINES, init_centre, workstation_url

    url = ctx.settings.db_url
    if not url:
        from desktop.kernel.errors import InvalidInput

        raise InvalidInput(msg("Cần --db-url của quản trị viên.", "The administrator's --db-url is needed."))
    roles = init_centre(ctx.settings.resolved_db_url(), args.role, ctx.settings, rotate=args.rotate)
    if args.json:
        print(json.dumps({"roles": [{"name": r.name, "password": r.password, "created": r.created,
                                     "url": workstation_url(url, r.name)} for r in roles],
                          "pg_hba": list(HBA_LINES)}, ensure_ascii=False))
        return 0
    print(msg("Đã tạo lược đồ và quyền cho nhóm máy trạm.", "Schema and workstation rights are in place."))
    for r in roles:
        print(f"{r.name}: {workstation_url(url, r.name)}")
        if r.password:
            print(msg("  mật khẩu (chỉ hiện một lần; trên máy trạm: motcua config set database.password -): {p}",
                      "  password (shown once; on the workstation: motcua config set database.password -): {p}",
                      p=r.password))
    print(msg("pg_hba.conf của máy chủ cần có (từ chối kết nối không mã hóa):",
              "The server's pg_hba.conf needs (connections without TLS refused):"))
    for line in HBA_LINES:
        print("  " + line)
    return 0
