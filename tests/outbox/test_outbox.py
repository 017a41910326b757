"""The outbox: jobs in the dossier's transaction, order per dossier, retries, parking, crashes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import DossierStatus
from desktop.kernel.timeutil import utcnow
from desktop.outbox.adapters.base import DeliveryError
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.outbox.models import OutboxJob
from desktop.outbox.service import backoff
from tests.outbox.doubles import SwitchableSystem
from tests.outbox.exempt import exempt_components

ADMIN = Actor.cli()


class RecordingAdapter:
    """Test double of a dossier system: records deliveries, fails on demand."""

    def __init__(self, fail_times: int = 0) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail_times = fail_times

    def _maybe_fail(self) -> None:
        if self.fail_times:
            self.fail_times -= 1
            raise DeliveryError("HTTP 503")

    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        self._maybe_fail()
        self.sent.append(("dossier", dossier["code"]))

    def send_file(self, key: str, code: str, meta: dict[str, Any], path: Path) -> None:
        self._maybe_fail()
        if not path.exists():
            raise DeliveryError("deleted", permanent=True)
        self.sent.append(("file", meta["filename"]))

    def send_status(self, key: str, code: str, status: dict[str, Any]) -> None:
        self._maybe_fail()
        self.sent.append(("status", str(status["status"])))


def _dossier(ctx: AppContext, tmp_path: Path, n_files: int = 2) -> str:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai", components=exempt_components())
    ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.PROCESSING)  # a status before the files exist
    for i in range(n_files):
        p = tmp_path / f"tp{i}.pdf"
        p.write_bytes(b"%PDF-1.4 " + bytes([i]) * 100)
        ctx.dossiers.attach_file(ADMIN, d.code, p, component=f"TP{i}")
    return d.code


def test_order_dossier_files_status(make_ctx: Callable[..., AppContext], tmp_path: Path) -> None:
    fake = RecordingAdapter()
    ctx = make_ctx(lambda: fake)
    _dossier(ctx, tmp_path)
    assert ctx.outbox.drain(ADMIN)["delivered"] == 4
    assert [k for k, _ in fake.sent] == ["dossier", "file", "file", "status"]
    assert ctx.outbox.drain(ADMIN)["delivered"] == 0  # nothing twice


def test_transient_failure_backs_off_and_recovers(make_ctx: Callable[..., AppContext], tmp_path: Path) -> None:
    fake = RecordingAdapter(fail_times=1)
    ctx = make_ctx(lambda: fake)
    _dossier(ctx, tmp_path, 0)
    r = ctx.outbox.drain(ADMIN)
    assert r["failed"] == 1 and r["pending"] == 2
    job = ctx.outbox.jobs()[0]
    assert job.last_error == "HTTP 503" and job.next_attempt_at > utcnow()
    with ctx.db.session() as s:  # time passes
        s.execute(update(OutboxJob).values(next_attempt_at=utcnow()))
    assert ctx.outbox.drain(ADMIN)["delivered"] == 2


def test_deleted_file_is_parked_with_its_reason_and_retry_works(ctx: AppContext, tmp_path: Path) -> None:
    ctx.settings.dossier_url = (tmp_path / "out").as_uri()  # a folder as the dossier system
    _dossier(ctx, tmp_path, 1)
    (tmp_path / "tp0.pdf").unlink()
    r = ctx.outbox.drain(ADMIN)
    assert r["parked"] == 1 and r["delivered"] == 2  # the dossier and its status still go
    parked = [j for j in ctx.outbox.jobs() if j.state == "parked"]
    assert "đã bị xóa" in parked[0].last_error
    (tmp_path / "tp0.pdf").write_bytes(b"%PDF-1.4 " + bytes([0]) * 100)
    ctx.outbox.retry(ADMIN, parked[0].id)
    assert ctx.outbox.drain(ADMIN)["delivered"] == 1


def test_backoff_grows_and_is_capped() -> None:
    import random

    rng = random.Random(7)
    waits = [backoff(n, rng).total_seconds() for n in range(1, 15)]
    assert waits[0] < 3 and waits[4] > 20 and max(waits) <= 750


def test_folder_adapter_disk_full_is_a_clear_retryable_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno

    adapter = FolderAdapter(tmp_path)

    def full(*a, **k):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("desktop.outbox.adapters.folder.os.fsync", full)
    with pytest.raises(DeliveryError, match="ổ đĩa đầy") as err:
        adapter.send_dossier("k", {"code": "X-1"})
    assert not err.value.permanent
    assert not list(tmp_path.rglob("*.json")) and not list(tmp_path.rglob(".*.part"))


SLOW_DRAIN = r"""
import sys, time
from desktop.context import AppContext
from desktop.config import load_settings
from desktop.outbox.adapters.folder import FolderAdapter
inner = FolderAdapter(__import__("pathlib").Path(sys.argv[2]))
class Slow:
    def __getattr__(self, name):
        target = getattr(inner, name)
        def call(*a, **k):
            time.sleep(0.02)
            return target(*a, **k)
        return call
ctx = AppContext(load_settings(sys.argv[1]), adapter_factory=lambda: Slow())
from desktop.auth import Actor
print(ctx.outbox.drain(Actor.cli()), flush=True)
"""


@pytest.mark.slow
def test_killed_uploader_delivers_everything_exactly_once(ctx: AppContext, tmp_path: Path) -> None:
    codes = []
    for i in range(30):
        (tmp_path / f"d{i}").mkdir()
        codes.append(_dossier(ctx, tmp_path / f"d{i}", 3))
    out = tmp_path / "system"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for kill in range(6):
        p = subprocess.Popen([sys.executable, "-c", SLOW_DRAIN, str(ctx.settings.data_dir), str(out)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.6 + 0.2 * kill)
        p.send_signal(signal.SIGKILL)
        p.wait()
        with ctx.db.session() as s:  # leases of the killed process expire
            s.execute(update(OutboxJob).where(OutboxJob.state == "in_flight").values(next_attempt_at=utcnow()))
    r = subprocess.run([sys.executable, "-c", SLOW_DRAIN, str(ctx.settings.data_dir), str(out)], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert ctx.outbox.counts() == {"done": 30 * 5}  # dossier, status, three files
    for code in codes:
        folder = out / code
        assert json.loads((folder / "dossier.json").read_text())["code"] == code
        assert len(list((folder / "files").glob("*.pdf"))) == 3
        assert [json.loads(f.read_text())["status"] for f in sorted((folder / "status").glob("*.json"))] == [DossierStatus.PROCESSING.value]
    assert not list(out.rglob(".*.part")), "a cut write was not completed by its retry"


def test_copies_wait_for_their_signature_then_go_signed(make_ctx: Callable[..., AppContext], tmp_path: Path) -> None:
    """A digitized copy is not uploaded before its organization signature is verified."""
    import hashlib

    from desktop.db.models import DigitizedFile
    from desktop.kernel.errors import Conflict

    fake = RecordingAdapter()
    system = SwitchableSystem(fake)
    ctx = make_ctx(lambda: system)
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai")
    pdf = tmp_path / "tk.pdf"
    pdf.write_bytes(b"%PDF-1.4 unsigned")
    f = ctx.dossiers.attach_file(ADMIN, d.code, pdf, component="TK")
    ctx.outbox.drain(ADMIN)
    assert fake.sent == [("dossier", d.code)]  # the copy waits, visibly, with its reason
    job = next(j for j in ctx.outbox.jobs() if j.kind == "file")
    assert job.state == "waiting" and "ký số" in job.last_error
    with pytest.raises(Conflict):  # "retry" cannot push an unsigned copy out
        ctx.outbox.retry(ADMIN, job.id)
    ctx.outbox.drain(ADMIN)
    assert fake.sent == [("dossier", d.code)]
    # signed in place and verified (what desktop.workflow.signing records): the copy goes, signed
    pdf.write_bytes(b"%PDF-1.4 signed version")
    with ctx.db.session() as s:
        row = s.get(DigitizedFile, f.id)
        assert row is not None
        row.sha256 = hashlib.sha256(pdf.read_bytes()).hexdigest()
        row.signature_state = "verified"
        ctx.outbox.file_changed(s, row)
    system.use(FolderAdapter(tmp_path / "system"))
    ctx.outbox.drain(ADMIN)
    stored = list((tmp_path / "system" / d.code / "files").glob("*.pdf"))
    assert [p.read_bytes() for p in stored] == [b"%PDF-1.4 signed version"]
    # an exempt component goes unsigned; one whose signature turned out invalid is parked
    e = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                             components=exempt_components(1))
    g = ctx.dossiers.attach_file(ADMIN, e.code, pdf, component="TP0")
    with ctx.db.session() as s:
        row = s.get(DigitizedFile, g.id)
        assert row is not None
        row.signature_state = "invalid"
    ctx.outbox.drain(ADMIN)
    parked = [j for j in ctx.outbox.jobs() if j.state == "parked"]
    assert parked and "không hợp lệ" in parked[0].last_error
