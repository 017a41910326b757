"""Who runs a command: the officer signed in on the command line.

Commands that change data or show personal data call :func:`officer`; local utilities
(``ocr``, ``digitize``, ``calendar due``, ``verify``, ...) never do. The officer is found, in
this order:

1. ``--user NAME`` or ``MOTCUA_USER``, with the password from ``MOTCUA_PASSWORD``, or else
   typed at the terminal, or else the first line of standard input (scripts);
2. a ``motcua login`` session of this OS user for this database: a random token in a
   0600 file under the user's state directory (only its hash is in the database), valid
   until it expires (8 hours by default) or ``motcua logout``.

The password goes through :meth:`AuthService.sign_in`, so the lockout, the audit record
and the forced change of a password someone else chose apply exactly as in the window.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import os
import stat
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from desktop.auth import Actor, Permission, os_user, require, require_password_chosen
from desktop.kernel.errors import InvalidInput, PermissionDenied
from desktop.kernel.i18n import msg


class NotSignedIn(PermissionDenied):
    """The command needs an officer and none is signed in."""


def _not_signed_in() -> NotSignedIn:
    return NotSignedIn(msg("Lệnh này cần cán bộ đăng nhập.", "This command needs a signed-in officer."),
                       hint=msg("Dùng “motcua login”, hoặc --user TÊN (hay MOTCUA_USER) với mật khẩu từ "
                                "MOTCUA_PASSWORD hoặc dòng đầu của đầu vào chuẩn.",
                                "Use “motcua login”, or --user NAME (or MOTCUA_USER) with the password from "
                                "MOTCUA_PASSWORD or the first line of standard input."))


def read_secret(prompt: str, env: str | None = None) -> str:
    """A password: from ``env`` if set, typed at a terminal, or the next line of standard input."""
    if env and os.environ.get(env) is not None:
        return os.environ[env]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise InvalidInput(msg("Thiếu mật khẩu: đầu vào chuẩn đã hết.", "No password: standard input has ended."))
    return line.rstrip("\r\n")


def given_user(args: argparse.Namespace) -> str:
    return (getattr(args, "user", None) or os.environ.get("MOTCUA_USER") or "").strip()


def officer(args: argparse.Namespace, ctx: Any, perm: Permission | None = None) -> Actor:
    """The signed-in officer (signed in once per command), allowed ``perm`` if given."""
    actor: Actor | None = getattr(args, "_signed_in", None)
    if actor is None:
        actor = sign_in(args, ctx)
        args._signed_in = actor
    if perm is not None:
        require(actor, perm)
    else:
        require_password_chosen(actor)
    return actor


def sign_in(args: argparse.Namespace, ctx: Any) -> Actor:
    username = given_user(args)
    if username:
        password = read_secret(msg("Mật khẩu của {u}: ", "Password of {u}: ", u=username), "MOTCUA_PASSWORD")
        actor: Actor = ctx.auth.sign_in(username, password)
        return actor
    session = SessionFile.for_context(ctx)
    token = session.read()
    if token is None:
        raise _not_signed_in()
    resumed: Actor | None = ctx.auth.resume_cli_session(token, os_user())
    if resumed is None:
        session.remove()
        raise NotSignedIn(msg("Phiên đăng nhập đã hết hạn hoặc đã kết thúc.", "The sign-in session has expired or ended."),
                          hint=msg("Đăng nhập lại: “motcua login”.", "Sign in again: “motcua login”."))
    return resumed


class SessionFile:
    """The token of this OS user's ``motcua login`` for one database, readable by nobody else."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_context(cls, ctx: Any) -> SessionFile:
        base = Path(platformdirs.user_state_dir("motcua", appauthor=False)) / "sessions"
        # one file per database, so a login on one workstation's data is not one on another's
        key = hashlib.sha256(ctx.settings.resolved_db_url().encode()).hexdigest()[:20]
        return cls(base / f"{key}.json")

    def write(self, token: str, username: str, expires: datetime, where: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.path.parent, 0o700)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"token": token, "user": username, "expires": expires.isoformat(), "database": where}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def read(self) -> str | None:
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return None
        if os.name == "posix" and (not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid()
                                   or st.st_mode & 0o077):
            # like ssh with a private key others can read: a token others could copy is not trusted
            raise NotSignedIn(msg("Tệp phiên đăng nhập {p} không an toàn (người khác đọc/ghi được, hoặc không phải "
                                  "của bạn); đã không dùng.",
                                  "The session file {p} is not safe (others can read or write it, or it is not "
                                  "yours); it was not used.", p=self.path),
                              hint=msg("Xóa tệp đó rồi đăng nhập lại: “motcua login”.",
                                       "Delete that file and sign in again: “motcua login”."))
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            token = data["token"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return token if isinstance(token, str) and token else None

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
