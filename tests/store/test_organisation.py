"""The document store per organisation (tax code): an organisation's signed documents are filed
under its tax code and offered to its next dossier, whoever represents it; the representative's
ID card copy stays in their own store; another organisation's (or a branch's parent's)
documents are never offered nor reusable; each look-up audited. Real SoftHSM2 signatures."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.cli.main import main
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.kernel.errors import InvalidInput, NotFound
from desktop.workflow.signing import sign_files
from tests.cli import ADMIN as ADMIN_USER
from tests.cli import ADMIN_PASSWORD
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from tests.store.test_store import _actions, _token, store_ctx

__all__ = ["store_ctx"]  # the store tests' workstation fixture (SQLite and PostgreSQL)

ADMIN = Actor.cli()
REP, OTHER_REP = "001190012345", "079088001122"
VINAMILK, VIETTEL = "0300588569", "0100109106"
PROC = "2.001035"  # contract certification: QSH the property certificate, GTTT the ID paper


def _org_dossier(ctx: AppContext, tax_code: str, rep: str = REP) -> str:
    return ctx.dossiers.receive(ADMIN, procedure_code=PROC, applicant_name="Lê Thị Mai", applicant_id_number=rep,
                                organisation_tax_code=tax_code, organisation_name=f"Công ty {tax_code}").code


def _signed(ctx: AppContext, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path], code: str) -> None:
    ids = [ctx.dossiers.attach_file(ADMIN, code, make_pdf(f"{c}-{code}.pdf"), component=c).id for c in ("QSH", "GTTT")]
    _, outcomes = sign_files(ctx.db, ctx.audit, ADMIN, ids, _token(hsm, pki), hsm.pin)
    assert [o.state for o in outcomes] == ["verified", "verified"]


def _offered(ctx: AppContext, code: str) -> dict[str, list[str]]:
    return {slot: [d.source_dossier for d in docs] for slot, docs in ctx.store.offers(ADMIN, code).items()}


def test_organisation_documents_go_to_that_organisation_only(store_ctx: AppContext, hsm: HsmToken, pki: TestPKI,
                                                             make_pdf: Callable[..., Path]) -> None:
    ctx = store_ctx
    first = _org_dossier(ctx, VINAMILK)
    _signed(ctx, hsm, pki, make_pdf, first)
    # the same company, another employee: its property certificate, not the first one's ID card
    same_org = _org_dossier(ctx, VINAMILK, rep=OTHER_REP)
    assert _offered(ctx, same_org) == {"QSH": [first]}
    lookup = _actions(ctx, "store.lookup")[-1]
    assert (lookup.actor, lookup.entity_type, lookup.entity_id) == (ADMIN.audit_name, "organisation", VINAMILK)
    assert lookup.data["why"] == same_org and lookup.data["representative"] == ctx.audit.citizen_ref(OTHER_REP)
    # the same person for another company: their own ID card copy, never Vinamilk's certificate
    other_org = _org_dossier(ctx, VIETTEL)
    assert _offered(ctx, other_org) == {"GTTT": [first]}
    branch = _org_dossier(ctx, VINAMILK + "-001", rep=OTHER_REP)  # a branch is a taxpayer of its own
    assert _offered(ctx, branch) == {}
    # the same person's own dossier: what they brought for Vinamilk is Vinamilk's
    own = ctx.dossiers.receive(ADMIN, procedure_code=PROC, applicant_name="Lê Thị Mai", applicant_id_number=REP).code
    assert _offered(ctx, own) == {"GTTT": [first]}
    qsh = next(d for d in ctx.store.list_for_organisation(ADMIN, VINAMILK, why="test") if d.doc_type == "QSH")
    assert qsh.tax_code == VINAMILK
    for code in (other_org, branch, own):
        with pytest.raises(NotFound):
            ctx.store.reuse(ADMIN, code, "QSH", qsh.id)
    assert not ctx.dossiers.files(other_org) and not ctx.dossiers.files(own)
    fid = ctx.store.reuse(ADMIN, same_org, "QSH", qsh.id)
    assert [(f.id, f.component_code, f.signature_state) for f in ctx.dossiers.files(same_org)] == \
        [(fid, "QSH", "verified")]
    ev = _actions(ctx, "store.reuse")[-1]
    assert (ev.data["organisation"], ev.data["dossier"], ev.data["source_dossier"]) == (VINAMILK, same_org, first)
    with pytest.raises(InvalidInput):  # the national store is per citizen: not for the organisation's slot
        ctx.store.reuse_national(ADMIN, same_org, "QSH", "x")


def test_cli_store_list_by_tax_code_and_reuse(hsm: HsmToken, pki: TestPKI, tmp_path: Path, make_pdf: Callable[..., Path],
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """In process (a ``motcua`` subprocess costs seconds each on a loaded machine)."""
    monkeypatch.setenv("MOTCUA_USER", ADMIN_USER)
    monkeypatch.setenv("MOTCUA_PASSWORD", ADMIN_PASSWORD)
    data = tmp_path / "ws"
    settings = load_settings(data)
    settings.extra["signing"] = {"trust": [str(pki.ca_pem)]}
    settings.save()
    ctx = AppContext(load_settings(data))
    try:
        first = _org_dossier(ctx, VINAMILK)
        _signed(ctx, hsm, pki, make_pdf, first)
    finally:
        ctx.close()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data), *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("dossier", "submit", "--procedure", PROC, "--owner", "Trần Văn Bình", "--id-number",
                         OTHER_REP, "--tax-code", "0300 588 569", "--organisation", "Vinamilk")
    assert code == 0, err
    second = out.strip()
    code, out, err = run("store", "list", "--tax-code", "0300588569", "--json")
    assert code == 0, err
    docs = json.loads(out)
    assert [(d["doc_type"], d["tax_code"], d["source_dossier"]) for d in docs] == [("QSH", VINAMILK, first)]
    code, out, _ = run("store", "list", "--id-number", REP, "--json")  # the representative's own: the ID card only
    assert [d["doc_type"] for d in json.loads(out)] == ["GTTT"]
    code, out, err = run("store", "list", "--tax-code", "0300588568")
    assert code != 0 and "0300588568" in out + err
    code, out, err = run("dossier", "reuse", second, "--component", "QSH", "--document", str(docs[0]["id"]))
    assert code == 0, err
    code, out, err = run("dossier", "submit", "--procedure", PROC, "--owner", "X", "--tax-code", "0300588568",
                         "--organisation", "Vinamilk")
    assert code != 0 and ("check digit" in out + err or "chữ số kiểm tra" in out + err)


def test_the_dossier_system_gets_the_tax_code_and_lists_it_with_no_citizen(
        tmp_path: Path, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    """The bundled server: the owner's tax code arrives (its check digit checked), and an
    organisation's documents are not listed as the representative's in the national store."""
    import sqlite3

    from desktop.dossier_server import validation
    from tests.outbox.test_http import Server
    from tests.store.test_national import _ctx, _get

    server = Server(tmp_path / "server")
    try:
        ctx = _ctx(tmp_path / "ws", server, pki)
        try:
            code = _org_dossier(ctx, VINAMILK)
            _signed(ctx, hsm, pki, make_pdf, code)
            ctx.outbox.drain_until_empty(ADMIN, 60)
        finally:
            ctx.close()
        con = sqlite3.connect(server.data / "server.db")
        try:
            body = json.loads(con.execute("SELECT body FROM dossier WHERE code = ?", (code,)).fetchone()[0])
        finally:
            con.close()
        assert (body["owner"]["tax_code"], body["owner"]["organisation"]) == (VINAMILK, f"Công ty {VINAMILK}")
        assert _get(server, f"/api/citizens/{REP}/documents", purpose="x").json()["documents"] == []
    finally:
        server.stop()
    for bad in ("030058856", "0300588569-000", "0300588569001"):  # the form the contract gives
        with pytest.raises(validation.Invalid):
            validation.dossier({**body, "owner": {**body["owner"], "tax_code": bad}}, code)
    assert validation.dossier({**body, "owner": {**body["owner"], "tax_code": "0300588569-001"}}, code)
