"""The main window: navigation by role, one page per area, a status bar for devices and network."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop.auth import Actor, role_name
from ui import workers
from ui.navigation import Area, areas_for
from ui.services import UiServices

log = logging.getLogger(__name__)
#: room for the title bar before the window manager has decorated the window (its height is unknown then)
TITLE_BAR_ALLOWANCE = 32


class MainWindow(QMainWindow):
    languageChangeRequested = Signal(str)
    signOutRequested = Signal()

    def __init__(self, services: UiServices, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ctx = services.ctx
        self.actor = actor
        self.setWindowTitle(self.tr("motcua — One-stop counter"))
        self.resize(1280, 720)  # the size on a roomy screen; fitted to a small one below and when shown
        self._fitted = False
        self.areas: list[Area] = areas_for(actor)
        self.pages: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setStyleSheet("QListWidget { font-size: 12pt; } QListWidget::item { padding: 10px 8px; }")
        self.stack = QStackedWidget()
        for area in self.areas:
            item = QListWidgetItem(QCoreApplication.translate("Navigation", area.title))
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._open_row)
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self._build_status_bar()
        if self.areas:
            self.nav.setCurrentRow(0)
        self._fit_to_screen()
        QTimer.singleShot(0, self._resume_unfinished)

    def _fit_to_screen(self) -> None:
        """Keep the whole window, title bar and status bar included, inside the screen's free
        area: on a 1366×768 counter screen with a task bar, 720 px plus the title bar did not fit
        and the status bar (scanner, token, network) was below the screen's edge."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        avail = screen.availableGeometry()
        frame, inner = self.frameGeometry(), self.geometry()
        extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
        if not self.isVisible() or extra_h <= 0:
            extra_h = max(extra_h, TITLE_BAR_ALLOWANCE)  # not decorated yet: leave room for the title bar
        width = min(self.width(), avail.width() - max(extra_w, 0))
        height = min(self.height(), avail.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        if not avail.contains(frame):
            x = min(max(frame.x(), avail.x()), avail.right() - frame.width() + 1)
            y = min(max(frame.y(), avail.y()), avail.bottom() - frame.height() + 1)
            self.move(max(x, avail.x()), max(y, avail.y()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # once: the frame is known now; later the officer's own size wins
            self._fitted = True
            self._fit_to_screen()
            from ui.warm_up import warm_up

            # the flow's heavy imports now, not at the first scan or signature (ui/warm_up.py)
            workers.run(warm_up, pool_name=workers.Pool.GENERAL, name="warm-up")

    @Slot()
    def _resume_unfinished(self) -> None:
        """After a crash or a close mid-slot: the dossier whose scanned pages were not yet made
        into a PDF opens again (its pages are on disk, scanning/spool.py)."""
        from scanning.spool import unfinished

        try:
            left = unfinished(self.ctx.settings.files_dir)
        except OSError:
            return
        if left and any(a.key == "dossiers" for a in self.areas):
            self.open_dossier(left[0][0])

    # --- pages ------------------------------------------------------------------------

    def open_area(self, key: str) -> QWidget | None:
        for row, area in enumerate(self.areas):
            if area.key == key:
                self.nav.setCurrentRow(row)
                return self.pages.get(key)
        return None

    @Slot(int)
    def _open_row(self, row: int) -> None:
        if row < 0:
            return
        area = self.areas[row]
        page = self.pages.get(area.key)
        if page is None:
            page = self._make_page(area)
            self.pages[area.key] = page
            self._connect_page(page)
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    def _connect_page(self, page: QWidget) -> None:
        """The counter's flow across areas: F7 on the counter panel opens reception for the
        ticket; a received dossier opens its page in the "Hồ sơ" area."""
        receive = getattr(page, "receive_requested", None)
        if receive is not None:
            receive.connect(self.receive_for_ticket)
        received = getattr(page, "dossier_received", None)
        if received is not None:
            received.connect(self.open_dossier)
        finished = getattr(page, "visit_finished", None)
        if finished is not None:
            finished.connect(lambda _code: self.open_area("counter"))

    @Slot(int, str)
    def receive_for_ticket(self, ticket_id: int, number: str = "") -> None:
        page = self.open_area("reception")
        if page is not None and hasattr(page, "set_ticket"):
            page.set_ticket(ticket_id, number)

    @Slot(str)
    def open_dossier(self, code: str) -> None:
        page = self.open_area("dossiers")
        if page is not None and hasattr(page, "open_dossier"):
            page.open_dossier(code)

    def _make_page(self, area: Area) -> QWidget:
        try:
            return area.build(self.services, self.actor, self)
        except Exception as exc:  # a broken page must not take the counter down
            log.exception("could not open area %s", area.key)
            label = QLabel(self.tr("This screen could not be opened: %1\nDetails are in the log file.")
                           .replace("%1", str(exc)))
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return label

    # --- chrome -----------------------------------------------------------------------

    def _build_menu(self) -> None:
        bar = self.menuBar()
        app_menu = bar.addMenu(self.tr("&Application"))
        sign_out = QAction(self.tr("Sign &out"), self)
        sign_out.triggered.connect(self.signOutRequested)
        app_menu.addAction(sign_out)
        quit_ = QAction(self.tr("&Quit"), self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        app_menu.addAction(quit_)
        lang_menu = bar.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        for code, label in (("vi", "Tiếng Việt"), ("en", "English")):
            act = QAction(label, self, checkable=True)
            act.setChecked(self.ctx.settings.language == code)
            act.setData(code)
            group.addAction(act)
            lang_menu.addAction(act)
        group.triggered.connect(lambda a: self.languageChangeRequested.emit(a.data()))
        help_menu = bar.addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About motcua"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        who = QLabel(f"{self.actor.full_name} ({self.actor.username}) · {role_name(self.actor.role)}")
        who.setObjectName("who")
        sb.addWidget(who)
        for factory in _STATUS_WIDGETS:
            try:
                sb.addPermanentWidget(factory(self.services, self))
            except Exception:
                log.exception("status widget %s failed", factory)

    def closeEvent(self, event: QCloseEvent) -> None:
        # pages and status widgets do not get a close event of their own: a closed window
        # must not keep polling the database, the token or the scanner behind the officer
        for timer in self.findChildren(QTimer):
            timer.stop()
        super().closeEvent(event)

    @Slot()
    def _about(self) -> None:
        from desktop import __version__

        QMessageBox.about(self, self.tr("About motcua"),
                          self.tr("motcua %1 — workstation of the one-stop counter.\nDatabase: %2")
                          .replace("%1", __version__).replace("%2", self.ctx.db.display_url()))


def _status_indicators(services: UiServices, parent: QWidget) -> QWidget:
    from ui.status_indicators import StatusIndicators

    return StatusIndicators(services.ctx, parent, uploads=services.uploads)


def _token_status(services: UiServices, parent: QWidget) -> QWidget:
    from ui.token_status import TokenStatus

    return TokenStatus(services.ctx, parent, monitor=services.token_monitor)


#: widgets at the right of the status bar, each built as factory(services, parent)
_STATUS_WIDGETS = [_token_status, _status_indicators]
