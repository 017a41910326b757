"""``motcua login`` / ``motcua logout``: a sign-in session of this OS user on the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("login", help="sign in for the next commands of this OS user (a 0600 session file)")
    p.add_argument("username", nargs="?", help="user name (default: --user or MOTCUA_USER, else asked)")
    p.add_argument("--hours", type=float, default=8.0, help="the session ends after this many hours (default 8)")
    p.set_defaults(func=_login)
    o = sub.add_parser("logout", help="end this OS user's sign-in session")
    o.set_defaults(func=_logout)


def _login(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.auth import os_user, require_password_chosen
    from desktop.cli._signin import SessionFile, given_user, read_secret
    from desktop.kernel.errors import InvalidInput

    username = args.username or given_user(args)
    if not username and sys.stdin is not None and sys.stdin.isatty():
        username = input(msg("Tên đăng nhập: ", "User name: ")).strip()
    if not username:
        raise InvalidInput(msg("Cần tên đăng nhập: motcua login TÊN.", "A user name is needed: motcua login NAME."))
    password = read_secret(msg("Mật khẩu của {u}: ", "Password of {u}: ", u=username), "MOTCUA_PASSWORD")
    actor = ctx.auth.sign_in(username, password)
    require_password_chosen(actor)  # a session would be useless: change it first
    token, expires = ctx.auth.open_cli_session(actor, os_user(), args.hours)
    session = SessionFile.for_context(ctx)
    session.write(token, actor.username, expires, ctx.db.display_url())
    from desktop.kernel.timeutil import to_vn

    print(msg("Đã đăng nhập: {u}, đến {t}.", "Signed in: {u}, until {t}.", u=actor.username,
              t=to_vn(expires).strftime("%Y-%m-%d %H:%M")))
    return 0


def _logout(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.cli._signin import SessionFile

    session = SessionFile.for_context(ctx)
    token = session.read()
    ended = bool(token) and ctx.auth.close_cli_session(token)
    session.remove()
    print(msg("Đã đăng xuất." if ended else "Không có phiên đăng nhập nào.",
              "Signed out." if ended else "There was no sign-in session."))
    return 0
