"""Ctrl+C and ``kill -INT`` for the commands that run until stopped, however they were started.

A shell without job control (a script, ``sh -c``, a CI step) starts a background command
(``motcua dossier-server … &``) with SIGINT ignored, as POSIX asks, and Python keeps an
ignored SIGINT ignored: such a server could then only be killed, not stopped. The
long-running commands put Python's handler back, so SIGINT raises KeyboardInterrupt, which
:func:`desktop.cli.main.main` turns into "Stopped on request" and exit code 130 after the
command's ``finally`` blocks closed what it opened.
"""

from __future__ import annotations

import signal
import threading


def stop_on_interrupt() -> None:
    """SIGINT stops this process (KeyboardInterrupt) even if it was started with SIGINT ignored."""
    if threading.current_thread() is threading.main_thread():  # signal.signal works there only
        signal.signal(signal.SIGINT, signal.default_int_handler)
