"""The dossier list: type to search (code, applicant, ID number; marks ignored), filter
by status, due date, channel, receiving officer and agency, and received date, Enter opens
the dossier page.

Reads run on the database pool, one at a time; typing restarts a short timer so a word
typed quickly is one query, and a refresh asked for during a read runs after it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.auth import Actor
from desktop.config import Settings
from desktop.kernel.timeutil import now_vn
from desktop.workflow.form_desk import FormDesk
from desktop.workflow.workspace import (
    Channel,
    DossierQuery,
    DossierRow,
    DossierStatus,
    DossierWorkspace,
    Due,
    FilterChoices,
    Returning,
)
from ui.dossiers.list_model import DossierListModel, status_name
from ui.workers import Pool, Workers

#: a safety net; the uploader's reports and the page's changes refresh sooner
REFRESH_MS = 30_000
#: the officer filter's "received by me": whoever is signed in (``DossierListView.officer``)
_ME = "\x00me"
TYPING_MS = 250


class _Table(QTableView):
    """Enter opens the selected dossier (a QTableView would start editing)."""

    activated_row = Signal(int)
    #: a printable key typed in the table: it goes to the search box
    typed = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.typed.emit(text)
            return
        super().keyPressEvent(event)


class DossierListView(QWidget):
    open_requested = Signal(str)

    def __init__(self, workspace: DossierWorkspace, parent: QWidget | None = None, *, workers: Workers,
                 actor: Actor | None = None,
                 forms: FormDesk | None = None, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.workspace = workspace
        #: who prints the lists (the postal handover, the register); the form desk that writes them
        self.actor = actor
        self.forms = forms
        self.settings = settings
        self._reading = False
        self._again = False
        self._open_after_read = False
        self.search = QLineEdit()
        self.search.setObjectName("dossier_search")
        self.search.setPlaceholderText(self.tr("Search: code, applicant, ID number (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(self.tr("Open dossiers"), "open")
        self.status.addItem(self.tr("All statuses"), None)
        for st in DossierStatus:
            self.status.addItem(status_name(st), int(st))
        self.due = QComboBox()
        for text, value in ((self.tr("Any due date"), Due.ANY), (self.tr("Due today"), Due.TODAY),
                            (self.tr("Late"), Due.LATE)):
            self.due.addItem(text, value)
        self.returning = QComboBox()
        self.returning.setObjectName("returning")
        for text, rv in ((self.tr("All results"), Returning.ANY), (self.tr("To return"), Returning.TO_RETURN),
                         (self.tr("Post"), Returning.POST)):
            self.returning.addItem(text, rv)
        self.channel = QComboBox()
        for text, ch in ((self.tr("All channels"), None), (self.tr("At the counter"), Channel.IN_PERSON),
                         (self.tr("Online"), Channel.ONLINE), (self.tr("By post"), Channel.POSTAL)):
            self.channel.addItem(text, None if ch is None else int(ch.value))
        #: received by: anyone, the signed-in officer ("me": ``self.officer``, set by the area), or
        #: one officer (a supervisor's look at one officer's dossiers)
        self.by = QComboBox()
        self.by.setObjectName("by_officer")
        self.by.addItem(self.tr("Received by anyone"), "")
        self.by.addItem(self.tr("Received by me"), _ME)
        self.officer = ""
        #: the receiving agency, shown once the list holds more than one (a postal agent's counter)
        self.unit = QComboBox()
        self.unit.setObjectName("by_unit")
        self.unit.addItem(self.tr("All agencies"), "")
        self.unit.hide()
        self.use_dates = QCheckBox(self.tr("Received from"))
        # Vietnam's today, as the dossiers' dates: the machine's zone may be another (UTC)
        today = now_vn().date()
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_from = QDateEdit(self.date_to.date().addDays(-30))
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd/MM/yyyy")
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.model = DossierListModel()
        self.table = _Table()
        self.table.setObjectName("dossier_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.activated_row.connect(self._open_row)
        self.table.typed.connect(self._typed_in_table)
        self.handover_button = QPushButton(self.tr("Print the postal handover list (Ctrl+P)"))
        self.handover_button.setObjectName("handover_button")
        self.handover_button.clicked.connect(self.print_handover)
        self.handover_button.hide()  # in the Post view only
        self.register_button = QPushButton(self.tr("Register (form 07)…"))
        self.register_button.setObjectName("register_button")
        self.register_button.setToolTip(self.tr("The dossier register of the dates chosen above (this month if none), "
                                                "as PDF or Excel"))
        self.register_button.clicked.connect(self.ask_register)
        if forms is None:  # (never setVisible(True) before it has a parent: it would open as a window of its own)
            self.register_button.hide()
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")

        # two rows: in one, the combos' Vietnamese items made the window 1384 px wide on a 1366-px screen
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in (self.status, self.due, self.returning):
            filters.addWidget(combo)
        more = QHBoxLayout()
        for w in (self.channel, self.by, self.unit, self.use_dates, self.date_from, QLabel("–"), self.date_to):
            more.addWidget(w)
        more.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(filters)
        lay.addLayout(more)
        lay.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary)
        bottom.addWidget(self.handover_button)
        bottom.addWidget(self.register_button)
        bottom.addStretch(1)
        bottom.addWidget(self.message, 2)
        lay.addLayout(bottom)

        self.typing = QTimer(self)
        self.typing.setSingleShot(True)
        self.typing.setInterval(TYPING_MS)
        self.typing.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self.typing.start())
        self.search.returnPressed.connect(self._search_enter)
        for combo in (self.status, self.due, self.returning, self.channel, self.by, self.unit):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.use_dates.toggled.connect(lambda _b: self.refresh())
        for d in (self.date_from, self.date_to):
            d.dateChanged.connect(lambda _d: self.refresh() if self.use_dates.isChecked() else None)
        self.returning.currentIndexChanged.connect(
            lambda _i: self.handover_button.setVisible(self.returning.currentData() == Returning.POST))
        handover = QShortcut(QKeySequence("Ctrl+P"), self)
        handover.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        handover.activated.connect(self.print_handover)
        #: the print preview opens for the list (tests switch this off)
        self.open_prints = True
        self.last_handover: Path | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.setFocusProxy(self.search)
        self.refresh()
        self.load_choices()

    @Slot()
    def print_handover(self) -> None:
        """The handover list of the results waiting for the post (the Post view's Ctrl+P)."""
        if self.returning.currentData() != Returning.POST or self.actor is None:
            return
        ws, actor = self.workspace, self.actor

        def printed(path: Path) -> None:
            self.last_handover = path
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Handover list: %1").replace("%1", str(path)))
            if self.open_prints:
                from ui.print_preview import print_pdf

                print_pdf(self, path, self._failed, workers=self.workers,
                          printer=self.settings.receipt_printer if self.settings is not None else "")

        self.message.setText("")
        self.workers.run(lambda c, p: ws.postal_handover(actor), on_success=printed, on_failure=self._failed,
                         pool_name=Pool.DB, name="postal handover")

    def _fit_last_header(self) -> None:
        """Narrow the procedure column (its tooltip has it whole) until the last column's
        header is read whole in the width the table has."""
        header = self.table.horizontalHeader()
        last = self.model.columnCount() - 1
        need = header.sectionSizeFromContents(last).width()
        used = sum(self.table.columnWidth(c) for c in range(last))
        short = need - (self.table.viewport().width() - used)
        if short > 0:
            self.table.setColumnWidth(2, max(120, self.table.columnWidth(2) - short))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.model.rows:
            self._fit_last_header()

    def register_days(self) -> tuple[date, date]:
        """The register's days: the dates chosen in the filter, else this month until today."""
        if self.use_dates.isChecked():
            a, b = self.date_from.date(), self.date_to.date()
            return date(a.year(), a.month(), a.day()), date(b.year(), b.month(), b.day())
        today = now_vn().date()
        return today.replace(day=1), today

    @Slot()
    def ask_register(self) -> None:
        from ui.file_dialogs import save_file_name

        if self.settings is None:
            return
        first, last = self.register_days()
        path = save_file_name(self, self.tr("Dossier register (form 07)"), self.settings,
                              f"so-theo-doi-{first:%Y%m%d}-{last:%Y%m%d}.xlsx", "Excel (*.xlsx);;PDF (*.pdf)")
        if path:
            self.write_register(Path(path))

    def write_register(self, out: Path) -> None:
        desk, actor = self.forms, self.actor
        if desk is None or actor is None:
            return
        first, last = self.register_days()

        def written(path: Path) -> None:
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Register written: %1").replace("%1", str(path)))

        self.message.setText("")
        self.workers.run(lambda c, p: desk.register(actor, first, last, out), on_success=written, on_failure=self._failed,
                         pool_name=Pool.DB, name="register")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        self.timer.start()  # polls only while shown
        super().showEvent(event)
        self.load_choices()  # an officer's first dossier, a new agency: offered when the list is shown again

    @Slot()
    def load_choices(self) -> None:
        """Fill the officer and agency filters from the database (on its worker), keeping the choice."""
        ws = self.workspace
        self.workers.run(lambda c, p: ws.filter_choices(), on_success=self._show_choices, on_failure=self._failed,
                         pool_name=Pool.DB, name="dossier-list filters")

    @Slot(object)
    def _show_choices(self, choices: FilterChoices) -> None:
        def fill(combo: QComboBox, fixed: int, items: list[tuple[str, str, str]]) -> None:
            chosen = combo.currentData()
            combo.blockSignals(True)  # a refill is not a change of filter
            while combo.count() > fixed:
                combo.removeItem(fixed)
            for key, text, tip in items:
                combo.addItem(text, key)
                combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            at = combo.findData(chosen)
            combo.setCurrentIndex(at if at >= 0 else 0)
            combo.blockSignals(False)
            if at < 0:  # the one chosen is gone: the list follows
                self.refresh()

        fill(self.by, 2, [(u, n or u, u) for u, n in choices.officers if u != self.officer])
        fill(self.unit, 1, [(c, n or c, c) for c, n in choices.units])
        self.unit.setVisible(len(choices.units) > 1 or self.unit.currentIndex() > 0)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self.timer.stop()
        super().hideEvent(event)

    def query(self) -> DossierQuery:
        status = self.status.currentData()
        to_date = self.date_to.date()
        from_date = self.date_from.date()
        return DossierQuery(
            text=self.search.text(), status=None if status in (None, "open") else DossierStatus(status),
            open_only=status == "open" and self.returning.currentData() == Returning.ANY,
            returning=self.returning.currentData(), due=self.due.currentData(), channel=self.channel.currentData(),
            officer=self.officer if self.by.currentData() == _ME else str(self.by.currentData() or ""),
            unit=str(self.unit.currentData() or ""),
            received_from=date(from_date.year(), from_date.month(), from_date.day())
            if self.use_dates.isChecked() else None,
            received_to=date(to_date.year(), to_date.month(), to_date.day()) if self.use_dates.isChecked() else None)

    @Slot()
    def refresh(self) -> None:
        if self._reading:
            self._again = True
            return
        self._reading = True
        q, ws = self.query(), self.workspace
        task = self.workers.run(lambda c, p: ws.find(q), on_success=self._show, on_failure=self._failed,
                                pool_name=Pool.DB, name="dossier-list")
        task.finished.connect(self._read_done)

    @Slot()
    def _read_done(self) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.refresh()

    @Slot(object)
    def _show(self, rows: list[DossierRow]) -> None:
        current = self.current_code()
        self.model.set_rows(rows)
        if rows:
            self.table.resizeColumnsToContents()
            # long names and procedures: the tooltip has them whole; narrower than their text so that
            # the last column's header ("Số hóa · ký số · đã gửi") is read whole on a 1366-px screen
            for col, widest in ((1, 200), (2, 220)):
                self.table.setColumnWidth(col, min(self.table.columnWidth(col), widest))
            self._fit_last_header()
            codes = [r.code for r in rows]
            self.table.selectRow(codes.index(current) if current in codes else 0)
        late = sum(1 for r in rows if r.late)
        text = self.tr("%n dossier(s)", "", len(rows))
        if late:
            text += " · " + self.tr("%n late", "", late)
        self.summary.setText(text)
        self.message.setText("")
        if self._open_after_read:
            self._open_after_read = False
            if rows:
                self._open_row(0)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(message)

    def current_code(self) -> str | None:
        idx = self.table.currentIndex()
        return self.model.rows[idx.row()].code if idx.isValid() and idx.row() < len(self.model.rows) else None

    @Slot()
    def _search_enter(self) -> None:
        """Enter in the search box opens the first dossier found (a scanned code, a typed one)."""
        if self.typing.isActive():
            self.typing.stop()
            self.refresh()
            self._open_after_read = True
            return
        if self.model.rows:
            self._open_row(self.table.currentIndex().row() if self.table.currentIndex().isValid() else 0)

    @Slot(QModelIndex)
    def _double_clicked(self, index: QModelIndex) -> None:
        self._open_row(index.row())

    @Slot(int)
    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.open_requested.emit(self.model.rows[row].code)

    @Slot(str)
    def _typed_in_table(self, text: str) -> None:
        self.search.setFocus()
        self.search.insert(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Down from the search box goes to the table."""
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self.table.setFocus()
            return
        super().keyPressEvent(event)
