"""Sign-in dialog: the password is checked by the core's AuthService in a worker.

The dialog is the first window, shown before the database layer is imported (SQLAlchemy,
the models, Argon2: most of start-up, bench/RESULTS.md "Frozen application"): once shown it
opens the database on the ``db`` worker while the officer types, and a press of "Sign in"
waits there behind it (one thread: the sign-in runs after the opening), the button saying so.
A database that cannot be opened gives its message at that press, as it did when the press
opened it; the next press tries again.

An account whose password someone else chose (the seeded administrator's built-in default,
an administrator's reset) is asked for a new one before the window opens: the core refuses
it everything else until then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from desktop.kernel.tasks import CancelToken, ProgressFn
from ui.workers import Pool, Task, Workers

if TYPE_CHECKING:  # imported by the worker that opens the database, not before the dialog shows
    from desktop.auth import Actor, AuthService
    from desktop.context import AppContext


class LoginDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None, *, workers: Workers, open_early: bool = True) -> None:
        """``open_early``: open the database as soon as the dialog shows (not for ``gui --check``,
        which only shows the window)."""
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor: Actor | None = None
        self._task: Task | None = None
        self._open_early = open_early
        self._opening: Task | None = None
        # the opening's failure, raised by the sign-in queued behind it (once: not a second
        # wait for the same refusal, PostgreSQL's connect timeout say); on the db thread only
        self._open_failure: Exception | None = None
        self.setWindowTitle(self.tr("motcua — Sign in"))
        title = QLabel(self.tr("One-stop counter"))
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.user = QLineEdit()
        self.user.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password = QLineEdit()
        self.new_password.setObjectName("new_password")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirm_password")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.notice = QLabel(self.tr("This password was set by someone else: choose your own before you go on "
                                     "(at least 10 characters, not your user name, not a common password)."))
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        # kept only between a sign-in that needs a new password and that change
        self._pending: tuple[str, str] | None = None
        self._typed = ""
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("New password"), self.new_password)
        form.addRow(self.tr("New password again"), self.confirm)
        form.setRowVisible(self.new_password, False)
        form.setRowVisible(self.confirm, False)
        self.form = form
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        lay.addLayout(form)
        lay.addWidget(self.notice)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._open_early and self._opening is None:
            self._opening = self.workers.submit(self._open, pool_name=Pool.DB, name="open-database")

    def _open(self, _cancel: CancelToken, _progress: ProgressFn) -> None:
        """On the db thread: import the database layer, open, migrate and seed the database."""
        try:
            self.ctx.auth  # noqa: B018 - built for the sign-in that follows
        except Exception as exc:
            self._open_failure = exc
            raise

    def _auth(self) -> AuthService:
        """On the db thread: the auth service, or the failure of the opening it waited for."""
        failure, self._open_failure = self._open_failure, None
        if failure is not None:
            raise failure
        return self.ctx.auth

    @Slot()
    def _submit(self) -> None:
        if self._pending is None:
            self.try_sign_in()
        else:
            self.try_change_password()

    @Slot()
    def try_sign_in(self) -> None:
        if self._task is not None:
            return
        username, password = self.user.text().strip(), self.password.text()
        self.password.clear()  # the password lives only as long as the check
        self._typed = password  # (or until the change it may lead to)
        self.error.clear()
        self.buttons.setEnabled(False)
        # on the first press this may wait for the database the dialog is still opening
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Signing in…"))
        self._task = self.workers.submit(lambda cancel, progress: self._auth().sign_in(username, password),
                                         pool_name=Pool.DB, name="sign-in")
        self._task.succeeded.connect(self._signed_in)
        self._task.failed.connect(self._failed)
        self._task.finished.connect(self._done)

    @Slot()
    def try_change_password(self) -> None:
        if self._task is not None or self._pending is None:
            return
        new, again = self.new_password.text(), self.confirm.text()
        self.new_password.clear()
        self.confirm.clear()
        if new != again:
            self.error.setText(self.tr("The two new passwords differ."))
            self.new_password.setFocus()
            return
        username, old = self._pending
        self.error.clear()
        self.buttons.setEnabled(False)
        self._task = self.workers.submit(lambda cancel, progress: self._auth().change_password(username, old, new),
                                         pool_name=Pool.DB, name="change-password")
        self._task.succeeded.connect(self._password_changed)
        self._task.failed.connect(self._change_failed)
        self._task.finished.connect(self._done)

    @Slot(object)
    def _signed_in(self, actor: Actor) -> None:
        typed, self._typed = self._typed, ""
        if actor.must_change_password:
            self._ask_new_password(actor, typed)
            return
        self.actor = actor
        self.accept()

    def _ask_new_password(self, actor: Actor, typed: str) -> None:
        self._pending = (actor.username, typed)
        self.user.setEnabled(False)
        self.form.setRowVisible(self.password, False)
        self.form.setRowVisible(self.new_password, True)
        self.form.setRowVisible(self.confirm, True)
        self.notice.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Change password"))
        self.new_password.setFocus()

    @Slot(object)
    def _password_changed(self, actor: Actor) -> None:
        self._pending = None
        self.actor = actor
        self.accept()

    @Slot(str)
    def _change_failed(self, message: str) -> None:
        self.error.setText(message)
        self.new_password.setFocus()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._typed = ""
        self.error.setText(message)
        self.password.setFocus()

    @Slot()
    def _done(self) -> None:
        self._task = None
        if self._pending is None:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.setEnabled(True)
