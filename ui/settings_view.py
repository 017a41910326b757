"""Settings of this workstation: language, unit, database, dossier system, token module."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.app import AppContext
from desktop.auth import Actor
from desktop.settings_service import SettingsChange
from ui import workers


class SettingsView(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.pkcs11 = QLineEdit(s.pkcs11_module)
        self.pkcs11.setPlaceholderText("/usr/lib/…/libvnptca_p11.so · C:\\Windows\\System32\\eTPKCS11.dll")
        box = QGroupBox(self.tr("This workstation"))
        form = QFormLayout(box)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Agency code (QCVN 102:2016)"), self.unit_code)
        form.addRow(self.tr("Database URL (empty: local SQLite)"), self.db_url)
        form.addRow(self.tr("Dossier system (file:// folder or https:// server)"), self.dossier_url)
        form.addRow(self.tr("Token PKCS#11 module"), self.pkcs11)
        form.addRow(self.tr("Data folder"), QLabel(str(s.data_dir)))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(box)
        lay.addWidget(self.save_button)
        lay.addWidget(self.status)
        lay.addStretch(1)

    @Slot()
    def save(self) -> None:
        """Check, save and audit on the db pool (desktop.settings_service); the screen only shows it."""
        change = SettingsChange(self.language.currentData(), self.unit_code.text(), self.db_url.text(),
                                self.dossier_url.text(), self.pkcs11.text())
        service, actor = self.service, self.actor
        self.save_button.setEnabled(False)
        task = workers.run(lambda c, p: service.save(actor, change), on_success=self._saved, on_failure=self._failed,
                           pool_name="db", name="settings")
        task.finished.connect(lambda: self.save_button.setEnabled(True))

    @Slot(object)
    def _saved(self, _path: object) -> None:
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saved. A change of database or dossier system takes effect at the next start."))

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(message)
