"""The audit chain detects edited, deleted and truncated rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from desktop.audit import AuditLog
from desktop.db import Database
from desktop.db.models import AuditEvent
from tests.cli import motcua


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path) -> Database:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'a.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    d = Database(url)
    d.migrate()
    yield d
    d.dispose()


def _fill(db: Database, n: int = 5) -> AuditLog:
    log = AuditLog()
    for i in range(n):
        with db.session() as s:
            log.record(s, actor="cb.lan", action="dossier.receive", entity_type="dossier",
                       entity_id=f"X-{i}", data={"tên": "Nguyễn Văn Ánh", "i": i})
    return log


def test_intact_chain_verifies(db: Database) -> None:
    log = _fill(db)
    with db.session() as s:
        assert log.verify(s) == []


def test_edited_row_is_named(db: Database) -> None:
    log = _fill(db)
    with db.session() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="someone else"))
    with db.session() as s:
        problems = log.verify(s)
    assert [p.seq for p in problems] == [3]
    assert "đã bị sửa" in problems[0].problem  # the problem lines were English in a Vietnamese report
    from desktop.kernel.i18n import set_language

    set_language("en")
    with db.session() as s:
        assert "edited" in log.verify(s)[0].problem


def test_deleted_middle_row_is_named(db: Database) -> None:
    log = _fill(db)
    with db.session() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    with db.session() as s:
        problems = log.verify(s)
    assert any(p.seq == 2 and "đã bị xóa" in p.problem for p in problems)


def test_deleted_last_row_is_caught_by_head(db: Database) -> None:
    log = _fill(db)
    with db.session() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 5))
    with db.session() as s:
        problems = log.verify(s)
    assert [p.seq for p in problems] == [5]


def test_rolled_back_change_leaves_no_event(db: Database) -> None:
    log = _fill(db, 2)
    with pytest.raises(RuntimeError), db.session() as s:
        log.record(s, actor="x", action="y")
        raise RuntimeError("change failed")
    with db.session() as s:
        assert log.verify(s) == []
        assert len(log.recent(s)) == 2


def test_cli_audit_verify_exit_codes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3
    import subprocess

    def verify() -> subprocess.CompletedProcess[str]:
        return motcua(tmp_path, "audit", "verify", timeout=120)

    assert motcua(tmp_path, "calendar", "set", "2025-12-01", "--kind", "holiday").returncode == 0
    assert motcua(tmp_path, "calendar", "unset", "2025-12-01").returncode == 0
    assert verify().returncode == 0
    with sqlite3.connect(tmp_path / "private" / "motcua.db") as conn:
        conn.execute("UPDATE audit_event SET actor = 'someone' WHERE seq = 1")
    r = verify()
    assert r.returncode == 1 and "#1" in r.stdout
