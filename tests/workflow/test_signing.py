"""The one signing path for dossier files: state and audit recorded, verification right after."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import AuditEvent, DigitizedFile, Role
from desktop.dossiers import ComponentInput
from desktop.kernel.errors import PermissionDenied
from desktop.workflow.signing import TokenChoice, sign_files, sign_loose_files
from signing.batch_signing import SignJob
from tests.outbox.exempt import exempt_components
from tests.signing.doubles import PullAfter
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI

ADMIN = Actor.cli()


def _components(n: int) -> list[ComponentInput]:
    return [ComponentInput(name=f"Thành phần {i}", code=f"TP{i}") for i in range(n)]


def _token(hsm: HsmToken, pki: TestPKI | None = None, cert: str = "cert-01.pem") -> TokenChoice:
    return TokenChoice(module_path=hsm.module, token_label=hsm.label, key_id="01",
                       trust=(pki.ca_pem,) if pki else (), organization_cert=hsm.base / cert)


def _files(ctx: AppContext, make_pdf: Callable[..., Path], n: int, *, exempt: bool = False) -> list[int]:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                             components=exempt_components(n) if exempt else _components(n))
    return [ctx.dossiers.attach_file(ADMIN, d.code, make_pdf(f"tp{i}.pdf"), component=f"TP{i}").id
            for i in range(n)]


def test_sign_verify_and_record(ctx: AppContext, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    ids = _files(ctx, make_pdf, 2)
    result, outcomes = sign_files(ctx.db, ctx.audit, ADMIN, ids, _token(hsm, pki), hsm.pin)
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
    _, outcomes = sign_files(ctx.db, ctx.audit, ADMIN, ids2, _token(hsm, pki, "cert-05.pem"), hsm.pin)
    assert outcomes[0].state == "invalid" and outcomes[0].problems


def test_pulled_token_leaves_the_rest_unsigned(ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                               make_pdf: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """TEST DOUBLE: PullAfter stands for the token pulled after the first file."""
    import desktop.workflow.signing as rec

    real = rec.sign_batch
    monkeypatch.setattr(rec, "sign_batch", lambda *a, **k: real(*a, **k, session_wrapper=lambda s: PullAfter(s, 1)))
    ids = _files(ctx, make_pdf, 3)
    result, outcomes = sign_files(ctx.db, ctx.audit, ADMIN, ids, _token(hsm, pki), hsm.pin)
    assert result.token_gone and [o.state for o in outcomes] == ["verified", "unsigned", "unsigned"]
    with ctx.db.session() as s:
        failed = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "file.sign_failed")))
        assert len(failed) == 2


def test_postal_agent_cannot_sign_for_the_organization(ctx: AppContext, hsm: HsmToken,
                                                       make_pdf: Callable[..., Path]) -> None:
    ids = _files(ctx, make_pdf, 1)
    with pytest.raises(PermissionDenied):
        sign_files(ctx.db, ctx.audit, Actor(username="bd", role=Role.POSTAL_AGENT), ids, _token(hsm), hsm.pin,
                   profile="copy")


def test_an_exempt_file_signed_after_its_upload_goes_again_signed(ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                                   make_pdf: Callable[..., Path]) -> None:
    ids = _files(ctx, make_pdf, 2, exempt=True)
    ctx.outbox.drain(ADMIN, timeout=30)  # both (exempt) files reach the dossier system unsigned
    assert ctx.outbox.counts() == {"done": 3}
    _, outcomes = sign_files(ctx.db, ctx.audit, ADMIN, ids, _token(hsm, pki), hsm.pin,
                             on_verified=ctx.outbox.file_changed)
    assert [o.state for o in outcomes] == ["verified", "verified"]
    assert ctx.outbox.counts() == {"done": 3, "pending": 2}
    ctx.outbox.drain(ADMIN, timeout=30)
    with ctx.db.session() as s:
        signed = {f.sha256 for f in s.scalars(select(DigitizedFile).where(DigitizedFile.id.in_(ids)))}
    delivered = Path(ctx.settings.resolved_dossier_url().removeprefix("file://"))
    metas = [json.loads(p.read_text()) for p in delivered.rglob("files/*.json")]
    # the signed copies replace the unsigned ones: one file per component, the old ones as history
    assert {m["sha256"] for m in metas} == signed and {m["signature_state"] for m in metas} == {"verified"}
    assert len(list(delivered.rglob("files/replaced/*.json"))) == 2


def test_a_file_signed_again_replaces_its_upload_at_the_server(
        make_ctx: Callable[..., AppContext], hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path],
        tmp_path: Path) -> None:
    """Issue 10: "a re-signed file replaces the earlier upload by its idempotency rules". Before,
    the bundled server kept both versions as two files of the dossier (it keys files by SHA-256)."""
    from tests.outbox.test_http import Server

    srv = Server(tmp_path / "server")
    try:
        ctx = make_ctx(lambda: srv.adapter())
        ids = _files(ctx, make_pdf, 2)
        sign_files(ctx.db, ctx.audit, ADMIN, ids, _token(hsm, pki), hsm.pin, on_verified=ctx.outbox.file_changed)
        assert ctx.outbox.drain(ADMIN, timeout=60)["delivered"] == 3
        with ctx.db.session() as s:
            first = {f.id: f.sha256 for f in s.scalars(select(DigitizedFile).where(DigitizedFile.id.in_(ids)))}
        # signed again (a renewed certificate, an added time-stamp): new bytes, same file of the dossier
        sign_files(ctx.db, ctx.audit, ADMIN, ids[:1], _token(hsm, pki), hsm.pin, on_verified=ctx.outbox.file_changed)
        assert ctx.outbox.drain(ADMIN, timeout=60)["delivered"] == 1
        with ctx.db.session() as s:
            again = s.scalars(select(DigitizedFile.sha256).where(DigitizedFile.id == ids[0])).one()
        assert again != first[ids[0]]
        [view] = srv.dump()["dossiers"]
        assert sorted(f["sha256"] for f in view["files"]) == sorted([again, first[ids[1]]])
        assert [(f["sha256"], f["replaced_by"]) for f in view["replaced_files"]] == [(first[ids[0]], again)]
        assert ctx.outbox.drain(ADMIN, timeout=60)["delivered"] == 0  # nothing twice
    finally:
        srv.stop()


def test_loose_files_are_verified_and_audited_by_their_digest(ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                              make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    """The Signing screen's and ``motcua sign``'s path: before, ``sign_batch`` signed loose files
    with no verification, no audit and no role check of its own."""
    src = [make_pdf(f"Nguyen Van A {i}.pdf") for i in range(2)]
    jobs = [SignJob(p, tmp_path / f"out-{i}.pdf") for i, p in enumerate(src)]
    result = sign_loose_files(ctx.db, ctx.audit, ADMIN, jobs, _token(hsm, pki), hsm.pin)
    assert result.ok and not result.not_verified
    assert [r.verified for r in result.results] == [True, True]
    with ctx.db.session() as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "file.sign_loose")))
    digests = {hashlib.sha256(j.output.read_bytes()).hexdigest() for j in jobs}
    assert {e.entity_id for e in events} == digests
    assert all("Nguyen" not in json.dumps(e.data, ensure_ascii=False) for e in events)  # no file names kept
    # no trusted root: signed, and said not to verify (not silently "signed")
    untrusted = sign_loose_files(ctx.db, ctx.audit, ADMIN, [SignJob(src[0], tmp_path / "u.pdf")],
                                 _token(hsm), hsm.pin)
    assert untrusted.ok and len(untrusted.not_verified) == 1 and untrusted.results[0].problems
    assert untrusted.to_dict()["not_verified"] == 1


def test_loose_signing_checks_the_role_before_the_token(ctx: AppContext, hsm: HsmToken, make_pdf: Callable[..., Path],
                                                        tmp_path: Path) -> None:
    postal = Actor("buudien", Role.POSTAL_AGENT)
    with pytest.raises(PermissionDenied):
        sign_loose_files(ctx.db, ctx.audit, postal, [SignJob(make_pdf("a.pdf"), tmp_path / "o.pdf")],
                         _token(hsm), "wrong-pin-never-tried", profile="copy")
    assert not (tmp_path / "o.pdf").exists()
