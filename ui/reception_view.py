"""Dossier reception: choose the procedure (and see which agency receives it), identify the
applicant, tick the components, receive (code + due date), print the receipt. All database
work runs in the db worker.

The receipt is form 01 issued through the one forms path (:class:`FormDesk`, the same as the
dossier page's Ctrl+P): at "Receive" its print preview opens by itself unless the workstation's
setting ``printers.receipt_at_receive`` is off; Ctrl+P here prints the last received one again.

The procedure list comes in the core's order (:meth:`CounterFavourites.listed`): with nothing
typed this counter's favourites (marked ★), this officer's recent procedures, the rest.
Ctrl+D, the star button, or the list's context menu marks or unmarks the chosen procedure
as a favourite of the counter; in the open list Ctrl+D marks the highlighted one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.auth import Actor
from desktop.catalogue import ProcedureInfo
from desktop.context import AppContext
from desktop.dossiers import ComponentInput, DossierView
from desktop.kernel.errors import InvalidInput
from desktop.kernel.taxcode import normalize_tax_code
from desktop.kernel.timeutil import to_vn
from desktop.workflow.counter import Contact
from desktop.workflow.favourites import ListedProcedure
from ui import file_dialogs
from ui.cccd_camera import CccdCameraDialog
from ui.workers import Pool, Task, Workers

if TYPE_CHECKING:
    from scanning.cccd import CitizenCard

#: the mark of a favourite procedure of this counter, in the list and on the star button
STAR, NO_STAR = "★", "☆"
#: the item data role that says whether a listed procedure is a favourite
FAVOURITE_ROLE = Qt.ItemDataRole.UserRole + 1


class ReceptionView(QWidget):
    #: a dossier was received (its code): the shell opens its page in the "Hồ sơ" area
    dossier_received = Signal(str)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *, workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor = actor
        #: the queue ticket being served that this reception is for (F7 on the counter panel)
        self.ticket_id: int | None = None
        self.ticket_label = QLabel()
        self.ticket_label.setObjectName("ticket")
        self.ticket_label.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.ticket_label.hide()
        self._procedures: list[ProcedureInfo] = []
        self._rows: list[ListedProcedure] = []
        self._shown_once = False
        self._offer_supplement = False
        self.last: DossierView | None = None
        #: the print preview opens for a receipt (tests switch this off: no dialog left open)
        self.open_receipts = True
        #: the last receipt issued here (form 01 of the last received dossier)
        self.last_receipt: Path | None = None
        self._tasks: set[Task] = set()

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search procedures (diacritics optional), e.g. dang ky khai sinh"))
        self.search.textChanged.connect(self._search)
        self.procedure = QComboBox()
        self.procedure.currentIndexChanged.connect(self._procedure_chosen)
        self.procedure.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.procedure.customContextMenuRequested.connect(self._procedure_menu)
        popup = self.procedure.view()
        popup.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        popup.customContextMenuRequested.connect(self._popup_menu)
        # in the open list, Ctrl+D marks the highlighted procedure (the popup is its own window)
        in_popup = QShortcut(QKeySequence("Ctrl+D"), popup)
        in_popup.setContext(Qt.ShortcutContext.WidgetShortcut)
        in_popup.activated.connect(self._toggle_highlighted)
        self.agency = QLabel()
        self.agency.setObjectName("agency")
        self.agency.setWordWrap(True)
        self.star = QToolButton()
        self.star.setObjectName("favourite")
        self.star.setCheckable(True)
        # Ctrl+D is the key: no extra Tab stop between the procedure and the applicant's name
        self.star.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.star.setText(NO_STAR)
        self.star.setStyleSheet("QToolButton { font-size: 14pt; color: #b8860b; }")
        self.star.setToolTip(self.tr("Favourite of this counter (Ctrl+D): listed first for every officer here"))
        self.star.setAccessibleName(self.tr("Favourite of this counter"))
        self.star.clicked.connect(lambda _checked: self.toggle_favourite())
        QShortcut(QKeySequence("Ctrl+D"), self, self.toggle_favourite)
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(12)
        self.id_number.editingFinished.connect(self.look_up_citizen)
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        # the organisation the applicant acts for: optional, one checkable group (unticked: a citizen's own dossier)
        self.organisation_box = QGroupBox(self.tr("Acting for an organisation"))
        self.organisation_box.setObjectName("organisation")
        self.organisation_box.setCheckable(True)
        self.organisation_box.setChecked(False)
        self.tax_code = QLineEdit()
        self.tax_code.setObjectName("tax_code")
        self.tax_code.setMaxLength(20)
        self.tax_code.setPlaceholderText(self.tr("10 digits, or 10-3 for a branch"))
        self.tax_code.editingFinished.connect(self.check_tax_code)
        self.organisation = QLineEdit()
        self.organisation.setObjectName("organisation_name")
        self.organisation.setMaxLength(300)
        self.channel = QComboBox()
        self.channel.addItem(self.tr("In person"), 1)
        self.channel.addItem(self.tr("Online"), 2)
        self.channel.addItem(self.tr("Public postal service"), 3)
        self.cccd_button = QPushButton(self.tr("Image file…"))
        self.cccd_button.setToolTip(self.tr("Read the card's QR from a photo or scan saved as an image"))
        self.cccd_button.clicked.connect(self._read_cccd)
        self.camera_button = QPushButton(self.tr("Camera… (Ctrl+I)"))
        self.camera_button.setToolTip(self.tr("Hold the card's QR in front of the camera: it is read as soon as "
                                              "it is in view"))
        self.camera_button.clicked.connect(self.read_cccd_camera)
        QShortcut(QKeySequence("Ctrl+I"), self, self.read_cccd_camera)
        self.scanner_button = QPushButton(self.tr("Scanner (Ctrl+Shift+I)"))
        self.scanner_button.setObjectName("cccd_scanner")
        self.scanner_button.setToolTip(self.tr("Lay the card face down on the scanner's glass: one page is "
                                               "scanned and the card's QR read from it"))
        self.scanner_button.clicked.connect(self.read_cccd_scanner)
        QShortcut(QKeySequence("Ctrl+Shift+I"), self, self.read_cccd_scanner)
        self.components = QListWidget()
        self.receive_button = QPushButton(self.tr("Receive dossier"))
        self.receive_button.setObjectName("receive")
        self.receive_button.clicked.connect(self.receive)
        self.supplement_button = QPushButton(self.tr("Receive and request the missing components"))
        self.supplement_button.setObjectName("receive_supplement")
        self.supplement_button.setToolTip(self.tr("Receives the dossier and issues the request to complete it "
                                                  "(form 02) for the required components not brought."))
        self.supplement_button.hide()
        self.supplement_button.clicked.connect(lambda: self.receive(supplement=True))
        QShortcut(QKeySequence("Ctrl+Return"), self, self.receive)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_receipt)
        self.receipt_button = QPushButton(self.tr("Receipt (Ctrl+P)"))
        self.receipt_button.setEnabled(False)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        proc_box = QGroupBox(self.tr("Procedure"))
        pl = QVBoxLayout(proc_box)
        pl.addWidget(self.search)
        chosen = QHBoxLayout()
        chosen.addWidget(self.procedure, 1)
        chosen.addWidget(self.star)
        pl.addLayout(chosen)
        pl.addWidget(self.agency)
        app_box = QGroupBox(self.tr("Applicant"))
        form = QFormLayout(app_box)
        form.addRow(self.tr("Full name"), self.name)
        form.addRow(self.tr("ID number (CCCD)"), self.id_number)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Email"), self.email)
        form.addRow(self.tr("Channel"), self.channel)
        cccd_row = QHBoxLayout()
        cccd_row.addWidget(self.camera_button)
        cccd_row.addWidget(self.scanner_button)
        cccd_row.addWidget(self.cccd_button)
        form.addRow(self.tr("Read the CCCD"), cccd_row)
        org_form = QFormLayout(self.organisation_box)
        org_form.setContentsMargins(6, 2, 6, 2)
        org_form.addRow(self.tr("Tax code"), self.tax_code)
        org_form.addRow(self.tr("Organisation"), self.organisation)
        comp_box = QGroupBox(self.tr("Components received"))
        cl = QVBoxLayout(comp_box)
        cl.addWidget(self.components)
        left = QVBoxLayout()
        left.addWidget(self.ticket_label)
        left.addWidget(proc_box)
        left.addWidget(app_box)
        left.addWidget(self.organisation_box)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.receive_button)
        buttons.addWidget(self.supplement_button)
        buttons.addWidget(self.receipt_button)
        right = QVBoxLayout()
        right.addWidget(comp_box, 1)
        right.addLayout(buttons)
        right.addWidget(self.result)
        lay = QHBoxLayout(self)
        lay.addLayout(left, 1)
        lay.addLayout(right, 1)
        self._search("")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # favourites marked meanwhile by the counter's other officers, on another machine or
        # with `motcua catalogue favourite`, are shown when the officer comes back here
        if self._shown_once and not event.spontaneous():
            self.refresh_procedures()
        self._shown_once = True

    def refresh_procedures(self) -> None:
        """List the procedures again for what is typed, the chosen one (and its ticks) kept."""
        self._list(self.search.text(), self.procedure.currentData())

    def _run(self, fn, on_success, pool_name: Pool = Pool.DB):
        task = self.workers.submit(lambda cancel, progress: fn(), pool_name=pool_name, name="reception")
        self._tasks.add(task)
        task.succeeded.connect(on_success)
        task.failed.connect(self._failed)
        task.finished.connect(lambda: self._tasks.discard(task))
        return task

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.result.setStyleSheet("color: #b00020;")
        self.result.setText(message)

    @Slot(str)
    def _search(self, text: str) -> None:
        self._list(text)

    def _list(self, text: str, keep: str | None = None) -> None:
        """List the procedures for ``text`` in the core's order; ``keep``: the code to leave
        chosen, its ticked components untouched (after a favourite was toggled), otherwise
        the first row is chosen."""
        favourites, actor = self.ctx.favourites, self.actor
        self._run(lambda: favourites.listed(actor, text.strip()), lambda rows: self._show_procedures(rows, keep))

    @Slot(object)
    def _show_procedures(self, rows: list[ListedProcedure], keep: str | None = None) -> None:
        self._rows = rows
        self._procedures = [r.info for r in rows]
        self.procedure.blockSignals(True)
        self.procedure.clear()
        for r in rows:
            mark = f"{STAR} " if r.favourite else ""
            self.procedure.addItem(f"{mark}{r.info.name} ({r.code})", r.code)
            self.procedure.setItemData(self.procedure.count() - 1, r.favourite, FAVOURITE_ROLE)
        kept = self.procedure.findData(keep) if keep is not None else -1
        if kept >= 0:
            self.procedure.setCurrentIndex(kept)
        self.procedure.blockSignals(False)
        if kept >= 0:
            self._show_star(kept)  # the same procedure: what the officer ticked stays ticked
        else:
            self._procedure_chosen(0)

    def is_favourite(self, index: int) -> bool:
        return 0 <= index < len(self._rows) and self._rows[index].favourite

    @Slot()
    def toggle_favourite(self) -> None:
        """Mark or unmark the chosen procedure as a favourite of this counter (Ctrl+D, the star)."""
        code = self.procedure.currentData()
        if not code:
            self.star.setChecked(False)
            return
        self.toggle_code(code)

    def toggle_code(self, code: str) -> None:
        """Mark or unmark ``code``; the list is read again with the chosen procedure kept."""
        favourites, actor, keep = self.ctx.favourites, self.actor, self.procedure.currentData()
        self.star.setEnabled(False)
        task = self._run(lambda: favourites.toggle(actor, code), lambda _now: self._list(self.search.text(), keep))
        task.finished.connect(lambda: self.star.setEnabled(True))
        task.failed.connect(lambda _m: self._show_star(self.procedure.currentIndex()))

    @Slot()
    def _toggle_highlighted(self) -> None:
        index = self.procedure.view().currentIndex()
        if index.isValid():
            self.toggle_code(self.procedure.itemData(index.row()))

    def favourite_menu(self, row: int) -> QMenu | None:
        """The context menu of the listed procedure ``row``: mark or unmark it."""
        code = self.procedure.itemData(row)
        if not code:
            return None
        menu = QMenu(self)
        text = (self.tr("Remove from this counter's favourites") if self.is_favourite(row)
                else self.tr("Add to this counter's favourites"))
        action = menu.addAction(f"{STAR} {text}")
        action.setObjectName("toggle_favourite")
        action.setShortcut(QKeySequence("Ctrl+D"))
        action.triggered.connect(lambda: self.toggle_code(code))
        return menu

    def _open_menu(self, row: int, at: QPoint) -> None:
        menu = self.favourite_menu(row)
        if menu is not None:
            menu.exec(at)
            menu.deleteLater()

    @Slot(QPoint)
    def _procedure_menu(self, pos: QPoint) -> None:
        self._open_menu(self.procedure.currentIndex(), self.procedure.mapToGlobal(pos))

    @Slot(QPoint)
    def _popup_menu(self, pos: QPoint) -> None:
        view: QAbstractItemView = self.procedure.view()
        index: QModelIndex = view.indexAt(pos)
        if index.isValid():
            self._open_menu(index.row(), view.viewport().mapToGlobal(pos))

    def _show_star(self, index: int) -> None:
        on = self.is_favourite(index)
        self.star.setChecked(on)
        self.star.setText(STAR if on else NO_STAR)

    @Slot(int)
    def _procedure_chosen(self, index: int) -> None:
        self.components.clear()
        self._show_star(index)
        if not (0 <= index < len(self._procedures)):
            self.agency.setText("")
            return
        self._show_agency(self._procedures[index])
        for comp in self._procedures[index].components:
            item = QListWidgetItem(comp.name + ("" if comp.required else self.tr(" (if any)")))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if comp.required else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, comp)
            self.components.addItem(item)

    def _show_agency(self, info: ProcedureInfo) -> None:
        """Which agency receives this procedure (its code begins the dossier code): a postal
        agent receiving for many departments sees whose dossier it will be before "Receive"."""
        agency = self.ctx.counter.receiving_agency(info)
        text = self.tr("Received by: %1 (%2)") if agency.from_catalogue else \
            self.tr("Received by: %1 (%2), this workstation's unit")
        self.agency.setText(text.replace("%1", agency.name).replace("%2", agency.code))

    @Slot()
    def _read_cccd(self) -> None:
        path = file_dialogs.open_file_name(self, self.tr("CCCD image"), self.ctx.settings,
                                           self.tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)"))
        if path:
            self.read_cccd_file(Path(path))

    @Slot()
    def read_cccd_camera(self) -> CccdCameraDialog:
        """The live camera reader; the fields fill in when it closes with a card."""
        dialog = CccdCameraDialog(self, workers=self.workers)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._fill_from_cccd(dialog.card) if dialog.card is not None else None)
        dialog.open()
        return dialog

    @Slot()
    def read_cccd_scanner(self) -> None:
        """One page scanned on the workstation's scanner (the one with a glass), the card's QR
        read from it on a worker; the fields fill in as from the camera or a file."""
        if not self.scanner_button.isEnabled():
            return  # a scan is under way
        from scanning.cccd import scan_cccd_on
        from ui.scan_sources import find_sources

        def work() -> CitizenCard:
            found = find_sources(None, None)
            return scan_cccd_on(found.sources, found.capabilities, found.problems)

        self.scanner_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Scanning the card…"))
        task = self._run(work, self._scanned_card, pool_name=Pool.GENERAL)
        task.finished.connect(lambda: self.scanner_button.setEnabled(True))

    @Slot(object)
    def _scanned_card(self, card: CitizenCard) -> None:
        self.result.setText("")
        self._fill_from_cccd(card)

    def read_cccd_file(self, path: Path) -> None:
        from scanning.cccd import read_cccd

        self._run(lambda: read_cccd(path), self._fill_from_cccd, pool_name=Pool.GENERAL)

    @Slot(object)
    def _fill_from_cccd(self, card: CitizenCard) -> None:
        self.name.setText(card.name)
        self.id_number.setText(card.id_number)
        self.address.setText(card.address)
        self.look_up_citizen()

    @Slot()
    def look_up_citizen(self) -> None:
        """A returning citizen (same ID number): their last phone, e-mail and address fill the
        fields still empty, to be confirmed rather than typed again."""
        counter, actor, id_number = self.ctx.counter, self.actor, self.id_number.text()
        self._run(lambda: counter.last_contact(actor, id_number), self._fill_contact)

    @Slot(object)
    def _fill_contact(self, contact: Contact | None) -> None:
        if contact is None or self.id_number.text().strip() == "":
            return
        filled = []
        for field, value in ((self.name, contact.name), (self.address, contact.address), (self.phone, contact.phone),
                             (self.email, contact.email)):
            if value and not field.text().strip():
                field.setText(value)
                filled.append(field)
        if filled:
            self.result.setStyleSheet("")
            self.result.setText(self.tr("Returning citizen: the contact details of dossier %1 were filled in; "
                                        "check them with the citizen.").replace("%1", contact.dossier))

    def checked_components(self) -> list[ComponentInput]:
        out = []
        for i in range(self.components.count()):
            item = self.components.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                comp = item.data(Qt.ItemDataRole.UserRole)
                out.append(ComponentInput(name=comp.name, code=comp.code, copy_kind=comp.copy_kind,
                                          quantity=comp.quantity))
        return out

    def set_ticket(self, ticket_id: int | None, number: str = "") -> None:
        """Receive for the citizen of this ticket (linked in the database; refused if it already has a dossier)."""
        self.ticket_id = ticket_id
        self.ticket_label.setVisible(ticket_id is not None)
        self.ticket_label.setText(self.tr("Receiving for ticket %1").replace("%1", number))
        self.result.setText("")
        self.name.setFocus()

    def brought_codes(self) -> list[str]:
        return [c.code for c in self.checked_components()]

    @Slot()
    def receive(self, supplement: bool = False) -> None:
        code = self.procedure.currentData()
        if not code:
            self._failed(self.tr("Choose a procedure first."))
            return
        missing = [self.components.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.components.count())
                   if self.components.item(i).checkState() != Qt.CheckState.Checked]
        reason = self.tr("Missing: %1").replace("%1", "; ".join(c.name for c in missing if c.required))
        kwargs = dict(procedure_code=code, applicant_name=self.name.text(), applicant_id_number=self.id_number.text().strip(),
                      applicant_address=self.address.text(), applicant_phone=self.phone.text(),
                      applicant_email=self.email.text(), channel=self.channel.currentData(),
                      brought=self.brought_codes(), ticket_id=self.ticket_id, **self.organisation_fields(),
                      supplement_reason=reason if supplement else "")
        counter, actor = self.ctx.counter, self.actor
        self.receive_button.setEnabled(False)
        self.supplement_button.setEnabled(False)
        task = self._run(lambda: counter.receive(actor, **kwargs), self._received)
        # offered when reception was refused for a required component not brought; a slot of
        # this view, not a lambda, so it runs with the refusal's message, never after it
        self._offer_supplement = any(c.required for c in missing) and not supplement
        task.failed.connect(self._receive_refused)
        task.finished.connect(self._receive_done)

    def organisation_fields(self) -> dict[str, str]:
        """The organisation the applicant acts for, when the group is ticked (checked by the core)."""
        if not self.organisation_box.isChecked():
            return {}
        return {"organisation_tax_code": self.tax_code.text(), "organisation_name": self.organisation.text()}

    @Slot()
    def check_tax_code(self) -> None:
        """The tax code as it will be stored, or the core's reason (a wrong check digit) at once."""
        try:
            code = normalize_tax_code(self.tax_code.text())
        except InvalidInput as exc:
            self._failed(str(exc))
            return
        self.tax_code.setText(code)

    @Slot(str)
    def _receive_refused(self, _message: str) -> None:
        self.supplement_button.setVisible(self._offer_supplement)

    @Slot()
    def _receive_done(self) -> None:
        self.receive_button.setEnabled(True)
        self.supplement_button.setEnabled(True)

    @Slot(object)
    def _received(self, d: DossierView) -> None:
        self.last = d
        self.supplement_button.hide()
        self.ticket_id = None
        self.ticket_label.hide()
        self.dossier_received.emit(d.code)
        due = to_vn(d.due_at).strftime("%H:%M %d/%m/%Y") if d.due_at else "—"
        self.result.setStyleSheet("color: #1b5e20; font-size: 13pt;")
        self.result.setText(self.tr("Received: %1 — result due %2").replace("%1", d.code).replace("%2", due))
        self.receipt_button.setEnabled(True)
        self.last_receipt = None
        if self.ctx.settings.receipt_at_receive:  # the citizen is handed the receipt every time
            self.print_receipt()
        self.refresh_procedures()  # this officer's recent procedures: the one just received first

    @Slot()
    def print_receipt(self) -> None:
        """Form 01 of the last received dossier, issued (recorded on the dossier) and opened in
        the print preview; rendered on the db worker, its pages on a worker: the screen never waits."""
        if self.last is None:
            return
        desk, actor, code = self.ctx.form_desk, self.actor, self.last.code
        self._run(lambda: desk.issue(actor, "01", code).path, self._receipt_written)

    @Slot(object)
    def _receipt_written(self, path: Path) -> None:
        self.last_receipt = path
        self.result.setText(self.result.text() + "\n" + self.tr("Receipt: %1").replace("%1", str(path)))
        if self.open_receipts:  # Qt's print dialog with a preview, in the application
            from ui.print_preview import print_pdf

            print_pdf(self, path, self._failed, workers=self.workers, printer=self.ctx.settings.receipt_printer)
