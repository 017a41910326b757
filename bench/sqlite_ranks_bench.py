"""SQLite queue report: histograms against per-group ranks, each grouping, in the same run.

    .venv/bin/python bench/sqlite_ranks_bench.py --db PATH [--runs 5] [--rounds 2]

PATH: a ``bench/analytics_gen.py --scale 0.04`` database on which a year's report was made
once (the day summary built). For each period and grouping the report's bare statement
(``queue_sql``) with ``ranked=False`` (histograms, the formulation before) and
``ranked=True`` (per-group ranks) are timed alternately with this process's CPU clock
(SQLite runs in-process; a loaded machine stretches the wall clock), their rows compared
for equality, and the ratio printed; "used" is what ``queue_report`` picks for the grouping.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from desktop.reports.period import Period, month_period
    from desktop.reports.queue import GROUPINGS, RANKED_GROUPINGS, Sources, _params, queue_sql
    from desktop.reports.scope import Scope
    from desktop.reports.sql import Dialect

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2, help="old/new alternations, each of --runs")
    ap.add_argument("--year", type=int, default=2025)
    args = ap.parse_args()
    conn = sqlite3.connect(args.db)
    d, src = Dialect(False), Sources(summary=True, live_from=None)
    periods = {"year": Period(date(args.year, 1, 1), date(args.year, 12, 31)), "month": month_period(args.year, 3)}
    print(f"{'period':<7}{'by':<9}{'histograms':>12}{'ranks':>10}{'ratio':>7}  same  used")
    for pname, period in periods.items():
        p = {k: v.isoformat(" ") for k, v in _params(period, src).items()}
        for by in GROUPINGS:
            wt = by != "total"
            sqls = {r: queue_sql(d, Scope(), by, src, with_total=wt, ranked=r) for r in (False, True)}
            times: dict[bool, list[float]] = {False: [], True: []}
            rows = {}
            for _ in range(args.rounds):
                for r in (False, True):
                    for _ in range(args.runs):
                        t = time.process_time()
                        rows[r] = sorted(conn.execute(sqls[r], p).fetchall(), key=lambda x: str(x[0]))
                        times[r].append((time.process_time() - t) * 1000)
            old, new = statistics.median(times[False]), statistics.median(times[True])
            used = "ranks" if by in RANKED_GROUPINGS else "histograms"
            print(f"{pname:<7}{by:<9}{old:>10.0f}ms{new:>8.0f}ms{new / old:>7.2f}  {rows[False] == rows[True]!s:<5} {used}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
