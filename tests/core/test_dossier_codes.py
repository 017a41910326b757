"""Dossier codes: format, daily restart per unit, and no duplicate or gap under concurrency."""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime

from desktop.db import Database
from desktop.dossiers import next_dossier_code
from desktop.kernel.timeutil import VN_TZ

UNIT = "000.00.06.H56"
WHEN = datetime(2023, 10, 27, 9, 32, tzinfo=VN_TZ)


def test_format_and_daily_restart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'c.db'}")
    db.migrate()
    with db.session() as s:
        assert next_dossier_code(s, UNIT, WHEN) == "000.00.06.H56-231027-0001"
        assert next_dossier_code(s, UNIT, WHEN) == "000.00.06.H56-231027-0002"
        assert next_dossier_code(s, "000.00.07.H56", WHEN) == "000.00.07.H56-231027-0001"
        assert next_dossier_code(s, UNIT, WHEN.replace(day=30)) == "000.00.06.H56-231030-0001"
    # the day of the code is the Vietnamese calendar day, not the UTC one
    late = datetime(2023, 10, 26, 17, 30, tzinfo=UTC)  # 00:30 on the 27th in Vietnam
    with db.session() as s:
        assert next_dossier_code(s, UNIT, late) == "000.00.06.H56-231027-0003"
    db.dispose()


def _issue(url: str, n: int, out: mp.Queue) -> None:
    db = Database(url)
    codes = []
    for i in range(n):
        try:
            with db.session() as s:
                code = next_dossier_code(s, UNIT, WHEN)
                if i % 50 == 49:
                    raise RuntimeError("reception abandoned")  # rolled back: its number must be reused
                codes.append(code)
        except RuntimeError:
            pass
    db.dispose()
    out.put(codes)


def _run_concurrently(url: str, procs: int, per_proc: int) -> list[str]:
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    workers = [ctx.Process(target=_issue, args=(url, per_proc, out)) for _ in range(procs)]
    for w in workers:
        w.start()
    codes = [c for _ in workers for c in out.get(timeout=300)]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    return codes


def _assert_dense(codes: list[str], expected: int) -> None:
    assert len(codes) == expected
    assert len(set(codes)) == expected, "duplicate dossier code"
    numbers = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert numbers == list(range(1, expected + 1)), "gap in the daily sequence"


def test_no_duplicate_or_gap_postgres_8x500(pg_url: str) -> None:
    db = Database(pg_url)
    db.migrate()
    db.dispose()
    codes = _run_concurrently(pg_url, 8, 500)
    _assert_dense(codes, 8 * 490)


def test_no_duplicate_or_gap_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'c.db'}"
    db = Database(url)
    db.migrate()
    db.dispose()
    codes = _run_concurrently(url, 4, 100)
    _assert_dense(codes, 4 * 98)
