"""Draining in batches: the per-dossier order checked for a whole batch in one query,
several workers at once (SKIP LOCKED on PostgreSQL), the adapter kept between drains,
cancelled jobs giving their lease back, and an adapter bug not stopping the queue.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from desktop.audit import AuditLog
from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import DossierStatus
from desktop.kernel.tasks import Cancelled, CancelToken
from desktop.kernel.timeutil import utcnow
from desktop.outbox.adapters.base import DeliveryError
from desktop.outbox.models import OutboxJob
from desktop.outbox.service import MAX_FAILURES
from tests.outbox.exempt import exempt_components

ADMIN = Actor.cli()


class Recorder:
    """A dossier system that records what arrives, per dossier, from several threads."""

    def __init__(self, delay: float = 0.0, fail_files: set[str] | None = None) -> None:
        self.lock = threading.Lock()
        self.keys: Counter[str] = Counter()
        self.per_dossier: dict[str, list[str]] = defaultdict(list)
        self.delay, self.fail_files = delay, fail_files or set()
        self.closed = 0

    def _got(self, key: str, code: str, what: str) -> None:
        time.sleep(self.delay)
        with self.lock:
            self.keys[key] += 1
            self.per_dossier[code].append(what)

    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        self._got(key, dossier["code"], "dossier")

    def send_file(self, key: str, code: str, meta: dict[str, Any], path: Path) -> None:
        if meta["filename"] in self.fail_files:
            raise DeliveryError("422 never", permanent=True)
        self._got(key, code, f"file:{meta['filename']}")

    def send_status(self, key: str, code: str, status: dict[str, Any]) -> None:
        self._got(key, code, f"status:{status['status']}")

    def close(self) -> None:
        self.closed += 1


@pytest.fixture(params=["sqlite", "postgres"])
def two(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[AppContext, AppContext, Recorder]]:
    """Two workstations (two AppContexts) on one database, sending to one recording dossier system."""
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    rec = Recorder(delay=0.001)
    a = AppContext(load_settings(tmp_path / "a", db_url=url or f"sqlite:///{tmp_path / 'shared.db'}"),
                   adapter_factory=lambda: rec)
    b = AppContext(load_settings(tmp_path / "b", db_url=url or f"sqlite:///{tmp_path / 'shared.db'}"),
                   adapter_factory=lambda: rec)
    yield a, b, rec
    a.close()
    b.close()


def _dossiers(ctx: AppContext, folder: Path, n: int) -> list[str]:
    codes = []
    for i in range(n):
        d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Trần Văn Bình", components=exempt_components())
        if i % 3 == 0:  # a status recorded before the files: it still goes after them
            ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.PROCESSING)
        for k in range(2):
            p = folder / f"{i}-{k}.pdf"
            p.write_bytes(b"%PDF-1.4 " + bytes([i % 256, k]) * 50)
            ctx.dossiers.attach_file(ADMIN, d.code, p, component=f"TP{k}")
        if i % 3 != 0:
            ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.PROCESSING)
        codes.append(d.code)
    return codes


def test_two_workers_deliver_each_job_once_in_order(two: tuple[AppContext, AppContext, Recorder],
                                                    tmp_path: Path) -> None:
    a, b, rec = two
    codes = _dossiers(a, tmp_path, 40)
    errors: list[BaseException] = []

    def run(ctx: AppContext) -> None:
        try:
            ctx.outbox.drain(ADMIN, timeout=120)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert not errors
    a.outbox.drain(ADMIN)  # whatever one worker left behind a lease of the other's
    assert a.outbox.counts() == {"done": 40 * 4}
    assert set(rec.keys.values()) == {1} and len(rec.keys) == 160  # each key exactly once
    for code in codes:
        i = codes.index(code)
        assert rec.per_dossier[code] == ["dossier", f"file:{i}-0.pdf", f"file:{i}-1.pdf", "status:4"]
    with a.db.session() as s:
        assert AuditLog().verify(s) == []
        done_events = s.scalars(select(OutboxJob.id).where(OutboxJob.state == "done")).all()
    assert len(done_events) == 160


def test_parked_file_lets_status_go_but_parked_dossier_holds_all(make_ctx: Callable[..., AppContext],
                                                                 tmp_path: Path) -> None:
    rec = Recorder(fail_files={"0-1.pdf"})
    ctx = make_ctx(lambda: rec)
    codes = _dossiers(ctx, tmp_path, 2)
    ctx.outbox.drain(ADMIN)
    assert [s.split(":")[0] for s in rec.per_dossier[codes[0]]] == ["dossier", "file", "status"]
    assert ctx.outbox.counts() == {"done": 7, "parked": 1}
    with ctx.db.session() as s:  # the second dossier's own job is parked: nothing of it may go
        s.execute(update(OutboxJob).where(OutboxJob.dossier_code == codes[1])
                  .values(state="pending", next_attempt_at=utcnow()))
        s.execute(update(OutboxJob).where(OutboxJob.dossier_code == codes[1], OutboxJob.kind == "dossier")
                  .values(state="parked"))
    before = len(rec.per_dossier[codes[1]])
    assert ctx.outbox.drain(ADMIN)["delivered"] == 0 and len(rec.per_dossier[codes[1]]) == before


def test_adapter_kept_between_drains_and_closed(make_ctx: Callable[..., AppContext], tmp_path: Path) -> None:
    made: list[Recorder] = []

    def factory() -> Recorder:
        made.append(Recorder())
        return made[-1]

    ctx = make_ctx(factory)
    _dossiers(ctx, tmp_path, 1)
    ctx.outbox.drain(ADMIN)
    _dossiers(ctx, tmp_path / "..", 1)
    ctx.outbox.drain(ADMIN)
    assert len(made) == 1 and made[0].closed == 0 and len(made[0].keys) == 8
    ctx.settings.dossier_url = "https://dossiers.example.test/"  # a new address (the Settings screen)
    ctx.outbox.drain(ADMIN)
    assert len(made) == 2 and made[0].closed == 1 and made[1].closed == 0  # the old adapter is closed
    ctx.outbox.close()
    assert made[1].closed == 1


def test_cancel_gives_leases_back(make_ctx: Callable[..., AppContext], tmp_path: Path) -> None:
    rec = Recorder()
    ctx = make_ctx(lambda: rec)
    _dossiers(ctx, tmp_path, 30)
    cancel = CancelToken()

    def progress(done: int, total: int, what: str) -> None:
        if done == 5:
            cancel.cancel()

    with pytest.raises(Cancelled):
        ctx.outbox.drain(ADMIN, cancel=cancel, progress=progress)
    counts = ctx.outbox.counts()
    assert counts.get("done") == 5 and "in_flight" not in counts  # nothing stays leased for 5 minutes
    with ctx.db.session() as s:
        assert max(s.scalars(select(OutboxJob.attempts).where(OutboxJob.state == "pending"))) == 0
    assert ctx.outbox.drain(ADMIN)["delivered"] == 30 * 4 - 5


def test_adapter_bug_backs_off_then_parks_without_stopping_others(make_ctx: Callable[..., AppContext],
                                                                  tmp_path: Path) -> None:
    rec = Recorder()

    class Buggy(Recorder):
        def send_file(self, key: str, code: str, meta: dict[str, Any], path: Path) -> None:
            if meta["filename"] == "1-0.pdf":
                raise KeyError("sha256")  # e.g. an odd answer the adapter did not expect
            rec.send_file(key, code, meta, path)

        def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
            rec.send_dossier(key, dossier)

        def send_status(self, key: str, code: str, status: dict[str, Any]) -> None:
            rec.send_status(key, code, status)

    ctx = make_ctx(Buggy)
    codes = _dossiers(ctx, tmp_path, 3)
    r = ctx.outbox.drain(ADMIN)
    assert r["failed"] == 1 and len(rec.per_dossier[codes[0]]) == 4 and len(rec.per_dossier[codes[2]]) == 4
    assert rec.per_dossier[codes[1]] == ["dossier"]  # its second file and status wait behind the first
    job = next(j for j in ctx.outbox.jobs() if j.state == "pending")
    assert job.last_error == "Lỗi không mong đợi khi gửi: KeyError: 'sha256'"
    for _ in range(MAX_FAILURES):
        with ctx.db.session() as s:
            s.execute(update(OutboxJob).where(OutboxJob.state == "pending").values(next_attempt_at=utcnow()))
        ctx.outbox.drain(ADMIN)
    assert ctx.outbox.counts() == {"done": 11, "parked": 1}  # the rest of that dossier went after it parked
    assert rec.per_dossier[codes[1]] == ["dossier", "file:1-1.pdf", "status:4"]
