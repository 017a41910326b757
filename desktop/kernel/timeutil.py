"""Time zone helpers: the counter works in Vietnam time (UTC+7, no DST); storage is UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    return datetime.now(UTC)


def now_vn() -> datetime:
    return datetime.now(VN_TZ)


def to_vn(dt: datetime) -> datetime:
    """Aware datetime in Vietnam time; a naive one is taken to be Vietnam time already."""
    return dt.replace(tzinfo=VN_TZ) if dt.tzinfo is None else dt.astimezone(VN_TZ)


def iso_vn(dt: datetime) -> str:
    """ISO 8601 with the +07:00 offset and whole seconds, as the signature rules ask."""
    return to_vn(dt).replace(microsecond=0).isoformat()
