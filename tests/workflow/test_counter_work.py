"""The application layer end to end, as the counter runs it, on SQLite and on PostgreSQL.

Receive a dossier for the called ticket, digitize two components (real OCR), sign the
dossier with the SoftHSM2 token, finish the visit: the bundled dossier server (a real
process on loopback) receives the dossier and only signed, verified copies, sent by the
background uploader — nobody calls ``drain``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import DigitizedFile, Dossier, Role
from desktop.kernel.errors import Conflict, NotFound
from desktop.outbox.models import OutboxState
from desktop.queue.models import Ticket
from desktop.workflow.signing import TokenChoice
from scanning.samples import render
from signing.verify import verify_pdf
from tests.outbox.test_http import Server
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI

ADMIN = Actor.cli()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "server")
    yield s
    s.stop()


def _wait(cond: Callable[[], bool], timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


def _officer(ctx: AppContext) -> Actor:
    ctx.auth.create_officer(ADMIN, username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    return next(a for a in ctx.auth.officers() if a.username == "lan")


def _page(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    cv2.imwrite(str(path), render())
    return path


def _token(hsm: HsmToken, pki: TestPKI) -> TokenChoice:
    return TokenChoice(module_path=hsm.module, token_label=hsm.label, key_id="01", trust=(pki.ca_pem,),
                       organization_cert=hsm.base / "cert-01.pem")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_counter_flow_uploads_only_signed_copies_by_itself(backend: str, request: pytest.FixtureRequest,
                                                           tmp_path: Path, server: Server, hsm: HsmToken,
                                                           pki: TestPKI) -> None:
    db_url = request.getfixturevalue("pg_url") if backend == "postgres" else None
    ctx = AppContext(load_settings(tmp_path / "ws", db_url=db_url, dossier_url=server.url, extra=server.extra()))
    try:
        officer = _officer(ctx)
        ctx.uploader.start()
        ctx.queue.issue(ADMIN, "TP")
        called = ctx.queue.call_next(officer, 1)
        assert called is not None
        d = ctx.counter.receive(officer, procedure_code="1.001193", applicant_name="Nguyễn Thị Hồng Nhung",
                                applicant_id_number="079301234567", ticket_id=called.id)
        with pytest.raises(Conflict):  # the second click on "Receive": no second dossier
            ctx.counter.receive(officer, procedure_code="1.001193", applicant_name="Nguyễn Thị Hồng Nhung",
                                ticket_id=called.id)
        with pytest.raises(NotFound, match="TK, GCS"):  # a typo is refused before the OCR, naming the real ones
            ctx.counter.digitize_component(officer, d.code, "TKK", files=[_page(tmp_path / "in", "x.png")])
        for comp in ("TK", "GCS"):
            ctx.counter.digitize_component(officer, d.code, comp, files=[_page(tmp_path / "in", f"{comp}.png")],
                                           lang="vie")
        # the dossier goes at once; its copies wait for the signature, visibly
        assert _wait(lambda: any(x["code"] == d.code for x in server.dump()["dossiers"]))
        waiting = [j for j in ctx.outbox.jobs() if j.state == OutboxState.WAITING]
        assert len(waiting) == 2 and all("ký" in j.last_error for j in waiting)
        assert next(x for x in server.dump()["dossiers"] if x["code"] == d.code)["files"] == []

        signed = ctx.counter.sign_dossier(officer, d.code, _token(hsm, pki), hsm.pin)
        assert signed.ok and len(signed.verified) == 2
        finished = ctx.counter.finish(officer, 1)
        assert finished.number == called.number

        def delivered() -> bool:
            held = next(x for x in server.dump()["dossiers"] if x["code"] == d.code)
            return len(held["files"]) == 2

        assert _wait(delivered), ctx.outbox.jobs()
        held = next(x for x in server.dump()["dossiers"] if x["code"] == d.code)
        with ctx.db.session() as s:
            files = list(s.scalars(select(DigitizedFile).where(DigitizedFile.dossier_id == d.id)))
            ticket = s.get(Ticket, called.id)
            dossier = s.get(Dossier, d.id)
            assert ticket is not None and dossier is not None
            assert ticket.dossier_code == d.code and dossier.ticket_id == called.id and ticket.state == "done"
        assert {f.sha256 for f in files} == {f["sha256"] for f in held["files"]}
        for f in held["files"]:
            kept = server.data / "files" / f["sha256"]  # the bytes the dossier system holds
            assert f["stored_sha256"] == f["sha256"]
            report = verify_pdf(kept, [pki.ca_pem], expected_cert=hsm.base / "cert-01.pem")
            assert report.ok, report.problems
        assert _wait(lambda: ctx.uploader.status().pending == 0)
    finally:
        ctx.close()
    assert not ctx.uploader.running  # closing the context stopped the uploader


def test_a_returning_citizen_s_last_contact_and_the_officer_s_recent_procedures(ctx: AppContext) -> None:
    from desktop.auth import Actor
    from desktop.db.models import Role

    lan = ctx.auth.create_officer(Actor.cli(), username="lan2", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                                  password="mat-khau-dai-1")
    binh = ctx.auth.create_officer(Actor.cli(), username="binh2", full_name="Lê Bình", role=Role.COUNTER_OFFICER,
                                   password="mat-khau-dai-1")
    cw = ctx.counter
    assert cw.last_contact(lan, "079301234567") is None
    cw.receive(lan, procedure_code="1.001193", applicant_name="Phạm Thị Đào", applicant_id_number="079301234567",
               applicant_address="12 Lê Lợi", applicant_phone="0905000111")
    newer = cw.receive(lan, procedure_code="1.000656", applicant_name="Phạm Thị Đào",
                       applicant_id_number="079301234567", applicant_address="34 Trần Hưng Đạo",
                       applicant_phone="0905000222")
    cw.receive(binh, procedure_code="1.004884", applicant_name="Võ Minh", applicant_id_number="079190000001")
    c = cw.last_contact(lan, " 079301234567 ")
    assert c is not None and (c.dossier, c.address, c.phone) == (newer.code, "34 Trần Hưng Đạo", "0905000222")
    assert cw.last_contact(lan, "0793") is None, "a partial number finds no one"
    assert cw.recent_procedures(lan) == ["1.000656", "1.001193"]
    assert cw.recent_procedures(binh) == ["1.004884"]


def test_a_mistyped_proxy_id_is_caught_before_the_letters_ocr(ctx: AppContext, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The proxy's ID is typed with the letter's pages; a typo used to surface only after the
    OCR of every page (return_result checks it). Now it is said before any page is read."""
    from desktop.kernel.errors import InvalidInput
    from desktop.kernel.i18n import set_language
    from tests.lifecycle.conftest import receive

    code = receive(ctx)
    pages: list[list[Path]] = []
    monkeypatch.setattr(type(ctx.counter), "_digitize_paper",
                        lambda self, c, files, *a: pages.append(list(files)) or tmp_path / "letter.pdf")
    set_language("en")
    try:
        with pytest.raises(InvalidInput, match="ID number “07920301234” is not valid"):
            ctx.counter.digitize_letter(code, [tmp_path / "page-1.jpg"], id_number=" 07920301234 ")
        assert pages == [], "no page was digitized"
        assert ctx.counter.digitize_letter(code, [tmp_path / "page-1.jpg"], id_number="079203012345") \
            == tmp_path / "letter.pdf"
        assert pages == [[tmp_path / "page-1.jpg"]]
    finally:
        set_language(None)
