"""The token PIN dialog: one PIN for a whole batch, tries left, and the lock-out guard.

* The field echoes dots and asks for no input-method help: no prediction, no
  dictionary, nothing an IME could remember (``ImhHiddenText | ImhSensitiveData |
  ImhNoPredictiveText`` and ``WA_InputMethodEnabled`` off).
* The token's PIN state (``signing.pin_policy.PinState``) decides the rest: "count low"
  shows a warning; "final try" (the next wrong PIN locks the token) needs an explicit
  tick before OK is allowed; "locked" refuses outright (only the issuer can unlock).
* :meth:`PinDialog.take_pin` hands the PIN over once; the dialog clears its field when
  it closes and drops its own copy when the PIN is taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from signing.pin_policy import PinState

WARN_STYLE = "color: #b45309; font-weight: bold;"
BAD_STYLE = "color: #b00020; font-weight: bold;"


class PinDialog(QDialog):
    """``PinDialog(token_label, state, parent)``; ``exec()`` then :meth:`take_pin`.

    ``state`` is the token's :class:`signing.pin_policy.PinState`, or None when the token
    could not be asked.
    """

    def __init__(self, token_label: str, state: PinState | None = None, parent: QWidget | None = None, *,
                 purpose: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.setWindowTitle(self.tr("Token PIN"))
        self.setModal(True)
        self._pin: str | None = None
        self.locked = state is not None and state.locked
        self.final_try = state is not None and state.final_try and not self.locked
        count_low = state is not None and state.count_low
        tries = state.tries_left if state is not None else None

        intro = QLabel(purpose or self.tr("Enter the PIN of token “%1”. It is used for this batch only and "
                                          "is not saved.").replace("%1", token_label))
        intro.setWordWrap(True)
        intro.setObjectName("intro")

        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("pin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData
                                          | Qt.InputMethodHint.ImhNoPredictiveText
                                          | Qt.InputMethodHint.ImhNoAutoUppercase)
        self.pin_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.pin_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no copy/paste of the PIN
        self.pin_edit.setMaxLength(64)
        self.pin_edit.textChanged.connect(self._update_ok)

        self.tries_label = QLabel()
        self.tries_label.setObjectName("triesLeft")
        if self.locked:
            self.tries_label.setText(self.tr("None: the token is locked"))
        elif tries is None:
            self.tries_label.setText(self.tr("Not reported by the token (usually 3)"))
        else:
            self.tries_label.setText(str(int(tries)))

        self.warning_label = QLabel()
        self.warning_label.setObjectName("warning")
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        self.confirm_box = QCheckBox(self.tr("I have checked the PIN; try it even though a wrong PIN locks the token"))
        self.confirm_box.setObjectName("confirmFinalTry")
        self.confirm_box.hide()
        self.confirm_box.toggled.connect(self._update_ok)

        if self.locked:
            self.warning_label.setText(self.tr("This token is locked after too many wrong PINs. Only its issuer "
                                               "(the certificate authority) can unlock it; no PIN is asked."))
            self.warning_label.setStyleSheet(BAD_STYLE)
            self.warning_label.show()
            self.pin_edit.setEnabled(False)
        elif self.final_try:
            self.warning_label.setText(self.tr("Final try: one more wrong PIN locks this token, and only its "
                                               "issuer can unlock it."))
            self.warning_label.setStyleSheet(BAD_STYLE)
            self.warning_label.show()
            self.confirm_box.show()
        elif count_low:
            warning = state.warning if state is not None else ""
            self.warning_label.setText(warning or self.tr("Wrong PINs were entered before; the token may lock "
                                                          "after a few more."))
            self.warning_label.setStyleSheet(WARN_STYLE)
            self.warning_label.show()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Sign"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Token:"), QLabel(token_label))
        form.addRow(self.tr("PIN:"), self.pin_edit)
        form.addRow(self.tr("Tries left:"), self.tries_label)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.warning_label)
        lay.addWidget(self.confirm_box)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self._update_ok()

    @Slot()
    def _update_ok(self) -> None:
        allowed = (not self.locked and bool(self.pin_edit.text())
                   and (not self.final_try or self.confirm_box.isChecked()))
        self.ok_button.setEnabled(allowed)

    @property
    def confirmed_final_try(self) -> bool:
        """True when the officer ticked the final-try confirmation (pass on to the login)."""
        return self.final_try and self.confirm_box.isChecked()

    def accept(self) -> None:
        if self.locked or not self.pin_edit.text():
            return
        if self.final_try and not self.confirm_box.isChecked():
            return
        self._pin = self.pin_edit.text()
        self.pin_edit.clear()
        super().accept()

    def reject(self) -> None:
        self._pin = None
        self.pin_edit.clear()
        super().reject()

    def take_pin(self) -> str | None:
        """The PIN entered (once: a second call returns None)."""
        pin, self._pin = self._pin, None
        return pin


def ask_pin(parent: QWidget | None, token_label: str, state: PinState | None = None) -> tuple[str, bool] | None:
    """Show the dialog; (PIN, final-try confirmed) or None when cancelled or refused."""
    dlg = PinDialog(token_label, state, parent)
    try:
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        pin = dlg.take_pin()
        return (pin, dlg.confirmed_final_try) if pin else None
    finally:
        dlg.deleteLater()
