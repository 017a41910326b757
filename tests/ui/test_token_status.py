"""Token monitor (Qt adapter) and the status-bar token widget.

The widget reads certificates from a real SoftHSM2 token made for these tests; reader
events come from the monitor, fed by a watcher thread (a real one on a real pcscd with a
virtual card in the last test).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThread

from signing.policy import pick_certificate
from signing.readers import (
    CARD_INSERTED,
    CARD_REMOVED,
    READER_ADDED,
    READER_REMOVED,
    SERVICE_LOST,
    SERVICE_RESTORED,
    ReaderEvent,
)
from tests.ui.signing_token import KeySpec, UiToken, make_ui_token
from ui.token_monitor import TokenMonitor
from ui.token_status import WARN_COLOR, TokenStatus
from ui.workers import Workers

READER = "Gemalto USB Shell Token V2 (A1B2C3) 00 00"
ATR = bytes.fromhex("3BDC18FF8191FE1FC38073C821136605036351000250")


class IdleWatcher:
    """No PC/SC: the tests post the events themselves, from a thread like the real watcher."""

    running = False

    def start(self) -> None:
        self.running = True

    def stop(self, timeout: float = 5.0) -> bool:
        self.running = False
        return True


def post_from_thread(monitor: TokenMonitor, *events: ReaderEvent) -> None:
    t = threading.Thread(target=lambda: [monitor.post(e) for e in events], name="fake-watcher")
    t.start()
    t.join()


@pytest.fixture
def monitor(qtbot) -> Iterator[TokenMonitor]:  # type: ignore[no-untyped-def]
    m = TokenMonitor(watcher=IdleWatcher())
    m.start()
    yield m
    assert m.stop()


def _activate(tok: UiToken, workers: Workers) -> Iterator[UiToken]:
    previous = __import__("os").environ.get("SOFTHSM2_CONF")
    tok.activate()
    yield tok
    workers.shutdown(10_000)  # nothing may use the module while it is re-pointed (the test's workers)
    if previous and previous != str(tok.conf):
        import os

        os.environ["SOFTHSM2_CONF"] = previous
        from signing.tokens import load_module

        load_module(tok.module).reinitialize()


@pytest.fixture(scope="module")
def _tokens(tmp_path_factory: pytest.TempPathFactory) -> dict[str, UiToken]:
    base = tmp_path_factory.mktemp("ui-tokens")
    return {
        "fresh": make_ui_token(base / "fresh", [KeySpec("a1", "UBND phường Quy Nhơn Đông", 200)],
                               label="UI-FRESH", key_bits=1024),
        "soon": make_ui_token(base / "soon", [KeySpec("0c", "CA-TEST (CA of the token)", 3000, signing=False),
                                              KeySpec("b2", "Trần Thị Lan", 12)], label="UI-SOON", key_bits=1024),
        "expired": make_ui_token(base / "expired", [KeySpec("c3", "Lê Văn Hết Hạn", -3)], label="UI-EXPIRED",
                                 key_bits=1024),
    }


@pytest.fixture
def token(request: pytest.FixtureRequest, _tokens: dict[str, UiToken], workers: Workers) -> Iterator[UiToken]:
    yield from _activate(_tokens[request.param], workers)


def make_status(qtbot, workers, monitor: TokenMonitor, module: str, **kw: Any) -> TokenStatus:  # type: ignore[no-untyped-def]
    w = TokenStatus(None, monitor=monitor, module_path=module, **kw, workers=workers)
    qtbot.addWidget(w)
    return w


def wait_read(qtbot, w: TokenStatus) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: w._task is None and bool(w.tokens or w.token_error), timeout=15_000)


# --- monitor -----------------------------------------------------------------------------------

def test_monitor_signals_arrive_on_the_main_thread(qtbot, monitor: TokenMonitor) -> None:  # type: ignore[no-untyped-def]
    got: list[tuple[str, tuple[Any, ...], bool]] = []
    main = QThread.currentThread()

    def rec(name: str):  # type: ignore[no-untyped-def]
        return lambda *args: got.append((name, args, QThread.currentThread() is main))

    for name in ("readerAdded", "tokenInserted", "tokenRemoved", "readerRemoved", "serviceLost", "serviceRestored"):
        getattr(monitor, name).connect(rec(name))
    with qtbot.waitSignal(monitor.serviceRestored, timeout=3000):
        post_from_thread(monitor, ReaderEvent(READER_ADDED, READER), ReaderEvent(CARD_INSERTED, READER, ATR),
                         ReaderEvent(CARD_REMOVED, READER), ReaderEvent(READER_REMOVED, READER),
                         ReaderEvent(SERVICE_LOST, detail="Service not available. (0x8010001D)"),
                         ReaderEvent(SERVICE_RESTORED))
    assert [g[0] for g in got] == ["readerAdded", "tokenInserted", "tokenRemoved", "readerRemoved", "serviceLost",
                                   "serviceRestored"]
    assert all(g[2] for g in got), "a signal was emitted off the main thread"
    assert got[1][1] == (READER, ATR.hex(" ").upper())
    assert "0x8010001D" in got[4][1][0]


def test_monitor_keeps_the_current_picture(qtbot, monitor: TokenMonitor) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(monitor.tokenInserted, timeout=3000):
        post_from_thread(monitor, ReaderEvent(READER_ADDED, READER), ReaderEvent(READER_ADDED, "Other 01 00"),
                         ReaderEvent(CARD_INSERTED, READER, ATR))
    assert monitor.cards() == {READER: ATR.hex(" ").upper()}
    assert set(monitor.readers) == {READER, "Other 01 00"}
    with qtbot.waitSignal(monitor.serviceLost, timeout=3000):
        post_from_thread(monitor, ReaderEvent(CARD_REMOVED, READER), ReaderEvent(SERVICE_LOST, detail="x"))
    assert monitor.cards() == {}
    assert monitor.service_ok is False


# --- status widget ---------------------------------------------------------------------------------

@pytest.mark.parametrize("token", ["fresh"], indirect=True)
def test_shows_reader_card_subject_and_days(workers, qtbot, monitor: TokenMonitor, token: UiToken) -> None:  # type: ignore[no-untyped-def]
    w = make_status(qtbot, workers, monitor, token.module)
    wait_read(qtbot, w)
    assert w.cert_label.text() == "UBND phường Quy Nhơn Đông"
    assert "200" in w.expiry_label.text()
    assert not w.warning
    assert WARN_COLOR not in w.expiry_label.styleSheet()
    assert "a1" in w.cert_label.toolTip() and "UI-FRESH" in w.cert_label.toolTip()
    assert "No card reader" in w.reader_label.text()
    with qtbot.waitSignal(monitor.tokenInserted, timeout=3000):
        post_from_thread(monitor, ReaderEvent(READER_ADDED, READER), ReaderEvent(CARD_INSERTED, READER, ATR))
    assert READER in w.reader_label.text() and "card present" in w.reader_label.text()
    assert "3B DC 18" in w.reader_label.toolTip()
    with qtbot.waitSignal(monitor.tokenRemoved, timeout=3000):
        post_from_thread(monitor, ReaderEvent(CARD_REMOVED, READER))
    assert "no card" in w.reader_label.text()
    with qtbot.waitSignal(monitor.serviceLost, timeout=3000):
        post_from_thread(monitor, ReaderEvent(SERVICE_LOST, detail="Service not available. (0x8010001D)"))
    assert "service stopped" in w.reader_label.text()
    assert "0x8010001D" in w.reader_label.toolTip()


@pytest.mark.parametrize("token", ["soon"], indirect=True)
def test_warns_under_30_days_and_skips_the_ca_certificate(workers, qtbot, monitor: TokenMonitor, token: UiToken) -> None:  # type: ignore[no-untyped-def]
    w = make_status(qtbot, workers, monitor, token.module)
    wait_read(qtbot, w)
    assert w.cert_label.text() == "Trần Thị Lan"
    assert "12" in w.expiry_label.text() and "⚠" in w.expiry_label.text()
    assert w.warning
    assert WARN_COLOR in w.expiry_label.styleSheet()


@pytest.mark.parametrize("token", ["expired"], indirect=True)
def test_expired_certificate(workers, qtbot, monitor: TokenMonitor, token: UiToken) -> None:  # type: ignore[no-untyped-def]
    w = make_status(qtbot, workers, monitor, token.module)
    wait_read(qtbot, w)
    assert "expired" in w.expiry_label.text() and "3" in w.expiry_label.text()
    assert w.warning


@pytest.mark.parametrize("token", ["fresh"], indirect=True)
def test_reads_the_token_again_when_a_card_comes_or_goes(workers, qtbot, monitor: TokenMonitor, token: UiToken) -> None:  # type: ignore[no-untyped-def]
    from signing.tokens import TokenManager

    calls: list[str] = []

    def list_tokens() -> list[Any]:
        calls.append(threading.current_thread().name)
        return TokenManager(token.module).list_tokens()

    w = make_status(qtbot, workers, monitor, token.module, list_tokens=list_tokens)
    wait_read(qtbot, w)
    assert len(calls) == 1
    post_from_thread(monitor, ReaderEvent(READER_ADDED, READER), ReaderEvent(CARD_INSERTED, READER, ATR))
    qtbot.waitUntil(lambda: len(calls) >= 2 and w._task is None, timeout=10_000)
    post_from_thread(monitor, ReaderEvent(CARD_REMOVED, READER))
    qtbot.waitUntil(lambda: len(calls) >= 3 and w._task is None, timeout=10_000)
    # the reads ran on the token pool, never on the main thread
    assert all(name != threading.main_thread().name for name in calls)


def test_missing_module_is_shown_as_a_token_error(workers, qtbot, monitor: TokenMonitor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = make_status(qtbot, workers, monitor, str(tmp_path / "libvendor-pkcs11.so"))
    wait_read(qtbot, w)
    assert w.cert_label.text() == "Token error"
    assert "libvendor-pkcs11.so" in w.cert_label.toolTip()


def test_no_module_configured(workers, qtbot, monitor: TokenMonitor) -> None:  # type: ignore[no-untyped-def]
    w = make_status(qtbot, workers, monitor, "")
    assert w._task is None
    assert "module" in w.cert_label.text()


def test_pick_certificate_prefers_the_configured_key() -> None:
    from signing.tokens import CertInfo, TokenInfo

    def cert(kid: str, days: int, ku: list[str]) -> CertInfo:
        return CertInfo(f"CN={kid}", "CN=CA", "", "", ku, kid, days, common_name=kid)

    t = TokenInfo(1, "T", "S", "m", "m", certificates=[cert("ca", 900, ["key_cert_sign"]),
                                                       cert("01", 300, ["digital_signature"]),
                                                       cert("02", 20, ["digital_signature"])])
    assert pick_certificate([t])[1].key_id == "01"
    assert pick_certificate([t], "02")[1].key_id == "02"
    assert pick_certificate([t], "0 2")[1].key_id == "02"
    assert pick_certificate([]) == (None, None)


# --- real pcscd --------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.log_warnings('PC/SC service unavailable')
def test_real_watcher_card_events_reach_the_widget(workers, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.signing.pcsc import READER_1, Pcscd, VpcdCard

    if not Pcscd.available():
        pytest.fail("pcscd (apt: pcscd, vsmartcard-vpcd) is needed and the tests must run as root")
    d = Pcscd(tmp_path)
    d.acquire()
    try:
        d.start()
        m = TokenMonitor(poll_s=0.3)
        w = make_status(qtbot, workers, m, "")
        with qtbot.waitSignal(m.readerAdded, timeout=10_000):
            m.start()
        card = VpcdCard(ATR, slot=1)
        try:
            with qtbot.waitSignal(m.tokenInserted, timeout=10_000) as blocker:
                card.insert()
            assert blocker.args == [READER_1, ATR.hex(" ").upper()]
            assert READER_1 in w.reader_label.text()
            with qtbot.waitSignal(m.tokenRemoved, timeout=10_000):
                card.remove()
            with qtbot.waitSignal(m.serviceLost, timeout=10_000):
                d.stop()
            assert "service stopped" in w.reader_label.text()
            with qtbot.waitSignal(m.serviceRestored, timeout=15_000):
                d.start()
        finally:
            card.remove()
            assert m.stop(5)
    finally:
        d.close()
