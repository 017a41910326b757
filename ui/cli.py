"""The ``motcua`` command with its window sub-commands: the core CLI plus ``ui.commands``.

The console script and the frozen executable start here; ``python -m desktop`` runs the
core commands only (no Qt).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.cli.main import main as core_main
from ui.commands import display_board, gui, kiosk, rating_screen

WINDOW_COMMANDS = (gui.register, kiosk.register, display_board.register, rating_screen.register)


def main(argv: Sequence[str] | None = None) -> int:
    return core_main(argv, extra=WINDOW_COMMANDS)


if __name__ == "__main__":
    raise SystemExit(main())
