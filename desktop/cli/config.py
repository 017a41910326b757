"""``motcua config show | set KEY VALUE | unset KEY | check``: the workstation's settings files.

``set`` writes the user's file (``--system`` the workstation's, for the IT staff); a secret
key (``dossier_system.client_secret``, ``database.password``) goes to the operating system's
keyring instead, read from standard input when VALUE is ``-``, and never into a file.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.config import Settings
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("config", help="workstation settings: show, set, check")
    s = p.add_subparsers(dest="config_command", required=True)
    sh = s.add_parser("show", help="the effective settings and where each comes from")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=_show)
    st = s.add_parser("set", help="set KEY VALUE in the user's file (--system: the workstation's file)")
    st.add_argument("key")
    st.add_argument("value", help="the value; for a secret, '-' reads it from standard input")
    st.add_argument("--system", action="store_true", help="write the system file (/etc/motcua/motcua.toml)")
    st.set_defaults(func=_set)
    un = s.add_parser("unset", help="remove KEY from the user's file (--system: the workstation's file)")
    un.add_argument("key")
    un.add_argument("--system", action="store_true")
    un.set_defaults(func=_unset)
    ck = s.add_parser("check", help="say what is wrong in the settings and how to fix it")
    ck.add_argument("--json", action="store_true")
    ck.set_defaults(func=_check)


def _settings(ctx: AppContext) -> Settings:
    return ctx.settings


def _show(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.config import KEYS, SECRETS, get_secret

    s = _settings(ctx)
    rows: list[dict[str, Any]] = []
    for key in KEYS:
        rows.append({"key": key.name, "value": getattr(s, key.attr), "source": s.sources.get(key.attr, "default")})
    for name, env in SECRETS.items():
        import os

        where = "env:" + env if os.environ.get(env) else ("keyring" if get_secret(name) else "")
        rows.append({"key": name, "value": "(set)" if where else "(not set)", "source": where or "-"})
    if args.json:
        print(json.dumps({"user_file": str(s.config_path()), "system_file": str(s.system_file),
                          "settings": rows, "problems": s.problems}, ensure_ascii=False, indent=1))
        return 0
    print(msg("Tệp hệ thống: {f}", "System file: {f}", f=s.system_file))
    print(msg("Tệp người dùng: {f}", "User file: {f}", f=s.config_path()))
    for r in rows:
        print(f"{r['key']:<30} = {r['value']!s:<40} [{r['source']}]")
    for p in s.problems:
        print(msg("Chú ý: {p}", "Warning: {p}", p=p), file=sys.stderr)
    return 0


def _target(args: argparse.Namespace, ctx: AppContext) -> Path:
    s = _settings(ctx)
    return (s.system_file if args.system else s.config_path()) or s.config_path()


def _set(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.config import KEY_BY_NAME, SECRETS, read_config, set_secret, url_has_password, write_config

    if args.key in SECRETS:
        value = args.value
        if value == "-":
            value = getpass.getpass(f"{args.key}: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise InvalidInput(msg("Giá trị trống.", "Empty value."))
        set_secret(args.key, value)
        print(msg("Đã lưu “{k}” vào kho khóa của hệ điều hành.", "Kept “{k}” in the operating system's keyring.",
                  k=args.key))
        return 0
    key = KEY_BY_NAME.get(args.key)
    if key is None:
        raise InvalidInput(msg("Khóa không biết “{k}”.", "Unknown key “{k}”.", k=args.key),
                           hint=msg("Các khóa: {a}", "Keys: {a}", a=", ".join([*KEY_BY_NAME, *SECRETS])))
    value = key.parse(args.value)
    if key.attr == "db_url" and url_has_password(value):
        raise InvalidInput(msg("Không ghi mật khẩu vào tệp cấu hình.", "A password is never written to a settings file."),
                           hint=msg("Bỏ mật khẩu khỏi URL và chạy “motcua config set database.password -”.",
                                    "Remove it from the URL and run “motcua config set database.password -”."))
    path = _target(args, ctx)
    doc = read_config(path)
    section, name = key.name.split(".")
    doc.setdefault(section, {})[name] = value
    try:
        write_config(path, doc)
    except PermissionError as exc:
        raise InvalidInput(msg("Không ghi được {f}: {e}", "Cannot write {f}: {e}", f=path, e=exc.strerror),
                           hint=msg("Tệp hệ thống cần quyền quản trị (sudo / Run as administrator).",
                                    "The system file needs administrator rights (sudo / Run as administrator).")) from exc
    print(msg("{k} = {v} ({f})", "{k} = {v} ({f})", k=key.name, v=value, f=path))
    return 0


def _unset(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.config import KEY_BY_NAME, read_config, write_config

    if args.key not in KEY_BY_NAME:
        raise InvalidInput(msg("Khóa không biết “{k}”.", "Unknown key “{k}”.", k=args.key))
    path = _target(args, ctx)
    doc = read_config(path)
    section, name = args.key.split(".")
    if isinstance(doc.get(section), dict):
        doc[section].pop(name, None)
        if not doc[section]:
            doc.pop(section)
    write_config(path, doc)
    return 0


def _check(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.config import check_settings

    s = _settings(ctx)
    problems = check_settings(s)
    if args.json:
        print(json.dumps({"ok": not problems, "problems": problems}, ensure_ascii=False, indent=1))
    else:
        for p in problems:
            print(f"✗ {p}")
        print(msg("Cấu hình hợp lệ.", "Settings are valid.") if not problems
              else msg("{n} vấn đề.", "{n} problem(s).", n=len(problems)))
    return 1 if problems else 0
