"""The queue report's statistics against a straightforward computation on varied visits, both engines.

SQLite computes the percentiles in two ways (histograms for a few groups, per-group
ranks for many: :data:`desktop.reports.queue.RANKED_GROUPINGS`), PostgreSQL with
``percentile_cont``; all must give what numpy gives over the same visits, group by group
and for the total. The visits are written into the day summary (``report_visit``) directly:
ties, single visits, groups with nothing served, out-of-order visits, an empty period.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from desktop.reports.period import Period
from desktop.reports.queue import BUCKET_S, BUCKETS, GROUPINGS, SERVICE_TARGET_S, WAIT_TARGET_S, queue_report
from desktop.reports.sql import Dialect, seconds_int, share
from tests.reports.conftest import ADMIN, World

NOW = datetime(2026, 3, 1, 3, tzinfo=UTC)
PERIODS = {"all": Period(date(2026, 1, 1), date(2026, 1, 31)), "one day": Period(date(2026, 1, 14), date(2026, 1, 14)),
           "a week": Period(date(2026, 1, 5), date(2026, 1, 11)), "empty": Period(date(2025, 6, 1), date(2025, 6, 30))}


def _write_visits(w: World, n: int, seed: int) -> None:
    rng = random.Random(seed)
    with w.db.session() as s:
        officers = [i for (i,) in s.execute(text("SELECT id FROM officer"))] + [None, 9999]  # 9999: no such officer
        counters = [i for (i,) in s.execute(text("SELECT id FROM queue_counter"))] + [None]
        services = [i for (i,) in s.execute(text("SELECT id FROM queue_service"))]
        rows = []
        for i in range(n):
            at = datetime(2026, 1, 1, 0, 30) + timedelta(days=rng.randrange(31), minutes=rng.randrange(600))
            served = rng.random() < 0.8
            excluded = served and rng.random() < 0.05
            timed = served and not excluded
            wait = float(rng.choice([rng.randrange(0, 40), rng.randrange(0, 4000), 180, 900, 1080]))  # ties, edges
            service = float(rng.choice([rng.randrange(0, 3000), 120, 1800]))
            rows.append({"id": i + 1, "day": (at + timedelta(hours=7)).strftime("%Y%m%d"), "svc": rng.choice(services),
                         "at": at, "counter": rng.choice(counters), "officer": rng.choice(officers),
                         "served": int(served), "no_show": int(not served and rng.random() < 0.5),
                         "tr": int(rng.random() < 0.1), "ex": int(excluded),
                         "wait": wait if timed else None, "service": service if timed else None})
        s.execute(text("INSERT INTO report_visit (ticket_id, day, service_id, issued_at, counter_id, officer_id, "
                       "served, no_show, transferred, excluded, wait_s, service_s) VALUES (:id, :day, :svc, :at, "
                       ":counter, :officer, :served, :no_show, :tr, :ex, :wait, :service)"), rows)
        s.execute(text("INSERT INTO report_visit_day (day) VALUES (:d)"),
                  [{"d": (date(2026, 1, 1) + timedelta(days=i)).strftime("%Y%m%d")} for i in range(31)])


def _expected(w: World, period: Period, by: str) -> dict[str | None, dict[str, Any]]:
    """Each group's figures (and the total's, key None) from its visits, computed here with numpy."""
    from desktop.reports.queue import _key_sql

    d = Dialect(w.db.is_postgres)
    key, joins = _key_sql(d, by)
    sql = (f"SELECT {key} AS k, v.served, v.no_show, v.transferred, v.excluded, v.wait_s, v.service_s "
           f"FROM report_visit v {joins} WHERE v.issued_at >= :lo AND v.issued_at < :hi")
    with w.db.session() as s:
        visits = list(s.execute(text(sql), {"lo": period.lo.replace(tzinfo=None), "hi": period.hi.replace(tzinfo=None)}))
    groups: dict[str | None, list[Any]] = {}
    for v in visits:
        groups.setdefault(str(v.k), []).append(v)
    if by != "total":
        groups[None] = visits
    out = {}
    for k, vs in groups.items():
        waits = [float(v.wait_s) for v in vs if v.wait_s is not None]
        services = [float(v.service_s) for v in vs if v.service_s is not None]

        def pct(xs: list[float], q: int) -> int | None:
            return seconds_int(float(np.percentile(xs, q))) if xs else None

        buckets = [sum(1 for x in waits if x >= i * BUCKET_S and (i == BUCKETS - 1 or x < (i + 1) * BUCKET_S))
                   for i in range(BUCKETS)]
        out[k] = {
            "arrived": len(vs), "served": sum(v.served for v in vs), "no_show": sum(v.no_show for v in vs),
            "transferred": sum(v.transferred for v in vs), "excluded": sum(v.excluded for v in vs),
            "wait_avg_s": seconds_int(sum(waits) / len(waits)) if waits else None,
            "wait_p50_s": pct(waits, 50), "wait_p90_s": pct(waits, 90), "wait_max_s": seconds_int(max(waits, default=None)),
            "wait_over_15min_share": share(sum(1 for x in waits if x > WAIT_TARGET_S), len(waits)),
            "service_avg_s": seconds_int(sum(services) / len(services)) if services else None,
            "service_p50_s": pct(services, 50), "service_p90_s": pct(services, 90),
            "service_max_s": seconds_int(max(services, default=None)),
            "service_over_30min_share": share(sum(1 for x in services if x > SERVICE_TARGET_S), len(waits)),
            "wait_buckets": buckets}
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_every_grouping_and_period_matches_numpy(world: World, seed: int) -> None:
    _write_visits(world, 1500, seed)
    for name, period in PERIODS.items():
        for by in GROUPINGS:
            want = _expected(world, period, by)
            r = queue_report(world.db, ADMIN, period, by, now=NOW)
            got = {x.key: x.to_dict() for x in r.rows}
            if by != "total":
                got[None] = r.total.to_dict()  # type: ignore[index]
            for row in got.values():
                row.pop("key"), row.pop("open_s"), row.pop("served_per_open_hour")
            if name == "empty":
                assert r.rows == [] and r.total.arrived == 0 and r.total.wait_p50_s is None, by
                continue
            assert got == want, f"{name}, by {by}"
    assert len({x.key for x in queue_report(world.db, ADMIN, PERIODS["all"], "day", now=NOW).rows}) == 31
