"""Online appointments: import from the booking system, check in at the kiosk.

Rule: an appointment checked in from 15 minutes before its slot until 15 minutes after
gets an "appointment" ticket, which goes ahead of walk-ins (see the ordering rule in
``service.py``); earlier or later, the citizen joins as a walk-in, so a booking cannot be
used to jump the queue at any time of day.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from desktop.auth import Actor, Permission, require
from desktop.kernel.errors import Conflict, InvalidInput, NotFound, explain_os_error
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import VN_TZ, utcnow
from desktop.queue.models import Appointment, QueueService
from desktop.queue.service import QueueDesk, TicketView

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class CheckIn:
    ticket: TicketView
    on_time: bool


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise explain_os_error(exc) from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InvalidInput(msg("{p} không phải JSON hợp lệ ({e}).", "{p} is not valid JSON ({e}).", p=path.name,
                                   e=exc)) from exc
        return data if isinstance(data, list) else data.get("appointments", [])
    return list(csv.DictReader(text.splitlines()))


def import_appointments(desk: QueueDesk, actor: Actor, path: Path) -> int:
    """Add new bookings (by code; re-importing the same file adds nothing). Returns how many."""
    require(actor, Permission.MANAGE_QUEUE)
    rows = _rows(path)
    added = 0
    with desk.db.session() as s:
        services = set(s.scalars(select(QueueService.code)))
        known = set(s.scalars(select(Appointment.code)))
        for i, r in enumerate(rows, 1):
            code, service = str(r.get("code", "")).strip(), str(r.get("service", "")).strip().upper()
            try:
                slot = datetime.strptime(str(r.get("slot", "")).strip(), "%Y-%m-%d %H:%M").replace(tzinfo=VN_TZ)
            except ValueError:
                raise InvalidInput(msg("Dòng {i}: giờ hẹn “{s}” cần dạng YYYY-MM-DD HH:MM.",
                                       "Row {i}: slot “{s}” must be YYYY-MM-DD HH:MM.", i=i, s=r.get("slot"))) from None
            if not code or service not in services:
                raise InvalidInput(msg("Dòng {i}: thiếu mã lịch hẹn hoặc dịch vụ “{v}” không có.",
                                       "Row {i}: no booking code, or no service “{v}”.", i=i, v=service))
            if code in known:
                continue
            s.add(Appointment(code=code, service_code=service, name=str(r.get("name", "")), phone=str(r.get("phone", "")),
                              slot_at=slot))
            known.add(code)
            added += 1
        desk.audit.record(s, actor=actor.audit_name, action="queue.import_appointments", entity_type="file",
                          entity_id=path.name, data={"added": added})
    return added


def check_in(desk: QueueDesk, actor: Actor, code: str, now: datetime | None = None) -> CheckIn:
    now = now or utcnow()
    with desk.db.session() as s:
        a = s.scalar(select(Appointment).where(Appointment.code == code.strip()))
        if a is None:
            raise NotFound(msg("Không có lịch hẹn mã “{c}”.", "No appointment with code “{c}”.", c=code))
        if a.ticket_id is not None:
            raise Conflict(msg("Lịch hẹn {c} đã được lấy số.", "Appointment {c} already has a ticket.", c=code))
        on_time = a.slot_at - WINDOW <= now <= a.slot_at + WINDOW
        service, appointment_id = a.service_code, a.id
    ticket = desk.issue(actor, service, "appointment" if on_time else "walk_in")
    with desk.db.session() as s:
        row = s.get(Appointment, appointment_id)
        assert row is not None
        row.ticket_id = ticket.id
    return CheckIn(ticket, on_time)
