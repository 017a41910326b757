"""Scan screen: pages appear as the scanner delivers them; arrange, check, make the PDF.

The officer picks a scanner and the paper settings, scans (or imports files), and sees a
thumbnail per page as soon as it arrives, with quality badges once its clean-up preview
is ready. Pages can be dragged into order, turned, deleted or re-scanned; the selected
page is shown before and after clean-up, zoomable together (ui/page_zoom.py). "Make PDF" runs OCR in the page worker
processes and, when a dossier code is given, attaches the PDF to that dossier; pages with
a red badge are named and the officer confirms first. A new profile (or colour or paper)
cleans the pages already in the batch again, so the preview is what the PDF gets.
All arranging logic lives in :mod:`scanning.scan_batch`; this module only shows it.
"""

from __future__ import annotations

from concurrent.futures import BrokenExecutor
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from scanning.cleanup import rotate_quarter
from scanning.images import Page
from scanning.scan_batch import Preview, ScanBatch, cleaned_image, preview, preview_image, thumbnail
from ui import file_dialogs
from ui.page_zoom import PagePreview, ZoomBar
from ui.scan_sources import FoundSources, find_sources
from ui.workers import Pool, Task, Workers

THUMB = 140
KEY_ROLE = Qt.ItemDataRole.UserRole


def to_pixmap(image: np.ndarray, longest: int) -> QPixmap:
    """A scaled copy of a grey or BGR array, for showing only."""
    h, w = image.shape[:2]
    f = min(1.0, longest / max(h, w))
    small = cv2.resize(image, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    small = np.ascontiguousarray(small)
    if small.ndim == 2:
        q = QImage(small.data, small.shape[1], small.shape[0], small.strides[0], QImage.Format.Format_Grayscale8)
    else:
        q = QImage(small.data, small.shape[1], small.shape[0], small.strides[0], QImage.Format.Format_BGR888)
    return QPixmap.fromImage(q.copy())  # copy: the array goes away


class _PageBridge(QObject):
    """Carries pages from the scanner thread to the UI thread (queued signal)."""

    arrived = Signal(object)


class ScanView(QWidget):
    #: (dossier code, component code): a PDF was made and attached to that dossier's slot
    attached = Signal(str, str)
    #: Esc with nothing running: the dossier workspace goes back to the dossier page
    back_requested = Signal()

    def __init__(self, ctx: Any, actor: Any = None, parent: QWidget | None = None, *, workers: Workers,
                 pool: Any = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor = actor
        self._pool = pool
        self.batch = ScanBatch()
        self.sources: list[Any] = []
        self.capabilities: dict[str, Any] = {}
        self._scan: Task | None = None
        self._digitize: Task | None = None
        self._rescan_key: int | None = None
        self.last_report: Any = None
        self.bridge = _PageBridge(self)
        #: the dossier slot's spool (scanning/spool.py) while scanning for a slot: pages are on
        #: disk as they arrive; batch key → spooled name, and the turns applied since
        self._spool: Any = None
        self._spooled: dict[int, str] = {}
        self._turns: dict[int, int] = {}
        self.bridge.arrived.connect(self._page_arrived)

        # device and paper
        self.profile_box = QComboBox()
        self.profiles: list[Any] = []
        self.source_box = QComboBox()
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(lambda: self.refresh_sources(fresh=True))
        self.mode_box = QComboBox()
        for key, label in (("grey", self.tr("Grey")), ("color", self.tr("Colour")), ("lineart", self.tr("Black & white"))):
            self.mode_box.addItem(label, key)
        self.dpi_box = QComboBox()
        for dpi in (200, 300, 400, 600):
            self.dpi_box.addItem(f"{dpi} dpi", dpi)
        self.dpi_box.setCurrentIndex(1)
        self.paper_box = QComboBox()
        for size in ("A4", "A5", "Letter", "Legal"):
            self.paper_box.addItem(size, size)
        self.duplex_box = QCheckBox(self.tr("Both sides"))
        self.max_pages = QSpinBox()
        self.max_pages.setRange(0, 500)
        self.max_pages.setSpecialValueText(self.tr("all"))
        device = QGroupBox(self.tr("Scanner"))
        form = QFormLayout(device)
        row = QHBoxLayout()
        row.addWidget(self.source_box, 1)
        row.addWidget(self.refresh_button)
        form.addRow(self.tr("Device"), row)
        form.addRow(self.tr("Profile"), self.profile_box)
        form.addRow(self.tr("Colour"), self.mode_box)
        form.addRow(self.tr("Resolution"), self.dpi_box)
        form.addRow(self.tr("Paper"), self.paper_box)
        form.addRow("", self.duplex_box)
        form.addRow(self.tr("Pages"), self.max_pages)

        # what the PDF belongs to
        self.dossier_edit = QLineEdit()
        self.dossier_edit.setPlaceholderText(self.tr("dossier code (optional)"))
        self.component_edit = QLineEdit()
        self.component_edit.setPlaceholderText(self.tr("component code or name"))
        target = QGroupBox(self.tr("Digitized copy"))
        tform = QFormLayout(target)
        tform.addRow(self.tr("Dossier"), self.dossier_edit)
        tform.addRow(self.tr("Component"), self.component_edit)

        self.scan_button = QPushButton(self.tr("Scan (F5)"))
        self.scan_button.clicked.connect(lambda: self.start_scan())
        self.import_button = QPushButton(self.tr("Import files…"))
        self.import_button.clicked.connect(self.choose_files)
        self.cancel_button = QPushButton(self.tr("Stop"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.pdf_button = QPushButton(self.tr("Make PDF (Ctrl+Enter)"))
        self.pdf_button.clicked.connect(self.make_pdf)
        # in the left column, not the page row: one more button there made the screen wider than 1366 px
        self.clear_button = QPushButton(self.tr("Clear batch"))
        self.clear_button.setObjectName("clear_batch")
        self.clear_button.clicked.connect(lambda: self.clear_batch())
        left = QVBoxLayout()
        left.addWidget(device)
        left.addWidget(target)
        for b in (self.scan_button, self.import_button, self.pdf_button, self.clear_button, self.cancel_button):
            left.addWidget(b)
        left.addStretch(1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMaximumWidth(330)

        # pages
        self.pages = QListWidget()
        self.pages.setObjectName("pages")
        self.pages.setViewMode(QListWidget.ViewMode.IconMode)
        self.pages.setIconSize(QSize(THUMB, THUMB))
        self.pages.setGridSize(QSize(THUMB + 24, THUMB + 44))
        self.pages.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.pages.setMovement(QListWidget.Movement.Snap)
        self.pages.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.pages.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pages.model().rowsMoved.connect(self._rows_moved)
        self.pages.currentItemChanged.connect(lambda *_: self._show_selected())
        self.rotate_left = QPushButton(self.tr("Turn left"))
        self.rotate_left.clicked.connect(lambda: self.rotate_selected(270))
        self.rotate_right = QPushButton(self.tr("Turn right"))
        self.rotate_right.clicked.connect(lambda: self.rotate_selected(90))
        self.delete_button = QPushButton(self.tr("Delete page"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.rescan_button = QPushButton(self.tr("Re-scan page"))
        self.rescan_button.clicked.connect(self.rescan_selected)
        page_buttons = QHBoxLayout()
        for b in (self.rotate_left, self.rotate_right, self.delete_button, self.rescan_button):
            page_buttons.addWidget(b)
        page_buttons.addStretch(1)
        middle = QVBoxLayout()
        middle.addWidget(self.pages, 1)
        middle.addLayout(page_buttons)
        middle_box = QWidget()
        middle_box.setLayout(middle)

        # before / after
        # two of them and the batch still fit a 1366-px screen; they zoom together
        self.before = PagePreview(workers=self.workers, minimum=(180, 260))
        self.after = PagePreview(workers=self.workers, minimum=(180, 260))
        self.zoom = ZoomBar([self.before, self.after], keys_on=self)
        self.page_info = QLabel()
        self.page_info.setWordWrap(True)
        right = QVBoxLayout()
        cap = QHBoxLayout()
        cap.addWidget(QLabel(self.tr("Before")), 1, Qt.AlignmentFlag.AlignCenter)
        cap.addWidget(QLabel(self.tr("After clean-up")), 1, Qt.AlignmentFlag.AlignCenter)
        pics = QHBoxLayout()
        pics.addWidget(self.before, 1)
        pics.addWidget(self.after, 1)
        right.addWidget(self.zoom)
        right.addLayout(cap)
        right.addLayout(pics, 1)
        right.addWidget(self.page_info)
        right_box = QWidget()
        right_box.setLayout(right)

        split = QSplitter()
        split.addWidget(middle_box)
        split.addWidget(right_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(left_box)
        body.addWidget(split, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        layout.addLayout(bottom)

        QShortcut(QKeySequence(Qt.Key.Key_F5), self, lambda: self.start_scan())
        QShortcut(QKeySequence("Ctrl+Return"), self, self.make_pdf)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.pages, self.delete_selected)
        QShortcut(QKeySequence("Ctrl+R"), self, lambda: self.rotate_selected(90))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._escape)
        self._load_profiles()
        self._applying = False
        self.profile_box.currentIndexChanged.connect(self._apply_profile)
        self._apply_profile()
        self.batch.set_options(self.clean_options())  # also when there is no profile
        # the colour and paper boxes are clean-up options too (keep colour, page size)
        self.mode_box.currentIndexChanged.connect(lambda *_: self._reclean())
        self.paper_box.currentIndexChanged.connect(lambda *_: self._reclean())
        self._update_actions()
        self.refresh_sources()

    # --- profiles -------------------------------------------------------------------------

    def _load_profiles(self) -> None:
        from desktop.kernel.errors import MotcuaError
        from scanning.profiles import DEFAULT_PROFILES, ProfileStore

        try:
            self.profiles = ProfileStore(Path(self.ctx.settings.data_dir)).load()
        except MotcuaError as exc:  # a broken profiles file must not close the screen
            self.profiles = list(DEFAULT_PROFILES)
            self._show_error(str(exc))
        for p in self.profiles:
            self.profile_box.addItem(p.label, p.id)

    def profile(self) -> Any:
        i = self.profile_box.currentIndex()
        return self.profiles[i] if 0 <= i < len(self.profiles) else None

    def _apply_profile(self) -> None:
        p = self.profile()
        if p is None:
            return
        self._applying = True  # one re-clean for the whole profile, not one per box
        try:
            for box, value in ((self.mode_box, p.mode), (self.dpi_box, p.resolution), (self.paper_box, p.page_size)):
                i = box.findData(value)
                if i >= 0:
                    box.setCurrentIndex(i)
            self.duplex_box.setChecked(p.duplex)
        finally:
            self._applying = False
        self._reclean()

    def _reclean(self) -> None:
        """The clean-up options changed: the pages already in the batch are cleaned again
        (on a worker each), so the preview shows what the PDF will get."""
        if self._applying:
            return
        for key in self.batch.set_options(self.clean_options()):
            row = self._row_of(key)
            if row >= 0:
                self._refresh_item(self.pages.item(row))
            self._request_preview(key)
        self._show_selected()

    def clean_options(self) -> Any:
        from scanning.cleanup import CleanOptions

        p = self.profile()
        switches = p.cleanup() if p is not None else {}
        return CleanOptions(**switches, keep_colour=self.mode_box.currentData() == "color",
                            paper=self.paper_box.currentData() or "A4")

    # --- sources ------------------------------------------------------------------------

    def refresh_sources(self, fresh: bool = False) -> None:
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("Looking for scanners…"))

        task = self.workers.submit(partial(find_sources, fresh=fresh), pool_name=Pool.SCANNER, name="list scanners")
        task.succeeded.connect(self._sources_found)
        task.failed.connect(self._show_error)
        task.finished.connect(lambda: self.refresh_button.setEnabled(True))

    @Slot(object)
    def _sources_found(self, found: FoundSources) -> None:
        sources, problems = found.sources, found.problems
        self.sources = sources
        self.capabilities = found.capabilities
        self.source_box.clear()
        for s in sources:
            self.source_box.addItem(s.name, s.id)
        if sources:
            self.status.setText(self.tr("%n scanner(s) found.", "", len(sources)))
        else:
            self.status.setText(self.tr("No scanner found: connect one and press Refresh, or import files."))
        if problems:  # the core's bilingual message (e.g. the SANE probe crashed in a backend)
            self.status.setText(" ".join([self.status.text(), *problems.values()]))
        self._update_actions()

    def settings(self) -> Any:
        from scanning.sources import ScanSettings

        source = "adf" if self.duplex_box.isChecked() else "auto"
        p, i = self.profile(), self.source_box.currentIndex()
        caps = self.capabilities.get(self.sources[i].id) if 0 <= i < len(self.sources) else None
        if p is not None and caps is not None and p.source in caps.sources:
            source = p.source
        return ScanSettings(source=source, mode=self.mode_box.currentData(),
                            resolution=int(self.dpi_box.currentData()), page_size=self.paper_box.currentData(),
                            duplex=self.duplex_box.isChecked(), max_pages=self.max_pages.value() or None)

    # --- scanning -------------------------------------------------------------------------

    def busy(self) -> bool:
        return self._scan is not None or self._digitize is not None

    def start_scan(self, *, max_pages: int | None = None) -> None:
        if self.busy() or self.source_box.currentIndex() < 0:
            return
        source = self.sources[self.source_box.currentIndex()]
        settings = self.settings()
        caps = self.capabilities.get(source.id)
        if settings.duplex and caps is not None and not caps.duplex:
            self._show_error(self._one_sided_hint())
            return
        if max_pages is not None:
            from dataclasses import replace

            settings = replace(settings, max_pages=max_pages)
        bridge, spool = self.bridge, self._spool

        def arrived(page: Page) -> None:  # on the scanner's thread: the page is on disk before it is shown
            bridge.arrived.emit((page, thumbnail(page.image), spool.save(page) if spool is not None else None))

        def scan(cancel: Any, progress: Any) -> int:
            pages = source.scan(settings, cancel, on_page=arrived)
            return len(pages)

        self.status.setText(self.tr("Scanning…"))
        self._start("_scan", self.workers.submit(scan, pool_name=Pool.SCANNER, name="scan"), busy_range=True)
        self._scan.succeeded.connect(self._scan_done)  # type: ignore[union-attr]

    def _one_sided_hint(self) -> str:
        """What to do when a two-sided profile meets a one-sided scanner: which profile to take."""
        p = self.profile()
        one_sided = [q for q in self.profiles if not q.duplex and q.source in ("adf", "auto", "flatbed")]
        same = [q for q in one_sided if p is not None and (q.mode, q.resolution, q.page_size) == (p.mode, p.resolution,
                                                                                                  p.page_size)]
        text = self.tr("This scanner scans one side only, and the profile asks for both sides.")
        if same or one_sided:
            text += " " + self.tr("Choose the profile “%1” (one side) or untick “Both sides”, then scan again.") \
                .replace("%1", (same or one_sided)[0].label)
        else:
            text += " " + self.tr("Untick “Both sides”, then scan again.")
        return text

    def rescan_selected(self) -> None:
        item = self.pages.currentItem()
        if item is None or self.busy():
            return
        self._rescan_key = int(item.data(KEY_ROLE))
        self.start_scan(max_pages=1)

    def choose_files(self) -> None:
        names = file_dialogs.open_file_names(self, self.tr("Import pages"), self.ctx.settings,
                                             self.tr("Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"),
                                             Path.home())
        if names:
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: list[Path]) -> None:
        if self.busy():
            return
        bridge, spool = self.bridge, self._spool

        def load(cancel: Any, progress: Any) -> int:
            from scanning.images import list_pages, load_page

            refs = list_pages(paths)
            for i, ref in enumerate(refs):
                cancel.raise_if_cancelled()
                page = load_page(ref)
                name = spool.save(page) if spool is not None else None
                bridge.arrived.emit((page, thumbnail(page.image), name))
                progress(i + 1, len(refs), ref.source)
            return len(refs)

        self.status.setText(self.tr("Importing…"))
        self._start("_scan", self.workers.submit(load, pool_name=Pool.GENERAL, name="import pages"))
        self._scan.succeeded.connect(self._scan_done)  # type: ignore[union-attr]

    def _start(self, attr: str, task: Task, busy_range: bool = False) -> None:
        setattr(self, attr, task)
        task.progress.connect(self._progress)
        task.failed.connect(self._show_error)
        task.cancelled.connect(lambda: self.status.setText(self.tr("Stopped. Pages already scanned are kept.")))
        task.finished.connect(lambda: self._finished(attr))
        self.progress.setRange(0, 0 if busy_range else 100)
        self.progress.show()
        self._update_actions()

    def _finished(self, attr: str) -> None:
        setattr(self, attr, None)
        self._rescan_key = None
        self.progress.hide()
        self._update_actions()

    @Slot(object)
    def _page_arrived(self, arrived: tuple[Any, ...]) -> None:
        page, thumb, spooled = (arrived + (None,))[:3]
        rescanned = self._rescan_key is not None
        if self._rescan_key is not None:
            old = self._rescan_key
            item = self.batch.replace(self._rescan_key, page, thumb)
            row = self._row_of(self._rescan_key)
            self._rescan_key = None
            widget_item = self.pages.item(row)
            widget_item.setData(KEY_ROLE, item.key)
            self._spooled.pop(old, None)
            self._turns.pop(old, None)
        else:
            item = self.batch.add(page, thumb=thumb)
            widget_item = QListWidgetItem()
            widget_item.setData(KEY_ROLE, item.key)
            self.pages.addItem(widget_item)
        if spooled is not None:
            self._spooled[item.key] = spooled
            if rescanned:  # the re-scanned page takes the old one's place on disk too
                self._arrange_spool()
        self._refresh_item(widget_item)
        self.pages.setCurrentItem(widget_item)
        self._request_preview(item.key)
        self.status.setText(self.tr("%n page(s) in this batch.", "", len(self.batch)))
        self._update_actions()

    def _scan_done(self, count: int) -> None:
        self.status.setText(self.tr("%n page(s) in this batch.", "", len(self.batch)))

    # --- previews and badges --------------------------------------------------------------

    def _preview_pool(self) -> Any:
        """Where previews are made: the page worker processes once they run (the main window
        starts them at idle after sign-in); on this process's threads otherwise."""
        if self._pool is not None:
            return self._pool
        started = getattr(self.ctx, "started_page_pool", None)
        return started() if started is not None else None

    def _request_preview(self, key: int) -> None:
        page = self.batch.get(key)
        options = self.batch.options
        pool = self._preview_pool()

        def work(cancel: Any, progress: Any) -> Preview:
            if pool is not None:
                # in a worker process: the clean-up's NumPy and Tesseract work holds the GIL
                # for tens of milliseconds at a time, which on a thread here froze the window
                try:
                    future = pool.call(preview_image, page.key, page.turns, page.image(), page.page.dpi, options)
                except RuntimeError:  # the pool is closing (shutdown): made here, as without one
                    return preview(page, options)
                while not cancel.wait(0.02):
                    if future.done():
                        try:
                            return future.result()
                        except BrokenExecutor:  # a worker died (killed): this page is made here
                            break
                future.cancel()
                cancel.raise_if_cancelled()
            return preview(page, options)

        task = self.workers.submit(work, pool_name=Pool.GENERAL, name="page preview")
        task.succeeded.connect(self._preview_ready)

    @Slot(object)
    def _preview_ready(self, result: Preview) -> None:
        item = self.batch.apply(result)
        if item is None:
            return
        row = self._row_of(item.key)
        if row >= 0:
            self._refresh_item(self.pages.item(row))
        current = self.pages.currentItem()
        if current is not None and int(current.data(KEY_ROLE)) == item.key:
            self._show_selected()

    def _row_of(self, key: int) -> int:
        for row in range(self.pages.count()):
            if int(self.pages.item(row).data(KEY_ROLE)) == key:
                return row
        return -1

    def _badge_label(self, code: str) -> str:
        labels = {"low_dpi": self.tr("low dpi"), "blur": self.tr("blurred"), "too_dark": self.tr("too dark"),
                  "too_light": self.tr("too light"), "blank": self.tr("blank"), "cut_off": self.tr("cut off")}
        return labels.get(code, code)

    def _refresh_item(self, widget_item: QListWidgetItem) -> None:
        item = self.batch.get(int(widget_item.data(KEY_ROLE)))
        row = self.pages.row(widget_item)
        widget_item.setIcon(to_pixmap(item.small(), THUMB))
        label = self.tr("Page %1").replace("%1", str(row + 1 if row >= 0 else len(self.batch)))
        if item.steps is None:
            label += "\n" + self.tr("checking…")
        elif item.issues:
            label += "\n⚠ " + ", ".join(self._badge_label(c) for c in item.badges)
        else:
            label += "\n✓ " + self.tr("good")
        widget_item.setText(label)
        widget_item.setToolTip("\n".join(i.message for i in item.issues))
        errors = any(i.severity == "error" for i in item.issues)
        widget_item.setForeground(QColor("#b00020") if errors else QColor("#9a6700") if item.issues else QColor("#1a7f37")
                                  if item.steps is not None else QColor("#555555"))

    def _renumber(self) -> None:
        for row in range(self.pages.count()):
            self._refresh_item(self.pages.item(row))

    def _show_selected(self) -> None:
        current = self.pages.currentItem()
        if current is None:
            self.before.clear()
            self.after.clear()
            self.page_info.clear()
            return
        item = self.batch.get(int(current.data(KEY_ROLE)))
        small, image, turns = item.small(), item.page.image, item.turns
        h, w = image.shape[:2]
        natural = (h, w) if turns % 180 else (w, h)
        # the full page is turned and scaled on a worker, only when a zoom needs its pixels
        self.before.show_page(small, natural=natural, full=lambda: rotate_quarter(image, turns))
        if item.steps is not None and item.after_thumb is not None:
            # the small cleaned copy is shown at the before's scale, so the two stay side by
            # side at the same zoom
            k = natural[0] / small.shape[1]
            ah, aw = item.after_thumb.shape[:2]
            # zoomed past the small copy, the page is cleaned at full resolution once (on a
            # worker) with the batch's options: the officer judges the clean-up at 1:1, not a blur
            self.after.show_page(item.after_thumb, natural=(round(aw * k), round(ah * k)),
                                 full=cache(partial(cleaned_image, item, self.batch.options)))
            steps = ", ".join(self._step_label(s) for s in item.steps) or self.tr("nothing to do")
            lines = [self.tr("Clean-up: %1").replace("%1", steps)]
            lines += [f"⚠ {i.message}" for i in item.issues]
            self.page_info.setText("\n".join(lines))
        else:
            self.after.clear()
            self.page_info.setText(self.tr("checking…"))

    def _step_label(self, step: str) -> str:
        """A clean-up step as the officer reads it (the pipeline names them in English,
        some with a value: "rotate 90°", "deskew +1.20°")."""
        name, _, value = step.partition(" ")
        if step == "whole frame":
            return self.tr("whole frame kept")
        labels = {"perspective": self.tr("perspective straightened"), "crop": self.tr("cropped"),
                  "grey": self.tr("grey"), "light": self.tr("lighting evened"), "blank": self.tr("blank page"),
                  "rotate": self.tr("turned %1"), "denoise": self.tr("specks removed"),
                  "deskew": self.tr("straightened %1")}
        label = labels.get(name)
        return step if label is None else label.replace("%1", value)

    # --- arranging ------------------------------------------------------------------------

    def _rows_moved(self, *args: Any) -> None:
        self.batch.order([int(self.pages.item(r).data(KEY_ROLE)) for r in range(self.pages.count())])
        self._renumber()
        self._arrange_spool()

    def _arrange_spool(self) -> None:
        """Write the officer's order and turns to the slot's spool, on a worker."""
        spool = self._spool
        if spool is None:
            return
        order = [(self._spooled[p.key], self._turns.get(p.key, 0)) for p in self.batch.pages if p.key in self._spooled]
        self.workers.run(lambda c, p: spool.arrange(order), on_failure=self._show_error, pool_name=Pool.GENERAL,
                         name="spool order")

    def restore_spooled(self) -> None:
        """Pages scanned for this slot before a restart (or a crash) come back, in order."""
        spool, bridge = self._spool, self.bridge
        if spool is None or self.busy() or len(self.batch) or not spool.folder.is_dir():
            return  # (a directory test: no worker, so Esc right after F5 still goes back)

        def load(cancel: Any, progress: Any) -> int:
            n = 0
            for entry, page in spool.load():
                cancel.raise_if_cancelled()
                bridge.arrived.emit((page, thumbnail(page.image), entry.name))
                n += 1
            return n

        self._start("_scan", self.workers.submit(load, pool_name=Pool.GENERAL, name="restore spooled pages"))
        self._scan.succeeded.connect(self._restored)  # type: ignore[union-attr]

    @Slot(int)
    def _restored(self, count: int) -> None:
        if count:
            self.status.setText(self.tr("%n page(s) scanned earlier are back; nothing was lost.", "", count))

    def rotate_selected(self, degrees: int) -> None:
        current = self.pages.currentItem()
        if current is None:
            return
        key = int(current.data(KEY_ROLE))
        self.batch.rotate(key, degrees)
        self._turns[key] = (self._turns.get(key, 0) + degrees) % 360
        self._refresh_item(current)
        self._show_selected()
        self._request_preview(key)
        self._arrange_spool()

    def delete_selected(self) -> None:
        current = self.pages.currentItem()
        if current is None or self._scan is not None:
            return
        self.batch.delete(int(current.data(KEY_ROLE)))
        self.pages.takeItem(self.pages.row(current))
        self._renumber()
        self._show_selected()
        self._update_actions()
        self._arrange_spool()

    # --- the PDF --------------------------------------------------------------------------

    def output_path(self) -> Path:
        code = self.dossier_edit.text().strip() or "scan"
        comp = self.component_edit.text().strip()
        stem = "-".join(p for p in (code, comp, datetime.now().strftime("%Y%m%d-%H%M%S")) if p)
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)
        return Path(self.ctx.settings.files_dir) / "scans" / f"{safe}.pdf"

    def clear_batch(self) -> bool:
        """Empty the batch in one go (asks first when there are pages); True if emptied."""
        if self.busy():
            return False
        if len(self.batch):
            text = self.tr("Remove all %n page(s) of this batch? They are not in any PDF yet.", "", len(self.batch))
            if not self._confirm(self.tr("Clear batch"), text):
                return False
        self.pages.clear()
        self.batch.clear()
        spool, self._spooled, self._turns = self._spool, {}, {}
        if spool is not None:  # the slot's pages on disk go too, or they would come back on restart
            self.workers.run(lambda c, p: spool.clear(), on_failure=self._show_error, pool_name=Pool.GENERAL,
                             name="spool clear")
        self._show_selected()
        self._update_actions()
        self.status.setText(self.tr("The batch is empty."))
        return True

    def problem_pages(self) -> list[tuple[int, list[str]]]:
        """Pages with a red (error) badge, as (page number, badge labels)."""
        return [(n, [self._badge_label(i.code) for i in p.issues if i.severity == "error"])
                for n, p in enumerate(self.batch.pages, start=1) if any(i.severity == "error" for i in p.issues)]

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def make_pdf(self) -> None:
        if self.busy() or not len(self.batch):
            return
        from scanning.pipeline import digitize_pages

        problems = self.problem_pages()
        if problems:
            listed = "; ".join(self.tr("page %1 (%2)").replace("%1", str(n)).replace("%2", ", ".join(labels))
                               for n, labels in problems)
            text = self.tr("%n page(s) have problems: %1. Make the PDF anyway?", "", len(problems)).replace("%1", listed)
            if not self._confirm(self.tr("Make PDF"), text):
                self.status.setText(self.tr("PDF not made: re-scan, turn or delete the pages with problems."))
                return
        pages = self.batch.to_pages()
        out = self.output_path()
        options = self.batch.options
        pool = self._pool if self._pool is not None else self.ctx.page_pool
        dossier, component = self.dossier_edit.text().strip(), self.component_edit.text().strip()
        ctx, actor, spool = self.ctx, self.actor, self._spool

        def run(cancel: Any, progress: Any) -> Any:
            if dossier and component:  # the counter's one path: component checked first, PDF in the dossier's folder
                report = ctx.counter.digitize_component(actor, dossier, component, pages=pages, options=options,
                                                        cancel=cancel, progress=progress).report
            else:
                report = digitize_pages(pages, out, options=options,
                                        cancel=cancel, progress=progress, pool=pool)
                if dossier:
                    ctx.dossiers.attach_file(actor, dossier, out, component=None, pages=report.pages,
                                             ocr_text=report.text)
            if dossier and spool is not None:
                # in the same task as the attach: once it is done, no restart brings these pages back
                spool.clear()
            return report

        self.status.setText(self.tr("Recognizing text…"))
        self._start("_digitize", self.workers.submit(run, pool_name=Pool.GENERAL, name="digitize"))
        self.progress.setRange(0, len(pages))
        self.progress.setValue(0)
        self._digitize.succeeded.connect(self._pdf_done)  # type: ignore[union-attr]

    def _pdf_done(self, report: Any) -> None:
        self.last_report = report
        size = report.bytes_per_page // 1024
        text = self.tr("PDF ready: %1 (%2 pages, %3 KB/page).").replace("%1", report.output)
        text = text.replace("%2", str(report.pages)).replace("%3", str(size))
        dossier, component = self.dossier_edit.text().strip(), self.component_edit.text().strip()
        if dossier:
            text += " " + self.tr("Attached to the dossier.")
        self.status.setText(text)
        if dossier:  # the pages are in the dossier now; the next slot starts empty
            self.pages.clear()
            self.batch.clear()
            self._spooled, self._turns = {}, {}  # the spool was cleared by the digitize task
            self.attached.emit(dossier, component)

    @Slot()
    def _escape(self) -> None:
        if self.busy():
            self.cancel()
        else:
            self.back_requested.emit()

    def set_target(self, dossier_code: str, component: str) -> None:
        """Scan for one slot of a dossier (the dossier page's F5): the target is fixed, each
        page is kept on disk as it arrives, and pages kept from before come back."""
        from scanning.spool import slot_spool

        changed = (dossier_code, component) != (self.dossier_edit.text(), self.component_edit.text())
        self.dossier_edit.setText(dossier_code)
        self.component_edit.setText(component)
        for edit in (self.dossier_edit, self.component_edit):
            edit.setReadOnly(True)
        if changed and not self.busy():
            self.pages.clear()
            self.batch.clear()
            self._spooled, self._turns = {}, {}
        self._spool = slot_spool(Path(self.ctx.settings.files_dir), dossier_code, component)
        self.restore_spooled()

    # --- common ---------------------------------------------------------------------------

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, message: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    @Slot(str)
    def _show_error(self, message: str) -> None:
        self.status.setText("⚠ " + message)

    def cancel(self) -> None:
        for task in (self._scan, self._digitize):
            if task is not None:
                task.cancel()

    def _update_actions(self) -> None:
        busy = self.busy()
        has_source = self.source_box.count() > 0
        has_pages = len(self.batch) > 0
        selected = self.pages.currentItem() is not None
        self.scan_button.setEnabled(not busy and has_source)
        self.import_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.pdf_button.setEnabled(not busy and has_pages)
        for b in (self.rotate_left, self.rotate_right, self.delete_button, self.clear_button):
            b.setEnabled(has_pages and not busy)
        self.rescan_button.setEnabled(has_pages and selected and not busy and has_source)
