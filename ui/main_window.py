"""The main window: navigation by role, one page per area, a status bar for devices and network."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import ClassVar

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
from ui.navigation import Area, areas_for
from ui.services import UiServices
from ui.workers import Pool

log = logging.getLogger(__name__)
#: room for the title bar before the window manager has decorated the window (its height is unknown then)
TITLE_BAR_ALLOWANCE = 32
#: the counter flow's screens, built at idle after sign-in (see :meth:`MainWindow.prebuild_all`):
#: built on first use they froze the window for 40–90 ms each (bench/flow_bench.py --why)
PREBUILT_AREAS = ("reception", "dossiers")


class MainWindow(QMainWindow):
    languageChangeRequested = Signal(str)
    signOutRequested = Signal()
    #: whether a window builds :data:`PREBUILT_AREAS` at idle once shown; the UI tests switch
    #: it off (tests/ui/conftest.py) so a test builds what it opens, when it opens it
    prebuild_at_idle: ClassVar[bool] = True

    def __init__(self, services: UiServices, actor: Actor, parent: QWidget | None = None, *,
                 prebuild: bool | None = None) -> None:
        super().__init__(parent)
        self._prebuild = self.prebuild_at_idle if prebuild is None else prebuild
        #: what is left to build at idle, one step per event-loop turn (each well under 50 ms)
        self._idle_steps: list[Callable[[], object]] = []
        # a child of the window: closeEvent stops it with the pages' timers
        self._idle_timer = QTimer(self)
        self._idle_timer.setObjectName("prebuild")
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(0)
        self._idle_timer.timeout.connect(self._idle_step)
        #: the idle chain has built everything it had to (benchmarks wait for it)
        self.prebuilt = False
        self.services = services
        self.ctx = services.ctx
        self.workers = services.workers
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

            # the flow's heavy imports now, not at the first scan or signature (ui/warm_up.py);
            # then the flow's screens, whose modules the warm-up has imported too
            task = self.workers.run(warm_up, pool_name=Pool.GENERAL, name="warm-up")
            if self._prebuild:
                task.finished.connect(self._start_prebuild)

    # --- screens built at idle ---------------------------------------------------------

    def prebuild_steps(self) -> list[Callable[[], object]]:
        """What building the flow's screens takes, in order, one short step each: the page of
        each area of :data:`PREBUILT_AREAS` this officer may open, then what the page builds on
        first use itself (its ``prebuild_steps()``: the dossier area's scan screen and the page
        workers). No ``gc.freeze()`` here: the flow showed no full collection (``--why``), and
        a freeze in a test process keeps every earlier test's garbage alive."""
        if self.prebuilt:
            return []
        steps: list[Callable[[], object]] = []
        for key in PREBUILT_AREAS:
            area = next((a for a in self.areas if a.key == key), None)
            if area is not None:  # already opened (a dossier resumed after a crash): its own steps
                steps.append(partial(self._build_at_idle, area))
        return steps

    def _build_at_idle(self, area: Area) -> None:
        page = self._page_for(area)  # as it is when opened already
        more = getattr(page, "prebuild_steps", None)
        if more is not None:
            self._idle_steps[:0] = more()  # right after the page, before the next area

    @Slot()
    def _start_prebuild(self) -> None:
        if not self.isVisible():  # closed (sign-out, language change) before the warm-up ended
            return
        self._idle_steps = self.prebuild_steps()
        if self._idle_steps:
            self._idle_timer.start()
        else:
            self.prebuilt = True

    @Slot()
    def _idle_step(self) -> None:
        if not self._idle_steps or not self.isVisible():
            return
        step = self._idle_steps.pop(0)
        try:
            step()
        except Exception:  # the scan screen is built again, and says why, when a slot is scanned into
            log.exception("building a screen at idle failed")
        if self._idle_steps:
            self._idle_timer.start()  # the next one after the events that came meanwhile
        else:
            self.prebuilt = True

    def prebuild_all(self) -> None:
        """Build now what the idle chain would build (tests; the chain then has nothing left)."""
        self._idle_timer.stop()
        self._idle_steps = self.prebuild_steps()
        while self._idle_steps:
            self._idle_steps.pop(0)()
        self.prebuilt = True

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
        self.stack.setCurrentWidget(self._page_for(self.areas[row]))

    def _page_for(self, area: Area) -> QWidget:
        """The area's page, built the first time it is asked for (opened, or at idle)."""
        page = self.pages.get(area.key)
        if page is None:
            page = self._make_page(area)
            self.pages[area.key] = page
            self._connect_page(page)
            self.stack.addWidget(page)
        return page

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

    return StatusIndicators(services.ctx, parent, workers=services.workers, uploads=services.uploads,
                            backups=services.backups)


def _token_status(services: UiServices, parent: QWidget) -> QWidget:
    from ui.token_status import TokenStatus

    return TokenStatus(services.ctx, parent, workers=services.workers, monitor=services.token_monitor)


#: widgets at the right of the status bar, each built as factory(services, parent)
_STATUS_WIDGETS = [_token_status, _status_indicators]
