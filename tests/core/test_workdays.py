"""Working-time arithmetic with worked examples around weekends, lunch, Tết and swaps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.kernel.errors import InvalidInput
from desktop.kernel.timeutil import VN_TZ
from desktop.workdays import WorkCalendar, parse_local_datetime, seed_rows

SEEDED = WorkCalendar({r.day: r.kind for r in seed_rows()})


def at(text: str) -> datetime:
    return parse_local_datetime(text)


def fmt(d: datetime | None) -> str:
    assert d is not None
    return d.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("received", "days", "due"), [
    ("2023-10-27 09:32", 5, "2023-11-03 09:32"),  # the worked example: Friday, over a weekend
    ("2025-11-24 07:00", 1, "2025-11-24 17:00"),  # a whole day ends at 17:00 that day, not next morning
    ("2025-11-24 12:15", 0.5, "2025-11-25 07:30"),  # lunch: counts from 13:30; 4 h = 13:30-17:00 + 30 min
    ("2025-11-24 18:40", 1, "2025-11-25 17:00"),  # after hours: from the next working morning
    ("2025-11-22 10:00", 1, "2025-11-24 17:00"),  # Saturday: from Monday morning
    ("2025-11-24 11:00", 0.0625, "2025-11-24 11:30"),  # 30 min: lands on the end of the morning period
])
def test_worked_examples(received: str, days: float, due: str) -> None:
    assert fmt(WorkCalendar().due(at(received), days)) == due


def test_tet_2026_is_skipped() -> None:
    # Friday 13/02/2026 16:00 + 1 day: Tết holiday 16–20/02 and the weekends are skipped
    assert fmt(SEEDED.due(at("2026-02-13 16:00"), 1)) == "2026-02-23 16:00"


def test_hung_kings_day_in_lieu_and_culture_day_2026() -> None:
    # 26/04/2026 falls on a Sunday: Monday 27/04 is the day off in lieu; 30/4 and 1/5 too
    assert not SEEDED.is_working_day(date(2026, 4, 27))
    assert fmt(SEEDED.due(at("2026-04-24 09:00"), 2)) == "2026-04-29 09:00"
    assert not SEEDED.is_working_day(date(2026, 11, 24))  # Vietnam Culture Day from 2026


def test_swapped_working_saturday_2025() -> None:
    # 2/5/2025 (Fri) was a day off swapped with Saturday 26/4/2025, which was worked
    assert SEEDED.is_working_day(date(2025, 4, 26)) and not SEEDED.is_working_day(date(2025, 5, 2))
    assert fmt(SEEDED.due(at("2025-04-25 16:00"), 0.25)) == "2025-04-26 08:00"


def test_local_override_wins(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.audit import AuditLog
    from desktop.auth import Actor
    from desktop.db import Database
    from desktop.db.models import CalendarDay
    from desktop.workdays import seed_calendar, set_local_day, unset_local_day

    admin, audit = Actor.cli(), AuditLog()

    db = Database(f"sqlite:///{tmp_path / 'c.db'}")
    db.migrate()
    with db.session() as s:
        assert seed_calendar(s) > 20
        assert seed_calendar(s) == 0  # idempotent
        s.add(CalendarDay(day=date(2025, 12, 1), kind="holiday", name="Nghỉ địa phương", source="local"))
        set_local_day(s, date(2026, 2, 16), "working", "Trực Tết", actor=admin, audit=audit)
    cal = WorkCalendar.from_database(db)
    assert not cal.is_working_day(date(2025, 12, 1))
    assert cal.is_working_day(date(2026, 2, 16))
    with db.session() as s:
        assert unset_local_day(s, date(2026, 2, 16), actor=admin, audit=audit)
    assert not WorkCalendar.from_database(db).is_working_day(date(2026, 2, 16))
    db.dispose()


def test_pauses_shift_the_due_date_and_an_open_pause_has_none() -> None:
    cal = WorkCalendar()
    received = at("2025-11-24 08:00")
    base = cal.due(received, 3)
    paused = cal.due(received, 3, pauses=[(at("2025-11-24 14:00"), at("2025-11-26 14:00"))])
    assert cal.working_minutes_between(base, paused) == 2 * 480  # type: ignore[arg-type]
    assert cal.due(received, 3, pauses=[(at("2025-11-25 09:00"), None)]) is None


def test_bad_input() -> None:
    with pytest.raises(InvalidInput, match="YYYY-MM-DD HH:MM"):
        parse_local_datetime("27/10/2023 9h32")
    with pytest.raises(InvalidInput):
        WorkCalendar().due(at("2025-11-24 08:00"), -1)


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 30)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=VN_TZ))


@settings(max_examples=150, deadline=None)
@given(received=moments, d1=st.integers(0, 40), d2=st.integers(0, 40), half=st.booleans())
def test_due_is_monotonic_and_exact(received: datetime, d1: int, d2: int, half: bool) -> None:
    days1, days2 = d1 + (0.5 if half else 0), d2
    due1, due2 = SEEDED.due(received, days1), SEEDED.due(received, days2)
    assert due1 is not None and due2 is not None
    if days1 <= days2:
        assert due1 <= due2
    start = SEEDED.add_working_minutes(received, 0)
    assert SEEDED.working_minutes_between(start, due1) == pytest.approx(days1 * 480)
    assert due1 - received >= timedelta(0)


def test_long_spans_count_the_same_as_walking_every_period() -> None:
    """The counted path for long spans (the dossier list's "time left" of a dossier late by
    months) agrees with walking the working periods one by one, holidays and swaps included."""
    import random
    from datetime import datetime, timedelta

    from desktop.kernel.timeutil import VN_TZ
    from desktop.workdays import DAY_MINUTES, PERIODS, WorkCalendar, seed_rows

    cal = WorkCalendar({r.day: r.kind for r in seed_rows()})
    assert sum((datetime.combine(date.min, b) - datetime.combine(date.min, a)).seconds // 60
                              for a, b in PERIODS) == DAY_MINUTES

    def walked(a: datetime, b: datetime) -> float:
        total = timedelta(0)
        for pa, pb in cal._iter_periods(a):
            if pa >= b:
                break
            total += min(pb, b) - pa
        return total.total_seconds() / 60

    rng = random.Random(11)
    start = datetime(2025, 1, 1, tzinfo=VN_TZ)
    for _ in range(300):
        a = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 900))
        b = a + timedelta(minutes=rng.randrange(0, 60 * 24 * rng.choice((1, 3, 40, 400))))
        assert cal.working_minutes_between(a, b) == walked(a, b), (a, b)
        # past due is late, by at least a second when no working time has passed since
        assert cal.remaining_minutes(b, a) == (-max(walked(a, b), 1 / 60) if b > a else 0.0)


def test_past_the_due_time_is_late_even_when_no_working_time_has_passed() -> None:
    """Seen on the dossier list at 01:56: a dossier due at 17:00 the day before read "0 min"
    left, not late (no working minute between 17:00 and the night), and was not coloured."""
    from datetime import datetime

    from desktop.kernel.timeutil import VN_TZ
    from desktop.workdays import WorkCalendar

    cal = WorkCalendar()
    due = datetime(2026, 12, 4, 17, 0, tzinfo=VN_TZ)  # a Friday
    assert cal.remaining_minutes(datetime(2026, 12, 5, 1, 56, tzinfo=VN_TZ), due) < 0
    assert cal.remaining_minutes(datetime(2026, 12, 4, 17, 0, tzinfo=VN_TZ), due) == 0  # exactly due: not late
    assert cal.remaining_minutes(datetime(2026, 12, 7, 8, 0, tzinfo=VN_TZ), due) < 0  # Monday morning


def test_a_seeded_calendar_is_not_computed_again_but_a_missing_year_is(
        tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every start seeds; once the years and the shipped adjustments are in, the holidays
    library is not asked again (it cost 0.3-2 s of every command), and a year that goes
    missing (a release seeding a new year) is still filled in."""
    import holidays
    from sqlalchemy import delete, func, select

    from desktop import workdays
    from desktop.db import Database
    from desktop.db.models import CalendarDay
    from desktop.workdays import adjustment_rows, seed_calendar

    db = Database(f"sqlite:///{tmp_path / 'c.db'}")
    db.migrate()
    with db.session() as s:
        assert seed_calendar(s) > 20
    real = holidays.country_holidays
    asked: list[object] = []

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    with db.session() as s:
        assert seed_calendar(s) == 0
    assert asked == []
    with db.session() as s:
        s.execute(delete(CalendarDay).where(CalendarDay.day >= date(2027, 1, 1), CalendarDay.day < date(2028, 1, 1)))
    with db.session() as s:
        assert seed_calendar(s) > 5
        assert s.scalar(select(func.count()).select_from(CalendarDay).where(CalendarDay.day >= date(2027, 1, 1))) > 5
    assert asked
    # a release that ships a government notice: its day goes in at the next start
    notice = tmp_path / "vn_adjustments.json"
    notice.write_text('{"days": [{"day": "2026-11-20", "kind": "off", "name": "Nghỉ theo thông báo"}]}', encoding="utf-8")
    monkeypatch.setattr(workdays, "ADJUSTMENTS", notice)
    assert [a.day for a in adjustment_rows()] == [date(2026, 11, 20)]
    with db.session() as s:
        assert seed_calendar(s) == 1
        assert seed_calendar(s) == 0
    db.dispose()
