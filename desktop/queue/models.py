"""Queue tables. Times of a visit are derived from ``ticket_event`` rows, never stored by hand.

A ticket's wait is (call − issue), with the last call counting after a recall; its service
time is (end − start). The ``state`` and ``counter_id`` columns of a ticket are a cache of
its newest event, kept in the same transaction, so "call next" can lock and skip rows.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.db.base import Base, EnumText, UTCDateTime, utcnow


class QueueService(Base):
    __tablename__ = "queue_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: letter printed before the number, e.g. "A" → A012
    prefix: Mapped[str] = mapped_column(String(4))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Counter(Base):
    __tablename__ = "queue_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: codes of the services this counter serves
    services: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TicketState(enum.StrEnum):
    """Where a ticket is; a transfer puts it back to WAITING in the other service."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"


#: the states in which a ticket occupies its counter
ACTIVE = (TicketState.CALLED, TicketState.SERVING)


class SessionState(enum.StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class CounterSession(Base):
    """An officer signed in at a counter; opening, pauses and closing are its events.

    ``state`` (open | paused | closed) is a cache of the newest event, kept in the same
    transaction, so "call next" can check it inside its one statement. At most one
    session per counter is open or paused (a partial unique index says so).
    """

    __tablename__ = "queue_counter_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("queue_counter.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[SessionState] = mapped_column(EnumText(SessionState, 10), default=SessionState.OPEN,
                                                server_default="open")

    __table_args__ = (Index("uq_queue_counter_session_live", "counter_id", unique=True,
                            postgresql_where=text("state IN ('open', 'paused')"),
                            sqlite_where=text("state IN ('open', 'paused')")),)


class CounterSessionEvent(Base):
    """Append-only: open, pause (with its reason), resume, close."""

    __tablename__ = "queue_counter_session_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("queue_counter_session.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")


class Ticket(Base):
    __tablename__ = "queue_ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12))
    day: Mapped[str] = mapped_column(String(8))  # YYYYMMDD, Vietnam time: numbers restart daily
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"))
    #: a :class:`desktop.queue.priority.Priority` value (walk_in, elderly, child_under_6, ...)
    priority: Mapped[str] = mapped_column(String(20), default="walk_in")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[TicketState] = mapped_column(EnumText(TicketState, 20), default=TicketState.WAITING)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counter.id"))
    dossier_code: Mapped[str] = mapped_column(String(60), default="")

    service: Mapped[QueueService] = relationship()
    events: Mapped[list[TicketEvent]] = relationship(back_populates="ticket", order_by="TicketEvent.id")

    __table_args__ = (Index("ix_queue_ticket_state", "state", "service_id"),
                      Index("uq_queue_ticket_day_number", "day", "number", unique=True),
                      # one citizen at a counter at a time, even if two calls race for it
                      Index("uq_queue_ticket_counter_active", "counter_id", unique=True,
                            postgresql_where=text("state IN ('called', 'serving')"),
                            sqlite_where=text("state IN ('called', 'serving')")))


class TicketEvent(Base):
    """Append-only: issue, call, recall, skip, transfer, start, end."""

    __tablename__ = "queue_ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counter.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class Appointment(Base):
    """An online booking (đặt lịch hẹn), imported from the booking system."""

    __tablename__ = "queue_appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    service_code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("queue_ticket.id"))
