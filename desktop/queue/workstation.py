"""This workstation's counter: which counters exist, which one it remembers, the officer's choice.

The counter panel offers only the active counters of the database, never a fixed range.
The remembered counter is the workstation configuration's ``workstation.counter`` (its
number, or its name as the queue shows it); an officer who sits at another counter picks
it once and it is saved to the user's ``motcua.toml``. The save is audited like a
settings save and written inside the audit transaction (as :mod:`desktop.settings_service`
does), but it needs only the right to serve the queue: moving to another counter is part
of a counter officer's day, not a supervisor's job.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings
from desktop.db import Database
from desktop.kernel.errors import NotFound
from desktop.kernel.i18n import msg
from desktop.queue.models import Counter


@dataclass(frozen=True)
class CounterChoice:
    number: int
    name: str


def counters(db: Database) -> list[CounterChoice]:
    """The active counters, by number."""
    with db.session() as s:
        rows = s.execute(select(Counter.number, Counter.name).where(Counter.active).order_by(Counter.number)).all()
    return [CounterChoice(int(n), str(name)) for n, name in rows]


def remembered(settings: Settings, choices: list[CounterChoice]) -> CounterChoice | None:
    """The workstation's counter among ``choices``; the first one when none is set or it is gone."""
    wanted = str(settings.counter_number or "").strip()
    for c in choices:
        if wanted and (wanted == str(c.number) or wanted.casefold() == c.name.strip().casefold()):
            return c
    return choices[0] if choices else None


def remember(db: Database, audit: AuditLog, settings: Settings, actor: Actor, number: int) -> Path | None:
    """Save ``number`` as this workstation's counter (audited); None when it was already the one."""
    require(actor, Permission.SERVE_QUEUE)
    with db.session() as s:
        name = s.scalar(select(Counter.name).where(Counter.number == number, Counter.active))
    if name is None:
        raise NotFound(msg("Không có quầy số {n}.", "No counter number {n}.", n=number))
    if str(settings.counter_number).strip() == str(number):
        return None
    new = replace(settings, counter_number=str(number))
    with db.session() as s:
        audit.record(s, actor=actor.audit_name, action="settings.counter", entity_type="settings",
                     entity_id=str(settings.data_dir),
                     data={"counter_number": str(number), "previous": str(settings.counter_number)})
        s.flush()
        path = new.save()  # replaced atomically; a failure here rolls the audit record back
    settings.counter_number = str(number)
    return path
