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
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.seed import ensure_seeded

    # Signing in opens the database, which (as for every command) brings the schema up to
    # date first: the sign-in needs the current officer table.
    officer(args, ctx, Permission.MANAGE_SETTINGS)

    db = _database(ctx)
    try:
        st = db.migrate()
        ensure_seeded(db, ctx.settings)
    finally:
        db.dispose()
    print(msg("Đã nâng cấp lên {h}.", "Migrated to {h}.", h=", ".join(sorted(st.current))))
    return 0
