"""Report timings on a generated year (bench/analytics_gen.py), each next to the bare SQL.

    .venv/bin/python bench/report_bench.py --backend postgres [--scale 1.0] [--db-url URL] [--runs 5]
    .venv/bin/python bench/report_bench.py --backend sqlite [--scale 0.04]

Without ``--db-url`` it makes the data itself: PostgreSQL in a throw-away server
(tests/pgserver.py), SQLite in a temporary file. For each report — the queue by service
and by officer, the dossiers by officer — for a month and for the year:

* bare: the report's own SQL text run through the DBAPI driver (psycopg / sqlite3),
  with the day summary already built;
* motcua: the report function as the CLI and the screens call it (scope, summary
  check, the one statement with the groups and the total, rows to objects);
* first: the first call, which builds the day summary of a period never reported on.

And the dashboard's refresh on the busiest day, against its statements run bare.
``--only dossiers`` (or queue, sessions, dashboard; repeatable) times only those;
``--no-full-aggregate`` skips the dossier report computed from the dossiers' own tables
(``Source.FULL``, the figures before the per-dossier summary: 4–28 s for a year);
``--stale-every N`` also times the dossier report once just after every N-th dossier id of
the period was written (its summary row made stale), and once more after it.
Medians of ``--runs``; the machine is shared, so the figures are measured under load.
``--clock cpu`` (SQLite: the engine runs in this process) times the process's CPU instead
of the wall clock, which a loaded machine stretches several-fold.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


#: time.perf_counter, or time.process_time with --clock cpu
CLOCK: Callable[[], float] = time.perf_counter


def _median_ms(fn: Callable[[], Any], runs: int) -> float:
    out = []
    for _ in range(runs):
        t = CLOCK()
        fn()
        out.append((CLOCK() - t) * 1000)
    return statistics.median(out)


def _raw(url: str) -> Any:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "postgresql":
        import psycopg

        return psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username, dbname=u.database)
    import sqlite3

    return sqlite3.connect(str(u.database))


def _bare(conn: Any, pg: bool, sql: str, params: dict[str, Any]) -> Callable[[], Any]:
    import re

    if pg:
        q = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)  # not the ::type casts

        def run_pg() -> Any:
            with conn.cursor() as cur:
                cur.execute(q, params)
                return cur.fetchall()

        return run_pg
    p = {k: (v.isoformat(" ") if isinstance(v, datetime) else v) for k, v in params.items()}

    def run_sqlite() -> Any:
        return conn.execute(sql, p).fetchall()

    return run_sqlite


PARTS = ("queue", "dossiers", "sessions", "dashboard")


def bench(url: str, runs: int, year: int, only: frozenset[str] = frozenset(PARTS),
          full_aggregate: bool = True, stale_every: int = 0) -> list[tuple[str, float, float, float | None]]:
    from desktop.auth import Actor
    from desktop.db import Database
    from desktop.db.models import Role
    from desktop.reports import dashboard as dash
    from desktop.reports.period import Period, month_period
    from desktop.reports.queue import _params as qparams
    from desktop.reports.queue import queue_report, queue_sql, session_report, sessions_sql
    from desktop.reports.scope import Scope
    from desktop.reports.sql import Dialect

    db = Database(url)
    d = Dialect(db.is_postgres)
    admin = Actor("bench", Role.ADMIN)
    conn = _raw(url)
    if "queue" in only:
        for table in ("report_visit", "report_visit_day", "report_state"):  # "first" builds the summary from scratch
            conn.execute(f"DELETE FROM {table}")
        conn.commit()
    if d.postgres:  # as the reports do (desktop.reports.sql.no_jit)
        conn.execute("SET jit = off")
    now = datetime(year + 1, 1, 5, 2, tzinfo=UTC)
    rows: list[tuple[str, float, float, float | None]] = []
    for label, period in (("month", month_period(year, 3)), ("year", Period(date(year, 1, 1), date(year, 12, 31)))):
        for by in ("service", "officer") if "queue" in only else ():
            t0 = CLOCK()
            report = queue_report(db, admin, period, by, now=now)  # builds the day summary once
            first = (CLOCK() - t0) * 1000
            from desktop.reports.queue import Sources

            src = Sources(summary=True, live_from=None)
            sql = queue_sql(d, Scope(), by, src, with_total=True)
            bare = _median_ms(_bare(conn, d.postgres, sql, qparams(period, src)), runs)
            ours = _median_ms(partial(queue_report, db, admin, period, by, now=now), runs)
            rows.append((f"queue {label} by {by} ({report.total.arrived:,} tickets)", bare, ours, first))
        if "dossiers" in only:
            rows.extend(_dossiers(db, conn, runs, label, period, now, full_aggregate, stale_every))
        if label == "month" and "sessions" in only:
            bare = _median_ms(_bare(conn, d.postgres, sessions_sql(d, Scope()),
                                    {**qparams(period), "now": period.hi.replace(tzinfo=None),
                                     "hi_ev": period.hi.replace(tzinfo=None)}), runs)
            ours = _median_ms(partial(session_report, db, admin, period, now=now), runs)
            rows.append(("counter sessions month (open/paused/busy/idle)", bare, ours, None))
    if "dashboard" in only:
        busy = datetime(year, 3, 3, 3, 0, tzinfo=UTC)  # a Monday, 10:00 in Vietnam
        statements = dash.statements(d, Scope(), busy)
        bare_dash = _median_ms(lambda: [_bare(conn, d.postgres, sql, p)() for sql, p in statements], runs * 4)
        ours_dash = _median_ms(lambda: dash.dashboard(db, admin, now=busy), runs * 4)
        rows.append(("dashboard refresh (busiest day)", bare_dash, ours_dash, None))
    conn.close()
    db.dispose()
    return rows


def _dossiers(db: Any, conn: Any, runs: int, label: str, period: Any, now: datetime,
              full_aggregate: bool, stale_every: int) -> list[tuple[str, float, float, float | None]]:
    """The dossier report by officer: first call, bare statement, motcua, and the full aggregate's."""
    from desktop.auth import Actor
    from desktop.db.models import Role
    from desktop.reports.dossiers import _params as dparams
    from desktop.reports.dossiers import dossier_report, dossier_sql
    from desktop.reports.scope import Scope
    from desktop.reports.sql import Dialect

    d = Dialect(db.is_postgres)
    admin = Actor("bench", Role.ADMIN)
    rows: list[tuple[str, float, float, float | None]] = []
    t0 = CLOCK()
    dossier_report(db, admin, period, "officer", as_of=now)  # summarizes the generated (stale) dossiers
    first = (CLOCK() - t0) * 1000
    if full_aggregate:
        # before issue 15's summary: the same report aggregating every component, file and fee of the period
        # (imported here: with --no-full-aggregate this bench also times trees older than Source)
        from desktop.reports.dossiers import Source

        old = dossier_sql(d, Scope(), "officer", with_total=True, source=Source.FULL)
        before = _median_ms(_bare(conn, d.postgres, old, dparams(period, now)), runs)
        rows.append((f"dossiers {label} by officer, before: full aggregate, bare", before, before, None))
    dsql = dossier_sql(d, Scope(), "officer", with_total=True)
    bare = _median_ms(_bare(conn, d.postgres, dsql, dparams(period, now)), runs)
    ours = _median_ms(partial(dossier_report, db, admin, period, "officer", as_of=now), runs)
    n = dossier_report(db, admin, period, "total", as_of=now).total.received
    rows.append((f"dossiers {label} by officer ({n:,} dossiers)", bare, ours, first))
    if stale_every:  # as if those dossiers had just been written: one report, then the next one
        span = [period.lo.replace(tzinfo=None), period.hi.replace(tzinfo=None)]
        p, mod = ("%s", "%%") if d.postgres else ("?", "%")
        cur = conn.execute(f"UPDATE report_dossier SET gen = gen + 1 WHERE dossier_id {mod} {int(stale_every)} = 0 "
                           f"AND dossier_id IN (SELECT id FROM dossier WHERE received_at >= {p} AND received_at < {p})",
                           span if d.postgres else [x.isoformat(" ") for x in span])
        stale = int(cur.rowcount)
        conn.commit()
        after = _median_ms(partial(dossier_report, db, admin, period, "officer", as_of=now), 1)
        fresh = _median_ms(partial(dossier_report, db, admin, period, "officer", as_of=now), 1)
        rows.append((f"dossiers {label}: {stale:,} stale, then fresh", after, fresh, None))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    ap.add_argument("--db-url", help="an already generated database (skips generation)")
    ap.add_argument("--scale", type=float, default=None, help="1.0 = 500,000 dossiers (default: 1.0 pg, 0.04 sqlite)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--only", action="append", choices=PARTS, help="time only these reports (repeatable)")
    ap.add_argument("--no-full-aggregate", action="store_true",
                    help="skip the dossier report from the dossiers' own tables (slow for a year)")
    ap.add_argument("--stale-every", type=int, default=0, metavar="N",
                    help="also time the dossier report after every N-th dossier of the period was written")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="cpu: this process's CPU time (meaningful for SQLite only)")
    args = ap.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    server = None
    url = args.db_url
    try:
        if url is None:
            from bench.analytics_gen import generate

            scale = args.scale if args.scale is not None else (1.0 if args.backend == "postgres" else 0.04)
            if args.backend == "postgres":
                from tests.pgserver import PostgresServer

                server = PostgresServer().start()
                url = server.create_database("bench")
            else:
                url = f"sqlite:///{tempfile.mkdtemp(prefix='motcua-bench-')}/bench.db"
            t = time.perf_counter()
            generate(url, scale=scale, year=args.year)
            print(f"generated (scale {scale}) in {time.perf_counter() - t:.0f} s")
        rows = bench(url, args.runs, args.year, frozenset(args.only or PARTS), not args.no_full_aggregate,
                     args.stale_every)
    finally:
        if server is not None:
            server.stop()
    print(f"{'report':<48}{'bare SQL':>10}{'motcua':>10}{'ratio':>7}{'first':>10}")
    for name, bare, ours, first in rows:
        print(f"{name:<48}{bare:>8.0f}ms{ours:>8.0f}ms{ours / bare:>7.2f}"
              f"{'' if first is None else f'{first:>8.0f}ms'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
