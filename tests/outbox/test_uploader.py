"""The background uploader: sends by itself, wakes on new jobs, rides out a dead network.

The adapter is a test double (a dossier system that can be "unplugged"); the database,
the outbox and the thread are the real ones.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from desktop.auth import Actor
from desktop.config import Settings
from desktop.context import AppContext
from desktop.kernel.timeutil import utcnow
from desktop.outbox.adapters.base import DeliveryError
from desktop.outbox.models import OutboxJob
from desktop.outbox.uploader import UploaderState
from tests.outbox.exempt import exempt_components

ADMIN = Actor.cli()


class Network:
    """A dossier system behind a cable that can be pulled: every call fails while it is out."""

    def __init__(self) -> None:
        self.up = True
        self.sent: list[str] = []
        self.calls = 0
        self.lock = threading.Lock()

    def _call(self, what: str) -> None:
        with self.lock:
            self.calls += 1
            if not self.up:
                raise DeliveryError("ConnectError: network unreachable")
            self.sent.append(what)

    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        self._call(f"dossier:{dossier['code']}")

    def send_file(self, key: str, code: str, meta: dict[str, Any], path: Path) -> None:
        self._call(f"file:{meta['filename']}")

    def send_status(self, key: str, code: str, status: dict[str, Any]) -> None:
        self._call(f"status:{status['status']}")


def _wait(cond: Callable[[], bool], timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def _ctx(settings: Settings, net: Network) -> AppContext:
    return AppContext(settings, adapter_factory=lambda: net)


def test_sends_new_jobs_by_itself_as_soon_as_they_commit(settings: Settings, tmp_path: Path) -> None:
    net = Network()
    ctx = _ctx(settings, net)
    try:
        up = ctx.uploader
        up.idle_poll = 600  # only the wake-up on commit can explain a quick delivery
        up.start()
        assert _wait(lambda: up.status().state == UploaderState.IDLE)
        d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                                 components=exempt_components(1))
        pdf = tmp_path / "a.pdf"
        pdf.write_bytes(b"%PDF-1.4 x")
        ctx.dossiers.attach_file(ADMIN, d.code, pdf, component="TP0")
        assert _wait(lambda: net.sent == [f"dossier:{d.code}", "file:a.pdf"], timeout=5), net.sent
        assert _wait(lambda: up.status().delivered == 2 and up.status().pending == 0)
    finally:
        ctx.close()
    assert not ctx.uploader.running


def test_copies_waiting_for_a_signature_are_counted_not_sent(settings: Settings, tmp_path: Path) -> None:
    net = Network()
    ctx = _ctx(settings, net)
    try:
        ctx.uploader.start()
        d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai")
        pdf = tmp_path / "tk.pdf"
        pdf.write_bytes(b"%PDF-1.4 x")
        ctx.dossiers.attach_file(ADMIN, d.code, pdf, component="TK")
        assert _wait(lambda: ctx.uploader.status().waiting == 1 and net.sent == [f"dossier:{d.code}"])
        time.sleep(0.3)
        assert net.sent == [f"dossier:{d.code}"]
    finally:
        ctx.close()


def test_offline_then_back_sends_at_once_instead_of_waiting_out_the_backoff(settings: Settings) -> None:
    net = Network()
    net.up = False
    probe_up = threading.Event()
    ctx = _ctx(settings, net)
    try:
        up = ctx.uploader
        up._probe = probe_up.is_set  # the dossier system's /health, as the cable sees it
        up.probe_interval = 0.1
        up.start()
        d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai")
        assert _wait(lambda: up.status().state == UploaderState.OFFLINE)
        assert "network unreachable" in up.status().last_error
        calls = net.calls
        time.sleep(0.5)
        assert net.calls == calls  # offline: probes only, no hammering of the dead link
        due = ctx.outbox.next_due_in()
        assert due is not None and due > 0  # the job backed off
        # as after a long outage: its next attempt 10 min away (the first backoff, 1.5-2.5 s, was
        # too close to tell "at once" from "after the backoff", and `due > 1` failed under load)
        with ctx.db.session() as s:
            s.execute(update(OutboxJob).values(next_attempt_at=utcnow() + timedelta(minutes=10)))
        net.up = True
        probe_up.set()
        assert _wait(lambda: net.sent == [f"dossier:{d.code}"], timeout=5)  # not after the backoff
        assert _wait(lambda: up.status().state == UploaderState.IDLE and not up.status().last_error)
    finally:
        ctx.close()


def test_stop_ends_the_thread_while_jobs_wait(settings: Settings) -> None:
    net = Network()
    net.up = False
    ctx = _ctx(settings, net)
    try:
        up = ctx.uploader
        up.start()
        ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai")
        assert _wait(lambda: up.status().state in (UploaderState.RETRYING, UploaderState.OFFLINE))
        t0 = time.monotonic()
        assert up.stop(timeout=5)
        assert time.monotonic() - t0 < 2
        assert up.status().state == UploaderState.STOPPED and not up.running
    finally:
        ctx.close()
