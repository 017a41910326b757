"""Sign-in dialog: the password is checked by the core's AuthService in a worker."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from desktop.app import AppContext
from desktop.auth import Actor
from ui import workers


class LoginDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self._task: workers.Task | None = None
        self.setWindowTitle(self.tr("motcua — Sign in"))
        title = QLabel(self.tr("One-stop counter"))
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.user = QLineEdit()
        self.user.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(380)

    @Slot()
    def try_sign_in(self) -> None:
        if self._task is not None:
            return
        username, password = self.user.text().strip(), self.password.text()
        self.password.clear()  # the password lives only as long as the check
        self.error.clear()
        self.buttons.setEnabled(False)
        self._task = workers.submit(lambda cancel, progress: self.ctx.auth.sign_in(username, password),
                                    pool_name="db", name="sign-in")
        self._task.succeeded.connect(self._signed_in)
        self._task.failed.connect(self._failed)
        self._task.finished.connect(self._done)

    @Slot(object)
    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.password.setFocus()

    @Slot()
    def _done(self) -> None:
        self._task = None
        self.buttons.setEnabled(True)
