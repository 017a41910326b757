"""The self-test's SANE probe and the scan screen's device list share one lock: SANE's
``sane_init``/``get_devices`` from two threads at once aborted the whole process (found when
the status bar probed while the scan screen listed its sources)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from desktop.config import Settings
from desktop.selftest import check_sane
from scanning.sources import sane_source


def test_the_self_test_probe_waits_for_a_scanner_session(monkeypatch: pytest.MonkeyPatch) -> None:
    inside = threading.Event()
    calls: list[str] = []

    class FakeSane:
        def init(self) -> Any:
            calls.append("init")

        def exit(self) -> None:
            calls.append("exit")

        def get_devices(self) -> list[tuple[str, str, str, str]]:
            calls.append("devices")
            return [("test:0", "Noname", "frontend-tester", "virtual device")]

    monkeypatch.setattr(sane_source, "_sane", lambda: FakeSane())
    monkeypatch.setitem(__import__("sys").modules, "sane", FakeSane())

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
    assert check.ok
    # the probe ran only after the other session ended
    assert calls.index("held-done") < calls.index("devices")
