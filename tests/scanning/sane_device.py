"""SANE's ``test`` backend as the scanner of the scanning tests, set up by the tests alone.

Nothing on the machine is changed: a private configuration directory enables only the
``test`` backend (``dll.conf``) with two devices (``test.conf``), and ``SANE_CONFIG_DIR``
points there, for this process and for CLI subprocesses. A run on a fresh machine needs
only the Debian packages of scripts/apt-packages.txt (libsane1 ships the backend).

Faults in the middle of a feed are made by the backend itself: after N pages the
``read-return-value`` option of the real test device is set to a SANE status (JAMMED,
IO_ERROR…), so the next ``sane_read`` returns it, as a scanner with a jammed sheet would.

One caveat of the test backend (sane-backends 1.2.1, pthread build): its reader thread is
cancelled asynchronously by ``sane_cancel``; if that happens while the thread is still
inside ``malloc`` right after ``sane_start``, the process deadlocks on the malloc arena lock
(seen here about once in a few hundred immediate errors, gdb: ``tcache_thread_shutdown`` →
``__lll_lock_wait_private``). The fault hook therefore lets the reader settle for a moment
after ``sane_start`` before the failing read — the timing of a real jam, which is never
within microseconds of the start.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

DEVICE = "test:0"
#: a page of the test device at the full 200 × 200 mm area, per resolution
FULL_AREA_MM = 200.0
#: seconds the backend's reader thread gets after sane_start before a failing read (see above)
SETTLE_S = 0.1


def write_sane_config(base: Path) -> Path:
    """Idempotently write a SANE configuration that has only the test backend."""
    conf = base / "sane.d"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "dll.conf").write_text("test\n", encoding="ascii")
    (conf / "test.conf").write_text("number_of_devices 2\n", encoding="ascii")
    return conf


def use_sane_test_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # no trailing ':' — the system directories would bring in every backend (and USB probing)
    conf = write_sane_config(tmp_path)
    monkeypatch.setenv("SANE_CONFIG_DIR", str(conf))
    return conf


def arm_fault_in_process(monkeypatch: pytest.MonkeyPatch, after_pages: int, status: str) -> None:
    """Make the test device return ``status`` from the page after ``after_pages``."""
    import sane

    original = sane.SaneDev.start

    def start(dev: sane.SaneDev) -> None:
        starts = dev.__dict__.get("_test_starts", 0) + 1
        dev.__dict__["_test_starts"] = starts
        if starts == after_pages + 1:
            dev.read_return_value = status
            original(dev)
            time.sleep(SETTLE_S)
            return
        original(dev)

    monkeypatch.setattr(sane.SaneDev, "start", start)


_SITECUSTOMIZE = '''\
"""Test-only: arm a fault on the SANE test device (see tests/scanning/sane_device.py)."""
import os
import time

import sane

_after = int(os.environ["MOTCUA_TEST_SANE_FAULT_AFTER"])
_status = os.environ["MOTCUA_TEST_SANE_FAULT"]
_original = sane.SaneDev.start


def _start(dev):
    starts = dev.__dict__.get("_test_starts", 0) + 1
    dev.__dict__["_test_starts"] = starts
    if starts == _after + 1:
        dev.read_return_value = _status
        _original(dev)
        time.sleep(0.1)  # let the test backend's reader thread settle (see sane_device.py)
        return
    _original(dev)


sane.SaneDev.start = _start
'''


def fault_env(tmp_path: Path, after_pages: int, status: str) -> dict[str, str]:
    """Environment for a CLI subprocess whose test device fails after ``after_pages`` pages."""
    hook = tmp_path / "fault-hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    return {"PYTHONPATH": os.pathsep.join([str(hook), str(root)]), "MOTCUA_TEST_SANE_FAULT_AFTER": str(after_pages),
            "MOTCUA_TEST_SANE_FAULT": status}
