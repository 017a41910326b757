"""Reader and card monitoring against a real pcscd with vsmartcard's virtual reader and cards.

Each test starts its own :class:`ReaderWatcher` and stops (joins) it at the end; the
session's pcscd is stopped and started again by the service tests.
"""

from __future__ import annotations

import os
import queue
import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from signing.readers import (
    CARD_INSERTED,
    CARD_REMOVED,
    READER_ADDED,
    READER_REMOVED,
    SERVICE_LOST,
    SERVICE_RESTORED,
    ReaderEvent,
    ReaderWatcher,
    pcsc_status,
)
from tests.signing.pcsc import (
    READER_0,
    READER_1,
    RESERVED_PORTS,
    VPCD_PORT,
    VPCD_PORTS,
    Pcscd,
    Vicc,
    VpcdCard,
    _ranges,
    reserve_vpcd_ports,
    wait_until,
)

pytestmark = pytest.mark.slow
VICC_ATR = bytes.fromhex("3B 95 13 81 01 80 73 FF 01 00 0B")  # vicc -t iso7816 (vsmartcard 0.8)


@pytest.fixture(scope="module")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    if not Pcscd.available():
        pytest.fail("pcscd (apt: pcscd, vsmartcard-vpcd) is needed and the tests must run as root")
    d = Pcscd(tmp_path_factory.mktemp("pcscd"))
    d.acquire()
    try:
        d.start()
        yield d
    finally:
        d.close()


@pytest.fixture
def service(pcscd: Pcscd) -> Pcscd:
    """pcscd up at the start of the test (a previous test may have left it stopped)."""
    if not pcscd.running:
        pcscd.start()
    return pcscd


class Recorder:
    """Collects events from the watcher thread; ``expect`` waits for the next matching one."""

    def __init__(self) -> None:
        self.events: list[ReaderEvent] = []
        self.threads: set[str] = set()
        self._q: queue.Queue[ReaderEvent] = queue.Queue()

    def __call__(self, event: ReaderEvent) -> None:
        self.threads.add(threading.current_thread().name)
        self.events.append(event)
        self._q.put(event)

    def expect(self, kind: str, reader: str | None = None, timeout: float = 10.0) -> ReaderEvent:
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind} {reader or ''} within {timeout}s; saw {self.kinds()}")
            try:
                ev = self._q.get(timeout=left)
            except queue.Empty:
                continue
            if ev.kind == kind and (reader is None or ev.reader == reader):
                return ev

    def kinds(self) -> list[tuple[str, str]]:
        return [(e.kind, e.reader) for e in self.events]


@pytest.fixture
def watch() -> Iterator[tuple[ReaderWatcher, Recorder]]:
    rec = Recorder()
    w = ReaderWatcher(rec, poll_s=0.5, backoff_min_s=0.1, backoff_max_s=1.0)
    w.start()
    yield w, rec
    assert w.stop(5), "the watcher thread did not end"
    assert not w.running


def test_pcsc_status_names_the_virtual_readers(service: Pcscd) -> None:
    ok, detail = pcsc_status()
    assert ok, detail
    assert READER_0 in detail and READER_1 in detail


def test_pcsc_status_when_the_service_is_stopped(service: Pcscd) -> None:
    service.stop()
    ok, detail = pcsc_status()
    assert not ok
    assert "0x8010001D" in detail and "pcscd" in detail


def test_vicc_card_inserted_and_removed(service: Pcscd, watch: tuple[ReaderWatcher, Recorder]) -> None:
    w, rec = watch
    rec.expect(READER_ADDED, READER_0)
    rec.expect(READER_ADDED, READER_1)
    vicc = Vicc()
    assert Vicc.available(), "vsmartcard-vpicc (vicc) is not installed"
    try:
        t0 = time.monotonic()
        vicc.insert()
        ev = rec.expect(CARD_INSERTED, READER_0, timeout=15)
        assert ev.atr == VICC_ATR
        assert w.snapshot()[READER_0] == VICC_ATR
        assert w.snapshot()[READER_1] is None
        t1 = time.monotonic()
        vicc.remove()
        rec.expect(CARD_REMOVED, READER_0)
        removal_s = time.monotonic() - t1
    finally:
        vicc.remove()
    assert removal_s < 2.0, f"removal seen after {removal_s:.2f}s"
    assert time.monotonic() - t0 < 20
    assert w.snapshot()[READER_0] is None
    # callbacks come from the watcher's own thread, never from the caller's
    assert rec.threads == {"pcsc-watcher"}
    # a second insertion is a new event, not swallowed
    vicc2 = Vicc()
    try:
        vicc2.insert()
        rec.expect(CARD_INSERTED, READER_0, timeout=15)
    finally:
        vicc2.remove()
    rec.expect(CARD_REMOVED, READER_0)


def test_own_card_in_the_second_slot_reports_its_atr(service: Pcscd,
                                                     watch: tuple[ReaderWatcher, Recorder]) -> None:
    _, rec = watch
    atr = bytes.fromhex("3B DC 18 FF 81 91 FE 1F C3 80 73 C8 21 13 66 05 03 63 51 00 02 50")  # a token-like ATR
    card = VpcdCard(atr, slot=1)
    try:
        card.insert()
        ev = rec.expect(CARD_INSERTED, READER_1, timeout=15)
        assert ev.atr == atr
        assert ev.atr_hex.startswith("3B DC 18")
    finally:
        card.remove()
    rec.expect(CARD_REMOVED, READER_1)
    assert (CARD_INSERTED, READER_0) not in rec.kinds()


def test_service_stopped_and_restarted_with_the_card_still_in(service: Pcscd,
                                                              watch: tuple[ReaderWatcher, Recorder]) -> None:
    w, rec = watch
    atr = bytes.fromhex("3B 8A 80 01 80 31 F8 73 F7 41 E0 82 90 00 75")
    card = VpcdCard(atr, slot=0, reconnect=True)
    try:
        card.insert()
        rec.expect(CARD_INSERTED, READER_0, timeout=15)
        service.stop()
        lost = rec.expect(SERVICE_LOST, timeout=10)
        assert "0x8010001D" in lost.detail
        # what was known is forgotten and said so
        rec.expect(CARD_REMOVED, READER_0)
        rec.expect(READER_REMOVED, READER_0)
        rec.expect(READER_REMOVED, READER_1)
        assert w.snapshot() == {}
        assert w.service_up is False
        time.sleep(1.5)  # a few retries while the service is down
        assert w.running
        assert [e.kind for e in rec.events].count(SERVICE_LOST) == 1, "lost must be reported once, not per retry"
        service.start()
        rec.expect(SERVICE_RESTORED, timeout=15)
        rec.expect(READER_ADDED, READER_0)
        ev = rec.expect(CARD_INSERTED, READER_0, timeout=15)
        assert ev.atr == atr
        assert w.service_up is True
    finally:
        card.remove()
    rec.expect(CARD_REMOVED, READER_0)
    kinds = [e.kind for e in rec.events]
    assert kinds.index(SERVICE_LOST) < kinds.index(SERVICE_RESTORED)


def test_watcher_started_while_the_service_is_down(service: Pcscd, tmp_path: Path) -> None:
    service.stop()
    rec = Recorder()
    w = ReaderWatcher(rec, poll_s=0.5, backoff_min_s=0.1, backoff_max_s=0.5)
    w.start()
    try:
        rec.expect(SERVICE_LOST, timeout=5)
        service.start()
        rec.expect(SERVICE_RESTORED, timeout=10)
        rec.expect(READER_ADDED, READER_0)
    finally:
        assert w.stop(5)


def test_stop_wakes_a_long_wait_at_once(service: Pcscd) -> None:
    rec = Recorder()
    w = ReaderWatcher(rec, poll_s=60)
    w.start()
    rec.expect(READER_ADDED, READER_1)
    assert wait_until(lambda: w._ctx is not None, 5)
    time.sleep(0.3)  # now blocked in SCardGetStatusChange for up to a minute
    t0 = time.monotonic()
    assert w.stop(5)
    assert time.monotonic() - t0 < 2.0


def test_a_failing_listener_does_not_stop_the_watcher(service: Pcscd) -> None:
    seen: list[ReaderEvent] = []

    def listener(ev: ReaderEvent) -> None:
        seen.append(ev)
        raise RuntimeError("listener bug")

    w = ReaderWatcher(listener, poll_s=0.2)
    w.start()
    try:
        card = VpcdCard(b"\x3b\x00", slot=1)
        assert wait_until(lambda: len(seen) >= 2, 10)
        card.insert()
        try:
            assert wait_until(lambda: any(e.kind == CARD_INSERTED for e in seen), 10)
        finally:
            card.remove()
        assert w.running
    finally:
        assert w.stop(5)


# --- vpcd's ports --------------------------------------------------------------------------------


def test_vpcd_ports_are_out_of_the_ephemeral_range_for_the_session() -> None:
    """A full CI run lost all eight reader tests: some client socket had been given local port
    35963, vpcd could not listen there ("Address already in use" in pcscd's log) and pcscd came
    up without "Virtual PCD 00 00". The session reserves the ports (tests/conftest.py)."""
    if not RESERVED_PORTS.exists() or not os.access(RESERVED_PORTS, os.W_OK):
        pytest.skip("no ip_local_reserved_ports to write here")
    reserved = RESERVED_PORTS.read_text()
    for port in VPCD_PORTS:
        assert any(lo <= port <= hi for lo, hi in _ranges(reserved)), reserved
    socks = []
    try:  # the kernel never hands them out, however many ports it gives
        for _ in range(3000):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            assert s.getsockname()[1] not in VPCD_PORTS
    finally:
        for s in socks:
            s.close()


def test_reserving_adds_to_what_was_reserved_and_undo_puts_it_back(tmp_path: Path) -> None:
    f = tmp_path / "reserved"
    f.write_text("8080,9000-9010\n")
    undo = reserve_vpcd_ports(f)
    assert undo is not None and f.read_text() == "8080,9000-9010,35963-35964\n"
    assert reserve_vpcd_ports(f) is None  # already there: nothing to undo
    undo()
    assert f.read_text() == "8080,9000-9010\n"
    f.write_text("\n")
    assert reserve_vpcd_ports(f) is not None and f.read_text() == "35963-35964\n"
    assert reserve_vpcd_ports(tmp_path / "missing") is None


def test_a_held_vpcd_port_is_named_in_the_error_and_the_next_start_works(service: Pcscd) -> None:
    service.stop()
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    # a client socket that has vpcd's port, as an ephemeral one could; from 127.0.0.2 because
    # earlier tests' card connections may have left 127.0.0.1:35963 in TIME_WAIT
    held = socket.socket()
    # closed with a reset: a socket bound without SO_REUSEADDR keeps vpcd out for its whole
    # TIME_WAIT (60 s) too, which would fail the next start
    held.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    held.bind(("127.0.0.2", VPCD_PORT))
    held.connect(srv.getsockname())
    peer, _ = srv.accept()
    try:
        with pytest.raises(RuntimeError) as info:
            service.start(timeout=3)
        text = str(info.value)
        assert "Address already in use" in text and f":{VPCD_PORT}" in text, text
    finally:
        service.stop()
        for s in (held, peer, srv):
            s.close()
    service.start()
    assert READER_0 in pcsc_status()[1]
