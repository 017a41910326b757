"""``motcua kiosk``: open the ticket kiosk window (its own process, on its own machine if needed)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kiosk", help="open the ticket kiosk window")
    p.add_argument("--fullscreen", action="store_true")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Actor
    from desktop.db.models import Role
    from ui import translations, workers
    from ui.app import make_application
    from ui.queue.kiosk import KioskWindow

    app = make_application()
    translations.install(ctx.settings.language or "vi")
    window = KioskWindow(ctx, Actor(username="kiosk", role=Role.SUPERVISOR, full_name="Kiosk"))
    if args.fullscreen:
        window.showFullScreen()
    else:
        window.resize(1024, 700)
        window.show()
    app.aboutToQuit.connect(lambda: workers.shutdown())
    return int(app.exec())
