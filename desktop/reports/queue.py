"""Queue figures per service, counter, officer, hour or period, computed in one SQL statement.

Definitions (docs/INDICATORS.md): a visit is a ticket issued in the period. Its wait is
the last call − the issue time; its service time is end − start, or end − that call when
the officer never pressed start (a start before the last call belonged to an earlier
visit at another counter and does not count). Served = has an end event; no-show = was
skipped and never served; transferred = has a transfer event. A ticket is grouped by its
service after any transfer, and by the counter and officer of its last call.

Wait and service statistics are over served visits. A visit whose events are out of
order (the wait or the service would be negative, as after a clock change) is left out
of the time figures and counted in ``excluded``; it still counts as arrived and served.

Nothing is loaded row by row: the database aggregates, PostgreSQL with
``percentile_cont``, SQLite with the window formulation of :mod:`desktop.reports.sql`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.auth import Actor
from desktop.db import Database
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.reports.period import Period
from desktop.reports.scope import Scope, scope_for
from desktop.reports.sql import Dialect, no_jit, seconds_int, share

WAIT_TARGET_S = 15 * 60
SERVICE_TARGET_S = 30 * 60
BUCKET_S = 180
#: 0–3, 3–6, …, 15–18 minutes, then 18+ (half-open: a wait of exactly 3:00 is in 3–6)
BUCKETS = 7
BUCKET_LABELS = tuple(f"{i * 3}-{i * 3 + 3}" for i in range(BUCKETS - 1)) + (f"{(BUCKETS - 1) * 3}+",)
GROUPINGS = ("service", "counter", "officer", "hour", "day", "week", "month", "total")
#: what a drill-down can ask for
FIGURES = ("arrived", "served", "no_show", "transferred", "excluded", "wait_over_15min", "service_over_30min",
           *(f"bucket_{i}" for i in range(BUCKETS)))
DRILL_LIMIT = 2000


VISIT_COLUMNS = ("ticket_id", "day", "service_id", "issued_at", "counter_id", "officer_id", "served", "no_show",
                 "transferred", "excluded", "wait_s", "service_s")


def _live_sql(d: Dialect, where: str) -> str:
    """CTEs ``agg`` and ``lv``: one row per ticket matching ``where`` (on ``t``), replayed from its events."""
    call_at = "c.at"
    begin = "COALESCE(st.at, c.at)"
    wait = d.seconds(call_at, "a.issued_at")
    service = d.seconds("en.at", begin)
    bad = (f"(a.end_id IS NOT NULL AND (c.id IS NULL OR {wait} < 0 OR {service} < 0"
           f" OR {d.seconds(begin, call_at)} < 0))")
    return f"""
agg AS (
  SELECT t.id AS ticket_id, t.day, t.service_id, t.issued_at,
         MAX(CASE WHEN e.kind = 'call' THEN e.id END) AS call_id,
         MAX(CASE WHEN e.kind = 'start' THEN e.id END) AS start_id,
         MAX(CASE WHEN e.kind = 'end' THEN e.id END) AS end_id,
         SUM(CASE WHEN e.kind = 'skip' THEN 1 ELSE 0 END) AS skips,
         SUM(CASE WHEN e.kind = 'transfer' THEN 1 ELSE 0 END) AS transfers
  FROM queue_ticket t LEFT JOIN queue_ticket_event e ON e.ticket_id = t.id
  WHERE {where}
  GROUP BY t.id, t.day, t.service_id, t.issued_at
),
lv AS (
  SELECT a.ticket_id, a.day, a.service_id, a.issued_at, c.counter_id, c.officer_id,
         CASE WHEN a.end_id IS NOT NULL THEN 1 ELSE 0 END AS served,
         CASE WHEN a.end_id IS NULL AND a.skips > 0 THEN 1 ELSE 0 END AS no_show,
         CASE WHEN a.transfers > 0 THEN 1 ELSE 0 END AS transferred,
         CASE WHEN {bad} THEN 1 ELSE 0 END AS excluded,
         CASE WHEN a.end_id IS NOT NULL AND NOT {bad} THEN {wait} END AS wait_s,
         CASE WHEN a.end_id IS NOT NULL AND NOT {bad} THEN {service} END AS service_s
  FROM agg a
  LEFT JOIN queue_ticket_event c ON c.id = a.call_id
  LEFT JOIN queue_ticket_event st ON st.id = a.start_id AND a.start_id > a.call_id AND a.start_id < a.end_id
  LEFT JOIN queue_ticket_event en ON en.id = a.end_id
)"""


@dataclass(frozen=True)
class Sources:
    """Where a period's visits come from: the day summary (past days) and/or the live replay."""

    summary: bool = True
    #: UTC start of the part replayed live (today); None: nothing live
    live_from: datetime | None = None


LIVE_ONLY = Sources(summary=False, live_from=datetime(1970, 1, 1))


def _visits_sql(d: Dialect, scope: Scope, src: Sources = LIVE_ONLY) -> str:
    """CTE ``v``: one row per ticket issued in [:lo, :hi) in scope, with its figures.

    Past days are read from ``report_visit`` (see :func:`prepare`); today is replayed
    from the events, with the same definitions (:func:`_live_sql`).
    """
    cols = ", ".join(VISIT_COLUMNS)
    parts = []
    ctes = ""
    if src.summary:
        parts.append(f"SELECT {cols} FROM report_visit rv WHERE rv.issued_at >= :lo AND rv.issued_at < :hi")
    if src.live_from is not None:
        ctes = _live_sql(d, "t.issued_at >= :live_lo AND t.issued_at < :hi") + ","
        parts.append(f"SELECT {cols} FROM lv")
    if not parts:
        parts.append(f"SELECT {cols} FROM report_visit WHERE 1 = 0")
    union = " UNION ALL ".join(parts)
    return f"{ctes}\nv AS (SELECT * FROM ({union}) AS u WHERE {scope.officer_filter('u.officer_id')})"


def _day_keys(period: Period) -> list[str]:
    from datetime import timedelta

    return [(period.first + timedelta(days=i)).strftime("%Y%m%d") for i in range(period.days)]


def prepare(s: Session, d: Dialect, period: Period, now: datetime) -> Sources:
    """Bring the day summary up to date for ``period`` and say where its visits come from.

    A day before today (Vietnam) is summarized once into ``report_visit`` (one INSERT …
    SELECT over that day's tickets and events). A summary is only as good as the events
    it saw: every call records the highest event id checked so far, and any newer event
    of a ticket of a summarized day (a ticket left waiting yesterday and called today, a
    correction) drops that day's summary so it is computed again. Today is always live.
    """
    today = to_vn(now).strftime("%Y%m%d")
    top = int(s.execute(text("SELECT COALESCE(MAX(id), 0) FROM queue_ticket_event")).scalar() or 0)
    seen = s.execute(text("SELECT checked_event_id FROM report_state WHERE id = 1")).scalar()
    if seen is None:
        s.execute(text("INSERT INTO report_state (id, checked_event_id) VALUES (1, :top)"), {"top": top})
    elif top > int(seen):
        stale = [r[0] for r in s.execute(text(
            "SELECT DISTINCT t.day FROM queue_ticket_event e JOIN queue_ticket t ON t.id = e.ticket_id "
            "WHERE e.id > :seen AND e.id <= :top AND t.day IN (SELECT day FROM report_visit_day)"),
            {"seen": int(seen), "top": top})]
        for day in stale:
            s.execute(text("DELETE FROM report_visit WHERE day = :day"), {"day": day})
            s.execute(text("DELETE FROM report_visit_day WHERE day = :day"), {"day": day})
        s.execute(text("UPDATE report_state SET checked_event_id = :top WHERE id = 1 AND checked_event_id < :top"),
                  {"top": top})
    past = [k for k in _day_keys(period) if k < today]
    if past:
        done = {r[0] for r in s.execute(text(
            "SELECT day FROM report_visit_day WHERE day >= :a AND day <= :b"), {"a": past[0], "b": past[-1]})}
        todo = [k for k in past if k not in done]
        if todo:
            _summarize(s, d, period, todo)
    live = None
    if period.hi > now or today <= period.last.strftime("%Y%m%d"):
        from datetime import UTC
        from datetime import time as dtime

        from desktop.kernel.timeutil import VN_TZ

        start_today = datetime.combine(to_vn(now).date(), dtime(0), VN_TZ).astimezone(UTC)
        live = max(start_today, period.lo)
    return Sources(summary=bool(past), live_from=live)


def _summarize(s: Session, d: Dialect, period: Period, days: list[str]) -> None:
    from datetime import timedelta

    cols = ", ".join(VISIT_COLUMNS)
    first = datetime.strptime(days[0], "%Y%m%d").date()
    last = datetime.strptime(days[-1], "%Y%m%d").date()
    bounds = Period(first, last) if (last - first).days < 732 else period
    keys = ",".join(f"'{k}'" for k in days if k.isdigit())  # keys are made here, digits only
    where = f"t.issued_at >= :s_lo AND t.issued_at < :s_hi AND t.day IN ({keys})"
    s.execute(text(f"WITH {_live_sql(d, where)} INSERT INTO report_visit ({cols}) SELECT {cols} FROM lv WHERE 1 = 1 "
                   "ON CONFLICT (ticket_id) DO NOTHING"),
              {"s_lo": (bounds.lo - timedelta(hours=1)).replace(tzinfo=None),
               "s_hi": (bounds.hi + timedelta(hours=1)).replace(tzinfo=None)})
    s.execute(text("INSERT INTO report_visit_day (day) VALUES (:day) ON CONFLICT (day) DO NOTHING"),
              [{"day": k} for k in days])


def _key_sql(d: Dialect, by: str) -> tuple[str, str]:
    """(key expression over ``v`` and its joins, extra joins)."""
    joins = ""
    if by == "service":
        key, joins = "s.code", "LEFT JOIN queue_service s ON s.id = v.service_id"
    elif by == "counter":
        key, joins = d.text("qc.number"), "LEFT JOIN queue_counter qc ON qc.id = v.counter_id"
    elif by == "officer":
        key, joins = "o.username", "LEFT JOIN officer o ON o.id = v.officer_id"
    elif by == "hour":
        key = d.local_hour("v.issued_at")
    elif by == "day":
        key = d.local_date("v.issued_at")
    elif by == "week":
        key = d.local_week("v.issued_at")
    elif by == "month":
        key = d.local_month("v.issued_at")
    elif by == "total":
        key = "'*'"
    else:
        raise InvalidInput(msg("Không nhóm được theo “{b}” (chọn một trong: {all}).",
                               "Cannot group by “{b}” (choose one of: {all}).", b=by, all=", ".join(GROUPINGS)))
    return f"COALESCE({key}, '-')", joins


def queue_sql(d: Dialect, scope: Scope, by: str, src: Sources = LIVE_ONLY, *, with_total: bool = False,
              ranked: bool | None = None) -> str:
    """The whole report as one statement (parameters ``lo``, ``hi``, ``live_lo``); bench/ runs it bare too.

    ``with_total``: the total as one more row with key NULL, so the period is read once
    (GROUPING SETS on PostgreSQL; on SQLite the total's histograms are summed from the
    groups', :func:`_sqlite_stats_sql`). ``ranked`` (SQLite): the per-group ranks of
    :func:`_sqlite_ranked_sql` instead of the histograms; None: by the grouping
    (:data:`RANKED_GROUPINGS`); bench/ times both.
    """
    key, joins = _key_sql(d, by)
    buckets = ", ".join(
        f"SUM(CASE WHEN wait_s >= {i * BUCKET_S}{f' AND wait_s < {(i + 1) * BUCKET_S}' if i < BUCKETS - 1 else ''}"
        f" THEN 1 ELSE 0 END) AS b{i}" for i in range(BUCKETS))
    common = f"""k, COUNT(*) AS arrived, SUM(served) AS served, SUM(no_show) AS no_show,
  SUM(transferred) AS transferred, SUM(excluded) AS excluded,
  COUNT(wait_s) AS n_wait, AVG(wait_s) AS wait_avg, MAX(wait_s) AS wait_max,
  SUM(CASE WHEN wait_s > {WAIT_TARGET_S} THEN 1 ELSE 0 END) AS wait_over,
  AVG(service_s) AS service_avg, MAX(service_s) AS service_max,
  SUM(CASE WHEN service_s > {SERVICE_TARGET_S} THEN 1 ELSE 0 END) AS service_over, {buckets}"""
    head = f"WITH {_visits_sql(d, scope, src)},\ng AS (SELECT {key} AS k, v.* FROM v {joins})\n"
    if d.postgres:
        return (head + f"SELECT {common}, {d.percentile(0.5, 'wait_s')} AS wait_p50, "
                f"{d.percentile(0.9, 'wait_s')} AS wait_p90, {d.percentile(0.5, 'service_s')} AS service_p50, "
                f"{d.percentile(0.9, 'service_s')} AS service_p90 FROM g "
                + ("GROUP BY GROUPING SETS ((k), ())" if with_total else "GROUP BY k"))
    rank = by in RANKED_GROUPINGS if ranked is None else ranked
    stats = _sqlite_ranked_sql(with_total) if rank else _sqlite_stats_sql(with_total)
    return head.replace("\ng AS (", "\ng AS MATERIALIZED (") + stats


def _sqlite_stats_sql(with_total: bool) -> str:
    """SQLite's rest of :func:`queue_sql` after ``g``: groups (and the total) from histograms.

    Waits and service times are whole seconds, so each is first counted per (group,
    value); the figures over the values — count, average (sum of value × count / count,
    exact: whole numbers), maximum, shares, buckets, and the percentiles at their ranks
    through a running count — come from these histograms, which are much smaller than
    the visits. The total's histogram is the sum of the groups' (exact, percentiles
    included), so the period is sorted once per measure, as GROUPING SETS does on
    PostgreSQL. Groups carry ``t`` = 0, the total ``t`` = 1; the total comes out with key NULL.
    """
    def hist(name: str, col: str) -> str:
        h = (f"{name}0 AS (SELECT k, {col} AS v, COUNT(*) AS c FROM g WHERE {col} IS NOT NULL GROUP BY k, {col}),\n"
             f"{name} AS (SELECT 0 AS t, k, v, c FROM {name}0")
        return h + (f" UNION ALL SELECT 1, '*', v, SUM(c) FROM {name}0 GROUP BY v)" if with_total else ")")

    def stats(name: str, target_s: int, buckets: bool) -> str:
        """One row per (t, k): the figures of the measure, read off its histogram in one pass.

        The value at 1-based rank r is the one whose running count reaches r (cum − c < r ≤ cum).
        """
        ranks = ", ".join(f"((n - 1) * {p!r}) - CAST(((n - 1) * {p!r}) AS INTEGER) AS f{q}, "
                          f"1 + CAST(((n - 1) * {p!r}) AS INTEGER) AS r{q}, "
                          f"MIN(n, 2 + CAST(((n - 1) * {p!r}) AS INTEGER)) AS u{q}" for p, q in ((0.5, 50), (0.9, 90)))
        cols = ["MAX(n) AS n", "SUM(v * c) * 1.0 / MAX(n) AS avg", "MAX(v) AS mx",
                f"SUM(CASE WHEN v > {target_s} THEN c ELSE 0 END) AS over"]
        if buckets:
            cols += [f"SUM(CASE WHEN v >= {i * BUCKET_S}"
                     f"{f' AND v < {(i + 1) * BUCKET_S}' if i < BUCKETS - 1 else ''} THEN c ELSE 0 END) AS b{i}"
                     for i in range(BUCKETS)]

        def at(r: str) -> str:
            return f"MAX(CASE WHEN cum - c < {r} AND {r} <= cum THEN v END)"

        cols += [f"{at(f'r{q}')} + MAX(f{q}) * ({at(f'u{q}')} - {at(f'r{q}')}) AS p{q}" for q in (50, 90)]
        return (f"{name}_n AS (SELECT t, k, {', '.join(cols)} FROM (SELECT *, {ranks} FROM ("
                f"SELECT t, k, v, c, SUM(c) OVER (w ROWS UNBOUNDED PRECEDING) AS cum, "
                f"SUM(c) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n "
                f"FROM {name} WINDOW w AS (PARTITION BY t, k ORDER BY v)) AS x) AS y GROUP BY t, k)")

    counts = ("COUNT(*) AS arrived, SUM(served) AS served, SUM(no_show) AS no_show, "
              "SUM(transferred) AS transferred, SUM(excluded) AS excluded")
    a = f"a0 AS (SELECT 0 AS t, k, {counts} FROM g GROUP BY k),\n"
    a += ("a AS (SELECT * FROM a0 UNION ALL SELECT 1, '*', SUM(arrived), SUM(served), SUM(no_show), "
          "SUM(transferred), SUM(excluded) FROM a0)" if with_total else "a AS (SELECT * FROM a0)")
    on = "{x}.t = a.t AND {x}.k = a.k"
    return (f", {a},\n{hist('hw', 'wait_s')},\n{hist('hs', 'service_s')},\n{stats('hw', WAIT_TARGET_S, True)},\n"
            f"{stats('hs', SERVICE_TARGET_S, False)}\n"
            "SELECT CASE WHEN a.t = 1 THEN NULL ELSE a.k END AS k, a.arrived, a.served, a.no_show, a.transferred, "
            "a.excluded, hw_n.n AS n_wait, hw_n.avg AS wait_avg, hw_n.mx AS wait_max, hw_n.over AS wait_over, "
            "hs_n.avg AS service_avg, hs_n.mx AS service_max, hs_n.over AS service_over, "
            + ", ".join(f"hw_n.b{i}" for i in range(BUCKETS))
            + ", hw_n.p50 AS wait_p50, hw_n.p90 AS wait_p90, hs_n.p50 AS service_p50, hs_n.p90 AS service_p90 "
            f"FROM a LEFT JOIN hw_n ON {on.format(x='hw_n')} LEFT JOIN hs_n ON {on.format(x='hs_n')}")


#: SQLite: groupings with many groups, whose per-(group, second) histogram is nearly as
#: long as the visits (60 officers: 43,475 pairs for 57,005 served visits in a year), so
#: ranking the visits once per group beats counting them first (:func:`_sqlite_ranked_sql`);
#: with a few groups (services, hours, months) the histograms are far shorter and cheaper
RANKED_GROUPINGS = ("counter", "officer", "day", "week")


def _pct_ranks() -> str:
    """Columns f50/r50/u50, f90/r90/u90 from ``n``: numpy's linear interpolation, 1-based ranks.

    h = (n − 1)·p; the value is v[r] + f·(v[u] − v[r]) with r = 1 + ⌊h⌋, u = min(n, r + 1), f = h − ⌊h⌋.
    """
    return ", ".join(f"((n - 1) * {p!r}) - CAST(((n - 1) * {p!r}) AS INTEGER) AS f{q}, "
                     f"1 + CAST(((n - 1) * {p!r}) AS INTEGER) AS r{q}, "
                     f"MIN(n, 2 + CAST(((n - 1) * {p!r}) AS INTEGER)) AS u{q}" for p, q in ((0.5, 50), (0.9, 90)))


def _sqlite_ranked_sql(with_total: bool) -> str:
    """SQLite's rest of :func:`queue_sql` for many groups: ranks per group, a histogram for the total.

    The same figures as :func:`_sqlite_stats_sql`, to the bit: the counts, sums (whole
    seconds: exact), maxima, shares and buckets of each group in one GROUP BY over ``g``, the
    total's summed from the groups'; each group's p50/p90 from one ``row_number()`` window over
    its visits (the rows at the four ranks kept, ties give the same value whichever row gets the
    rank); the total's from the histogram of the values (a few thousand seconds) and a running count.
    """
    buckets = ", ".join(
        f"SUM(CASE WHEN wait_s >= {i * BUCKET_S}{f' AND wait_s < {(i + 1) * BUCKET_S}' if i < BUCKETS - 1 else ''}"
        f" THEN 1 ELSE 0 END) AS b{i}" for i in range(BUCKETS))
    a0 = ("a0 AS (SELECT 0 AS t, k, COUNT(*) AS arrived, SUM(served) AS served, SUM(no_show) AS no_show, "
          "SUM(transferred) AS transferred, SUM(excluded) AS excluded, COUNT(wait_s) AS n_wait, "
          "SUM(wait_s) AS wait_sum, MAX(wait_s) AS wait_max, "
          f"SUM(CASE WHEN wait_s > {WAIT_TARGET_S} THEN 1 ELSE 0 END) AS wait_over, "
          "COUNT(service_s) AS n_service, SUM(service_s) AS service_sum, MAX(service_s) AS service_max, "
          f"SUM(CASE WHEN service_s > {SERVICE_TARGET_S} THEN 1 ELSE 0 END) AS service_over, {buckets} "
          "FROM g GROUP BY k)")
    cols = ("arrived", "served", "no_show", "transferred", "excluded", "n_wait", "wait_sum", "wait_max", "wait_over",
            "n_service", "service_sum", "service_max", "service_over", *(f"b{i}" for i in range(BUCKETS)))
    total = ", ".join(f"MAX({c})" if c.endswith("_max") else f"SUM({c})" for c in cols)
    a = "a AS (SELECT * FROM a0" + (f" UNION ALL SELECT 1, '*', {total} FROM a0)" if with_total else ")")

    def interpolate(at: Any) -> str:
        return ", ".join(f"{at(f'r{q}')} + MAX(f{q}) * ({at(f'u{q}')} - {at(f'r{q}')}) AS p{q}" for q in (50, 90))

    def per_group(name: str, col: str, n: str) -> str:
        # n from a0's counts, not a COUNT(*) window (that doubled the ranking's cost); the
        # ranks per group in a table of their own (one row per group), met by the ranked
        # visits after the window: joined before it, their six columns were computed for
        # every visit and carried through the sort (3× the window's own time for a year)
        q = (f"{name}q AS MATERIALIZED (SELECT k, {_pct_ranks()} FROM (SELECT k, {n} AS n FROM a0 "
             f"WHERE {n} > 0) AS c)")
        ranked = (f"SELECT g.k, g.{col} AS v, row_number() OVER (PARTITION BY g.k ORDER BY g.{col}) AS rn "
                  f"FROM g WHERE g.{col} IS NOT NULL")
        at = "MAX(CASE WHEN x.rn = q.{} THEN x.v END)".format
        return (f"{q},\n{name}0 AS (SELECT 0 AS t, x.k, "
                + interpolate(at).replace("MAX(f", "MAX(q.f")
                + f" FROM ({ranked}) AS x JOIN {name}q AS q ON q.k = x.k "
                "WHERE x.rn IN (q.r50, q.u50, q.r90, q.u90) GROUP BY x.k)")

    def whole(name: str, col: str) -> str:
        at = "MAX(CASE WHEN cum - c < {0} AND {0} <= cum THEN v END)".format
        return (f"{name}1 AS (SELECT 1 AS t, '*' AS k, {interpolate(at)} FROM (SELECT *, {_pct_ranks()} FROM ("
                "SELECT v, c, SUM(c) OVER (w ROWS UNBOUNDED PRECEDING) AS cum, "
                "SUM(c) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n "
                f"FROM (SELECT {col} AS v, COUNT(*) AS c FROM g WHERE {col} IS NOT NULL GROUP BY {col}) AS h "
                "WINDOW w AS (ORDER BY v)) AS x) AS y)")

    parts = [a0, a, per_group("pw", "wait_s", "n_wait"), per_group("ps", "service_s", "n_service")]
    if with_total:
        parts += [whole("pw", "wait_s"), whole("ps", "service_s"),
                  "pw AS (SELECT * FROM pw0 UNION ALL SELECT * FROM pw1)",
                  "ps AS (SELECT * FROM ps0 UNION ALL SELECT * FROM ps1)"]
    else:
        parts += ["pw AS (SELECT * FROM pw0)", "ps AS (SELECT * FROM ps0)"]
    on = "{x}.t = a.t AND {x}.k = a.k"
    return (", " + ",\n".join(parts) + "\n"
            "SELECT CASE WHEN a.t = 1 THEN NULL ELSE a.k END AS k, a.arrived, a.served, a.no_show, a.transferred, "
            "a.excluded, a.n_wait, a.wait_sum * 1.0 / a.n_wait AS wait_avg, a.wait_max, a.wait_over, "
            "a.service_sum * 1.0 / a.n_service AS service_avg, a.service_max, a.service_over, "
            + ", ".join(f"a.b{i}" for i in range(BUCKETS))
            + ", pw.p50 AS wait_p50, pw.p90 AS wait_p90, ps.p50 AS service_p50, ps.p90 AS service_p90 "
            f"FROM a LEFT JOIN pw ON {on.format(x='pw')} LEFT JOIN ps ON {on.format(x='ps')}")


@dataclass
class QueueRow:
    key: str
    arrived: int
    served: int
    no_show: int
    transferred: int
    #: served visits left out of the time figures: their events are out of order
    excluded: int
    wait_avg_s: int | None
    wait_p50_s: int | None
    wait_p90_s: int | None
    wait_max_s: int | None
    wait_over_15min_share: float | None
    service_avg_s: int | None
    service_p50_s: int | None
    service_p90_s: int | None
    service_max_s: int | None
    service_over_30min_share: float | None
    wait_buckets: list[int] = field(default_factory=lambda: [0] * BUCKETS)
    #: counter and officer groupings: time in counter sessions and served per open hour
    open_s: int | None = None
    served_per_open_hour: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class QueueReport:
    period: Period
    by: str
    rows: list[QueueRow]
    total: QueueRow

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period.to_dict(), "by": self.by, "bucket_labels_min": list(BUCKET_LABELS),
                "targets": {"wait_avg_s": WAIT_TARGET_S, "service_avg_s": SERVICE_TARGET_S},
                "rows": [r.to_dict() for r in self.rows], "total": self.total.to_dict()}


def _row(r: Any) -> QueueRow:
    m = r._mapping
    n_wait = int(m["n_wait"] or 0)
    return QueueRow(
        key=str(m["k"]), arrived=int(m["arrived"] or 0), served=int(m["served"] or 0),
        no_show=int(m["no_show"] or 0), transferred=int(m["transferred"] or 0), excluded=int(m["excluded"] or 0),
        wait_avg_s=seconds_int(m["wait_avg"]), wait_p50_s=seconds_int(m["wait_p50"]),
        wait_p90_s=seconds_int(m["wait_p90"]), wait_max_s=seconds_int(m["wait_max"]),
        wait_over_15min_share=share(m["wait_over"], n_wait),
        service_avg_s=seconds_int(m["service_avg"]), service_p50_s=seconds_int(m["service_p50"]),
        service_p90_s=seconds_int(m["service_p90"]), service_max_s=seconds_int(m["service_max"]),
        service_over_30min_share=share(m["service_over"], n_wait),
        wait_buckets=[int(m[f"b{i}"] or 0) for i in range(BUCKETS)])


def _empty(key: str) -> QueueRow:
    return QueueRow(key, 0, 0, 0, 0, 0, None, None, None, None, None, None, None, None, None, None)


def _sort_key(key: str) -> tuple[int, int, str]:
    return (key == "-", int(key) if key.isdigit() else 0, key)


def _params(period: Period, src: Sources | None = None) -> dict[str, Any]:
    # naive UTC, as the columns store it (raw SQL skips the UTCDateTime type)
    live = src.live_from if src is not None and src.live_from is not None else period.lo
    return {"lo": period.lo.replace(tzinfo=None), "hi": period.hi.replace(tzinfo=None),
            "live_lo": max(live, period.lo).replace(tzinfo=None)}


def queue_report(db: Database, actor: Actor, period: Period, by: str = "service",
                 now: datetime | None = None) -> QueueReport:
    d = Dialect(db.is_postgres)
    now = now or utcnow()
    with db.session() as s:
        scope = scope_for(s, actor)
        no_jit(s)
        src = prepare(s, d, period, now)
        if by != "total":
            both = list(s.execute(text(queue_sql(d, scope, by, src, with_total=True)), _params(period, src)))
            rows = [_row(r) for r in both if r.k is not None]
            tot = [r for r in both if r.k is None]
        else:  # the total is the one row
            tot = list(s.execute(text(queue_sql(d, scope, "total", src)), _params(period, src)))
            rows = [_row(r) for r in tot]
        total = _row(tot[0]) if tot else _empty("*")
        if tot:
            total.key = "*"
        if by in ("counter", "officer"):
            _add_open_time(s, d, scope, period, by, rows, now)
    rows.sort(key=lambda r: _sort_key(r.key))
    return QueueReport(period, by, rows, total)


# --- counter sessions ----------------------------------------------------------------

def sessions_sql(d: Dialect, scope: Scope) -> str:
    """Per counter session started in the period: open, paused, busy, idle seconds and served.

    open = close (or now) − open; paused = each pause to the next session event (or now);
    busy = each call at the session's counter during the session to the ticket's next
    call, end, skip or transfer (or now) — events meet their session by a hash join on
    (counter, Vietnam day), then the time range (a session is attributed to the day it
    opened; one left open past midnight keeps only that day's calls); idle = open − paused − busy (pausing is refused
    while a ticket is at the counter, so the three do not overlap).
    """
    ended = "COALESCE(cs.ended_at, :now)"
    return f"""
WITH cs AS (
  SELECT cs.id, cs.counter_id, cs.officer_id, cs.started_at, {ended} AS ended,
         {d.local_date('cs.started_at')} AS day_key
  FROM queue_counter_session cs
  WHERE cs.started_at >= :lo AND cs.started_at < :hi AND {scope.officer_filter('cs.officer_id')}
),
pe AS (
  SELECT se.session_id, se.kind, se.at,
         LEAD(se.at) OVER (PARTITION BY se.session_id ORDER BY se.id) AS nxt
  FROM queue_counter_session_event se WHERE se.session_id IN (SELECT id FROM cs)
),
paused AS (
  SELECT session_id, SUM({d.seconds('COALESCE(nxt, :now)', 'at')}) AS paused_s FROM pe
  WHERE kind = 'pause' GROUP BY session_id
),
te AS (
  SELECT e.ticket_id, e.kind, e.at, e.counter_id, {d.local_date('e.at')} AS day_key,
         LEAD(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.id) AS nxt
  FROM queue_ticket_event e
  WHERE e.at >= :lo AND e.at <= :hi_ev AND e.kind IN ('call', 'end', 'skip', 'transfer')
),
busy AS (
  SELECT cs.id AS session_id,
         SUM(CASE WHEN te.kind = 'call' THEN {d.seconds('COALESCE(te.nxt, :now)', 'te.at')} ELSE 0 END) AS busy_s,
         SUM(CASE WHEN te.kind = 'end' THEN 1 ELSE 0 END) AS served
  FROM te JOIN cs ON cs.counter_id = te.counter_id AND cs.day_key = te.day_key
   AND te.at >= cs.started_at AND te.at <= cs.ended
  WHERE te.kind IN ('call', 'end')
  GROUP BY cs.id
)
SELECT cs.id, qc.number AS counter, o.username AS officer, cs.started_at, cs.ended,
       {d.seconds('cs.ended', 'cs.started_at')} AS open_s, COALESCE(p.paused_s, 0) AS paused_s,
       COALESCE(b.busy_s, 0) AS busy_s, COALESCE(b.served, 0) AS served
FROM cs JOIN queue_counter qc ON qc.id = cs.counter_id LEFT JOIN officer o ON o.id = cs.officer_id
LEFT JOIN paused p ON p.session_id = cs.id LEFT JOIN busy b ON b.session_id = cs.id
ORDER BY cs.started_at, cs.id"""


@dataclass
class SessionRow:
    session_id: int
    counter: int
    officer: str
    started_at: str
    ended_at: str
    open_s: int
    paused_s: int
    busy_s: int
    idle_s: int
    served: int
    served_per_open_hour: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _session_rows(s: Session, d: Dialect, scope: Scope, period: Period, now: datetime) -> list[SessionRow]:
    params = {**_params(period), "now": min(now, period.hi).replace(tzinfo=None)}
    params["hi_ev"] = params["now"] if period.hi > now else params["hi"]
    out = []
    for r in s.execute(text(sessions_sql(d, scope)), params):
        open_s, paused_s, busy_s = (max(0, seconds_int(x) or 0) for x in (r.open_s, r.paused_s, r.busy_s))
        started = r.started_at if isinstance(r.started_at, datetime) else datetime.fromisoformat(str(r.started_at))
        ended = r.ended if isinstance(r.ended, datetime) else datetime.fromisoformat(str(r.ended))
        out.append(SessionRow(int(r.id), int(r.counter), r.officer or "-",
                              to_vn(_utc(started)).isoformat(),
                              to_vn(_utc(ended)).isoformat(), open_s, paused_s, busy_s,
                              max(0, open_s - paused_s - busy_s), int(r.served),
                              round(int(r.served) / (open_s / 3600), 2) if open_s else None))
    return out


def _utc(x: datetime) -> datetime:
    from datetime import UTC

    return x.replace(tzinfo=UTC) if x.tzinfo is None else x


def session_report(db: Database, actor: Actor, period: Period, now: datetime | None = None) -> list[SessionRow]:
    d = Dialect(db.is_postgres)
    with db.session() as s:
        no_jit(s)
        return _session_rows(s, d, scope_for(s, actor), period, now or utcnow())


def open_time_sql(d: Dialect, scope: Scope) -> str:
    """Open seconds per (counter, officer) of the sessions started in the period (no event replay)."""
    return (f"SELECT qc.number AS counter, COALESCE(o.username, '-') AS officer, "
            f"SUM({d.seconds('COALESCE(cs.ended_at, :now)', 'cs.started_at')}) AS open_s "
            "FROM queue_counter_session cs JOIN queue_counter qc ON qc.id = cs.counter_id "
            "LEFT JOIN officer o ON o.id = cs.officer_id "
            f"WHERE cs.started_at >= :lo AND cs.started_at < :hi AND {scope.officer_filter('cs.officer_id')} "
            "GROUP BY qc.number, o.username")


def _add_open_time(s: Session, d: Dialect, scope: Scope, period: Period, by: str, rows: list[QueueRow],
                   now: datetime) -> None:
    params = {**_params(period), "now": min(now, period.hi).replace(tzinfo=None)}
    open_by: dict[str, int] = {}
    for counter, officer, open_s in s.execute(text(open_time_sql(d, scope)), params):
        k = str(counter) if by == "counter" else str(officer)
        open_by[k] = open_by.get(k, 0) + max(0, seconds_int(open_s) or 0)
    for row in rows:
        if row.key in open_by:
            row.open_s = open_by[row.key]
            row.served_per_open_hour = round(row.served / (row.open_s / 3600), 2) if row.open_s else None


# --- heat map ------------------------------------------------------------------------

def heatmap_sql(d: Dialect, scope: Scope, src: Sources = LIVE_ONLY) -> str:
    return (f"WITH {_visits_sql(d, scope, src)}\nSELECT {d.local_isodow('v.issued_at')} AS dow, "
            f"{d.local_hour('v.issued_at')} AS hh, COUNT(*) AS arrived, AVG(wait_s) AS wait_avg "
            "FROM v GROUP BY 1, 2")


@dataclass
class HeatMap:
    """arrivals[weekday 0=Monday][hour] and the average wait in seconds (None: no served visit)."""

    arrivals: list[list[int]]
    wait_avg_s: list[list[int | None]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def heatmap(db: Database, actor: Actor, period: Period, now: datetime | None = None) -> HeatMap:
    d = Dialect(db.is_postgres)
    arrivals = [[0] * 24 for _ in range(7)]
    waits: list[list[int | None]] = [[None] * 24 for _ in range(7)]
    with db.session() as s:
        scope = scope_for(s, actor)
        no_jit(s)
        src = prepare(s, d, period, now or utcnow())
        for r in s.execute(text(heatmap_sql(d, scope, src)), _params(period, src)):
            dow, hh = int(r.dow) - 1, int(r.hh)
            arrivals[dow][hh] = int(r.arrived)
            waits[dow][hh] = seconds_int(r.wait_avg)
    return HeatMap(arrivals, waits)


# --- drill-down ----------------------------------------------------------------------

def _figure_condition(figure: str) -> str:
    if figure == "arrived":
        return "1=1"
    if figure in ("served", "no_show", "transferred", "excluded"):
        return f"{figure} = 1"
    if figure == "wait_over_15min":
        return f"wait_s > {WAIT_TARGET_S}"
    if figure == "service_over_30min":
        return f"service_s > {SERVICE_TARGET_S}"
    if figure.startswith("bucket_") and figure[7:].isdigit() and int(figure[7:]) < BUCKETS:
        i = int(figure[7:])
        upper = f" AND wait_s < {(i + 1) * BUCKET_S}" if i < BUCKETS - 1 else ""
        return f"wait_s >= {i * BUCKET_S}{upper}"
    raise InvalidInput(msg("Không có chỉ số “{f}” để xem chi tiết (chọn: {all}).",
                           "No figure “{f}” to drill into (choose: {all}).", f=figure, all=", ".join(FIGURES)))


@dataclass(frozen=True)
class TicketLine:
    ticket_id: int
    number: str
    day: str
    service: str
    counter: int | None
    officer: str
    issued_at: str
    wait_s: int | None
    service_s: int | None
    state: str


def drill_tickets(db: Database, actor: Actor, period: Period, by: str, key: str, figure: str = "arrived",
                  limit: int = DRILL_LIMIT, now: datetime | None = None) -> list[TicketLine]:
    """The tickets behind one figure of one row (``key`` as in the report, '*' for the total)."""
    d = Dialect(db.is_postgres)
    k, _ = _key_sql(d, by)
    cond = _figure_condition(figure)
    with db.session() as s:
        scope = scope_for(s, actor)
        no_jit(s)
        src = prepare(s, d, period, now or utcnow())
        sql = (f"WITH {_visits_sql(d, scope, src)}\n"
               f"SELECT v.ticket_id, t.number, t.day, s.code AS service, qc.number AS counter, o.username AS officer, "
               f"v.issued_at, v.wait_s, v.service_s, t.state FROM v JOIN queue_ticket t ON t.id = v.ticket_id "
               f"LEFT JOIN queue_service s ON s.id = v.service_id LEFT JOIN queue_counter qc ON qc.id = v.counter_id "
               f"LEFT JOIN officer o ON o.id = v.officer_id WHERE {k} = :key AND {cond} "
               f"ORDER BY v.issued_at, v.ticket_id LIMIT {int(limit)}")
        out = []
        for r in s.execute(text(sql), {**_params(period, src), "key": key}):
            issued = r.issued_at if isinstance(r.issued_at, datetime) else datetime.fromisoformat(str(r.issued_at))
            out.append(TicketLine(int(r.ticket_id), r.number, r.day, r.service or "-", r.counter,
                                  "" if scope.own_only else (r.officer or "-"), to_vn(_utc(issued)).isoformat(timespec="seconds"),
                                  seconds_int(r.wait_s), seconds_int(r.service_s), r.state))
        return out
