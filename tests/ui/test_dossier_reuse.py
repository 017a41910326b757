"""The reuse offer on the dossier page: a citizen's component signed in an earlier dossier
is offered in the new dossier's empty slot, Ctrl+R fills it after its signature is checked
again (no new scan), and the look-up is audited once per opening, not at every refresh."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import AuditEvent, Role
from desktop.workflow.flow import SlotState
from desktop.workflow.signing import TokenChoice
from tests.signing.conftest import _hsm_token, hsm, make_pdf, pki  # noqa: F401 - fixtures
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from ui.dossiers.area import DossiersArea

ID = "079190234567"


def test_a_stored_copy_is_offered_and_reused_with_ctrl_r(workers, qtbot, ctx: AppContext, hsm: HsmToken,  # type: ignore[no-untyped-def]  # noqa: F811
                                                         pki: TestPKI, make_pdf: Callable[..., Path]) -> None:  # noqa: F811
    ctx.settings.extra["signing"] = {"trust": [str(pki.ca_pem)]}
    ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    officer = ctx.auth.sign_in("lan", "mat-khau-dai-1")
    first = ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Phạm Văn Đức",
                                applicant_id_number=ID)
    ctx.dossiers.attach_file(officer, first.code, make_pdf("tk.pdf"), component="TK", pages=1)
    token = TokenChoice(module_path=hsm.module, token_label=hsm.label, key_id="01", trust=(pki.ca_pem,),
                        organization_cert=hsm.base / "cert-01.pem")
    assert ctx.counter.sign_dossier(officer, first.code, token, hsm.pin).ok
    second = ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Phạm Văn Đức",
                                 applicant_id_number=ID)
    area = DossiersArea(ctx, officer, workers=workers)
    qtbot.addWidget(area)
    area.show()
    area.open_dossier(second.code, "TK")
    page = area.page
    qtbot.waitUntil(lambda: page.page is not None and "TK" in page.offers, timeout=10_000)
    qtbot.waitUntil(lambda: first.code in (page.slots.item(0, 6).text() if page.slots.item(0, 6) else ""),
                    timeout=5000)
    note = page.slots.item(0, 6)
    # the key first (the column elides the end at 1366 px) and the whole note as the tooltip
    assert note.text().startswith("Ctrl+R") and note.toolTip() == note.text()
    page.refresh()
    page.refresh()
    qtbot.waitUntil(lambda: not page._reading, timeout=5000)
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "store.lookup")) == 1
    page.select_slot("TK")
    qtbot.keyClick(page.slots, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.page is not None and page.page.progress.by_code["TK"].state == SlotState.READY,
                    timeout=20_000)
    files = ctx.dossiers.files(second.code)
    assert len(files) == 1 and files[0].component_code == "TK"
    assert "TK" not in page.offers


def _opened(qtbot, workers, ctx: AppContext, code: str, slot: str):  # type: ignore[no-untyped-def]
    """The dossier page of ``code`` at ``slot``, shown to a counter officer signed in for it."""
    ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    area = DossiersArea(ctx, ctx.auth.sign_in("lan", "mat-khau-dai-1"), workers=workers)
    qtbot.addWidget(area)
    area.show()
    area.open_dossier(code, slot)
    return area.page


def _row(page, code: str) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(page.slots.rowCount())
                if page.slots.item(r, 0) is not None and page.slots.item(r, 0).data(Qt.ItemDataRole.UserRole) == code)


def test_a_national_copy_is_offered_as_such_and_reused_with_ctrl_r(workers, qtbot, tmp_path: Path, hsm: HsmToken,  # type: ignore[no-untyped-def]  # noqa: F811
                                                                   pki: TestPKI, make_pdf: Callable[..., Path]) -> None:  # noqa: F811
    """Signed at another commune, delivered to the dossier system: offered here from the national store."""
    from tests.outbox.test_http import Server
    from tests.store.test_national import _ctx, _published
    from tests.store.test_store import CITIZEN, _new

    server = Server(tmp_path / "server")
    try:
        first = _published(tmp_path, server, hsm, pki, make_pdf)
        ctx = _ctx(tmp_path / "ws", server, pki)
        try:
            second = _new(ctx, CITIZEN)
            page = _opened(qtbot, workers, ctx, second, "GCS")
            qtbot.waitUntil(lambda: page.page is not None and "GCS" in page.offers, timeout=15_000)
            qtbot.waitUntil(lambda: first in (page.slots.item(_row(page, "GCS"), 6).text()), timeout=5000)
            note = page.slots.item(_row(page, "GCS"), 6).text()
            assert note.startswith("Ctrl+R") and ("national store" in note or "kho dữ liệu quốc gia" in note)
            page.select_slot("GCS")
            qtbot.keyClick(page.slots, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda: page.page is not None
                            and page.page.progress.by_code["GCS"].state == SlotState.READY, timeout=30_000)
            files = ctx.dossiers.files(second)
            assert [(f.component_code, f.signature_state) for f in files] == [("GCS", "verified")]
            assert "GCS" not in page.offers
        finally:
            ctx.close()
    finally:
        server.stop()


def test_a_national_store_that_is_down_is_said_and_the_local_offer_stays(workers, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                          hsm: HsmToken, pki: TestPKI,  # noqa: F811
                                                                          make_pdf: Callable[..., Path]) -> None:  # noqa: F811
    import socket

    from desktop.config import load_settings
    from tests.store.test_store import CITIZEN, _new, _signed_dossier

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{sock.getsockname()[1]}"
    ctx = AppContext(load_settings(tmp_path / "ws", dossier_url=down, extra={
        "signing": {"trust": [str(pki.ca_pem)]}, "dossier_system": {"client_secret": "not-used-here"}}))
    try:
        first = _signed_dossier(ctx, hsm, pki, make_pdf)
        second = _new(ctx, CITIZEN)
        page = _opened(qtbot, workers, ctx, second, "GCS")
        qtbot.waitUntil(lambda: page.page is not None and "GCS" in page.offers, timeout=20_000)
        qtbot.waitUntil(lambda: first in (page.slots.item(_row(page, "GCS"), 6).text()), timeout=5000)
        text = page.message.text()
        assert "national store could not be reached" in text or "Không tra cứu được kho dữ liệu quốc gia" in text
    finally:
        ctx.close()


def test_the_offer_says_what_the_paper_is_the_national_store_is_asked_once_and_expired_is_refused(workers,   # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path]) -> None:  # noqa: F811
    """Number, issuer and dates in the note; reopening the dossier asks the national store
    nothing more (one audited request); "look up again" asks anew; an expired paper is shown
    as such and Ctrl+R refuses it, saying why."""
    from datetime import timedelta

    from desktop.kernel.timeutil import now_vn
    from tests.outbox.test_http import Server
    from tests.store.test_national import _ctx, _describe, _get, _national_events, _published
    from tests.store.test_store import CITIZEN, _new

    server = Server(tmp_path / "server")
    try:
        first = _published(tmp_path, server, hsm, pki, make_pdf)
        sha = _get(server, f"/api/citizens/{CITIZEN}/documents", purpose="x").json()["documents"][0]["sha256"]
        until = now_vn().date() + timedelta(days=400)
        _describe(server, sha, "--number", "123/2019/GKS", "--issuer", "UBND phường Quy Nhơn Đông",
                  "--issued-on", "2019-05-02", "--valid-until", until.isoformat())
        ctx = _ctx(tmp_path / "ws", server, pki)
        try:
            second, other = _new(ctx, CITIZEN), _new(ctx, CITIZEN)
            page = _opened(qtbot, workers, ctx, second, "GCS")
            qtbot.waitUntil(lambda: page.page is not None and "GCS" in page.offers, timeout=15_000)
            qtbot.waitUntil(lambda: "123/2019/GKS" in page.slots.item(_row(page, "GCS"), 6).text(), timeout=5000)
            note = page.slots.item(_row(page, "GCS"), 6).text()
            assert note.startswith("Ctrl+R") and first in note and "UBND phường Quy Nhơn Đông" in note
            assert "02/05/2019" in note and until.strftime("%d/%m/%Y") in note
            for code in (other, second, other, second):  # back and forth between two of the citizen's dossiers
                page.open(code)
                qtbot.waitUntil(lambda: "GCS" in page.offers, timeout=15_000)
            assert [e.data["why"] for e in _national_events(ctx)] == [second, other]
            _describe(server, sha, "--valid-until", (now_vn().date() - timedelta(days=1)).isoformat())
            assert page.lookup_button.isVisible() and page.lookup_button.isEnabled()
            page.lookup_button.click()
            qtbot.waitUntil(lambda: "GCS" in page.expired, timeout=15_000)
            assert len(_national_events(ctx)) == 3 and "GCS" not in page.offers
            qtbot.waitUntil(lambda: page.slots.item(_row(page, "GCS"), 6).text().startswith(
                ("Expired on", "Hết hiệu lực")), timeout=5000)
            page.select_slot("GCS")
            qtbot.keyClick(page.slots, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
            yesterday = (now_vn().date() - timedelta(days=1)).strftime("%d/%m/%Y")
            assert yesterday in page.message.text() and not page.busy()
            assert not ctx.dossiers.files(second)
        finally:
            ctx.close()
    finally:
        server.stop()


@pytest.mark.parametrize("fault", ["503", "403", "oversized"])
def test_a_failing_national_store_is_said_on_the_page_and_the_local_offer_stays(workers,   # type: ignore[no-untyped-def]
        qtbot, fault: str, tmp_path: Path, hsm: HsmToken, pki: TestPKI,  # noqa: F811
        make_pdf: Callable[..., Path]) -> None:  # noqa: F811
    """The bundled server with ``--national-fault``: the page says which failure, in the
    officer's language, and the local copy is still offered (no traceback, no dialog)."""
    from desktop.kernel.i18n import set_language
    from tests.outbox.test_http import Server
    from tests.store.test_national import FAULTS, _ctx
    from tests.store.test_store import CITIZEN, _new, _signed_dossier

    set_language("en")
    server = Server(tmp_path / "server", national_fault=fault)
    try:
        ctx = _ctx(tmp_path / "ws", server, pki)
        try:
            first = _signed_dossier(ctx, hsm, pki, make_pdf)
            second = _new(ctx, CITIZEN)
            page = _opened(qtbot, workers, ctx, second, "GCS")
            qtbot.waitUntil(lambda: page.page is not None and "GCS" in page.offers, timeout=20_000)
            qtbot.waitUntil(lambda: first in page.slots.item(_row(page, "GCS"), 6).text(), timeout=5000)
            qtbot.waitUntil(lambda: FAULTS[fault] in page.message.text(), timeout=5000)
        finally:
            ctx.close()
    finally:
        server.stop()
