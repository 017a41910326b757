"""Printing inside the application: the receipt (an A5 slip) opens in Qt's print preview,
and what the dialog prints is the slip on an A5 page — no outside PDF viewer needed; it goes
to the workstation's receipt printer (a real CUPS queue here, tests/cups.py), and a receipt
printer that is not installed is said in the preview."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QLabel

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Role
from tests.cups import CupsServer, printed_text
from ui.print_preview import _alive, page_size_of, paint_pages, print_action, render_pdf
from ui.reception_view import ReceptionView


def _receipt(qtbot, workers, ctx: AppContext) -> tuple[ReceptionView, Path]:  # type: ignore[no-untyped-def]
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                      role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    ctx.settings.extra["forms"] = {"agency": "UBND phường Quy Nhơn"}
    view = ReceptionView(ctx, officer, workers=workers)
    view.open_receipts = False
    qtbot.addWidget(view)
    view.search.setText("khai tu")
    qtbot.waitUntil(lambda: view.procedure.currentData() == "1.000656", timeout=5000)
    view.name.setText("Nguyễn Văn In")
    view.receive()
    qtbot.waitUntil(lambda: view.last is not None, timeout=5000)
    qtbot.waitUntil(lambda: view.last_receipt is not None, timeout=10000)  # issued at "Receive"
    assert view.last_receipt is not None
    return view, view.last_receipt


def test_the_receipt_prints_on_an_a5_page_with_its_text(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _view, pdf = _receipt(qtbot, workers, ctx)
    pages = render_pdf(pdf)
    assert len(pages) == 1
    assert page_size_of(pages[0]).id() == page_size_of(pages[0]).id().A5
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageSize(page_size_of(pages[0]))
    paint_pages(printer, pages)
    info = subprocess.run(["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    assert "(A5)" in info
    # what was painted is the slip, not a blank page: its text comes back by OCR-free means
    # (the rendered image is dark where the slip has text)
    import numpy as np

    img = pages[0].convertToFormat(pages[0].Format.Format_Grayscale8)
    arr = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes()).reshape(img.height(), img.bytesPerLine())
    assert (arr[:, :img.width()] < 128).mean() > 0.005


def test_ctrl_p_opens_the_print_preview_in_the_application(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view, _pdf = _receipt(qtbot, workers, ctx)
    view.open_receipts = True
    view.print_receipt()

    def dialog() -> QPrintPreviewDialog | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QPrintPreviewDialog) and w.isVisible()), None)

    qtbot.waitUntil(lambda: dialog() is not None, timeout=20_000)
    d = dialog()
    assert d is not None
    d.reject()


def _open_preview(qtbot, view: ReceptionView) -> QPrintPreviewDialog:  # type: ignore[no-untyped-def]
    view.open_receipts = True
    view.print_receipt()

    def dialog() -> QPrintPreviewDialog | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QPrintPreviewDialog) and w.isVisible()), None)

    qtbot.waitUntil(lambda: dialog() is not None, timeout=20_000)
    d = dialog()
    assert d is not None
    return d


def _accept_print_dialog_when_shown() -> list[str]:
    """Press OK in the print dialog the preview's Print opens (modal: its own event loop);
    returns the printer it showed, once it has."""
    shown: list[str] = []

    def accept() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, QPrintDialog):
            shown.append(w.printer().printerName())
            w.accept()
        else:
            QTimer.singleShot(20, accept)

    QTimer.singleShot(0, accept)
    return shown


def test_the_receipt_prints_on_the_receipt_printer_not_the_default(workers, qtbot, ctx: AppContext, cups_server: CupsServer,  # type: ignore[no-untyped-def]
                                                                   printer_queue: tuple[str, Path],
                                                                   default_printer: tuple[str, Path]) -> None:
    name, out = printer_queue
    office, office_out = default_printer
    assert QPrinterInfo.defaultPrinterName() == office
    ctx.settings.receipt_printer = name
    view, _first = _receipt(qtbot, workers, ctx)
    dlg = _open_preview(qtbot, view)  # Ctrl+P issues the receipt again: that one is printed
    pdf = view.last_receipt
    assert pdf is not None and dlg.findChild(QLabel, "printer_warning") is None
    action = print_action(dlg)
    assert action is not None
    shown = _accept_print_dialog_when_shown()
    action.trigger()  # the preview's own Print (Ctrl+P): the print dialog, then the job
    assert shown == [name]
    qtbot.waitUntil(lambda: cups_server.completed_jobs(name) != [], timeout=10_000)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "(A5)" in info and pdf.name in info  # the job's title
    assert view.last is not None and view.last.code in printed_text(out).replace(" ", "")
    assert cups_server.completed_jobs(office) == [] and not office_out.exists()


def test_a_receipt_printer_not_installed_is_said_and_the_default_stays_selected(workers, qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                                default_printer: tuple[str, Path]) -> None:
    office, _out = default_printer
    ctx.settings.receipt_printer = "HP_LaserJet_Quay_1"
    view, _pdf = _receipt(qtbot, workers, ctx)
    dlg = _open_preview(qtbot, view)
    warning = dlg.findChild(QLabel, "printer_warning")
    assert warning is not None and warning.isVisible()
    assert "“HP_LaserJet_Quay_1”" in warning.text() and "printers.receipts" in warning.text()
    assert _alive[dlg].printerName() == office  # the officer sees where it would go, and may choose
    dlg.reject()
