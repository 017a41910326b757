"""The self-test's SANE probe and the scan screen's device list share one lock: SANE's
``sane_init``/``get_devices`` from two threads at once aborted the whole process (found when
the status bar probed while the scan screen listed its sources). The probe now runs in a child
process (tests/scanning/test_sane_probe.py), and still waits for this process's SANE session:
the child opening a device being scanned here would find it busy."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from desktop.config import Settings
from desktop.selftest import check_sane
from scanning.sources import sane_probe, sane_source


def test_the_self_test_probe_waits_for_a_scanner_session(monkeypatch: pytest.MonkeyPatch) -> None:
    inside = threading.Event()
    calls: list[str] = []

    class FakeSane:
        def init(self) -> Any:
            calls.append("init")

        def exit(self) -> None:
            calls.append("exit")

    def fake_child(with_options: bool, timeout: float) -> dict[str, Any]:
        calls.append("devices")
        return {"devices": [{"name": "test:0", "vendor": "Noname", "model": "frontend-tester",
                             "type": "virtual device", "options": None, "error": ""}]}

    monkeypatch.setattr(sane_source, "_sane", lambda: FakeSane())
    monkeypatch.setattr(sane_probe, "runner", fake_child)
    sane_probe.clear_cache()

    def hold() -> None:
        with sane_source.sane_session():
            inside.set()
            time.sleep(0.3)
            calls.append("held-done")

    t = threading.Thread(target=hold)
    t.start()
    inside.wait(5)
    check = check_sane(Settings())
    t.join()
    sane_probe.clear_cache()
    assert check.ok and "test:0" in check.detail
    # the probe ran only after the other session ended
    assert calls.index("held-done") < calls.index("devices")
