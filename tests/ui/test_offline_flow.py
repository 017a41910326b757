"""The dossier system unreachable during the whole counter flow (issue 11, bad input): the
counter keeps working and the upload waits.

On the real main window, with the dossier-system URL on a loopback port where nothing
listens: the ticket is called and served, reception links it, the dossier is received, its
one digitized component imported (real OCR), signed with the SoftHSM2 token, the visit ended
— every step works, the status bar says the uploads wait (offline), nothing is sent and
nothing lost. Then the bundled dossier server starts on that very port and the background
uploader delivers the dossier and its signed copy without anyone pressing "send now".
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import cv2
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QLabel

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import Role
from desktop.outbox.uploader import UploaderState
from scanning.samples import DOCUMENTS, render
from signing.verify import verify_pdf
from tests.outbox import test_http
from tests.outbox.test_http import Server
from tests.signing.conftest import _hsm_token, hsm, pki  # noqa: F401 - fixtures
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from ui.main_window import MainWindow
from ui.pin_dialog import PinDialog
from ui.services import UiServices

PROCEDURE = "2.000884"  # signature certification: GTTT kept on paper, VB digitized


def _preview() -> QPrintPreviewDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintPreviewDialog) and w.isVisible()),
                None)


@pytest.mark.log_warnings("PC/SC")
def test_the_counter_works_while_the_dossier_system_is_down_and_uploads_later(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, hsm: HsmToken, pki: TestPKI, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    port = test_http._port()  # free: nothing listens there until the server starts below
    srv = tmp_path / "server"
    srv.mkdir()
    # the workstation's secret, made before the server exists (the server keeps what it finds)
    (srv / "client-credentials.json").write_text(json.dumps({"client_id": "motcua", "client_secret": "s" * 43}))
    data = tmp_path / "data"
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(data))
    settings = load_settings(data, dossier_url=f"http://127.0.0.1:{port}",
                             extra={"dossier_system": {"client_secret_file": str(srv / "client-credentials.json")}})
    settings.pkcs11_module = hsm.module
    settings.extra["signing"] = {"token_label": hsm.label, "key_id": "01", "trust": [str(pki.ca_pem)],
                                 "organization_cert": str(hsm.base / "cert-01.pem")}
    ctx = AppContext(settings)
    # the uploader looks for the dossier system every 15 s in the application; every 0.5 s
    # here, so the test needs not wait a quarter of a minute once the server is up
    ctx.uploader.probe_interval = 0.5
    services = UiServices(ctx)
    server: Server | None = None
    try:
        ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                                password="mat-khau-dai-1")
        officer = ctx.auth.sign_in("lan", "mat-khau-dai-1")
        ticket = ctx.queue.issue(Actor.cli(), "TP")
        win = MainWindow(services, officer)
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=5000)
        # call (F2), serve (F3), receive for this citizen (F7)
        panel = win.open_area("counter")
        qtbot.waitUntil(lambda: getattr(panel, "board", None) is not None, timeout=10_000)
        qtbot.keyClick(panel, Qt.Key.Key_F2)
        qtbot.waitUntil(lambda: panel.current.text() == ticket.number, timeout=10_000)  # type: ignore[union-attr]
        qtbot.keyClick(panel, Qt.Key.Key_F3)
        qtbot.waitUntil(lambda: panel.serving() is not None, timeout=10_000)  # type: ignore[union-attr]
        called = panel.serving()  # type: ignore[union-attr]
        qtbot.keyClick(panel, Qt.Key.Key_F7)
        reception = win.pages["reception"]
        assert reception.ticket_id == called.id  # type: ignore[attr-defined]
        # the citizen's own data (typed; a CCCD read fills it in the whole-flow test)
        reception.name.setText("Võ Thị Mất Mạng")  # type: ignore[attr-defined]
        reception.id_number.setText("079190234567")  # type: ignore[attr-defined]
        reception.search.setFocus()  # type: ignore[attr-defined]
        qtbot.keyClicks(reception.search, "chung thuc chu ky")  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: reception.procedure.currentData() == PROCEDURE, timeout=5000)  # type: ignore[attr-defined]
        qtbot.keyClick(reception, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: _preview() is not None, timeout=30_000)  # the receipt: received offline
        qtbot.keyClick(_preview(), Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: _preview() is None, timeout=5000)
        win.activateWindow()
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pages.get("dossiers"), timeout=10_000)
        area = win.pages["dossiers"]
        page = area.page  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: page.page is not None and page.selected_slot() == "VB", timeout=10_000)
        code = page.page.code
        # digitize the component from a file
        doc = tmp_path / "vb.png"
        cv2.imwrite(str(doc), render(DOCUMENTS["dat_dai"], dpi=150))
        page.import_files([doc])
        qtbot.waitUntil(lambda: not page.busy() and page.page is not None
                        and bool(page.page.progress.by_code["VB"].files), timeout=120_000)

        # sign: one PIN entry
        def type_pin() -> None:
            dlg = next((w for w in QApplication.topLevelWidgets() if isinstance(w, PinDialog) and w.isVisible()),
                       None)
            if dlg is None:
                QTimer.singleShot(100, type_pin)
                return
            qtbot.keyClicks(dlg.pin_edit, hsm.pin)
            qtbot.keyClick(dlg.pin_edit, Qt.Key.Key_Return)

        QTimer.singleShot(100, type_pin)
        qtbot.waitUntil(lambda: page.sign_button.isEnabled(), timeout=10_000)
        qtbot.keyClick(page.slots, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: page.page is not None and page.page.progress.to_sign == [] and not page.busy(),
                        timeout=60_000)
        assert all(s.state.value in ("ready", "paper_only") for s in page.page.progress.slots), page.message.text()
        # the visit ends (F8): back at the counter panel, ready for the next call
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=5000)
        qtbot.keyClick(page.slots, Qt.Key.Key_F8)
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pages.get("counter"), timeout=10_000)
        # the status bar says the uploads wait: the dossier system is offline, nothing sent
        label = win.findChild(QLabel, "outbox_status")
        assert label is not None
        qtbot.waitUntil(lambda: services.uploads.current.state == UploaderState.OFFLINE  # type: ignore[union-attr]
                        and services.uploads.current.pending >= 2, timeout=15_000)  # type: ignore[union-attr]
        text = label.text()
        pending = services.uploads.current.pending  # type: ignore[union-attr]
        assert str(pending) in text and ("offline" in text or "mất kết nối" in text), text
        assert ctx.outbox.counts().get("done", 0) == 0
        with ctx.db.session() as s:
            from desktop.queue.models import Ticket

            t = s.get(Ticket, called.id)
            assert t is not None and t.state == "done" and t.dossier_code == code
        # the dossier system comes back on that port: delivered by the uploader on its own
        monkeypatch.setattr(test_http, "_port", lambda: port)
        server = Server(srv)
        end = time.monotonic() + 60
        held: dict = {}  # type: ignore[type-arg]
        while time.monotonic() < end:
            qtbot.wait(200)
            if ctx.outbox.counts().get("pending", 0) == 0 and ctx.outbox.counts().get("in_flight", 0) == 0:
                held = next((x for x in server.dump()["dossiers"] if x["code"] == code), {})
                if held.get("files"):
                    break
        assert len(held.get("files", [])) == 1, (held, ctx.outbox.jobs())
        report = verify_pdf(server.data / "files" / held["files"][0]["sha256"], [pki.ca_pem],
                            expected_cert=hsm.base / "cert-01.pem")
        assert report.ok, report.problems
        qtbot.waitUntil(lambda: "mất kết nối" not in label.text() and "offline" not in label.text(), timeout=10_000)
    finally:
        services.close()
        ctx.close()
        if server is not None:
            server.stop()
