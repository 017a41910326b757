"""The dossier report's stale-id read: the bounded statement against the plain join, same run.

    .venv/bin/python bench/stale_read_bench.py --db-url URL [--rounds 3] [--year 2025]

URL: a database of ``bench/analytics_gen.py`` (summarized). Per period (a month, the year)
the two statements of ``desktop/reports/dossiers`` (``_STALE``, ``_STALE_LONG``) and the whole
``dossier_report`` with each (``_LONG_DAYS`` set so that one or the other is used) are timed
alternately, wall clock, medians of the rounds; the ids found must be the same.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from sqlalchemy import text

    import desktop.reports.dossiers as dossiers
    from desktop.auth import Actor
    from desktop.db import Database
    from desktop.db.models import Role
    from desktop.reports.period import Period, month_period

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db-url", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--year", type=int, default=2025)
    args = ap.parse_args()
    db = Database(args.db_url)
    admin = Actor("bench", Role.ADMIN)
    now = datetime(args.year + 1, 1, 5, 2, tzinfo=UTC)
    long_days = dossiers._LONG_DAYS

    def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
        t = time.perf_counter()
        out = fn()
        return (time.perf_counter() - t) * 1000, out

    print(f"{'what':<34}{'bounded':>10}{'plain':>10}{'ratio':>7}")
    for label, period in (("month", month_period(args.year, 3)), ("year", Period(date(args.year, 1, 1),
                                                                                 date(args.year, 12, 31)))):
        span = {"lo": period.lo.replace(tzinfo=None), "hi": period.hi.replace(tzinfo=None)}
        read: dict[str, list[float]] = {"b": [], "p": []}
        report: dict[str, list[float]] = {"b": [], "p": []}
        ids: dict[str, Any] = {}
        for _ in range(args.rounds):
            for which, sql, days in (("b", dossiers._STALE, 10**6), ("p", dossiers._STALE_LONG, 0)):
                with db.session() as s:
                    s.execute(text("SET LOCAL jit = off"))
                    ms, rows = timed(lambda sql=sql, s=s, span=span: sorted(i for (i,) in s.execute(text(sql), span)))
                read[which].append(ms)
                ids[which] = rows
                dossiers._LONG_DAYS = days
                report[which].append(timed(lambda period=period: dossiers.dossier_report(db, admin, period, "officer", as_of=now))[0])
                dossiers._LONG_DAYS = long_days
        assert ids["b"] == ids["p"]
        for name, m in ((f"{label}: stale-id read", read), (f"{label}: dossier_report by officer", report)):
            b, p = statistics.median(m["b"]), statistics.median(m["p"])
            print(f"{name:<34}{b:>8.0f}ms{p:>8.0f}ms{p / b:>7.2f}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
