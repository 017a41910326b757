"""E-mail to the citizen through the centre's mail server (smtplib; the message by ``email``).

The message is built from the job's payload only (subject, body, date and the attached
form, whose SHA-256 must still be the one queued), so every attempt sends the same message
with the same ``Message-ID``: the job's idempotency key, hashed, at the sender's domain.
Mail stores and clients recognise a repeated Message-ID; SMTP itself has no idempotency
(see desktop/outbox/notices.py for what that means for exactly-once).

**TLS.** A province's relay wants STARTTLS (587) or implicit TLS (465), often with a
certificate from the province's own CA: ``smtp.ca_file`` names that CA (PEM), and then
only it is trusted for the relay; the certificate must name ``smtp.host`` unless
``smtp.check_hostname`` is off, which is allowed only with such a CA. Nothing is ever said
in clear once TLS was asked for: a relay that does not offer STARTTLS, or whose certificate
does not verify, gets no MAIL and no login. A login (``smtp.user``) goes only over TLS.

**What a failure means** (:class:`DeliveryError`):

* a configuration that cannot work (no host or sender, a login without TLS, a CA file
  that is missing or holds no certificate, a login without its password) is found before
  connecting by :func:`configuration_problem`: the outbox keeps such notices waiting for
  the configuration, without spending their attempts (``desktop/outbox/notices.py``);
* permanent, parked with the reason: a 5xx answer to the recipient, the sender or the data;
  a certificate that does not verify, a relay without STARTTLS, a TLS/plain mismatch of
  ``smtp.security`` and the port — configuration errors of the relay or of this
  workstation that no retry mends, said as such (with the relay and the certificate's problem);
* retried with the outbox's backoff: a connection refused, dropped or timed out, a 4xx, a
  failed login.
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

from desktop.config import Settings, SmtpSecurity, get_secret
from desktop.kernel.i18n import msg
from desktop.outbox.adapters.base import DeliveryError

TIMEOUT = 30.0

#: OpenSSL's verification codes (x509_vfy.h) that mean "not issued by a CA trusted for the relay"
_UNTRUSTED = frozenset({2, 18, 19, 20, 21})
_HOSTNAME_MISMATCH, _EXPIRED, _NOT_YET_VALID = 62, 10, 9
#: OpenSSL's reasons for a handshake that met plain SMTP (or the reverse): smtp.security does not match the port
_MODE_MISMATCH = frozenset({"WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "HTTP_REQUEST", "RECORD_LAYER_FAILURE"})


def message_id(key: str, sender: str) -> str:
    """The same Message-ID for every attempt of one job."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "motcua.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}.motcua@{domain}>"


def _answer(code: int, text: bytes | str) -> str:
    t = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(t.split())}"[:300]


def tls_context(ca_file: str, check_hostname: bool) -> ssl.SSLContext:
    """The client context for the relay: the system store, or only ``ca_file``; raises
    OSError / ssl.SSLError for a CA file that cannot be read or holds no certificate."""
    context = ssl.create_default_context(cafile=ca_file or None)
    context.check_hostname = check_hostname  # verify_mode stays CERT_REQUIRED either way
    return context


def configuration_problem(settings: Settings, password: str | None = None, *, check_password: bool = True) -> str:
    """Why e-mail cannot be sent with these settings, in the user's language ("" when it can).

    Only what is known without connecting; ``password`` is looked up (environment, keyring)
    when not given and ``check_password`` is set."""
    if not settings.smtp_host or not parseaddr(settings.smtp_sender)[1]:
        return msg("Chưa cấu hình máy chủ thư: đặt smtp.host và smtp.sender (motcua config set … hoặc màn hình "
                   "Cài đặt); thư sẽ được gửi khi có cấu hình.",
                   "No mail server is configured: set smtp.host and smtp.sender (motcua config set … or the "
                   "Settings screen); the e-mail goes once they are.")
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    if settings.smtp_user and settings.smtp_security == SmtpSecurity.NONE:
        return msg("Máy chủ thư {h}: có tên đăng nhập (smtp.user) nhưng smtp.security là “none”, mật khẩu sẽ đi "
                   "không mã hóa trên mạng nên không gửi. Chọn starttls (587) hoặc ssl (465), hoặc bỏ smtp.user "
                   "nếu máy chủ tin máy trạm này.",
                   "Mail server {h}: a login (smtp.user) is set but smtp.security is “none”, so the password would "
                   "cross the network in clear: not sent. Choose starttls (587) or ssl (465), or remove smtp.user "
                   "if the relay trusts this workstation.", h=where)
    if settings.smtp_security != SmtpSecurity.NONE:
        if not settings.smtp_check_hostname and not settings.smtp_ca_file:
            return msg("Máy chủ thư {h}: smtp.check_hostname = false chỉ được dùng cùng smtp.ca_file (CA riêng của "
                       "tỉnh); với kho chứng thư của hệ thống, bất kỳ chứng thư công khai nào cũng sẽ được nhận.",
                       "Mail server {h}: smtp.check_hostname = false is allowed only with smtp.ca_file (the "
                       "province's own CA); with the system's trust store any public certificate would be taken.",
                       h=where)
        if settings.smtp_ca_file:
            try:
                tls_context(settings.smtp_ca_file, settings.smtp_check_hostname)
            except (OSError, ssl.SSLError) as exc:
                return msg("Tệp CA của máy chủ thư {f} (smtp.ca_file) không dùng được: {e}. Cần tệp PEM chứa chứng "
                           "thư CA đã cấp chứng thư cho {h}.",
                           "The mail server's CA file {f} (smtp.ca_file) cannot be used: {e}. It must be a PEM "
                           "file with the CA certificate that issued {h}'s certificate.",
                           f=settings.smtp_ca_file, h=where, e=_os_reason(exc))
    if check_password and settings.smtp_user and not (password or get_secret("smtp.password")):
        return msg("Chưa đặt mật khẩu thư “smtp.password” cho {u}: chạy “motcua config set smtp.password -”.",
                   "The mail password “smtp.password” for {u} is not set: run “motcua config set smtp.password -”.",
                   u=settings.smtp_user)
    return ""


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError):
        return exc.reason or str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


class SmtpSender:
    def __init__(self, host: str, port: int, security: str, user: str, password: str | None, sender: str,
                 *, ca_file: str = "", check_hostname: bool = True, timeout: float = TIMEOUT) -> None:
        self.host, self.port, self.security, self.user = host, port, SmtpSecurity(security), user
        self.password, self.sender, self.timeout = password, sender, timeout
        self.ca_file, self.check_hostname = ca_file, check_hostname
        self.settings: Settings | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSender:
        # the password only from the environment or the keyring (``motcua config set smtp.password -``)
        password = get_secret("smtp.password") if settings.smtp_user else None
        sender = cls(settings.smtp_host, settings.smtp_port, settings.smtp_security, settings.smtp_user, password,
                     settings.smtp_sender, ca_file=settings.smtp_ca_file, check_hostname=settings.smtp_check_hostname)
        sender.settings = settings
        return sender

    def problem(self) -> str:
        """What keeps this sender from sending, known without connecting ("" when nothing)."""
        if self.settings is not None:
            return configuration_problem(self.settings, self.password)
        s = Settings(data_dir=Path("."), smtp_host=self.host, smtp_port=self.port, smtp_security=self.security,
                     smtp_user=self.user, smtp_sender=self.sender, smtp_ca_file=self.ca_file,
                     smtp_check_hostname=self.check_hostname)
        return configuration_problem(s, self.password, check_password=False)

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
        problem = self.problem()
        if problem:  # the outbox holds such notices before claiming them; this is the last guard
            raise DeliveryError(problem)
        m = self.message(key, payload)
        where = f"{self.host}:{self.port}"
        try:
            smtp: smtplib.SMTP
            if self.security == SmtpSecurity.NONE:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            else:
                context = tls_context(self.ca_file, self.check_hostname)
                if self.security == SmtpSecurity.SSL:
                    smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
                else:
                    smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == SmtpSecurity.STARTTLS:
                    smtp.starttls(context=context)  # raises rather than going on in clear
                if self.user:
                    if self.security == SmtpSecurity.NONE or smtp.sock is None or \
                            not isinstance(smtp.sock, ssl.SSLSocket):
                        raise DeliveryError(self.problem() or msg(
                            "Không gửi mật khẩu thư không mã hóa.", "The mail password is not sent in clear."))
                    smtp.login(self.user, self.password or "")
                smtp.send_message(m)
        except DeliveryError:
            raise
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(_certificate_refused(where, self.host, self.ca_file, exc), permanent=True) from exc
        except smtplib.SMTPNotSupportedError as exc:
            if "STARTTLS" in str(exc):
                raise DeliveryError(msg(
                    "Máy chủ thư {h} không hỗ trợ STARTTLS: thư không được gửi không mã hóa. Đây là lỗi cấu hình, "
                    "không phải lỗi mạng: kiểm tra smtp.security và smtp.port (cổng 465 dùng “ssl”), rồi gửi lại.",
                    "The mail server {h} does not offer STARTTLS: the e-mail is not sent in clear. This is a "
                    "configuration error, not a network one: check smtp.security and smtp.port (port 465 wants "
                    "“ssl”), then retry.", h=where), permanent=True) from exc
            raise DeliveryError(msg(
                "Máy chủ thư {h} không nhận đăng nhập (không có AUTH) nhưng smtp.user đã đặt: lỗi cấu hình; bỏ "
                "smtp.user nếu máy chủ tin máy trạm này, rồi gửi lại.",
                "The mail server {h} takes no login (no AUTH) but smtp.user is set: a configuration error; remove "
                "smtp.user if the relay trusts this workstation, then retry.", h=where), permanent=True) from exc
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
        except ssl.SSLError as exc:
            if exc.reason in _MODE_MISMATCH:
                raise DeliveryError(msg(
                    "Máy chủ thư {h} không nói TLS như smtp.security = “{s}” chờ đợi ({e}). Đây là lỗi cấu hình, "
                    "không phải lỗi mạng: cổng 465 dùng “ssl”, cổng 587 dùng “starttls”; sửa rồi gửi lại.",
                    "The mail server {h} does not speak TLS as smtp.security = “{s}” expects ({e}). This is a "
                    "configuration error, not a network one: port 465 wants “ssl”, port 587 “starttls”; fix it, "
                    "then retry.", h=where, s=self.security, e=exc.reason), permanent=True) from exc
            raise _retry(where, exc) from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused, dropped, timed out: try again later
            raise _retry(where, exc) from exc
        return str(m["Message-ID"])


def _retry(where: str, exc: BaseException) -> DeliveryError:
    return DeliveryError(msg("Không gửi được qua máy chủ thư {h}: {e}", "Could not send through the mail server {h}: {e}",
                             h=where, e=f"{type(exc).__name__}: {exc}"[:200]))


def _certificate_refused(where: str, host: str, ca_file: str, exc: ssl.SSLCertVerificationError) -> str:
    """The certificate's problem said for the officer, with what to fix (OpenSSL's words too)."""
    code, words = exc.verify_code, exc.verify_message or exc.reason or str(exc)
    trust = ca_file or msg("kho chứng thư của hệ thống", "the system's trust store")
    if code == _HOSTNAME_MISMATCH:
        vi, en = (f"chứng thư không mang tên {host} (sửa smtp.host cho đúng tên trong chứng thư)",
                  f"the certificate does not name {host} (set smtp.host to the name in the certificate)")
    elif code in _UNTRUSTED:
        vi, en = (f"chứng thư không do CA được tin cậy cấp ({trust}; đặt smtp.ca_file là CA của tỉnh)",
                  f"the certificate is not issued by a trusted CA ({trust}; set smtp.ca_file to the province's CA)")
    elif code == _EXPIRED:
        vi, en = "chứng thư đã hết hạn", "the certificate has expired"
    elif code == _NOT_YET_VALID:
        vi, en = "chứng thư chưa có hiệu lực (kiểm tra đồng hồ máy)", "the certificate is not valid yet (check the clock)"
    else:
        vi, en = "chứng thư không hợp lệ", "the certificate is not valid"
    return msg("Chứng thư của máy chủ thư {h} không được chấp nhận: {p} [{w}]. Thư không được gửi (không gửi khi "
               "không mã hóa). Đây là lỗi cấu hình, không phải lỗi mạng: sửa rồi gửi lại.",
               "The certificate of the mail server {h} is refused: {p} [{w}]. The e-mail is not sent (never in "
               "clear). This is a configuration error, not a network one: fix it, then retry.",
               h=where, p=msg(vi, en), w=words)


__all__ = ["SmtpSender", "configuration_problem", "message_id", "tls_context"]
