"""``motcua officer``: accounts of counter officers, postal agents, supervisors, admins; passwords."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import TYPE_CHECKING

from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("officer", help="officer accounts")
    s = p.add_subparsers(dest="officer_command", required=True)
    a = s.add_parser("add", help="create an account")
    a.add_argument("username")
    a.add_argument("--name", required=True, help="full name")
    a.add_argument("--role", required=True, choices=["counter_officer", "postal_agent", "supervisor", "admin"])
    a.add_argument("--position", default="")
    a.add_argument("--unit", help="agency code of the unit")
    a.add_argument("--password-stdin", action="store_true",
                   help="read the new account's password from standard input (after the sign-in password, "
                        "if that comes from stdin too); else MOTCUA_NEW_PASSWORD, else asked")
    a.set_defaults(func=_add)
    ls = s.add_parser("list", help="list accounts")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    pw = s.add_parser("passwd", help="change your password; an administrator names someone to reset theirs",
                      description="Your own password: the current one (--user/MOTCUA_USER with MOTCUA_PASSWORD, "
                                  "or asked), then the new one (MOTCUA_NEW_PASSWORD, the terminal, or the next "
                                  "line of stdin). With USERNAME, an administrator sets that account's password, "
                                  "which its owner must change at the next sign-in.")
    pw.add_argument("username", nargs="?", help="(administrator) the account to reset")
    pw.set_defaults(func=_passwd)


def _new_password(prompt: str) -> str:
    from desktop.cli._signin import read_secret
    from desktop.kernel.errors import InvalidInput

    if os.environ.get("MOTCUA_NEW_PASSWORD") is not None:
        return os.environ["MOTCUA_NEW_PASSWORD"]
    first = read_secret(prompt)
    if sys.stdin is not None and sys.stdin.isatty():
        again = getpass.getpass(msg("Nhập lại: ", "Again: "))
        if again != first:
            raise InvalidInput(msg("Hai lần nhập không khớp.", "The two entries differ."))
    return first


def _add(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.MANAGE_OFFICERS)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif os.environ.get("MOTCUA_NEW_PASSWORD") is not None:
        password = os.environ["MOTCUA_NEW_PASSWORD"]
    elif os.isatty(0):
        password = getpass.getpass(msg("Mật khẩu: ", "Password: "))
    else:
        password = ""
    who = ctx.auth.create_officer(actor, username=args.username, full_name=args.name, role=args.role,
                                  password=password, position=args.position, unit_code=args.unit)
    print(msg("Đã tạo tài khoản {u} ({r}).", "Created account {u} ({r}).", u=who.username, r=who.role.value))
    return 0


def _list(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    officer(args, ctx, Permission.MANAGE_OFFICERS)
    rows = [{"username": a.username, "name": a.full_name, "role": a.role.value,
             "must_change_password": a.must_change_password} for a in ctx.auth.officers()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for r in rows:
            print(f"{r['username']:<20} {r['role']:<16} {r['name']}")
    return 0


def _passwd(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.cli._signin import SessionFile, given_user, officer, read_secret
    from desktop.kernel.errors import InvalidInput

    me = given_user(args)
    if args.username and args.username != me:
        # a reset by an administrator (signed in any way the command line allows)
        actor = officer(args, ctx)
        new = _new_password(msg("Mật khẩu mới cho {u}: ", "New password for {u}: ", u=args.username))
        ctx.auth.reset_password(actor, args.username, new)
        print(msg("Đã đặt mật khẩu mới cho {u}; người đó phải đổi khi đăng nhập.",
                  "Set a new password for {u}; they must change it at their next sign-in.", u=args.username))
        return 0
    # One's own password: the current one proves who asks, even with a session open.
    if not me:
        token = SessionFile.for_context(ctx).read()
        from desktop.auth import os_user

        resumed = ctx.auth.resume_cli_session(token, os_user()) if token else None
        me = resumed.username if resumed else ""
    if not me:
        raise InvalidInput(msg("Cần tên đăng nhập: --user TÊN (hoặc MOTCUA_USER).",
                               "A user name is needed: --user NAME (or MOTCUA_USER)."))
    old = read_secret(msg("Mật khẩu hiện tại của {u}: ", "Current password of {u}: ", u=me), "MOTCUA_PASSWORD")
    new = _new_password(msg("Mật khẩu mới: ", "New password: "))
    ctx.auth.change_password(me, old, new)
    print(msg("Đã đổi mật khẩu của {u}.", "Changed the password of {u}.", u=me))
    return 0
