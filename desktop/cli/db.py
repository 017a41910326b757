"""``motcua db``: schema status and migration, online backups, restore and checks, for the IT administrator."""

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
    b = s.add_parser("backup", help="an online backup with SQLite's backup API (others may keep writing)")
    b.set_defaults(func=_backup)
    r = s.add_parser("restore", help="replace the database by a backup (the current one is backed up first)")
    r.add_argument("backup", help="a backup file, or “latest”")
    r.set_defaults(func=_restore)
    c = s.add_parser("check", help="integrity and foreign keys of the SQLite file; age of the last backup")
    c.set_defaults(func=_check)
    i = s.add_parser("init", help="create and seed the database (a brand-new data directory needs no init)")
    i.add_argument("--new-database", action="store_true",
                   help="start anew on purpose where the database of this data directory disappeared")
    i.set_defaults(func=_init)


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
    from desktop.db.storage import open_database

    # Signing in opens the database, which (as for every command) brings the schema up to
    # date first: the sign-in needs the current officer table.
    officer(args, ctx, Permission.MANAGE_SETTINGS)
    db = open_database(ctx.settings)  # guarded; an SQLite file is backed up before it is migrated
    try:
        st = db.status()
    finally:
        db.dispose()
    print(msg("Đã nâng cấp lên {h}.", "Migrated to {h}.", h=", ".join(sorted(st.current))))
    return 0


def _init(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.db.storage import open_database

    db = open_database(ctx.settings, new_database=args.new_database)
    db.dispose()
    print(msg("Cơ sở dữ liệu sẵn sàng: {u}", "Database ready: {u}", u=db.display_url()))
    return 0


def _backup(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.db.storage import backup

    officer(args, ctx, Permission.MANAGE_SETTINGS)  # a copy of every citizen's data

    path = backup(ctx.settings, ctx.db, "manual")
    print(msg("Đã sao lưu vào {p}", "Backed up to {p}", p=path))
    return 0


def _restore(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from desktop.db import Database
    from desktop.db.storage import latest_backup, restore
    from desktop.kernel.errors import NotFound

    source = latest_backup(ctx.settings) if args.backup == "latest" else Path(args.backup)
    if source is None or not source.is_file():
        raise NotFound(msg("Không có bản sao lưu {b}.", "No backup {b}.", b=args.backup))
    # not ctx.db: that one refuses a vanished database, which is exactly what is restored here
    db = Database(ctx.settings.resolved_db_url())
    try:
        before = restore(ctx.settings, db, source)
    finally:
        db.dispose()
    print(msg("Đã khôi phục từ {s}.", "Restored from {s}.", s=source))
    if before is not None:
        print(msg("Nội dung trước đó đã được sao lưu vào {b}.", "The previous content was backed up to {b}.", b=before))
    return 0


def _check(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.db.storage import backup_age, check, latest_backup

    problems = check(ctx.db)
    age = backup_age(ctx.settings)
    for p in problems:
        print(f"  {p}")
    print(msg("Cơ sở dữ liệu nguyên vẹn." if not problems else "Cơ sở dữ liệu bị hỏng ({n} vấn đề).",
              "The database is sound." if not problems else "The database is damaged ({n} problems).", n=len(problems)))
    if age is None:
        print(msg("Chưa có bản sao lưu nào.", "No backup yet."))
    else:
        print(msg("Bản sao lưu mới nhất: {b} ({h} giờ trước).", "Latest backup: {b} ({h} h ago).",
                  b=latest_backup(ctx.settings), h=round(age.total_seconds() / 3600, 1)))
    return 1 if problems else 0
