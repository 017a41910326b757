"""The kiosk: one large button per service; the ticket is issued, shown and printed.

A citizen with a priority (elderly, disability, pregnant, with a child under 6:
:data:`desktop.queue.priority.KIOSK_CLASSES`) first touches that button, then the
service: the ticket is issued in that class, so it is called before walk-ins. The choice
is forgotten after the ticket, or when nobody finishes within the clearing time.

Every ticket is written as a PDF in the data directory (``tickets/``) and printed on
``printers.tickets`` (empty: the system's default printer, if there is one) through QPrinter
with no dialog: nobody stands at a kiosk to answer one. Issuing runs in the db worker, the
ticket's page is rendered on a worker and painted here.

A ticket printer named in the settings but not installed gets nothing, not the default
printer: an 80 mm ticket sent to the office's A4 printer is lost to the citizen and wastes a
sheet. The number stays on screen with a line saying the printer is missing (the staff
passing by read which and where to set it), and the log says it for the IT admin.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.kernel.timeutil import to_vn
from desktop.printers import TICKETS_KEY, PrinterChoice, PrinterState
from desktop.queue.priority import KIOSK_CLASSES, Priority
from desktop.queue.tickets_pdf import write_ticket
from desktop.queue.views import TicketView
from ui.print_preview import fit_to_roll, make_printer, paint_pages, printer_choice, render_pdf
from ui.queue.priority_labels import priority_label
from ui.workers import Pool, Workers

log = logging.getLogger(__name__)

CLEAR_AFTER_MS = 15_000


class KioskWindow(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *, workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.actor = actor
        self.last_pdf: Path | None = None
        # the last ticket sent to a printer (its PDF), for the tests and the log
        self.last_printed: Path | None = None
        self.setWindowTitle(self.tr("Take a number"))
        self.setStyleSheet("QPushButton { font-size: 20pt; padding: 24px; } QLabel#title { font-size: 26pt; }"
                           " QPushButton[priority=\"true\"] { font-size: 15pt; padding: 12px; }"
                           " QPushButton[priority=\"true\"]:checked { background: #1565c0; color: white; }")
        title = QLabel(self.tr("Choose the service you need"))
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.priority: Priority = Priority.WALK_IN
        self.priority_buttons: dict[Priority, QPushButton] = {}
        priorities = QGridLayout()
        for i, p in enumerate(KIOSK_CLASSES):
            b = QPushButton(priority_label(p))
            b.setObjectName(f"priority-{p.value}")
            b.setProperty("priority", True)
            b.setCheckable(True)
            b.clicked.connect(lambda checked, p=p: self.choose_priority(p if checked else Priority.WALK_IN))
            self.priority_buttons[p] = b
            priorities.addWidget(b, i // 2, i % 2)
        hint = QLabel(self.tr("Priority? Touch it first, then your service."))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet("font-size: 15pt;")
        self.grid = QGridLayout()
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result.setStyleSheet("font-size: 22pt;")
        self.result.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(hint)
        lay.addLayout(priorities)
        lay.addSpacing(16)  # the priority row apart from the services: a glance tells the two
        lay.addLayout(self.grid, 1)
        lay.addWidget(self.result)
        self.clear_timer = QTimer(self, singleShot=True, interval=CLEAR_AFTER_MS)
        self.clear_timer.timeout.connect(self.result.clear)
        self.clear_timer.timeout.connect(lambda: self.choose_priority(Priority.WALK_IN))
        desk = ctx.queue
        self._submit(lambda: desk.services(), self._buttons)

    def _submit(self, fn, on_success) -> None:
        self.workers.run(lambda cancel, progress: fn(), on_success=on_success, on_failure=self.result.setText, pool_name=Pool.DB,
                         name="kiosk")

    @Slot(object)
    def _buttons(self, services: list[tuple[str, str]]) -> None:
        self.names = dict(services)
        for i, (code, name) in enumerate(services):
            b = QPushButton(name)
            b.setObjectName(f"service-{code}")
            b.clicked.connect(lambda _=False, c=code: self.take(c))
            self.grid.addWidget(b, i // 2, i % 2)

    def choose_priority(self, priority: Priority) -> None:
        """One class at a time; touching the chosen one again (or ``WALK_IN``) clears it."""
        self.priority = priority
        for p, b in self.priority_buttons.items():
            b.setChecked(p == priority)
        if priority != Priority.WALK_IN:
            self.clear_timer.start()  # a choice left behind must not give the next citizen priority

    def take(self, code: str) -> None:
        desk, actor, priority = self.ctx.queue, self.actor, self.priority
        folder = self.ctx.settings.data_dir / "tickets"
        name = self.names.get(code, code)
        self.choose_priority(Priority.WALK_IN)

        def issue_and_print() -> tuple[TicketView, Path]:
            t = desk.issue(actor, code, priority)
            return t, write_ticket(t, name, folder / f"{to_vn(t.issued_at):%Y%m%d}-{t.number}.pdf")

        self._submit(issue_and_print, self._issued)

    @Slot(object)
    def _issued(self, result: tuple[TicketView, Path]) -> None:
        ticket, pdf = result
        self.last_pdf = pdf
        text = self.tr("Your number: %1 — %2 waiting ahead of you").replace("%1", ticket.number) \
            .replace("%2", str(ticket.ahead))
        if ticket.priority != Priority.WALK_IN:
            text += "\n" + self.tr("Priority: %1").replace("%1", priority_label(ticket.priority))
        choice = printer_choice(self.ctx.settings.ticket_printer, TICKETS_KEY)
        if choice.state == PrinterState.MISSING:
            log.warning("ticket %s not printed: %s", ticket.number, choice.problem())
            text += "\n" + self.tr("The ticket printer is not available: please remember your number.")
            text += "\n" + choice.problem()
        elif choice.usable:
            self.workers.run(lambda c, p: render_pdf(pdf), on_success=lambda pages: self._print(choice, pages, pdf),
                             on_failure=self._not_printed, pool_name=Pool.GENERAL, name="kiosk ticket")
        else:
            log.info("ticket %s shown on screen only: no printer is installed", ticket.number)
        self.result.setText(text)
        self.clear_timer.start()

    def _print(self, choice: PrinterChoice, pages: list[QImage], pdf: Path) -> None:
        printer = make_printer(choice, [], pdf.name)
        if pages:
            fit_to_roll(printer, pages[0])
        if paint_pages(printer, pages):
            self.last_printed = pdf
            log.info("ticket %s printed on %s", pdf.name, printer.printerName() or "the default printer")
        else:
            self._not_printed(printer.printerName())

    @Slot(str)
    def _not_printed(self, why: str) -> None:
        log.warning("ticket not printed: %s", why)
        self.result.setText(self.result.text() + "\n"
                            + self.tr("The ticket could not be printed: please remember your number."))
