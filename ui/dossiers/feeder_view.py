"""The whole dossier in one feeder pass: scan (or import) every page at once, see the pages
sorted into the dossier's component slots, correct, confirm.

The officer prints the procedure's separator sheets once (Ctrl+P, a reusable set), puts the
whole paper dossier in the feeder and scans (F5) — or imports a multi-page file (Ctrl+O).
The split (:mod:`desktop.workflow.feeder`, separators then page titles and the centre's
learned titles) runs on a worker with progress and Esc to stop. Pages are listed under
their slot with the reason and confidence; unassigned pages are on top in red, unsure ones
in yellow; the selected page is shown beside, zoomable (ui/page_zoom.py). A page is moved by dragging it onto another slot, or by keys: select it and press
the slot's number (0: unassigned) or M to choose; Del leaves a stray sheet out. Ctrl+Enter
confirms: nothing is digitized before, and a page left unassigned blocks it (never
guessed); each slot is then digitized through the counter's one digitize path.

The pass is on disk as it arrives (the pass spool), and so is each correction the moment it
is made (written on a worker, by the core): closing the dialog or a crash loses neither, and
the next F6 sorts the pass again with the officer's corrections put back.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QDropEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.auth import Actor
from desktop.config import Settings
from desktop.workflow.counter import CounterWork
from desktop.workflow.feeder import SURE, Assignment, Feeder, FeederOutcome, FeederPage
from desktop.workflow.workspace import DossierPage
from scanning.separators import ComponentRef
from scanning.spool import Sorting, pass_spool
from ui.page_zoom import PagePreview, ZoomBar
from ui.scan_sources import FoundSources, find_sources
from ui.workers import Pool, Task, Workers

if TYPE_CHECKING:
    from ui.dossiers.page_view import DossierPageView

PROBLEM = QColor("#fde2e1")
WAITING = QColor("#fff4ce")
LEFT_OUT = QColor("#888888")
INDEX = Qt.ItemDataRole.UserRole  # a page row: its feeder index
SLOT = Qt.ItemDataRole.UserRole + 1  # a slot row: its component code ("" = unassigned)
#: the slot value of the "Left out" row: no component code can be it (codes are printable)
LEFT_OUT_SLOT = "\x00left-out"
THUMB = 96


class _Pass(NamedTuple):
    """A pass's pages as loaded on a worker, with what ties them to the pass spool."""

    pages: list[Any]  # scanning.images.Page, in feeder order
    ids: list[str]  # each page's name in the spool
    ident: str  # the spool's pass identity ("" if it could not be kept)
    sorting: Sorting | None = None  # the corrections kept with a restored pass


class SlotTree(QTreeWidget):
    """Slots with their pages; a page dropped on a slot (or on one of its pages) moves there,
    one dropped on "Left out" is left out, a digit key moves the selected page to that slot. The tree never rearranges itself: it
    reports the move and the view redraws it from the assignment, which is the truth."""

    #: (page indices, component code, "" for unassigned or LEFT_OUT_SLOT)
    moved = Signal(list, str)
    #: a digit pressed on a page: the slot's number (0 = unassigned)
    number_pressed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(True)
        self.setWordWrap(True)

    def selected_pages(self) -> list[int]:
        """The selected page rows, else the current one (the keyboard's focus row)."""
        items = self.selectedItems() or [it for it in (self.currentItem(),) if it is not None]
        return [int(it.data(0, INDEX)) for it in items if it.parent() is not None]

    def drop_on(self, target: QTreeWidgetItem | None, pages: list[int]) -> bool:
        """Move ``pages`` to the slot of ``target`` (a slot row or one of its pages)."""
        if target is None or not pages:
            return False
        group = target.parent() or target
        self.moved.emit(pages, str(group.data(0, SLOT)))
        return True

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        target = self.itemAt(event.position().toPoint())
        pages = self.selected_pages()
        # no default handling: Qt would move the row itself and the tree would stop
        # matching the assignment; the redraw after ``moved`` puts the page in its slot
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if target is not None and pages:
            QTimer.singleShot(0, lambda: self.drop_on(target, pages))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        text = event.text()
        if text.isdigit() and len(text) == 1 and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.number_pressed.emit(int(text))
            return
        super().keyPressEvent(event)


class FeederView(QDialog):
    #: the dossier's slots were digitized from the pass (the dossier page refreshes)
    confirmed = Signal(str)
    #: the pass was thrown away (its dossier code): the page's "pass not confirmed" line goes
    discarded = Signal(str)

    def __init__(self, counter: CounterWork, settings: Settings, actor: Actor, page: DossierPage,
                 parent: QWidget | None = None, *, workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.setObjectName("feeder")
        self.setWindowTitle(self.tr("Scan the whole dossier — %1").replace("%1", page.code))
        self.feeder = Feeder(counter)
        self.settings = settings
        self.actor = actor
        self.code = page.code
        self.procedure = page.procedure_code
        self.procedure_name = page.procedure_name
        self.components = [ComponentRef(s.spec.code, s.spec.name) for s in page.progress.slots]
        #: slots that had a digitized copy when the dialog opened (the core checks again on confirm)
        self.filled = {s.spec.code for s in page.progress.slots if s.files}
        self.pages: list[Any] = []  # scanning.images.Page, in feeder order
        self.thumbs: list[np.ndarray] = []
        self.assignment: Assignment | None = None
        self.outcome: FeederOutcome | None = None
        self.sources: list[Any] = []
        self.profiles: list[Any] = []
        self._task: Task | None = None
        self._restored = 0  # pages of an unfinished pass picked up from the spool
        self._ident = ""  # the pass spool's identity of the pass shown (its corrections are kept under it)
        #: the pass's pages on disk as they arrive (scanning/spool.py): a closed dialog or a
        #: killed application loses no scanned page, and the next opening picks the pass up
        self.spool = pass_spool(Path(settings.files_dir), page.code)

        self.header = QLabel(f"<b>{page.code}</b> — {page.procedure_name}")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.source_box = QComboBox()
        self.profile_box = QComboBox()
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(lambda: self.refresh_sources(fresh=True))
        self.separators_box = QCheckBox(self.tr("With separator sheets"))
        self.separators_box.setChecked(True)
        self.print_button = QPushButton(self.tr("Print separator sheets (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_separators)
        self.scan_button = QPushButton(self.tr("Scan the whole dossier (F5)"))
        self.scan_button.clicked.connect(self.scan)
        self.import_button = QPushButton(self.tr("Import a file… (Ctrl+O)"))
        self.import_button.clicked.connect(self.choose_files)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Scanner")))
        top.addWidget(self.source_box, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(QLabel(self.tr("Profile")))
        top.addWidget(self.profile_box)
        top.addWidget(self.separators_box)
        actions = QHBoxLayout()
        for b in (self.print_button, self.scan_button, self.import_button):
            actions.addWidget(b)
        actions.addStretch(1)

        self.tree = SlotTree()
        self.tree.setObjectName("feeder_slots")
        self.tree.setHeaderLabels([self.tr("Page"), self.tr("Confidence"), self.tr("Why")])
        self.tree.moved.connect(self._moved)
        self.tree.number_pressed.connect(self.move_selected_to_number)
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        self.preview = PagePreview(workers=self.workers, minimum=(240, 320))
        self.zoom = ZoomBar([self.preview], keys_on=self)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.zoom)
        rl.addWidget(self.preview, 1)
        rl.addWidget(self.detail)
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.source_note = QLabel()
        self.source_note.setObjectName("feeder_sources")
        self.source_note.setWordWrap(True)
        self.source_note.setStyleSheet("color: #b42318;")
        self.source_note.hide()
        self.hint = QLabel(self.tr("Move a page: drag it onto a slot, or select it and press the slot's number "
                                   "(0: unassigned) or M. Del leaves a page out."))
        self.hint.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("feeder_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #9a6700;")
        self.status = QLabel()
        self.status.setObjectName("feeder_status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Stop (Esc)"))
        self.cancel_button.clicked.connect(self._escape)
        self.confirm_button = QPushButton(self.tr("Confirm and digitize (Ctrl+Enter)"))
        self.confirm_button.setObjectName("feeder_confirm")
        self.confirm_button.clicked.connect(self.confirm)
        self.discard_button = QPushButton(self.tr("Discard this pass…"))
        self.discard_button.setObjectName("feeder_discard")
        self.discard_button.clicked.connect(self.discard_pass)
        bottom = QHBoxLayout()
        bottom.addWidget(self.discard_button)  # apart from confirm: the two must not be mistaken
        bottom.addStretch(1)  # the buttons keep their size while the progress bar is hidden
        bottom.addWidget(self.progress, 2)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.confirm_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addLayout(top)
        lay.addWidget(self.source_note)
        lay.addLayout(actions)
        lay.addWidget(split, 1)
        lay.addWidget(self.hint)
        lay.addWidget(self.warnings)
        lay.addWidget(self.status)
        lay.addLayout(bottom)
        for seq, slot in ((Qt.Key.Key_F5, self.scan), ("Ctrl+O", self.choose_files), ("Ctrl+P", self.print_separators),
                          ("Ctrl+Return", self.confirm), ("Ctrl+Enter", self.confirm)):
            QShortcut(QKeySequence(seq), self).activated.connect(slot)
        for key, fn in ((Qt.Key.Key_M, self.choose_slot_for_selected), (Qt.Key.Key_Delete, self.toggle_left_out)):
            sc = QShortcut(QKeySequence(key), self.tree)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(fn)
        self.resize(1100, 700)
        self._load_profiles()
        self._update_actions()
        self.refresh_sources()
        if self.spool.folder.is_dir():  # one stat; the pages themselves are read on a worker
            self.restore_pass()

    # --- scanner and profile (the same profiles as the scan screen) ------------------------

    def _load_profiles(self) -> None:
        from desktop.kernel.errors import MotcuaError
        from scanning.profiles import DEFAULT_PROFILES, ProfileStore

        try:
            self.profiles = ProfileStore(Path(self.settings.data_dir)).load()
        except MotcuaError as exc:  # a broken profiles file must not close the screen
            self.profiles = list(DEFAULT_PROFILES)
            self._failed(str(exc))
        for p in self.profiles:
            self.profile_box.addItem(p.label, p.id)
        i = self.profile_box.findData(self.settings.scanner_profile)
        if i >= 0:
            self.profile_box.setCurrentIndex(i)

    def profile(self) -> Any:
        i = self.profile_box.currentIndex()
        return self.profiles[i] if 0 <= i < len(self.profiles) else None

    def clean_options(self) -> Any:
        from scanning.cleanup import CleanOptions

        p = self.profile()
        if p is None:
            return None
        return CleanOptions(**p.cleanup(), keep_colour=p.mode == "color", paper=p.page_size or "A4")

    def refresh_sources(self, fresh: bool = False) -> None:
        """List the scanners on a worker; Refresh (fresh) asks SANE anew rather than its cache."""
        self.refresh_button.setEnabled(False)
        task = self.workers.submit(partial(find_sources, fresh=fresh), pool_name=Pool.SCANNER,
                                   name="feeder scanners")
        task.succeeded.connect(self._sources_found)
        task.failed.connect(self._failed)
        task.finished.connect(self._sources_done)

    @Slot()
    def _sources_done(self) -> None:
        self.refresh_button.setEnabled(True)

    @Slot(object)
    def _sources_found(self, found: FoundSources) -> None:
        self.sources = found.sources
        self.source_box.clear()
        for s in found.sources:
            self.source_box.addItem(s.name, s.id)
        # an empty list must say why beside it (a crashed SANE backend, say), not only in the log:
        # the officer learns to import files or to call IT rather than to press F5 in vain
        lines = [] if found.sources else [
            self.tr("No scanner found: connect one and press Refresh, or import files (Ctrl+O).")]
        lines += found.problems.values()
        self.source_note.setText(" ".join(lines))
        self.source_note.setVisible(bool(lines))
        self._update_actions()

    # --- getting the pages -------------------------------------------------------------------

    def busy(self) -> bool:
        return self._task is not None

    @Slot()
    def scan(self) -> None:
        i = self.source_box.currentIndex()
        if self.busy() or not 0 <= i < len(self.sources) or self.profile() is None:
            return
        source, settings, spool = self.sources[i], self.profile().scan_settings(), self.spool

        def work(cancel: Any, progress: Any) -> _Pass:
            names: list[str] = []
            spool.clear()  # a new pass replaces the last one (and the corrections kept with it)

            def arrived(page: Any) -> None:
                names.append(spool.save(page))  # on the scanner's thread, before the next sheet
                progress(len(names), 0, "")

            pages = source.scan(settings, cancel, on_page=arrived)
            return _Pass(pages, names, spool.ident())

        task = self.workers.submit(work, pool_name=Pool.SCANNER, name="feeder scan")
        task.succeeded.connect(self._split)
        self._start(task, self.tr("Scanning the whole dossier…"))

    @Slot()
    def choose_files(self) -> None:
        from ui.file_dialogs import open_file_names

        if self.busy():
            return
        names = open_file_names(self, self.tr("The whole dossier (one or more files)"), self.settings,
                                self.tr("Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"))
        if names:
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: list[Path]) -> None:
        """Import a multi-page file (or several) as one feeder pass, then split it."""
        if self.busy() or not paths:
            return
        spool = self.spool

        def load(cancel: Any, progress: Any) -> _Pass:
            from scanning.images import list_pages, load_page

            refs = list_pages(paths)
            out, names = [], []
            spool.clear()  # a new pass replaces the last one (and the corrections kept with it)
            for n, ref in enumerate(refs):
                cancel.raise_if_cancelled()
                page = load_page(ref)
                names.append(spool.save(page))
                out.append(page)
                progress(n + 1, len(refs), ref.source)
            return _Pass(out, names, spool.ident())

        task = self.workers.submit(load, pool_name=Pool.GENERAL, name="feeder import")
        task.succeeded.connect(self._split)
        self._start(task, self.tr("Reading the files…"))

    def restore_pass(self) -> None:
        """The pages of a pass not confirmed (dialog closed, application killed), sorted again,
        with the officer's corrections kept beside them."""
        if self.busy():
            return
        spool = self.spool

        def load(cancel: Any, progress: Any) -> _Pass:
            out, names = [], []
            for entry, page in spool.load():
                cancel.raise_if_cancelled()
                out.append(page)
                names.append(entry.name)
            # read after the pages: the last dialog's write of a correction was queued on this
            # pool before this task, so it started first and has long taken the folder's lock
            return _Pass(out, names, spool.ident(), spool.sorting())

        task = self.workers.submit(load, pool_name=Pool.GENERAL, name="feeder restore")
        task.succeeded.connect(self._pass_restored)
        self._start(task, "")

    @Slot(object)
    def _pass_restored(self, loaded: _Pass) -> None:
        if loaded.pages:
            self._restored = len(loaded.pages)
            self._split(loaded)

    @Slot(object)
    def _split(self, loaded: _Pass) -> None:
        """Sort the pass into slots on a worker (separators, then titles: OCR takes a while)."""
        pages = loaded.pages
        if not pages:
            self._say(self.tr("No page was scanned."))
            return
        feeder, procedure, comps = self.feeder, self.procedure, self.components
        expected = self.separators_box.isChecked()

        def work(cancel: Any, progress: Any) -> tuple[_Pass, list[np.ndarray], Assignment]:
            from scanning.scan_batch import thumbnail

            assignment = feeder.split(procedure, comps, [p.image for p in pages], dpi=[p.dpi for p in pages],
                                      separators_expected=expected, ids=loaded.ids, cancel=cancel,
                                      progress=progress)
            return loaded, [thumbnail(p.image) for p in pages], assignment

        # handed over from the loading task, which is still finishing: a new task of its own
        self._task = None
        task = self.workers.submit(work, pool_name=Pool.GENERAL, name="feeder split")
        task.succeeded.connect(self._split_done)
        self._start(task, self.tr("Sorting %n page(s) into the components…", "", len(pages)))

    @Slot(object)
    def _split_done(self, done: tuple[_Pass, list[np.ndarray], Assignment]) -> None:
        loaded, self.thumbs, self.assignment = done
        self.pages, self._ident = loaded.pages, loaded.ident
        a = self.assignment
        kept = a.restore(loaded.sorting.marks, loaded.sorting.revision) if loaded.sorting is not None else 0
        self.warnings.setText("\n".join("⚠ " + w for w in a.result.warnings))
        text = self.tr("%1 page(s) sorted; check them, then confirm (Ctrl+Enter).").replace("%1", str(len(a.pages)))
        if kept:
            text = self.tr("Your %n correction(s) of that pass were put back.", "", kept) + " " + text
        if self._restored:
            text = self.tr("%1 page(s) of the last pass, kept on disk, were restored.").replace(
                "%1", str(self._restored)) + " " + text
            self._restored = 0
        self._say(text)
        self._draw()
        self.tree.setFocus()

    def discard_pass(self, *, ask: bool = True) -> bool:
        """Throw the pass away (the wrong papers fed, a jam that mixed the order): its pages on
        disk go too, or the next opening would put them back. Asks first; True if discarded."""
        a = self.assignment
        if self.busy() or a is None:
            return False
        text = self.tr("Discard the %n page(s) of this pass and your corrections? They are not in any PDF "
                       "yet: the paper would have to be fed again.", "", len(a.pages))
        if ask and QMessageBox.question(self, self.tr("Discard this pass"), text) != QMessageBox.StandardButton.Yes:
            return False
        spool = self.spool
        self.assignment, self.pages, self.thumbs, self._ident = None, [], [], ""
        self.tree.clear()
        self.warnings.clear()
        self.preview.clear()
        # on the pool the pass's own writes use, so it runs after them
        self.workers.run(lambda c, p: spool.clear(), on_failure=self._failed, pool_name=Pool.GENERAL,
                         name="feeder discard")
        self._say(self.tr("The pass was discarded; nothing of it was kept."))
        self._update_actions()
        self.discarded.emit(self.code)
        return True

    # --- showing and moving ------------------------------------------------------------------

    def slot_codes(self) -> list[str]:
        """The slots in the order their numbers are shown (1, 2, …)."""
        return [c.code for c in self.components]

    def _draw(self, select: int | None = None) -> None:
        a = self.assignment
        self.tree.clear()
        if a is None:
            return
        from ui.scan_view import to_pixmap

        groups: list[tuple[str, str, list[FeederPage]]] = [
            ("", self.tr("0. Unassigned"), a.unassigned())]
        for n, c in enumerate(self.components, 1):
            groups.append((c.code, f"{n}. {c.code} — {c.name}", a.slot_pages(c.code)))
        left_out = [p for p in a.pages if p.left_out]
        chosen: QTreeWidgetItem | None = None
        # "Left out" is always there, even empty: a page dragged onto it is left out (Del does the same)
        groups.append((LEFT_OUT_SLOT, self.tr("Left out (not kept)"), left_out))
        for code, title, pages in groups:
            count = self.tr("(%n page(s))", "", len(pages))
            hint = "  " + self.tr("— drop a page here or press Del") if code == LEFT_OUT_SLOT and not pages else ""
            head = QTreeWidgetItem([f"{title}  {count}{hint}"])
            head.setData(0, SLOT, code)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
            if code == "" and pages:
                head.setBackground(0, QBrush(PROBLEM))
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for p in pages:
                item = self._page_item(p, to_pixmap)
                head.addChild(item)
                if p.index == select:
                    chosen = item
            head.setExpanded(True)
        if chosen is None:
            heads = [h for i in range(self.tree.topLevelItemCount()) if (h := self.tree.topLevelItem(i)) is not None]
            chosen = next((h.child(0) for h in heads if h.childCount()), None)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._update_actions()

    def _page_item(self, p: FeederPage, to_pixmap: Any) -> QTreeWidgetItem:
        moved = p.moved and not p.left_out
        why = self.tr("moved by the officer") if moved else p.proposal.reason
        conf = "—" if moved else f"{p.proposal.confidence:.0%}"
        item = QTreeWidgetItem([self.tr("Page %1").replace("%1", str(p.index + 1)), conf, why])
        item.setData(0, INDEX, p.index)
        item.setToolTip(2, p.proposal.reason)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        if p.index < len(self.thumbs):
            item.setIcon(0, to_pixmap(self.thumbs[p.index], THUMB))
        colour = (None if p.left_out else PROBLEM if p.component is None
                  else WAITING if not moved and p.proposal.confidence < SURE else None)
        for col in range(3):
            if colour is not None:
                item.setBackground(col, QBrush(colour))
            if p.left_out:
                item.setForeground(col, QBrush(LEFT_OUT))
        return item

    def _show_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None or item.parent() is None or self.assignment is None:
            self.preview.clear()
            self.detail.clear()
            return
        p = self.assignment.page(int(item.data(0, INDEX)))
        if p.index < len(self.thumbs):
            # at the zoom the officer chose for the last page; the full page is scaled on a
            # worker when the zoom needs more than the small copy has
            image = self.pages[p.index].image if p.index < len(self.pages) else self.thumbs[p.index]
            self.preview.show_page(self.thumbs[p.index], natural=(image.shape[1], image.shape[0]),
                                   full=lambda: image)
        self.detail.setText(self.tr("Page %1: %2").replace("%1", str(p.index + 1)).replace("%2", p.proposal.reason))

    def move_pages(self, indices: list[int], component: str | None) -> None:
        a = self.assignment
        if a is None or self.busy() or not indices:
            return
        for i in indices:
            a.move(i, component)
        self._keep_corrections()
        self._draw(select=indices[0])

    def _keep_corrections(self) -> None:
        """Write the corrections with the pass, now: a snapshot taken here, written on a worker
        (the core refuses an older revision arriving late, or a pass replaced meanwhile)."""
        a = self.assignment
        if a is None:
            return
        spool, ident, revision, marks = self.spool, self._ident, a.revision, a.marks()
        self.workers.run(lambda c, p: spool.keep_sorting(ident, revision, marks), on_failure=self._failed,
                         pool_name=Pool.GENERAL, name="feeder corrections")

    @Slot(list, str)
    def _moved(self, indices: list[int], component: str) -> None:
        pages = [int(i) for i in indices]
        if component == LEFT_OUT_SLOT:
            self.leave_out(pages)
        else:
            self.move_pages(pages, component or None)

    def leave_out(self, indices: list[int]) -> None:
        """Leave pages out of every component (dropped on "Left out")."""
        a = self.assignment
        if a is None or self.busy() or not indices:
            return
        for i in indices:
            a.leave_out(i, True)
        self._keep_corrections()
        self._draw(select=indices[0])

    @Slot(int)
    def move_selected_to_number(self, number: int) -> None:
        codes = self.slot_codes()
        if number == 0:
            self.move_pages(self.tree.selected_pages(), None)
        elif 1 <= number <= len(codes):
            self.move_pages(self.tree.selected_pages(), codes[number - 1])

    @Slot()
    def choose_slot_for_selected(self) -> None:
        pages = self.tree.selected_pages()
        if not pages or self.assignment is None or self.busy():
            return
        labels = [self.tr("0. Unassigned")] + [f"{n}. {c.code} — {c.name}" for n, c in enumerate(self.components, 1)]
        label, ok = QInputDialog.getItem(self, self.tr("Move the page"), self.tr("Into which component?"), labels,
                                         0, False)
        if ok:
            self.move_selected_to_number(labels.index(label))

    @Slot()
    def toggle_left_out(self) -> None:
        a, pages = self.assignment, self.tree.selected_pages()
        if a is None or not pages or self.busy():
            return
        for i in pages:
            a.leave_out(i, not a.page(i).left_out)
        self._keep_corrections()
        self._draw(select=pages[0])

    # --- separators, confirm -----------------------------------------------------------------

    @Slot()
    def print_separators(self) -> None:
        """The procedure's separator sheets, in the application's print preview."""
        if self.busy():
            return
        from ui.print_preview import print_pdf

        feeder, code, name, comps = self.feeder, self.procedure, self.procedure_name, self.components
        task = self.workers.submit(lambda c, p: feeder.separator_sheets(code, name, comps), name="separator sheets")
        task.succeeded.connect(lambda pdf: print_pdf(self, pdf, self._failed, workers=self.workers,
                                                     printer=self.settings.receipt_printer))
        self._start(task, self.tr("Making the separator sheets…"))

    @Slot()
    def confirm(self) -> None:
        a = self.assignment
        if a is None or self.busy():
            return
        left = a.unassigned()
        if left:
            self._failed(self.tr("%1 page(s) are not in any component: move them to a component or leave them "
                                 "out (Del).").replace("%1", str(len(left))))
            self._draw(select=left[0].index)
            return
        filled = [c for c in a.slots() if c in self.filled]
        if filled and not self._add_to_filled(filled):
            self._say(self.tr("Nothing digitized: move the pages of %1 or confirm another copy.")
                      .replace("%1", ", ".join(filled)))
            return
        feeder, actor, code, pages, options = self.feeder, self.actor, self.code, self.pages, self.clean_options()
        add, spool = bool(filled), self.spool

        def work(cancel: Any, progress: Any) -> FeederOutcome:
            out = feeder.confirm(actor, code, a, pages, add_to_filled=add, options=options, cancel=cancel,
                                 progress=progress)
            spool.clear()  # digitized into the slots: the pass is done
            return out

        task = self.workers.submit(work, pool_name=Pool.GENERAL, name="feeder confirm")
        task.succeeded.connect(self._confirmed)
        self._start(task, self.tr("Digitizing the components…"))

    def _add_to_filled(self, codes: list[str]) -> bool:
        answer = QMessageBox.question(
            self, self.tr("These slots already have a copy"),
            self.tr("%1 already have a digitized copy. Add these pages as another copy?")
            .replace("%1", ", ".join(codes)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    @Slot(object)
    def _confirmed(self, outcome: FeederOutcome) -> None:
        self.outcome = outcome
        done = ", ".join(f"{c} ({n})" for c, n in outcome.pages().items())
        self._say(self.tr("Digitized: %1; they wait for the signature.").replace("%1", done))
        self.confirmed.emit(self.code)

    # --- common ------------------------------------------------------------------------------

    def _start(self, task: Task, text: str) -> None:
        self._task = task
        self._say(text)
        self.progress.setRange(0, 0)
        self.progress.show()
        task.progress.connect(self._progress)
        task.failed.connect(self._failed)
        # bound methods, not lambdas: a task finishing after the dialog is gone is then not delivered
        task.cancelled.connect(self._stopped)
        task.finished.connect(self._done)
        self._update_actions()

    @Slot()
    def _stopped(self) -> None:
        self._say(self.tr("Stopped; nothing was digitized."))

    @Slot()
    def _done(self) -> None:
        if self._task is not None and self.sender() is self._task:
            self._task = None
            self.progress.hide()
            self._update_actions()
            if self.outcome is not None:  # confirmed: close once the task is over, not while it runs
                self.accept()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, message: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress.setFormat(f"{message} (%v/%m)" if message and total else "%v")

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(message)

    def _say(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _update_actions(self) -> None:
        busy = self.busy()
        self.scan_button.setEnabled(not busy and self.source_box.count() > 0)
        self.import_button.setEnabled(not busy)
        self.print_button.setEnabled(not busy)
        self.confirm_button.setEnabled(not busy and self.assignment is not None)
        self.discard_button.setEnabled(not busy and self.assignment is not None)
        self.cancel_button.setEnabled(busy)

    @Slot()
    def _escape(self) -> None:
        if self._task is not None:
            self._task.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self._task is not None:  # Esc stops the work first; a second Esc closes
            self._task.cancel()
            return
        super().reject()


def open_feeder(view: DossierPageView) -> FeederView | None:
    """Open the whole-dossier pass from the dossier page (``ui.dossiers.page_view``)."""
    page = view.page
    if page is None or page.closed or view.busy():
        return None
    old = view._feeder_dialog
    if old is not None:  # one pass at a time; the last one's dialog is dropped now, not when it closes
        old.deleteLater()
    dlg = FeederView(view.counter, view.settings, view.actor, page, view, workers=view.workers)
    view._feeder_dialog = dlg

    def confirmed(code: str) -> None:
        view.refresh()
        view.changed.emit(code)

    dlg.confirmed.connect(confirmed)
    dlg.discarded.connect(lambda code: view.refresh())  # the "pass not confirmed" line goes
    dlg.open()
    return dlg
