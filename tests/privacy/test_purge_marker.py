"""A purged dossier is marked (``dossier.purged_at``) and later purge runs skip it.

Before, every run — ``motcua privacy purge`` and the application's daily one — examined
every dossier ever closed before its cut-off again (a transaction, several queries and a look
at the disk each) to find nothing left: the daily run grew with the centre's history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.sql import Executable

from desktop.context import AppContext
from desktop.db.models import DigitizedFile, Dossier, DossierStatus
from tests.privacy.test_purge import ADMIN, _dossier, _reused_in, tomorrow


@contextmanager
def _statements(ctx: AppContext) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)


def _closed(ctx: AppContext, n: int, start: int) -> list[str]:
    codes = []
    for i in range(start, start + n):
        code, _files = _dossier(ctx, f"Người {i}", f"0793012{i:05d}")
        ctx.dossiers.set_status(ADMIN, code, DossierStatus.WITHDRAWN)
        codes.append(code)
    while ctx.outbox.drain(ADMIN)["delivered"]:
        pass
    return codes


def test_a_second_purge_does_not_examine_the_dossiers_already_purged(ctx: AppContext) -> None:
    first = _closed(ctx, 2, 0)
    assert sorted(i.code for i in ctx.privacy.purge(ADMIN, tomorrow()).items) == sorted(first)
    with _statements(ctx) as after_two:
        assert ctx.privacy.purge(ADMIN, tomorrow()).items == []
    more = _closed(ctx, 3, 10)
    assert sorted(i.code for i in ctx.privacy.purge(ADMIN, tomorrow()).items) == sorted(more)
    with _statements(ctx) as after_five:
        assert ctx.privacy.purge(ADMIN, tomorrow()).items == []
    # the same statements whether 2 or 5 dossiers were purged (the old code: a few more per dossier)
    assert len(after_five) == len(after_two), (len(after_two), len(after_five))
    with ctx.db.session() as s:
        marked = s.scalars(select(Dossier.code).where(Dossier.purged_at.is_not(None))).all()
    assert sorted(marked) == sorted(first + more)
    # the candidates are a range of the partial index of the dossiers not purged, the files still
    # used found by their path (migration 0018); PostgreSQL's plan: the test below
    assert "ix_dossier_unpurged_status" in _plan(ctx, ctx.privacy._candidate_ids(tomorrow()))
    assert "ix_digitized_file_path" in _plan(ctx, select(DigitizedFile.path).where(
        DigitizedFile.path.in_(["/a/b.pdf", "/a/c.pdf"])))


def test_a_dossier_whose_files_could_not_go_is_tried_again(ctx: AppContext,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The marker is set once the files went: a failed deletion leaves the dossier unmarked,
    and the next run deletes them (as a crash between the commit and the deletion does)."""
    from desktop.privacy import purge

    [code] = _closed(ctx, 1, 0)
    folder = ctx.settings.files_dir / "dossiers" / code

    def refuse(path: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(purge.shutil, "rmtree", refuse)
    assert [i.code for i in ctx.privacy.purge(ADMIN, tomorrow()).items] == [code]
    assert folder.is_dir()
    monkeypatch.undo()
    assert [i.code for i in ctx.privacy.purge(ADMIN, tomorrow()).items] == [code]
    assert not folder.exists()
    with ctx.db.session() as s:
        assert s.scalar(select(Dossier.purged_at).where(Dossier.code == code)) is not None


def test_a_file_shared_with_a_dossier_purged_earlier_goes_with_the_last_one(ctx: AppContext) -> None:
    """A reuse links a later dossier to an earlier one's file: the earlier, purged first, keeps
    it for the later one; when the later is purged, the file goes (the purged one needs it no
    more, though it is no longer among the candidates)."""
    [first] = _closed(ctx, 1, 0)
    later, _ = _dossier(ctx, "Người sau", "079301299999")
    shared = Path(ctx.dossiers.files(first)[0].path)
    _reused_in(ctx, later, shared)
    report = ctx.privacy.purge(ADMIN, tomorrow())
    assert [i.code for i in report.items] == [first] and shared.exists()
    ctx.dossiers.set_status(ADMIN, later, DossierStatus.WITHDRAWN)
    while ctx.outbox.drain(ADMIN)["delivered"]:
        pass
    assert [i.code for i in ctx.privacy.purge(ADMIN, tomorrow()).items] == [later]
    assert not shared.exists()


def test_a_file_the_store_offers_goes_once_it_expired(ctx: AppContext) -> None:
    """A dossier whose file the citizen's store still offers stays a candidate (not marked):
    once the stored document expired, a later run deletes the file."""
    from datetime import date

    from desktop.db.models import DigitizedFile
    from desktop.store.models import StoredDocument

    [code] = _closed(ctx, 1, 0)
    stored = Path(ctx.dossiers.files(code)[0].path)
    with ctx.db.session() as s:
        f = s.scalars(select(DigitizedFile).where(DigitizedFile.path == str(stored))).one()
        s.add(StoredDocument(id_number="079301200000", doc_name="Giấy khai sinh", path=str(stored), file_id=f.id,
                             sha256=f.sha256, valid_until=date(2099, 1, 1)))
    ctx.privacy.purge(ADMIN, tomorrow())
    assert stored.exists()
    with ctx.db.session() as s:
        assert s.scalar(select(Dossier.purged_at).where(Dossier.code == code)) is None
        s.execute(update(StoredDocument).values(valid_until=date(2020, 1, 1)))
    ctx.privacy.purge(ADMIN, tomorrow())
    assert not stored.exists()
    with ctx.db.session() as s:
        assert s.scalar(select(Dossier.purged_at).where(Dossier.code == code)) is not None


def _plan(ctx: AppContext, statement: Executable) -> str:
    """The engine's plan of ``statement``, its values bound as the application binds them."""
    explain = "EXPLAIN " if ctx.db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "

    def prefix(_conn: object, _cursor: object, sql: str, params: object, *_args: object) -> tuple[str, object]:
        return explain + sql, params

    with ctx.db.engine.connect() as conn:
        if explain == "EXPLAIN ":
            conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: show that the index can serve
        event.listen(ctx.db.engine, "before_cursor_execute", prefix, retval=True)
        try:
            return "\n".join(str(r[-1]) for r in conn.execute(statement))
        finally:
            event.remove(ctx.db.engine, "before_cursor_execute", prefix)


def test_the_purges_lookups_use_their_indexes_on_postgres(tmp_path: Path, pg_url: str) -> None:
    """The candidates are a range of ``ix_dossier_unpurged_status``; the files still used are
    found by ``ix_digitized_file_path`` (a hash index here; both from migration 0018)."""
    from datetime import date

    from desktop.config import load_settings

    ctx = AppContext(load_settings(tmp_path / "data", db_url=pg_url))
    try:
        plan = _plan(ctx, ctx.privacy._candidate_ids(date(2026, 1, 1)))
        assert "ix_dossier_unpurged_status" in plan, plan
        paths = select(DigitizedFile.path).where(DigitizedFile.path.in_(["/a/b.pdf", "/a/c.pdf"]))
        plan = _plan(ctx, paths)
        assert "ix_digitized_file_path" in plan, plan
    finally:
        ctx.close()
