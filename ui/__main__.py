"""``python -m ui`` is the same as the ``motcua`` command (window sub-commands included)."""

from ui.cli import main

raise SystemExit(main())
