"""``AuditLog.record_many``: the outbox writes a batch's events with one chain-head update.

The chain it writes must verify like one written event by event, interleave with
``record``, and still show an edited, deleted or truncated row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from desktop.audit import AuditLog
from desktop.db import Database
from desktop.db.models import AuditEvent, AuditHead


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'a.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    d = Database(url)
    d.migrate()
    yield d
    d.dispose()


def _events(n: int, start: int = 0) -> list[dict[str, object]]:
    return [{"actor": "outbox", "action": "upload.done", "entity_type": "outbox.file", "entity_id": start + i,
             "data": {"dossier": f"UBND-{start + i}", "lý do": "Tệp đã gửi"}} for i in range(n)]


def _fill(db: Database) -> AuditLog:
    log = AuditLog()
    with db.session() as s:  # a batch on an empty chain creates the head
        log.record_many(s, _events(4))
    with db.session() as s:
        log.record(s, actor="cb.lan", action="dossier.receive", entity_id="X-1")
    with db.session() as s:
        written = log.record_many(s, _events(5, 10))
        assert [e.seq for e in written] == [6, 7, 8, 9, 10]
        assert log.record_many(s, []) == []
    with db.session() as s:
        log.record(s, actor="cb.lan", action="dossier.status", entity_id="X-1")
    return log


def test_batch_chain_verifies_and_matches_one_by_one(db: Database) -> None:
    log = _fill(db)
    with db.session() as s:
        assert log.verify(s) == []
        rows = list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        head = s.get(AuditHead, 1)
    assert [r.seq for r in rows] == list(range(1, 12))
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert head is not None and (head.seq, head.hash) == (11, rows[-1].hash)
    assert rows[7].data == {"dossier": "UBND-12", "lý do": "Tệp đã gửi"} and rows[7].entity_id == "12"


def test_tampering_with_a_batch_is_detected(db: Database) -> None:
    log = _fill(db)
    with db.session() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 7).values(data={"dossier": "khác"}))
    with db.session() as s:
        problems = log.verify(s)
    assert [p.seq for p in problems] == [7] and "đã bị sửa" in problems[0].problem
    with db.session() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    with db.session() as s:
        assert {p.seq for p in log.verify(s)} == {3, 4, 7}  # deleted, its successor's link, the edit


def test_truncated_batch_is_caught_by_head(db: Database) -> None:
    log = _fill(db)
    with db.session() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq >= 10))
    with db.session() as s:
        assert [p.seq for p in log.verify(s)] == [10, 11]


def test_rolled_back_batch_leaves_no_event(db: Database) -> None:
    log = _fill(db)
    with pytest.raises(RuntimeError), db.session() as s:
        log.record_many(s, _events(3, 50))
        raise RuntimeError("finish failed")
    with db.session() as s:
        assert log.verify(s) == [] and s.get(AuditHead, 1).seq == 11  # type: ignore[union-attr]
