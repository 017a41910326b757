"""Report periods: Vietnam local dates, both ends inclusive, turned into UTC instants.

Every figure is filtered by ``[lo, hi)`` in UTC where ``lo`` is 00:00 of the first day
and ``hi`` 00:00 of the day after the last, in Vietnam time (UTC+7 all year, no DST).
Bad input gets a bilingual message, never a traceback: a month like ``2026-13``,
``--from`` after ``--to``, or a period longer than :data:`MAX_DAYS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import VN_TZ, now_vn

#: two years and a day: a year's report, with room for a leap year and a comparison
MAX_DAYS = 732


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise InvalidInput(msg("Ngày bắt đầu {a} sau ngày kết thúc {b}.",
                                   "The start date {a} is after the end date {b}.",
                                   a=self.first.isoformat(), b=self.last.isoformat()))
        if self.days > MAX_DAYS:
            raise InvalidInput(msg("Khoảng thời gian {n} ngày quá dài (tối đa {m} ngày); hãy chọn khoảng ngắn hơn.",
                                   "A period of {n} days is too long (at most {m} days); choose a shorter one.",
                                   n=self.days, m=MAX_DAYS))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def lo(self) -> datetime:
        """00:00 of the first day, Vietnam time, as UTC."""
        return datetime.combine(self.first, time(0), VN_TZ).astimezone(UTC)

    @property
    def hi(self) -> datetime:
        """00:00 of the day after the last, Vietnam time, as UTC (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time(0), VN_TZ).astimezone(UTC)

    @property
    def label(self) -> str:
        if self.first.day == 1 and self.last == month_period(self.first.year, self.first.month).last:
            return f"{self.first.month:02d}/{self.first.year}"
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"

    def to_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, nxt - timedelta(days=1))


def parse_month(text: str | None) -> Period:
    """``YYYY-MM`` (default: this month in Vietnam time)."""
    if not text:
        today = now_vn().date()
        return month_period(today.year, today.month)
    try:
        m = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise InvalidInput(msg("Tháng “{m}” không đúng dạng YYYY-MM (tháng 01–12).",
                               "Month “{m}” is not in the form YYYY-MM (month 01–12).", m=text)) from None
    return month_period(m.year, m.month)


def parse_date(text: str, what: str = "--from") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(msg("{w}: ngày “{t}” không hợp lệ; cần dạng YYYY-MM-DD.",
                               "{w}: “{t}” is not a valid date; expected YYYY-MM-DD.", w=what, t=text)) from None


def parse_range(first: str | None, last: str | None) -> Period:
    """``--from``/``--to`` (either may be missing: a missing one is the other; both: today)."""
    today = now_vn().date()
    a = parse_date(first, "--from") if first else None
    b = parse_date(last, "--to") if last else None
    return Period(a or b or today, b or a or today)
