"""Sealing a result with the organization's seal profile, then verifying it (the seam).

:class:`ResultSealer` is what the lifecycle needs: seal a file already attached to the
dossier and say whether the signature verifies. The application layer's
``desktop.workflow.signing.FileSealer`` does it through the one signing path for dossier
files (sign in place, verify, record, audit, release the upload).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, Protocol

from desktop.auth import Actor
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg


@dataclass(frozen=True)
class SealCheck:
    ok: bool
    signer: str = ""
    problems: list[str] = field(default_factory=list)


class ResultSealer(Protocol):
    def seal_file(self, actor: Actor, file_id: int, *, valid_until: date | None = None) -> SealCheck:
        """Seal the dossier file ``file_id`` in place, verify it, record its signature state;
        ``valid_until`` (None: no end date) goes into the citizen's store with it."""
        ...


#: ``attach_result(valid_until=FROM_CATALOGUE)``: the procedure's default validity, if the catalogue gives one
FROM_CATALOGUE: Literal["catalogue"] = "catalogue"
Validity = date | None | Literal["catalogue"]


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, the day clamped to the month's end (31/8 + 6 → 28/2)."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_validity(text: str) -> date | None:
    """``--valid-until``: ``YYYY-MM-DD``, or ``none`` for a result with no end date."""
    t = text.strip().lower()
    if t in ("none", "không", "khong"):
        return None
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise InvalidInput(msg("Hiệu lực “{t}” không hợp lệ: ghi ngày YYYY-MM-DD, hoặc none nếu không thời hạn.",
                               "Validity “{t}” is not valid: give a date YYYY-MM-DD, or none for no end date.",
                               t=text)) from None


def check_validity(valid_until: date | None, result_day: date) -> None:
    """A result cannot expire before the day it is issued."""
    if valid_until is not None and valid_until < result_day:
        raise InvalidInput(msg(
            "Hiệu lực đến {v} trước ngày cấp kết quả {d}: hãy ghi một ngày từ {d} trở đi, hoặc “không thời hạn”.",
            "A validity until {v} is before the result's date {d}: give a date on or after {d}, or “no end date”.",
            v=valid_until.strftime("%d/%m/%Y"), d=result_day.strftime("%d/%m/%Y")))


def check_is_pdf(path: Path) -> None:
    """A result must be a PDF: refuse anything else before a token is touched."""
    if not path.is_file():
        raise InvalidInput(msg("Không tìm thấy tệp {p}.", "File {p} not found.", p=path))
    with open(path, "rb") as f:
        head = f.read(1024)
    if not head.lstrip().startswith(b"%PDF-"):
        raise InvalidInput(msg("{p} không phải tệp PDF; kết quả phải là PDF (bản số hóa hoặc bản điện tử).",
                               "{p} is not a PDF; a result must be a PDF (digitized or electronic).", p=path.name))
