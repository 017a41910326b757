"""``motcua gui``: open the application window (``--demo`` signs in as the demo administrator)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the application window")
    p.add_argument("--demo", action="store_true", help="fill in demo data and sign in as the administrator")
    p.add_argument("--check", action="store_true",
                   help="open the sign-in window, print that it is shown and close it (a check after installing)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from ui.shell import run_gui

    actor = None
    if args.demo:
        from desktop.auth import Permission
        from desktop.cli._signin import officer
        from desktop.demo import demo_admin, prepare_demo

        actor = prepare_demo(ctx, demo_admin(ctx, lambda: officer(args, ctx, Permission.MANAGE_OFFICERS)))
    return run_gui(ctx, actor, check=args.check)
