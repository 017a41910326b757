"""Settings of this workstation (the user's motcua.toml): language, unit, database, dossier system, token, counter,
printers, and the protection of personal data (retention period, encryption of the embedded database).

The installed printers are asked of the system (CUPS' ``lpstat``, Windows' spooler) on a
worker, never on the UI thread: a CUPS server that is slow to answer must not freeze the
screen. The printer boxes show the settings' values at once and get the list when it comes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.printers import RECEIPTS_KEY, TICKETS_KEY, choose_printer, installed_printers
from desktop.settings_service import MAX_RETENTION_DAYS, SettingsChange
from signing.modules import discover_modules
from ui.workers import Pool, Workers


class SettingsView(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *, workers: Workers,
                 list_printers: Callable[[], list[str] | None] = installed_printers) -> None:
        """``list_printers``: the installed printers' names, None when they cannot be told (run on a worker)."""
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.service = ctx.settings_service
        self.actor = actor
        s = ctx.settings
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if s.language != "en" else 1)
        self.unit_code = QLineEdit(s.unit_code)
        self.unit_code.setPlaceholderText("000.00.06.H56")
        self.db_url = QLineEdit(s.db_url)
        self.db_url.setPlaceholderText(s.resolved_db_url())
        self.dossier_url = QLineEdit(s.dossier_url)
        self.dossier_url.setPlaceholderText(s.resolved_dossier_url())
        # the vendors' modules found in their usual places are offered; any other path can be typed
        self.pkcs11 = QComboBox()
        self.pkcs11.setEditable(True)
        for cand in discover_modules():
            self.pkcs11.addItem(cand.path)
            self.pkcs11.setItemData(self.pkcs11.count() - 1, cand.vendor, Qt.ItemDataRole.ToolTipRole)
        self.pkcs11.setCurrentText(s.pkcs11_module)
        edit = self.pkcs11.lineEdit()
        if edit is not None:  # always, the box being editable
            edit.setPlaceholderText("/usr/lib/…/libvnptca_p11.so · C:\\Windows\\System32\\eTPKCS11.dll")
        self.counter = QLineEdit(s.counter_number)
        self.scanner_profile = QLineEdit(s.scanner_profile)
        # the printers installed here are offered; a name can still be typed (a printer installed later,
        # or the workstation's settings prepared on another machine)
        #: the installed printers once read (None: not yet, or they cannot be told here)
        self.installed_printers: list[str] | None = None
        self.receipt_printer = self._printer_box(s.receipt_printer, "receipt_printer")
        self.receipt_at_receive = QCheckBox(self.tr("Open the receipt at Receive"))
        self.receipt_at_receive.setObjectName("receipt_at_receive")
        self.receipt_at_receive.setToolTip(self.tr("After “Receive”, the receipt (form 01) opens ready to print: "
                                                   "the citizen is handed one every time."))
        self.receipt_at_receive.setChecked(s.receipt_at_receive)
        self.ticket_printer = self._printer_box(s.ticket_printer, "ticket_printer")
        self.printers_note = QLabel(self.tr("Reading printers…"))
        self.printers_note.setObjectName("printers_note")
        box = QGroupBox(self.tr("This workstation"))
        form = QFormLayout(box)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Agency code (QCVN 102:2016)"), self.unit_code)
        form.addRow(self.tr("Database URL (empty: local SQLite)"), self.db_url)
        form.addRow(self.tr("Dossier system (file:// folder or https:// server)"), self.dossier_url)
        form.addRow(self.tr("Token PKCS#11 module"), self.pkcs11)
        form.addRow(self.tr("Counter number"), self.counter)
        form.addRow(self.tr("Scanner profile"), self.scanner_profile)
        receipts = QHBoxLayout()  # beside the printer: no row more, the screen stays within 1366×720
        receipts.addWidget(self.receipt_printer, 1)
        receipts.addWidget(self.receipt_at_receive)
        form.addRow(self.tr("Receipt printer"), receipts)
        tickets = QHBoxLayout()  # the note beside the box, not a row more
        tickets.addWidget(self.ticket_printer, 1)
        tickets.addWidget(self.printers_note)
        form.addRow(self.tr("Ticket printer (80 mm)"), tickets)
        form.addRow(self.tr("Settings file"), QLabel(str(s.config_path())))
        current = self.service.current()
        self.retention = QSpinBox()
        self.retention.setRange(0, MAX_RETENTION_DAYS)
        self.retention.setSuffix(self.tr(" days"))
        self.retention.setSpecialValueText(self.tr("kept (no automatic purge)"))
        self.retention.setValue(current.retention_days)
        self.retention.setToolTip(self.tr("The names, ID numbers, addresses and phones of dossiers closed longer "
                                          "ago are erased once a day by the open application."))
        self.encrypt = QCheckBox(self.tr("Encrypt the database on this workstation (SQLCipher)"))
        self.encrypt.setChecked(current.encrypt_db)
        self.embedded = not s.db_url or s.db_url.startswith("sqlite")
        self.encrypt.setEnabled(self.embedded)
        if not self.embedded:
            self.encrypt.setToolTip(self.tr("A server database relies on the server's storage encryption."))
        self.conversion = QLabel()
        self.conversion.setWordWrap(True)
        protection = QGroupBox(self.tr("Personal data"))
        pform = QFormLayout(protection)
        # where the personal data lives (here, not in the top box: the screen stays within 1366×720);
        # read-only text that can be copied, and a long path scrolls instead of widening the screen
        data_dir = QLineEdit(str(s.data_dir))
        data_dir.setReadOnly(True)
        data_dir.setCursorPosition(0)
        pform.addRow(self.tr("Data folder"), data_dir)
        pform.addRow(self.tr("Keep personal data of closed dossiers"), self.retention)
        pform.addRow(self.encrypt)
        pform.addRow(self.conversion)
        self._show_conversion()
        self._read_printers(list_printers)
        # notices to citizens (form 04 by e-mail and SMS); the passwords go to the keyring (CLI)
        self.smtp_host = QLineEdit(s.smtp_host)
        self.smtp_host.setPlaceholderText("mail.quynhon.gov.vn")
        self.smtp_port = QLineEdit(str(s.smtp_port))
        self.smtp_security = QComboBox()
        for value, label in (("starttls", "STARTTLS (587)"), ("ssl", "SSL/TLS (465)"), ("none", self.tr("none (a relay of the centre)"))):
            self.smtp_security.addItem(label, value)
        self.smtp_security.setCurrentIndex(max(0, self.smtp_security.findData(s.smtp_security)))
        self.smtp_ca_file = QLineEdit(s.smtp_ca_file)
        self.smtp_ca_file.setPlaceholderText(self.tr("empty: the system's certificates"))
        self.smtp_ca_file.setToolTip(self.tr("The PEM file of the CA that issued the mail server's certificate "
                                             "(often the province's own CA); only it is trusted for the server."))
        self.smtp_check_hostname = QCheckBox(self.tr("The certificate must name the mail server"))
        self.smtp_check_hostname.setChecked(s.smtp_check_hostname)
        self.smtp_user = QLineEdit(s.smtp_user)
        self.smtp_sender = QLineEdit(s.smtp_sender)
        self.smtp_sender.setPlaceholderText("Bộ phận Một cửa <motcua@quynhon.gov.vn>")
        self.sms_url = QLineEdit(s.sms_url)
        self.sms_url.setPlaceholderText("https://…")
        notices = QGroupBox(self.tr("Notices to citizens (form 04 by e-mail and SMS)"))
        nform = QFormLayout(notices)
        nform.addRow(self.tr("Mail server (SMTP)"), self.smtp_host)
        nform.addRow(self.tr("Port"), self.smtp_port)
        nform.addRow(self.tr("Security"), self.smtp_security)
        nform.addRow(self.tr("CA of the mail server (PEM)"), self.smtp_ca_file)
        nform.addRow(self.smtp_check_hostname)
        nform.addRow(self.tr("Mail login (empty: none)"), self.smtp_user)
        nform.addRow(self.tr("Sender (From)"), self.smtp_sender)
        nform.addRow(self.tr("SMS gateway URL (empty: no SMS)"), self.sms_url)
        secrets = QLabel(self.tr("Passwords stay in the system keyring: motcua config set smtp.password - · "
                                 "motcua config set sms.token -"))
        secrets.setWordWrap(True)
        nform.addRow(secrets)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(box)
        groups = QHBoxLayout()  # side by side: the screen stays within 1366×768
        groups.addWidget(notices, 1)
        groups.addWidget(protection, 1)
        lay.addLayout(groups)
        save_row = QHBoxLayout()  # what the save said beside it: a row less, the screen within 1366×720
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.status, 1)
        lay.addLayout(save_row)
        lay.addStretch(1)

    def _printer_box(self, current: str, name: str) -> QComboBox:
        """An editable list of the installed printers (filled when they are read), showing the
        setting's value even when that printer is not installed here (the print preview and
        ``motcua config check`` say so)."""
        box = QComboBox()
        box.setObjectName(name)
        box.setEditable(True)
        box.addItem("")  # empty: the system's default printer
        box.setCurrentText(current)
        edit = box.lineEdit()
        if edit is not None:  # always, the box being editable
            edit.setPlaceholderText(self.tr("empty: the system's default printer"))
        return box

    def _read_printers(self, list_printers: Callable[[], list[str] | None]) -> None:
        self.workers.run(lambda c, p: list_printers(), on_success=self._printers_read, on_failure=self._printers_unknown,
                         pool_name=Pool.GENERAL, name="installed printers")

    @Slot(object)
    def _printers_read(self, names: list[str] | None) -> None:
        if names is None:
            self._printers_unknown("")
            return
        self.installed_printers = list(names)
        for box in (self.receipt_printer, self.ticket_printer):
            chosen = box.currentText()  # the setting's, or what the officer typed meanwhile
            box.clear()
            box.addItem("")
            box.addItems(self.installed_printers)
            box.setCurrentText(chosen)
        self.printers_note.hide()

    @Slot(str)
    def _printers_unknown(self, _why: str) -> None:
        self.printers_note.setText(self.tr("the installed printers cannot be listed"))

    @Slot()
    def save(self) -> None:
        """Check, save and audit on the db pool (desktop.settings_service); the screen only shows it."""
        change = SettingsChange(self.language.currentData(), self.unit_code.text(), self.db_url.text(),
                                self.dossier_url.text(), self.pkcs11.currentText(), self.counter.text(),
                                self.scanner_profile.text(), self.receipt_printer.currentText(),
                                self.ticket_printer.currentText(),
                                retention_days=self.retention.value(), encrypt_db=self.encrypt.isChecked(),
                                smtp_host=self.smtp_host.text(), smtp_port=self.smtp_port.text(),
                                smtp_security=self.smtp_security.currentData(), smtp_user=self.smtp_user.text(),
                                smtp_sender=self.smtp_sender.text(), sms_url=self.sms_url.text(),
                                smtp_ca_file=self.smtp_ca_file.text(),
                                smtp_check_hostname=self.smtp_check_hostname.isChecked(),
                                receipt_at_receive=self.receipt_at_receive.isChecked())
        service, actor = self.service, self.actor
        self.save_button.setEnabled(False)
        task = self.workers.run(lambda c, p: service.save(actor, change), on_success=self._saved, on_failure=self._failed,
                                pool_name=Pool.DB, name="settings")
        task.finished.connect(lambda: self.save_button.setEnabled(True))

    def _show_conversion(self) -> None:
        """What the next start will do to the database file, and why the last start did not."""
        request = self.service.pending_conversion()
        self.conversion.setVisible(request is not None)
        if request is None:
            self.conversion.setText("")
            return
        text = (self.tr("The database will be encrypted at the next start of motcua; close every motcua program on "
                        "this workstation (window, kiosk, display board) first.") if request.encrypt else
                self.tr("The database will be decrypted at the next start of motcua; close every motcua program on "
                        "this workstation (window, kiosk, display board) first."))
        if request.last_error:
            text += "\n" + self.tr("Not done at the last start: %1").replace("%1", request.last_error)
        self.conversion.setText(text)

    @Slot(object)
    def _saved(self, _path: object) -> None:
        text = self.tr("Saved. A change of database or dossier system takes effect at the next start.")
        # saved all the same (the printer may be installed later), but said now, not at the first receipt
        installed = self.installed_printers
        missing = [] if installed is None else [  # not read (yet): nothing is claimed missing
            c.problem() for c in (choose_printer(self.receipt_printer.currentText(), installed, RECEIPTS_KEY),
                                  choose_printer(self.ticket_printer.currentText(), installed, TICKETS_KEY))
            if c.problem()]
        self.status.setStyleSheet("color: #b00020;" if missing else "")
        self.status.setText("\n".join([text, *missing]))
        self._show_conversion()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(message)
