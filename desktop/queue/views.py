"""What the queue's actions give back to their callers: a ticket, a counter's session.

Plain frozen records, read inside the action's transaction, so the screens and the CLI
never hold a database row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.queue.models import SessionState, TicketState


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str
    service: str
    priority: str
    state: TicketState
    issued_at: datetime
    counter: int | None
    ahead: int = 0


@dataclass(frozen=True)
class SessionView:
    id: int
    counter: int
    officer: str | None
    state: SessionState
    started_at: datetime
    ended_at: datetime | None
