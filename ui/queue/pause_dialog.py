"""Why the counter pauses: a short list of the usual reasons, or the officer's own words.

Opened without a nested event loop (``open()``); the panel acts on ``accepted``. Enter
takes the highlighted reason; text typed in the field wins over the list.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

#: the core limits a pause reason to 200 characters
MAX_REASON = 200


class PauseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pause the counter"))
        self.reasons = QListWidget()
        self.reasons.setObjectName("pauseReasons")
        self.reasons.addItems([self.tr("Break"), self.tr("Lunch break"), self.tr("Meeting"),
                               self.tr("Helping at another counter"), self.tr("Technical problem")])
        self.reasons.setCurrentRow(0)
        self.reasons.itemDoubleClicked.connect(self.accept)
        self.other = QLineEdit()
        self.other.setObjectName("pauseOther")
        self.other.setMaxLength(MAX_REASON)
        self.other.setPlaceholderText(self.tr("Or type another reason"))
        self.other.textChanged.connect(self._changed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Why is the counter pausing? Calls are refused until it resumes.")))
        lay.addWidget(self.reasons)
        lay.addWidget(self.other)
        lay.addWidget(self.buttons)
        self.reasons.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _changed(self, text: str) -> None:
        self.reasons.setEnabled(not text.strip())  # the typed reason is the one used: say so

    def reason(self) -> str:
        typed = " ".join(self.other.text().split())
        if typed:
            return typed
        item = self.reasons.currentItem()
        return item.text() if item is not None else ""
