"""The token pulled while "Sign the dossier" runs on the dossier page (issue 11, bad input):
the copies signed before it went stay signed, and the page says which are left.

TEST DOUBLE: ``PullAfter`` (tests/signing/doubles.py, as the core's signing tests use it)
wraps the real SoftHSM2 session and raises ``DeviceRemoved`` after the first signature, as a
pulled token does; everything else is real (the page, the PIN dialog, the token, verification).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Role
from desktop.workflow.flow import SlotState
from tests.signing.conftest import _hsm_token, hsm, make_pdf, pki  # noqa: F401 - fixtures
from tests.signing.doubles import PullAfter
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from ui.dossiers.area import DossiersArea
from ui.pin_dialog import PinDialog

BIRTH = "1.001193"  # TK, GCS, GTTT digitized (UQ optional)


@pytest.mark.log_warnings("PC/SC")
def test_a_token_pulled_while_signing_the_dossier_keeps_the_signed_and_names_the_rest(  # type: ignore[no-untyped-def]
        qtbot, workers, ctx: AppContext, hsm: HsmToken, pki: TestPKI,  # noqa: F811
        make_pdf: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    import desktop.workflow.signing as rec

    ctx.settings.pkcs11_module = hsm.module
    ctx.settings.extra["signing"] = {"token_label": hsm.label, "key_id": "01", "trust": [str(pki.ca_pem)],
                                     "organization_cert": str(hsm.base / "cert-01.pem")}
    real = rec.sign_batch
    monkeypatch.setattr(rec, "sign_batch", lambda *a, **k: real(*a, **k, session_wrapper=lambda s: PullAfter(s, 1)))
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                      role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    d = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Phạm Thị Đào",
                            brought={"TK", "GCS", "GTTT"})
    names = {}
    for comp in ("TK", "GCS", "GTTT"):
        names[comp] = ctx.dossiers.attach_file(Actor.cli(), d.code, make_pdf(f"{comp.lower()}.pdf"),
                                               component=comp).filename
    area = DossiersArea(ctx, officer, workers=workers)
    qtbot.addWidget(area)
    area.resize(1366, 700)
    area.show()
    area.open_dossier(d.code)
    page = area.page
    qtbot.waitUntil(lambda: page.page is not None and page.sign_button.isEnabled(), timeout=10_000)
    assert len(page.page.progress.to_sign) == 3

    def type_pin() -> None:
        dlg = next((w for w in QApplication.topLevelWidgets() if isinstance(w, PinDialog) and w.isVisible()), None)
        if dlg is None:
            QTimer.singleShot(100, type_pin)
            return
        qtbot.keyClicks(dlg.pin_edit, hsm.pin)
        qtbot.keyClick(dlg.pin_edit, Qt.Key.Key_Return)

    QTimer.singleShot(100, type_pin)
    qtbot.keyClick(page.slots, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "Not signed" in page.message.text() or "Chưa ký" in page.message.text()
                    or "Đã ký" in page.message.text(), timeout=60_000)
    qtbot.waitUntil(lambda: not page.busy() and page.page is not None
                    and len(page.page.progress.to_sign) == 2, timeout=10_000)
    text = page.message.text()
    signed = [f for f in ctx.dossiers.files(d.code) if f.signature_state == "verified"]
    assert len(signed) == 1, [(f.filename, f.signature_state) for f in ctx.dossiers.files(d.code)]
    left = [n for n in names.values() if n != signed[0].filename]
    # the page names the two left, not the signed one, and says to sign again
    assert all(n in text for n in left) and signed[0].filename not in text.split(":", 2)[-1], text
    states = {s.code: s.state for s in page.page.progress.slots if s.code in names}
    assert sorted(states.values()) == sorted([SlotState.READY, SlotState.TO_SIGN, SlotState.TO_SIGN]), states
    # the signed one stays signed: it is not offered again, the two left are
    assert {f.filename for f in ctx.counter.files_to_sign(d.code)} == set(left)
    assert page.sign_button.isEnabled()
