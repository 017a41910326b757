"""``python -m desktop``: the core ``motcua`` commands (no window commands: those are ``ui.cli``)."""

from desktop.cli.main import main

raise SystemExit(main())
