"""Print a PDF the application made (the receipt, a slip) through Qt's print dialog with a
preview, inside the application: no outside viewer, and a machine without one still prints.

The PDF's pages are rendered on a worker by the scanning core's own PDF loader (poppler,
with its size and pixel guards) at print resolution; the preview dialog then paints them,
each scaled to the printer's page with its proportions kept, on the page size the PDF has
(A5 for the slips, A4 for registers).

The printer is the workstation's (``printers.receipts`` for the preview, ``printers.tickets``
for the kiosk), chosen by :func:`desktop.printers.choose_printer` among the printers Qt sees.
A named printer that is not installed is said in the preview, above the pages, and the
system's default stays selected: the officer sees where the slip would go and picks a printer
in the print dialog, rather than the slip leaving silently for another printer or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QRect, QSizeF, Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from desktop.printers import RECEIPTS_KEY, PrinterChoice, PrinterState, choose_printer, roll_page
from ui.workers import Pool, Task, Workers

#: printers of the open preview dialogs (see preview())
_alive: dict[QPrintPreviewDialog, QPrinter] = {}
#: Qt's own context and text of the preview's Print action, looked up in Qt's translations
#: (names, not literals: they are Qt's strings, not ours to extract and translate)
_QT_CONTEXT, _QT_PRINT = "QPrintPreviewDialog", "Print"
#: print resolution of the rendered pages (a slip's text stays sharp at 200 dpi)
PRINT_DPI = 200


def to_qimage(image: np.ndarray) -> QImage:
    a = np.ascontiguousarray(image)
    fmt = QImage.Format.Format_Grayscale8 if a.ndim == 2 else QImage.Format.Format_BGR888
    return QImage(a.data, a.shape[1], a.shape[0], a.strides[0], fmt).copy()


def render_pdf(pdf: Path) -> list[QImage]:
    """The PDF's pages as images (on a worker)."""
    from dataclasses import replace

    from scanning.images import list_pages, load_page

    # at most PRINT_DPI, and never above what the loader fitted to its pixel limit
    return [to_qimage(load_page(replace(ref, pdf_dpi=min(ref.pdf_dpi, PRINT_DPI))).image)
            for ref in list_pages([pdf])]


def page_size_of(image: QImage) -> QPageSize:
    """A5, A4… from the rendered page's size in millimetres (the nearest standard size)."""
    mm = QSizeF(image.width() / PRINT_DPI * 25.4, image.height() / PRINT_DPI * 25.4)
    return QPageSize(mm, QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.FuzzyMatch)


def paint_pages(printer: QPrinter, pages: list[QImage]) -> bool:
    """Paint the pages on the printer; False when it cannot be opened (the job went nowhere)."""
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        for i, img in enumerate(pages):
            if i:
                printer.newPage()
            area = painter.viewport()
            scaled = img.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x() + (area.width() - scaled.width()) // 2, area.y(), scaled.width(), scaled.height())
            painter.setViewport(target)
            painter.setWindow(img.rect())
            painter.drawImage(0, 0, img)
            painter.setViewport(area)
            painter.setWindow(QRect(0, 0, area.width(), area.height()))
    finally:
        painter.end()
    return True


def printer_choice(configured: str, key: str = RECEIPTS_KEY) -> PrinterChoice:
    """The printer for ``configured`` (a setting's value) among the printers installed here.
    Asked on the UI thread: QPrinter() itself asks the same of the printing system there."""
    return choose_printer(configured, QPrinterInfo.availablePrinterNames(), key)


def make_printer(choice: PrinterChoice, pages: list[QImage], doc_name: str = "") -> QPrinter:
    """A printer on the chosen device (the system's default unless the setting named an installed
    one), on the pages' size and orientation; ``doc_name`` is the job's title in the queue."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if choice.state == PrinterState.CONFIGURED:
        printer.setPrinterName(choice.printer)  # before the page size: a device brings its own default
    if doc_name:
        printer.setDocName(doc_name)
    fit_to_pages(printer, pages)
    return printer


def fit_to_pages(printer: QPrinter, pages: list[QImage]) -> None:
    """The printer on the first page's size and orientation (the document's paper, not the device's)."""
    if pages:
        printer.setPageSize(page_size_of(pages[0]))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait if pages[0].height() >= pages[0].width()
                                   else QPageLayout.Orientation.Landscape)


def fit_to_roll(printer: QPrinter, page: QImage) -> None:
    """The printer on the roll paper a slip of ``page``'s size fits (the kiosk's 80 mm ticket):
    the device's shortest size of that width (desktop.printers.roll_page), else the exact size
    if it takes custom sizes, else the device's own paper (a roll printer's default is its roll)."""
    mm = page_size_of(page).size(QPageSize.Unit.Millimeter)
    info = QPrinterInfo.printerInfo(printer.printerName())
    sizes = {(s.size(QPageSize.Unit.Millimeter).width(), s.size(QPageSize.Unit.Millimeter).height()): s
             for s in info.supportedPageSizes()}
    found = roll_page(mm.width(), mm.height(), sizes)
    if found is not None:
        printer.setPageSize(sizes[found])
    elif info.supportsCustomPageSizes():
        printer.setPageSize(page_size_of(page))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)  # a roll feeds its width first


def paint_document(printer: QPrinter, pages: list[QImage]) -> bool:
    """What the preview paints and prints. The page size is set again first: Qt's print dialog
    on CUPS hands the printer back on the device's default paper (an A5 receipt came out on A4
    on a queue whose default is A4, tests/ui/test_print_preview.py); the slip is A5 whatever
    the printer's default, and the printer picks its tray for that."""
    fit_to_pages(printer, pages)
    return paint_pages(printer, pages)


def preview(parent: QWidget, pages: list[QImage], choice: PrinterChoice | None = None,
            doc_name: str = "") -> QPrintPreviewDialog:
    if choice is None:
        choice = printer_choice("")
    printer = make_printer(choice, pages, doc_name)
    dlg = QPrintPreviewDialog(printer, parent)
    dlg.setObjectName("print_preview")
    # the dialog keeps only a C++ pointer to the printer: without this reference Python frees
    # it when this function returns and the preview paints into freed memory (a crash, seen)
    _alive[dlg] = printer
    dlg.finished.connect(lambda _r: _alive.pop(dlg, None))
    dlg.paintRequested.connect(lambda p: paint_document(p, pages))
    print_action(dlg)
    problem = choice.problem()
    layout = dlg.layout()
    if problem and isinstance(layout, QBoxLayout):  # Qt's dialog holds its window in a QVBoxLayout
        warning = QLabel(problem, dlg)
        warning.setObjectName("printer_warning")
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #b00020; font-weight: bold; padding: 4px;")
        layout.insertWidget(0, warning)
    dlg.open()
    return dlg


def print_action(dlg: QPrintPreviewDialog) -> QAction | None:
    """The preview's own "Print", given Ctrl+P: the receipt opens at "Receive" ready to print,
    and the officer prints it from the keyboard (Qt gives the action no key). Found by its
    text as Qt itself translates it, so it is found in Vietnamese too."""
    text = QCoreApplication.translate(_QT_CONTEXT, _QT_PRINT)
    action = next((a for a in dlg.findChildren(QAction) if a.text() == text), None)
    if action is not None:
        action.setShortcut(QKeySequence.StandardKey.Print)
        action.setToolTip(f"{action.text()} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
    return action


def print_pdf(parent: QWidget, pdf: Path, on_failure: Callable[[str], object] | None = None, *,
              workers: Workers, printer: str = "") -> Task:
    """Render ``pdf`` on a worker, then open the preview on ``printer`` (the workstation's
    ``printers.receipts``; empty: the system's default printer)."""
    task = workers.run(lambda c, p: render_pdf(pdf),
                       on_success=lambda pages: preview(parent, pages, printer_choice(printer), pdf.name),
                       pool_name=Pool.GENERAL, name="print preview")
    if on_failure is not None:
        task.failed.connect(on_failure)
    return task
