"""E-mail to the citizen through the centre's mail server (smtplib; the message by ``email``).

The message is built from the job's payload only (subject, body, date and the attached
form, whose SHA-256 must still be the one queued), so every attempt sends the same message
with the same ``Message-ID``: the job's idempotency key, hashed, at the sender's domain.
Mail stores and clients recognise a repeated Message-ID; SMTP itself has no idempotency
(see desktop/outbox/notices.py for what that means for exactly-once).

A failure says whether it is worth retrying: a 5xx answer to the recipient, the sender or
the data is permanent (the job is parked with the server's words); no server configured,
a connection refused or dropped, a 4xx, a failed login are retried with the outbox's backoff.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from email.header import Header
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from desktop.config import Settings, get_secret
from desktop.kernel.i18n import msg
from desktop.outbox.adapters.base import DeliveryError

TIMEOUT = 30.0


def message_id(key: str, sender: str) -> str:
    """The same Message-ID for every attempt of one job."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "motcua.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}.motcua@{domain}>"


def _answer(code: int, text: bytes | str) -> str:
    t = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(t.split())}"[:300]


class SmtpSender:
    def __init__(self, host: str, port: int, security: str, user: str, password: str | None, sender: str,
                 *, timeout: float = TIMEOUT) -> None:
        self.host, self.port, self.security, self.user = host, port, security, user
        self.password, self.sender, self.timeout = password, sender, timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSender:
        # the password only from the environment or the keyring (``motcua config set smtp.password -``)
        password = get_secret("smtp.password") if settings.smtp_user else None
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_security, settings.smtp_user, password,
                   settings.smtp_sender)

    def message(self, key: str, payload: dict[str, Any]) -> EmailMessage:
        m = EmailMessage()
        m["From"] = self.sender
        m["To"] = payload["to"]
        # folded by the older Header encoder and stored as it is: Python 3.11's folding of a
        # long non-ASCII header can drop the space between two encoded words ("Giấytiếp")
        m.set_raw("Subject", Header(payload["subject"], "utf-8", header_name="Subject").encode())
        m["Date"] = payload["date"]
        m["Message-ID"] = message_id(key, self.sender)
        m["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to the centre
        m.set_content(payload["body"], cte="quoted-printable")  # 7-bit safe: no 8BITMIME needed
        path = Path(payload["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DeliveryError(msg("Không đọc được văn bản {f} để đính kèm: {e}.",
                                    "The form {f} to attach cannot be read: {e}.", f=path.name, e=exc.strerror or exc),
                                permanent=True) from exc
        if hashlib.sha256(data).hexdigest() != payload.get("sha256"):
            raise DeliveryError(msg("Văn bản {f} đã thay đổi từ khi được phát hành: không gửi.",
                                    "The form {f} changed since it was issued: not sent.", f=path.name),
                                permanent=True)
        m.add_attachment(data, maintype="application", subtype="pdf", filename=payload.get("filename") or path.name)
        m.set_boundary(f"=_motcua_{hashlib.sha256(key.encode()).hexdigest()[:24]}")  # byte for byte the same
        return m

    def send(self, key: str, payload: dict[str, Any]) -> str:
        """Send the job's e-mail; returns its Message-ID."""
        if not self.host or not self.sender:
            raise DeliveryError(msg("Chưa cấu hình máy chủ thư: đặt smtp.host và smtp.sender (motcua config set …); "
                                    "thư sẽ được gửi khi có cấu hình.",
                                    "No mail server is configured: set smtp.host and smtp.sender (motcua config "
                                    "set …); the e-mail goes once they are."))
        m = self.message(key, payload)
        where = f"{self.host}:{self.port}"
        try:
            context = ssl.create_default_context()
            smtp: smtplib.SMTP
            if self.security == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=context)
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(m)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (550, b""))
            raise DeliveryError(msg("Máy chủ thư từ chối địa chỉ {a}: {r}", "The mail server refused the address "
                                    "{a}: {r}", a=payload["to"], r=_answer(code, text)), permanent=code >= 500) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(msg("Máy chủ thư {h} không nhận đăng nhập {u}: {r} (kiểm tra smtp.user và "
                                    "smtp.password).", "The mail server {h} refused the login {u}: {r} (check "
                                    "smtp.user and smtp.password).", h=where, u=self.user,
                                    r=_answer(exc.smtp_code, exc.smtp_error))) from exc
        except UnicodeEncodeError as exc:  # smtplib encodes AUTH as ASCII (RFC 4616 allows UTF-8)
            raise DeliveryError(msg("Mật khẩu hoặc tên đăng nhập thư (smtp.user, smtp.password) có ký tự ngoài ASCII, "
                                    "mà smtplib không gửi được; đặt mật khẩu không dấu.",
                                    "The mail login (smtp.user, smtp.password) has non-ASCII characters, which "
                                    "smtplib cannot send; use a password without diacritics.")) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise DeliveryError(msg("Máy chủ thư {h} không nhận thư: {r}", "The mail server {h} did not take the "
                                    "e-mail: {r}", h=where, r=_answer(exc.smtp_code, exc.smtp_error)),
                                permanent=exc.smtp_code >= 500) from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused, dropped, timed out, TLS: try again later
            raise DeliveryError(msg("Không gửi được qua máy chủ thư {h}: {e}", "Could not send through the mail "
                                    "server {h}: {e}", h=where, e=f"{type(exc).__name__}: {exc}"[:200])) from exc
        return str(m["Message-ID"])


__all__ = ["SmtpSender", "message_id"]
