"""Print a PDF the application made (the receipt, a slip) through Qt's print dialog with a
preview, inside the application: no outside viewer, and a machine without one still prints.

The PDF's pages are rendered on a worker by the scanning core's own PDF loader (poppler,
with its size and pixel guards) at print resolution; the preview dialog then paints them,
each scaled to the printer's page with its proportions kept, on the page size the PDF has
(A5 for the slips, A4 for registers)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QRect, QSizeF, Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from ui import workers

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


def paint_pages(printer: QPrinter, pages: list[QImage]) -> None:
    painter = QPainter()
    if not painter.begin(printer):
        return
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


def preview(parent: QWidget, pages: list[QImage]) -> QPrintPreviewDialog:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if pages:
        printer.setPageSize(page_size_of(pages[0]))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait if pages[0].height() >= pages[0].width()
                                   else QPageLayout.Orientation.Landscape)
    dlg = QPrintPreviewDialog(printer, parent)
    dlg.setObjectName("print_preview")
    # the dialog keeps only a C++ pointer to the printer: without this reference Python frees
    # it when this function returns and the preview paints into freed memory (a crash, seen)
    _alive[dlg] = printer
    dlg.finished.connect(lambda _r: _alive.pop(dlg, None))
    dlg.paintRequested.connect(lambda p: paint_pages(p, pages))
    print_action(dlg)
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


def print_pdf(parent: QWidget, pdf: Path, on_failure: Callable[[str], object] | None = None) -> workers.Task:
    """Render ``pdf`` on a worker, then open the preview with the system's printers."""
    task = workers.run(lambda c, p: render_pdf(pdf), on_success=lambda pages: preview(parent, pages),
                       pool_name=workers.Pool.GENERAL, name="print preview")
    if on_failure is not None:
        task.failed.connect(on_failure)
    return task
