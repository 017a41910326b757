"""Notices to the citizen: an issued form (04 above all) sent by e-mail and by SMS.

Circular 03/2025 has the apology and extension letter (form 04) reach the citizen, by
e-mail or SMS too when they can be reached so. A notice is an outbox job (kind ``email``
or ``sms``) queued in the transaction that records the form's issue, so the form and its
notice are committed together; the outbox worker sends it with its retries and backoff.

* **What is sent is fixed when it is queued**: subject, body, SMS text, the date and the
  attachment's SHA-256 are in the job's payload, so every attempt sends the same message.
  The stored payload loses the address and the texts once delivered (``minimise.py``).
* **Exactly once, as far as SMTP allows.** SMTP has no idempotency key: a connection lost
  after the end of DATA and before the server's 250 leaves the sender unsure (RFC 1047),
  and a crash between the 250 and the commit that marks the job done sends it again. The
  window is kept to the commit of one row: a notice is claimed in a batch of its own, so its
  outcome is committed the moment the server accepted it. And every attempt carries the
  same ``Message-ID``, derived from the job's idempotency key, by which mail stores and
  clients recognise a duplicate. The SMS gateway gets the key as ``Idempotency-Key`` and
  ``request_id`` (most Vietnamese gateways take a client reference and refuse a repeat).
* **Length of an SMS** (3GPP TS 23.038): text in the GSM 7-bit alphabet takes 160
  characters in one part, 153 a part when concatenated; anything else is UCS-2: 70, or 67
  a part. Vietnamese with its diacritics is UCS-2, and brand-name SMS in Vietnam is usually
  registered unaccented, so ``sms.text = "plain"`` (the default) strips them. The text is
  shortened to ``sms.max_parts``; the e-mail carries the whole letter.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parseaddr
from typing import Any

from desktop.config import Settings
from desktop.forms.data import FormData
from desktop.kernel.i18n import msg
from desktop.kernel.text import unaccent
from desktop.kernel.timeutil import to_vn, utcnow

#: the forms a citizen receives (06, the control sheet, and 07, the register, are the agency's)
CITIZEN_FORMS = ("01", "02", "03", "04", "05")
#: forms whose issue sends a notice by itself; the others are sent by the officer's choice
AUTO_FORMS = frozenset({"04"})


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class SmsText(enum.StrEnum):
    #: no diacritics, GSM 7-bit alphabet (what brand-name SMS gateways expect)
    PLAIN = "plain"
    #: with diacritics: UCS-2, 70 characters a part
    UNICODE = "unicode"


# 3GPP TS 23.038: the basic GSM 7-bit character set, and the extension table (two septets each)
GSM7_BASIC = frozenset("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "gsm7" or "ucs2"
    units: int  # septets (GSM 7-bit) or UTF-16 code units (UCS-2)
    parts: int


def sms_length(text: str) -> SmsLength:
    """How many parts ``text`` takes as an SMS (single: 160 septets / 70 UCS-2 units; a
    concatenated part loses 7 septets / 3 units to its header)."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXT for ch in text):
        units = sum(2 if ch in GSM7_EXT else 1 for ch in text)
        return SmsLength("gsm7", units, 1 if units <= 160 else math.ceil(units / 153))
    units = len(text.encode("utf-16-le")) // 2
    return SmsLength("ucs2", units, 1 if units <= 70 else math.ceil(units / 67))


def fit_sms(text: str, max_parts: int) -> str:
    """``text`` shortened (at a word, with "...") to at most ``max_parts`` parts."""
    max_parts = max(1, max_parts)
    if sms_length(text).parts <= max_parts:
        return text
    words = text.split(" ")
    while words:
        words.pop()
        short = " ".join(words).rstrip(" ,.;:") + "..."
        if sms_length(short).parts <= max_parts:
            return short
    return text[: 60 * max_parts]


_PLAIN: dict[str, str | int | None] = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."}
_PLAIN_PUNCTUATION = str.maketrans(_PLAIN)


def sms_text(text: str, settings: Settings) -> str:
    """The SMS as the gateway gets it: unaccented unless ``sms.text = "unicode"``, and fitted."""
    if settings.sms_text != SmsText.UNICODE:
        text = unaccent(text)
        # what is still outside the GSM alphabet (typographic quotes, dashes …) becomes plain
        text = text.translate(_PLAIN_PUNCTUATION)
        text = "".join(ch if ch in GSM7_BASIC or ch in GSM7_EXT else "?" for ch in text)
    return fit_sms(" ".join(text.split()), settings.sms_max_parts)


_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def valid_email(address: str) -> bool:
    name, addr = parseaddr(address.strip())
    return bool(addr) and _EMAIL.match(addr) is not None


def phone_e164(phone: str) -> str:
    """A Vietnamese number as gateways take it ("0912 345 678" → "84912345678"); "" if it is not one."""
    digits = re.sub(r"[\s.\-()]", "", phone.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits if digits.isdigit() and digits.startswith("84") and 10 <= len(digits) <= 12 else ""


def masked(address: str) -> str:
    """What the audit log and the history keep of an address: enough to tell which one."""
    if "@" in address:
        user, _, domain = address.partition("@")
        return f"{user[:1]}…@{domain}"
    return f"…{address[-3:]}" if len(address) > 3 else "…"


def _vn_time(dt: datetime | None) -> str:
    return to_vn(dt).strftime("%H:%M ngày %d/%m/%Y") if dt else "—"


@dataclass(frozen=True)
class Notice:
    """One form to send to one citizen, composed once, in Vietnamese (the citizen's language)."""

    number: str
    title: str
    subject: str
    body: str
    sms: str


def compose(number: str, title: str, data: FormData) -> Notice:
    """The e-mail and the SMS for form ``number`` (``title`` as the template names it)."""
    agency = data.org.agency or "Bộ phận Một cửa"
    name = data.applicant_name or "Ông/Bà"
    lines = [f"Kính gửi Ông/Bà {name},", "",
             f"{agency} gửi Ông/Bà {title[:1].lower() + title[1:]} đối với hồ sơ {data.code} ({data.procedure_name})."]
    short = f"{agency}: {title} - hồ sơ {data.code}"
    if number == "04":
        lines += ["",
                  f"Hồ sơ chưa giải quyết xong trong thời hạn đã hẹn ({_vn_time(data.previous_due)}).",
                  f"Lý do: {data.extension_reason or '—'}.",
                  f"Thời hạn trả kết quả mới: {_vn_time(data.new_due)}.",
                  "Chúng tôi chân thành xin lỗi Ông/Bà vì sự chậm trễ này."]
        short = (f"{agency} xin lỗi: hồ sơ {data.code} được gia hạn đến {_vn_time(data.new_due)}. "
                 f"Lý do: {data.extension_reason or '-'}")
    elif number == "02":
        lines += ["", f"Ông/Bà vui lòng bổ sung, hoàn thiện hồ sơ. Lý do: {data.supplement_reason or '—'}."]
        short = f"{agency}: hồ sơ {data.code} cần bổ sung. Lý do: {data.supplement_reason or '-'}"
    elif number in ("03", "05"):
        lines += ["", f"Lý do: {data.reason or '—'}."]
        short = f"{agency}: {title} - hồ sơ {data.code}. Lý do: {data.reason or '-'}"
    elif number == "01":
        lines += ["", f"Ngày hẹn trả kết quả: {_vn_time(data.due_at)}."]
        short = f"{agency} đã tiếp nhận hồ sơ {data.code}, hẹn trả kết quả {_vn_time(data.due_at)}"
    lines += ["", "Văn bản đính kèm (tệp PDF) là bản điện tử do cơ quan phát hành.",
              *( [f"Mọi thắc mắc xin liên hệ: {data.org.help_line}."] if data.org.help_line else []),
              "", "Đây là thư tự động, xin Ông/Bà không trả lời thư này.", "", agency]
    return Notice(number, title, f"Hồ sơ {data.code}: {title}", "\n".join(lines), short)


def payloads(notice: Notice, data: FormData, settings: Settings, *, path: str, sha256: str,
             at: datetime | None = None) -> dict[Channel, dict[str, Any]]:
    """The outbox payload of each channel this citizen can be reached on (none: {})."""
    at = at or utcnow()
    out: dict[Channel, dict[str, Any]] = {}
    common = {"form": notice.number, "sha256": sha256, "queued_at": to_vn(at).isoformat()}
    if data.email and valid_email(data.email):
        out[Channel.EMAIL] = {**common, "to": data.email.strip(), "name": data.applicant_name,
                              "subject": notice.subject, "body": notice.body, "path": path,
                              "filename": f"Mau-{notice.number}-{data.code}.pdf",
                              "date": format_datetime(to_vn(at))}
    phone = phone_e164(data.phone)
    if phone and settings.sms_url:  # an SMS only where the centre has a gateway
        text = sms_text(notice.sms, settings)
        length = sms_length(text)
        out[Channel.SMS] = {**common, "to": phone, "text": text, "encoding": length.encoding, "parts": length.parts}
    return out


def not_reachable() -> str:
    return msg("Hồ sơ không có địa chỉ thư điện tử (hay số điện thoại và cổng SMS) để gửi văn bản cho công dân.",
               "The dossier has no e-mail address (nor a phone number with an SMS gateway) to send the form to.")


__all__ = ["AUTO_FORMS", "CITIZEN_FORMS", "Channel", "Notice", "SmsLength", "SmsText", "compose", "fit_sms",
           "masked", "not_reachable", "payloads", "phone_e164", "sms_length", "sms_text", "valid_email"]
