"""Issuing forms for a dossier (desktop.workflow.form_desk): which forms a dossier's history
has content for, the electronic form sealed on a real SoftHSM2 token and verified, a seal
that fails leaving no file, a postal agent refused the agency's seal before anything is
written, and each form issued recorded on the dossier."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.context import AppContext
from desktop.db.models import AuditEvent, DigitizedFile, DossierStatus
from desktop.kernel.errors import InvalidInput, PermissionDenied
from desktop.outbox.models import OutboxJob
from desktop.workflow.form_desk import FORM_KIND, Seal
from desktop.workflow.signing import TokenChoice
from signing.verify import verify_pdf
from tests.lifecycle.conftest import ADMIN, Officers, bring_to
from tests.signing.conftest import _hsm_token, hsm, pki  # noqa: F401 - fixtures
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI

S = DossierStatus


@pytest.mark.parametrize(("status", "forms"), [
    (S.RECEIVED, ["01", "06"]),
    (S.NOT_RECEIVED, ["03"]),
    (S.SUPPLEMENT_REQUESTED, ["01", "02", "06"]),
    (S.STOPPED, ["01", "05", "06"]),
    (S.NEW, []),
])
def test_the_forms_a_dossier_has_content_for(ctx: AppContext, tmp_path: Path, status: DossierStatus,
                                             forms: list[str]) -> None:
    code = bring_to(ctx, status, tmp_path)
    assert ctx.form_desk.applicable(ADMIN, code) == forms


def test_an_extension_adds_form_04(ctx: AppContext, tmp_path: Path) -> None:
    from datetime import timedelta

    code = bring_to(ctx, S.PROCESSING, tmp_path)
    from desktop.kernel.timeutil import utcnow

    ctx.lifecycle.extend(ADMIN, code, "Cần xác minh thực địa", utcnow() + timedelta(days=7))
    assert "04" in ctx.form_desk.applicable(ADMIN, code)


def _token(hsm: HsmToken, pki: TestPKI) -> TokenChoice:  # noqa: F811
    return TokenChoice(module_path=hsm.module, token_label=hsm.label, key_id="01", trust=(pki.ca_pem,),
                       organization_cert=hsm.base / "cert-01.pem")


def _issued(ctx: AppContext, code: str) -> list[dict[str, object]]:
    with ctx.db.session() as s:
        return [e.data or {} for e in s.scalars(select(AuditEvent).where(
            AuditEvent.action == "form.issue", AuditEvent.entity_id == code).order_by(AuditEvent.seq))]


def test_an_electronic_form_is_sealed_verified_and_recorded(ctx: AppContext, tmp_path: Path, hsm: HsmToken,  # noqa: F811
                                                            pki: TestPKI, officers: Officers) -> None:  # noqa: F811
    code = bring_to(ctx, S.SUPPLEMENT_REQUESTED, tmp_path)
    paper = ctx.form_desk.issue(officers.counter, "2", code)
    assert paper.number == "02" and not paper.sealed and paper.path.is_file()
    assert paper.path.parent == ctx.settings.data_dir / "forms" / "issued" / code
    sealed = ctx.form_desk.issue(officers.counter, "02", code, out=tmp_path / "e" / "02.pdf",
                                 seal=Seal(_token(hsm, pki), hsm.pin))
    assert sealed.sealed and sealed.signer
    report = verify_pdf(sealed.path, [pki.ca_pem], expected_cert=hsm.base / "cert-01.pem")
    assert report.ok, report.problems
    from tests.pdfa_check import assert_pdfa

    assert_pdfa(sealed.path)  # the seal's incremental update keeps the form PDF/A-2b
    assert_pdfa(paper.path)
    events = _issued(ctx, code)
    assert [(e["number"], e["sealed"]) for e in events] == [("02", False), ("02", True)]
    # the electronic form is the dossier's: kept, sealed through the one path, its upload released
    forms = [f for f in ctx.dossiers.files(code) if f.kind == FORM_KIND]
    assert len(forms) == 1 and forms[0].signature_state == "verified"
    kept = Path(forms[0].path)
    assert kept.is_file() and kept.read_bytes() == sealed.path.read_bytes()
    with ctx.db.session() as s:
        row = s.get(DigitizedFile, forms[0].id)
        assert row is not None and not row.digitized and not row.reusable
        jobs = list(s.scalars(select(OutboxJob).where(OutboxJob.kind == "file", OutboxJob.dossier_code == code)))
    assert [j.state for j in jobs if (j.payload or {}).get("file_id") == forms[0].id] == ["pending"], \
        [(j.state, j.payload) for j in jobs]
    import hashlib

    assert events[1]["sha256"] == hashlib.sha256(sealed.path.read_bytes()).hexdigest()
    page = ctx.workspace.page(code)
    assert any(h.what == "form.issue" for h in page.history), "the dossier's history shows the form"


def test_a_wrong_pin_leaves_no_file_and_records_nothing(ctx: AppContext, tmp_path: Path, hsm: HsmToken,  # noqa: F811
                                                        pki: TestPKI) -> None:  # noqa: F811
    from desktop.kernel.errors import MotcuaError

    code = bring_to(ctx, S.RECEIVED, tmp_path)
    out = tmp_path / "01.pdf"
    with pytest.raises(MotcuaError):
        ctx.form_desk.issue(ADMIN, "01", code, out=out, seal=Seal(_token(hsm, pki), "000000"))
    assert not out.exists() and _issued(ctx, code) == []
    assert [f for f in ctx.dossiers.files(code) if f.kind == FORM_KIND] == [], "the unsealed form is taken back"
    assert not list((ctx.settings.files_dir / "forms").rglob("*.pdf"))


def test_a_seal_that_does_not_verify_is_not_issued(ctx: AppContext, tmp_path: Path, hsm: HsmToken,  # noqa: F811
                                                   pki: TestPKI) -> None:  # noqa: F811
    from dataclasses import replace

    code = bring_to(ctx, S.RECEIVED, tmp_path)
    out = tmp_path / "01.pdf"
    wrong = replace(_token(hsm, pki), organization_cert=hsm.base / "cert-05.pem")  # a person's, not the organization's
    with pytest.raises(InvalidInput, match="01"):
        ctx.form_desk.issue(ADMIN, "01", code, out=out, seal=Seal(wrong, hsm.pin))
    assert not out.exists() and _issued(ctx, code) == []
    assert [f for f in ctx.dossiers.files(code) if f.kind == FORM_KIND] == []


def test_a_postal_agent_may_print_but_not_seal(ctx: AppContext, tmp_path: Path, officers: Officers) -> None:
    code = bring_to(ctx, S.RECEIVED, tmp_path)
    assert ctx.form_desk.issue(officers.postal, "01", code).path.is_file()
    out = tmp_path / "sealed.pdf"
    token = TokenChoice(module_path="/nonexistent/module.so")  # never reached: the role is refused first
    with pytest.raises(PermissionDenied):
        ctx.form_desk.issue(officers.postal, "01", code, out=out, seal=Seal(token, "123456"))
    assert not out.exists() and len(_issued(ctx, code)) == 1


def test_an_electronic_result_is_uploaded_as_not_digitized(ctx: AppContext, tmp_path: Path, hsm: HsmToken,  # noqa: F811
                                                           pki: TestPKI) -> None:  # noqa: F811
    """The file's upload told the dossier system "digitized" for every file, an electronic
    result included: the province's digitization-of-results indicator counted it."""
    from tests.lifecycle.conftest import make_pdf

    code = bring_to(ctx, S.PROCESSING, tmp_path)
    ctx.counter.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), _token(hsm, pki), hsm.pin, digitized=False)
    result = next(f for f in ctx.dossiers.files(code) if f.kind == "result")
    assert result.signature_state == "verified"
    with ctx.db.session() as s:
        jobs = [j for j in s.scalars(select(OutboxJob).where(OutboxJob.kind == "file", OutboxJob.dossier_code == code))
                if (j.payload or {}).get("file_id") == result.id]
    assert [(j.state, j.payload["digitized"]) for j in jobs] == [("pending", False)]


def test_a_sealed_form_04_is_emailed_as_the_dossiers_sealed_copy(ctx: AppContext, tmp_path: Path, hsm: HsmToken,  # noqa: F811
                                                                 pki: TestPKI) -> None:  # noqa: F811
    """The citizen receives the sealed PDF itself (its signature verifies), attached from the
    dossier's own copy, not from the copy written where the officer asked."""
    from datetime import timedelta

    from desktop.auth import Actor
    from desktop.db.models import Dossier
    from desktop.kernel.timeutil import utcnow
    from tests.outbox.notice_servers import SmtpServer

    code = bring_to(ctx, S.PROCESSING, tmp_path)
    with ctx.db.session() as s:
        d = s.scalars(select(Dossier).where(Dossier.code == code)).one()
        d.applicant_email = "nhung@example.vn"
    ctx.lifecycle.extend(ADMIN, code, "Cần xác minh thực địa", utcnow() + timedelta(days=7))
    server = SmtpServer().start()
    try:
        ctx.settings.smtp_host, ctx.settings.smtp_port, ctx.settings.smtp_security = "127.0.0.1", server.port, "none"
        ctx.settings.smtp_sender = "motcua@quynhon.gov.vn"
        out = tmp_path / "e" / "04.pdf"
        issued = ctx.form_desk.issue(ADMIN, "04", code, out=out, seal=Seal(_token(hsm, pki), hsm.pin))
        assert issued.sealed and issued.notices == (("email", "n…@example.vn"),)
        out.unlink()  # the officer's copy moved away: the e-mail does not depend on it
        ctx.outbox.drain(Actor.uploader())
        [m] = server.mailbox.messages
        [pdf] = list(m.iter_attachments())
        got = tmp_path / "got.pdf"
        got.write_bytes(pdf.get_content())
        report = verify_pdf(got, [pki.ca_pem], expected_cert=hsm.base / "cert-01.pem")
        assert report.ok, report.problems
    finally:
        server.stop()
