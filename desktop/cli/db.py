"""``motcua db``: schema status and migration, online backups, restore and checks, for the IT administrator."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from desktop.cli._backup import add_no_backup, backup_first
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.db import Database
    from desktop.db.engine import MigrationStatus


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
    e = s.add_parser("encrypt", help="encrypt the embedded database in place (SQLCipher; the key in the OS "
                                     "keyring); stop every other motcua program first")
    add_no_backup(e)
    e.set_defaults(func=_encrypt)
    d = s.add_parser("decrypt", help="turn an encrypted embedded database back into a plain SQLite file")
    add_no_backup(d)
    d.set_defaults(func=_decrypt)
    k = s.add_parser("key", help="print the encrypted database's key (64 hex digits) for the administrator's "
                                 "safe: without it a copy of the database is unreadable")
    k.set_defaults(func=_key)
    i = s.add_parser("init", help="create and seed the database (a brand-new data directory needs no init)")
    i.add_argument("--new-database", action="store_true",
                   help="start anew on purpose where the database of this data directory disappeared")
    add_no_backup(i)
    i.set_defaults(func=_init)
    ic = s.add_parser("init-centre", help="a centre's PostgreSQL: schema, least-privilege roles, TLS and SCRAM "
                                          "(--db-url: the administrator's URL with sslmode=verify-full)")
    ic.add_argument("--role", action="append", default=[], metavar="NAME",
                    help="a login role for a workstation or an officer group (repeatable)")
    ic.add_argument("--rotate", action="store_true", help="give existing roles a new password")
    ic.add_argument("--json", action="store_true")
    ic.set_defaults(func=_init_centre)


def _database(ctx: AppContext) -> Database:
    from desktop.db.cipher import workstation_database

    return workstation_database(ctx.settings)


def _status(args: argparse.Namespace, ctx: AppContext) -> int:
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


def _migrate(args: argparse.Namespace, ctx: AppContext) -> int:
    from sqlalchemy.engine import make_url

    # from the URL alone: a Database here would build an engine only to ask its backend
    if make_url(ctx.settings.resolved_db_url()).get_backend_name() == "postgresql":
        st = _migrate_centre(ctx)
    else:
        from desktop.auth import Permission
        from desktop.cli._signin import officer
        from desktop.db.storage import open_database

        # Signing in opens the database, which (as for every command) brings the schema up
        # to date first, after a backup: the sign-in needs the current officer table.
        officer(args, ctx, Permission.MANAGE_SETTINGS)
        db = open_database(ctx.settings)
        try:
            st = db.status()
        finally:
            db.dispose()
    print(msg("Đã nâng cấp lên {h}.", "Migrated to {h}.", h=", ".join(sorted(st.current))))
    return 0


def _migrate_centre(ctx: AppContext) -> MigrationStatus:
    """A centre's PostgreSQL: the administrator's database role is the authority here, not an
    officer's sign-in, which reads tables an older schema may not have yet (workstations never
    upgrade a shared schema themselves, see Database.migrate)."""
    from desktop.seed import ensure_seeded

    db = _database(ctx)
    try:
        st = db.migrate()
        ensure_seeded(db, ctx.settings)
        from desktop.db.centre import apply_grants, group_exists

        with db.engine.begin() as conn:  # tables a migration added get the workstations' rights too
            if group_exists(conn):
                apply_grants(conn)
    finally:
        db.dispose()
    return st


def _init(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.db.storage import open_database

    db = open_database(ctx.settings, new_database=args.new_database, backup_first=not args.no_backup)
    db.dispose()
    print(msg("Cơ sở dữ liệu sẵn sàng: {u}", "Database ready: {u}", u=db.display_url()))
    return 0


def _backup(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.db.storage import backup

    officer(args, ctx, Permission.MANAGE_SETTINGS)  # a copy of every citizen's data

    path = backup(ctx.settings, ctx.db, "manual")
    print(msg("Đã sao lưu vào {p}", "Backed up to {p}", p=path))
    return 0


def _restore(args: argparse.Namespace, ctx: AppContext) -> int:
    from pathlib import Path

    from desktop.db.cipher import workstation_database
    from desktop.db.storage import latest_backup, restore
    from desktop.kernel.errors import NotFound

    source = latest_backup(ctx.settings) if args.backup == "latest" else Path(args.backup)
    if source is None or not source.is_file():
        raise NotFound(msg("Không có bản sao lưu {b}.", "No backup {b}.", b=args.backup))
    # not ctx.db: that one refuses a vanished database, which is exactly what is restored here
    db = workstation_database(ctx.settings)
    try:
        before = restore(ctx.settings, db, source)
    finally:
        db.dispose()
    print(msg("Đã khôi phục từ {s}.", "Restored from {s}.", s=source))
    if before is not None:
        print(msg("Nội dung trước đó đã được sao lưu vào {b}.", "The previous content was backed up to {b}.", b=before))
    return 0


def _check(args: argparse.Namespace, ctx: AppContext) -> int:
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


def _convert(args: argparse.Namespace, ctx: AppContext, *, encrypt: bool) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.db.cipher import convert, workstation_database
    from desktop.db.conversion import Converted, not_embedded, record_conversion, withdraw

    actor = officer(args, ctx, Permission.MANAGE_SETTINGS)  # signed in on the database as it is now
    path = ctx.db.sqlite_path
    if path is None:
        raise not_embedded()
    audit = ctx.audit  # keyed from the marker outside the database: the same before and after
    # a copy in the form the database has now (after encrypting, plain copies are shredded
    # once the encrypted database and its fresh backup exist)
    backup_first(args, ctx.settings, ctx.db, "before-encrypt" if encrypt else "before-decrypt")
    ctx.db.dispose()  # this process's own connections go first: the conversion needs the file alone
    found = convert(ctx.settings, path, encrypt=encrypt)
    withdraw(ctx.settings)  # done now: an earlier request from the Settings screen is answered
    db = workstation_database(ctx.settings)
    try:
        record = record_conversion(ctx.settings, db, audit, Converted(encrypt, path, found, actor.audit_name))
    finally:
        db.dispose()
    fresh, removed = record.backup, record.shredded
    if encrypt:
        print(msg("Đã mã hóa {p}. Khóa: {k}.", "Encrypted {p}. Key: {k}.", p=path,
                  k=msg("kho khóa của hệ điều hành", "the OS keyring") if found.store == "keyring" else found.store))
        if removed:
            print(msg("Đã xóa {n} bản sao lưu chưa mã hóa (bản mới: {b}).", "Removed {n} unencrypted backups (new "
                      "one: {b}).", n=len(removed), b=fresh))
        print(msg("Lưu khóa ở nơi an toàn (“motcua db key”): mất khóa là mất dữ liệu, cả các bản sao lưu.",
                  "Keep a copy of the key in a safe place (“motcua db key”): losing it loses the data, backups "
                  "included."))
    else:
        print(msg("Đã giải mã {p}; cơ sở dữ liệu giờ là tệp SQLite thường.", "Decrypted {p}; the database is a plain "
                  "SQLite file now.", p=path))
    return 0


def _encrypt(args: argparse.Namespace, ctx: AppContext) -> int:
    return _convert(args, ctx, encrypt=True)


def _decrypt(args: argparse.Namespace, ctx: AppContext) -> int:
    return _convert(args, ctx, encrypt=False)


def _key(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.kernel.errors import NotFound

    actor = officer(args, ctx, Permission.MANAGE_SETTINGS)
    if ctx.db.key is None:
        raise NotFound(msg("Cơ sở dữ liệu không được mã hóa: không có khóa.", "The database is not encrypted: there "
                           "is no key."))
    with ctx.db.session() as s:  # who read the key, and when
        ctx.audit.record(s, actor=actor.audit_name, action="db.key_shown", entity_type="database")
    print(ctx.db.key.hex())
    return 0


def _init_centre(args: argparse.Namespace, ctx: AppContext) -> int:
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
