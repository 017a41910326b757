"""``python -m desktop`` is the same as the ``motcua`` command."""

from desktop.cli.main import main

raise SystemExit(main())
