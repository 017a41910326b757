"""Favourite procedures of a counter: the order reception lists the catalogue in (pure), and the
favourites kept per counter in the database, shared by its officers, audited, surviving a
procedure that left the catalogue."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from desktop.auth import Actor
from desktop.catalogue import ProcedureInfo
from desktop.context import AppContext
from desktop.db.models import AuditEvent, Procedure, Role
from desktop.kernel.errors import NotFound, PermissionDenied
from desktop.workflow.favourites import CounterPlace, order_procedures


def _p(code: str, name: str) -> ProcedureInfo:
    return ProcedureInfo(code, name, "", "", 1, [], "")


CATALOGUE = [_p("A", "Đăng ký khai sinh"), _p("B", "Chứng thực chữ ký"), _p("C", "Đăng ký kết hôn"),
             _p("D", "Cấp đổi giấy phép lái xe"), _p("E", "Ăn uống")]


def test_nothing_typed_favourites_alphabetical_then_recent_then_the_rest() -> None:
    rows = order_procedures(CATALOGUE, favourites={"C", "E", "GONE"}, recent=["D", "C", "OLD"], typed=False)
    # "Ăn" folds to "an": before "Đăng" ("dang"); C is recent too but listed once, as a favourite
    assert [r.code for r in rows] == ["E", "C", "D", "A", "B"]
    assert [(r.favourite, r.recent) for r in rows] == [(True, False), (True, True), (False, True),
                                                       (False, False), (False, False)]


def test_typed_search_keeps_its_order_and_favourites_break_the_ties() -> None:
    found = [CATALOGUE[0], CATALOGUE[2], CATALOGUE[1]]  # as the search returned them
    rows = order_procedures(found, favourites={"B"}, recent=["C"], typed=True)
    assert [r.code for r in rows] == ["B", "A", "C"]
    assert order_procedures(found, favourites=(), recent=(), typed=True)[0].code == "A"


def _officer(ctx: AppContext, username: str, role: Role = Role.COUNTER_OFFICER) -> Actor:
    return ctx.auth.create_officer(Actor.cli(), username=username, full_name=username.title(), role=role,
                                   password="mat-khau-dai-1")


def test_favourites_are_the_counter_s_shared_by_its_officers_and_audited(ctx: AppContext) -> None:
    lan, binh = _officer(ctx, "lan"), _officer(ctx, "binh")
    fav = ctx.favourites
    here = fav.place()
    assert here == CounterPlace(ctx.settings.unit_code, "1"), "no counter set: the first active one, as the panel"
    assert fav.add(lan, "1.004884") and fav.add(lan, "2.000884")
    assert not fav.add(binh, "1.004884"), "already a favourite of this counter"
    assert fav.codes() == ["1.004884", "2.000884"]
    listed = fav.listed(binh)  # another officer at the same counter sees them first
    assert [r.code for r in listed[:2]] == ["2.000884", "1.004884"]  # Chứng thực … before Đăng ký lại …
    assert all(r.favourite for r in listed[:2]) and not any(r.favourite for r in listed[2:])
    assert len(listed) == len(ctx.catalogue.all())

    ctx.settings.counter_number = "2"  # the workstation moved to counter 2: its own list
    assert fav.place().counter == "2" and fav.codes() == []
    assert fav.toggle(binh, "1.001193") and fav.codes() == ["1.001193"]
    ctx.settings.counter_number = "1"
    assert fav.toggle(binh, "2.000884") is False and fav.codes() == ["1.004884"]
    assert not fav.remove(binh, "2.000884")
    with ctx.db.session() as s:
        events = s.execute(select(AuditEvent.actor, AuditEvent.action, AuditEvent.entity_id, AuditEvent.data)
                           .where(AuditEvent.action.like("favourite.%")).order_by(AuditEvent.seq)).all()
    unit = ctx.settings.unit_code
    assert [(e.action, e.entity_id, e.data["procedure"]) for e in events] == [
        ("favourite.add", f"{unit}/1", "1.004884"), ("favourite.add", f"{unit}/1", "2.000884"),
        ("favourite.add", f"{unit}/2", "1.001193"), ("favourite.remove", f"{unit}/1", "2.000884")]
    assert events[-1].actor == binh.audit_name


def test_typed_search_ignores_diacritics_and_puts_favourites_first(ctx: AppContext) -> None:
    lan = _officer(ctx, "lan")
    plain = [r.code for r in ctx.favourites.listed(lan, "dang ky khai sinh")]
    assert plain[:2] == ["1.001193", "1.004884"]  # Đăng ký khai sinh, Đăng ký lại khai sinh: name order
    ctx.favourites.add(lan, "1.004884")
    rows = ctx.favourites.listed(lan, "DANG KY khai sinh")
    assert [r.code for r in rows] == ["1.004884", "1.001193"] and rows[0].favourite


def test_recent_procedures_follow_the_favourites(ctx: AppContext) -> None:
    lan = _officer(ctx, "lan")
    ctx.counter.receive(lan, procedure_code="1.000656", applicant_name="Phạm Thị Đào")
    ctx.counter.receive(lan, procedure_code="1.002755", applicant_name="Võ Minh")
    ctx.favourites.add(lan, "1.000656")
    rows = ctx.favourites.listed(lan)
    assert [(r.code, r.favourite, r.recent) for r in rows[:2]] == [("1.000656", True, True),
                                                                    ("1.002755", False, True)]


def test_a_procedure_that_left_the_catalogue_does_not_break_the_list(ctx: AppContext) -> None:
    lan = _officer(ctx, "lan")
    ctx.favourites.add(lan, "1.004884")
    ctx.favourites.add(lan, "1.001193")
    with ctx.db.session() as s:
        s.execute(update(Procedure).where(Procedure.code == "1.004884").values(active=False))
    rows = ctx.favourites.listed(lan)
    assert rows[0].code == "1.001193" and "1.004884" not in [r.code for r in rows]
    assert [r.code for r in ctx.favourites.listed(lan, "khai sinh")] == ["1.001193"]
    entries = ctx.favourites.entries()
    assert [(e.code, e.name is None) for e in entries] == [("1.001193", False), ("1.004884", True)]
    with pytest.raises(NotFound):
        ctx.favourites.add(lan, "1.004884")  # it cannot be added again while it is gone
    assert ctx.favourites.remove(lan, "1.004884") and ctx.favourites.codes() == ["1.001193"]
    with pytest.raises(NotFound):
        ctx.favourites.add(lan, "9.999999")


def test_only_who_receives_dossiers_marks_favourites(ctx: AppContext) -> None:
    boss = _officer(ctx, "sep", Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        ctx.favourites.add(boss, "1.001193")
    postal = _officer(ctx, "buudien", Role.POSTAL_AGENT)
    assert ctx.favourites.add(postal, "1.001193")


def test_a_workstation_without_a_queue_counter_keeps_the_unit_s_list(ctx: AppContext) -> None:
    from desktop.queue.models import Counter

    with ctx.db.session() as s:
        s.execute(update(Counter).values(active=False))
    assert ctx.favourites.place() == CounterPlace(ctx.settings.unit_code, "")
    lan = _officer(ctx, "lan")
    assert ctx.favourites.add(lan, "1.001193") and ctx.favourites.codes() == ["1.001193"]
