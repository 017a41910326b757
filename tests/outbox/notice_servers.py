"""Real servers on loopback for the notices: an SMTP server (aiosmtpd) and an SMS gateway (http.server)."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received; addresses in ``refuse`` get a 550 at RCPT."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    #: every MAIL FROM the server heard (sent in clear or not), and every login tried
    mail_from: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str,  # noqa: N802
                          mail_options: list[str]) -> str:
        self.mail_from.append(address)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        m = message_from_bytes(raw, policy=policy.default)
        assert isinstance(m, EmailMessage)
        self.messages.append(m)
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 2.0.0 Ok: queued"


class SmtpServer:
    """With ``login``, AUTH is required; with ``starttls`` the server offers STARTTLS with that
    context (and takes AUTH only after it), with ``implicit`` it speaks TLS from the start (465)."""

    def __init__(self, port: int | None = None, mailbox: Mailbox | None = None,
                 login: tuple[str, str] | None = None, *, starttls: ssl.SSLContext | None = None,
                 implicit: ssl.SSLContext | None = None) -> None:
        self.port = port or free_port()
        self.mailbox = mailbox or Mailbox()
        self.login = login
        self.starttls, self.implicit = starttls, implicit
        self._controller: Controller | None = None

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                      data: object) -> AuthResult:
        if isinstance(data, LoginPassword):
            self.mailbox.logins.append(data.login.decode())
        ok = isinstance(data, LoginPassword) and self.login is not None \
            and (data.login.decode(), data.password.decode()) == self.login
        return AuthResult(success=ok, handled=False)  # a 535 answer on failure

    def start(self) -> SmtpServer:
        tls = self.starttls is not None or self.implicit is not None
        extra: dict[str, Any] = {} if self.login is None else {
            "authenticator": self._authenticate, "auth_required": True, "auth_require_tls": tls}
        if self.starttls is not None:
            extra["tls_context"] = self.starttls
        if self.implicit is not None:
            extra["ssl_context"] = self.implicit
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **extra)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@dataclass
class Gateway:
    """A loopback SMS gateway: records each POST, answers ``status``."""

    status: int = 200
    requests: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def start(self) -> Gateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                gateway.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                answer = json.dumps({"ok": gateway.status < 300, "error": "" if gateway.status < 300
                                     else "So dien thoai khong hop le"}).encode()
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="sms-gateway", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
