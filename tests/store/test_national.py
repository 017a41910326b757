"""The national document store, looked up through the dossier system (the bundled server on
loopback, a real process): only the citizen's own documents are listed, a national copy is
downloaded, checked and reused, a tampered one is refused, a server that is down leaves the
local offers with the reason, and a folder has no national store. Real SoftHSM2 signatures."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import DigitizedFile
from desktop.kernel.errors import InvalidInput, NotFound
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.store.models import StoredDocument
from desktop.store.service import NationalState, Origin
from tests.cli import motcua
from tests.outbox.test_http import Server
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from tests.store.test_store import ADMIN, CITIZEN, OTHER, _actions, _new, _signed_dossier


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "server")
    yield s
    s.stop()


def _ctx(data: Path, server: Server, pki: TestPKI, url: str | None = None, **overrides: str) -> AppContext:
    extra = {**server.extra(), "signing": {"trust": [str(pki.ca_pem)]}}
    return AppContext(load_settings(data, dossier_url=url or server.url, extra=extra, **overrides))


def _published(tmp_path: Path, server: Server, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path],
               id_number: str = CITIZEN) -> str:
    """Another commune's workstation signs a dossier's GCS and delivers it: the national store holds it."""
    ctx = _ctx(tmp_path / "elsewhere", server, pki, unit_code="000.00.31.H56")
    try:
        code = _signed_dossier(ctx, hsm, pki, make_pdf, id_number=id_number)
        ctx.outbox.drain_until_empty(ADMIN, 60)
    finally:
        ctx.close()
    return code


def _get(server: Server, path: str, **params: str) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", params=params, headers={
        "Authorization": f"Bearer {server.token()}", "X-Workstation-Id": "ws-test-0001"})


def test_the_server_lists_only_that_citizens_documents(tmp_path: Path, server: Server, hsm: HsmToken, pki: TestPKI,
                                                      make_pdf: Callable[..., Path]) -> None:
    mine = _published(tmp_path, server, hsm, pki, make_pdf)
    _published(tmp_path, server, hsm, pki, make_pdf, id_number=OTHER)
    r = _get(server, f"/api/citizens/{CITIZEN}/documents", purpose=mine)
    assert r.status_code == 200, r.text
    docs = r.json()["documents"]
    assert [(d["doc_type"], d["source_dossier"], d["signature_state"]) for d in docs] == [("GCS", mine, "verified")]
    theirs = _get(server, f"/api/citizens/{OTHER}/documents", purpose="x").json()["documents"][0]
    assert theirs["id"] != docs[0]["id"]
    # another citizen's document is not served under this citizen's number: the same 404 as an unknown one
    assert _get(server, f"/api/citizens/{CITIZEN}/documents/{theirs['id']}/file", purpose=mine).status_code == 404
    assert _get(server, f"/api/citizens/{CITIZEN}/documents/{'0' * 64}/file", purpose=mine).status_code == 404
    got = _get(server, f"/api/citizens/{CITIZEN}/documents/{docs[0]['id']}/file", purpose=mine)
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    import hashlib
    assert hashlib.sha256(got.content).hexdigest() == docs[0]["sha256"]
    # every look-up says why, and the ID number is checked
    assert _get(server, f"/api/citizens/{CITIZEN}/documents").status_code == 422
    assert _get(server, "/api/citizens/12ab/documents", purpose="x").status_code == 422
    assert httpx.get(f"{server.url}/api/citizens/{CITIZEN}/documents", params={"purpose": "x"}).status_code == 401
    assert _get(server, "/api/citizens/999999999999/documents", purpose="x").json()["documents"] == []


def test_a_national_copy_is_offered_downloaded_checked_and_reused(tmp_path: Path, server: Server, hsm: HsmToken,
                                                                  pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    first = _published(tmp_path, server, hsm, pki, make_pdf)
    ctx = _ctx(tmp_path / "ws", server, pki)
    try:
        second = _new(ctx)
        found = ctx.store.look_up(ADMIN, second)
        assert found.national is NationalState.REACHED and found.reason == ""
        offer = found.slots["GCS"][0]
        assert (offer.origin, offer.source_dossier, offer.id) == (Origin.NATIONAL, first, 0) and offer.national_id
        ev = _actions(ctx, "store.lookup")[-1]
        assert (ev.entity_id, ev.data["why"], ev.data["source"], ev.data["found"]) == (CITIZEN, second, "national", 1)
        fid = ctx.store.reuse_national(ADMIN, second, "GCS", offer.national_id)
        with ctx.db.session() as s:
            f = s.get(DigitizedFile, fid)
            assert f is not None and f.reused and f.signature_state == "verified" and f.sha256 == offer.sha256
            kept = s.scalars(select(StoredDocument).where(StoredDocument.sha256 == offer.sha256)).one()
            assert kept.id_number == CITIZEN and kept.source_dossier == first and Path(kept.path).is_file()
        assert _actions(ctx, "store.import")[-1].data["national_id"] == offer.national_id
        # kept locally now: the next dossier is offered the local copy, not the national one again
        third = _new(ctx)
        again = ctx.store.look_up(ADMIN, third)
        assert [d.origin for d in again.slots["GCS"]] == [Origin.LOCAL]
        ctx.outbox.drain_until_empty(ADMIN, 60)
    finally:
        ctx.close()
    # the upload carries the portal's "taken from the store" flag; the server kept who looked and why
    import sqlite3

    con = sqlite3.connect(server.data / "server.db")
    try:
        meta = {d: json.loads(m) for d, m in con.execute("SELECT dossier, meta FROM file")}
        purposes = [p for (p,) in con.execute("SELECT purpose FROM lookup WHERE id_number = ?", (CITIZEN,))]
    finally:
        con.close()
    assert meta[first]["reused"] is False and meta[second]["reused"] is True
    assert second in purposes


def test_a_tampered_national_copy_is_refused(tmp_path: Path, server: Server, hsm: HsmToken, pki: TestPKI,
                                             make_pdf: Callable[..., Path]) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf)
    ctx = _ctx(tmp_path / "ws", server, pki)
    try:
        second = _new(ctx)
        offer = ctx.store.offers(ADMIN, second)["GCS"][0]
        kept = server.data / "files" / offer.sha256
        data = bytearray(kept.read_bytes())
        data[data.index(b"stream") + 10] ^= 0x01  # a byte the signature covers
        kept.write_bytes(bytes(data))
        with pytest.raises(InvalidInput) as e:
            ctx.store.reuse_national(ADMIN, second, "GCS", offer.national_id)
        assert "hash differs" in str(e.value) or "mã băm khác" in str(e.value)
        assert not ctx.dossiers.files(second)
        refused = _actions(ctx, "store.reuse_refused")[-1]
        assert refused.data["source"] == "national" and refused.data["dossier"] == second
        with ctx.db.session() as s:
            assert s.scalar(select(StoredDocument).where(StoredDocument.sha256 == offer.sha256)) is None
        assert not list((ctx.settings.files_dir / "national-store").rglob("*.pdf"))
    finally:
        ctx.close()


def test_a_national_copy_that_no_longer_verifies_is_refused(tmp_path: Path, server: Server, hsm: HsmToken,
                                                            pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf)
    ctx = _ctx(tmp_path / "ws", server, pki)
    try:
        second = _new(ctx)
        offer = ctx.store.offers(ADMIN, second)["GCS"][0]
        ctx.store.trust = [hsm.base / "cert-05.pem"]  # not the signer's issuer
        with pytest.raises(InvalidInput) as e:
            ctx.store.reuse_national(ADMIN, second, "GCS", offer.national_id)
        assert "no longer verifies" in str(e.value) or "không còn hợp lệ" in str(e.value)
        assert not ctx.dossiers.files(second)
    finally:
        ctx.close()


def test_the_server_down_leaves_the_local_offers_with_the_reason(tmp_path: Path, server: Server, hsm: HsmToken,
                                                                 pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{sock.getsockname()[1]}"
    ctx = _ctx(tmp_path / "ws", server, pki, url=down)
    try:
        first = _signed_dossier(ctx, hsm, pki, make_pdf)
        second = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                                      applicant_id_number=CITIZEN).code
        found = ctx.store.look_up(ADMIN, second)
        # the local copy is offered; the slots it cannot fill were asked of the national store, which is down
        assert found.slots["GCS"][0].source_dossier == first and found.slots["GCS"][0].origin is Origin.LOCAL
        assert found.national is NationalState.UNREACHABLE
        assert "could not be reached" in found.reason or "Không tra cứu được" in found.reason
        assert _actions(ctx, "store.lookup")[-1].data["source"] == "national"
        with pytest.raises(InvalidInput):
            ctx.store.reuse_national(ADMIN, second, "GCS", "a" * 64)
    finally:
        ctx.close()


def test_a_folder_has_no_national_store(tmp_path: Path, hsm: HsmToken, pki: TestPKI,
                                        make_pdf: Callable[..., Path]) -> None:
    assert FolderAdapter(tmp_path / "folder").lookup_documents(CITIZEN, "x") is None
    ctx = AppContext(load_settings(tmp_path / "ws", extra={"signing": {"trust": [str(pki.ca_pem)]}}))
    try:
        code = _new(ctx)
        found = ctx.store.look_up(ADMIN, code)
        assert (found.slots, found.national, found.reason) == ({}, NationalState.NOT_ASKED, "")
        with pytest.raises(InvalidInput):
            ctx.store.reuse_national(ADMIN, code, "GCS", "a" * 64)
    finally:
        ctx.close()


def test_another_citizens_national_document_is_never_reused(tmp_path: Path, server: Server, hsm: HsmToken,
                                                            pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf, id_number=OTHER)
    theirs = _get(server, f"/api/citizens/{OTHER}/documents", purpose="x").json()["documents"][0]["id"]
    ctx = _ctx(tmp_path / "ws", server, pki)
    try:
        mine = _new(ctx)
        assert ctx.store.offers(ADMIN, mine) == {}
        with pytest.raises(NotFound):
            ctx.store.reuse_national(ADMIN, mine, "GCS", theirs)
        assert not ctx.dossiers.files(mine)
    finally:
        ctx.close()


def test_cli_lists_and_reuses_a_national_document(tmp_path: Path, server: Server, hsm: HsmToken, pki: TestPKI,
                                                  make_pdf: Callable[..., Path]) -> None:
    first = _published(tmp_path, server, hsm, pki, make_pdf)
    data = tmp_path / "ws"
    settings = load_settings(data)
    settings.dossier_url = server.url
    settings.extra.update({**server.extra(), "signing": {"trust": [str(pki.ca_pem)]}})
    settings.save()
    ctx = AppContext(load_settings(data))
    try:
        second = _new(ctx)
    finally:
        ctx.close()
    r = motcua(data, "store", "list", "--id-number", CITIZEN, "--national", "--json")
    assert r.returncode == 0 and not r.stderr, r.stderr
    docs = json.loads(r.stdout)
    assert [(d["origin"], d["source_dossier"]) for d in docs] == [("national", first)]
    r = motcua(data, "dossier", "reuse", second, "--component", "GCS", "--national-document", docs[0]["national_id"])
    assert r.returncode == 0, r.stderr
    ctx = AppContext(load_settings(data))
    try:
        assert [(f.component_code, f.signature_state) for f in ctx.dossiers.files(second)] == [("GCS", "verified")]
    finally:
        ctx.close()


def test_a_dossier_system_address_that_is_not_valid_leaves_the_local_offers(tmp_path: Path, hsm: HsmToken,
                                                                            pki: TestPKI,
                                                                            make_pdf: Callable[..., Path]) -> None:
    """The adapter cannot even be made: the counter still gets its local offers, with the reason."""
    ctx = AppContext(load_settings(tmp_path / "ws", extra={"signing": {"trust": [str(pki.ca_pem)]}}))
    try:
        first = _signed_dossier(ctx, hsm, pki, make_pdf)
        second = _new(ctx)
        ctx.settings.dossier_url = "ftp://dossiers.example/"
        found = ctx.store.look_up(ADMIN, second)
        assert found.slots["GCS"][0].source_dossier == first and found.national is NationalState.UNREACHABLE
        assert "ftp://dossiers.example/" in found.reason
    finally:
        ctx.close()
