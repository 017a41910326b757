"""What a killed run leaves behind, cleaned at the next start.

* ``motcua-digitize-<pid>-*`` (and ``-ocr-``, ``-pdf-``) temporary folders whose process is
  gone; older unnamed ones after an hour;
* ``.NAME.part`` files (an output cut short, possibly 0 bytes) older than an hour: a live
  writer renames its ``.part`` within seconds, so an hour-old one belongs to nobody.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)
PREFIXES = ("motcua-digitize-", "motcua-ocr-", "motcua-pdf-")
STALE = 3600.0
_PID = re.compile(r"^motcua-[a-z]+-(\d+)-")


def temp_prefix(kind: str) -> str:
    """The prefix of this process's temporary folders: the pid tells the sweeper who owns them."""
    return f"motcua-{kind}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    try:  # a zombie is gone for our purpose
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True


def sweep_temp(root: Path | None = None, *, stale: float = STALE) -> list[Path]:
    """Remove temporary folders of dead runs; returns what was removed."""
    base = Path(root or tempfile.gettempdir())
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for d in entries:
        if not d.name.startswith(PREFIXES) or not d.is_dir() or d.is_symlink():
            continue
        m = _PID.match(d.name)
        try:
            dead = (not _alive(int(m.group(1)))) if m else now - d.stat().st_mtime > stale
        except OSError:
            continue
        if dead and (not m or int(m.group(1)) != os.getpid()):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    if removed:
        log.info("removed %d temporary folder(s) of killed runs: %s", len(removed), ", ".join(map(str, removed[:5])))
    return removed


def sweep_parts(folders: Iterable[Path], *, stale: float = STALE) -> list[Path]:
    """Remove ``.*.part`` files older than ``stale`` seconds under ``folders``."""
    removed: list[Path] = []
    now = time.time()
    for folder in folders:
        if not folder.is_dir():
            continue
        for p in folder.rglob(".*.part"):
            try:
                if p.is_file() and now - p.stat().st_mtime > stale:
                    p.unlink()
                    removed.append(p)
            except OSError:
                continue
    if removed:
        log.info("removed %d unfinished output(s): %s", len(removed), ", ".join(map(str, removed[:5])))
    return removed
