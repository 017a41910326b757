"""Appointments: import (CSV/JSON, idempotent), check-in near the slot goes ahead of walk-ins."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.queue.appointments import check_in, import_appointments

ADMIN = Actor.cli()


def test_import_and_check_in(ctx: AppContext, tmp_path: Path) -> None:
    now = to_vn(utcnow())
    soon, later = now + timedelta(minutes=5), now + timedelta(hours=3)
    csv_file = tmp_path / "lich.csv"
    csv_file.write_text("code,service,slot,name,phone\n"
                        f"DL-1,TP,{soon:%Y-%m-%d %H:%M},Nguyễn Văn An,0901\n"
                        f"DL-2,tp,{later:%Y-%m-%d %H:%M},Trần Thị Bình,0902\n", encoding="utf-8")
    assert import_appointments(ctx.queue, ADMIN, csv_file) == 2
    assert import_appointments(ctx.queue, ADMIN, csv_file) == 0
    json_file = tmp_path / "lich.json"
    json_file.write_text(json.dumps([{"code": "DL-3", "service": "DD", "slot": f"{soon:%Y-%m-%d %H:%M}"}]))
    assert import_appointments(ctx.queue, ADMIN, json_file) == 1

    walk_in = ctx.queue.issue(ADMIN, "TP")
    on_time = check_in(ctx.queue, ADMIN, "DL-1")
    too_early = check_in(ctx.queue, ADMIN, "DL-2")
    assert on_time.on_time and on_time.ticket.priority == "appointment"
    assert not too_early.on_time and too_early.ticket.priority == "walk_in"
    assert ctx.queue.call_next(ADMIN, 1).number == on_time.ticket.number  # ahead of the earlier walk-in
    ctx.queue.end(ADMIN, 1)
    assert ctx.queue.call_next(ADMIN, 1).number == walk_in.number
    with pytest.raises(Conflict):
        check_in(ctx.queue, ADMIN, "DL-1")
    with pytest.raises(NotFound):
        check_in(ctx.queue, ADMIN, "DL-404")


def test_bad_files(ctx: AppContext, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,service,slot\nX,TP,ngày mai\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD HH:MM"):
        import_appointments(ctx.queue, ADMIN, bad)
    bad.write_text("code,service,slot\nX,ZZ,2026-01-01 08:00\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="ZZ"):
        import_appointments(ctx.queue, ADMIN, bad)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_kiosks_checking_in_one_booking_give_one_ticket(backend: str, tmp_path: Path,
                                                            request: pytest.FixtureRequest) -> None:
    """Two kiosks (or a double tap on one) checking in the same booking at once: one ticket,
    the other is told the booking already has one. (Both got a ticket: the booking was read
    in one transaction and marked in another, with the ticket issued in between.)"""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from sqlalchemy import func, select

    from desktop.audit import AuditLog
    from desktop.db import Database
    from desktop.queue.desk import QueueDesk
    from desktop.queue.models import Ticket
    from desktop.queue.seed import seed_queue

    url = f"sqlite:///{tmp_path / 'q.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    db = Database(url)
    db.migrate()
    with db.session() as s:
        seed_queue(s)
    desk = QueueDesk(db, AuditLog())
    slot = to_vn(utcnow()) + timedelta(minutes=5)
    bookings = tmp_path / "lich.csv"
    rounds = 6
    bookings.write_text("code,service,slot\n" + "".join(f"DL-{i},TP,{slot:%Y-%m-%d %H:%M}\n" for i in range(rounds)),
                        encoding="utf-8")
    try:
        assert import_appointments(desk, ADMIN, bookings) == rounds
        kiosks = 4
        with ThreadPoolExecutor(kiosks) as pool:
            for i in range(rounds):
                start = Barrier(kiosks)

                def tap(code: str = f"DL-{i}", start: Barrier = start) -> str:
                    start.wait()
                    try:
                        return check_in(desk, Actor.kiosk(), code).ticket.number
                    except Conflict:
                        return ""

                numbers = [n for n in pool.map(lambda _k: tap(), range(kiosks)) if n]
                assert len(numbers) == 1, f"booking DL-{i} got tickets {numbers}"
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Ticket)) == rounds, "no ghost ticket left waiting"
    finally:
        db.dispose()
