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

from sqlalchemy import select, update

from desktop.auth import Actor, Permission, require
from desktop.kernel.errors import Conflict, InvalidInput, NotFound, explain_os_error
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import VN_TZ, utcnow
from desktop.queue.desk import QueueDesk
from desktop.queue.models import Appointment, QueueService
from desktop.queue.views import TicketView

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
    """The booking's ticket. The ticket and the booking's mark are one transaction, and the
    mark is taken only if no one took it first, so two kiosks checking in one booking at
    once (or a double tap) give one ticket; the other is told it already has one."""
    require(actor, Permission.ISSUE_TICKET)
    now = now or utcnow()
    taken = Conflict(msg("Lịch hẹn {c} đã được lấy số.", "Appointment {c} already has a ticket.", c=code))
    with desk.db.session() as s:
        a = s.scalar(select(Appointment).where(Appointment.code == code.strip()))
        if a is None:
            raise NotFound(msg("Không có lịch hẹn mã “{c}”.", "No appointment with code “{c}”.", c=code))
        if a.ticket_id is not None:
            raise taken
        on_time = a.slot_at - WINDOW <= now <= a.slot_at + WINDOW
        ticket = desk.issue_in(s, actor, a.service_code, "appointment" if on_time else "walk_in")
        marked = s.scalar(update(Appointment).where(Appointment.id == a.id, Appointment.ticket_id.is_(None))
                          .values(ticket_id=ticket.id).returning(Appointment.id)
                          .execution_options(synchronize_session=False))
        if marked is None:  # another kiosk's check-in committed first: this ticket is rolled back
            raise taken
    return CheckIn(ticket, on_time)
