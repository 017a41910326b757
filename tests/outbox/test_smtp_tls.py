"""Notices over real TLS: aiosmtpd serving STARTTLS (587) and implicit TLS (465) with a
certificate from a CA made in the test, as a province's relay does with its own CA.

What is proved: delivery with the CA given in ``smtp.ca_file``; a wrong CA or a certificate
for another name parks the job with a message naming the relay and the certificate's
problem as a configuration error, and the server hears no MAIL and no login (nothing in
clear); a relay without STARTTLS gets nothing either; a login goes only over TLS.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.kernel.i18n import set_language
from desktop.outbox.models import OutboxJob
from tests.lifecycle.conftest import ADMIN
from tests.outbox.notice_servers import SmtpServer
from tests.outbox.test_notices import EMAIL, SENDER, _extended
from tests.outbox.tls_certs import Pki, make_pki

UPLOADER = Actor.uploader()


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path / "pki", ("localhost",))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language(None)


def _relay(ctx: AppContext, server: SmtpServer, security: str, ca_file: Path | None, host: str = "localhost") -> None:
    s = ctx.settings
    s.smtp_host, s.smtp_port, s.smtp_security, s.smtp_sender = host, server.port, security, SENDER
    s.smtp_ca_file = str(ca_file) if ca_file else ""


def _job(ctx: AppContext) -> OutboxJob:
    with ctx.db.session() as s:
        [job] = s.scalars(select(OutboxJob).where(OutboxJob.kind == "email"))
        s.expunge(job)
        return job


def _notice(ctx: AppContext) -> str:
    code = _extended(ctx, applicant_email=EMAIL)
    ctx.form_desk.issue(ADMIN, "04", code)
    ctx.outbox.drain(UPLOADER)
    return code


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_delivered_over_tls_with_the_provinces_ca(ctx: AppContext, pki: Pki, security: str) -> None:
    tls = pki.server_context()
    server = SmtpServer(starttls=tls if security == "starttls" else None,
                        implicit=tls if security == "ssl" else None).start()
    try:
        _relay(ctx, server, security, pki.ca_file)
        _notice(ctx)
        assert _job(ctx).state == "done", _job(ctx).last_error
        [m] = server.mailbox.messages
        assert m["To"] == EMAIL
    finally:
        server.stop()


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_wrong_ca_parks_the_job_and_nothing_goes_in_clear(ctx: AppContext, pki: Pki, tmp_path: Path,
                                                            security: str) -> None:
    other = make_pki(tmp_path / "other", ("localhost",), ca_name="Another CA")
    tls = pki.server_context()
    server = SmtpServer(login=("motcua", "Mat-khau-thu-2026"), starttls=tls if security == "starttls" else None,
                        implicit=tls if security == "ssl" else None).start()
    try:
        _relay(ctx, server, security, other.ca_file)
        ctx.settings.smtp_user = "motcua"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("MOTCUA_SMTP_PASSWORD", "Mat-khau-thu-2026")
            _notice(ctx)
        job = _job(ctx)
        assert job.state == "parked" and job.attempts == 1, "a certificate problem is not a network blip"
        assert f"mail server localhost:{server.port} is refused" in job.last_error
        assert "not issued by a trusted CA" in job.last_error and str(other.ca_file) in job.last_error
        assert "configuration error, not a network one" in job.last_error
        assert server.mailbox.mail_from == [] and server.mailbox.logins == [] and server.mailbox.messages == []
    finally:
        server.stop()


def test_a_certificate_for_another_name_is_refused_in_both_languages(ctx: AppContext, tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "pki", ("relay.binhdinh.gov.vn",))
    server = SmtpServer(starttls=pki.server_context()).start()
    try:
        _relay(ctx, server, "starttls", pki.ca_file)
        code = _notice(ctx)
        job = _job(ctx)
        assert job.state == "parked" and "does not name localhost" in job.last_error
        assert "Hostname mismatch" in job.last_error  # OpenSSL's own words, for the administrator
        assert server.mailbox.mail_from == []
        set_language("vi")
        ctx.outbox.retry(ADMIN, job.id)
        ctx.outbox.drain(UPLOADER)
        assert "Chứng thư của máy chủ thư localhost" in _job(ctx).last_error
        assert "không mang tên localhost" in _job(ctx).last_error and "lỗi cấu hình" in _job(ctx).last_error
        # the administrator who knows the CA names the relay otherwise may turn the name check off
        ctx.settings.smtp_check_hostname = False
        ctx.outbox.retry(ADMIN, job.id)
        ctx.outbox.drain(UPLOADER)
        assert _job(ctx).state == "done" and len(server.mailbox.messages) == 1, code
    finally:
        server.stop()


def test_a_relay_without_starttls_gets_nothing_in_clear(ctx: AppContext, pki: Pki) -> None:
    server = SmtpServer().start()  # plain SMTP only: STARTTLS not offered (or stripped on the way)
    try:
        _relay(ctx, server, "starttls", pki.ca_file)
        _notice(ctx)
        job = _job(ctx)
        assert job.state == "parked" and "does not offer STARTTLS" in job.last_error
        assert server.mailbox.mail_from == [] and server.mailbox.messages == []
    finally:
        server.stop()


def test_ssl_against_a_plain_relay_says_the_mode_does_not_match(ctx: AppContext, pki: Pki) -> None:
    server = SmtpServer().start()
    try:
        _relay(ctx, server, "ssl", pki.ca_file)
        _notice(ctx)
        job = _job(ctx)
        assert job.state == "parked" and "port 465 wants “ssl”" in job.last_error, job.last_error
        assert server.mailbox.mail_from == []
    finally:
        server.stop()


def test_the_login_goes_over_starttls_and_a_refused_one_is_retried(ctx: AppContext, pki: Pki, monkeypatch: pytest.MonkeyPatch) -> None:
    server = SmtpServer(login=("motcua", "Mat-khau-thu-2026"), starttls=pki.server_context()).start()
    try:
        _relay(ctx, server, "starttls", pki.ca_file)
        ctx.settings.smtp_user = "motcua"
        monkeypatch.setenv("MOTCUA_SMTP_PASSWORD", "sai")
        _notice(ctx)
        job = _job(ctx)
        assert job.state == "pending" and "refused the login motcua" in job.last_error, job.last_error
        assert "sai" not in job.last_error.replace("smtp.password", "")
        monkeypatch.setenv("MOTCUA_SMTP_PASSWORD", "mật-khẩu-thư")  # smtplib sends AUTH as ASCII only
        ctx.outbox.hurry()
        ctx.outbox.drain(UPLOADER)
        assert "non-ASCII" in _job(ctx).last_error
        monkeypatch.setenv("MOTCUA_SMTP_PASSWORD", "Mat-khau-thu-2026")
        ctx.outbox.hurry()
        ctx.outbox.drain(UPLOADER)
        assert _job(ctx).state == "done" and len(server.mailbox.messages) == 1
        assert set(server.mailbox.logins) == {"motcua"}  # smtplib tries each mechanism the server offers
    finally:
        server.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_no_password_in_clear(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """A login with smtp.security = none is refused before connecting, and says why."""
    server = SmtpServer(login=("motcua", "Mat-khau-thu-2026")).start()
    try:
        _relay(ctx, server, "none", None)
        ctx.settings.smtp_user = "motcua"
        monkeypatch.setenv("MOTCUA_SMTP_PASSWORD", "Mat-khau-thu-2026")
        _notice(ctx)
        job = _job(ctx)
        assert "password would cross the network in clear" in job.last_error, job.last_error
        assert job.state != "done" and server.mailbox.logins == [] and server.mailbox.mail_from == []
    finally:
        server.stop()
