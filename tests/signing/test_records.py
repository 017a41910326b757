"""Signing digitized files of a dossier: state and audit recorded, verification right after."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.app import AppContext
from desktop.auth import Actor
from desktop.db.models import AuditEvent, DigitizedFile, Role
from desktop.kernel.errors import PermissionDenied
from signing.records import sign_digitized_files
from signing.testing import PullAfter
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI

ADMIN = Actor.cli()


def _files(ctx: AppContext, make_pdf: Callable[..., Path], n: int) -> list[int]:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai")
    return [ctx.dossiers.attach_file(ADMIN, d.code, make_pdf(f"tp{i}.pdf"), component=f"TP{i}").id
            for i in range(n)]


def test_sign_verify_and_record(ctx: AppContext, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    ids = _files(ctx, make_pdf, 2)
    result, outcomes = sign_digitized_files(
        ctx.db, ctx.audit, ADMIN, ids, module_path=hsm.module, token_label=hsm.label, key_id="01", pin=hsm.pin,
        trust=[pki.ca_pem], organization_cert=hsm.base / "cert-01.pem")
    assert result.ok and [o.state for o in outcomes] == ["verified", "verified"]
    with ctx.db.session() as s:
        rows = list(s.scalars(select(DigitizedFile).where(DigitizedFile.id.in_(ids))))
        for f in rows:
            assert f.signature_state == "verified" and f.signed_at is not None
            assert f.sha256 == hashlib.sha256(Path(f.path).read_bytes()).hexdigest()  # the signed bytes
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "file.sign")))
        assert len(events) == 2
    # signed by a certificate that is not the organization's: recorded as invalid
    ids2 = _files(ctx, make_pdf, 1)
    _, outcomes = sign_digitized_files(
        ctx.db, ctx.audit, ADMIN, ids2, module_path=hsm.module, token_label=hsm.label, key_id="01", pin=hsm.pin,
        trust=[pki.ca_pem], organization_cert=hsm.base / "cert-05.pem")
    assert outcomes[0].state == "invalid" and outcomes[0].problems


def test_pulled_token_leaves_the_rest_unsigned(ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                               make_pdf: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """TEST DOUBLE: PullAfter stands for the token pulled after the first file."""
    import signing.records as rec

    real = rec.sign_batch
    monkeypatch.setattr(rec, "sign_batch", lambda *a, **k: real(*a, **k, session_wrapper=lambda s: PullAfter(s, 1)))
    ids = _files(ctx, make_pdf, 3)
    result, outcomes = sign_digitized_files(ctx.db, ctx.audit, ADMIN, ids, module_path=hsm.module,
                                            token_label=hsm.label, key_id="01", pin=hsm.pin, trust=[pki.ca_pem])
    assert result.token_gone and [o.state for o in outcomes] == ["verified", "unsigned", "unsigned"]
    with ctx.db.session() as s:
        failed = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "file.sign_failed")))
        assert len(failed) == 2


def test_postal_agent_cannot_sign_for_the_organization(ctx: AppContext, hsm: HsmToken,
                                                       make_pdf: Callable[..., Path]) -> None:
    ids = _files(ctx, make_pdf, 1)
    with pytest.raises(PermissionDenied):
        sign_digitized_files(ctx.db, ctx.audit, Actor(username="bd", role=Role.POSTAL_AGENT), ids,
                             module_path=hsm.module, pin=hsm.pin, profile="copy")


def test_a_file_signed_after_its_upload_goes_again_signed(ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                          make_pdf: Callable[..., Path]) -> None:
    ids = _files(ctx, make_pdf, 2)
    ctx.outbox.drain(ADMIN, timeout=30)  # both files reach the dossier system unsigned
    assert ctx.outbox.counts() == {"done": 3}
    _, outcomes = sign_digitized_files(ctx.db, ctx.audit, ADMIN, ids, module_path=hsm.module, token_label=hsm.label,
                                       key_id="01", pin=hsm.pin, trust=[pki.ca_pem], on_verified=ctx.outbox.file_changed)
    assert [o.state for o in outcomes] == ["verified", "verified"]
    assert ctx.outbox.counts() == {"done": 3, "pending": 2}
    ctx.outbox.drain(ADMIN, timeout=30)
    with ctx.db.session() as s:
        signed = {f.sha256 for f in s.scalars(select(DigitizedFile).where(DigitizedFile.id.in_(ids)))}
    delivered = Path(ctx.settings.resolved_dossier_url().removeprefix("file://"))
    metas = [json.loads(p.read_text()) for p in delivered.rglob("files/*.json")]
    assert signed <= {m["sha256"] for m in metas}
    assert {m["signature_state"] for m in metas if m["sha256"] in signed} == {"verified"}
