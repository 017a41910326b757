"""Outbox jobs, created in the same transaction as the change they upload.

Order per dossier is ``seq`` (dossier, then its files, then status changes); the
idempotency key is fixed at creation so a retry after a crash is recognised by the server.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.base import Base, UTCDateTime, utcnow


class JobKind(enum.StrEnum):
    DOSSIER = "dossier"
    FILE = "file"
    STATUS = "status"
    #: the audit chain's head, anchored at the dossier system (no dossier)
    ANCHOR = "anchor"
    #: a form sent to the citizen (desktop/outbox/notices.py): not to the dossier system, and
    #: ordered only among notices of the same kind of its dossier
    EMAIL = "email"
    SMS = "sms"


#: the kinds that go to the citizen rather than to the dossier system
NOTICE_KINDS = frozenset({JobKind.EMAIL, JobKind.SMS})


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    #: a digitized copy waiting for its organization signature to be verified; not sent
    #: before, and holding back nothing else of its dossier
    WAITING = "waiting"
    PARKED = "parked"
    #: a notice to the citizen whose channel (mail server, SMS gateway) is not configured on
    #: this workstation: not attempted, so it spends none of its attempts, and pending again
    #: once the channel is configured (``Outbox`` checks before each claim)
    UNCONFIGURED = "unconfigured"
    DONE = "done"


class OutboxJob(Base):
    __tablename__ = "outbox_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # JobKind
    #: empty for an audit anchor, which belongs to no dossier
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    dossier_code: Mapped[str] = mapped_column(String(60))
    seq: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    #: who holds the lease: "host pid start-time" (empty when nobody does)
    holder: Mapped[str] = mapped_column(String(200), default="", server_default="")
    state: Mapped[str] = mapped_column(String(20), default=OutboxState.PENDING.value)  # OutboxState
    #: sends begun (leases taken, less those given back unsent): shown, decides nothing
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: outcomes the dossier system (or the network) refused: the backoff and MAX_FAILURES count these
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: leases that ran out with no outcome recorded (the holder died), in a row: MAX_TAKEOVERS parks the job
    takeovers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_outbox_job_due", "state", "next_attempt_at"),)
