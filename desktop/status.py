"""A compact snapshot of scanner, dossier system and outbox for the status bar (Qt-free).

The token and its card reader are watched by signing/readers.py and ui/token_status.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from desktop.config import Settings
from desktop.db import Database
from desktop.outbox.models import OutboxJob, OutboxState
from desktop.selftest import Check, check_dossier_system, check_sane


@dataclass(frozen=True)
class WorkstationStatus:
    scanner: Check | None
    dossier_system: Check
    outbox_pending: int
    outbox_parked: int


def outbox_counts(db: Database) -> tuple[int, int]:
    with db.session() as s:
        rows = dict(s.execute(select(OutboxJob.state, func.count()).group_by(OutboxJob.state)).all())
    return int(rows.get(OutboxState.PENDING, 0) + rows.get(OutboxState.IN_FLIGHT, 0)), int(rows.get(OutboxState.PARKED, 0))


def workstation_status(settings: Settings, db: Database, *, probe_scanner: bool = True) -> WorkstationStatus:
    """Probe devices and count the outbox. SANE is probed only on request: ``sane.init``
    must not run while the scanner worker is scanning."""
    pending, parked = outbox_counts(db)
    return WorkstationStatus(check_sane(settings) if probe_scanner else None,
                             check_dossier_system(settings), pending, parked)
