"""``motcua demo``: the headless demo of the counter's core, printing what it did."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="headless demo: reception, receipt, calendar, reports, audit")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.demo import demo_admin, run_headless_demo

    # on a demo workstation the demo signs itself in; else it is refused before any output
    admin = demo_admin(ctx, lambda: officer(args, ctx, Permission.MANAGE_OFFICERS))
    return run_headless_demo(ctx, admin=admin)
