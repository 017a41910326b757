"""The citizen's rating screen (customer-facing display of a counter, or the kiosk): three big
buttons (SIPAS levels) for the visit that just ended, an optional reason, then thanks.

It asks the core which ticket the counter last served (and has not been rated) every few
seconds; the rating is stored with that ticket, its officer and dossier by the core.
Nothing on this screen names the citizen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.reports.models import SatisfactionLevel
from desktop.reports.satisfaction import last_served_ticket, rate
from ui.workers import Pool, Workers

POLL_MS = 3000
THANKS_MS = 6000


class RatingPanel(QWidget):
    def __init__(self, ctx: Any, actor: Any, counter: int, parent: QWidget | None = None, *, workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor = actor
        self.counter = counter
        self.ticket: tuple[int, str] | None = None
        self.setWindowTitle(self.tr("How was our service?"))
        self.setStyleSheet("QPushButton { font-size: 18pt; padding: 22px; } QLabel#question { font-size: 22pt; }")
        self.question = QLabel()
        self.question.setObjectName("question")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.question.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("Reason (optional)"))
        self.buttons: dict[SatisfactionLevel, QPushButton] = {}
        row = QHBoxLayout()
        for level, text, colour in ((SatisfactionLevel.NOT_SATISFIED, self.tr("Not satisfied"), "#c0392b"),
                                    (SatisfactionLevel.SATISFIED, self.tr("Satisfied"), "#2a62a6"),
                                    (SatisfactionLevel.VERY_SATISFIED, self.tr("Very satisfied"), "#2e8b57")):
            b = QPushButton(text)
            b.setObjectName(f"rate-{level.value}")
            b.setStyleSheet(f"background: {colour}; color: white;")
            b.clicked.connect(lambda _=False, lv=level: self.choose(lv))
            row.addWidget(b)
            self.buttons[level] = b
        lay = QVBoxLayout(self)
        lay.addWidget(self.question, 1)
        lay.addLayout(row)
        lay.addWidget(self.reason)
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self._show(None)
        self.poll()

    @Slot()
    def poll(self) -> None:
        db, counter = self.ctx.db, self.counter
        self.workers.run(lambda cancel, progress: last_served_ticket(db, counter), on_success=self._show,
                         on_failure=self.question.setText, pool_name=Pool.DB, name="rating poll")

    @Slot(object)
    def _show(self, ticket: tuple[int, str] | None) -> None:
        if ticket == self.ticket and ticket is not None:
            return
        self.ticket = ticket
        for b in self.buttons.values():
            b.setEnabled(ticket is not None)
        self.reason.setEnabled(ticket is not None)
        if ticket is None:
            self.question.setText(self.tr("Thank you for visiting the one-stop centre."))
        else:
            self.question.setText(self.tr("Ticket %1: how satisfied are you with the service?").replace("%1", ticket[1]))

    def choose(self, level: SatisfactionLevel) -> None:
        if self.ticket is None:
            return
        db, actor, tid, reason = self.ctx.db, self.actor, self.ticket[0], self.reason.text()
        for b in self.buttons.values():
            b.setEnabled(False)
        self.workers.run(lambda cancel, progress: rate(db, actor, tid, level, reason), on_success=self._thanks,
                         on_failure=self.question.setText, pool_name=Pool.DB, name="rating")

    @Slot(object)
    def _thanks(self, _view: object) -> None:
        self.question.setText(self.tr("Thank you! Your rating has been recorded."))
        self.reason.clear()
        self.timer.stop()
        QTimer.singleShot(THANKS_MS, self._resume)

    @Slot()
    def _resume(self) -> None:
        self.ticket = None
        self.timer.start()
        self.poll()
