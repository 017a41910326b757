"""The per-dossier summary (``report_dossier``) against the full aggregate, on both backends.

The invariant the report relies on: a row with ``built_gen = gen`` equals what the old
aggregate over the components, files and fees computes now; a write on any path makes
its dossier's row stale in the writing transaction (migration 0013's triggers), and
:func:`refresh_summary` makes every row of the period valid again. Checked after each
operation of a randomized sequence mixing the dossier service and direct writes (as the
signing path, the lifecycle's fees and the document store record them).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, text, update

from desktop.db.models import (
    DigitizedFile,
    Dossier,
    DossierComponent,
    DossierStatusChange,
    ProcedureComponent,
)
from desktop.lifecycle.models import Fee
from desktop.reports.dossiers import (
    COPIED_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_SELECT,
    dossier_report,
    refresh_summary,
    summarize_all,
)
from tests.reports.conftest import ADMIN, World
from tests.reports.test_dossier_report import AS_OF, DEC, _build

LO, HI = datetime(2000, 1, 1), datetime(2100, 1, 1)


#: the counts, and the dossier columns the summary carries (migration 0017)
COLUMNS = (*SUMMARY_COLUMNS, *COPIED_COLUMNS)


def _values(r: Any) -> tuple[Any, ...]:
    return tuple(v if v is None or k in ("closed_at", "received_at", "due_at", "legal_due_at") else int(v)
                 for k, v in zip(COLUMNS, r[1:], strict=True))


def _full(w: World) -> dict[int, tuple[int, ...]]:
    cols = ", ".join(COLUMNS)
    with w.db.session() as s:
        sql = f"SELECT dossier_id, {cols} FROM ({SUMMARY_SELECT.format(ids='SELECT id FROM dossier')}) x"
        return {r[0]: _values(r) for r in s.execute(text(sql))}


def _summary(w: World, valid_only: bool) -> dict[int, tuple[int, ...]]:
    cols = ", ".join(COLUMNS)
    cond = "built_gen = gen" if valid_only else "1 = 1"
    with w.db.session() as s:
        rows = s.execute(text(f"SELECT dossier_id, {cols} FROM report_dossier WHERE {cond} "
                              "AND dossier_id IN (SELECT id FROM dossier)"))
        return {r[0]: _values(r) for r in rows}


def _check(w: World, step: str) -> None:
    full = _full(w)
    valid = _summary(w, valid_only=True)
    wrong = {k: (v, full[k]) for k, v in valid.items() if full[k] != v}
    assert not wrong, f"after {step}: rows marked valid differ from the full computation {wrong}"
    with w.db.session() as s:
        refresh_summary(s, LO, HI)
    assert _summary(w, valid_only=False) == full, f"after {step} and a refresh"


def test_every_write_keeps_the_summary_equal_to_the_full_computation(world: World, tmp_path: Path) -> None:
    w = world
    svc = _build(w, tmp_path)
    pdf = tmp_path / "g.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% other\n")
    _check(w, "the build")
    rng = random.Random(15)
    with w.db.session() as s:
        codes = [c for (c,) in s.execute(select(Dossier.code))]
        pcs = [i for (i,) in s.execute(select(ProcedureComponent.id))]

    def ids(model: type, **where: object) -> list[int]:
        with w.db.session() as s:
            q = select(model.id)  # type: ignore[attr-defined]
            for k, v in where.items():
                q = q.where(getattr(model, k) == v)
            return [i for (i,) in s.execute(q)]

    def attach() -> None:
        code = rng.choice(codes)
        try:
            if rng.random() < 0.3:
                svc.attach_file(w.lan, code, pdf, kind="result")
            else:
                svc.attach_file(w.lan, code, pdf, component=rng.choice(["TP1", "TP2", "TP3"]))
        except Exception:  # noqa: BLE001 — a closed dossier may refuse a file: no write, nothing to check
            pass

    def file_flags() -> None:
        fs = ids(DigitizedFile)
        if fs:
            with w.db.session() as s:
                s.execute(update(DigitizedFile).where(DigitizedFile.id == rng.choice(fs)).values(
                    signature_state=rng.choice(["unsigned", "signed", "verified", "invalid"]),
                    reusable=rng.random() < 0.5, reused=rng.random() < 0.5))

    def file_kind_or_component() -> None:
        fs, cs = ids(DigitizedFile), ids(DossierComponent)
        if fs and cs:
            with w.db.session() as s:
                s.execute(update(DigitizedFile).where(DigitizedFile.id == rng.choice(fs)).values(
                    kind=rng.choice(["component", "result"]), component_id=rng.choice([None, *cs])))

    def drop_file() -> None:
        fs = ids(DigitizedFile)
        if fs:
            with w.db.session() as s:
                s.execute(delete(DigitizedFile).where(DigitizedFile.id == rng.choice(fs)))

    def drop_component() -> None:
        cs = ids(DossierComponent)
        if cs:
            with w.db.session() as s:
                s.execute(delete(DossierComponent).where(DossierComponent.id == rng.choice(cs)))

    def must_digitize() -> None:
        with w.db.session() as s:
            s.execute(update(ProcedureComponent).where(ProcedureComponent.id == rng.choice(pcs)).values(
                must_digitize=rng.random() < 0.5))

    def fee() -> None:
        with w.db.session() as s:
            did = s.execute(select(Dossier.id).where(Dossier.code == rng.choice(codes))).scalar_one()
            s.add(Fee(dossier_id=did, name="Lệ phí", amount=rng.choice([0, 10_000]),
                      state=rng.choice(["waiting", "paid"]), method=rng.choice(["cash", "online"])))

    def fee_change() -> None:
        fs = ids(Fee)
        if fs:
            with w.db.session() as s:
                if rng.random() < 0.3:
                    s.execute(delete(Fee).where(Fee.id == rng.choice(fs)))
                else:
                    s.execute(update(Fee).where(Fee.id == rng.choice(fs)).values(
                        state=rng.choice(["waiting", "paid"]), method=rng.choice(["cash", "online"]),
                        amount=rng.choice([0, 5_000])))

    def status() -> None:
        with w.db.session() as s:
            hs = [i for (i,) in s.execute(select(DossierStatusChange.id))]
            if hs and rng.random() < 0.3:
                s.execute(delete(DossierStatusChange).where(DossierStatusChange.id == rng.choice(hs)))
                return
            did = s.execute(select(Dossier.id).where(Dossier.code == rng.choice(codes))).scalar_one()
            s.add(DossierStatusChange(dossier_id=did, status=rng.choice([2, 4, 9, 10]),
                                      at=datetime(2026, 1, rng.randint(1, 28), 3, tzinfo=UTC)))

    ops = [status, status, attach, attach, file_flags, file_kind_or_component, drop_file, drop_component,
           must_digitize, fee, fee_change]
    for i in range(60):
        op = rng.choice(ops)
        op()
        _check(w, f"step {i} ({op.__name__})")
    # and the report reads it: a write after a report shows in the next one
    before = dossier_report(w.db, ADMIN, DEC, "total", as_of=AS_OF).total
    with w.db.session() as s:
        did = s.execute(select(Dossier.id).where(Dossier.code == "D4")).scalar_one()
        s.add(Fee(dossier_id=did, name="Phí", amount=1_000, state="paid", method="online"))
    after = dossier_report(w.db, ADMIN, DEC, "total", as_of=AS_OF).total
    assert after.with_fee >= before.with_fee and after.paid_online == before.paid_online + (
        0 if _had_online_fee(w, did) else 1)


def _had_online_fee(w: World, did: int) -> bool:
    """Whether D4 already had a paid online fee before the last one (then the count stays)."""
    with w.db.session() as s:
        n = s.execute(select(Fee.id).where(Fee.dossier_id == did, Fee.amount > 0, Fee.state == "paid",
                                           Fee.method == "online")).all()
    return len(n) > 1


def test_many_stale_rows_are_recomputed_in_chunks(world: World, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import desktop.reports.dossiers as dossiers

    w = world
    _build(w, tmp_path)
    monkeypatch.setattr(dossiers, "_CHUNK", 2)
    with w.db.session() as s:
        s.execute(text("UPDATE report_dossier SET gen = gen + 1, to_dig = 99"))  # every row stale and wrong
        n = s.execute(text("SELECT COUNT(*) FROM dossier")).scalar_one()
    assert n > 2 * 2
    with w.db.session() as s:
        assert refresh_summary(s, LO, HI) == n
    assert _summary(w, valid_only=True) == _full(w)
    with w.db.session() as s:
        assert refresh_summary(s, LO, HI) == 0  # nothing stale: one query, no write


def test_a_bulk_summary_makes_every_row_valid_and_equal_to_the_full_computation(world: World,
                                                                                  tmp_path: Path) -> None:
    w = world
    _build(w, tmp_path)
    with w.db.session() as s:
        s.execute(text("UPDATE report_dossier SET gen = gen + 1, to_dig = 99"))  # every row stale and wrong
        first = s.execute(text("SELECT MIN(id) FROM dossier")).scalar_one()
        s.execute(text("DELETE FROM report_dossier WHERE dossier_id = :id"), {"id": first})  # and one missing
        n = s.execute(text("SELECT COUNT(*) FROM dossier")).scalar_one()
    with w.db.session() as s:
        assert summarize_all(s) == n
    assert _summary(w, valid_only=True) == _full(w)
    with w.db.session() as s:
        assert refresh_summary(s, LO, HI) == 0  # nothing left for the first report


def test_the_stale_read_finds_the_periods_stale_rows_from_the_summary_alone(world: World, tmp_path: Path) -> None:
    """Migration 0017 gives every dossier its row with its received_at: a period's stale rows
    are those of its dossiers with ``built_gen <> gen``, and no others."""
    from desktop.reports.dossiers import _STALE

    w = world
    _build(w, tmp_path)
    with w.db.session() as s:
        refresh_summary(s, LO, HI)  # every row valid, then two made stale
    with w.db.session() as s:
        ids = [i for (i,) in s.execute(text("SELECT id FROM dossier ORDER BY id"))]
        stale = {ids[0], ids[-1]}
        s.execute(text("UPDATE report_dossier SET gen = gen + 1 WHERE dossier_id = :a OR dossier_id = :b"),
                  {"a": ids[0], "b": ids[-1]})
        received = {i: at for i, at in s.execute(select(Dossier.id, Dossier.received_at))}
        found = 0
        for lo, hi in [(LO, HI), *((at, at + timedelta(days=1)) for at in received.values()),
                       (datetime(1990, 1, 1), datetime(1990, 2, 1))]:
            lo, hi = lo.replace(tzinfo=None), hi.replace(tzinfo=None)
            want = sorted(i for i in stale if lo <= received[i].replace(tzinfo=None) < hi)
            got = sorted(i for (i,) in s.execute(text(_STALE), {"lo": lo, "hi": hi}))
            assert got == want, (lo, hi)
            found += len(got)
    assert found >= 4  # the whole span's two, and each again in its own day
