"""``motcua officer``: accounts of counter officers, postal agents, supervisors, admins."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("officer", help="officer accounts")
    s = p.add_subparsers(dest="officer_command", required=True)
    a = s.add_parser("add", help="create an account")
    a.add_argument("username")
    a.add_argument("--name", required=True, help="full name")
    a.add_argument("--role", required=True, choices=["counter_officer", "postal_agent", "supervisor", "admin"])
    a.add_argument("--position", default="")
    a.add_argument("--unit", help="agency code of the unit")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    a.set_defaults(func=_add)
    ls = s.add_parser("list", help="list accounts")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)


def _add(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Actor

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif os.isatty(0):
        password = getpass.getpass(msg("Mật khẩu: ", "Password: "))
    else:
        password = ""
    who = ctx.auth.create_officer(Actor.cli(), username=args.username, full_name=args.name, role=args.role,
                                  password=password, position=args.position, unit_code=args.unit)
    print(msg("Đã tạo tài khoản {u} ({r}).", "Created account {u} ({r}).", u=who.username, r=who.role.value))
    return 0


def _list(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    rows = [{"username": a.username, "name": a.full_name, "role": a.role.value} for a in ctx.auth.officers()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for r in rows:
            print(f"{r['username']:<20} {r['role']:<16} {r['name']}")
    return 0
