"""No orphans (issue 14, item 6): page workers die with their parent, leftovers of a killed
run are cleaned at the next start, ``dossier submit`` is all or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.context import AppContext
from desktop.db.models import Dossier
from desktop.kernel.errors import MotcuaError
from desktop.outbox.models import OutboxJob
from scanning.leftovers import sweep_parts, sweep_temp

ROOT = Path(__file__).resolve().parents[2]

PARENT = """
import sys, time
from scanning.page_pool import PagePool
pool = PagePool(2)
pool.warm_up()
print(" ".join(map(str, pool.worker_pids())), flush=True)
time.sleep(600)
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_page_workers_die_with_their_parent(how: int) -> None:
    p = subprocess.Popen([sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert p.stdout is not None
        pids = [int(x) for x in p.stdout.readline().split()]
        assert len(pids) == 2 and all(not _gone(w) for w in pids)
        p.send_signal(how)
        p.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(_gone(w) for w in pids):
            time.sleep(0.1)
        alive = [w for w in pids if not _gone(w)]
        for w in alive:  # do not leave them to the next test
            os.kill(w, signal.SIGKILL)
        assert not alive, f"workers {alive} outlived their parent"
    finally:
        if p.poll() is None:
            p.kill()


def test_leftovers_of_a_killed_run_are_swept(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f"motcua-digitize-{dead.pid}-abc"
    orphan.mkdir()
    (orphan / "page-1.pdf").write_bytes(b"x" * 100)
    mine = tmp_path / f"motcua-digitize-{os.getpid()}-def"
    mine.mkdir()
    old_unnamed = tmp_path / "motcua-ocr-xyz"
    old_unnamed.mkdir()
    os.utime(old_unnamed, (time.time() - 7200, time.time() - 7200))
    assert sorted(sweep_temp(tmp_path)) == sorted([orphan, old_unnamed])
    assert mine.exists()
    part = tmp_path / "out" / ".ho-so.pdf.part"
    part.parent.mkdir()
    part.write_bytes(b"")
    fresh = tmp_path / "out" / ".other.pdf.part"
    fresh.write_bytes(b"")
    os.utime(part, (time.time() - 7200, time.time() - 7200))
    assert sweep_parts([tmp_path / "out"]) == [part] and fresh.exists()


def test_temporary_folders_carry_the_pid() -> None:
    from scanning.leftovers import temp_prefix

    with tempfile.TemporaryDirectory(prefix=temp_prefix("digitize")) as d:
        assert f"motcua-digitize-{os.getpid()}-" in d


def test_submit_records_dossier_and_files_in_one_transaction(ctx: AppContext, tmp_path: Path) -> None:
    from desktop.auth import Actor

    good = tmp_path / "a.pdf"
    good.write_bytes(b"%PDF-1.4 a")
    missing = tmp_path / "gone.pdf"
    with pytest.raises(MotcuaError, match="gone.pdf"):  # said before anything is written
        ctx.dossiers.submit(Actor.cli(), [("TK", good), ("GCS", missing)], procedure_code="1.001193",
                            applicant_name="Nguyễn Văn An")
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Dossier)) == 0
        assert s.scalar(select(func.count()).select_from(OutboxJob)) == 0
    d = ctx.dossiers.submit(Actor.cli(), [("TK", good)], procedure_code="1.001193", applicant_name="Nguyễn Văn An")
    assert [f.filename for f in ctx.dossiers.files(d.code)] == ["a.pdf"]
