"""The SQLAlchemy declarative base shared by every area's models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from desktop.kernel.timeutil import utcnow

__all__ = ["Base", "EnumText", "UTCDateTime", "utcnow", "NAMING"]

E = TypeVar("E", bound=enum.StrEnum)

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on every backend.

    SQLite has no time zone type; storing naive UTC and re-attaching UTC on load keeps
    arithmetic (wait times, due dates) identical on SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class EnumText(TypeDecorator[E]):
    """A StrEnum kept as its plain text value (a VARCHAR, as the migrations made it).

    Rows come back as the enum, so a state read from the database is the same type the
    code compares it with; a value outside the enum is refused when written.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum_type: type[E], length: int) -> None:
        super().__init__(length)
        self.enum_type = enum_type

    def process_bind_param(self, value: Any, dialect: object) -> str | None:
        return None if value is None else self.enum_type(value).value

    def process_result_value(self, value: Any, dialect: object) -> E | None:
        return None if value is None else self.enum_type(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
