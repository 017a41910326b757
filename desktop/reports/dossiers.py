"""Dossier indicators per officer or unit, and the late list, computed in SQL.

Definitions (docs/INDICATORS.md): the dossiers received in the period. A dossier is
*closed* when it first reached status 9 (done) or 10 (result returned); it is *late* when
it closed after its legal due date (``dossier.due_at``: working time from reception, plus
the working time of any "request to complete" pause), or is still open after it at the
report's ``as_of`` instant. An extension (form 04) sets no new legal date here, so it
never makes a late dossier on time. While a "request to complete" is open the legal clock
stands still: such a dossier is late only if it was already past its due date when the
request was made. Closed by the due date: *early* when on an earlier
Vietnam day than the due date, *on time* when on the due day. Refused (3), withdrawn (7)
and stopped (8) dossiers are *ended*: neither on time nor late.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import text

from desktop.auth import Actor
from desktop.db import Database
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.reports.period import Period
from desktop.reports.scope import Scope, scope_for
from desktop.reports.sql import Dialect, no_jit, share
from desktop.reports.targets import load_targets
from desktop.workdays import WorkCalendar

GROUPINGS = ("officer", "unit", "total")
FIGURES = ("received", "closed", "on_time", "early", "late", "open", "open_late", "due_today", "due_this_week",
           "ended", "online", "results_signed", "with_fee", "paid_online")
DRILL_LIMIT = 2000


SUMMARY_COLUMNS = ("to_dig", "dig", "files", "reusable", "reused", "has_result", "signed", "has_fee", "paid_online",
                   "closed_at")
#: the dossier's own columns the summary carries (migration 0017's triggers copy them)
COPIED_COLUMNS = ("received_at", "officer_id", "unit_id", "channel", "status", "due_at", "legal_due_at")

#: one row per dossier of ``{ids}`` (a SELECT of dossier ids) with the counts the report
#: sums (and when it first closed): components to digitize and digitized, component files, reusable and reused ones,
#: a result and a signed result, a fee (amount > 0) and one paid online; then the copied dossier columns
SUMMARY_SELECT = """
SELECT d.id AS dossier_id, COALESCE(comp.to_dig, 0) AS to_dig, COALESCE(comp.dig, 0) AS dig,
       COALESCE(fl.files, 0) AS files, COALESCE(fl.reusable, 0) AS reusable, COALESCE(fl.reused, 0) AS reused,
       COALESCE(fl.has_result, 0) AS has_result, COALESCE(fl.signed, 0) AS signed,
       COALESCE(pay.has_fee, 0) AS has_fee, COALESCE(pay.paid_online, 0) AS paid_online, cl.closed_at,
       d.received_at, d.officer_id, d.unit_id, d.channel, d.status, d.due_at, d.legal_due_at
FROM dossier d
LEFT JOIN (
  SELECT c.dossier_id,
         SUM(CASE WHEN pc.id IS NULL OR pc.must_digitize THEN 1 ELSE 0 END) AS to_dig,
         SUM(CASE WHEN (pc.id IS NULL OR pc.must_digitize) AND EXISTS (
               SELECT 1 FROM digitized_file f WHERE f.component_id = c.id AND f.kind = 'component')
             THEN 1 ELSE 0 END) AS dig
  FROM dossier_component c LEFT JOIN procedure_component pc ON pc.id = c.procedure_component_id
  WHERE c.dossier_id IN ({ids}) GROUP BY c.dossier_id
) comp ON comp.dossier_id = d.id
LEFT JOIN (
  SELECT f.dossier_id,
         SUM(CASE WHEN f.kind = 'component' THEN 1 ELSE 0 END) AS files,
         SUM(CASE WHEN f.kind = 'component' AND f.reusable THEN 1 ELSE 0 END) AS reusable,
         SUM(CASE WHEN f.kind = 'component' AND f.reused THEN 1 ELSE 0 END) AS reused,
         MAX(CASE WHEN f.kind = 'result' THEN 1 ELSE 0 END) AS has_result,
         MAX(CASE WHEN f.kind = 'result' AND f.signature_state IN ('signed', 'verified') THEN 1 ELSE 0 END) AS signed
  FROM digitized_file f WHERE f.dossier_id IN ({ids}) GROUP BY f.dossier_id
) fl ON fl.dossier_id = d.id
LEFT JOIN (
  -- a financial obligation (Decision 766's denominator) and whether it was paid online
  SELECT p.dossier_id,
         MAX(CASE WHEN p.amount > 0 THEN 1 ELSE 0 END) AS has_fee,
         MAX(CASE WHEN p.amount > 0 AND p.state = 'paid' AND p.method = 'online' THEN 1 ELSE 0 END) AS paid_online
  FROM dossier_fee p WHERE p.dossier_id IN ({ids}) GROUP BY p.dossier_id
) pay ON pay.dossier_id = d.id
LEFT JOIN (
  SELECT h.dossier_id, MIN(h.at) AS closed_at FROM dossier_status_change h
  WHERE h.status IN (9, 10) AND h.dossier_id IN ({ids}) GROUP BY h.dossier_id
) cl ON cl.dossier_id = d.id
WHERE d.id IN ({ids})"""

#: stale dossiers recomputed per statement (SQLite allows 250,000 terms; PostgreSQL plans a long list well)
_CHUNK = 5000

#: The period's stale rows, from the summary alone: migration 0017 gives every dossier its
#: row with its ``received_at``, so neither a join with ``dossier`` nor an anti-join for
#: missing rows is needed (they took 0.1 s for a month, 0.65–1.9 s for a year at scale 1.0).
_STALE = ("SELECT r.dossier_id FROM report_dossier r "
          "WHERE r.received_at >= :lo AND r.received_at < :hi AND r.built_gen <> r.gen")


def refresh_summary(s: Any, lo: datetime, hi: datetime) -> int:
    """Recompute ``report_dossier`` for the dossiers received in [lo, hi) whose row is missing or stale.

    The triggers of migration 0013 bump ``gen`` with every write to a dossier's components,
    files, fees and status changes; a row is valid while ``built_gen = gen``. The counts and
    the ``gen`` they were computed against are read by one statement (one snapshot), and only
    ``built_gen`` is written back, never ``gen``: a write that commits while this runs
    leaves ``built_gen <> gen`` and the next report recomputes that dossier.
    """
    span = {"lo": lo.replace(tzinfo=None), "hi": hi.replace(tzinfo=None)}
    # the stale ids first, alone: usually none or a few, and then the summary's five
    # subqueries filter on a short literal list instead of each repeating the period's read
    stale = [int(i) for (i,) in s.execute(text(_STALE), span)]
    done = 0
    for at in range(0, len(stale), _CHUNK):
        done += _upsert(s, ", ".join(str(i) for i in stale[at:at + _CHUNK]))  # integers from the database
    return done


def summarize_all(s: Any) -> int:
    """Recompute ``report_dossier`` for every dossier in one statement (after a bulk load).

    A bulk load (bench/analytics_gen.py's COPY) leaves every dossier without a valid row,
    so the first report would recompute them all in chunks of id lists (80 s for 498,469
    dossiers under load); one statement over the whole tables lets the database hash-join
    them instead. Same rows and the same ``gen`` rule as :func:`refresh_summary`. It also
    rewrites the copied dossier columns and restores rows deleted by hand: the repair
    for a summary that was tampered with.
    """
    return _upsert(s, "SELECT id FROM dossier", copy=True)


def _upsert(s: Any, ids: str, *, copy: bool = False) -> int:
    """Write the summary of the dossiers ``ids`` (a list of integers or a SELECT of ids), valid as of now.

    A missing row gets the copied dossier columns too; an existing one keeps them unless
    ``copy``: they belong to the triggers, which write them in the dossier's own transaction,
    whereas this statement's read of the dossier may already be older than a write that
    commits before its upsert (the copy would go back, and nothing would mark it stale).
    """
    cols = ", ".join((*SUMMARY_COLUMNS, *COPIED_COLUMNS))
    updated = ("built_gen", *SUMMARY_COLUMNS, *(COPIED_COLUMNS if copy else ()))
    sets = ", ".join(f"{c} = excluded.{c}" for c in updated)
    sql = (f"INSERT INTO report_dossier (dossier_id, gen, built_gen, {cols}) "
           f"SELECT sm.dossier_id, COALESCE(r.gen, 0), COALESCE(r.gen, 0), "
           f"{', '.join('sm.' + c for c in (*SUMMARY_COLUMNS, *COPIED_COLUMNS))} "
           f"FROM ({SUMMARY_SELECT.format(ids=ids)}) sm LEFT JOIN report_dossier r ON r.dossier_id = sm.dossier_id "
           f"WHERE 1 = 1 ON CONFLICT (dossier_id) DO UPDATE SET {sets}")
    return int(s.execute(text(sql)).rowcount or 0)


class Source(StrEnum):
    """Where the report reads a period's dossiers and their counts from."""

    #: ``report_dossier`` alone (its rows made valid by :func:`refresh_summary`): the report
    SUMMARY = "summary"
    #: ``dossier`` and every component, file, fee and status change, aggregated now: the
    #: reference the summary must equal (tests, bench/report_bench.py's "full aggregate")
    FULL = "full"


#: the columns of CTE ``x`` from a summary-shaped relation ``{t}``
_X = ("{t}.dossier_id AS id, {t}.officer_id, {t}.unit_id, {t}.channel, {t}.status, {t}.received_at, "
      # lateness against the legal due date: an extension (form 04) does not cure it
      "COALESCE({t}.legal_due_at, {t}.due_at) AS due_at, {t}.due_at AS current_due, {t}.closed_at, "
      + ", ".join(f"{{t}}.{c}" for c in SUMMARY_COLUMNS if c != "closed_at"))


def _period_sql(scope: Scope, source: Source, only: str | None = None, *, current: bool = False,
                where: str = "") -> str:
    """CTE ``x``'s body: the dossiers received in [:lo, :hi) that ``scope`` shows (and among
    ``only``, a list of ids, when given), with their counts and gens.

    ``current`` (the summary only): the valid rows as they are and the stale ones computed
    from the dossiers' own tables, in one statement and one snapshot, so every row is exact
    and none is written (the lists: the late list and the drill-down). ``where``: a further
    condition on the dossier's columns, ``{t}`` standing for the table.
    """
    if source is Source.SUMMARY:
        rows = (f"FROM report_dossier r WHERE r.received_at >= :lo AND r.received_at < :hi "
                f"AND {scope.unit_filter('r.unit_id', 'r.officer_id')}"
                + (f" AND r.dossier_id IN ({only})" if only else "") + (f" AND {where.format(t='r')}" if where else ""))
        if not current:
            return f"SELECT {_X.format(t='r')}, r.gen, r.built_gen {rows}"
        # the stale ids (CTE st, :func:`_base_sql`): the copied columns of a stale row are
        # current (the triggers write them with the dossier), only its counts are out of date
        return (f"SELECT {_X.format(t='r')}, r.gen, r.built_gen {rows} AND r.built_gen = r.gen\n  UNION ALL\n  "
                f"SELECT {_X.format(t='sm')}, 0 AS gen, 0 AS built_gen "
                f"FROM ({SUMMARY_SELECT.format(ids='SELECT st.dossier_id FROM st')}) sm")
    ids = (f"SELECT d.id FROM dossier d WHERE d.received_at >= :lo AND d.received_at < :hi "
           f"AND {scope.unit_filter('d.unit_id', 'd.officer_id')}" + (f" AND d.id IN ({only})" if only else "")
           + (f" AND {where.format(t='d')}" if where else ""))
    return f"SELECT {_X.format(t='sm')}, 0 AS gen, 0 AS built_gen FROM ({SUMMARY_SELECT.format(ids=ids)}) sm"


def _base_sql(d: Dialect, scope: Scope, source: Source = Source.SUMMARY, only: str | None = None, *,
              current: bool = False, where: str = "") -> str:
    """CTE ``dd``: one row per dossier received in [:lo, :hi) with its classification
    (``current``, ``where``: see :func:`_period_sql`)."""
    as_of = ":as_of"
    closed = "x.closed_at"
    late = (f"(x.due_at IS NOT NULL AND (({closed} IS NOT NULL AND {closed} > x.due_at) OR "
            f"({closed} IS NULL AND x.status NOT IN (3, 7, 8) AND x.due_at < COALESCE(pz.paused_at, {as_of}))))")
    is_open = f"({closed} IS NULL AND x.status NOT IN (3, 7, 8))"
    stale = ""
    if current and source is Source.SUMMARY:  # read once, not by each of the summary's five subqueries
        stale = (f"st AS MATERIALIZED (SELECT r.dossier_id FROM report_dossier r WHERE r.received_at >= :lo "
                 f"AND r.received_at < :hi AND {scope.unit_filter('r.unit_id', 'r.officer_id')} "
                 f"AND r.built_gen <> r.gen" + (f" AND {where.format(t='r')}" if where else "") + "),\n")
    return f"""
{stale}x AS (
  {_period_sql(scope, source, only, current=current, where=where)}
),
pz AS (
  -- every open pause (few: the dossiers waiting for a supplement now), not only the period's:
  -- bounding it by x made PostgreSQL materialize x, a second pass over the period
  SELECT p.dossier_id, MIN(p.started_at) AS paused_at FROM dossier_pause p
  WHERE p.ended_at IS NULL GROUP BY p.dossier_id
),
dd AS (
  SELECT x.id, x.officer_id, x.unit_id, x.channel, x.status, x.received_at, x.due_at, x.current_due, {closed} AS closed_at,
         CASE WHEN x.built_gen <> x.gen THEN 1 ELSE 0 END AS stale,
         CASE WHEN {closed} IS NOT NULL THEN 1 ELSE 0 END AS closed,
         CASE WHEN {late} THEN 1 ELSE 0 END AS late,
         CASE WHEN {closed} IS NOT NULL AND {closed} <= x.due_at
              AND {d.local_day(closed)} < {d.local_day('x.due_at')} THEN 1 ELSE 0 END AS early,
         CASE WHEN {closed} IS NOT NULL AND {closed} <= x.due_at
              AND {d.local_day(closed)} = {d.local_day('x.due_at')} THEN 1 ELSE 0 END AS on_time,
         CASE WHEN {is_open} THEN 1 ELSE 0 END AS is_open,
         CASE WHEN {is_open} AND {late} THEN 1 ELSE 0 END AS open_late,
         -- the Vietnam day of as_of as a UTC range (_params): no date of its own computed per dossier
         CASE WHEN {is_open} AND x.current_due >= :today AND x.current_due < :tomorrow THEN 1 ELSE 0 END AS due_today,
         CASE WHEN {is_open} AND x.current_due >= {as_of} AND x.current_due < :week_end THEN 1 ELSE 0 END
              AS due_this_week,
         CASE WHEN {closed} IS NULL AND x.status IN (3, 7, 8) THEN 1 ELSE 0 END AS ended,
         CASE WHEN x.channel = 2 THEN 1 ELSE 0 END AS online,
         x.to_dig, x.dig, x.files, x.reusable, x.reused,
         CASE WHEN {closed} IS NOT NULL THEN x.has_result ELSE 0 END AS result_dig,
         CASE WHEN {closed} IS NOT NULL THEN x.signed ELSE 0 END AS results_signed,
         x.has_fee AS with_fee, x.paid_online
  FROM x LEFT JOIN pz ON pz.dossier_id = x.id
)"""


def _key_sql(by: str, rows: str = "dd") -> tuple[str, str]:
    """The grouping's key and the join that names it, for relation ``rows`` (with officer_id / unit_id)."""
    if by == "officer":
        return "COALESCE(o.username, '-')", f"LEFT JOIN officer o ON o.id = {rows}.officer_id"
    if by == "unit":
        return "COALESCE(u.code, '-')", f"LEFT JOIN org_unit u ON u.id = {rows}.unit_id"
    if by == "total":
        return "'*'", ""
    raise InvalidInput(msg("Không nhóm được theo “{b}” (chọn một trong: {all}).",
                           "Cannot group by “{b}” (choose one of: {all}).", b=by, all=", ".join(GROUPINGS)))


#: the per-dossier flags and counts the report sums (``received`` is the rows' count)
_SUMMED = ("closed", "late", "early", "on_time", "is_open", "open_late", "due_today", "due_this_week", "ended",
           "online", "to_dig", "dig", "files", "reusable", "reused", "result_dig", "results_signed", "with_fee",
           "paid_online", "stale")


def dossier_sql(d: Dialect, scope: Scope, by: str, *, with_total: bool = False,
                source: Source = Source.SUMMARY, only: str | None = None) -> str:
    """The report as one statement; ``with_total`` (PostgreSQL) adds the total as a row with key NULL.

    Its ``stale`` column counts the rows read whose counts were not valid (``built_gen <> gen``):
    when the total's is 0, the figures are exact for the statement's snapshot. ``only``: a
    list of dossier ids the report is restricted to (the corrections of :func:`dossier_report`).
    """
    key, joins = _key_sql(by, "g")
    # the dossiers are summed once per officer (unit) id, and only those few rows get their
    # name and the total: the join and the grouping sets were a third of a year's time
    column = {"officer": "dd.officer_id AS officer_id", "unit": "dd.unit_id AS unit_id"}.get(by, "0 AS z")
    sums = ", ".join(f"SUM({c}) AS {c}" for c in _SUMMED)
    groups = f"g AS (SELECT {column}, COUNT(*) AS received, {sums} FROM dd GROUP BY 1)"
    resum = ", ".join(f"SUM({c}) AS {c}" for c in ("received", *_SUMMED))
    if with_total and not d.postgres:  # SQLite has no GROUPING SETS: g once, then both
        groups = groups.replace("g AS (", "g AS MATERIALIZED (")
        return (f"WITH {_base_sql(d, scope, source, only)},\n{groups}\nSELECT {key} AS k, {resum} FROM g {joins} GROUP BY 1 "
                f"UNION ALL SELECT NULL AS k, {resum} FROM g")
    group = f"GROUPING SETS (({key}), ())" if with_total else "1"
    return (f"WITH {_base_sql(d, scope, source, only)},\n{groups}\n"
            f"SELECT {key} AS k, {resum} FROM g {joins} GROUP BY {group}")


@dataclass
class DossierRow:
    key: str
    received: int
    closed: int
    on_time: int
    early: int
    late: int
    open: int
    open_late: int
    due_today: int
    due_this_week: int
    ended: int
    online: int
    components_to_digitize: int
    components_digitized: int
    results_digitized: int
    results_signed: int
    files: int
    files_reusable: int
    #: components linked from the citizen's document store instead of scanned again
    files_reused: int
    #: dossiers with a fee or charge to pay (amount > 0), and those whose fee was paid online
    with_fee: int
    paid_online: int
    late_share: float | None
    on_time_or_early_share: float | None
    component_digitization_share: float | None
    result_digitization_share: float | None
    signed_result_share: float | None
    reuse_share: float | None
    online_share: float | None
    #: Decision 766: dossiers with a financial obligation paid online over all with one
    online_payment_share: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _row(key: str, m: dict[str, int]) -> DossierRow:
    finished = m["closed"]
    return DossierRow(
        key=key, received=m["received"], closed=finished, on_time=m["on_time"], early=m["early"],
        late=m["late"], open=m["is_open"], open_late=m["open_late"], due_today=m["due_today"],
        due_this_week=m["due_this_week"], ended=m["ended"], online=m["online"],
        components_to_digitize=m["to_dig"], components_digitized=m["dig"], results_digitized=m["result_dig"],
        results_signed=m["results_signed"], files=m["files"], files_reusable=m["reusable"],
        files_reused=m["reused"], with_fee=m["with_fee"], paid_online=m["paid_online"],
        late_share=share(m["late"], m["received"] - m["ended"]),
        on_time_or_early_share=share(m["on_time"] + m["early"], finished),
        component_digitization_share=share(m["dig"], m["to_dig"]),
        result_digitization_share=share(m["result_dig"], finished),
        signed_result_share=share(m["results_signed"], finished),
        reuse_share=share(m["reused"], m["files"]), online_share=share(m["online"], m["received"]),
        online_payment_share=share(m["paid_online"], m["with_fee"]))


@dataclass
class DossierReport:
    period: Period
    by: str
    as_of: datetime
    rows: list[DossierRow]
    total: DossierRow
    targets: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period.to_dict(), "by": self.by, "as_of": to_vn(self.as_of).isoformat(),
                "rows": [r.to_dict() for r in self.rows], "total": self.total.to_dict(), "targets": self.targets}


def _params(period: Period, as_of: datetime) -> dict[str, Any]:
    local = to_vn(as_of)
    monday = local.date() - timedelta(days=local.weekday())

    def start(day: date) -> datetime:  # 00:00 in Vietnam, as naive UTC
        return datetime.combine(day, datetime.min.time(), local.tzinfo).astimezone(UTC).replace(tzinfo=None)

    return {"lo": period.lo.replace(tzinfo=None), "hi": period.hi.replace(tzinfo=None),
            "as_of": as_of.astimezone(UTC).replace(tzinfo=None), "week_end": start(monday + timedelta(days=7)),
            "today": start(local.date()), "tomorrow": start(local.date() + timedelta(days=1))}


#: what one statement gives: the summed figures per group key, the total under None
Sums = dict[str | None, dict[str, int]]

#: at most this many stale rows are corrected in the report's snapshot; beyond (after a bulk
#: load) the period is refreshed and read again
_CORRECT_MAX = _CHUNK


def _sums(s: Any, d: Dialect, scope: Scope, by: str, params: dict[str, Any], source: Source,
          only: str | None = None) -> Sums:
    if by == "total":  # one group, which is the total
        rows = list(s.execute(text(dossier_sql(d, scope, by, source=source, only=only)), params))
    else:  # one pass over the period: the groups and the total (key NULL)
        rows = list(s.execute(text(dossier_sql(d, scope, by, with_total=True, source=source, only=only)), params))
    out: Sums = {r.k: {k: int(v or 0) for k, v in r._mapping.items() if k != "k"} for r in rows}
    if by == "total" and "*" in out:
        out[None] = out["*"]
    return out


def _corrected(figures: Sums, old: Sums, new: Sums) -> Sums:
    """``figures`` with the stale rows' summary values (``old``) replaced by their true ones (``new``)."""
    out: Sums = {}
    for key in {*figures, *old, *new}:
        names = {*figures.get(key, {}), *old.get(key, {}), *new.get(key, {})}
        m = {n: figures.get(key, {}).get(n, 0) - old.get(key, {}).get(n, 0) + new.get(key, {}).get(n, 0)
             for n in names}
        if key is None or m.get("received", 0):
            out[key] = m
    return out


def _read(db: Database, actor: Actor, period: Period, by: str, as_of: datetime,
          source: Source) -> tuple[Sums, list[int] | None]:
    """The figures, exact as of one snapshot, and the stale ids they corrected (None: too many, not corrected).

    The one statement counts the stale rows it read. When there are some (dossiers written
    since the last report: the usual case for the current month), their ids are read and
    the same report over them alone is computed twice in the same snapshot, from the
    summary and from the dossiers' own tables; the difference corrects the figures. A
    second read of the whole period (0.4–0.6 s for a year at scale 1.0) is not needed.
    """
    d = Dialect(db.is_postgres)
    params = _params(period, as_of)
    with db.session() as s:
        if d.postgres:  # one snapshot for the figures and their corrections (SQLite's transaction is one)
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        scope = scope_for(s, actor)
        no_jit(s)
        figures = _sums(s, d, scope, by, params, source)
        if not figures.get(None, {}).get("stale"):
            return figures, []
        stale = [int(i) for (i,) in s.execute(text(_STALE), {"lo": params["lo"], "hi": params["hi"]})]
        if len(stale) > _CORRECT_MAX:
            return figures, None
        only = ", ".join(str(i) for i in stale)  # integers from the database
        old = _sums(s, d, scope, by, params, Source.SUMMARY, only)
        new = _sums(s, d, scope, by, params, Source.FULL, only)
    return _corrected(figures, old, new), stale


def dossier_report(db: Database, actor: Actor, period: Period, by: str = "officer",
                   as_of: datetime | None = None, *, source: Source = Source.SUMMARY) -> DossierReport:
    """The report; ``source=Source.FULL`` computes it from the dossiers' own tables (the reference)."""
    as_of = as_of or utcnow()
    figures, stale = _read(db, actor, period, by, as_of, source)
    if stale is None:  # many stale rows: recompute the period, then read it again
        with db.session() as s:
            refresh_summary(s, period.lo, period.hi)
        figures, _ = _read(db, actor, period, by, as_of, source)
    elif stale:  # the next report finds them valid (in a transaction of their own, after the read)
        with db.session() as s:
            _upsert(s, ", ".join(str(i) for i in stale))
    zero = {n: 0 for n in ("received", *_SUMMED)}
    rows = [_row(str(k), m) for k, m in figures.items() if k is not None]
    rows.sort(key=lambda r: (r.key == "-", r.key))
    return DossierReport(period, by, as_of, rows, _row("*", figures.get(None, zero)), load_targets())


# --- the late list and drill-down ------------------------------------------------------

@dataclass(frozen=True)
class DossierLine:
    code: str
    procedure: str
    procedure_name: str
    officer: str
    officer_name: str
    unit: str
    received_at: str
    due_at: str | None
    closed_at: str | None
    status: int
    #: working hours past the due date (at closing, or at ``as_of`` for an open one)
    late_working_hours: float | None


def _figure_condition(figure: str) -> str:
    if figure == "received":
        return "1=1"
    if figure == "open":
        return "is_open = 1"
    if figure in FIGURES:
        return f"{figure} = 1"
    raise InvalidInput(msg("Không có chỉ số “{f}” để xem chi tiết (chọn: {all}).",
                           "No figure “{f}” to drill into (choose: {all}).", f=figure, all=", ".join(FIGURES)))


def _dt(v: Any) -> datetime | None:
    if v is None:
        return None
    x = v if isinstance(v, datetime) else datetime.fromisoformat(str(v))
    return x.replace(tzinfo=UTC) if x.tzinfo is None else x


def _key_filter(by: str, key: str) -> str:
    """A condition (``{t}``: the table) that keeps the dossiers of group ``key`` (and maybe
    others: the key itself is checked again), so a drill reads and corrects one group only."""
    if by == "officer":
        return ("{t}.officer_id IS NULL" if key == "-" else
                "{t}.officer_id IN (SELECT o2.id FROM officer o2 WHERE o2.username = :key)")
    if by == "unit":
        return ("{t}.unit_id IS NULL" if key == "-" else
                "{t}.unit_id IN (SELECT u2.id FROM org_unit u2 WHERE u2.code = :key)")
    return ""


def drill_dossiers(db: Database, actor: Actor, period: Period, by: str, key: str, figure: str = "received", *,
                   as_of: datetime | None = None, calendar: WorkCalendar | None = None,
                   limit: int = DRILL_LIMIT, source: Source = Source.SUMMARY) -> list[DossierLine]:
    """The dossiers behind one figure of one row ('*' for the total).

    Read like the report, from the summary in one statement: its stale rows (written since
    the last report) are computed from the dossiers' own tables within that statement, not
    recomputed and written first, so a list is a read (``source=Source.FULL``: every row
    from the dossiers' own tables, the reference).
    """
    as_of = as_of or utcnow()
    d = Dialect(db.is_postgres)
    k, _ = _key_sql(by)
    cond = _figure_condition(figure)
    cal = calendar or WorkCalendar.from_database(db)
    with db.session() as s:
        scope = scope_for(s, actor)
        no_jit(s)
        base = _base_sql(d, scope, source, current=True, where=_key_filter(by, key))
        sql = (f"WITH {base}\n"
               "SELECT dz.code, p.code AS procedure, p.name AS procedure_name, o.username, o.full_name, u.code AS unit, "
               "dd.received_at, dd.due_at, dd.closed_at, dd.status, dd.late FROM dd JOIN dossier dz ON dz.id = dd.id "
               "JOIN procedure p ON p.id = dz.procedure_id LEFT JOIN officer o ON o.id = dd.officer_id "
               f"LEFT JOIN org_unit u ON u.id = dd.unit_id WHERE {k} = :key AND {cond} "
               f"ORDER BY dd.received_at, dz.code LIMIT {int(limit)}")
        rows = list(s.execute(text(sql), {**_params(period, as_of), "key": key}))
    out = []
    for r in rows:
        due, closed = _dt(r.due_at), _dt(r.closed_at)
        late_h = None
        if r.late and due is not None:  # the list is short: working time is measured here
            late_h = round(cal.working_minutes_between(due, closed or as_of) / 60, 2)
        out.append(DossierLine(r.code, r.procedure, r.procedure_name, r.username or "-", r.full_name or "",
                               r.unit or "-", to_vn(_dt(r.received_at) or as_of).isoformat(),
                               to_vn(due).isoformat() if due else None, to_vn(closed).isoformat() if closed else None,
                               int(r.status), late_h))
    return out


def late_list(db: Database, actor: Actor, period: Period, *, as_of: datetime | None = None,
              calendar: WorkCalendar | None = None, source: Source = Source.SUMMARY) -> list[DossierLine]:
    """The late dossiers of the period with their officers, as the province publishes them."""
    return drill_dossiers(db, actor, period, "total", "*", "late", as_of=as_of, calendar=calendar, limit=100_000,
                          source=source)
