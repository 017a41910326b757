"""The ``motcua`` sub-commands that open windows (gui, kiosk, display-board).

They are registered from the ``ui`` side: the core CLI (``desktop.cli``) knows nothing of
Qt, and ``ui.cli.main`` adds these to it. Each module imports Qt only when it runs.
"""
