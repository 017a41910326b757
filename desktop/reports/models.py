"""Tables of the reports area: the citizens' satisfaction ratings (SIPAS levels).

A rating belongs to one served ticket (one rating per visit) and carries the counter,
officer and dossier of that visit, copied at rating time so a report needs no replay.
Nothing identifies the citizen; an officer sees only the shares of their own ratings.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, text
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



class ReportVisit(Base):
    """One visit of a past day, as :mod:`desktop.reports.queue` computes it from the events.

    A cache, never a source: rebuilt for a day whenever an event of one of its tickets is
    newer than what the summary saw (``report_state``); deleting every row is harmless.
    """

    __tablename__ = "report_visit"

    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[str] = mapped_column(String(8), index=True)
    service_id: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    counter_id: Mapped[int | None] = mapped_column(Integer)
    officer_id: Mapped[int | None] = mapped_column(Integer)
    served: Mapped[int] = mapped_column(Integer)
    no_show: Mapped[int] = mapped_column(Integer)
    transferred: Mapped[int] = mapped_column(Integer)
    excluded: Mapped[int] = mapped_column(Integer)
    wait_s: Mapped[float | None] = mapped_column(Float)
    service_s: Mapped[float | None] = mapped_column(Float)


class ReportVisitDay(Base):
    """A Vietnam day (YYYYMMDD) whose visits are in ``report_visit``."""

    __tablename__ = "report_visit_day"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)


class ReportState(Base):
    """The newest ticket event the day summaries were checked against (one row, id 1)."""

    __tablename__ = "report_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    checked_event_id: Mapped[int] = mapped_column(Integer, default=0)


class ReportDossier(Base):
    """Per dossier, the counts the dossier report sums (components, files, results, fees),
    and a copy of the dossier columns it filters and groups by: the report reads a period
    from this table alone.

    Never a source. Database triggers (migration 0013) bump ``gen`` on every
    insert, update or delete of a dossier's components, files, fees and status changes (and of a
    procedure component's ``must_digitize``), whatever code path writes them; the figures
    are valid only while ``built_gen = gen`` and are recomputed lazily by the report
    (:func:`desktop.reports.dossiers.refresh_summary`). Triggers on ``dossier`` (migration
    0017) create the row with the dossier and copy its columns, so every dossier has one;
    rows deleted by hand are restored by :func:`desktop.reports.dossiers.summarize_all`.
    """

    __tablename__ = "report_dossier"

    dossier_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    gen: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    built_gen: Mapped[int] = mapped_column(Integer, server_default=text("-1"))
    to_dig: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    dig: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    files: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    reusable: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    reused: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    has_result: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    signed: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    has_fee: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    paid_online: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    #: the first time the dossier reached done (9) or result returned (10)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The dossier's own columns the report filters, groups and classifies by, copied by the
    # triggers of migration 0017 in the transaction that writes the dossier (never stale, so
    # outside the gen rule); NULL only on a row left by a deleted dossier's cascade.
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    officer_id: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    legal_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # a period's dossiers straight from the summary; only received_at is indexed, so the
        # frequent gen bumps and status copies remain HOT updates on PostgreSQL
        Index("ix_report_dossier_received_at", "received_at", postgresql_where=text("received_at IS NOT NULL"),
              sqlite_where=text("received_at IS NOT NULL")),
    )


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
    Index("ix_queue_counter_session_counter_started", CounterSession.counter_id, CounterSession.started_at),
    # digitized components: "has this component a file?"
    Index("ix_digitized_file_component_id", DigitizedFile.component_id),
    # the dashboard's "due today" and the open-and-late list
    Index("ix_dossier_due_at", Dossier.due_at),
)
