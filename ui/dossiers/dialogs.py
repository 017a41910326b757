"""The dossier page's small dialogs: requesting a supplement (which components, why),
returning the result at the counter (the recipient's ID, or a proxy with an authorization
letter), the result's validity, recording a payment, and choosing a form to print or to issue electronically.

They only collect answers; the core checks them (an ID that does not match and no letter,
a receipt method that does not exist) and its refusal is shown on the page as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from ui.workers import Pool, Task, Workers


def ok_cancel(dlg: QDialog) -> QDialogButtonBox:
    """OK and Cancel, wired to the dialog's accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dlg.accept)
    buttons.rejected.connect(dlg.reject)
    return buttons


def _lay_out(dlg: QDialog, form: QFormLayout) -> None:
    """The usual question dialog: its form, then OK and Cancel."""
    lay = QVBoxLayout(dlg)
    lay.addLayout(form)
    lay.addWidget(ok_cancel(dlg))


def answered(dlg: QDialog) -> bool:
    """Run ``dlg`` modally and let it go: True if the officer accepted (read its answer now,
    before the event loop turns). Each use builds a new dialog, a hidden child of the page
    that would otherwise stay for the whole day."""
    try:
        return dlg.exec() == QDialog.DialogCode.Accepted
    finally:
        dlg.deleteLater()


@dataclass(frozen=True)
class ReturnAnswer:
    channel: str  # counter | online (the post has its own steps)
    id_number: str
    recipient_name: str = ""
    #: the authorization letter: one PDF taken as it is, or its pages (photos, scans) to digitize
    proxy_files: tuple[Path, ...] = ()


class ReturnDialog(QDialog):
    """Who takes the result: the applicant (ID checked) or a proxy (name, ID, letter)."""

    def __init__(self, parent: QWidget | None, settings: Settings, applicant: str, applicant_id: str, *,
                 workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.setObjectName("return_dialog")
        self.setWindowTitle(self.tr("Return the result"))
        self.setMinimumWidth(560)
        self.settings = settings
        self.proxy_paths: list[Path] = []
        self.card_task: Task | None = None  # the card read running, if any
        self.channel = QComboBox()
        self.channel.addItem(self.tr("At the counter"), "counter")
        self.channel.addItem(self.tr("Online (the signed result through the dossier system)"), "online")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("return_id")
        self.id_number.setMaxLength(12)
        self.id_number.setPlaceholderText(self.tr("12 digits, from the card in hand"))
        self.card_button = QPushButton(self.tr("Read the card (photo or scan)…"))
        self.card_button.setObjectName("return_card")
        self.card_button.clicked.connect(self.choose_card)
        self.card_note = QLabel()
        self.card_note.setWordWrap(True)
        self.card_note.hide()  # until a card is read
        self.proxy = QCheckBox(self.tr("Someone else collects it, with an authorization letter"))
        self.proxy.setObjectName("return_proxy")
        self.recipient = QLineEdit()
        self.recipient.setObjectName("return_recipient")
        self.letter = QLabel(self.tr("No letter chosen"))
        self.letter.setObjectName("return_letter")
        self.letter_button = QPushButton(self.tr("Authorization letter (PDF or photos)…"))
        self.letter_button.clicked.connect(self.choose_letter)
        form = QFormLayout()
        # shown whole, as in the page's header: the officer compares it with the card in hand
        form.addRow(self.tr("Applicant:"), QLabel(f"<b>{applicant}</b> ({applicant_id or '—'})"))
        form.addRow(self.tr("Channel:"), self.channel)
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_number, 1)
        id_row.addWidget(self.card_button)
        form.addRow(self.tr("Recipient's ID number:"), id_row)
        form.addRow(self.card_note)
        form.addRow(self.proxy)
        form.addRow(self.tr("Proxy's full name:"), self.recipient)
        row = QHBoxLayout()
        row.addWidget(self.letter_button)
        row.addWidget(self.letter, 1)
        form.addRow(row)
        _lay_out(self, form)
        self.channel.currentIndexChanged.connect(self._update)
        self.proxy.toggled.connect(self._update)
        self._update()
        self.id_number.setFocus()  # the officer types (or reads) the card's number first; Enter returns

    @Slot()
    def _update(self) -> None:
        counter = self.channel.currentData() == "counter"
        proxy = counter and self.proxy.isChecked()
        self.id_number.setEnabled(counter)
        self.proxy.setEnabled(counter)
        for w in (self.recipient, self.letter_button, self.letter):
            w.setEnabled(proxy)

    @Slot()
    def choose_card(self) -> None:
        from ui.file_dialogs import open_file_names

        names = open_file_names(self, self.tr("The recipient's CCCD"), self.settings,
                                self.tr("Images (*.png *.jpg *.jpeg *.tif *.tiff)"))
        if names:
            self.read_card(Path(names[0]))

    def read_card(self, path: Path) -> None:
        """The card's QR code read on a worker: its ID number fills the field (and the proxy's name)."""
        from scanning.cccd import read_cccd

        self.card_button.setEnabled(False)
        self.card_note.setStyleSheet("")
        self.card_note.setText(self.tr("Reading the card…"))
        self.card_note.show()
        # bound slots, not lambdas: Qt drops them with the dialog, so a read that ends after
        # the officer closed it (and the page deleted it) reaches nothing
        self.card_task = self.workers.run(lambda c, p: read_cccd(path), on_success=self._card_read,
                                          on_failure=self._card_failed, pool_name=Pool.GENERAL, name="return cccd")
        self.card_task.finished.connect(self._card_done)

    @Slot()
    def _card_done(self) -> None:
        self.card_task = None
        self.card_button.setEnabled(True)

    def done(self, r: int) -> None:
        """Closing, however it happens, cancels a card read still running."""
        if self.card_task is not None:
            self.card_task.cancel()
        super().done(r)

    @Slot(object)
    def _card_read(self, card: Any) -> None:
        self.id_number.setText(card.id_number)
        if self.proxy.isChecked() and not self.recipient.text().strip():
            self.recipient.setText(card.name)
        self.card_note.setText(self.tr("Read from the card: %1").replace("%1", card.name))

    @Slot(str)
    def _card_failed(self, message: str) -> None:
        self.card_note.setStyleSheet("color: #b00020;")
        self.card_note.setText(message)

    @Slot()
    def choose_letter(self) -> None:
        from ui.file_dialogs import open_file_names

        names = open_file_names(self, self.tr("The authorization letter: its PDF, or photos or scans of its pages"),
                                self.settings, self.tr("PDF and images (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"))
        if names:
            self.set_letter(*(Path(n) for n in names))

    def set_letter(self, *paths: Path) -> None:
        """One PDF, or the pages of the letter in order (digitized before the result is returned)."""
        self.proxy_paths = list(paths)
        if not paths:
            self.letter.setText(self.tr("No letter chosen"))
        elif len(paths) == 1:
            self.letter.setText(paths[0].name)
        else:
            self.letter.setText(self.tr("%1 and %n more page(s)", "", len(paths) - 1).replace("%1", paths[0].name))

    def answer(self) -> ReturnAnswer:
        if self.channel.currentData() != "counter":
            return ReturnAnswer("online", "")
        proxy = self.proxy.isChecked()
        return ReturnAnswer("counter", self.id_number.text().strip(),
                            self.recipient.text().strip() if proxy else "", tuple(self.proxy_paths) if proxy else ())


@dataclass(frozen=True)
class SupplementAnswer:
    reason: str
    components: list[str]


class SupplementDialog(QDialog):
    """What the citizen must bring or correct (form 02 lists it), and why."""

    def __init__(self, parent: QWidget | None, components: list[tuple[str, str, bool]]) -> None:
        """``components``: (code, name, flagged) — flagged ones (not brought, signature
        failed) are ticked to start with."""
        super().__init__(parent)
        self.setObjectName("supplement_dialog")
        self.setWindowTitle(self.tr("Request a supplement"))
        self.setMinimumWidth(720)  # the components' names are long (a whole legal title each)
        self.list = QListWidget()
        self.list.setObjectName("supplement_components")
        for code, name, flagged in components:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if flagged else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.reason = QLineEdit()
        self.reason.setObjectName("supplement_reason")
        self.reason.setPlaceholderText(self.tr("what is missing or must be corrected (required)"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Components to supplement (printed on form 02):")))
        lay.addWidget(self.list, 1)
        lay.addWidget(QLabel(self.tr("Reason:")))
        lay.addWidget(self.reason)
        lay.addWidget(ok_cancel(self))
        self.reason.setFocus()

    def answer(self) -> SupplementAnswer:
        chosen = [str(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
                  if self.list.item(i).checkState() == Qt.CheckState.Checked]
        return SupplementAnswer(self.reason.text(), chosen)


@dataclass(frozen=True)
class HandoffAnswer:
    department: str
    receiver: str
    hours: float | None  # the step's allotted working hours (None: no time set)
    note: str


class HandoffDialog(QDialog):
    """Where the dossier goes (a row of the control sheet, form 06): the department, picked
    from the ones used lately or typed, who receives it, the step's working hours, a note."""

    def __init__(self, parent: QWidget | None, departments: tuple[str, ...], *, first: bool) -> None:
        """``first``: the counter sends it for processing (the receiver may be left to the
        department); otherwise a step inside processing, whose receiver is required."""
        super().__init__(parent)
        self.setObjectName("handoff_dialog")
        self.setWindowTitle(self.tr("Send for processing") if first else self.tr("Hand off"))
        self.setMinimumWidth(520)
        self.department = QComboBox()
        self.department.setObjectName("handoff_department")
        self.department.setEditable(True)
        self.department.addItems(list(departments))
        edit = self.department.lineEdit()
        if edit is not None:  # always, being editable
            edit.setPlaceholderText(self.tr("the department or agency"))
        self.receiver = QLineEdit()
        self.receiver.setObjectName("handoff_receiver")
        self.receiver.setPlaceholderText(self.tr("optional: the department assigns it") if first
                                         else self.tr("required"))
        self.hours = QDoubleSpinBox()
        self.hours.setObjectName("handoff_hours")
        self.hours.setRange(0, 2000)
        self.hours.setDecimals(1)
        self.hours.setSingleStep(4)
        self.hours.setSpecialValueText(self.tr("no time set"))  # shown at 0
        self.hours.setSuffix(self.tr(" working hours"))
        self.note = QLineEdit()
        self.note.setObjectName("handoff_note")
        form = QFormLayout()
        form.addRow(self.tr("Department:"), self.department)
        form.addRow(self.tr("Receiver:"), self.receiver)
        form.addRow(self.tr("Time for the step:"), self.hours)
        form.addRow(self.tr("Note:"), self.note)
        _lay_out(self, form)
        # the counter's usual department is the latest one, already chosen: Enter sends it there
        (self.department if first else self.receiver).setFocus()

    def answer(self) -> HandoffAnswer:
        hours = self.hours.value()
        return HandoffAnswer(self.department.currentText().strip(), self.receiver.text().strip(),
                             hours if hours > 0 else None, self.note.text().strip())


@dataclass(frozen=True)
class FeeAnswer:
    method: str  # cash | transfer | online
    receipt_ref: str


class FeeDialog(QDialog):
    def __init__(self, parent: QWidget | None, amount: int) -> None:
        super().__init__(parent)
        self.setObjectName("fee_dialog")
        self.setWindowTitle(self.tr("Fee paid"))
        self.setMinimumWidth(460)
        self.method = QComboBox()
        for text, value in ((self.tr("Cash"), "cash"), (self.tr("Bank transfer"), "transfer"),
                            (self.tr("Online payment"), "online")):
            self.method.addItem(text, value)
        self.receipt = QLineEdit()
        self.receipt.setObjectName("fee_receipt")
        self.receipt.setPlaceholderText(self.tr("the e-receipt's or transfer's reference"))
        form = QFormLayout()
        form.addRow(self.tr("Amount due:"), QLabel("<b>" + f"{amount:,}".replace(",", ".") + " đ</b>"))
        form.addRow(self.tr("Paid by:"), self.method)
        form.addRow(self.tr("Receipt reference:"), self.receipt)
        _lay_out(self, form)

    def answer(self) -> FeeAnswer:
        return FeeAnswer(str(self.method.currentData()), self.receipt.text().strip())


@dataclass(frozen=True)
class ResultAnswer:
    #: the PDF is a scan of the paper result (digitized first)
    scanned: bool
    #: the last day the result is valid; None: no end date
    valid_until: date | None


class ResultDialog(QDialog):
    """The result's validity (an end date, or "no end date"; the catalogue's default first)
    and, for one PDF, whether it is a scan of the paper result. The core refuses a date before
    the result's and puts the validity into the result's QR code and the citizen's store."""

    def __init__(self, parent: QWidget | None, *, default: date | None, ask_scanned: bool, today: date) -> None:
        super().__init__(parent)
        self.setObjectName("result_dialog")
        self.setWindowTitle(self.tr("The result"))
        self.setMinimumWidth(460)
        self.valid = QDateEdit()
        self.valid.setObjectName("result_valid_until")
        self.valid.setCalendarPopup(True)
        self.valid.setDisplayFormat("dd/MM/yyyy")
        d = default or today
        self.valid.setDate(QDate(d.year, d.month, d.day))
        self.no_end = QCheckBox(self.tr("No end date"))
        self.no_end.setObjectName("result_no_end")
        self.no_end.toggled.connect(self._no_end)
        self.no_end.setChecked(default is None)
        self.scanned = QCheckBox(self.tr("This PDF is a scan of the paper result (digitized: clean-up, OCR, PDF/A)"))
        self.scanned.setObjectName("result_scanned")
        self.scanned.setVisible(ask_scanned)
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.valid)
        row.addWidget(self.no_end)
        form.addRow(self.tr("Valid until:"), row)
        form.addRow(self.scanned)
        _lay_out(self, form)

    @Slot(bool)
    def _no_end(self, checked: bool) -> None:
        self.valid.setEnabled(not checked)

    def answer(self) -> ResultAnswer:
        q = self.valid.date()
        return ResultAnswer(self.scanned.isChecked(), None if self.no_end.isChecked() else date(q.year(), q.month(), q.day()))


class FormsDialog(QDialog):
    """The forms this dossier has content for: preview and print one (Enter), issue it as an
    electronic form sealed with the organization's signature, or send the issued one to the
    citizen (e-mail, and SMS where the centre has a gateway; Ctrl+E)."""

    #: what the officer chose: "print", "seal" or "send"
    PRINT, SEAL, SEND = "print", "seal", "send"
    #: the forms that go to the citizen (desktop.outbox.notices.CITIZEN_FORMS)
    CITIZEN = ("01", "02", "03", "04", "05")

    def __init__(self, parent: QWidget | None, numbers: list[str], *, may_seal: bool) -> None:
        super().__init__(parent)
        self.setObjectName("forms_dialog")
        self.setWindowTitle(self.tr("Forms of this dossier"))
        self.setMinimumWidth(560)
        self.choice = ""
        names = form_names()
        self.list = QListWidget()
        self.list.setObjectName("forms_list")
        for n in numbers:
            item = QListWidgetItem(f"{n} — {names.get(n, n)}")
            item.setData(Qt.ItemDataRole.UserRole, n)
            self.list.addItem(item)
        if numbers:
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _i: self._choose(self.PRINT))
        self.print_button = QPushButton(self.tr("Preview and print (Enter)"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(lambda: self._choose(self.PRINT))
        self.seal_button = QPushButton(self.tr("Issue electronically, sealed…"))
        self.seal_button.setObjectName("forms_seal")
        self.seal_button.setEnabled(may_seal and bool(numbers))
        if not may_seal:
            self.seal_button.setToolTip(self.tr("Only the agency's officers seal forms with the organization's signature."))
        self.seal_button.clicked.connect(lambda: self._choose(self.SEAL))
        self.send_button = QPushButton(self.tr("Send to the citizen (Ctrl+E)"))
        self.send_button.setObjectName("forms_send")
        self.send_button.setShortcut(QKeySequence("Ctrl+E"))
        self.send_button.setToolTip(self.tr("E-mail the last issued copy to the citizen (and an SMS where a gateway "
                                            "is configured); the outbox sends it and the history records it."))
        self.send_button.clicked.connect(lambda: self._choose(self.SEND))
        self.list.currentItemChanged.connect(lambda *_: self._update_send())
        self._update_send()
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        for b in (self.print_button, self.seal_button, self.send_button, close):
            row.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.list)
        lay.addLayout(row)

    def _update_send(self) -> None:
        self.send_button.setEnabled(self.selected() in self.CITIZEN)

    def _choose(self, what: str) -> None:
        if self.selected() is None or (what == self.SEAL and not self.seal_button.isEnabled()) \
                or (what == self.SEND and not self.send_button.isEnabled()):
            return
        self.choice = what
        self.accept()

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def form_names() -> dict[str, str]:
    """The forms of Circular 03/2025 by number, in the officer's language."""
    return {"01": QCoreApplication.translate("FormsDialog", "Receipt and appointment slip"),
            "02": QCoreApplication.translate("FormsDialog", "Request to supplement the dossier"),
            "03": QCoreApplication.translate("FormsDialog", "Refusal to receive"),
            "04": QCoreApplication.translate("FormsDialog", "Apology and extension of the time"),
            "05": QCoreApplication.translate("FormsDialog", "Notice of stopping"),
            "06": QCoreApplication.translate("FormsDialog", "Process control sheet"),
            "07": QCoreApplication.translate("FormsDialog", "Dossier register")}


__all__ = ["FeeAnswer", "FeeDialog", "FormsDialog", "ReturnAnswer", "ReturnDialog", "SupplementAnswer",
           "SupplementDialog", "form_names"]
