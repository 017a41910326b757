"""Dossier indicators against a hand computation: late by working time across a holiday, early,
on time, still open and late, digitization, signed results, reuse, online, scoping by role."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from desktop.audit import AuditLog
from desktop.config import load_settings
from desktop.db.models import DigitizedFile, Dossier, DossierStatus, Procedure, ProcedureComponent
from desktop.dossiers import DossierService
from desktop.kernel.timeutil import VN_TZ
from desktop.reports.dossiers import dossier_report, drill_dossiers, late_list
from desktop.reports.period import Period, month_period
from desktop.workdays import WorkCalendar
from tests.reports.conftest import ADMIN, World

DEC = month_period(2025, 12)
#: New Year's Day 2026 is a public holiday (Thursday)
CAL = WorkCalendar.from_days(holidays=[date(2026, 1, 1)])
AS_OF = datetime(2026, 1, 5, 9, 0, tzinfo=VN_TZ)


def vn(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN_TZ)


def _build(w: World, tmp_path: Path) -> DossierService:
    with w.db.session() as s:
        s.add(Procedure(code="1.000001", name="Chứng thực bản sao", search_key="chung thuc ban sao", days=1,
                        components=[ProcedureComponent(position=1, code="TP1", name="Bản chính"),
                                    ProcedureComponent(position=2, code="TP2", name="Bản sao"),
                                    ProcedureComponent(position=3, code="TP3", name="Tờ khai", must_digitize=False)]))
    settings = load_settings(tmp_path / "ws", unit_code="000.00.06.H56")
    svc = DossierService(w.db, AuditLog(), CAL, settings)
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% test\n")

    def receive(who: object, code: str, when: datetime, channel: int = 1) -> str:
        return svc.receive(who, procedure_code="1.000001", applicant_name="Trần Thị B", received_at=when,  # type: ignore[arg-type]
                           code=code, channel=channel).code

    def close(who: object, code: str, when: datetime, status: DossierStatus = DossierStatus.DONE) -> None:
        w.clock.now = when.astimezone(UTC)
        svc.set_status(who, code, status)  # type: ignore[arg-type]

    lan, minh = w.lan, w.minh
    # D1: Wed 31/12 15:00 + 8 working hours, Thu 1/1 a holiday → due Fri 2/1 15:00; done 16:00: 1 h late
    receive(lan, "D1", vn(2025, 12, 31, 15))
    close(lan, "D1", vn(2026, 1, 2, 16))
    svc.attach_file(lan, "D1", pdf, component="TP1")
    svc.attach_file(lan, "D1", pdf, component="TP3")  # not to be digitized: not counted in the rate
    # D2: Mon 29/12 08:00 → due Tue 30/12 08:00; done Mon 16:00: early; both components, signed result
    receive(lan, "D2", vn(2025, 12, 29, 8))
    close(lan, "D2", vn(2025, 12, 29, 16))
    svc.attach_file(lan, "D2", pdf, component="TP1")
    svc.attach_file(lan, "D2", pdf, component="TP2")
    signed = svc.attach_file(lan, "D2", pdf, kind="result")
    with w.db.session() as s:  # as the signing path records it (the report reads the state only)
        s.execute(update(DigitizedFile).where(DigitizedFile.id == signed.id).values(signature_state="verified"))
    # D3 (online): Mon 29/12 14:00 → due Tue 30/12 14:00; done Tue 10:00: on time; unsigned result
    receive(lan, "D3", vn(2025, 12, 29, 14), channel=2)
    close(lan, "D3", vn(2025, 12, 30, 10))
    svc.attach_file(lan, "D3", pdf, kind="result")
    # D6: refused → ended, neither on time nor late
    receive(lan, "D6", vn(2025, 12, 29, 9))
    close(lan, "D6", vn(2025, 12, 29, 9, 30), DossierStatus.NOT_RECEIVED)
    # D4 (minh): Tue 30/12 09:00 → due Wed 31/12 09:00, still open on 5/1: late
    receive(minh, "D4", vn(2025, 12, 30, 9))
    # D5 (minh): due Fri 2/1 10:00, but waiting for the citizen's supplement since Wed 11:00:
    # the clock stands still, so it is not late on 5/1
    receive(minh, "D5", vn(2025, 12, 31, 10))
    close(minh, "D5", vn(2025, 12, 31, 11), DossierStatus.SUPPLEMENT_REQUESTED)
    # D7: November, outside the period
    receive(lan, "D7", vn(2025, 11, 28, 9))
    with w.db.session() as s:
        s.execute(update(DigitizedFile).where(DigitizedFile.id == 4).values(reusable=False))  # D2's TP2
        s.execute(update(Dossier).where(Dossier.code.in_(["D4", "D5"])).values(unit_id=w.units["B"]))
    return svc


def test_due_dates_are_working_time_across_the_holiday(world: World, tmp_path: Path) -> None:
    _build(world, tmp_path)
    with world.db.session() as s:
        due = {c: d for c, d in s.execute(select(Dossier.code, Dossier.due_at))}
    assert due["D1"] == vn(2026, 1, 2, 15)  # not Thu 1/1 15:00: the holiday is skipped
    assert due["D2"] == vn(2025, 12, 30, 8) and due["D3"] == vn(2025, 12, 30, 14) and due["D5"] == vn(2026, 1, 2, 10)


def test_figures_per_officer(world: World, tmp_path: Path) -> None:
    _build(world, tmp_path)
    r = dossier_report(world.db, ADMIN, DEC, "officer", as_of=AS_OF)
    rows = {x.key: x for x in r.rows}
    lan, minh = rows["lan"], rows["minh"]
    assert (lan.received, lan.closed, lan.early, lan.on_time, lan.late, lan.ended, lan.open) == (4, 3, 1, 1, 1, 1, 0)
    assert lan.late_share == round(1 / 3, 4)  # the refused one is not in the denominator
    assert (lan.components_to_digitize, lan.components_digitized) == (8, 3)  # 2 per dossier; D1 1, D2 2
    assert lan.component_digitization_share == 0.375
    assert (lan.results_digitized, lan.results_signed) == (2, 1)
    assert lan.result_digitization_share == round(2 / 3, 4) and lan.signed_result_share == round(1 / 3, 4)
    # reusable is "may be reused"; the indicator counts components actually reused (tests/store)
    assert (lan.files, lan.files_reusable, lan.files_reused, lan.reuse_share) == (4, 3, 0, 0.0)
    assert (lan.online, lan.online_share) == (1, 0.25)
    assert (minh.received, minh.open, minh.open_late, minh.late, minh.closed) == (2, 2, 1, 1, 0)
    t = r.total
    assert (t.received, t.late, t.open) == (6, 2, 2) and t.late_share == 0.4
    assert r.targets["wait_avg_s"]["target"] == 900


def test_late_list_with_officers_and_working_hours_late(world: World, tmp_path: Path) -> None:
    _build(world, tmp_path)
    late = late_list(world.db, ADMIN, DEC, as_of=AS_OF, calendar=CAL)
    assert [(x.code, x.officer, x.officer_name) for x in late] == [("D4", "minh", "Trần Văn Minh"),
                                                                   ("D1", "lan", "Nguyễn Thị Lan")]
    by = {x.code: x for x in late}
    assert by["D1"].late_working_hours == 1.0  # Fri 15:00 → 16:00
    # D4: due Wed 31/12 09:00, open at Mon 5/1 09:00: Wed 6 h, (Thu holiday), Fri 8 h, Mon 2 h
    assert by["D4"].late_working_hours == 16.0 and by["D4"].closed_at is None


def test_due_today_and_this_week(world: World, tmp_path: Path) -> None:
    _build(world, tmp_path)
    t = dossier_report(world.db, ADMIN, DEC, "total", as_of=vn(2025, 12, 31, 8)).total
    assert (t.due_today, t.due_this_week) == (1, 2)  # D4, due 09:00 that day; D5 due Fri 2/1
    assert [x.code for x in drill_dossiers(world.db, ADMIN, DEC, "total", "*", "due_today",
                                           as_of=vn(2025, 12, 31, 8), calendar=CAL)] == ["D4"]


def test_scope_by_role(world: World, tmp_path: Path) -> None:
    _build(world, tmp_path)
    sup_a = dossier_report(world.db, world.sup_a, DEC, "officer", as_of=AS_OF)
    assert [x.key for x in sup_a.rows] == ["lan"] and sup_a.total.received == 4  # unit A's dossiers only
    own = dossier_report(world.db, world.minh, DEC, "officer", as_of=AS_OF)
    assert [x.key for x in own.rows] == ["minh"] and own.total.late == 1
    top = dossier_report(world.db, world.sup_top, DEC, "unit", as_of=AS_OF)
    assert {x.key: x.received for x in top.rows} == {"000.00.06.H56": 4, "000.00.07.H56": 2}
    assert [x.code for x in late_list(world.db, world.lan, DEC, as_of=AS_OF, calendar=CAL)] == ["D1"]


def test_empty_period(world: World, tmp_path: Path) -> None:
    _build(world, tmp_path)
    r = dossier_report(world.db, ADMIN, Period(date(2024, 1, 1), date(2024, 1, 31)), "officer", as_of=AS_OF)
    assert r.rows == [] and r.total.received == 0 and r.total.late_share is None
    assert late_list(world.db, ADMIN, Period(date(2024, 1, 1), date(2024, 1, 31)), as_of=AS_OF, calendar=CAL) == []


@pytest.mark.parametrize("by", ["procedure", ""])
def test_unknown_grouping_is_a_clear_message(world: World, by: str) -> None:
    from desktop.kernel.errors import InvalidInput

    with pytest.raises(InvalidInput, match="Không nhóm được"):
        dossier_report(world.db, ADMIN, DEC, by)


def test_online_payment_share_counts_dossiers_with_a_fee(world: World, tmp_path: Path) -> None:
    """Decision 766: dossiers whose fee was paid online over every dossier with a fee to pay
    (paid or not yet); a fee of 0 đồng is no financial obligation."""
    from desktop.lifecycle.models import Fee, FeeState

    _build(world, tmp_path)
    with world.db.session() as s:  # as LifecycleService.pay_fees records them (the report reads the rows)
        ids = {c: i for c, i in s.execute(select(Dossier.code, Dossier.id))}
        paid = FeeState.PAID.value
        s.add_all([Fee(dossier_id=ids["D1"], name="Lệ phí", amount=10_000, state=paid, method="online"),
                   Fee(dossier_id=ids["D1"], name="Phí", amount=5_000, state=paid, method="online"),
                   Fee(dossier_id=ids["D2"], name="Lệ phí", amount=10_000, state=paid, method="cash"),
                   Fee(dossier_id=ids["D3"], name="Miễn phí", amount=0, state=paid, method="online"),
                   Fee(dossier_id=ids["D4"], name="Lệ phí", amount=20_000)])  # waiting: counted, not paid
    r = dossier_report(world.db, ADMIN, DEC, "officer", as_of=AS_OF)
    rows = {x.key: x for x in r.rows}
    assert (rows["lan"].with_fee, rows["lan"].paid_online, rows["lan"].online_payment_share) == (2, 1, 0.5)
    assert (rows["minh"].with_fee, rows["minh"].paid_online, rows["minh"].online_payment_share) == (1, 0, 0.0)
    assert (r.total.with_fee, r.total.paid_online) == (3, 1) and r.total.online_payment_share == round(1 / 3, 4)
    codes = [ln.code for ln in drill_dossiers(world.db, ADMIN, DEC, "officer", "lan", "paid_online", as_of=AS_OF)]
    assert codes == ["D1"]


def test_no_fee_no_online_payment_share(world: World, tmp_path: Path) -> None:
    _build(world, tmp_path)
    assert dossier_report(world.db, ADMIN, DEC, "total", as_of=AS_OF).total.online_payment_share is None
