"""The poison job: a job whose sending kills its sender every time (issue 10 leftovers).

Before: ``attempts`` counted every lease, so a killed attempt lengthened the job's backoff
as if the server had refused it, and a job that killed every uploader was taken over again
and again, taking its batch-mates down with it. Now failures (the server said no) and
takeovers (a lease ran out with no outcome) are counted apart: the backoff counts failures
only, and ``MAX_TAKEOVERS`` takeovers in a row park the job with its reason.

The children here really die by SIGKILL while sending: their adapter, a folder dossier
system, kills its own process when it is handed the job named in a marker file (a file
that crashes a library). A dead local holder is taken over at once, so no lease is waited out.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import AuditEvent
from desktop.kernel.i18n import set_language
from desktop.kernel.timeutil import utcnow
from desktop.outbox.adapters.base import DeliveryError
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.outbox.models import OutboxJob
from desktop.outbox.service import MAX_TAKEOVERS, backoff
from tests.cli import ROOT, motcua
from tests.outbox.test_takeover import _dossier, _TopJitter

ADMIN = Actor.cli()

#: a drain whose dossier system's library kills the process on the job named in the marker
#: file (argv 3); with argv 4 "once" it removes the marker first (killed once, then fine)
POISONED_DRAIN = r"""
import os, signal, sys
from pathlib import Path
from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent
from desktop.outbox.adapters.folder import FolderAdapter

inner, marker = FolderAdapter(Path(sys.argv[2])), Path(sys.argv[3])
once = sys.argv[4:] == ["once"]

class Poisoned:
    def __getattr__(self, name):
        target = getattr(inner, name)
        def call(*a, **k):
            if a and marker.exists() and a[0] == marker.read_text():
                if once:
                    marker.unlink()
                os.kill(os.getpid(), signal.SIGKILL)
            return target(*a, **k)
        return call

ctx = AppContext(load_settings(sys.argv[1]), adapter_factory=lambda: Poisoned())
print(ctx.outbox.drain(Actor.cli()), flush=True)
"""


def _run(ctx: AppContext, out: Path, marker: Path, *extra: str, lang: str = "vi") -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOTCUA_LANG": lang}
    r = subprocess.run([sys.executable, "-c", POISONED_DRAIN, str(ctx.settings.data_dir), str(out), str(marker), *extra],
                       env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, -signal.SIGKILL), r.stderr[-2000:]
    return r.returncode


def _job(ctx: AppContext, job_id: int) -> OutboxJob:
    with ctx.db.session() as s:
        job = s.get(OutboxJob, job_id)
        assert job is not None
        s.expunge(job)
        return job


def _done(ctx: AppContext) -> int:
    return ctx.outbox.counts().get("done", 0)


def test_a_job_that_kills_its_sender_is_parked_after_three_takeovers_and_the_others_go(
        ctx: AppContext, tmp_path: Path) -> None:
    codes = [_dossier(ctx, tmp_path / f"f{i}", i) for i in range(5)]  # each: dossier, 2 files, status
    total = 5 * 4
    with ctx.db.session() as s:
        poison_id, key = s.execute(select(OutboxJob.id, OutboxJob.idempotency_key).where(
            OutboxJob.dossier_code == codes[0], OutboxJob.kind == "file").order_by(OutboxJob.id).limit(1)).one()
    out, marker = tmp_path / "system", tmp_path / "poison"
    marker.write_text(key)
    kills, done_after = 0, []
    while _run(ctx, out, marker) == -signal.SIGKILL:
        kills += 1
        done_after.append(_done(ctx))
        assert kills <= MAX_TAKEOVERS, f"killed {kills} times, done after each {done_after}"
    assert kills == MAX_TAKEOVERS, done_after
    # meanwhile the others went: before the last kill, every job but the poison one and
    # the two of its dossier that must follow it (its second file, its status)
    assert done_after[-1] == total - 3, done_after
    job = _job(ctx, poison_id)
    assert job.state == "parked" and job.takeovers == MAX_TAKEOVERS and job.failures == 0, (job.state, job.takeovers)
    assert job.last_error.startswith(f"Tiến trình gửi đã dừng {MAX_TAKEOVERS} lần khi đang gửi việc này"), job.last_error
    assert "Kiểm tra rồi thử lại bằng tay" in job.last_error
    assert ctx.outbox.counts() == {"done": total - 1, "parked": 1}
    with ctx.db.session() as s:  # the poison job's batch-mates were not blamed with it
        others = s.scalars(select(OutboxJob.takeovers).where(OutboxJob.id != poison_id)).all()
    assert max(others) <= 1, others
    for code in codes[1:]:
        assert len(list((out / code / "files").glob("*.pdf"))) == 2
    assert len(list((out / codes[0] / "files").glob("*.pdf"))) == 1  # its other file went, it did not

    # the CLI lists it with the others parked, with its reason
    r = motcua(ctx.settings.data_dir, "outbox", "list")
    assert r.returncode == 0 and f"{poison_id:>6} parked" in r.stdout and "đã dừng 3 lần" in r.stdout, r.stdout
    listed = json.loads(motcua(ctx.settings.data_dir, "outbox", "list", "--json").stdout)
    assert [(j["id"], j["failures"], j["takeovers"]) for j in listed] == [(poison_id, 0, MAX_TAKEOVERS)]

    # retried by hand, both counts start again: three more takeovers (here in English) park it again
    assert motcua(ctx.settings.data_dir, "outbox", "retry", str(poison_id)).returncode == 0
    job = _job(ctx, poison_id)
    assert (job.state, job.attempts, job.failures, job.takeovers) == ("pending", 0, 0, 0)
    kills = 0
    while _run(ctx, out, marker, lang="en") == -signal.SIGKILL:
        kills += 1
        assert kills <= MAX_TAKEOVERS
    assert kills == MAX_TAKEOVERS
    job = _job(ctx, poison_id)
    assert job.state == "parked" and job.last_error.startswith(
        f"The sending process stopped {MAX_TAKEOVERS} times while sending this job"), job.last_error
    assert "retry it by hand" in job.last_error

    # the library fixed (no marker), a retry sends it, once
    marker.unlink()
    ctx.outbox.retry(ADMIN, poison_id)
    assert _run(ctx, out, marker) == 0
    assert ctx.outbox.counts() == {"done": total}
    assert len(list((out / codes[0] / "files").glob("*.pdf"))) == 2


class _Refusing(FolderAdapter):
    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        raise DeliveryError("HTTP 503")


def test_a_killed_attempt_does_not_lengthen_the_backoff(make_ctx: Callable[..., AppContext], tmp_path: Path) -> None:
    """Killed while sending the dossier, then refused once: waits ``backoff(1)``, not ``backoff(2)``."""
    ctx = make_ctx(lambda: _Refusing(tmp_path / "system"))  # this process's sends are refused
    code = _dossier(ctx, tmp_path / "f", 0, files=1)
    with ctx.db.session() as s:
        job_id, key = s.execute(select(OutboxJob.id, OutboxJob.idempotency_key).where(
            OutboxJob.dossier_code == code, OutboxJob.kind == "dossier")).one()
    marker = tmp_path / "poison"
    marker.write_text(key)
    assert _run(ctx, tmp_path / "system", marker, "once") == -signal.SIGKILL

    before = utcnow()
    assert ctx.outbox.drain(ADMIN)["failed"] == 1
    job = _job(ctx, job_id)
    wait = job.next_attempt_at - before
    # backoff(1) is at most 2.5 s; backoff(2), what the killed attempt used to add, at least 3 s
    longest = backoff(1, _TopJitter()) + timedelta(seconds=0.4)
    assert wait < longest < timedelta(seconds=3), f"waits {wait} after one refusal and one kill"
    assert (job.state, job.attempts, job.failures, job.takeovers) == ("pending", 2, 1, 0)


def test_an_expired_remote_lease_counts_as_a_takeover_and_parks_in_the_users_language(
        ctx: AppContext, tmp_path: Path) -> None:
    """Across workstations the lease runs out instead: the third in a row parks the job
    (in Vietnamese or English, naming the holder); a lease still running is left alone."""
    code = _dossier(ctx, tmp_path / "f", 0, files=1)
    other = "quay-2 4242 99"
    with ctx.db.session() as s:
        s.execute(update(OutboxJob).where(OutboxJob.dossier_code == code, OutboxJob.kind == "dossier")
                  .values(state="in_flight", holder=other, takeovers=MAX_TAKEOVERS - 1, attempts=3,
                          next_attempt_at=utcnow() + timedelta(seconds=30)))
    ctx.settings.dossier_url = (tmp_path / "system").as_uri()  # a folder as the dossier system
    assert ctx.outbox.drain(ADMIN)["delivered"] == 0  # its lease runs: nothing to do
    assert ctx.outbox.counts().get("parked", 0) == 0
    for lang, words in (("en", "The sending process stopped 3 times"), ("vi", "Tiến trình gửi đã dừng 3 lần")):
        with ctx.db.session() as s:
            s.execute(update(OutboxJob).where(OutboxJob.kind == "dossier").values(
                state="in_flight", holder=other, takeovers=MAX_TAKEOVERS - 1, next_attempt_at=utcnow()))
        set_language(lang)
        ctx.outbox.drain(ADMIN)
        parked = [j for j in ctx.outbox.jobs() if j.state == "parked"]
        assert [j.kind for j in parked] == ["dossier"] and parked[0].takeovers == MAX_TAKEOVERS
        assert parked[0].last_error.startswith(words) and other in parked[0].last_error, parked[0].last_error
        assert parked[0].reason().startswith("parked: " if lang == "en" else "tạm dừng: ")
        # a parked dossier holds back its file and status
        assert sorted(j.state for j in ctx.outbox.jobs()) == ["parked", "pending", "pending"]
        ctx.outbox.retry(ADMIN, parked[0].id)
        with ctx.db.session() as s:
            assert s.execute(select(OutboxJob.failures, OutboxJob.takeovers).where(
                OutboxJob.id == parked[0].id)).one() == (0, 0)
    with ctx.db.session() as s:
        actions = list(s.scalars(select(AuditEvent.action)))
    assert actions.count("upload.parked") == 2
