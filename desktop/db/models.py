"""Core tables: units, officers, procedure catalogue, dossiers and their files, calendar, audit.

The queue (``desktop/queue/models.py``) and the outbox (``desktop/outbox/models.py``) keep
their tables beside their code; ``desktop/models.py`` gathers every area's models.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
    true,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.db.base import Base, UTCDateTime, utcnow
from desktop.kernel.redact import remember_name
from desktop.kernel.text import dossier_search_key


class Role(enum.StrEnum):
    COUNTER_OFFICER = "counter_officer"
    POSTAL_AGENT = "postal_agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    #: built-in roles of the unattended screens; no officer account ever has them
    KIOSK = "kiosk"
    DISPLAY_BOARD = "display_board"
    #: the application's background uploader: sends what the workstation already queued
    UPLOADER = "uploader"
    #: the application's daily retention purge (storage.retention_days)
    RETENTION = "retention"


class DossierStatus(enum.IntEnum):
    """Lifecycle codes of the national public-service portal (the state machine: desktop/lifecycle)."""

    NEW = 1
    RECEIVED = 2
    NOT_RECEIVED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    FINANCIAL_OBLIGATION = 6
    WITHDRAWN = 7
    STOPPED = 8
    DONE = 9
    RESULT_RETURNED = 10


class Channel(int, enum.Enum):
    IN_PERSON = 1
    ONLINE = 2
    POSTAL = 3


class SignatureState(enum.StrEnum):
    UNSIGNED = "unsigned"
    SIGNED = "signed"
    VERIFIED = "verified"
    INVALID = "invalid"


class OrgUnit(Base):
    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: agency code per QCVN 102:2016, e.g. 000.00.06.H56
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(20), default="province")  # province|district|commune
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    address: Mapped[str] = mapped_column(String(255), default="")


class Officer(Base):
    __tablename__ = "officer"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the password was set by someone else (the built-in default, an administrator's reset)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    #: wrong passwords in a row; from the fifth on, each one locks the account longer
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    unit: Mapped[OrgUnit | None] = relationship()


class CliSession(Base):
    """A ``motcua login`` of one OS user: only the token's hash is kept; the token is in a 0600 file."""

    __tablename__ = "cli_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    os_user: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Procedure(Base):
    """An administrative procedure (TTHC) of the national catalogue."""

    __tablename__ = "procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    #: name without diacritics, lower case, for search that ignores them
    search_key: Mapped[str] = mapped_column(String(500), index=True)
    field: Mapped[str] = mapped_column(String(255), default="")
    level: Mapped[str] = mapped_column(String(60), default="")
    #: legal processing time in working days (0.5 = half a day; 0 = same day)
    days: Mapped[float] = mapped_column(Float)
    fees: Mapped[list] = mapped_column(JSON, default=list)
    result: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the receiving agency the catalogue names (QCVN 102:2016 code and name); "": the
    #: workstation's own unit receives (a postal agent receives for many departments)
    agency_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    agency_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    #: the default validity of the procedure's result in months from its date (None: the
    #: result has no end date unless the officer gives one); from the catalogue file
    result_valid_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the catalogue file that set the row last: "bundled <version>" (the application's own,
    #: refreshed at start) or "import <version>" (an administrator's, which seeding leaves alone);
    #: None for rows from before migration 0022, which could only hold the bundled catalogue
    source: Mapped[str | None] = mapped_column(String(120), nullable=True)

    components: Mapped[list[ProcedureComponent]] = relationship(
        back_populates="procedure", order_by="ProcedureComponent.position", cascade="all, delete-orphan"
    )


class ProcedureComponent(Base):
    """One required or optional paper (thành phần hồ sơ) of a procedure."""

    __tablename__ = "procedure_component"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(String(500))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    must_digitize: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the digitized copy is uploaded only once signed with the organization's signature
    #: and verified (Decree 30/2020); the catalogue may exempt a component
    must_sign: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: original | certified_copy | copy | original_or_certified_copy
    copy_kind: Mapped[str] = mapped_column(String(40), default="original")
    quantity: Mapped[int] = mapped_column(Integer, default=1)

    procedure: Mapped[Procedure] = relationship(back_populates="components")


class Dossier(Base):
    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"))
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id_number: Mapped[str] = mapped_column(String(20), default="", index=True)
    applicant_address: Mapped[str] = mapped_column(String(500), default="")
    applicant_phone: Mapped[str] = mapped_column(String(40), default="")
    applicant_email: Mapped[str] = mapped_column(String(200), default="")
    #: the organisation the applicant acts for (its tax code, "0100109106" or with a branch
    #: "-001", and its name); "" for a citizen's own dossier. Its documents go to that
    #: organisation's store (desktop.store). A server default only: a dossier made without them
    #: inserts neither column, so code (and tests) writing at an older revision keep working
    applicant_tax_code: Mapped[str] = mapped_column(String(14), server_default="", index=True)
    applicant_organisation: Mapped[str] = mapped_column(String(300), server_default="")
    channel: Mapped[int] = mapped_column(Integer, default=Channel.IN_PERSON.value)
    status: Mapped[int] = mapped_column(Integer, default=DossierStatus.RECEIVED.value)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the due date in force (an extension, form 04, moves it); None while the clock is paused
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the legal due date: reception + legal time + supplement pauses, never extensions; lateness
    #: in the indicators is judged against it
    legal_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the result was ready (status 9) and when it reached the citizen (status 10)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: where the citizen wants the result posted (channel 3): name, address, phone, email,
    #: province, district, commune, as registered at reception
    postal_address: Mapped[dict] = mapped_column(JSON, default=dict)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    #: queue ticket number of the visit, when the dossier came through the queue
    ticket_number: Mapped[str] = mapped_column(String(20), default="")
    #: the queue ticket of the visit the dossier was received in (one dossier per ticket)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("queue_ticket.id"), index=True)
    sets: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: code, applicant and ID number folded (desktop.dossier_search): the list's search
    search_key: Mapped[str] = mapped_column(String(400), default="", server_default="")
    #: raised by every change (SQLAlchemy's version counter): an edit made from a page read
    #: at an older version is refused instead of overwriting the other officer's change
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: when ``privacy purge`` finished with the dossier (personal data blanked, its files gone):
    #: later runs skip it instead of examining every dossier ever purged again
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    procedure: Mapped[Procedure] = relationship()
    officer: Mapped[Officer | None] = relationship()
    unit: Mapped[OrgUnit | None] = relationship()
    components: Mapped[list[DossierComponent]] = relationship(
        back_populates="dossier", order_by="DossierComponent.id", cascade="all, delete-orphan"
    )
    pauses: Mapped[list[DossierPause]] = relationship(
        back_populates="dossier", order_by="DossierPause.started_at", cascade="all, delete-orphan"
    )
    status_history: Mapped[list[DossierStatusChange]] = relationship(
        back_populates="dossier", order_by="DossierStatusChange.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_dossier_received", "received_at"),
        # the purge's candidates: closed by status among the dossiers not purged yet; partial, so
        # the years of purged dossiers are not in it (migration 0018)
        Index("ix_dossier_unpurged_status", "status", postgresql_where=text("purged_at IS NULL"),
              sqlite_where=text("purged_at IS NULL")),
    )
    #: eager_defaults off: a dossier made without the organisation columns neither inserts nor
    #: RETURNs them (they are read when first used), so a write at a revision before 0019 works
    __mapper_args__ = {"version_id_col": version, "eager_defaults": False}


@event.listens_for(Dossier, "before_insert")
@event.listens_for(Dossier, "before_update")
def _keep_search_key(mapper: object, connection: object, d: Dossier) -> None:
    """Every path that records or edits a dossier keeps its list search key true."""
    d.search_key = dossier_search_key(d.code, d.applicant_name or "", d.applicant_id_number or "")
    remember_name(d.applicant_name)


@event.listens_for(Dossier, "load")
def _mask_in_logs(d: Dossier, context: object) -> None:
    """A citizen this process has seen is masked in its log lines (desktop.kernel.redact)."""
    remember_name(d.applicant_name)


class DossierStatusChange(Base):
    __tablename__ = "dossier_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    status: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    #: the lifecycle action (desktop.lifecycle.Action) that made this entry; "" for old rows
    action: Mapped[str] = mapped_column(String(30), default="")
    #: the national portal's record of the dossier at this moment (sent with the status)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    dossier: Mapped[Dossier] = relationship(back_populates="status_history")


class DossierPause(Base):
    """A "request to complete the dossier" period: the legal clock stops meanwhile."""

    __tablename__ = "dossier_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: components asked for (codes or names)
    components: Mapped[list] = mapped_column(JSON, default=list)
    #: working minutes left before the due date in force / the legal one when the clock stopped
    #: (negative: already late by that much); the clock continues with them on resumption
    remaining_minutes: Mapped[float | None] = mapped_column(Float)
    legal_remaining_minutes: Mapped[float | None] = mapped_column(Float)

    dossier: Mapped[Dossier] = relationship(back_populates="pauses")


class DossierComponent(Base):
    __tablename__ = "dossier_component"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    procedure_component_id: Mapped[int | None] = mapped_column(ForeignKey("procedure_component.id"))
    code: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(String(500))
    copy_kind: Mapped[str] = mapped_column(String(40), default="original")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    received: Mapped[bool] = mapped_column(Boolean, default=True)
    #: copied from the procedure at reception: a later catalogue change leaves this dossier as it was
    must_sign: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    dossier: Mapped[Dossier] = relationship(back_populates="components")
    files: Mapped[list[DigitizedFile]] = relationship(back_populates="component", order_by="DigitizedFile.id")


class DigitizedFile(Base):
    """A PDF made from a component (kind=component) or a result the unit issues (kind=result)."""

    __tablename__ = "digitized_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("dossier_component.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), default="component")
    path: Mapped[str] = mapped_column(String(1000))
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    ocr_text: Mapped[str] = mapped_column(Text, default="")
    #: a VARCHAR as before (no CHECK, no migration), read back as the enum; writing any other
    #: string raises before it reaches the database (set_signature_state took any string once)
    signature_state: Mapped[SignatureState] = mapped_column(
        SAEnum(SignatureState, native_enum=False, create_constraint=False, length=20, validate_strings=True,
               values_callable=lambda e: [m.value for m in e]),
        default=SignatureState.UNSIGNED)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reusable: Mapped[bool] = mapped_column(Boolean, default=True)
    #: made from paper by scanning (True) or born electronic (a PDF result issued as such)
    digitized: Mapped[bool] = mapped_column(Boolean, default=True)
    #: linked from the citizen's document store instead of scanned (the portal's "taken from the store")
    reused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: a result's last valid day (Circular 01/2023's validity, in its QR); None: no end date, or a component
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    component: Mapped[DossierComponent | None] = relationship(back_populates="files")

    # the purge asks which dossiers still use a path (a reuse links one file to several dossiers);
    # a hash index on PostgreSQL: only equality is asked, and a B-tree refuses keys over ~2.7 kB
    __table_args__ = (Index("ix_digitized_file_path", "path", postgresql_using="hash"),)


class CodeSequence(Base):
    """Last dossier number issued per unit and day (``<agency>-<YYMMDD>-<NNNN>``)."""

    __tablename__ = "code_sequence"

    unit_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[str] = mapped_column(String(6), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class LearnedTitle(Base):
    """A page title the centre's officers confirmed for a component when correcting the
    whole-dossier split (:class:`scanning.classify.LearnedTitles`). One row per (folded
    component name, folded title) with a count, so two workstations that learn the same
    title at once add to one row rather than overwrite a shared JSON blob."""

    __tablename__ = "learned_title"

    id: Mapped[int] = mapped_column(primary_key=True)
    component: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(500))
    count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80), default="")

    __table_args__ = (UniqueConstraint("component", "title", name="uq_learned_title_component_title"),)


class CounterFavourite(Base):
    """A procedure the officers of one counter marked as a favourite: reception lists it first.

    Kept per counter (the workstation's unit code and its queue counter), so every officer who
    sits there shares the list, and on PostgreSQL the centre's workstations see each other's
    counters apart. By procedure code, not id: the catalogue is versioned by code, so a
    procedure that a catalogue version drops and a later one brings back is a favourite again,
    and one that left the catalogue is skipped by the list rather than breaking it."""

    __tablename__ = "counter_favourite"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(40))
    #: the queue counter's number ("" for a workstation without a queue counter)
    counter: Mapped[str] = mapped_column(String(100))
    procedure_code: Mapped[str] = mapped_column(String(40))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(80), default="")

    __table_args__ = (UniqueConstraint("unit_code", "counter", "procedure_code",
                                       name="uq_counter_favourite_counter_procedure"),)


class CalendarDay(Base):
    """An exception to the Monday–Friday working week.

    kind: ``holiday`` (public holiday), ``off`` (day off in lieu or swapped day off),
    ``working`` (a weekend day worked to make up a swap). ``source`` is ``seed`` for the
    bundled data and ``local`` for the centre's own overrides, which win.
    """

    __tablename__ = "calendar_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(10), default="seed")

    __table_args__ = (UniqueConstraint("day", "source", name="uq_calendar_day_day_source"),)


class AuditEvent(Base):
    """Append-only, hash-chained record of who changed what."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3 … without gaps; a missing number is a deleted row
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity_type: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[str] = mapped_column(String(80), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: HMAC-SHA256 of the event with the workstation's audit key (kept outside the database)
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditHead(Base):
    """The newest audit sequence number and hash, so deleting the last rows is detected too."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")
    #: HMAC of (seq, hash): moving the head back needs the key
    mac: Mapped[str | None] = mapped_column(String(64))
