"""Working-time arithmetic for legal processing times (Qt-free).

A working day is 8 hours: 07:00–11:30 and 13:30–17:00, Vietnam time. Saturdays and
Sundays are off, public holidays and days off in lieu are off, and a weekend day the
government swaps into a working day counts. A dossier received outside working hours
counts from the start of the next working period.

Due date = the instant at which N × 480 working minutes have elapsed since reception.
When that instant is the end of a period it stays there (a dossier due "at 17:00 on
Friday", not "at 07:00 on Monday"). A "request to complete" pause adds the working
minutes it covered; while a pause is still open no due date exists (``None``).

The exceptions to the Monday–Friday week are data (table ``calendar_day``): seeded for
2025–2027 from the well-kept ``holidays`` package (lunar Tết and Hùng Kings day
included, with the substituted working Saturdays it knows), plus
``resources/calendar/vn_adjustments.json``, plus the centre's local overrides, which win.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.db.models import CalendarDay
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import VN_TZ, to_vn

if TYPE_CHECKING:
    from desktop.audit import AuditLog
    from desktop.auth import Actor
    from desktop.db import Database

PERIODS: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
DAY_MINUTES = 480
SEED_YEARS = range(2025, 2028)
ADJUSTMENTS = Path(__file__).resolve().parent.parent / "resources" / "calendar" / "vn_adjustments.json"
KINDS = ("holiday", "off", "working")
_SUBSTITUTED = re.compile(r"substituted from (\d\d)/(\d\d)/(\d{4})")

Pause = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class DayInfo:
    day: date
    kind: str
    name: str
    source: str


class WorkCalendar:
    """Working periods of each day, given the exceptions to the Monday–Friday week."""

    def __init__(self, exceptions: Mapping[date, str] | None = None) -> None:
        self.exceptions: dict[date, str] = dict(exceptions or {})

    @classmethod
    def from_days(cls, holidays: Iterable[date] = (), working: Iterable[date] = ()) -> WorkCalendar:
        ex = {d: "holiday" for d in holidays}
        ex.update({d: "working" for d in working})
        return cls(ex)

    @classmethod
    def from_database(cls, db: Database) -> WorkCalendar:
        with db.session() as s:
            rows = list(s.scalars(select(CalendarDay)))
        ex: dict[date, str] = {}
        for r in sorted(rows, key=lambda r: r.source != "seed"):  # local rows last: they win
            ex[r.day] = r.kind
        return cls(ex)

    def is_working_day(self, d: date) -> bool:
        kind = self.exceptions.get(d)
        if kind == "working":
            return True
        if kind in ("holiday", "off"):
            return False
        return d.weekday() < 5

    def _periods(self, d: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(d):
            return []
        return [(datetime.combine(d, a, VN_TZ), datetime.combine(d, b, VN_TZ)) for a, b in PERIODS]

    def _iter_periods(self, start: datetime) -> Iterable[tuple[datetime, datetime]]:
        """Working periods that end after ``start``, in order (bounded to 5 years)."""
        d = start.date()
        for _ in range(366 * 5):
            for a, b in self._periods(d):
                if b > start:
                    yield max(a, start), b
            d += timedelta(days=1)
        raise InvalidInput(msg("Lịch làm việc không có ngày làm việc nào trong 5 năm.",
                               "The calendar has no working day in 5 years."))

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        remaining = timedelta(minutes=minutes)
        t = to_vn(start)
        if remaining <= timedelta(0):
            return next(iter(self._iter_periods(t)))[0]
        for a, b in self._iter_periods(t):
            if b - a >= remaining:
                return a + remaining
            remaining -= b - a
        raise AssertionError("unreachable")

    def working_days_in(self, first: date, end: date) -> int:
        """Working days in [first, end), counted without walking the days: whole weeks have
        five, the rest by weekday, then each exception in the range corrects the count."""
        n = (end - first).days
        if n <= 0:
            return 0
        weeks, rest = divmod(n, 7)
        count = weeks * 5 + sum(1 for i in range(rest) if (first.weekday() + i) % 7 < 5)
        for day in self.exceptions:
            if first <= day < end:
                count += int(self.is_working_day(day)) - int(day.weekday() < 5)
        return count

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Working minutes in [a, b) (0 when b <= a).

        A long span (a dossier late by months, listed among 200 others) is the two partial
        end days plus whole working days × 480 minutes, not a walk over every period."""
        a, b = to_vn(a), to_vn(b)
        total = timedelta(0)
        if b <= a:
            return 0.0
        first, last = a.date(), b.date()
        if (last - first).days > 2:
            start_of_last = datetime.combine(last, time.min, VN_TZ)
            end_of_first = datetime.combine(first + timedelta(days=1), time.min, VN_TZ)
            return (self.working_minutes_between(a, end_of_first)
                    + self.working_days_in(first + timedelta(days=1), last) * DAY_MINUTES
                    + self.working_minutes_between(start_of_last, b))
        for pa, pb in self._iter_periods(a):
            if pa >= b:
                break
            total += min(pb, b) - pa
        return total.total_seconds() / 60

    def remaining_minutes(self, at: datetime, due: datetime) -> float:
        """Working minutes from ``at`` until ``due``; negative when ``due`` is already past.

        Past a due date, the result is negative even when no working time has passed since
        (due 17:00 yesterday, read at night): that dossier is late, and a 0 read as "0 min
        left" showed it on time (at least one second late, then)."""
        if due >= at:
            return self.working_minutes_between(at, due)
        return -max(self.working_minutes_between(due, at), 1 / 60)

    def sub_working_minutes(self, end: datetime, minutes: float) -> datetime:
        """The instant ``minutes`` working minutes before ``end`` (the mirror of add_working_minutes)."""
        remaining = timedelta(minutes=minutes)
        d = to_vn(end).date()
        end = to_vn(end)
        for _ in range(366 * 5):
            for a, b in reversed(self._periods(d)):
                if a >= end:
                    continue
                b = min(b, end)
                if b - a >= remaining:
                    return b - remaining
                remaining -= b - a
            d -= timedelta(days=1)
        raise InvalidInput(msg("Lịch làm việc không có ngày làm việc nào trong 5 năm.",
                               "The calendar has no working day in 5 years."))

    def continue_clock(self, resumed_at: datetime, remaining: float) -> datetime:
        """The due date when a paused clock continues at ``resumed_at`` (Decree 61/2018 art. 19).

        The working time used before the pause counts toward the legal time, so what was
        left (``remaining`` working minutes, from :meth:`remaining_minutes` at the pause)
        runs from the resumption; a dossier already late when paused stays late by as much.
        """
        if remaining >= 0:
            return self.add_working_minutes(resumed_at, remaining)
        return self.sub_working_minutes(self.add_working_minutes(resumed_at, 0), -remaining)

    def due(self, received: datetime, days: float, pauses: Iterable[Pause] = ()) -> datetime | None:
        """Legal due date-time of a dossier received at ``received`` with ``days`` working days."""
        if days < 0:
            raise InvalidInput(msg("Thời hạn giải quyết không thể âm.", "The processing time cannot be negative."))
        extra = 0.0
        for start, end in pauses:
            if end is None:
                return None
            extra += self.working_minutes_between(start, end)
        return self.add_working_minutes(received, days * DAY_MINUTES + extra)


def parse_local_datetime(text: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` in Vietnam time, with a clear error for anything else."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=VN_TZ)
    except ValueError:
        raise InvalidInput(msg("Thời điểm “{t}” không hợp lệ; cần dạng YYYY-MM-DD HH:MM (ví dụ 2023-10-27 09:32).",
                               "“{t}” is not a valid date-time; expected YYYY-MM-DD HH:MM (e.g. 2023-10-27 09:32).",
                               t=text)) from None


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(msg("Ngày “{t}” không hợp lệ; cần dạng YYYY-MM-DD.",
                               "“{t}” is not a valid date; expected YYYY-MM-DD.", t=text)) from None


def seed_rows() -> list[DayInfo]:
    """Holidays, days in lieu and swapped working days for the seeded years."""
    import holidays

    vi = holidays.country_holidays("VN", years=SEED_YEARS, language="vi")
    en = holidays.country_holidays("VN", years=SEED_YEARS, language="en_US")
    rows: dict[date, DayInfo] = {}
    for d, name in sorted(vi.items()):
        rows[d] = DayInfo(d, "holiday", name, "holidays")
        m = _SUBSTITUTED.search(en.get(d, ""))
        if m:
            swapped = date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
            rows[d] = DayInfo(d, "off", name, "holidays")
            rows[swapped] = DayInfo(swapped, "working", f"Làm bù cho ngày {d:%d/%m/%Y}", "holidays")
    for info in adjustment_rows():
        rows[info.day] = info
    return list(rows.values())


def adjustment_rows() -> list[DayInfo]:
    """The government's decisions shipped in resources (swaps, extra days off)."""
    if not ADJUSTMENTS.exists():
        return []
    return [DayInfo(date.fromisoformat(item["day"]), item["kind"], item.get("name", ""),
                    item.get("source", "adjustments"))
            for item in json.loads(ADJUSTMENTS.read_text(encoding="utf-8")).get("days", [])]


def seed_calendar(session: Session) -> int:
    """Insert the seeded days that are missing; returns how many were added. Idempotent.

    A year is seeded from the holidays library once: when every seeded year has its days and
    every shipped adjustment is in, nothing is computed (that took 0.3-2 s at every start of
    every command). A library upgrade therefore never moves the holidays of a year already in
    use under the dossiers counted on it; corrections come as adjustments or local days.
    """
    have = set(session.scalars(select(CalendarDay.day).where(CalendarDay.source == "seed")))
    if set(SEED_YEARS) <= {d.year for d in have} and all(a.day in have for a in adjustment_rows()):
        return 0
    added = 0
    for info in seed_rows():
        if info.day not in have:
            session.add(CalendarDay(day=info.day, kind=info.kind, name=info.name, source="seed"))
            added += 1
    return added


def set_local_day(session: Session, day: date, kind: str, name: str = "", *, actor: Actor,
                  audit: AuditLog) -> None:
    """A local override of one day, audited in the caller's transaction."""
    from desktop.auth import Permission, require

    require(actor, Permission.EDIT_CALENDAR)
    if kind not in KINDS:
        raise InvalidInput(msg("Loại ngày “{k}” không hợp lệ (holiday, off, working).",
                               "Day kind “{k}” is not valid (holiday, off, working).", k=kind))
    row = session.scalar(select(CalendarDay).where(CalendarDay.day == day, CalendarDay.source == "local"))
    if row is None:
        session.add(CalendarDay(day=day, kind=kind, name=name, source="local"))
    else:
        row.kind, row.name = kind, name
    audit.record(session, actor=actor.audit_name, action="calendar.set", entity_type="calendar_day",
                 entity_id=day.isoformat(), data={"kind": kind, "name": name})


def unset_local_day(session: Session, day: date, *, actor: Actor, audit: AuditLog) -> bool:
    """Remove the local override of one day (audited when there was one); True if there was."""
    from desktop.auth import Permission, require

    require(actor, Permission.EDIT_CALENDAR)
    result = session.execute(delete(CalendarDay).where(CalendarDay.day == day, CalendarDay.source == "local"))
    removed = bool(result.rowcount)  # type: ignore[attr-defined]
    if removed:
        audit.record(session, actor=actor.audit_name, action="calendar.unset", entity_type="calendar_day",
                     entity_id=day.isoformat())
    return removed


def list_days(session: Session, year: int | None = None) -> list[DayInfo]:
    q = select(CalendarDay).order_by(CalendarDay.day, CalendarDay.source)
    if year is not None:
        q = q.where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day < date(year + 1, 1, 1))
    merged: dict[date, DayInfo] = {}
    for r in sorted(session.scalars(q), key=lambda r: (r.day, r.source != "seed")):
        merged[r.day] = DayInfo(r.day, r.kind, r.name, r.source)
    return list(merged.values())
