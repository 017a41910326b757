"""The store's index: one row per signed, verified document of a citizen or organisation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.db.base import Base, UTCDateTime, utcnow


class StoredDocument(Base):
    __tablename__ = "store_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the citizen's ID number (CCCD) and, for an organisation, its tax code ("" when unknown)
    id_number: Mapped[str] = mapped_column(String(20), default="", index=True)
    tax_code: Mapped[str] = mapped_column(String(20), default="", index=True)
    #: component | result (the digitized file's kind)
    kind: Mapped[str] = mapped_column(String(20), default="component")
    #: the component code (or the result kind) a later dossier's slot is matched on, and its name
    doc_type: Mapped[str] = mapped_column(String(40), default="")
    doc_name: Mapped[str] = mapped_column(String(500), default="")
    #: what the paper says: its number, who issued it, when, and until when it is valid
    number: Mapped[str] = mapped_column(String(80), default="")
    issuer: Mapped[str] = mapped_column(String(255), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    #: None: valid without end date
    valid_until: Mapped[date | None] = mapped_column(Date)
    path: Mapped[str] = mapped_column(String(1000))
    #: the signed bytes' SHA-256 when indexed: a changed file is refused before verification
    sha256: Mapped[str] = mapped_column(String(64))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("digitized_file.id", ondelete="SET NULL"))
    source_dossier: Mapped[str] = mapped_column(String(60), default="")
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reuse_count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_store_document_file", "file_id", unique=True),)
