"""Personal data masked out of text bound for the log: CCCD numbers, phones, citizens' names.

The log file is read by whoever troubleshoots the workstation and is sent along with bug
reports; it must not become a second register of citizens. Numbers are recognised by their
shape (a CCCD's 12 digits beginning with 0, whole or grouped; a CMND's 9; a mistyped CCCD;
Vietnamese phone numbers) wherever they stand in the text, and keep their last three digits,
enough to tell two apart while debugging; timestamps, codes and sums of money are left alone; names cannot be recognised by shape, so the names this
process has seen as an applicant's (registered by the database models when a dossier is
loaded or written) are masked to their initials.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import OrderedDict

#: no digit, nor a digit and a separator, just before (the middle of a longer number is not one)
_LEFT = r"(?<!\d)(?<!\d[.,-])"
#: and none after; nor a money unit: "150.000.000 đồng" is a fee, not a CMND
_RIGHT = r"(?!\d)(?![.,-]\d)(?!\s?(?:đ|đồng|vnđ|vnd)(?!\w))"
#: an ID number as people write it: a CCCD is 12 digits and always begins with 0 (its province
#: code is 001–096), written whole or in groups (079 301 234 567, 0793.0123.4567); an old CMND
#: is 9 digits (123456789, 123 456 789); a CCCD mistyped by a digit or three still begins with 0.
#: A number of 10–12 digits that does not begin with 0 is not one: a timestamp (1765108800,
#: 202612071208) or a code, left as it is
CCCD = re.compile(
    _LEFT + r"(?:0\d{2}(?P<a>[ .-])\d{3}(?P=a)\d{3}(?P=a)\d{3}|0\d{3}(?P<b>[ .-])\d{4}(?P=b)\d{4}|0\d{8,11}"
    r"|\d{3}(?P<c>[ .-])\d{3}(?P=c)\d{3}|\d{9})" + _RIGHT, re.IGNORECASE)
#: a Vietnamese phone: 0, +84, 84 or (+84) then 9 digits, separators allowed between digits
PHONE = re.compile(r"(?<![\d+])(?:\(\+?84\)\s?|\+84|84|0)(?:[ .-]?\d){9}(?!\d)")
#: names remembered at most (the newest kept): a bounded registry whatever the day's traffic
MAX_NAMES = 5000

_lock = threading.Lock()
_names: OrderedDict[str, None] = OrderedDict()
_pattern: re.Pattern[str] | None = None


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def remember_name(name: str | None) -> None:
    """Mask ``name`` in every later log line (a citizen's full name: two words or more)."""
    global _pattern
    if not name:
        return
    n = _norm(name)
    if len(n) < 4 or " " not in n:
        return  # a single word would mask ordinary words of the messages
    with _lock:
        if n in _names:
            _names.move_to_end(n)
            return
        _names[n] = None
        while len(_names) > MAX_NAMES:
            _names.popitem(last=False)
        _pattern = None


def forget_names() -> None:
    global _pattern
    with _lock:
        _names.clear()
        _pattern = None


def _names_pattern() -> re.Pattern[str] | None:
    global _pattern
    with _lock:
        if _pattern is None and _names:
            # longest first: "Nguyễn Văn An" before "Nguyễn Văn"
            alts = sorted(_names, key=len, reverse=True)
            _pattern = re.compile("|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts), re.IGNORECASE)
        return _pattern


def _digits_tail(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return "*" * (len(digits) - 3) + digits[-3:]


def _initials(m: re.Match[str]) -> str:
    return " ".join(w[0] + "." for w in m.group(0).split())


#: a reference, hash or fingerprint (16+ lowercase hex characters, at least one a letter): the
#: audit's citizen reference replaces a number with one, and a run of 9 digits inside it
#: (ae6e091563624fa2) read as a CMND, so masking it broke the lookup by reference
_HEX_TOKEN = re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])[0-9a-f]{16,}(?![0-9A-Za-z])")


def _mask_plain(text: str) -> str:
    return PHONE.sub(_digits_tail, CCCD.sub(_digits_tail, text))


def mask_numbers(text: str) -> str:
    """``text`` with CCCD/CMND and phone numbers masked (not names: the same text always gives
    the same result, whatever this process has seen — what a record kept for ever needs)."""
    if not text:
        return text
    out, at = [], 0
    for m in _HEX_TOKEN.finditer(text):
        out += [_mask_plain(text[at:m.start()]), m.group(0)]
        at = m.end()
    out.append(_mask_plain(text[at:]))
    return "".join(out)


def mask(text: str) -> str:
    """``text`` with CCCD numbers, phone numbers and remembered names masked."""
    if not text:
        return text
    out = mask_numbers(text)
    pattern = _names_pattern()
    if pattern is not None:
        out = pattern.sub(_initials, unicodedata.normalize("NFC", out))
    return out


class PersonalDataFilter(logging.Filter):
    """Masks personal data in a record's message and traceback; installed on every log handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is the handler's to report, unmasked args dropped
            text = str(record.msg)
        masked = mask(text)
        if masked != text or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


__all__ = ["PersonalDataFilter", "forget_names", "mask", "mask_numbers", "remember_name"]
