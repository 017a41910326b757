"""The "Hồ sơ" area: the list, the dossier page and the scan screen targeted at one slot,
stacked so the officer moves between them by keys (Enter, F5, Esc) without leaving the
area, and the list and page refresh when the uploader reports progress."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from desktop.auth import Actor
from ui.dossiers.list_view import DossierListView
from ui.dossiers.page_view import DossierPageView
from ui.services import UploadStatus
from ui.workers import Pool, Workers


class DossiersArea(QStackedWidget):
    def __init__(self, ctx: Any, actor: Actor, parent: QWidget | None = None, *, workers: Workers,
                 uploads: UploadStatus | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor = actor
        self.list = DossierListView(ctx.workspace, self, workers=workers, actor=actor, forms=ctx.form_desk,
                                    settings=ctx.settings)
        self.list.officer = actor.username
        self.page = DossierPageView(ctx.workspace, ctx.counter, ctx.settings, actor, self, workers=workers,
                                    store=ctx.store, forms=ctx.form_desk)
        self._scan: Any = None
        self._scan_holder = QWidget()
        self._scan_title = QLabel()
        self._scan_title.setObjectName("scan_target")
        back = QPushButton(self.tr("← Dossier (Esc)"))
        back.clicked.connect(self.back_to_page)
        head = QHBoxLayout()
        head.addWidget(back)
        head.addWidget(self._scan_title, 1)
        self._scan_layout = QVBoxLayout(self._scan_holder)
        self._scan_layout.setContentsMargins(0, 0, 0, 0)
        self._scan_layout.addLayout(head)
        for w in (self.list, self.page, self._scan_holder):
            self.addWidget(w)
        self.list.open_requested.connect(self.open_dossier)
        self.page.back_requested.connect(self.show_list)
        self.page.changed.connect(lambda _c: self.list.refresh())
        self.page.scan_requested.connect(self.scan_into)
        self.visit_finished = self.page.visit_finished  # the shell returns to the counter panel
        if uploads is not None:
            uploads.changed.connect(self._uploads_changed)
        find = QShortcut(QKeySequence("Ctrl+F"), self)
        find.activated.connect(self.show_list)

    @Slot(str)
    def open_dossier(self, code: str, component: str | None = None) -> None:
        self.page.open(code, select=component)
        self.setCurrentWidget(self.page)
        self.page.slots.setFocus()

    @Slot()
    def show_list(self) -> None:
        self.list.refresh()
        self.setCurrentWidget(self.list)
        self.list.search.setFocus()
        self.list.search.selectAll()

    def prebuild_steps(self) -> list[Any]:
        """What the main window builds at idle after this area (ui/main_window.py): the
        scan screen, so the first F5 on a slot opens it at once, and the page worker
        processes, so the first page's preview and PDF do not wait for them to start."""
        return [self.scan_view, self.start_page_workers]

    def start_page_workers(self) -> None:
        """Start the page worker processes on a worker thread (spawning takes a second or
        two); the scan screen's previews then run in them, off this process's GIL."""
        pool = self.ctx.page_pool  # here: the UI thread is the one that makes it (cached once)
        self.workers.run(lambda _cancel, _progress: pool.warm_up(), pool_name=Pool.GENERAL,
                         name="page workers")

    def scan_view(self) -> Any:
        """The one scan screen, made at idle after sign-in or the first time a slot is scanned into."""
        if self._scan is None:
            from ui.scan_view import ScanView

            self._scan = ScanView(self.ctx, self.actor, self._scan_holder, workers=self.workers)
            self._scan.attached.connect(self._scanned)
            self._scan.back_requested.connect(self.back_to_page)
            self._scan_layout.addWidget(self._scan, 1)
        return self._scan

    @Slot(str, str)
    def scan_into(self, code: str, component: str) -> None:
        view = self.scan_view()
        view.set_target(code, component)
        shown = self.page.page
        name = shown.progress.by_code[component].spec.name if shown is not None and component in shown.progress.by_code \
            else component
        self._scan_title.setText(self.tr("Scanning into %1 — %2").replace("%1", code).replace("%2", name))
        self.setCurrentWidget(self._scan_holder)
        view.setFocus()

    @Slot(str, str)
    def _scanned(self, code: str, component: str) -> None:
        self.page.open(code)
        nxt = self.page.page.progress.next_slot(after=component) if self.page.page is not None else None
        self.page._select_after = nxt.code if nxt is not None else component
        self.setCurrentWidget(self.page)
        self.page.slots.setFocus()

    @Slot()
    def back_to_page(self) -> None:
        if self._scan is not None and self._scan.busy():
            self._scan.cancel()
            return
        self.setCurrentWidget(self.page)
        self.page.refresh()

    @Slot(object)
    def _uploads_changed(self, _status: object) -> None:
        if self.currentWidget() is self.page:
            self.page.refresh()
        elif self.currentWidget() is self.list:
            self.list.refresh()
