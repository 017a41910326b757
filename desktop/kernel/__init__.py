"""The kernel every package may use: user-facing errors, the message language, cancel and
progress for long work, Vietnam time, fonts.

It imports nothing else of the project (an import-linter contract checks it), so
``scanning`` and ``signing`` can use it without reaching into the application core.
"""
