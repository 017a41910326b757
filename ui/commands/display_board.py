"""``motcua display-board``: open the display board window (its own process, screen or machine)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("display-board", help="open the display board that shows and announces calls")
    p.add_argument("--fullscreen", action="store_true")
    p.add_argument("--mute", action="store_true", help="no voice announcements")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from ui.queue.display_board import DisplayBoard
    from ui.shell import run_standalone

    return run_standalone(ctx, lambda pools: DisplayBoard(ctx, workers=pools, voice=not args.mute),
                          fullscreen=args.fullscreen,
                          size=(1280, 720))
