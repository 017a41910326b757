"""Tables of the reports area: the citizens' satisfaction ratings (SIPAS levels).

A rating belongs to one served ticket (one rating per visit) and carries the counter,
officer and dossier of that visit, copied at rating time so a report needs no replay.
Nothing identifies the citizen; an officer sees only the shares of their own ratings.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.base import Base, UTCDateTime, utcnow


class SatisfactionLevel(enum.StrEnum):
    """The three levels of the SIPAS survey (Chỉ số hài lòng về sự phục vụ hành chính)."""

    NOT_SATISFIED = "not_satisfied"
    SATISFIED = "satisfied"
    VERY_SATISFIED = "very_satisfied"


class SatisfactionRating(Base):
    __tablename__ = "satisfaction_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id"), unique=True)
    level: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counter.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    dossier_code: Mapped[str] = mapped_column(String(60), default="")

    __table_args__ = (Index("ix_satisfaction_rating_at", "at", "officer_id"),)


# Indexes the reports need on other areas' tables, declared here (beside the queries
# that use them) so the owning modules stay as they are; migration 0008 creates them.
from desktop.db.models import DigitizedFile, Dossier  # noqa: E402
from desktop.queue.models import CounterSession, Ticket, TicketEvent  # noqa: E402

REPORT_INDEXES = (
    # a period's tickets, without reading the whole table
    Index("ix_queue_ticket_issued_at", Ticket.issued_at),
    # one index-only pass gives each ticket's last call, start and end event ids
    Index("ix_queue_ticket_event_ticket_kind", TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.id),
    # busy time of counter sessions: calls and ends in a window
    Index("ix_queue_ticket_event_at", TicketEvent.at),
    Index("ix_queue_counter_session_started_at", CounterSession.started_at),
    # digitized components: "has this component a file?"
    Index("ix_digitized_file_component_id", DigitizedFile.component_id),
    # the dashboard's "due today" and the open-and-late list
    Index("ix_dossier_due_at", Dossier.due_at),
)
