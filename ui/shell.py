"""Start the Qt application: fonts, translations, sign-in, main window, orderly shutdown.

Before the sign-in window shows, only Qt, the dialog and the kernel are imported: the
database layer (SQLAlchemy, through ``desktop.auth``) is imported by the dialog's worker
that opens the database, the main window and its views once the officer has signed in
(``tests/ui/test_start_up.py`` keeps it so; bench/RESULTS.md "Frozen application").
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.kernel.i18n import set_language
from ui import translations
from ui.login_dialog import LoginDialog
from ui.workers import Workers

if TYPE_CHECKING:  # imported once signed in (the database layer and the views: most of start-up)
    from desktop.auth import Actor
    from desktop.context import AppContext
    from ui.main_window import MainWindow
    from ui.services import UiServices

log = logging.getLogger(__name__)

# Families known to carry every Vietnamese glyph, in order of preference.
VIETNAMESE_FONTS = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial")


def pick_font(point_size: int = 10) -> QFont:
    families = set(QFontDatabase.families())
    for family in VIETNAMESE_FONTS:
        if family in families:
            return QFont(family, point_size)
    return QFont()


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("motcua")
    app.setOrganizationName("motcua")
    app.setFont(pick_font())
    # Everything imported so far (Qt, ...) lives as long as the process: keep it out of the
    # collector's full passes, which otherwise stall the event loop for tens of milliseconds
    # now and then (bench/panel_bench.py); run_gui freezes again what the sign-in imported.
    gc.freeze()
    return app


class Shell(QObject):
    """Owns the main window across sign-out and language changes, and the services the
    screens share (:class:`UiServices`: the uploader runs while the shell does)."""

    def __init__(self, ctx: AppContext, actor: Actor | None = None, *, start_uploader: bool = True,
                 check: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = actor
        self.window: MainWindow | None = None
        self._start_uploader = start_uploader
        self.services: UiServices | None = None
        #: installation check: show the sign-in window, say so on stdout, close it
        self.check = check
        self._dialog: LoginDialog | None = None
        #: the sign-in dialog's workers (opening the database, signing in): no services before sign-in
        self._sign_in_workers = Workers()

    def start(self) -> bool:
        self.apply_language(self.ctx.settings.language or "vi")
        if self.actor is None and not self._sign_in():
            return False
        self._show_window()
        return True

    def apply_language(self, lang: str) -> None:
        set_language(lang)
        translations.install(lang)

    def _sign_in(self) -> bool:
        dlg = LoginDialog(self.ctx, workers=self._sign_in_workers, open_early=not self.check)
        if self.check:
            self._dialog = dlg
            QTimer.singleShot(0, self._report_shown)  # runs inside exec(), once the dialog is shown
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.actor is None:
            return False
        self.actor = dlg.actor
        return True

    def _show_window(self) -> None:
        assert self.actor is not None
        from ui.main_window import MainWindow
        from ui.services import UiServices

        if self.services is None:
            self.services = UiServices(self.ctx, start_uploader=self._start_uploader, parent=self)
        old = self.window
        self.window = MainWindow(self.services, self.actor)
        self.window.languageChangeRequested.connect(self.change_language)
        self.window.signOutRequested.connect(self.sign_out)
        self.window.show()
        if old is not None:
            old.close()
            old.deleteLater()

    @Slot()
    def _report_shown(self) -> None:
        dlg = self._dialog
        assert dlg is not None
        print(f"sign-in window shown: {dlg.isVisible()} {dlg.windowTitle()}", flush=True)
        dlg.reject()

    @Slot(str)
    def change_language(self, lang: str) -> None:
        self.ctx.settings.language = lang
        self.ctx.settings.save()
        self.apply_language(lang)
        self._show_window()  # rebuilt so every label is in the new language

    def close(self) -> None:
        """Stop the shared services (uploader, watchers, their worker pools) and the sign-in's."""
        if self.services is not None:
            self.services.close()
        if not self._sign_in_workers.shutdown():
            log.warning("the sign-in's worker tasks still running at exit")

    @Slot()
    def sign_out(self) -> None:
        if self.window is not None:
            self.window.hide()
        self.actor = None
        if self._sign_in():
            self._show_window()
        elif self.window is not None:
            self.window.close()


def run_gui(ctx: AppContext, actor: Actor | None = None, *, check: bool = False) -> int:
    app = make_application()
    shell = Shell(ctx, actor, check=check)
    app.aboutToQuit.connect(shell.close)
    if not shell.start():
        shell.close()  # the dialog's database opening, if it is still under way, before ctx.close()
        return 0
    # SQLAlchemy, the models, the main window and its views: as long-lived as what was
    # frozen before the sign-in (make_application)
    gc.freeze()
    return app.exec()


def run_standalone(ctx: AppContext, make_window: Callable[[Workers], QWidget], *, fullscreen: bool,
                   size: tuple[int, int]) -> int:
    """Run one window as its own process (kiosk, display board): translations, its worker
    pools (shut down at exit, after the purge and the backup are told to start nothing)."""
    app = make_application()
    # the core's messages (queue errors on the kiosk) in the same language as the window's
    set_language(ctx.settings.language or "vi")
    translations.install(ctx.settings.language or "vi")
    # imported here: the shell's module is loaded before the sign-in window shows, and this
    # brings the database layer with it (tests/ui/test_start_up.py)
    from ui.backup_schedule import BackupSchedule
    from ui.retention import RetentionPurge

    pools = Workers()
    window = make_window(pools)
    # this process may be all that runs on the machine (a kiosk's own PC): it purges and backs up too
    retention = RetentionPurge(ctx, pools, window)
    daily_backup = BackupSchedule(ctx, pools, window)
    if fullscreen:
        window.showFullScreen()
    else:
        window.resize(*size)
        window.show()
    app.aboutToQuit.connect(retention.close)
    app.aboutToQuit.connect(daily_backup.close)
    app.aboutToQuit.connect(lambda: pools.shutdown())
    return int(app.exec())
