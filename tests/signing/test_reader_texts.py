"""PC/SC errors reach the officer in their language (issue 11: pcsc-lite's English texts,
"Service not available.", leaked into the Vietnamese status bar and self-test)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from desktop.kernel.i18n import set_language
from signing.readers import SERVICE_LOST, PcscUnavailable, ReaderWatcher, list_readers, pcsc_status

ENGLISH = ("Service not available", "Service was stopped", "Unknown error", "Cannot find")


_CHILD = "MOTCUA_TEST_NO_PCSCD"


def test_the_texts_without_a_service_in_a_fresh_process() -> None:
    """pcsc-lite's client reads PCSCLITE_CSOCK_NAME once per process: set in this process it
    sent every later test's PC/SC calls to the missing socket, so the no-service tests run in
    a child pytest of their own."""
    if os.environ.get(_CHILD):
        pytest.skip("this is the child")
    sock = Path(tempfile.mkdtemp(prefix="motcua-no-pcscd-")) / "no-pcscd.comm"
    env = {**os.environ, _CHILD: "1", "PCSCLITE_CSOCK_NAME": str(sock)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    # the three no-service tests and the code-name test ran; none was skipped but this one
    assert "4 passed, 1 skipped" in run.stdout, run.stdout[-2000:]


@pytest.fixture
def no_service() -> None:
    # pcsc-lite's client looks for the daemon's socket at PCSCLITE_CSOCK_NAME (set by the parent
    # test for this child process only): none there means "no service"
    if not os.environ.get(_CHILD):
        pytest.skip("run by test_the_texts_without_a_service_in_a_fresh_process")


def test_no_service_in_vietnamese(no_service: None) -> None:
    with pytest.raises(PcscUnavailable) as info:
        list_readers()
    text = str(info.value)
    assert "Dịch vụ thẻ thông minh không chạy" in text and "0x8010001D" in text
    assert not any(e in text for e in ENGLISH), text
    ok, detail = pcsc_status()
    assert not ok and "pcscd" in detail and not any(e in detail for e in ENGLISH), detail


def test_no_service_in_english(no_service: None) -> None:
    set_language("en")
    with pytest.raises(PcscUnavailable, match=r"The smart-card service is not running \(0x8010001D\)"):
        list_readers()


def test_the_watcher_reports_the_lost_service_in_vietnamese(no_service: None) -> None:
    import threading

    got: list[str] = []
    seen = threading.Event()

    def on(event) -> None:  # type: ignore[no-untyped-def]
        if event.kind == SERVICE_LOST:
            got.append(event.detail)
            seen.set()

    w = ReaderWatcher(on, poll_s=0.2, backoff_min_s=0.1, backoff_max_s=0.2)
    w.start()
    try:
        assert seen.wait(10)
    finally:
        assert w.stop(5)
    assert "Dịch vụ thẻ thông minh" in got[0] and not any(e in got[0] for e in ENGLISH), got


def test_unknown_codes_name_the_code_without_english() -> None:
    from signing.readers import _error_text

    text = _error_text(0x8010006B)
    assert text == "Lỗi dịch vụ thẻ thông minh (0x8010006B)"
