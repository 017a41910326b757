"""SQL fragments that differ between SQLite and PostgreSQL, and a percentile for SQLite.

Times are stored as naive UTC (``desktop.db.base.UTCDateTime``). Vietnam has been UTC+7
all year since 1975, so a local date or hour is the UTC value plus seven hours, which
both engines compute without a time zone table.

Percentiles are linear interpolation between the closest ranks (numpy's default,
``method="linear"``): for n sorted values and fraction p, h = (n − 1)·p, and the result
is v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]) with 0-based ranks. PostgreSQL's
``percentile_cont`` is that definition; on SQLite the same is read off a histogram of
the whole seconds with a running count (``desktop.reports.queue._sqlite_stats_sql``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VN_OFFSET_HOURS = 7


@dataclass(frozen=True)
class Dialect:
    postgres: bool

    def seconds(self, a: str, b: str) -> str:
        """Whole seconds from ``b`` to ``a`` (a − b), rounded to the nearest.

        Rounded before anything else, so a bucket edge (3:00, 18:00) or a percentile does
        not depend on julianday's floating point on SQLite (about 10 µs at today's dates).
        """
        if self.postgres:
            return f"ROUND(EXTRACT(EPOCH FROM ({a} - {b})))::float8"
        return f"ROUND((julianday({a}) - julianday({b})) * 86400.0)"

    def local(self, x: str) -> str:
        return f"({x} + INTERVAL '{VN_OFFSET_HOURS} hours')" if self.postgres else x

    def local_date(self, x: str) -> str:
        """'YYYY-MM-DD' of the Vietnam date."""
        if self.postgres:
            return f"to_char({self.local(x)}, 'YYYY-MM-DD')"
        return f"date({x}, '+{VN_OFFSET_HOURS} hours')"

    def local_day(self, x: str) -> str:
        """The Vietnam date, for comparisons only: a ``date`` on PostgreSQL, where formatting it
        as text (:meth:`local_date`) was a third of the dossier report's time for a year."""
        if self.postgres:
            return f"CAST({self.local(x)} AS date)"
        return self.local_date(x)

    def local_hour(self, x: str) -> str:
        """'HH' (00–23) of the Vietnam time."""
        if self.postgres:
            return f"to_char({self.local(x)}, 'HH24')"
        return f"strftime('%H', {x}, '+{VN_OFFSET_HOURS} hours')"

    def local_month(self, x: str) -> str:
        if self.postgres:
            return f"to_char({self.local(x)}, 'YYYY-MM')"
        return f"strftime('%Y-%m', {x}, '+{VN_OFFSET_HOURS} hours')"

    def local_week(self, x: str) -> str:
        """'YYYY-MM-DD' of the Monday of the week."""
        if self.postgres:
            return f"to_char(date_trunc('week', {self.local(x)}), 'YYYY-MM-DD')"
        return f"date({x}, '+{VN_OFFSET_HOURS} hours', 'weekday 0', '-6 days')"

    def local_isodow(self, x: str) -> str:
        """'1'..'7', Monday = 1."""
        if self.postgres:
            return f"to_char({self.local(x)}, 'ID')"
        return f"CAST((CAST(strftime('%w', {x}, '+{VN_OFFSET_HOURS} hours') AS INTEGER) + 6) % 7 + 1 AS TEXT)"

    def text(self, x: str) -> str:
        return f"CAST({x} AS TEXT)" if self.postgres else f"CAST({x} AS TEXT)"

    def percentile(self, p: float, col: str) -> str:
        """An aggregate (PostgreSQL only): the p-quantile of ``col`` in the group."""
        assert self.postgres
        return f"percentile_cont({p!r}) WITHIN GROUP (ORDER BY {col})"


def no_jit(session: Any) -> None:
    """PostgreSQL: no JIT for this transaction's report statements.

    The planner's row estimates for these nested aggregates are far too high, so it
    JIT-compiles them, which cost 0.5 s on a 40,000-dossier month (measured; the query
    itself then ran in 0.6 s instead of 1.2 s).
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        session.execute(text("SET LOCAL jit = off"))


def seconds_int(v: float | None) -> int | None:
    """Whole seconds, half up (a figure is shown and compared to the second)."""
    return None if v is None else int(float(v) + 0.5)


def share(num: int | float | None, den: int | float | None) -> float | None:
    """num / den rounded to 4 places (0–1), None when there is nothing to divide."""
    if not den:
        return None
    return round(float(num or 0) / float(den), 4)
