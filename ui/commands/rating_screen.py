"""``motcua rating-screen --counter N``: the citizen's satisfaction screen of one counter (own window)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rating-screen", help="open the citizens' rating screen of a counter")
    p.add_argument("--counter", type=int, required=True)
    p.add_argument("--fullscreen", action="store_true")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Actor, Role
    from ui.reports.rating import RatingPanel
    from ui.shell import run_standalone

    # an unattended screen: the kiosk's role (issue tickets, record a rating), nothing more
    screen = Actor(username=f"rating-screen:{args.counter}", role=Role.KIOSK, full_name="Rating screen")
    return run_standalone(ctx, lambda pools: RatingPanel(ctx, screen, args.counter, workers=pools),
                          fullscreen=args.fullscreen,
                          size=(900, 500))
