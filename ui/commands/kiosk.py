"""``motcua kiosk``: open the ticket kiosk window (its own process, on its own machine if needed)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kiosk", help="open the ticket kiosk window")
    p.add_argument("--fullscreen", action="store_true")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Actor
    from ui.queue.kiosk import KioskWindow
    from ui.shell import run_standalone

    kiosk_actor = Actor.kiosk()  # issues tickets, nothing else (desktop/auth.py)
    return run_standalone(ctx, lambda pools: KioskWindow(ctx, kiosk_actor, workers=pools), fullscreen=args.fullscreen,
                          size=(1024, 700))
