"""Voice announcements in Vietnamese through espeak-ng, without blocking the caller."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

log = logging.getLogger(__name__)


def announcement(ticket: str, counter: int) -> str:
    """ "A012", 5 → "Mời công dân số A 12 đến quầy số 5" (leading zeros are not read out)."""
    m = re.fullmatch(r"([A-Za-z]*)0*(\d+)", ticket)
    spoken = f"{m.group(1)} {m.group(2)}".strip() if m else ticket
    return f"Mời công dân số {spoken} đến quầy số {counter}"


def speak(text: str) -> subprocess.Popen[bytes] | None:
    """Start speaking and return at once; None when no speech engine is installed."""
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        log.warning("no espeak-ng: announcement shown only: %s", text)
        return None
    return subprocess.Popen([exe, "-v", "vi", "-s", "140", text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
