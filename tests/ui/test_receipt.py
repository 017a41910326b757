"""The receipt at the counter (issue 11, items 3 and 5), on real windows offscreen: "Receive"
opens the receipt's print preview by itself, ready to print with Ctrl+P, while the event loop
keeps turning (the PDF and its pages are made on workers); a counter that turns the setting
off gets none; the dossier page prints it with Ctrl+P; reception says which agency receives
the chosen procedure, and the receipt names that agency."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication

from desktop.auth import Actor
from desktop.catalogue import CATALOGUE_FILE
from desktop.context import AppContext
from desktop.db.models import Role
from ui.dossiers.area import DossiersArea
from ui.print_preview import print_action
from ui.reception_view import ReceptionView

JUSTICE = {"code": "000.00.06.H56", "name": "Sở Tư pháp tỉnh Bình Định"}
RECORD = "2.001417"  # judicial record: the Department of Justice's, received at the centre


def _officer(ctx: AppContext) -> Actor:
    return ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                   role=Role.COUNTER_OFFICER, password="mat-khau-dai")


def _preview() -> QPrintPreviewDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintPreviewDialog) and w.isVisible()),
                None)


def _reception(qtbot, workers, ctx: AppContext) -> ReceptionView:  # type: ignore[no-untyped-def]
    view = ReceptionView(ctx, _officer(ctx), workers=workers)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    qtbot.waitUntil(lambda: view.procedure.count() > 0, timeout=5000)
    return view


def _choose(qtbot, view: ReceptionView, words: str, code: str) -> None:  # type: ignore[no-untyped-def]
    view.search.setText(words)
    qtbot.waitUntil(lambda: view.procedure.currentData() == code, timeout=5000)


def _with_justice(ctx: AppContext, tmp_path: Path) -> None:
    doc = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    next(p for p in doc["procedures"] if p["code"] == RECORD)["agency"] = JUSTICE
    f = tmp_path / "catalogue.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ctx.catalogue.import_file(Actor.cli(), f)


def test_receive_opens_the_receipt_ready_to_print_without_blocking(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    assert ctx.settings.receipt_at_receive, "on by default: the citizen is handed a receipt every time"
    view = _reception(qtbot, workers, ctx)
    _choose(qtbot, view, "khai tu", "1.000656")
    view.name.setText("Nguyễn Văn In")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    qtbot.keyClick(view.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Receive, nothing else
    qtbot.waitUntil(lambda: _preview() is not None, timeout=30_000)
    timer.stop()
    dlg = _preview()
    assert dlg is not None and view.last is not None
    # the event loop turned all along: the form and its pages were made on workers
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 5 and max(gaps) < 1.0, max(gaps)
    # the receipt issued is form 01 of this dossier, recorded on it
    assert view.last_receipt is not None and view.last_receipt.parent.name == view.last.code
    assert view.last_receipt.name.startswith("01-")
    assert any(h.what == "form.issue" for h in ctx.workspace.page(view.last.code).history)
    # ready to print: the preview's own Print answers Ctrl+P
    action = print_action(dlg)
    assert action is not None and action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    dlg.reject()


def test_a_counter_may_turn_the_receipt_at_receive_off(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    ctx.settings.receipt_at_receive = False
    view = _reception(qtbot, workers, ctx)
    _choose(qtbot, view, "khai tu", "1.000656")
    view.name.setText("Nguyễn Văn In")
    view.receive()
    qtbot.waitUntil(lambda: view.last is not None, timeout=10_000)
    qtbot.wait(500)
    assert _preview() is None and view.last_receipt is None
    view.print_receipt()  # Ctrl+P still prints it
    qtbot.waitUntil(lambda: _preview() is not None, timeout=30_000)
    _preview().reject()  # type: ignore[union-attr]


def test_the_settings_screen_turns_it_off(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from ui.settings_view import SettingsView

    admin = ctx.auth.create_officer(Actor.cli(), username="admin2", full_name="Quản trị", role=Role.ADMIN,
                                    password="mat-khau-dai")
    view = SettingsView(ctx, admin, workers=workers)
    qtbot.addWidget(view)
    assert view.receipt_at_receive.isChecked()
    view.receipt_at_receive.setChecked(False)
    view.save()
    qtbot.waitUntil(lambda: not ctx.settings.receipt_at_receive, timeout=10_000)
    assert "receipt_at_receive = false" in ctx.settings.config_path().read_text(encoding="utf-8")


def test_reception_names_the_agency_and_the_receipt_too(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx.settings.extra["forms"] = {"agency": "Trung tâm Phục vụ hành chính công tỉnh Bình Định"}
    _with_justice(ctx, tmp_path)
    view = _reception(qtbot, workers, ctx)
    view.open_receipts = False
    _choose(qtbot, view, "ly lich tu phap", RECORD)
    assert "Sở Tư pháp tỉnh Bình Định" in view.agency.text() and "000.00.06.H56" in view.agency.text()
    _choose(qtbot, view, "khai tu", "1.000656")
    assert "Trung tâm Phục vụ hành chính công tỉnh Bình Định" in view.agency.text()
    assert ctx.settings.unit_code in view.agency.text()
    _choose(qtbot, view, "ly lich tu phap", RECORD)
    view.name.setText("Nguyễn Văn An")
    view.receive()
    qtbot.waitUntil(lambda: view.last_receipt is not None, timeout=20_000)
    assert view.last is not None and view.last.code.startswith("000.00.06.H56-")
    text = subprocess.run(["pdftotext", str(view.last_receipt), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Sở Tư pháp tỉnh Bình Định tiếp nhận hồ sơ của" in " ".join(text.split())


def test_ctrl_p_on_the_dossier_page_opens_its_receipt(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    officer = _officer(ctx)
    d = ctx.counter.receive(officer, procedure_code="1.001193", applicant_name="Phạm Thị Đào")
    area = DossiersArea(ctx, officer, workers=workers)
    qtbot.addWidget(area)
    area.resize(1366, 700)
    area.show()
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow, timeout=5000)
    area.open_dossier(d.code)
    page = area.page
    qtbot.waitUntil(lambda: page.page is not None and page.receipt_button.isEnabled(), timeout=10_000)
    assert "Ctrl+P" in page.receipt_button.text()
    qtbot.keyClick(page.slots, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _preview() is not None, timeout=30_000)
    assert page.last_form is not None and page.last_form.name.startswith("01-")
    _preview().reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
