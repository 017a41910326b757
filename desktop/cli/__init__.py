"""The ``motcua`` command line.

Each module in this package that defines ``register(subparsers)`` adds its own
sub-commands; :mod:`desktop.cli.main` finds them, so areas never edit a shared list.
A sub-command sets ``func(args, ctx) -> int`` with ``parser.set_defaults(func=...)``.
Modules import heavy libraries inside their handlers, so ``motcua --help`` stays fast.
"""
