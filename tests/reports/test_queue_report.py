"""Queue figures against a hand computation: percentiles, buckets, shares, no-shows, scoping."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import select, update

from desktop.kernel.errors import InvalidInput, PermissionDenied
from desktop.queue.models import Ticket, TicketEvent
from desktop.reports.period import Period
from desktop.reports.queue import drill_tickets, heatmap, queue_report, session_report
from tests.reports.conftest import ADMIN, T0, World, play_day

DAY = Period(date(2026, 12, 2), date(2026, 12, 2))
WAITS = [120, 420, 600, 660, 1080, 3240]  # A001, B002, B001 (transferred), A002, A004, A005 (recalled)
SERVICES = [120, 120, 420, 420, 480, 1980]  # B001, A005, A001, B002, A002, A004


def _p(values: list[int], q: float) -> int:
    return int(float(np.percentile(values, q)) + 0.5)


def test_hand_computed_numbers_match_numpy() -> None:
    # the hand computation, written out: n=6, h=(n-1)p
    assert _p(WAITS, 50) == 630  # h=2.5: 600 + .5·(660−600)
    assert _p(WAITS, 90) == 2160  # h=4.5: 1080 + .5·(3240−1080)
    assert _p([120, 600, 660, 1080, 3240], 90) == 2376  # n=5, h=3.6: 1080 + .6·2160
    assert _p(SERVICES, 50) == 420 and _p(SERVICES, 90) == 1230  # h=4.5: 480 + .5·(1980−480)


def test_totals_percentiles_buckets_and_shares(world: World) -> None:
    play_day(world)
    r = queue_report(world.db, ADMIN, DAY, "service", now=world.clock.now)
    t = r.total
    assert (t.arrived, t.served, t.no_show, t.transferred, t.excluded) == (8, 6, 1, 1, 0)
    assert (t.wait_avg_s, t.wait_p50_s, t.wait_p90_s, t.wait_max_s) == (1020, 630, 2160, 3240)
    assert t.wait_over_15min_share == round(2 / 6, 4)  # 1080 and 3240 of six
    assert t.wait_buckets == [1, 0, 1, 2, 0, 0, 2]  # 120 | 420 in [360,540) | 600, 660 in [540,720) | ≥ 1080
    assert (t.service_avg_s, t.service_p50_s, t.service_p90_s, t.service_max_s) == (590, 420, 1230, 1980)
    assert t.service_over_30min_share == round(1 / 6, 4)
    rows = {x.key: x for x in r.rows}
    assert set(rows) == {"TP", "DD", "KD"}
    tp = rows["TP"]  # B001 counts in TP, the service it was served in, and as transferred
    assert (tp.arrived, tp.served, tp.no_show, tp.transferred) == (6, 5, 1, 1)
    assert (tp.wait_p50_s, tp.wait_p90_s) == (660, _p([120, 600, 660, 1080, 3240], 90)) == (660, 2376)
    assert (tp.service_p50_s, tp.service_p90_s) == (420, 1380)  # B001's start at counter 3 does not count
    assert (rows["DD"].arrived, rows["DD"].served, rows["DD"].wait_avg_s, rows["DD"].service_avg_s) == (1, 1, 420, 420)
    assert (rows["KD"].arrived, rows["KD"].served, rows["KD"].wait_avg_s) == (1, 0, None)


def test_by_counter_officer_hour_and_open_time(world: World) -> None:
    play_day(world)
    by_counter = {x.key: x for x in queue_report(world.db, ADMIN, DAY, "counter", now=world.clock.now).rows}
    assert by_counter["1"].served == 5 and by_counter["1"].no_show == 1
    assert by_counter["1"].open_s == 81 * 60 and by_counter["1"].served_per_open_hour == round(5 / (81 / 60), 2)
    assert by_counter["-"].arrived == 1  # C001, never called
    by_officer = {x.key: x for x in queue_report(world.db, ADMIN, DAY, "officer", now=world.clock.now).rows}
    assert by_officer["lan"].served == 5 and by_officer["minh"].served == 1
    by_hour = queue_report(world.db, ADMIN, DAY, "hour", now=world.clock.now).rows
    assert [(x.key, x.arrived) for x in by_hour] == [("08", 8)]
    by_week = queue_report(world.db, ADMIN, DAY, "week", now=world.clock.now).rows
    assert [x.key for x in by_week] == ["2026-11-30"]  # the Monday


def test_counter_sessions_open_paused_busy_idle(world: World) -> None:
    play_day(world)
    rows = {r.counter: r for r in session_report(world.db, ADMIN, DAY, now=world.clock.now)}
    one = rows[1]
    # opened at −1, closed at 80; paused 63:30–70; busy: 8+10+1+34+1+2+2 minutes
    assert (one.open_s, one.paused_s, one.busy_s) == (81 * 60, 390, 56 * 60)
    assert one.idle_s == 81 * 60 - 390 - 56 * 60 and one.served == 5 and one.officer == "lan"
    assert rows[3].busy_s == (2 + 7) * 60 and rows[3].served == 1  # still open: measured to "now"


def test_drill_down_gives_the_tickets_behind_a_figure(world: World) -> None:
    play_day(world)
    over = drill_tickets(world.db, ADMIN, DAY, "service", "TP", "wait_over_15min")
    assert [x.number for x in over] == ["A004", "A005"]
    assert [x.wait_s for x in over] == [1080, 3240]
    assert [x.number for x in drill_tickets(world.db, ADMIN, DAY, "service", "TP", "no_show")] == ["A003"]
    assert [x.number for x in drill_tickets(world.db, ADMIN, DAY, "total", "*", "bucket_6")] == ["A004", "A005"]
    with pytest.raises(InvalidInput, match="chi tiết"):
        drill_tickets(world.db, ADMIN, DAY, "service", "TP", "everything")


def test_heatmap_weekday_by_hour(world: World) -> None:
    play_day(world)
    h = heatmap(world.db, ADMIN, DAY)
    assert h.arrivals[2][8] == 8 and sum(map(sum, h.arrivals)) == 8  # Wednesday, 08:00–09:00
    assert h.wait_avg_s[2][8] == 1020


def test_scope_by_role(world: World) -> None:
    play_day(world)
    sup_a = queue_report(world.db, world.sup_a, DAY, "officer", now=world.clock.now)
    assert [x.key for x in sup_a.rows] == ["lan"] and sup_a.total.arrived == 6  # lan's visits, not C001
    own = queue_report(world.db, world.minh, DAY, "service", now=world.clock.now)
    assert [(x.key, x.served) for x in own.rows] == [("DD", 1)] and own.total.arrived == 1
    top = queue_report(world.db, world.sup_top, DAY, "service", now=world.clock.now)
    assert top.total.arrived == 8  # the centre's supervisor also sees the tickets nobody called
    assert drill_tickets(world.db, world.minh, DAY, "total", "*")[0].officer == ""  # own figures: no names
    from desktop.auth import Actor
    from desktop.db.models import Role

    with pytest.raises(PermissionDenied, match="chưa được gán đơn vị"):
        queue_report(world.db, Actor("x", Role.SUPERVISOR, officer_id=99), DAY)


def test_out_of_order_events_are_left_out_of_time_figures(world: World) -> None:
    play_day(world)
    with world.db.session() as s:  # a clock change: A002's call recorded before its issue
        tid = s.scalar(select(Ticket.id).where(Ticket.number == "A002"))
        s.execute(update(TicketEvent).where(TicketEvent.ticket_id == tid, TicketEvent.kind == "call")
                  .values(at=T0 - timedelta(hours=1)))
    t = queue_report(world.db, ADMIN, DAY, "service", now=world.clock.now).total
    assert (t.arrived, t.served, t.excluded) == (8, 6, 1)
    rest = [120, 420, 600, 1080, 3240]
    assert (t.wait_avg_s, t.wait_p50_s, t.wait_p90_s) == (int(sum(rest) / 5 + 0.5), 600, _p(rest, 90)) == (1092, 600, 2376)
    assert [x.number for x in drill_tickets(world.db, ADMIN, DAY, "total", "*", "excluded")] == ["A002"]


def test_empty_period_is_an_empty_report(world: World) -> None:
    r = queue_report(world.db, ADMIN, Period(date(2020, 1, 1), date(2020, 1, 31)), "service")
    assert r.rows == [] and r.total.arrived == 0 and r.total.wait_p50_s is None
    assert r.total.wait_buckets == [0] * 7


def test_a_past_day_is_summarized_once_and_recomputed_after_a_late_event(world: World) -> None:
    from sqlalchemy import func

    from desktop.reports.models import ReportVisit, ReportVisitDay

    play_day(world)
    live = queue_report(world.db, ADMIN, DAY, "service", now=world.clock.now)
    tomorrow = T0 + timedelta(days=1)
    summed = queue_report(world.db, ADMIN, DAY, "service", now=tomorrow)
    assert summed.to_dict() == live.to_dict()  # the same figures from the summary as from the events
    with world.db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReportVisit)) == 8
        assert list(s.scalars(select(ReportVisitDay.day))) == ["20261202"]
    # the next morning someone calls C001, left waiting yesterday, and serves it: the day is recomputed
    world.clock.now = tomorrow
    world.desk.open_session(world.sup_top, 4)
    assert world.desk.call_next(world.sup_top, 4).number == "C001"  # type: ignore[union-attr]
    world.clock.now = tomorrow + timedelta(minutes=5)
    world.desk.end(world.sup_top, 4)
    again = queue_report(world.db, ADMIN, DAY, "service", now=tomorrow + timedelta(minutes=6)).total
    assert (again.arrived, again.served) == (8, 7)
    assert again.wait_max_s == 24 * 3600 - 300  # issued 08:05 yesterday, called 08:00 today
