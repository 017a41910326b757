"""The national document store, looked up through the dossier system (the bundled server on
loopback, a real process): only the citizen's own documents are listed, with what each paper
says (number, issuer, dates), an expired one shown but never reused; a national copy is
downloaded, checked and reused, a tampered one is refused; a server that is down, failing,
slow, refusing the workstation or answering garbage or too much leaves the local offers with
a reason that says which; one dossier's look-ups ask the national store once (each real
request audited once); and a folder has no national store. Real SoftHSM2 signatures; the
workstation's tests run on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent, DigitizedFile, Role
from desktop.kernel.errors import InvalidInput, NotFound
from desktop.kernel.i18n import set_language
from desktop.kernel.timeutil import now_vn
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.outbox.adapters.http import _national
from desktop.store.models import StoredDocument
from desktop.store.service import NationalState, Origin
from tests.cli import motcua
from tests.outbox.test_http import ROOT, Server
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from tests.store.test_store import ADMIN, CITIZEN, OTHER, _actions, _new, _signed_dossier


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "server")
    yield s
    s.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The workstation's database: its own SQLite, or the centre's PostgreSQL ("" is SQLite)."""
    return str(request.getfixturevalue("pg_url")) if request.param == "postgres" else ""


def _ctx(data: Path, server: Server, pki: TestPKI, url: str | None = None, db_url: str = "",
         **overrides: str) -> AppContext:
    extra = {**server.extra(), "signing": {"trust": [str(pki.ca_pem)]}}
    return AppContext(load_settings(data, dossier_url=url or server.url, extra=extra, db_url=db_url, **overrides))


def _national_events(ctx: AppContext) -> list[AuditEvent]:
    """The audit records of real requests to the national store (the local look-ups have no ``source``)."""
    return [e for e in _actions(ctx, "store.lookup") if e.data.get("source") == "national"]


def _server_lookups(server: Server, purpose: str) -> int:
    """How many listings the server was asked for with this purpose (its own record of who looked)."""
    con = sqlite3.connect(server.data / "server.db")
    try:
        return int(con.execute("SELECT count(*) FROM lookup WHERE purpose = ? AND document IS NULL",
                               (purpose,)).fetchone()[0])
    finally:
        con.close()


def _describe(server: Server, sha256: str, *args: str) -> None:
    """Record what the paper says in the server's register (beside the running server)."""
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(server.data / "srv-home"),
                        "dossier-server", "--data", str(server.data), "--describe", sha256, *args],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr


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
                                                                  pki: TestPKI, make_pdf: Callable[..., Path], db_url: str) -> None:
    first = _published(tmp_path, server, hsm, pki, make_pdf)
    ctx = _ctx(tmp_path / "ws", server, pki, db_url=db_url)
    try:
        second = _new(ctx)
        found = ctx.store.look_up(ADMIN, second)
        assert found.national is NationalState.REACHED and found.reason == ""
        offer = found.slots["GCS"][0]
        assert (offer.origin, offer.source_dossier, offer.id) == (Origin.NATIONAL, first, 0) and offer.national_id
        ev = _national_events(ctx)[-1]
        assert (ev.entity_id, ev.data["why"], ev.data["source"], ev.data["found"]) == (ctx.audit.citizen_ref(CITIZEN), second, "national", 1)
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
        # the portal's record says where the paper came from (it said "not from the store" always)
        from desktop.db.models import Dossier
        from desktop.lifecycle.portal import portal_record

        with ctx.db.session() as s:
            docs = portal_record(s, s.scalars(select(Dossier).where(Dossier.code == second)).one())["documents"]
            taken = [d_["from_national_store"] for d_ in docs if d_["component_code"] == "GCS"]
            others = [d_["from_national_store"] for d_ in docs if d_["component_code"] != "GCS"]
        assert taken == [True] and not any(others)
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
                                             make_pdf: Callable[..., Path], db_url: str) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf)
    ctx = _ctx(tmp_path / "ws", server, pki, db_url=db_url)
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
                                                            pki: TestPKI, make_pdf: Callable[..., Path], db_url: str) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf)
    ctx = _ctx(tmp_path / "ws", server, pki, db_url=db_url)
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
                                                                 pki: TestPKI, make_pdf: Callable[..., Path], db_url: str) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{sock.getsockname()[1]}"
    ctx = _ctx(tmp_path / "ws", server, pki, url=down, db_url=db_url)
    try:
        first = _signed_dossier(ctx, hsm, pki, make_pdf)
        second = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                                      applicant_id_number=CITIZEN).code
        found = ctx.store.look_up(ADMIN, second)
        # the local copy is offered; the slots it cannot fill were asked of the national store, which is down
        assert found.slots["GCS"][0].source_dossier == first and found.slots["GCS"][0].origin is Origin.LOCAL
        assert found.national is NationalState.UNREACHABLE
        assert "could not be reached" in found.reason or "Không tra cứu được" in found.reason
        assert "error" in _national_events(ctx)[-1].data
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
                                                            pki: TestPKI, make_pdf: Callable[..., Path], db_url: str) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf, id_number=OTHER)
    theirs = _get(server, f"/api/citizens/{OTHER}/documents", purpose="x").json()["documents"][0]["id"]
    ctx = _ctx(tmp_path / "ws", server, pki, db_url=db_url)
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


# --- what the paper says, and expired documents (issue 17) ------------------------------------


def test_a_listing_without_paper_details_is_accepted() -> None:
    """A contract-0.3 server sends no number, issuer nor dates: the listing is still read."""
    doc = _national({"id": "d1", "doc_type": "GCS", "sha256": "A" * 64, "size": 10, "source_dossier": "X",
                     "signature_state": "verified"})
    assert (doc.number, doc.issuer, doc.issued_on, doc.valid_until, doc.sha256) == ("", "", None, None, "a" * 64)
    with pytest.raises(ValueError):  # the SHA-256 names the kept copy's file
        _national({"id": "d1", "sha256": "../../../../../../../tmp/x".ljust(64, "a"), "size": 1})


def test_the_paper_details_are_listed_and_an_expired_document_is_shown_but_never_reused(
        tmp_path: Path, server: Server, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path],
        db_url: str) -> None:
    set_language("en")
    first = _published(tmp_path, server, hsm, pki, make_pdf)
    sha = _get(server, f"/api/citizens/{CITIZEN}/documents", purpose="x").json()["documents"][0]["sha256"]
    today = now_vn().date()
    _describe(server, sha, "--number", "123/2019/GKS", "--issuer", "UBND phường Quy Nhơn Đông",
              "--issued-on", "2019-05-02", "--valid-until", (today + timedelta(days=30)).isoformat())
    listed = _get(server, f"/api/citizens/{CITIZEN}/documents", purpose="x").json()["documents"][0]
    assert (listed["number"], listed["issuer"], listed["issued_on"]) == ("123/2019/GKS", "UBND phường Quy Nhơn Đông",
                                                                         "2019-05-02")
    ctx = _ctx(tmp_path / "ws", server, pki, db_url=db_url)
    try:
        second = _new(ctx)
        offer = ctx.store.look_up(ADMIN, second).slots["GCS"][0]
        assert (offer.number, offer.issuer, str(offer.issued_on), offer.valid_until, offer.expired) == (
            "123/2019/GKS", "UBND phường Quy Nhơn Đông", "2019-05-02", today + timedelta(days=30), False)
        # the paper has expired since: listed as such, not offered, and refused before any download
        _describe(server, sha, "--valid-until", (today - timedelta(days=1)).isoformat())
        found = ctx.store.look_up(ADMIN, second, fresh=True)
        assert "GCS" not in found.slots
        [gone] = found.expired["GCS"]
        assert (gone.expired, gone.number, gone.source_dossier) == (True, "123/2019/GKS", first)
        with pytest.raises(InvalidInput) as e:
            ctx.store.reuse_national(ADMIN, second, "GCS", gone.national_id)
        assert f"expired on {(today - timedelta(days=1)):%d/%m/%Y}" in str(e.value)
        assert not ctx.dossiers.files(second)
        assert not list((ctx.settings.files_dir / "national-store").rglob("*.pdf"))
        docs, reason = ctx.store.list_national(ADMIN, CITIZEN, why="x")
        assert reason == "" and [(d.number, d.expired) for d in docs] == [("123/2019/GKS", True)]
    finally:
        ctx.close()


def test_cli_lists_the_paper_details_and_says_expired(tmp_path: Path, server: Server, hsm: HsmToken, pki: TestPKI,
                                                     make_pdf: Callable[..., Path]) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf)
    sha = _get(server, f"/api/citizens/{CITIZEN}/documents", purpose="x").json()["documents"][0]["sha256"]
    _describe(server, sha, "--number", "45/GCN", "--issuer", "Sở Tài nguyên và Môi trường", "--issued-on",
              "2010-01-04", "--valid-until", "2020-01-04")
    data = tmp_path / "ws"
    settings = load_settings(data)
    settings.dossier_url = server.url
    settings.extra.update(server.extra())
    settings.save()
    r = motcua(data, "store", "list", "--id-number", CITIZEN, "--national", env={"MOTCUA_LANG": "en"})
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1].split("\t")
    assert line[3:8] == ["45/GCN", "Sở Tài nguyên và Môi trường", "04/01/2010", "04/01/2020", "EXPIRED, not reusable"]
    r = motcua(data, "store", "list", "--id-number", CITIZEN, "--national", "--json")
    [doc] = json.loads(r.stdout)
    assert (doc["number"], doc["valid_until"], doc["expired"]) == ("45/GCN", "2020-01-04", True)


# --- the national store failing: a clear reason, the local offers stay (issue 17) -------------

FAULTS = {
    "500": "The national store has a fault on its side (HTTP 500)",
    "503": "The national store has a fault on its side (HTTP 503)",
    "slow": "The national store did not answer within 1 seconds",
    "malformed": "The national store's answer is not valid JSON (cut off or garbled)",
    "401": "The national store refused this workstation's credentials (HTTP 401)",
    "403": "The national store refused this workstation's credentials (HTTP 403)",
    "oversized": "The national store's answer is too large (over 4 MiB)",
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failing_national_store_is_said_clearly_and_the_local_offers_stay(
        fault: str, tmp_path: Path, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    """Against the bundled server with ``--national-fault``: every look-up meets the fault."""
    set_language("en")
    server = Server(tmp_path / "server", slow=3.0, national_fault=fault)
    try:
        data = tmp_path / "ws"
        settings = load_settings(data)
        settings.dossier_url = server.url
        settings.extra.update({**server.extra(lookup_timeout=1), "signing": {"trust": [str(pki.ca_pem)]}})
        settings.save()
        ctx = AppContext(load_settings(data))
        try:
            first = _signed_dossier(ctx, hsm, pki, make_pdf)
            second = _new(ctx)
            found = ctx.store.look_up(ADMIN, second)
            # the local copy is offered; the national store's failure is said, which one
            assert [(d.origin, d.source_dossier) for d in found.slots["GCS"]] == [(Origin.LOCAL, first)]
            assert found.national is NationalState.UNREACHABLE and FAULTS[fault] in found.reason, found.reason
            assert [FAULTS[fault] in e.data["error"] for e in _national_events(ctx)] == [True]
            with pytest.raises(InvalidInput) as e:
                ctx.store.reuse_national(ADMIN, second, "GCS", "a" * 64)
            assert FAULTS[fault] in str(e.value)
        finally:
            ctx.close()
        r = motcua(data, "store", "list", "--id-number", CITIZEN, "--national", env={"MOTCUA_LANG": "en"})
        assert r.returncode == 1 and FAULTS[fault] in r.stderr and "Traceback" not in r.stderr, r.stderr
    finally:
        server.stop()


# --- one request to the national store per dossier and purpose, audited once (issue 17) ---------


def test_looking_up_one_dossier_again_asks_the_national_store_once(tmp_path: Path, server: Server, hsm: HsmToken,
                                                                  pki: TestPKI, make_pdf: Callable[..., Path],
                                                                  db_url: str) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf)
    ctx = _ctx(tmp_path / "ws", server, pki, db_url=db_url)
    try:
        second = _new(ctx)
        for _ in range(5):  # an officer opening the dossier five times in a minute
            assert ctx.store.look_up(ADMIN, second).slots["GCS"][0].origin is Origin.NATIONAL
        assert _server_lookups(server, second) == 1 and len(_national_events(ctx)) == 1
        local = [e for e in _actions(ctx, "store.lookup") if "source" not in e.data]
        assert len(local) == 5 and [e.data.get("national") for e in local] == [None] + ["kept"] * 4
        # another officer's look-up is their own request, audited with their name
        other = Actor(officer_id=None, username="lan", role=Role.COUNTER_OFFICER)
        ctx.store.look_up(other, second)
        assert _server_lookups(server, second) == 2 and _national_events(ctx)[-1].actor == other.audit_name
        # "look up again" asks anew; the reuse then takes the answer just shown (only the file is fetched)
        offer = ctx.store.look_up(ADMIN, second, fresh=True).slots["GCS"][0]
        assert _server_lookups(server, second) == 3 and len(_national_events(ctx)) == 3
        ctx.store.reuse_national(ADMIN, second, "GCS", offer.national_id)
        assert _server_lookups(server, second) == 3
        # the answer is kept for minutes, not for ever
        ctx.store.answer_seconds = 0.0
        third = _new(ctx)
        ctx.store.look_up(ADMIN, third)
        ctx.store.look_up(ADMIN, third)
        assert _server_lookups(server, third) == 2
    finally:
        ctx.close()
