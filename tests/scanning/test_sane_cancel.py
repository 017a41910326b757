"""A read that fails after the stop request ends as Cancelled, never as a scanner fault.

The real-device check is tests/scanning/test_scan_cli.py (Ctrl+C mid-feed against SANE's test
backend), whose timing varies from run to run. Here a fake low-level device stands in for
python-sane's ``SaneDev``: the officer's stop arrives in the middle of a page's read, the
source passes it to the backend (``sane_cancel``), and the read then fails the way backends
report it — "Operation was cancelled", an I/O error, or the test backend's "no data" after an
interrupted read. The same failures without a stop are the device's fault (the control cases).
"""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.images import Page
from scanning.sources import DeviceFailed, DeviceLost, ScanError, ScanSettings, sane_source
from scanning.sources.sane_source import SaneSource

ADF = "Automatic Document Feeder"


class FakeError(Exception):
    """What python-sane raises: ``_sane.error`` carries only ``sane_strstatus``'s text."""


class FakeOption:
    def __init__(self, name: str, constraint: Any) -> None:
        self.name, self.py_name, self.constraint = name, name, constraint

    def is_active(self) -> bool:
        return True

    def is_settable(self) -> bool:
        return True


class FakeDevice:
    """Pages from a feeder; the read of page ``stop_at`` (1-based) is where the stop comes."""

    def __init__(self, token: CancelToken, stop_at: int, failure: str, stop: bool = True) -> None:
        self.token, self.stop_at, self.failure, self.stop = token, stop_at, failure, stop
        self.opt = {"source": FakeOption("source", ["Flatbed", ADF])}
        self.source = "Flatbed"
        self.starts = 0
        self.calls: list[str] = []

    def start(self) -> None:
        self.starts += 1
        self.calls.append("start")

    def snap(self, no_cancel: bool = False, progress: Any = None) -> Image.Image:
        assert no_cancel  # an ADF is read page by page without sane_cancel in between
        for line in range(8):  # python-sane calls progress for each line read
            if self.starts == self.stop_at and line == 3 and self.stop:
                self.token.cancel()  # the officer presses Stop while the page is being read
            progress(line, 8)
        if self.starts == self.stop_at:
            raise FakeError(self.failure)
        return Image.new("L", (40, 50), 200)

    def cancel(self) -> None:
        self.calls.append("cancel")

    def close(self) -> None:
        self.calls.append("close")


class FakeSane:
    def __init__(self, device: FakeDevice) -> None:
        self.device = device
        self.opened: list[str] = []

    def init(self) -> None:
        pass

    def exit(self) -> None:
        pass

    def open(self, name: str) -> FakeDevice:
        self.opened.append(name)
        return self.device


def scan_with(monkeypatch: pytest.MonkeyPatch, device: FakeDevice) -> tuple[list[Page], FakeSane]:
    fake = FakeSane(device)
    monkeypatch.setattr(sane_source, "_sane", lambda: fake)
    got: list[Page] = []
    src = SaneSource("fake:0")
    # capabilities come from the probe or an open device; this fake is the device for _pages only
    src._caps = sane_source.Capabilities(("flatbed", "adf"), False, (75,), ("grey",), ())
    src.scan(ScanSettings(source="adf", resolution=75, page_size=None), device.token, got.append)
    return got, fake


# "no data": the test backend's answer to a read that Ctrl+C interrupted (EINTR)
FAILURES = ["Operation was cancelled", "Error during device I/O", "Invalid argument", "no data"]


@pytest.mark.parametrize("failure", FAILURES)
def test_a_read_failing_after_the_stop_ends_as_cancelled(monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    token = CancelToken()
    device = FakeDevice(token, stop_at=3, failure=failure)
    with pytest.raises(Cancelled) as info:
        scan_with(monkeypatch, device)
    pages = info.value.pages  # type: ignore[attr-defined]
    assert [p.source for p in pages] == ["fake:0#1", "fake:0#2"]  # the two finished pages are kept
    # the stop went to the backend during the read (that is what makes the read fail), and the
    # device was cancelled and closed at the end, once each way
    assert device.calls == ["start", "start", "start", "cancel", "cancel", "close"]


@pytest.mark.parametrize(("failure", "error"), [("Operation was cancelled", DeviceLost), ("Error during device I/O", DeviceLost),
                                                ("no data", DeviceFailed)])
def test_the_same_failure_without_a_stop_is_the_devices_fault(monkeypatch: pytest.MonkeyPatch, failure: str,
                                                              error: type[ScanError]) -> None:
    token = CancelToken()
    device = FakeDevice(token, stop_at=2, failure=failure, stop=False)
    with pytest.raises(error) as info:
        scan_with(monkeypatch, device)
    assert not token.cancelled and len(info.value.pages) == 1 and "1 trang đã quét được giữ lại" in str(info.value)
    assert device.calls == ["start", "start", "cancel", "close"]  # no cancel during the read: nobody asked
