"""The dossier page: the header (code, procedure, applicant, status, due and time left), the
component slots with their pages, signatures and uploads, the history and the linked
ticket — and the counter's actions on it, by key:

* F6 scans the whole dossier in one feeder pass, sorted into the slots (ui/dossiers/feeder_view.py);
* F5 scans into the selected slot (the one scan screen, targeted at it), Ctrl+O imports
  files into it (the same digitization as the CLI, on a worker, cancellable);
* Ctrl+Shift+S signs every digitized copy in one batch with one PIN entry;
* Ctrl+R fills the slot with the citizen's stored document, re-verified (no new scan); the
  offer says what the paper is (number, issuer, dates), an expired one is shown as such and
  never reused; Ctrl+Shift+R looks the citizen up again (the national store is otherwise
  asked once per dossier for a few minutes, each request audited: desktop/store/service.py);
* Space ticks a component brought later; Ctrl+W withdraws a mistaken dossier (reason asked);
* Ctrl+P prints the receipt (form 01, the same as reception's); Ctrl+Shift+M lists the forms
  the dossier has content for: print one, or issue it sealed;
  the lifecycle's steps (supplement, result, return, fee, post…) are ui/dossiers/actions.py;
* Esc goes back to the list.

Every read and write runs on a worker; every edit carries the version shown, so a change
made meanwhile at another workstation is reported, never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.auth import Actor
from desktop.config import Settings
from desktop.kernel.timeutil import to_vn
from desktop.store.service import DocumentStore, DocumentView, Offers, Origin
from desktop.workflow.counter import CounterWork, DossierSigning
from desktop.workflow.flow import Slot as FlowSlot
from desktop.workflow.flow import SlotState, UploadState
from desktop.workflow.form_desk import FormDesk
from desktop.workflow.workspace import DossierPage, DossierWorkspace
from scanning.spool import PASS
from ui.dossiers.actions import DossierActions
from ui.dossiers.list_model import remaining_text, status_name
from ui.flow_layout import FlowLayout
from ui.workers import Pool, Task, Workers

if TYPE_CHECKING:
    from ui.dossiers.feeder_view import FeederView

READY = QColor("#e3f4e1")
PROBLEM = QColor("#fde2e1")
WAITING = QColor("#fff4ce")


class DossierPageView(QWidget):
    back_requested = Signal()
    #: (dossier code, component code): the area opens the scan screen targeted at the slot
    scan_requested = Signal(str, str)
    #: the dossier changed here (the list refreshes)
    changed = Signal(str)
    #: the visit was ended (F8): the shell goes back to the counter panel for the next call
    visit_finished = Signal(str)

    def __init__(self, workspace: DossierWorkspace, counter: CounterWork, settings: Settings, actor: Actor,
                 parent: QWidget | None = None, *, workers: Workers, store: DocumentStore | None = None,
                 forms: FormDesk | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.workspace = workspace
        self.store = store
        self.forms = forms
        #: the print preview opens for a form (tests switch this off: no dialog left open)
        self.open_forms = True
        self.last_form: Path | None = None
        #: component → this citizen's stored, still-valid documents that can fill the slot
        #: (looked up once per opening: each look-up is audited)
        self.offers: dict[str, list[DocumentView]] = {}
        #: component → the citizen's documents of that type that have expired (shown, never reused)
        self.expired: dict[str, list[DocumentView]] = {}
        self.counter = counter
        self.settings = settings
        self.actor = actor
        self.page: DossierPage | None = None
        #: component → pages scanned for it but not yet made into its PDF (kept on disk)
        self.spooled: dict[str, int] = {}
        self.code = ""
        self._feeder_dialog: FeederView | None = None  # the whole-dossier pass open now (ui/dossiers/feeder_view.py)
        self._task: Task | None = None
        self._reading = False
        self._again = False
        self._select_after: str | None = None

        self.header = QLabel()
        self.header.setObjectName("dossier_header")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.slots = QTableWidget(0, 7)
        self.slots.setObjectName("slots")
        self.slots.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.slots.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.slots.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.slots.verticalHeader().hide()
        self.slots.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.slots.horizontalHeader().setStretchLastSection(True)
        self.slots.setWordWrap(False)
        self.history = QTableWidget(0, 3)
        self.history.setObjectName("history")
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()

        self.back_button = QPushButton(self.tr("← List (Esc)"))
        self.scan_button = QPushButton(self.tr("Scan into the slot (F5)"))
        self.import_button = QPushButton(self.tr("Import files… (Ctrl+O)"))
        self.feeder_button = QPushButton(self.tr("Whole dossier (F6)"))
        self.feeder_button.clicked.connect(self.open_feeder)
        self.sign_button = QPushButton(self.tr("Sign the dossier (Ctrl+Shift+S)"))
        self.brought_button = QPushButton(self.tr("Brought / not brought (Space)"))
        self.withdraw_button = QPushButton(self.tr("Withdraw… (Ctrl+W)"))
        self.receipt_button = QPushButton(self.tr("Receipt (Ctrl+P)"))
        self.receipt_button.setObjectName("receipt_button")
        self.receipt_button.clicked.connect(self.print_receipt)
        self.forms_button = QPushButton(self.tr("Forms… (Ctrl+Shift+M)"))
        self.forms_button.setObjectName("forms_button")
        self.forms_button.clicked.connect(self.show_forms)
        self.lookup_button = QPushButton(self.tr("Look up documents again (Ctrl+Shift+R)"))
        self.lookup_button.setObjectName("look_up_again")
        if store is None:  # (never setVisible(True) before it has a parent: it would open as a window of its own)
            self.lookup_button.hide()
        self.lookup_button.clicked.connect(self.look_up_again)
        self.finish_button = QPushButton(self.tr("End the visit, next citizen (F8)"))
        self.finish_button.setObjectName("finish_visit")
        self.finish_button.clicked.connect(self.finish_visit)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.back_button.clicked.connect(self.back_requested.emit)
        self.scan_button.clicked.connect(self.scan_selected)
        self.import_button.clicked.connect(self.choose_files)
        self.sign_button.clicked.connect(self.sign)
        self.brought_button.clicked.connect(self.toggle_brought)
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.cancel_button.clicked.connect(self.cancel)
        for seq, slot in ((Qt.Key.Key_F5, self.scan_selected), ("Ctrl+O", self.choose_files),
                          ("Ctrl+Shift+S", self.sign), ("Ctrl+W", self.ask_withdraw), (Qt.Key.Key_Escape, self._escape),
                          (Qt.Key.Key_F8, self.finish_visit), ("Ctrl+R", self.reuse_selected),
                          (Qt.Key.Key_F6, self.open_feeder), ("Ctrl+Shift+M", self.show_forms),
                          ("Ctrl+Shift+R", self.look_up_again), ("Ctrl+P", self.print_receipt)):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self.slots)
        space.setContext(Qt.ShortcutContext.WidgetShortcut)
        space.activated.connect(self.toggle_brought)

        # wraps rather than widening the window past a 1366-px screen (ui/flow_layout.py)
        actions = FlowLayout()
        for b in (self.back_button, self.scan_button, self.feeder_button, self.import_button, self.sign_button,
                  self.brought_button, self.withdraw_button, self.receipt_button, self.forms_button,
                  self.lookup_button,
                  self.finish_button):
            actions.addWidget(b)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(QLabel(self.tr("Components")))
        tl.addWidget(self.slots, 1)
        tl.addWidget(self.summary)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(QLabel(self.tr("History")))
        bl.addWidget(self.history, 1)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addLayout(actions)
        self.lifecycle_actions = DossierActions(self)  # the lifecycle's transitions (ui/dossiers/actions.py)
        lay.addWidget(self.lifecycle_actions)
        lay.addWidget(split, 1)
        status = QHBoxLayout()
        status.addWidget(self.progress, 1)
        status.addWidget(self.cancel_button)
        lay.addLayout(status)
        lay.addWidget(self.message)
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)  # upload states move on by themselves
        self.timer.timeout.connect(self.refresh)
        self._update_actions()

    # --- reading ------------------------------------------------------------------------------

    def open(self, code: str, *, select: str | None = None) -> None:
        """Show dossier ``code`` (at the first slot to digitize, or at ``select``)."""
        if code != self.code:
            self.offers, self.expired = {}, {}
            self._look_up_offers(code)
            self.page = None
            self.slots.setRowCount(0)
            self.history.setRowCount(0)
            self.message.setText("")
        self.code = code
        self._select_after = select
        if self.isVisible():
            self.timer.start()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        if self.code:
            self.timer.start()  # polls only while shown
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self.timer.stop()
        super().hideEvent(event)

    def _look_up_offers(self, code: str, *, fresh: bool = False) -> None:
        store, actor = self.store, self.actor
        if store is None:
            return

        def found(offers: Offers) -> None:
            if code == self.code:
                self.offers, self.expired = offers.slots, offers.expired
                if offers.reason:  # the national store could not be reached: the local offers stand
                    self._failed(offers.reason)
                elif fresh:
                    self._say(self.tr("The citizen's documents were looked up again."))
                if self.page is not None:
                    self._show((self.page, [("", c, n) for c, n in self.spooled.items()]))

        # the general pool: the look-up may wait on the national store (seconds), the database pool must not
        self.workers.run(lambda c, p: store.look_up(actor, code, fresh=fresh), on_success=found, on_failure=self._failed,
                         pool_name=Pool.GENERAL, name="store offers")

    @Slot()
    def look_up_again(self) -> None:
        """Ask the stores again, the national one too (a new, audited request): a document the
        citizen's other agency has just added, or a national store that is back."""
        if self.code and self.store is not None:
            self._say(self.tr("Looking the citizen's documents up again…"))
            self._look_up_offers(self.code, fresh=True)

    @Slot()
    def reuse_selected(self) -> None:
        """Fill the selected slot with the citizen's stored document (re-verified, audited)."""
        comp, store, page = self.selected_slot(), self.store, self.page
        if not comp or store is None or page is None or page.closed or self.busy():
            return
        offer = next(iter(self.offers.get(comp, [])), None)
        if page.progress.by_code[comp].files:
            return
        if offer is None:
            gone = next(iter(self.expired.get(comp, [])), None)
            if gone is not None and gone.valid_until is not None:  # said, not silently ignored
                self._failed(self.tr("%1: the citizen's document expired on %2 and cannot be reused; digitize "
                                     "the current paper.").replace("%1", comp)
                             .replace("%2", gone.valid_until.strftime("%d/%m/%Y")))
            return
        actor, code = self.actor, self.code
        if offer.origin is Origin.NATIONAL:  # downloaded first: off the database pool
            task = self.workers.submit(lambda c, p: store.reuse_national(actor, code, comp, offer.national_id),
                                       pool_name=Pool.GENERAL, name="reuse national")
            text = self.tr("Taking the document from the national store and checking its signature…")
        else:
            task = self.workers.submit(lambda c, p: store.reuse(actor, code, comp, offer.id), pool_name=Pool.DB,
                                       name="reuse")
            text = self.tr("Checking the stored document's signature…")
        task.succeeded.connect(lambda _f: self._reused(comp, offer.origin))
        self._start(task, text)

    def _reused(self, comp: str, origin: Origin) -> None:
        self.offers.pop(comp, None)
        if origin is Origin.NATIONAL:
            self._say(self.tr("%1: the national store's copy is reused (its hash and signature verified); "
                              "no new scan.").replace("%1", comp))
        else:
            self._say(self.tr("%1: the stored copy is reused (its signature verified); no new scan.").replace("%1", comp))

    @Slot()
    def refresh(self) -> None:
        if not self.code:
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        ws, code, files = self.workspace, self.code, Path(self.settings.files_dir)

        def read(cancel: Any, progress: Any) -> tuple[DossierPage, list[tuple[str, str, int]]]:
            from scanning.spool import unfinished

            return ws.page(code), unfinished(files, code)

        task = self.workers.run(read, on_success=self._show, on_failure=self._failed, pool_name=Pool.DB,
                                name="dossier-page")
        task.finished.connect(self._read_done)

    @Slot()
    def _read_done(self) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.refresh()

    def _upload_name(self, up: UploadState) -> str:
        return {UploadState.NOT_QUEUED: self.tr("not queued"), UploadState.WAITING_SIGNATURE: self.tr("waits for signature"),
                UploadState.QUEUED: self.tr("queued"), UploadState.SENDING: self.tr("sending"),
                UploadState.PARKED: self.tr("parked"), UploadState.SENT: self.tr("sent")}[up]

    def _state_name(self, st: SlotState) -> str:
        return {SlotState.NOT_BROUGHT: self.tr("not brought"), SlotState.PAPER_ONLY: self.tr("paper only"),
                SlotState.TO_DIGITIZE: self.tr("to digitize"), SlotState.TO_SIGN: self.tr("to sign"),
                SlotState.INVALID: self.tr("signature failed"), SlotState.READY: self.tr("signed")}[st]

    def _copy_name(self, kind: str) -> str:
        return {"original": self.tr("original"), "certified_copy": self.tr("certified copy"), "copy": self.tr("copy"),
                "original_or_certified_copy": self.tr("original or certified copy")}.get(kind, kind)

    @Slot(object)
    def _show(self, read: tuple[DossierPage, list[tuple[str, str, int]]]) -> None:
        page, spooled = read
        if page.code != self.code:
            return
        self.spooled = {comp: n for _d, comp, n in spooled}
        keep = self.selected_slot()
        self.page = page
        due = to_vn(page.due_at).strftime("%d/%m/%Y %H:%M") if page.due_at else "—"
        left = remaining_text(page.remaining_minutes)
        late = page.remaining_minutes is not None and page.remaining_minutes < 0
        ticket = page.ticket_number or "—"
        self.header.setText(
            f"<span style='font-size:15pt; font-weight:600'>{page.code}</span>"
            f" &nbsp; <span style='font-size:12pt'>{page.procedure_name}</span><br>"
            + self.tr("Applicant: %1").replace("%1", f"<b>{page.applicant_name}</b>")
            + (f" ({page.applicant_id_number})" if page.applicant_id_number else "")
            + " · " + self.tr("Status: %1").replace("%1", f"<b>{status_name(page.status)}</b>")
            + " · " + self.tr("Received %1").replace("%1", to_vn(page.received_at).strftime("%d/%m/%Y %H:%M"))
            + " · " + self.tr("Due %1").replace("%1", due)
            + (f" · <span style='color:{'#b00020' if late else '#1b5e20'}'>{left}</span>"
               if page.remaining_minutes is not None else "")
            + " · " + self.tr("Ticket %1").replace("%1", ticket)
            + (" · <span style='color:#b00020; white-space:nowrap'>" + self.tr("Fee due: %1 đ").replace(
                "%1", f"{page.fees_due:,}".replace(",", ".")) + "</span>" if page.fees_due else ""))
        self.slots.setHorizontalHeaderLabels([self.tr("Component"), self.tr("Required"), self.tr("Copy"),
                                              self.tr("Pages"), self.tr("State"), self.tr("Upload"), self.tr("Note")])
        slots = page.progress.slots
        self.slots.setRowCount(len(slots))
        for r, s in enumerate(slots):
            note = "; ".join(f.reason for f in s.files if f.reason)
            offer = next(iter(self.offers.get(s.code, [])), None) if not s.files else None
            gone = next(iter(self.expired.get(s.code, [])), None) if not s.files else None
            if offer is not None:
                when = offer.issued_on.strftime("%d/%m/%Y") if offer.issued_on else "—"
                # the key first: in a narrow column the end of the note is elided (the tooltip has it all)
                if offer.origin is Origin.NATIONAL:
                    note = self.tr("Ctrl+R reuses the copy from the national store (dossier %1)") \
                        .replace("%1", offer.source_dossier) + " — " + self._paper(offer)
                else:
                    note = self.tr("Ctrl+R reuses the copy digitized on %1 (dossier %2)").replace("%1", when) \
                        .replace("%2", offer.source_dossier) + " — " + self._paper(offer, issued=False)
            elif gone is not None and gone.valid_until is not None:
                note = self.tr("Expired on %1, not reusable: digitize the current paper (dossier %2)") \
                    .replace("%1", gone.valid_until.strftime("%d/%m/%Y")).replace("%2", gone.source_dossier) \
                    + " — " + self._paper(gone)
            values = (s.spec.name, self.tr("required") if s.spec.required else self.tr("optional"),
                      f"{self._copy_name(s.spec.copy_kind)} × {s.spec.quantity}", str(s.pages) if s.files else "—",
                      self._state_name(s.state), self._upload_name(s.upload) if s.files else "—", note)
            colour = self._colour(s)
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, s.code)
                if colour is not None:
                    item.setBackground(QBrush(colour))
                if c == 0:
                    item.setToolTip(s.spec.name)
                elif c == len(values) - 1 and v:
                    item.setToolTip(v)  # the whole note, however narrow the column
                self.slots.setItem(r, c, item)
        self.slots.setColumnWidth(0, min(self.slots.columnWidth(0), 420))
        want = self._select_after or keep
        self._select_after = None
        nxt = page.progress.next_slot()
        target = want if want in page.progress.by_code else (nxt.code if nxt else (slots[0].code if slots else None))
        if target is not None:
            self.select_slot(target)
        self.history.setHorizontalHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What")])
        self.history.setRowCount(len(page.history))
        events = {"file.attach": self.tr("digitized copy attached"), "file.sign": self.tr("copy signed and verified"),
                  "file.sign_failed": self.tr("signing failed"), "file.remove": self.tr("file taken back"),
                  "dossier.edit": self.tr("applicant's details corrected"),
                  "dossier.component": self.tr("component ticked brought / not brought"),
                  "dossier.fee": self.tr("fee recorded"), "dossier.postal_address": self.tr("postal address recorded"),
                  "form.issue": self.tr("form issued"), "due.change": self.tr("due date changed"),
                  "notice.queued": self.tr("form to send to the citizen"),
                  "notice.sent": self.tr("form sent to the citizen"),
                  "notice.failed": self.tr("form could not be sent to the citizen")}
        for r, h in enumerate(reversed(page.history)):
            what = status_name(h.status) if h.status is not None else events.get(h.what, h.what)
            if h.detail:
                what += " — " + h.detail
            for c, v in enumerate((to_vn(h.at).strftime("%d/%m/%Y %H:%M:%S"), h.who, what)):
                self.history.setItem(r, c, QTableWidgetItem(v))
        self.summary.setText(self._summary(page))
        self.lifecycle_actions.update_for(page)
        self._update_actions()

    def _paper(self, d: DocumentView, *, issued: bool = True) -> str:
        """What the paper says, for the officer deciding whether it serves: number, issuer, dates.

        ``issued=False`` for a local copy, whose note already gives the day it was digitized
        (its issue date until someone records the paper's)."""
        parts = [self.tr("no. %1").replace("%1", d.number)] if d.number else []
        if d.issuer:
            parts.append(d.issuer)
        if issued and d.issued_on:
            parts.append(self.tr("issued %1").replace("%1", d.issued_on.strftime("%d/%m/%Y")))
        parts.append(self.tr("valid until %1").replace("%1", d.valid_until.strftime("%d/%m/%Y"))
                     if d.valid_until else self.tr("no end date"))
        return ", ".join(parts)

    def _colour(self, s: FlowSlot) -> QColor | None:
        if s.state == SlotState.INVALID or s.upload == UploadState.PARKED:
            return PROBLEM
        if s.state == SlotState.NOT_BROUGHT and s.spec.required:
            return PROBLEM
        if s.state == SlotState.READY and s.upload == UploadState.SENT:
            return READY
        if s.state in (SlotState.TO_DIGITIZE, SlotState.TO_SIGN):
            return WAITING
        return None

    def _summary(self, page: DossierPage) -> str:
        p = page.progress
        parts = []
        slots = {c: n for c, n in self.spooled.items() if c != PASS}
        if slots:
            parts.append(self.tr("Scanned, PDF not made yet: %1 — F5 to continue").replace(
                "%1", ", ".join(f"{c} ({n})" for c, n in slots.items())))
        if self.spooled.get(PASS):
            parts.append(self.tr("Whole-dossier pass not confirmed: %n page(s) — F6 to continue", "",
                                 self.spooled[PASS]))
        if p.to_digitize:
            parts.append(self.tr("To digitize: %1").replace("%1", ", ".join(s.spec.name for s in p.to_digitize)))
        if p.missing_required:
            parts.append(self.tr("Not brought (required): %1").replace(
                "%1", ", ".join(s.spec.name for s in p.missing_required)))
        if p.to_sign:
            parts.append(self.tr("%n copy(ies) to sign", "", len(p.to_sign)))
        parts.append(self.tr("Upload: %1").replace("%1", self._upload_name(p.upload)))
        if p.complete and p.upload == UploadState.SENT:
            parts.insert(0, self.tr("Complete: every copy signed and sent."))
        return " · ".join(parts)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(message)

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    # --- the slots ---------------------------------------------------------------------------

    def selected_slot(self) -> str | None:
        row = self.slots.currentRow()
        item = self.slots.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select_slot(self, code: str) -> None:
        for r in range(self.slots.rowCount()):
            item = self.slots.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == code:
                self.slots.selectRow(r)
                self.slots.setCurrentCell(r, 0)
                return

    def busy(self) -> bool:
        return self._task is not None

    def _update_actions(self) -> None:
        page, busy = self.page, self.busy()
        open_ = page is not None and not page.closed
        has_slot = self.selected_slot() is not None
        for b in (self.scan_button, self.import_button, self.brought_button):
            b.setEnabled(open_ and has_slot and not busy)
        self.sign_button.setEnabled(open_ and not busy and page is not None and page.progress.can_sign)
        self.withdraw_button.setEnabled(open_ and not busy)
        self.lookup_button.setEnabled(page is not None and bool(page.applicant_id_number))
        self.forms_button.setEnabled(self.forms is not None and page is not None and not busy)
        self.receipt_button.setEnabled(self.forms is not None and page is not None and not busy)
        self.finish_button.setVisible(page is not None and page.ticket_id is not None)
        self.finish_button.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)

    def _start(self, task: Task, text: str) -> None:
        self._task = task
        self._say(text)
        self.progress.setRange(0, 0)
        task.progress.connect(self._progress)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self._say(self.tr("Cancelled; nothing was lost.")))
        task.finished.connect(lambda: self._task_done(task))
        self._update_actions()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if message:
            self.progress.setFormat(f"{message} (%v/%m)")

    def _task_done(self, task: Task) -> None:
        if self._task is not task:  # a step that handed over to the next (PIN state → signing)
            return
        self._task = None
        self._update_actions()
        self.refresh()
        self.changed.emit(self.code)

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @Slot()
    def _escape(self) -> None:
        if self.busy():
            self.cancel()
        else:
            self.back_requested.emit()

    @Slot()
    def scan_selected(self) -> None:
        comp = self.selected_slot()
        if comp and self.page is not None and not self.page.closed and not self.busy():
            self.scan_requested.emit(self.code, comp)

    @Slot()
    def open_feeder(self) -> FeederView | None:
        """The whole dossier in one feeder pass (its own module: the split, the corrections)."""
        from ui.dossiers.feeder_view import open_feeder

        return open_feeder(self)

    @Slot()
    def choose_files(self) -> None:
        from ui.file_dialogs import open_file_names

        if not self.import_button.isEnabled():
            return
        names = open_file_names(self, self.tr("Files for this component"), self.settings,
                                self.tr("Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"))
        if names:
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: list[Path], component: str | None = None) -> None:
        """Digitize ``paths`` into the selected slot (or ``component``): OCR, PDF/A, attach."""
        comp = component or self.selected_slot()
        if not comp or not paths or self.busy():
            return
        counter, actor, code = self.counter, self.actor, self.code

        def work(cancel: Any, progress: Any) -> Any:
            return counter.digitize_component(actor, code, comp, files=paths, cancel=cancel, progress=progress)

        task = self.workers.submit(work, pool_name=Pool.GENERAL, name="digitize-slot")
        task.succeeded.connect(lambda done: self._digitized(comp, done))
        self._start(task, self.tr("Digitizing %n file(s)…", "", len(paths)))

    def _digitized(self, comp: str, done: Any) -> None:
        self._say(self.tr("%1: %2 page(s) digitized; waits for the signature.").replace("%1", comp)
                  .replace("%2", str(done.report.pages)))
        nxt = self.page.progress.next_slot(after=comp) if self.page is not None else None
        self._select_after = nxt.code if nxt is not None and nxt.code != comp else None

    @Slot()
    def toggle_brought(self) -> None:
        comp, page = self.selected_slot(), self.page
        if not comp or page is None or page.closed or self.busy():
            return
        slot = page.progress.by_code[comp]
        if slot.files:
            self._failed(self.tr("This component already has digitized pages."))
            return
        ws, actor, code, version = self.workspace, self.actor, self.code, page.version
        brought = slot.state == SlotState.NOT_BROUGHT
        task = self.workers.submit(lambda c, p: ws.set_brought(actor, code, version, comp, brought),
                                   pool_name=Pool.DB, name="brought")
        self._start(task, "")

    @Slot()
    def ask_withdraw(self) -> None:
        page = self.page
        if page is None or page.closed or self.busy():
            return
        reason, ok = QInputDialog.getText(self, self.tr("Withdraw the dossier"),
                                          self.tr("Why is dossier %1 withdrawn? (recorded and sent)")
                                          .replace("%1", page.code))
        if ok:
            self.withdraw(reason)

    def withdraw(self, reason: str) -> None:
        page = self.page
        if page is None:
            return
        ws, actor, code, version = self.workspace, self.actor, self.code, page.version
        task = self.workers.submit(lambda c, p: ws.withdraw(actor, code, version, reason), pool_name=Pool.DB,
                                   name="withdraw")
        task.succeeded.connect(lambda _r: self._say(self.tr("Dossier withdrawn.")))
        self._start(task, "")

    @Slot()
    def finish_visit(self) -> None:
        """End the ticket this dossier was received for; the uploads go on by themselves."""
        page = self.page
        if page is None or page.ticket_id is None or self.busy():
            return
        counter, actor, code = self.counter, self.actor, self.code

        task = self.workers.submit(lambda c, p: counter.finish_visit(actor, code), pool_name=Pool.DB,
                                   name="finish visit")
        task.succeeded.connect(lambda _t: self.visit_finished.emit(code))
        self._start(task, "")

    # --- the token --------------------------------------------------------------------------

    def with_token(self, run: Callable[..., Any], text: str, on_done: Callable[[Any], None]) -> None:
        """Read the token's PIN state, ask the PIN once, then ``run(choice, pin, confirmed,
        failures, cancel, progress)`` on the token's worker; ``on_done`` gets its result."""
        from desktop.workflow.signing import TokenChoice

        choice = TokenChoice.from_settings(self.settings)
        if not choice.module_path:
            self._failed(self.tr("No signing token is set up for this workstation (Settings → signing)."))
            return
        data_dir = self.settings.data_dir

        def read_state(cancel: Any, progress: Any) -> Any:
            from signing.pin_policy import default_failures, token_pin_state

            return token_pin_state(choice.module_path, token_label=choice.token_label, serial=choice.serial,
                                   failures=default_failures(data_dir))

        task = self.workers.submit(read_state, pool_name=Pool.TOKEN, name="pin-state")
        task.succeeded.connect(lambda state: self._ask_pin(choice, state, run, text, on_done))
        self._start(task, self.tr("Checking the token…"))

    def _ask_pin(self, choice: Any, state: Any, run: Callable[..., Any], text: str,
                 on_done: Callable[[Any], None]) -> None:
        from ui.pin_dialog import ask_pin

        self._task = None
        self._update_actions()
        answer = ask_pin(self, choice.token_label or "", state)
        if answer is None:
            self._say(self.tr("Signing cancelled: no PIN was given."))
            return
        box = [answer[0]]  # the PIN stays in this one-slot box until the worker takes it
        confirmed = answer[1]
        del answer
        data_dir = self.settings.data_dir

        def work(cancel: Any, progress: Any) -> Any:
            from signing.pin_policy import default_failures

            pin = box.pop()
            try:
                return run(choice, pin, confirmed, default_failures(data_dir), cancel, progress)
            finally:
                del pin

        task = self.workers.submit(work, pool_name=Pool.TOKEN, name="token-work")
        task.succeeded.connect(on_done)
        self._start(task, text)

    # --- signing ---------------------------------------------------------------------------

    @Slot()
    def sign(self) -> None:
        """Sign every digitized copy in one batch with one PIN entry, each verified."""
        if not self.sign_button.isEnabled():
            return
        counter, actor, code = self.counter, self.actor, self.code

        def run(choice: Any, pin: str, confirmed: bool, failures: Any, cancel: Any, progress: Any) -> DossierSigning:
            return counter.sign_dossier(actor, code, choice, pin, failures=failures, confirm_final_try=confirmed,
                                        cancel=cancel, progress=progress)

        self.with_token(run, self.tr("Signing the dossier…"), self._signed)

    # --- forms ------------------------------------------------------------------------------

    @Slot()
    def show_forms(self) -> None:
        """The forms this dossier has content for: print one, or issue it sealed."""
        desk, page = self.forms, self.page
        if desk is None or page is None or self.busy():
            return
        actor, code = self.actor, self.code
        task = self.workers.submit(lambda c, p: desk.applicable(actor, code), pool_name=Pool.DB, name="forms")
        task.succeeded.connect(self._choose_form)
        self._start(task, "")

    @Slot()
    def print_receipt(self) -> None:
        """The receipt (form 01) in the print preview: issued through the forms path, so it is
        the same slip as reception's and the history records it."""
        if self.forms is not None and self.page is not None and not self.busy():
            self.issue_form("01")

    def may_seal(self) -> bool:
        """Whether this officer's role seals with the organization's signature."""
        from desktop.workflow.signing import may_sign_with
        from signing.appearance import get_profile

        try:
            return may_sign_with(self.actor, get_profile("seal", self.settings.data_dir))
        except Exception:  # noqa: BLE001 - an administrator's broken profile file: no seal offered
            return False

    def _choose_form(self, numbers: list[str]) -> None:
        from ui.dossiers.dialogs import FormsDialog, answered

        self._task = None
        self._update_actions()
        dlg = FormsDialog(self, numbers, may_seal=self.may_seal())
        if answered(dlg) and (number := dlg.selected()) is not None:
            if dlg.choice == FormsDialog.SEND:
                self.send_form(number)
            else:
                self.issue_form(number, seal=dlg.choice == FormsDialog.SEAL)

    def send_form(self, number: str) -> None:
        """Send the last issued copy of form ``number`` to the citizen: queued in the outbox,
        which sends it by itself; a refusal (not issued yet, no address) is the core's."""
        desk = self.forms
        if desk is None:
            return
        actor, code = self.actor, self.code
        task = self.workers.submit(lambda c, p: desk.notify(actor, code, number), pool_name=Pool.DB, name="notify")
        task.succeeded.connect(self._form_sent)
        self._start(task, self.tr("Sending form %1 to the citizen…").replace("%1", number))

    def _notices_line(self, notices: Any) -> str:
        to = ", ".join(f"{'e-mail' if channel == 'email' else 'SMS'} {address}" for channel, address in notices)
        return self.tr("Queued to the citizen: %1 — it goes by itself (Outbox screen).").replace("%1", to)

    @Slot(object)
    def _form_sent(self, notices: Any) -> None:
        self._say(self._notices_line(notices))  # the history line comes with the refresh after the task

    def issue_form(self, number: str, *, seal: bool = False, step_done: str = "") -> None:
        """Form ``number`` for this dossier: printed (the preview opens), or issued as an
        electronic form sealed with the organization's signature (one PIN entry).

        ``step_done`` is the confirmation of the step that produced the form ("Handed to …"),
        kept in front of the form's line instead of being replaced by it."""
        desk = self.forms
        done: Callable[[Any], None] = lambda issued: self._form_issued(issued, step_done)  # noqa: E731
        if desk is None:
            return
        actor, code = self.actor, self.code
        if not seal:
            task = self.workers.submit(lambda c, p: desk.issue(actor, number, code), pool_name=Pool.DB,
                                       name="form")
            task.succeeded.connect(done)
            self._start(task, self.tr("Preparing form %1…").replace("%1", number))
            return

        def run(choice: Any, pin: str, confirmed: bool, failures: Any, cancel: Any, progress: Any) -> Any:
            from desktop.workflow.form_desk import Seal

            return desk.issue(actor, number, code, seal=Seal(choice, pin, failures=failures,
                                                             confirm_final_try=confirmed))

        self.with_token(run, self.tr("Sealing form %1…").replace("%1", number), done)

    def _form_issued(self, issued: Any, step_done: str = "") -> None:
        from ui.dossiers.dialogs import form_names

        self.last_form = issued.path
        name = form_names().get(issued.number, issued.number)
        if issued.sealed:
            line = (self.tr("Form %1 (%2) issued, sealed and verified: %3").replace("%1", issued.number)
                    .replace("%2", name).replace("%3", str(issued.path)))
        else:
            line = self.tr("Form %1 (%2): %3").replace("%1", issued.number).replace("%2", name) \
                .replace("%3", str(issued.path))
        if issued.notices:
            line += "\n" + self._notices_line(issued.notices)
        self._say(f"{step_done}\n{line}" if step_done else line)
        if issued.fallback_reason:
            self._failed(self.message.text() + "\n" + self.tr("The administrator's template does not render; the "
                                                               "built-in one was used."))
        if self.open_forms and not issued.sealed:
            from ui.print_preview import print_pdf

            print_pdf(self, issued.path, self._failed, workers=self.workers,
                      printer=self.settings.receipt_printer)

    @Slot(object)
    def _signed(self, done: DossierSigning) -> None:
        if done.ok:
            self._say(self.tr("%n copy(ies) signed and verified; they are sent by themselves.", "",
                              len(done.verified)))
        else:
            left = ", ".join(o.filename for o in done.left + done.invalid)
            self._failed(self.tr("Signed: %1. Not signed: %2 — sign again to finish.")
                         .replace("%1", str(len(done.verified))).replace("%2", left))
