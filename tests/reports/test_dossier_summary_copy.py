"""The dossier columns the summary carries (migration 0017) follow the dossier, on both backends.

The report reads a period from ``report_dossier`` alone, so its copy of ``received_at``,
the officer, the unit, the channel, the status and the due dates must equal the dossier's
after every way a dossier is written: the service, an UPDATE of any of those columns, a
bulk load through SQL, a delete; and a write that changes none of them must leave the
summary row alone (on PostgreSQL: the copies and the ``gen`` bumps stay HOT updates). The
report's figures must then equal the full aggregate's (``Source.FULL``) for every grouping
and scope.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, select, text, update

from desktop.db.models import Dossier, DossierStatusChange
from desktop.dossiers import DossierService
from desktop.reports.dossiers import (
    COPIED_COLUMNS,
    FIGURES,
    GROUPINGS,
    Source,
    dossier_report,
    drill_dossiers,
    late_list,
)
from desktop.reports.period import Period
from tests.reports.conftest import ADMIN, World
from tests.reports.test_dossier_report import AS_OF, CAL, DEC, _build

YEAR = Period(date(2025, 1, 1), date(2026, 12, 31))


def _copies(w: World) -> tuple[dict[int, tuple[Any, ...]], dict[int, tuple[Any, ...]]]:
    """(dossier id → its columns) from ``dossier`` and from ``report_dossier``."""
    cols = ", ".join(COPIED_COLUMNS)
    with w.db.session() as s:
        dossiers = {r[0]: tuple(r[1:]) for r in s.execute(text(f"SELECT id, {cols} FROM dossier"))}
        summary = {r[0]: tuple(r[1:]) for r in s.execute(text(f"SELECT dossier_id, {cols} FROM report_dossier"))}
    return dossiers, summary


def _assert_copies_follow(w: World, step: str) -> None:
    """Every dossier's row carries its columns, and no row outlives its dossier (before migration
    0020, the cascade of a delete on PostgreSQL bumped the deleted dossier's row back into being)."""
    dossiers, summary = _copies(w)
    assert {i: summary.get(i) for i in dossiers} == dossiers, f"after {step}: the copies differ from the dossiers"
    left = {i: v for i, v in summary.items() if i not in dossiers}
    assert left == {}, f"after {step}: rows of deleted dossiers left in the summary"


def _assert_report_equals_full(w: World, step: str) -> None:
    actors = {"admin": ADMIN, "sup_a": w.sup_a, "sup_top": w.sup_top, "minh": w.minh}
    for period in (DEC, YEAR):
        for by in GROUPINGS:
            for name, actor in actors.items():
                ours = dossier_report(w.db, actor, period, by, as_of=AS_OF).to_dict()
                full = dossier_report(w.db, actor, period, by, as_of=AS_OF, source=Source.FULL).to_dict()
                assert ours == full, f"after {step}: {by} of {period.lo:%Y-%m} for {name}"


def _dossier_id(w: World, code: str) -> int:
    with w.db.session() as s:
        return int(s.execute(select(Dossier.id).where(Dossier.code == code)).scalar_one())


def test_every_dossier_has_its_row_with_the_dossiers_columns(world: World, tmp_path: Path) -> None:
    w = world
    _build(w, tmp_path)  # the service: receive, set status, attach; then a direct update of unit_id
    _assert_copies_follow(w, "the build")
    _assert_report_equals_full(w, "the build")


def test_an_update_of_each_copied_column_is_copied(world: World, tmp_path: Path) -> None:
    w = world
    _build(w, tmp_path)
    did = _dossier_id(w, "D4")
    new = {"received_at": datetime(2025, 11, 3, 2, tzinfo=UTC),  # out of December: D4 leaves the month
           "officer_id": w.lan.officer_id, "unit_id": w.units["A"], "channel": 2, "status": 9,
           "due_at": datetime(2026, 2, 2, 1, tzinfo=UTC), "legal_due_at": datetime(2026, 1, 2, 1, tzinfo=UTC)}
    assert set(new) == set(COPIED_COLUMNS)
    for column, value in new.items():
        with w.db.session() as s:
            s.execute(update(Dossier).where(Dossier.id == did).values({column: value}))
        _assert_copies_follow(w, f"an update of {column}")
    _assert_report_equals_full(w, "the updates")
    with w.db.session() as s:  # and back to NULL where the column allows it
        s.execute(update(Dossier).where(Dossier.id == did).values(officer_id=None, unit_id=None, legal_due_at=None))
    _assert_copies_follow(w, "updates to NULL")
    _assert_report_equals_full(w, "updates to NULL")


def test_a_write_that_changes_no_copied_column_leaves_the_summary_alone(world: World, tmp_path: Path) -> None:
    w = world
    _build(w, tmp_path)
    did = _dossier_id(w, "D4")
    with w.db.session() as s:  # a mark only this test writes: any rewrite of the copy would erase it
        s.execute(text("UPDATE report_dossier SET status = 99 WHERE dossier_id = :i"), {"i": did})
        s.execute(update(Dossier).where(Dossier.id == did).values(
            note="gọi lại", search_key="tran thi b d4", version=Dossier.version + 1,
            status=Dossier.status, received_at=Dossier.received_at))  # set, but to the same values
    with w.db.session() as s:
        assert s.execute(text("SELECT status FROM report_dossier WHERE dossier_id = :i"), {"i": did}).scalar_one() == 99
        s.execute(update(Dossier).where(Dossier.id == did).values(status=4))
    with w.db.session() as s:
        assert s.execute(text("SELECT status FROM report_dossier WHERE dossier_id = :i"), {"i": did}).scalar_one() == 4


def test_copies_and_gen_bumps_are_hot_updates_on_postgres(world: World, tmp_path: Path) -> None:
    """Only ``received_at`` is indexed: a status copy and a gen bump rewrite no index entry.
    (An update of ``received_at`` is the control: it cannot be HOT, and is counted as such.)"""
    w = world
    if not w.db.is_postgres:
        pytest.skip("HOT updates are PostgreSQL's")
    _build(w, tmp_path)
    did = _dossier_id(w, "D4")

    def counts(s: Any) -> tuple[int, int]:
        r = s.execute(text("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                           "WHERE relname = 'report_dossier'")).one()
        return int(r[0]), int(r[1])

    with w.db.session() as s:  # pg_stat_xact_*: this transaction's own counts, at once
        s.execute(update(Dossier).where(Dossier.id == did).values(status=4, due_at=datetime(2026, 3, 2, tzinfo=UTC)))
        s.add(DossierStatusChange(dossier_id=did, status=4, at=datetime(2026, 1, 6, 3, tzinfo=UTC)))
        s.flush()
        upd, hot = counts(s)
        assert upd >= 2 and hot == upd, (upd, hot)
        s.execute(update(Dossier).where(Dossier.id == did).values(received_at=datetime(2025, 12, 1, 2, tzinfo=UTC)))
        assert counts(s) == (upd + 1, hot)


def test_a_bulk_load_through_sql_and_a_delete_are_followed(world: World, tmp_path: Path) -> None:
    w = world
    _build(w, tmp_path)
    columns = [c.name for c in Dossier.__table__.columns if c.name not in ("id", "code")]
    cols = ", ".join(columns)
    with w.db.session() as s:  # as an import would: one INSERT … SELECT, no application code
        n = s.execute(text(f"INSERT INTO dossier (code, {cols}) SELECT code || '-B', {cols} FROM dossier")).rowcount
        s.execute(text("UPDATE dossier SET received_at = received_at + INTERVAL '1 hour' WHERE code LIKE '%-B'")
                  if w.db.is_postgres else
                  text("UPDATE dossier SET received_at = datetime(received_at, '+1 hour') WHERE code LIKE '%-B'"))
    assert n == 7
    _assert_copies_follow(w, "the bulk load")
    _assert_report_equals_full(w, "the bulk load")
    d2 = _dossier_id(w, "D2")  # with components, files and status changes: their cascade bumps gen
    with w.db.session() as s:
        s.execute(delete(Dossier).where(Dossier.code.in_(["D7-B", "D6-B"])))
        s.execute(text("DELETE FROM outbox_job WHERE dossier_id = :i"), {"i": d2})  # the outbox keeps no cascade
        s.execute(delete(Dossier).where(Dossier.id == d2))
    _assert_copies_follow(w, "the deletes")
    d1 = _dossier_id(w, "D1")  # the ORM's delete: its own cascade of the components and status changes first
    with w.db.session() as s:
        s.execute(text("DELETE FROM outbox_job WHERE dossier_id = :i"), {"i": d1})
        s.delete(s.get(Dossier, d1))
    _assert_copies_follow(w, "the ORM's delete")
    _assert_report_equals_full(w, "the deletes")


def _writes(w: World, svc: DossierService, rng: random.Random) -> list[Callable[[], None]]:
    """Random writes a counter makes: a copied column changed, a status change, a dossier received
    (weighted 3 : 1 : 1)."""
    with w.db.session() as s:
        codes = [c for (c,) in s.execute(select(Dossier.code))]
    officers = [w.lan.officer_id, w.minh.officer_id, None]
    units = [w.units["A"], w.units["B"], None]

    def moment() -> datetime:
        return datetime(2025, 11, 20, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 60))

    def column() -> None:
        choice = rng.choice(COPIED_COLUMNS)
        value: Any = {"received_at": moment, "due_at": moment, "legal_due_at": lambda: rng.choice([None, moment()]),
                      "officer_id": lambda: rng.choice(officers), "unit_id": lambda: rng.choice(units),
                      "channel": lambda: rng.choice([1, 2]), "status": lambda: rng.choice([2, 3, 4, 5, 7, 9, 10])}[choice]()
        with w.db.session() as s:
            s.execute(update(Dossier).where(Dossier.code == rng.choice(codes)).values({choice: value}))

    def status_change() -> None:
        with w.db.session() as s:
            did = s.execute(select(Dossier.id).where(Dossier.code == rng.choice(codes))).scalar_one()
            s.add(DossierStatusChange(dossier_id=did, status=rng.choice([4, 9, 10]), at=moment()))

    def receive() -> None:
        code = f"N{len(codes)}"
        svc.receive(rng.choice([w.lan, w.minh]), procedure_code="1.000001", applicant_name="Lê Văn C",
                    received_at=moment(), code=code, channel=rng.choice([1, 2]))
        codes.append(code)

    return [column, column, column, status_change, receive]


def test_random_writes_keep_the_report_and_the_lists_equal_to_the_full_computation(world: World,
                                                                                   tmp_path: Path) -> None:
    w = world
    svc = _build(w, tmp_path)
    rng = random.Random(17)
    ops = _writes(w, svc, rng)
    for i in range(24):
        op = rng.choice(ops)
        op()
        _assert_copies_follow(w, f"step {i} ({op.__name__})")
        if i % 8 == 7:
            _assert_report_equals_full(w, f"step {i}")
    for _ in range(6):  # rows the report has not seen yet
        rng.choice(ops)()
    _assert_lists_equal_full_and_only_read(w)


def _stale_rows(w: World) -> list[tuple[Any, ...]]:
    with w.db.session() as s:
        return [tuple(r) for r in s.execute(text("SELECT dossier_id, gen, built_gen FROM report_dossier "
                                                 "WHERE built_gen <> gen ORDER BY dossier_id"))]


def _assert_lists_equal_full_and_only_read(w: World) -> None:
    """The late list and the drill-down, with rows made stale and wrong, equal the same lists
    computed from the dossiers' own tables, for every figure, group and scope; and they only
    read: no statement writes the summary (before, each list recomputed and wrote the period's
    stale rows first), the stale rows are left for the report."""
    with w.db.session() as s:  # half the rows stale, their counts and first close wrong: trusting them lists wrongly
        s.execute(text("UPDATE report_dossier SET gen = gen + 1, to_dig = 9, dig = 0, closed_at = NULL, "
                       "has_fee = 1, paid_online = 1, signed = 1 WHERE dossier_id % 2 = 0"))
    stale = _stale_rows(w)
    assert len(stale) >= 4
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    groups = {"total": ["*"], "officer": ["lan", "minh", "-"], "unit": ["000.00.06.H56", "000.00.07.H56", "-"]}
    listed = 0
    event.listen(w.db.engine, "before_cursor_execute", seen)
    try:
        for actor in (ADMIN, w.sup_a):
            for period in (DEC, YEAR):
                late = late_list(w.db, actor, period, as_of=AS_OF, calendar=CAL)
                assert late == late_list(w.db, actor, period, as_of=AS_OF, calendar=CAL, source=Source.FULL)
                listed += len(late)
        for by, keys in groups.items():  # the admin's: the scopes are the late lists'
            for key in keys:
                for figure in FIGURES if by == "total" else ("received", "late"):
                    ours = drill_dossiers(w.db, ADMIN, DEC, by, key, figure, as_of=AS_OF, calendar=CAL)
                    full = drill_dossiers(w.db, ADMIN, DEC, by, key, figure, as_of=AS_OF, calendar=CAL,
                                          source=Source.FULL)
                    assert ours == full, (by, key, figure)
                    listed += len(ours)
    finally:
        event.remove(w.db.engine, "before_cursor_execute", seen)
    assert listed > 50  # the lists are not empty
    writes = [st for st in statements if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", st, re.IGNORECASE)]
    assert writes == [], writes[:1]
    assert _stale_rows(w) == stale


@pytest.mark.parametrize("most", [10_000, 1], ids=["corrected", "refreshed"])
def test_a_report_over_stale_rows_is_exact_and_leaves_them_valid(world: World, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch, most: int) -> None:
    """A few stale rows are corrected in the report's snapshot (their summary values swapped for
    the full computation's), many are recomputed and the period read again; either way the
    figures are the full aggregate's and the period's rows are valid afterwards."""
    import desktop.reports.dossiers as dossiers

    monkeypatch.setattr(dossiers, "_CORRECT_MAX", most)
    w = world
    _build(w, tmp_path)
    actors = {"admin": ADMIN, "sup_a": w.sup_a, "minh": w.minh}
    for by in GROUPINGS:
        for name, actor in actors.items():
            with w.db.session() as s:  # every row stale, and its counts wrong
                s.execute(text("UPDATE report_dossier SET gen = gen + 1, to_dig = 99, files = 7, closed_at = NULL"))
            ours = dossier_report(w.db, actor, DEC, by, as_of=AS_OF).to_dict()
            with w.db.session() as s:
                left = s.execute(text("SELECT COUNT(*) FROM report_dossier WHERE built_gen <> gen "
                                      "AND received_at >= :lo AND received_at < :hi"),
                                 {"lo": DEC.lo.replace(tzinfo=None), "hi": DEC.hi.replace(tzinfo=None)}).scalar_one()
            assert left == 0, (by, name)
            assert ours == dossier_report(w.db, actor, DEC, by, as_of=AS_OF, source=Source.FULL).to_dict(), (by, name)
