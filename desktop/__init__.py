"""motcua application core: database, dossiers, calendar, queue, outbox, audit and the CLI.

Nothing in this package imports Qt widgets; the UI (``ui/``) calls into it.
"""

__version__ = "0.1.0"
