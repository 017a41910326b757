"""The counter's whole flow on real windows, by keys: a ticket is called (F2) and served
(F3) on the counter panel, F7 opens reception for it, the citizen's CCCD is read from an
image, a 3-component procedure is received with Ctrl+Enter (the receipt's preview opens by
itself: one key prints it), two components are scanned from SANE's test scanner (F5 on the slot, F5 to
scan, Ctrl+Enter for the PDF) and one imported, the dossier is signed with the SoftHSM2
token (Ctrl+Shift+S, the PIN typed once), F8 ends the visit. The bundled dossier server on
loopback must then hold the dossier, its 3 signed files whose signatures verify, and the
ticket linked; nobody pressed "send". The officer's keystrokes beyond the citizen's own
data are counted and reported (the issue aims at 25 or fewer)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QWidget

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import Role
from scanning.samples import DOCUMENTS, render
from signing.verify import verify_pdf
from tests.outbox.test_http import Server
from tests.scanning.sane_device import use_sane_test_device
from tests.signing.conftest import _hsm_token, hsm, pki  # noqa: F401 - fixtures
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from ui.main_window import MainWindow
from ui.pin_dialog import PinDialog
from ui.services import UiServices

PROCEDURE = "2.001035"  # contract certification: DT, GTTT, QSH — all three digitized


def _preview() -> QPrintPreviewDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintPreviewDialog) and w.isVisible()),
                None)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "server")
    yield s
    s.stop()


class Keys:
    """The officer's keys: each press is counted (typing the citizen's data is not)."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.count = 0
        self.log: list[str] = []

    def press(self, widget: QWidget, key: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
              why: str = "") -> None:
        self.count += 1
        self.log.append(why or str(key))
        self.qtbot.keyClick(widget, key, mod)

    def type(self, widget: QWidget, text: str, *, counted: bool) -> None:
        if counted:
            self.count += len(text)
            self.log.append(f"type {text!r}")
        self.qtbot.keyClicks(widget, text)


@pytest.mark.log_warnings("PC/SC")
def test_the_whole_counter_flow_by_keys(qtbot, tmp_path: Path, server: Server, hsm: HsmToken,  # type: ignore[no-untyped-def]  # noqa: F811
                                        pki: TestPKI, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    use_sane_test_device(tmp_path, monkeypatch)
    data = tmp_path / "data"
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(data))
    settings = load_settings(data, dossier_url=server.url, extra=server.extra())
    settings.pkcs11_module = hsm.module
    settings.extra["signing"] = {"token_label": hsm.label, "key_id": "01", "trust": [str(pki.ca_pem)],
                                 "organization_cert": str(hsm.base / "cert-01.pem")}
    ctx = AppContext(settings)
    services = UiServices(ctx)
    keys = Keys(qtbot)
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
        # 1. the counter panel: call (F2), the citizen arrives (F3), "receive for this citizen"
        # (F7): reception opens linked to the ticket
        panel = win.open_area("counter")
        qtbot.waitUntil(lambda: getattr(panel, "board", None) is not None, timeout=10_000)
        keys.press(panel, Qt.Key.Key_F2, why="F2 call")
        qtbot.waitUntil(lambda: panel.current.text() == ticket.number, timeout=10_000)  # type: ignore[union-attr]
        keys.press(panel, Qt.Key.Key_F3, why="F3 start")
        qtbot.waitUntil(lambda: panel.serving() is not None, timeout=10_000)  # type: ignore[union-attr]
        called = panel.serving()  # type: ignore[union-attr]
        assert called is not None and called.number == ticket.number
        keys.press(panel, Qt.Key.Key_F7, why="F7 receive")
        reception = win.pages["reception"]
        assert reception.ticket_id == called.id  # type: ignore[attr-defined]
        # 2. identify: the CCCD read from an image (the file chosen in the dialog: one key counted)
        from tests.scanning.test_cccd import SEVEN, card_image

        card = tmp_path / "cccd.png"
        cv2.imwrite(str(card), card_image(SEVEN, photo=True))
        keys.count += 1
        keys.log.append("read CCCD")
        reception.read_cccd_file(card)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: reception.id_number.text() == "079190234567", timeout=20_000)  # type: ignore[attr-defined]
        # 3. procedure: typed words, marks optional
        reception.search.setFocus()  # type: ignore[attr-defined]
        keys.type(reception.search, "hop dong", counted=True)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: reception.procedure.currentData() == PROCEDURE, timeout=5000)  # type: ignore[attr-defined]
        # 4–5. the checklist is ticked by default for required components; receive
        keys.press(reception, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, "Ctrl+Enter receive")
        # the receipt (form 01) opens by itself, ready to print: one key, Ctrl+P, prints it on the
        # counter's printer; offscreen there is none (Qt would ask for a PDF file name), so the
        # test closes it with Esc — the same one key counted
        qtbot.waitUntil(lambda: _preview() is not None, timeout=30_000)
        keys.press(_preview(), Qt.Key.Key_Escape, why="Ctrl+P print the receipt (Esc here: no printer)")
        qtbot.waitUntil(lambda: _preview() is None, timeout=5000)
        win.activateWindow()  # a window manager gives the main window the focus back; offscreen Qt does not
        qtbot.waitUntil(win.isActiveWindow, timeout=5000)
        area = win.pages.get("dossiers")
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pages.get("dossiers"), timeout=10_000)
        area = win.pages["dossiers"]
        page = area.page  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: page.page is not None and page.selected_slot() == "DT", timeout=10_000)
        code = page.page.code
        # 6. digitize: two slots from the scanner, one from a file
        for slot in ("DT", "GTTT"):
            assert page.selected_slot() == slot
            keys.press(page.slots, Qt.Key.Key_F5, why=f"F5 scan into {slot}")
            scan = area.scan_view()  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda sv=scan: sv.source_box.count() > 0, timeout=30_000)
            scan.profile_box.setCurrentIndex(scan.profile_box.findData("a4-grey-300"))
            scan.dpi_box.setCurrentIndex(scan.dpi_box.findData(200))
            plain = scan.settings  # the test device's default picture is blank: a grid, 2 pages
            monkeypatch.setattr(scan, "settings", lambda plain=plain: replace(
                plain(), max_pages=2, options={"test-picture": "Grid"}))
            keys.press(scan, Qt.Key.Key_F5, why="F5 scan")
            qtbot.waitUntil(lambda sv=scan: len(sv.batch) == 2 and not sv.busy(), timeout=60_000)
            keys.press(scan, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, "Ctrl+Enter PDF")
            qtbot.waitUntil(lambda: area.currentWidget() is page and not page.busy(), timeout=180_000)  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda s=slot: bool(page.page.progress.by_code[s].files), timeout=10_000)
        qtbot.waitUntil(lambda: page.selected_slot() == "QSH", timeout=10_000)
        doc = tmp_path / "qsh.png"
        cv2.imwrite(str(doc), render(DOCUMENTS["dat_dai"], dpi=200))
        keys.count += 2  # Ctrl+O and Enter in the file dialog on the chosen file
        keys.log.append("Ctrl+O, Enter")
        page.import_files([doc])
        qtbot.waitUntil(lambda: not page.busy() and page.page is not None
                        and bool(page.page.progress.by_code["QSH"].files), timeout=180_000)
        # 7. sign the dossier: one PIN entry for the three copies
        def type_pin() -> None:
            dlg = next((w for w in QApplication.topLevelWidgets() if isinstance(w, PinDialog) and w.isVisible()), None)
            if dlg is None:
                QTimer.singleShot(100, type_pin)
                return
            keys.type(dlg.pin_edit, hsm.pin, counted=False)  # the PIN is the officer's secret, like the citizen's data
            keys.press(dlg.pin_edit, Qt.Key.Key_Return, why="Enter PIN")

        QTimer.singleShot(100, type_pin)
        qtbot.waitUntil(lambda: page.sign_button.isEnabled(), timeout=10_000)
        keys.press(page.slots, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
                   "Ctrl+Shift+S sign")
        qtbot.waitUntil(lambda: page.page is not None and page.page.progress.to_sign == [] and not page.busy(),
                        timeout=120_000)
        assert all(s.state.value == "ready" for s in page.page.progress.slots), page.message.text()
        # 9. next: F8 ends the visit and the counter panel is back
        # the PIN dialog was modal: a window manager gives the main window the focus back, offscreen Qt does not
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=5000)
        keys.press(page.slots, Qt.Key.Key_F8, why="F8 end visit")
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pages.get("counter") or "nhầm" in page.message.text()
                        or page.message.styleSheet() != "", timeout=10_000)
        assert win.stack.currentWidget() is win.pages.get("counter"), page.message.text()
        # 8. upload: by itself, to the bundled dossier system
        end = time.monotonic() + 120
        held: dict = {}
        while time.monotonic() < end:
            QApplication.processEvents()
            held = next((x for x in server.dump()["dossiers"] if x["code"] == code), {})
            if len(held.get("files", [])) == 3:
                break
            time.sleep(0.1)
        assert len(held.get("files", [])) == 3, (held, ctx.outbox.jobs())
        for f in held["files"]:
            report = verify_pdf(server.data / "files" / f["sha256"], [pki.ca_pem],
                                expected_cert=hsm.base / "cert-01.pem")
            assert report.ok, report.problems
        with ctx.db.session() as s:
            from desktop.queue.models import Ticket

            t = s.get(Ticket, called.id)
            assert t is not None and t.state == "done" and t.dossier_code == code
        print(f"\nofficer's keystrokes beyond the citizen's data: {keys.count}: {keys.log}")
        assert keys.count <= 25, keys.log  # the issue's aim; the figure is in bench/RESULTS.md
    finally:
        services.close()
        ctx.close()
