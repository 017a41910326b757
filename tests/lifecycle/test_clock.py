"""The legal clock: a supplement pauses it, resumption continues the remaining working time
(Decree 61/2018 art. 19), across weekends and holidays; an extension moves the due date but
not lateness; every change keeps the previous due date."""

from __future__ import annotations

from pathlib import Path

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import DossierStatus
from desktop.kernel.timeutil import to_vn
from desktop.lifecycle.service import is_late
from desktop.reports.dossiers import dossier_report
from desktop.reports.period import parse_month
from desktop.workdays import WorkCalendar
from tests.lifecycle.conftest import ADMIN, SealDouble, make_pdf, receive, vn


def _due(ctx: AppContext, code: str) -> str:
    d = ctx.dossiers.get(code)
    return to_vn(d.due_at).strftime("%Y-%m-%d %H:%M") if d.due_at else "-"


def test_worked_example_remaining_22_hours_continue_from_the_return(ctx: AppContext) -> None:
    # received Monday 08:00 with 5 working days; supplement requested Wednesday 10:00
    code = receive(ctx, at="2026-11-02 08:00")
    assert _due(ctx, code) == "2026-11-09 08:00"
    ctx.lifecycle.process(ADMIN, code, at=vn("2026-11-02 08:30"))
    out = ctx.lifecycle.supplement(ADMIN, code, "Thiếu bản sao giấy tờ", ["BS"], at=vn("2026-11-04 10:00"))
    # used: Mon 7 h + Tue 8 h + Wed 3 h = 18 h of 40; 22 h remain
    assert out.extra["remaining_minutes"] == 22 * 60
    assert out.due_at is None and _due(ctx, code) == "-"  # no due date while paused
    # the complete dossier is back the next Monday 14:00: Mon 3 h, Tue 8, Wed 8, Thu 3 → Thursday 10:00
    back = ctx.lifecycle.resume(ADMIN, code, at=vn("2026-11-09 14:00"))
    assert _due(ctx, code) == "2026-11-12 10:00" == to_vn(back.due_at).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
    rec = ctx.lifecycle.record(code)
    assert rec["legal_due_at"].startswith("2026-11-12T10:00")
    sup = rec["supplement_history"]
    assert len(sup) == 1 and sup[0]["previous_due"].startswith("2026-11-09T08:00")
    assert sup[0]["new_due"].startswith("2026-11-12T10:00") and sup[0]["components"] == ["BS"]
    assert [(c["kind"], (c["previous_due"] or "")[:16], (c["new_due"] or "")[:16]) for c in rec["due_changes"]] == [
        ("receive", "", "2026-11-09T08:00"), ("supplement", "2026-11-09T08:00", ""),
        ("resume", "", "2026-11-12T10:00")]


def test_the_same_example_across_a_public_holiday(ctx: AppContext) -> None:
    # 24/11/2026 (Tuesday) is Vietnam Culture Day: the remaining 22 h skip it → Friday 10:00
    code = receive(ctx, at="2026-11-16 08:00")
    ctx.lifecycle.process(ADMIN, code, at=vn("2026-11-16 08:30"))
    ctx.lifecycle.supplement(ADMIN, code, "Thiếu tờ khai", ["TK"], at=vn("2026-11-18 10:00"))
    ctx.lifecycle.resume(ADMIN, code, at=vn("2026-11-23 14:00"))
    assert _due(ctx, code) == "2026-11-27 10:00"


def test_resumed_on_a_weekend_before_tet_continues_after_the_holiday(ctx: AppContext) -> None:
    # received Thursday 12/02/2026 08:00; paused Friday 16:00 after 14 h; back Saturday 14/02
    # 09:00: the clock restarts on the next working morning, Monday 23/02 after Tết → 26 h → Thu 09:00
    code = receive(ctx, at="2026-02-12 08:00")
    ctx.lifecycle.process(ADMIN, code, at=vn("2026-02-12 08:00"))
    out = ctx.lifecycle.supplement(ADMIN, code, "Thiếu", ["TK"], at=vn("2026-02-13 16:00"))
    assert out.extra["remaining_minutes"] == 26 * 60
    ctx.lifecycle.resume(ADMIN, code, at=vn("2026-02-14 09:00"))
    assert _due(ctx, code) == "2026-02-26 09:00"


def test_a_pause_requested_when_already_late_stays_late_by_as_much() -> None:
    cal = WorkCalendar()
    due = vn("2026-11-09 08:00")
    late = cal.remaining_minutes(vn("2026-11-09 10:00"), due)
    assert late == -120
    # resumed Wednesday 14:00: the due date is 2 working hours before: 13:30–14:00, then 10:00–11:30
    assert cal.continue_clock(vn("2026-11-11 14:00"), late) == vn("2026-11-11 10:00")
    # resumed after hours (18:00) counts from the next working morning: 1 h before it is 16:00 the day before
    assert cal.continue_clock(vn("2026-11-11 18:00"), -60) == vn("2026-11-11 16:00")


def test_extension_moves_the_due_date_but_lateness_stays_judged_against_the_legal_one(
        ctx: AppContext, tmp_path: Path) -> None:
    code = receive(ctx, at="2026-11-02 08:00")
    ctx.lifecycle.process(ADMIN, code, at=vn("2026-11-02 08:30"))
    out = ctx.lifecycle.extend(ADMIN, code, "Cần xác minh với cơ quan khác", vn("2026-11-13 17:00"),
                               at=vn("2026-11-06 10:00"))
    assert out.form == "04" and to_vn(out.extra["previous_due"]) == vn("2026-11-09 08:00")
    assert _due(ctx, code) == "2026-11-13 17:00"
    ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), SealDouble(), at=vn("2026-11-12 09:00"))
    rec = ctx.lifecycle.record(code)
    assert rec["legal_due_at"].startswith("2026-11-09T08:00") and rec["due_at"].startswith("2026-11-13T17:00")
    ext = [c for c in rec["due_changes"] if c["kind"] == "extend"]
    assert ext[0]["previous_due"].startswith("2026-11-09T08:00") and ext[0]["reason"].startswith("Cần xác minh")
    late = ctx.lifecycle.listing(late=True, now=vn("2026-11-12 10:00"))
    assert [r.code for r in late] == [code], "done after the legal due date: late, extension or not"
    with ctx.db.session() as s:
        from desktop.db.models import Dossier

        assert is_late(s.query(Dossier).filter_by(code=code).one(), vn("2026-11-12 10:00"))
    report = dossier_report(ctx.db, ADMIN, parse_month("2026-11"))  # late against the original due date
    assert sum(r.late for r in report.rows) == 1


def test_a_dossier_done_in_time_after_a_pause_is_not_late(ctx: AppContext, tmp_path: Path) -> None:
    code = receive(ctx, at="2026-11-02 08:00")
    ctx.lifecycle.process(ADMIN, code, at=vn("2026-11-02 08:30"))
    ctx.lifecycle.supplement(ADMIN, code, "Thiếu", ["BS"], at=vn("2026-11-04 10:00"))
    ctx.lifecycle.resume(ADMIN, code, at=vn("2026-11-09 14:00"))
    # 11/11 is after the original due date (09/11 08:00) but before the one the pause earned
    ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), SealDouble(), at=vn("2026-11-11 09:00"))
    assert ctx.lifecycle.listing(late=True, now=vn("2026-11-20 08:00")) == []
    assert ctx.lifecycle.history(code)[-1].status == DossierStatus.DONE


def test_control_sheet_steps_early_on_time_late(ctx: AppContext) -> None:
    officer = Actor.cli()
    code = receive(ctx, at="2026-11-02 08:00")
    lc = ctx.lifecycle
    # 4 working hours for the department from Monday 09:00 → 15:00; handed on at 10:00: early
    lc.process(officer, code, receiver="Lê Văn Tư", department="Phòng Tư pháp", allotted_hours=4,
               at=vn("2026-11-02 09:00"))
    assert lc.handoff(officer, code, receiver="Chủ tịch UBND", department="Lãnh đạo UBND", allotted_hours=2,
                      at=vn("2026-11-02 10:00")).extra["outcome"] == "early"
    # 2 h from 10:00 → 14:00 (1 h 30 before lunch, 30 min after); handed back at 14:15: late
    assert lc.handoff(officer, code, receiver="Lê Văn Tư", department="Phòng Tư pháp", allotted_hours=1,
                      at=vn("2026-11-02 14:15")).extra["outcome"] == "late"
    # 1 h from 14:15 → 15:15; at 15:00 it is on time (less than an hour to spare)
    assert lc.handoff(officer, code, receiver="Bộ phận Một cửa", department="Phòng Tư pháp",
                      at=vn("2026-11-02 15:00")).extra["outcome"] == "on_time"
    log = lc.record(code)["process_log"]
    assert [(h["department"], h["outcome"]) for h in log] == [
        ("Phòng Tư pháp", ""), ("Lãnh đạo UBND", "early"), ("Phòng Tư pháp", "late"), ("Phòng Tư pháp", "on_time")]
    assert log[0]["due"].startswith("2026-11-02T15:00")
    # what the hand-off dialog offers: each department once, the latest first
    assert lc.departments() == ["Phòng Tư pháp", "Lãnh đạo UBND"]


def test_a_step_s_time_out_of_range_is_refused_and_nothing_is_recorded(ctx: AppContext) -> None:
    import pytest

    from desktop.kernel.errors import InvalidInput

    officer = Actor.cli()
    code = receive(ctx, at="2026-11-02 08:00")
    lc = ctx.lifecycle
    for hours in (0, -4, 1e9):
        with pytest.raises(InvalidInput, match="giờ làm việc"):
            lc.process(officer, code, receiver="Lê Văn Tư", department="Phòng Tư pháp", allotted_hours=hours,
                       at=vn("2026-11-02 09:00"))
    assert lc.record(code)["process_log"] == [] and ctx.dossiers.get(code).status == DossierStatus.RECEIVED
