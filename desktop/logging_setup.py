"""Logging to a rotating file in the data directory (and to stderr with ``-v``).

Every handler masks personal data (``desktop.kernel.redact``): no CCCD number, phone or
citizen's name reaches the log, whichever module logs it.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from desktop.kernel.redact import PersonalDataFilter

_configured: Path | None = None


def setup_logging(log_dir: Path, *, verbose: bool = False) -> Path:
    """Send log records to ``log_dir/motcua.log``; return that path. Idempotent."""
    global _configured
    log_file = log_dir / "motcua.log"
    if _configured == log_file:
        return log_file
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(process)d %(threadName)s %(levelname)s %(name)s: %(message)s")
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        # read-only disk: errors still go somewhere; the user already gets a message in their
        # language for everything the command refuses, so routine warnings are not repeated
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.ERROR)
    handler.setFormatter(fmt)
    handler.addFilter(PersonalDataFilter())
    root.addHandler(handler)
    if verbose:
        err = logging.StreamHandler(sys.stderr)
        err.setFormatter(fmt)
        err.addFilter(PersonalDataFilter())
        root.addHandler(err)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # per-command plugin chatter
    _configured = log_file
    return log_file
