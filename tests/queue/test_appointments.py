"""Appointments: import (CSV/JSON, idempotent), check-in near the slot goes ahead of walk-ins."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.app import AppContext
from desktop.auth import Actor
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
