"""Form 04 (and the other citizen-facing forms) to the citizen by e-mail and SMS, through the
outbox, against a real SMTP server (aiosmtpd) and a real HTTP SMS gateway on loopback.

What is proved (TLS and logins: test_smtp_tls.py): the e-mail arrives with the issued PDF attached and the headers the job
fixes (Message-ID from its key); a server down, then up, gets it once; a refused address
is parked with the server's words; a dossier without an address gets nothing; the notice
is claimed in a batch of its own and is not held back by the dossier system; the SMS is
unaccented by default and kept within its parts (GSM 7-bit 160/153, UCS-2 70/67).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.config import Settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent
from desktop.kernel.errors import InvalidInput, NotFound
from desktop.kernel.i18n import set_language
from desktop.kernel.timeutil import utcnow
from desktop.outbox.adapters.smtp import message_id
from desktop.outbox.models import OutboxJob
from desktop.outbox.notices import fit_sms, phone_e164, sms_length, sms_text
from tests.lifecycle.conftest import ADMIN, receive
from tests.outbox.notice_servers import Gateway, SmtpServer, free_port

EMAIL = "nhung.nguyen@example.vn"
SENDER = "Bộ phận Một cửa <motcua@quynhon.gov.vn>"
UPLOADER = Actor.uploader()


@pytest.fixture
def smtp(ctx: AppContext) -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    _point_at(ctx.settings, server.port)
    yield server
    server.stop()


def _point_at(settings: Settings, port: int) -> None:
    settings.smtp_host, settings.smtp_port, settings.smtp_security = "127.0.0.1", port, "none"
    settings.smtp_sender = SENDER


def _extended(ctx: AppContext, **contact: str) -> str:
    """A dossier in processing whose time is extended (form 04 issued by the caller)."""
    code = receive(ctx, **contact)  # type: ignore[arg-type]
    ctx.lifecycle.process(ADMIN, code, receiver="Lê Văn Tư", department="Phòng Tư pháp", allotted_hours=16)
    ctx.lifecycle.extend(ADMIN, code, "Cần xác minh thực địa", utcnow() + timedelta(days=7))
    return code


@pytest.fixture
def english() -> None:
    set_language("en")


def _jobs(ctx: AppContext, kind: str) -> list[OutboxJob]:
    with ctx.db.session() as s:
        rows = list(s.scalars(select(OutboxJob).where(OutboxJob.kind == kind).order_by(OutboxJob.id)))
        s.expunge_all()
        return rows


def _events(ctx: AppContext, code: str, prefix: str = "notice.") -> list[tuple[str, dict]]:
    with ctx.db.session() as s:
        return [(e.action, e.data or {}) for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity_id == code, AuditEvent.action.like(f"{prefix}%")).order_by(AuditEvent.seq))]


def test_form_04_is_emailed_with_the_issued_pdf(ctx: AppContext, smtp: SmtpServer) -> None:
    code = _extended(ctx, applicant_email=EMAIL)
    issued = ctx.form_desk.issue(ADMIN, "04", code)
    assert issued.notices == (("email", "n…@example.vn"),)
    # queued with the issue: the form's record and the notice's are one transaction
    assert [a for a, _ in _events(ctx, code, "")][-2:] == ["form.issue", "notice.queued"]
    [job] = _jobs(ctx, "email")
    assert job.state == "pending"
    ctx.outbox.drain(UPLOADER)
    [m] = smtp.mailbox.messages
    assert smtp.mailbox.envelopes == [("motcua@quynhon.gov.vn", [EMAIL])]
    assert m["To"] == EMAIL and m["From"] == SENDER
    assert m["Subject"] == f"Hồ sơ {code}: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    assert m["Message-ID"] == message_id(job.idempotency_key, SENDER)
    assert m["Auto-Submitted"] == "auto-generated"
    body = m.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert code in text and "Lý do: Cần xác minh thực địa." in text and "Thời hạn trả kết quả mới:" in text
    assert "Đăng ký lại khai sinh" in text  # the procedure
    [pdf] = list(m.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_filename() == f"Mau-04-{code}.pdf"
    assert pdf.get_content() == issued.path.read_bytes()
    [done] = _jobs(ctx, "email")
    assert done.state == "done" and "to" not in done.payload and "body" not in done.payload, \
        "a delivered notice keeps no address nor text"
    assert done.payload["message_id"] == m["Message-ID"]
    sent = [d for a, d in _events(ctx, code) if a == "notice.sent"]
    assert len(sent) == 1 and sent[0]["channel"] == "email" and sent[0]["to"] == "n…@example.vn"
    page = ctx.workspace.page(code)
    assert [h.detail for h in page.history if h.what == "notice.sent"] == ["04 · e-mail · n…@example.vn"]


def test_server_down_then_up_delivers_once(ctx: AppContext) -> None:
    port = free_port()
    _point_at(ctx.settings, port)
    code = _extended(ctx, applicant_email=EMAIL)
    ctx.form_desk.issue(ADMIN, "04", code)
    r = ctx.outbox.drain(UPLOADER)
    assert r["failed"] == 1
    [job] = _jobs(ctx, "email")
    assert job.state == "pending" and job.attempts == 1
    assert f"127.0.0.1:{port}" in job.last_error and "ConnectionRefusedError" in job.last_error
    server = SmtpServer(port).start()
    try:
        assert ctx.outbox.hurry() >= 1  # what the uploader does when the network is back
        ctx.outbox.drain(UPLOADER)
        ctx.outbox.hurry()
        ctx.outbox.drain(UPLOADER)
        assert len(server.mailbox.messages) == 1
        [job] = _jobs(ctx, "email")
        assert job.state == "done" and job.attempts == 2
    finally:
        server.stop()


def test_every_attempt_carries_the_same_message_id(ctx: AppContext, smtp: SmtpServer) -> None:
    """What a repeat after a crash between the server's 250 and the commit looks like: the
    same message, which the citizen's mail store recognises."""
    code = _extended(ctx, applicant_email=EMAIL)
    ctx.form_desk.issue(ADMIN, "04", code)
    [job] = _jobs(ctx, "email")
    from desktop.outbox.adapters.smtp import SmtpSender

    sender = SmtpSender.from_settings(ctx.settings)
    a, b = sender.message(job.idempotency_key, job.payload), sender.message(job.idempotency_key, job.payload)
    assert a.as_bytes() == b.as_bytes()


def test_a_refused_address_is_parked_with_the_servers_reason(ctx: AppContext, smtp: SmtpServer) -> None:
    smtp.mailbox.refuse.add("khong-co@example.vn")
    code = _extended(ctx, applicant_email="khong-co@example.vn")
    ctx.form_desk.issue(ADMIN, "04", code)
    set_language("vi")
    ctx.outbox.drain(UPLOADER)
    [job] = _jobs(ctx, "email")
    assert job.state == "parked" and job.attempts == 1, "a 5xx is not retried"
    assert "Máy chủ thư từ chối địa chỉ khong-co@example.vn: 550" in job.last_error
    assert "User unknown" in job.last_error
    [view] = [j for j in ctx.outbox.jobs() if j.id == job.id]
    assert view.reason().startswith("tạm dừng: Máy chủ thư từ chối")
    assert [a for a, _ in _events(ctx, code)] == ["notice.queued", "notice.failed"]
    assert smtp.mailbox.messages == []


def test_no_mail_server_configured_waits_without_spending_attempts(ctx: AppContext, english: None) -> None:
    """A counter that has not set up e-mail yet: the notice waits for the configuration (it was
    attempted, backed off and parked after ten attempts), then goes once the relay is set."""
    from desktop.kernel.errors import Conflict
    from desktop.outbox.service import MAX_FAILURES

    code = _extended(ctx, applicant_email=EMAIL)
    ctx.form_desk.issue(ADMIN, "04", code)
    for _ in range(MAX_FAILURES + 2):
        ctx.outbox.hurry()
        ctx.outbox.drain(UPLOADER)
    [job] = _jobs(ctx, "email")
    assert (job.state, job.attempts) == ("unconfigured", 0) and "smtp.host" in job.last_error
    [view] = [j for j in ctx.outbox.jobs() if j.id == job.id]
    assert view.reason().startswith("waiting for configuration: No mail server is configured")
    set_language("vi")
    assert view.reason().startswith("chờ cấu hình: ")  # the stored reason stays in the language it was found in
    with pytest.raises(Conflict, match="chờ cấu hình"):
        ctx.outbox.retry(ADMIN, job.id)
    assert ctx.outbox.next_due_in() is None, "nothing for the uploader to try meanwhile"
    server = SmtpServer().start()
    try:
        _point_at(ctx.settings, server.port)  # what the Settings screen does to the running settings
        assert ctx.outbox.settle_notices() == 1  # the uploader's round, before it looks for due jobs
        assert ctx.outbox.next_due_in() == 0
        ctx.outbox.drain(UPLOADER)
        [job] = _jobs(ctx, "email")
        assert (job.state, job.attempts) == ("done", 1) and len(server.mailbox.messages) == 1
    finally:
        server.stop()


def test_a_login_without_tls_waits_for_the_configuration(ctx: AppContext, english: None,
                                                         monkeypatch: pytest.MonkeyPatch, smtp: SmtpServer) -> None:
    ctx.settings.smtp_user = "motcua"
    monkeypatch.setenv("MOTCUA_SMTP_PASSWORD", "Mat-khau-thu-2026")
    code = _extended(ctx, applicant_email=EMAIL)
    ctx.form_desk.issue(ADMIN, "04", code)
    ctx.outbox.drain(UPLOADER)
    [job] = _jobs(ctx, "email")
    assert (job.state, job.attempts) == ("unconfigured", 0) and "in clear" in job.last_error
    ctx.settings.smtp_user = ""  # the relay trusts the workstation
    ctx.outbox.drain(UPLOADER)  # the CLI's drain settles by itself too
    assert _jobs(ctx, "email")[0].state == "done" and len(smtp.mailbox.messages) == 1


def test_a_dossier_without_an_address_gets_no_email(ctx: AppContext, english: None, smtp: SmtpServer) -> None:
    code = _extended(ctx)
    issued = ctx.form_desk.issue(ADMIN, "04", code)
    assert issued.notices == () and _jobs(ctx, "email") == [] and _jobs(ctx, "sms") == []
    with pytest.raises(InvalidInput, match="no e-mail address"):
        ctx.form_desk.notify(ADMIN, code, "04")
    ctx.outbox.drain(UPLOADER)
    assert smtp.mailbox.messages == [] and _events(ctx, code) == []


def test_the_officer_sends_another_issued_form(ctx: AppContext, english: None, smtp: SmtpServer) -> None:
    code = receive(ctx, applicant_email=EMAIL)
    with pytest.raises(NotFound, match="issue it first"):
        ctx.form_desk.notify(ADMIN, code, "01")
    with pytest.raises(InvalidInput, match="not one for the citizen"):
        ctx.form_desk.notify(ADMIN, code, "06")
    issued = ctx.form_desk.issue(ADMIN, "01", code)
    assert issued.notices == (), "only form 04 goes by itself"
    assert ctx.form_desk.notify(ADMIN, code, "01") == (("email", "n…@example.vn"),)
    ctx.outbox.drain(UPLOADER)
    [m] = smtp.mailbox.messages
    assert "Giấy tiếp nhận hồ sơ" in m["Subject"]
    [pdf] = list(m.iter_attachments())
    assert hashlib.sha256(pdf.get_content()).hexdigest() == hashlib.sha256(issued.path.read_bytes()).hexdigest()


def test_a_changed_file_is_not_sent(ctx: AppContext, english: None, smtp: SmtpServer) -> None:
    code = _extended(ctx, applicant_email=EMAIL)
    issued = ctx.form_desk.issue(ADMIN, "04", code)
    issued.path.write_bytes(b"%PDF-1.7 something else")
    ctx.outbox.drain(UPLOADER)
    [job] = _jobs(ctx, "email")
    assert job.state == "parked" and "changed since it was issued" in job.last_error
    assert smtp.mailbox.messages == []


def test_a_notice_goes_alone_and_is_not_held_back_by_the_dossier_system(settings: Settings) -> None:
    from desktop.outbox.adapters.base import DeliveryError

    class Offline:
        def send_dossier(self, key: str, dossier: dict) -> None:
            raise DeliveryError("offline")

        def send_file(self, key: str, code: str, meta: dict, path: Path) -> None:
            raise DeliveryError("offline")

        def send_status(self, key: str, code: str, status: dict) -> None:
            raise DeliveryError("offline")

    server = SmtpServer().start()
    c = AppContext(settings, adapter_factory=Offline)
    try:
        _point_at(c.settings, server.port)
        code = _extended(c, applicant_email=EMAIL)
        c.form_desk.issue(ADMIN, "04", code)
        c.outbox.drain(UPLOADER)
        assert len(server.mailbox.messages) == 1, "the e-mail went while the dossier system was offline"
        with c.db.session() as s:
            dossier_job = s.scalar(select(OutboxJob).where(OutboxJob.kind == "dossier"))
            assert dossier_job is not None and dossier_job.state == "pending" and dossier_job.last_error == "offline"
        # a notice never shares a batch: its outcome is committed as soon as it was sent
        for _ in range(3):
            other = _extended(c, applicant_email=EMAIL)
            c.form_desk.issue(ADMIN, "04", other)
        c.outbox.hurry()
        batches = []
        while batch := c.outbox._claim():
            batches.append([j.kind for j in batch])
            c.outbox._finish([(j, None) for j in batch])  # recorded as delivered, nothing sent
        assert sum(b.count("email") for b in batches) == 3
        assert all(b == ["email"] for b in batches if "email" in b), batches
    finally:
        c.close()
        server.stop()


# --- SMS -----------------------------------------------------------------------------------


@pytest.fixture
def gateway(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    g = Gateway().start()
    ctx.settings.sms_url = g.url
    monkeypatch.setenv("MOTCUA_SMS_TOKEN", "token-thu")
    yield g
    g.stop()


def test_an_sms_goes_unaccented_through_the_gateway(ctx: AppContext, gateway: Gateway) -> None:
    code = _extended(ctx, applicant_phone="0912 345 678")
    issued = ctx.form_desk.issue(ADMIN, "04", code)
    assert issued.notices == (("sms", "…678"),)
    [job] = _jobs(ctx, "sms")
    ctx.outbox.drain(UPLOADER)
    [(headers, body)] = gateway.requests
    assert headers["authorization"] == "Bearer token-thu"
    assert headers["idempotency-key"] == job.idempotency_key == body["request_id"]
    assert body["to"] == "84912345678" and body["encoding"] == "gsm7"
    assert code in body["text"] and "gia han" in body["text"] and "Ly do: Can xac minh thuc dia" in body["text"]
    length = sms_length(body["text"])
    assert length.encoding == "gsm7" and length.parts <= ctx.settings.sms_max_parts and body["parts"] == length.parts
    [done] = _jobs(ctx, "sms")
    assert done.state == "done" and "to" not in done.payload and "text" not in done.payload
    assert [h.detail for h in ctx.workspace.page(code).history if h.what == "notice.sent"] == ["04 · SMS · …678"]


def test_a_refused_sms_is_parked(ctx: AppContext, english: None, gateway: Gateway) -> None:
    gateway.status = 400
    code = _extended(ctx, applicant_phone="0912345678")
    ctx.form_desk.issue(ADMIN, "04", code)
    ctx.outbox.drain(UPLOADER)
    [job] = _jobs(ctx, "sms")
    assert job.state == "parked" and "HTTP 400" in job.last_error and "So dien thoai khong hop le" in job.last_error


def test_no_sms_without_a_gateway(ctx: AppContext) -> None:
    code = _extended(ctx, applicant_phone="0912345678")
    assert ctx.form_desk.issue(ADMIN, "04", code).notices == () and _jobs(ctx, "sms") == []


def test_the_sms_length_rule(settings: Settings) -> None:
    assert sms_length("a" * 160) == sms_length("a" * 160).__class__("gsm7", 160, 1)
    assert sms_length("a" * 161).parts == 2 and sms_length("a" * 306).parts == 2 and sms_length("a" * 307).parts == 3
    assert sms_length("€" * 80).units == 160 and sms_length("€" * 81).parts == 2, "extension characters count twice"
    vi = "Hồ sơ của Ông/Bà được gia hạn"
    assert sms_length(vi).encoding == "ucs2"
    assert sms_length("ồ" * 70).parts == 1 and sms_length("ồ" * 71).parts == 2 and sms_length("ồ" * 135).parts == 3
    long = "Bộ phận Một cửa UBND phường Quy Nhơn xin lỗi: hồ sơ 000.00.06.H56-261102-0001 được gia hạn " \
           "đến 17:00 ngày 12/11/2026. Lý do: Cần xác minh thực địa tại nơi cư trú của người yêu cầu " \
           "và chờ ý kiến của cơ quan phối hợp"
    settings.sms_max_parts = 1
    plain = sms_text(long, settings)
    assert sms_length(plain).encoding == "gsm7" and sms_length(plain).parts == 1 and plain.endswith("...")
    assert plain.startswith("Bo phan Mot cua UBND phuong Quy Nhon xin loi: ho so 000.00.06.H56-261102-0001")
    settings.sms_text, settings.sms_max_parts = "unicode", 2
    accented = sms_text(long, settings)
    assert sms_length(accented).encoding == "ucs2" and sms_length(accented).parts == 2 and "xin lỗi" in accented
    assert fit_sms("ngắn", 1) == "ngắn"
    assert phone_e164("0912.345.678") == "84912345678" and phone_e164("+84 912 345 678") == "84912345678"
    assert phone_e164("12345") == "" and phone_e164("") == ""



def test_the_uploader_sends_notices_while_the_dossier_system_is_offline(settings: Settings) -> None:
    """Offline, the uploader only probes the dossier system; the e-mails still go at each probe."""
    import time

    from desktop.outbox.uploader import UploaderState
    from tests.outbox.test_uploader import Network, _wait

    net = Network()
    net.up = False
    server = SmtpServer().start()
    c = AppContext(settings, adapter_factory=lambda: net)
    try:
        _point_at(c.settings, server.port)
        up = c.uploader
        up._probe = lambda: False
        up.probe_interval = 0.1
        up.start()
        code = receive(c, applicant_email=EMAIL)
        assert _wait(lambda: up.status().state == UploaderState.OFFLINE)
        c.form_desk.issue(ADMIN, "01", code)
        c.form_desk.notify(ADMIN, code, "01")
        assert _wait(lambda: len(server.mailbox.messages) == 1, timeout=10)
        assert up.status().state == UploaderState.OFFLINE and net.sent == []
        time.sleep(0.3)
        assert len(server.mailbox.messages) == 1
    finally:
        c.close()
        server.stop()
