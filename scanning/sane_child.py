"""The SANE probe's child process: ``sane_init``, ``sane_get_devices`` and each device's options.

Run by :mod:`scanning.sources.sane_probe` in a spawned process, because listing devices loads
every backend of ``dll.conf`` and some of them abort the whole process from C (found here,
sane-backends 1.2.1: ``pixma``, ``epson2`` and ``dell1600n_net`` call ``FD_SET`` on their
network-discovery socket, and glibc's fortified ``FD_SET`` aborts with "bit out of range 0 -
FD_SETSIZE on fd_set" once the process has 1024 descriptors open). Dying here costs the probe,
not the application.

It lives outside :mod:`scanning.sources` on purpose: importing that package brings in OpenCV
(≈250 ms), and this module imports only python-sane and the standard library. The result is
plain data (lists, strings, numbers) sent back over a pipe; the parent parses it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import time
from typing import Any

#: test-only: makes the child fail the way a broken backend would ("kill", "hang", "exit",
#: "hang-exit" — after answering —, "fds" — fill the descriptor table so that the real
#: FD_SET abort above happens)
FAULT_ENV = "MOTCUA_TEST_SANE_PROBE_FAULT"
#: descriptors opened for the "fds" fault: one more than FD_SETSIZE (1024) needs
FAULT_FDS = 1100
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # The parent's thread waits on this process until it ends or is killed, so the kernel's
    # signal on that thread's end only ever comes when the application itself is gone.
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _fault(where: str) -> None:
    fault = os.environ.get(FAULT_ENV, "")
    if where == "before-init" and fault == "fds":
        with contextlib.suppress(OSError):  # kept open until the process ends
            for _ in range(FAULT_FDS):
                os.open(os.devnull, os.O_RDONLY)
    if where != "devices":
        return
    if fault == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif fault == "hang":
        time.sleep(3600)
    elif fault == "exit":
        os._exit(3)


def _fault_after_answer() -> None:
    if os.environ.get(FAULT_ENV, "") == "hang-exit":
        time.sleep(3600)


def describe_options(dev: Any) -> list[dict[str, Any]]:
    """The option descriptors :func:`scanning.sources.sane_source.capabilities_of` reads."""
    return [{"name": o.name, "py_name": o.py_name, "type": o.type, "cap": o.cap, "constraint": o.constraint}
            for o in dev.opt.values()]


def probe(conn: Any, with_options: bool) -> None:
    """Send ``{"devices": [...]}`` or ``{"error": kind, "detail": text}`` to ``conn``."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    try:
        import sane
    except ImportError as exc:
        conn.send({"error": "missing", "detail": str(exc)})
        return
    _fault("before-init")
    try:
        sane.init()
    except Exception as exc:
        conn.send({"error": "init", "detail": str(exc)})
        return
    try:
        _fault("devices")
        found = []
        for name, vendor, model, kind in sane.get_devices():
            entry: dict[str, Any] = {"name": name, "vendor": vendor, "model": model, "type": kind,
                                     "options": None, "error": ""}
            if with_options:
                try:
                    dev = sane.open(name)
                    try:
                        entry["options"] = describe_options(dev)
                    finally:
                        dev.close()
                except Exception as exc:  # busy, no permission…: the scan itself will say why
                    entry["error"] = str(exc)
            found.append(entry)
        conn.send({"devices": found})
        _fault_after_answer()
    except Exception as exc:
        conn.send({"error": "devices", "detail": str(exc)})
    finally:
        sane.exit()
