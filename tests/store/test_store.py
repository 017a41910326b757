"""The citizen's document store: a verified copy is indexed, offered to the same citizen's next
dossier, reused after its signature verifies again — and refused with the reason when it was
tampered with, has expired, is missing or belongs to someone else. Real SoftHSM2 signatures."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent, DigitizedFile, Role
from desktop.kernel.errors import InvalidInput, NotFound, PermissionDenied
from desktop.kernel.timeutil import now_vn
from desktop.outbox.models import OutboxJob
from desktop.reports.dossiers import DossierRow, dossier_report
from desktop.reports.period import month_period
from desktop.workflow.signing import TokenChoice, sign_files
from tests.cli import motcua
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI

ADMIN = Actor.cli()
CITIZEN, OTHER = "001190012345", "079088001122"


def _token(hsm: HsmToken, pki: TestPKI) -> TokenChoice:
    return TokenChoice(module_path=hsm.module, token_label=hsm.label, key_id="01", trust=(pki.ca_pem,),
                       organization_cert=hsm.base / "cert-01.pem")


def _signed_dossier(ctx: AppContext, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path],
                    id_number: str = CITIZEN) -> str:
    """A dossier of ``id_number`` with its birth-certificate copy (GCS) signed and verified."""
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                             applicant_id_number=id_number)
    fid = ctx.dossiers.attach_file(ADMIN, d.code, make_pdf(f"gcs-{id_number}.pdf"), component="GCS").id
    _, outcomes = sign_files(ctx.db, ctx.audit, ADMIN, [fid], _token(hsm, pki), hsm.pin,
                             on_verified=ctx.outbox.file_changed)
    assert outcomes[0].state == "verified"
    return d.code


def _new(ctx: AppContext, id_number: str = CITIZEN) -> str:
    return ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                                applicant_id_number=id_number).code


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_ctx(request: pytest.FixtureRequest, tmp_path: Path, pki: TestPKI) -> Iterator[AppContext]:
    """A workstation on SQLite and one on the centre's PostgreSQL (the store is shared there)."""
    db_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    c = AppContext(load_settings(tmp_path / "ws", db_url=db_url, extra={"signing": {"trust": [str(pki.ca_pem)]}}))
    yield c
    c.close()


def _actions(ctx: AppContext, action: str) -> list[AuditEvent]:
    with ctx.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def test_verified_copy_is_offered_and_reused_without_a_new_scan(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                                make_pdf: Callable[..., Path]) -> None:
    ctx = store_ctx
    first = _signed_dossier(ctx, hsm, pki, make_pdf)
    second = _new(ctx)
    offers = ctx.store.offers(ADMIN, second)
    assert list(offers) == ["GCS"] and offers["GCS"][0].source_dossier == first
    doc = offers["GCS"][0]
    lookup = _actions(ctx, "store.lookup")[-1]
    assert (lookup.actor, lookup.entity_id, lookup.data["why"]) == (ADMIN.audit_name, ctx.audit.citizen_ref(CITIZEN), second)
    fid = ctx.store.reuse(ADMIN, second, "GCS", doc.id)
    with ctx.db.session() as s:
        f = s.get(DigitizedFile, fid)
        assert f is not None and f.reused and f.signature_state == "verified" and f.sha256 == doc.sha256
        job = next(j for j in s.scalars(select(OutboxJob).where(OutboxJob.dossier_code == second))
                   if (j.payload or {}).get("file_id") == fid)
        assert job.payload["reused"] is True and job.state == "pending"  # verified: goes at once, flagged
        from desktop.db.models import Dossier
        from desktop.lifecycle.portal import portal_record

        docs = portal_record(s, s.scalars(select(Dossier).where(Dossier.code == second)).one())["documents"]
        assert [d["from_national_store"] for d in docs if d["file"] == f.filename] == [False]  # this centre's own
    ev = _actions(ctx, "store.reuse")[-1]
    assert ev.data["citizen"] == ctx.audit.citizen_ref(CITIZEN) and ev.data["dossier"] == second and ev.data["source_dossier"] == first
    # the reuse indicator counts it: 1 reused of 2 component files (the first dossier's scan, the reuse)
    total = ctx_report_total(ctx)
    assert (total.files, total.files_reused, total.reuse_share) == (2, 1, 0.5)


def ctx_report_total(ctx: AppContext) -> DossierRow:
    today = now_vn().date()
    return dossier_report(ctx.db, ADMIN, month_period(today.year, today.month), by="total").total


def test_tampered_file_is_refused_with_the_reason(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                 make_pdf: Callable[..., Path]) -> None:
    ctx = store_ctx
    _signed_dossier(ctx, hsm, pki, make_pdf)
    second = _new(ctx)
    doc = ctx.store.offers(ADMIN, second)["GCS"][0]
    with ctx.db.session() as s:
        path = Path(s.scalars(select(DigitizedFile.path).where(DigitizedFile.sha256 == doc.sha256)).one())
    data = bytearray(path.read_bytes())
    i = data.index(b"stream") + 10  # a byte of the first content stream, covered by the signature
    data[i] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(InvalidInput) as e:
        ctx.store.reuse(ADMIN, second, "GCS", doc.id)
    assert "changed after it was signed" in str(e.value) or "thay đổi sau khi ký" in str(e.value)
    assert not [f for f in ctx.dossiers.files(second)]
    assert _actions(ctx, "store.reuse_refused")[-1].data["dossier"] == second


def test_signature_that_no_longer_verifies_is_refused(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                     make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    """Same bytes, but the trust anchor is no longer the one that signed: verification runs again."""
    ctx = store_ctx
    _signed_dossier(ctx, hsm, pki, make_pdf)
    second = _new(ctx)
    doc = ctx.store.offers(ADMIN, second)["GCS"][0]
    ctx.store.trust = [hsm.base / "cert-05.pem"]  # a certificate that did not issue the signer's
    with pytest.raises(InvalidInput) as e:
        ctx.store.reuse(ADMIN, second, "GCS", doc.id)
    assert "no longer verifies" in str(e.value) or "không còn hợp lệ" in str(e.value)
    assert not ctx.dossiers.files(second)


def test_expired_is_not_offered_and_refused(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                           make_pdf: Callable[..., Path]) -> None:
    ctx = store_ctx
    _signed_dossier(ctx, hsm, pki, make_pdf)
    second = _new(ctx)
    doc = ctx.store.offers(ADMIN, second)["GCS"][0]
    ctx.store.describe(ADMIN, doc.id, number="123/2020", valid_until=now_vn().date() - timedelta(days=1))
    assert ctx.store.offers(ADMIN, second) == {}
    assert ctx.store.list_for(ADMIN, CITIZEN, why="test") == []
    assert [d.id for d in ctx.store.list_for(ADMIN, CITIZEN, why="test", include_expired=True)] == [doc.id]
    with pytest.raises(InvalidInput) as e:
        ctx.store.reuse(ADMIN, second, "GCS", doc.id)
    assert "expired" in str(e.value) or "hết hiệu lực" in str(e.value)


def test_another_citizens_documents_are_never_offered(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                      make_pdf: Callable[..., Path]) -> None:
    ctx = store_ctx
    _signed_dossier(ctx, hsm, pki, make_pdf, id_number=OTHER)
    mine = _new(ctx)
    assert ctx.store.offers(ADMIN, mine) == {}
    theirs = ctx.store.list_for(ADMIN, OTHER, why="test")[0]
    with pytest.raises(NotFound):
        ctx.store.reuse(ADMIN, mine, "GCS", theirs.id)
    assert not ctx.dossiers.files(mine)
    # a dossier without an ID number sees nothing either
    anonymous = _new(ctx, id_number="")
    assert ctx.store.offers(ADMIN, anonymous) == {}


def test_missing_file_is_refused_and_said(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                         make_pdf: Callable[..., Path]) -> None:
    ctx = store_ctx
    _signed_dossier(ctx, hsm, pki, make_pdf)
    second = _new(ctx)
    doc = ctx.store.offers(ADMIN, second)["GCS"][0]
    with ctx.db.session() as s:
        Path(s.scalars(select(DigitizedFile.path).where(DigitizedFile.sha256 == doc.sha256)).one()).unlink()
    with pytest.raises(InvalidInput) as e:
        ctx.store.reuse(ADMIN, second, "GCS", doc.id)
    assert "no longer on disk" in str(e.value) or "không còn trên ổ đĩa" in str(e.value)


def test_store_needs_the_counters_permissions(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                             make_pdf: Callable[..., Path]) -> None:
    ctx = store_ctx
    _signed_dossier(ctx, hsm, pki, make_pdf)
    board = Actor(username="board", role=Role.DISPLAY_BOARD)
    with pytest.raises(PermissionDenied):
        ctx.store.list_for(board, CITIZEN, why="test")
    with pytest.raises(PermissionDenied):
        ctx.store.offers(board, _new(ctx))


def test_cli_store_list_and_dossier_reuse(hsm: HsmToken, pki: TestPKI, tmp_path: Path,
                                         make_pdf: Callable[..., Path]) -> None:
    data = tmp_path / "ws"
    settings = load_settings(data)
    settings.extra["signing"] = {"trust": [str(pki.ca_pem)]}
    settings.save()
    ctx = AppContext(load_settings(data))
    try:
        first = _signed_dossier(ctx, hsm, pki, make_pdf)
        second = _new(ctx)
    finally:
        ctx.close()
    r = motcua(data, "store", "list", "--id-number", CITIZEN, "--json")
    assert r.returncode == 0, r.stderr
    docs = json.loads(r.stdout)
    assert [(d["doc_type"], d["source_dossier"]) for d in docs] == [("GCS", first)]
    assert docs[0]["issued_on"] == now_vn().date().isoformat() and docs[0]["valid_until"] is None
    r = motcua(data, "store", "list", "--id-number", OTHER)
    assert r.returncode == 0 and first not in r.stdout
    r = motcua(data, "dossier", "reuse", second, "--component", "GCS", "--document", str(docs[0]["id"]))
    assert r.returncode == 0, r.stderr
    r = motcua(data, "dossier", "reuse", second, "--component", "NOPE", "--document", str(docs[0]["id"]))
    assert r.returncode != 0 and "NOPE" in r.stderr
    ctx = AppContext(load_settings(data))
    try:
        files = ctx.dossiers.files(second)
        assert [(f.component_code, f.signature_state) for f in files] == [("GCS", "verified")]
    finally:
        ctx.close()


def test_a_sealed_result_goes_into_the_store_at_once(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                     make_pdf: Callable[..., Path]) -> None:
    """The lifecycle seals a result through FileSealer (the one signing path): indexed there."""
    from desktop.workflow.signing import FileSealer

    ctx = store_ctx
    code = _new(ctx)
    fid = ctx.dossiers.attach_file(ADMIN, code, make_pdf("kq.pdf"), kind="result").id
    check = FileSealer(ctx.db, ctx.audit, ctx.outbox, _token(hsm, pki), hsm.pin).seal_file(ADMIN, fid)
    assert check.ok, check.problems
    docs = ctx.store.list_for(ADMIN, CITIZEN, why="test")
    assert [(d.kind, d.doc_type, d.source_dossier) for d in docs] == [("result", "result:1.001193", code)]


def test_reused_flag_reaches_the_bundled_dossier_server(tmp_path: Path, hsm: HsmToken, pki: TestPKI,
                                                        make_pdf: Callable[..., Path]) -> None:
    """The national portal's "taken from the store" flag: X-File-Meta ``reused`` on the upload."""
    import sqlite3

    from tests.outbox.test_http import Server

    server = Server(tmp_path / "server")
    try:
        extra = {**server.extra(), "signing": {"trust": [str(pki.ca_pem)]}}
        ctx = AppContext(load_settings(tmp_path / "ws", dossier_url=server.url, extra=extra))
        try:
            first = _signed_dossier(ctx, hsm, pki, make_pdf)
            second = _new(ctx)
            ctx.store.reuse(ADMIN, second, "GCS", ctx.store.offers(ADMIN, second)["GCS"][0].id)
            ctx.outbox.drain_until_empty(ADMIN, 60)
        finally:
            ctx.close()
        con = sqlite3.connect(server.data / "server.db")
        rows = {d: json.loads(m) for d, m in con.execute("SELECT dossier, meta FROM file")}
        con.close()
        assert rows[first].get("reused") is False and rows[second]["reused"] is True
    finally:
        server.stop()
