"""Tables of a dossier's life after reception: due-date history, process log, fees, returns.

History rows are only ever added (a due date that changes keeps the previous one in its
row; a hand-off is a new row), so the control sheet (form 06) and the national portal's
supplement history and process log are read straight from them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.base import Base, UTCDateTime, utcnow


class DueKind(enum.StrEnum):
    RECEIVE = "receive"
    SUPPLEMENT = "supplement"
    RESUME = "resume"
    EXTEND = "extend"


class StepOutcome(enum.StrEnum):
    """Result of one step of the process against the time allotted to it (form 06)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


class FeeCollection(enum.StrEnum):
    BEFORE = "before"
    AFTER = "after"
    EXEMPT = "exempt"


class PayMethod(enum.StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"
    ONLINE = "online"


class FeeState(enum.StrEnum):
    WAITING = "waiting"
    PAID = "paid"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"


class ReturnChannel(enum.StrEnum):
    COUNTER = "counter"
    POST = "post"
    ONLINE = "online"


class ReturnState(enum.StrEnum):
    RETURNED = "returned"
    #: on the postal agent's handover list, not yet taken by the post
    AWAITING_POST = "awaiting_post"
    SENT = "sent"
    DELIVERED = "delivered"


class DueChange(Base):
    """One change of a dossier's due date, with the previous one (never overwritten)."""

    __tablename__ = "dossier_due_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    kind: Mapped[str] = mapped_column(String(20))
    previous_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    previous_legal_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_legal_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")


class Handoff(Base):
    """One hand-off of the dossier (control sheet row, the portal's process log entry).

    ``outcome`` judges the step that ends with this hand-off against ``step_due`` of the
    previous row; ``step_due`` here is the end of the time allotted to the next step.
    """

    __tablename__ = "dossier_handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    giver: Mapped[str] = mapped_column(String(200), default="")
    giver_title: Mapped[str] = mapped_column(String(200), default="")
    receiver: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(30), default="")
    status: Mapped[int] = mapped_column(Integer)
    step_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Fee(Base):
    """A fee or charge of the dossier, from the procedure's catalogue entry."""

    __tablename__ = "dossier_fee"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(40), default="")
    #: Vietnamese đồng
    amount: Mapped[int] = mapped_column(Integer, default=0)
    collection: Mapped[str] = mapped_column(String(10), default=FeeCollection.BEFORE.value)
    state: Mapped[str] = mapped_column(String(10), default=FeeState.WAITING.value)
    method: Mapped[str] = mapped_column(String(10), default="")
    receipt_ref: Mapped[str] = mapped_column(String(100), default="")
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))


class ResultReturn(Base):
    """How the result reached (or is on its way to) the citizen."""

    __tablename__ = "dossier_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    recipient_id_number: Mapped[str] = mapped_column(String(20), default="")
    #: the authorization letter of a proxy, digitized into the dossier
    proxy_file_id: Mapped[int | None] = mapped_column(ForeignKey("digitized_file.id", ondelete="SET NULL"))
    #: the postal agent's handover list this dossier is on, and the post's waybill number
    handover_no: Mapped[str] = mapped_column(String(40), default="", index=True)
    waybill: Mapped[str] = mapped_column(String(60), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
