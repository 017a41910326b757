"""The application shell: sign-in, navigation by role, language switch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Role
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.services import UiServices

#: the main window's token widget watches PC/SC; without pcscd here it logs that, as it should
NO_PCSCD = pytest.mark.log_warnings("PC/SC service unavailable")


@pytest.fixture
def services(shell_ctx: AppContext) -> Iterator[UiServices]:
    s = UiServices(shell_ctx, start_uploader=False)
    yield s
    s.close()


@pytest.fixture
def shell_ctx(ctx: AppContext) -> AppContext:
    ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mật-khẩu-đúng")
    return ctx


def test_wrong_password_shows_error_and_keeps_dialog_open(workers, qtbot, shell_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dlg = LoginDialog(shell_ctx, workers=workers)
    qtbot.addWidget(dlg)
    dlg.user.setText("lan")
    dlg.password.setText("sai")
    with qtbot.assertNotEmitted(dlg.accepted, wait=200):
        dlg.try_sign_in()
    qtbot.waitUntil(lambda: dlg.error.text() != "", timeout=5000)
    assert "Sai tên đăng nhập hoặc mật khẩu" in dlg.error.text()
    assert dlg.actor is None and dlg.password.text() == ""
    qtbot.waitUntil(lambda: dlg.buttons.isEnabled(), timeout=5000)


def test_right_password_signs_in(workers, qtbot, shell_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dlg = LoginDialog(shell_ctx, workers=workers)
    qtbot.addWidget(dlg)
    dlg.user.setText("lan")
    dlg.password.setText("mật-khẩu-đúng")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.try_sign_in()
    assert dlg.actor is not None and dlg.actor.role == Role.COUNTER_OFFICER


def _nav_keys(win: MainWindow) -> list[str]:
    return [win.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(win.nav.count())]


@NO_PCSCD
def test_navigation_follows_role(qtbot, shell_ctx: AppContext, services: UiServices) -> None:  # type: ignore[no-untyped-def]
    officer = shell_ctx.auth.sign_in("lan", "mật-khẩu-đúng")
    win = MainWindow(services, officer)
    qtbot.addWidget(win)
    keys = _nav_keys(win)
    assert "reception" in keys
    assert "reports" not in keys and "settings" not in keys
    admin = MainWindow(services, Actor.cli())
    qtbot.addWidget(admin)
    assert {"reports", "settings", "reception"} <= set(_nav_keys(admin))


@NO_PCSCD
def test_vietnamese_is_default(qtbot, shell_ctx: AppContext, services: UiServices) -> None:  # type: ignore[no-untyped-def]
    from ui import translations

    loaded = translations.install("vi")
    win = MainWindow(services, Actor.cli())
    qtbot.addWidget(win)
    try:
        assert "main_vi.qm" in loaded
        titles = [win.nav.item(i).text() for i in range(win.nav.count())]
        assert "Tiếp nhận hồ sơ" in titles and "Báo cáo" in titles
        assert win.menuBar().actions()[0].text() == "&Ứng dụng"
    finally:
        translations.install("en")


@NO_PCSCD
def test_the_shell_runs_the_uploader_while_open_and_stops_it(qtbot, shell_ctx: AppContext, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Nothing to press: a dossier received while the window is open reaches the dossier system."""
    import json

    from ui.shell import Shell

    shell = Shell(shell_ctx, Actor.cli())
    assert shell.start()
    try:
        assert shell.window is not None and shell.window.isVisible()
        qtbot.waitUntil(lambda: shell_ctx.uploader.running, timeout=5000)
        d = shell_ctx.dossiers.receive(Actor.cli(), procedure_code="1.001193", applicant_name="Lê Thị Mai")
        folder = Path(shell_ctx.settings.resolved_dossier_url().removeprefix("file://"))
        qtbot.waitUntil(lambda: (folder / d.code / "dossier.json").is_file(), timeout=10000)
        assert json.loads((folder / d.code / "dossier.json").read_text())["code"] == d.code
        label = shell.window.findChild(QLabel, "outbox_status")
        assert label is not None
        qtbot.waitUntil(lambda: "0" in label.text(), timeout=5000)
    finally:
        shell.close()
        if shell.window is not None:
            shell.window.close()
    assert not shell_ctx.uploader.running


def test_seeded_admin_with_the_built_in_password_must_choose_a_new_one(workers, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.config import Settings

    monkeypatch.delenv("MOTCUA_ADMIN_PASSWORD", raising=False)
    c = AppContext(Settings(data_dir=tmp_path / "fresh"))
    try:
        dlg = LoginDialog(c, workers=workers)
        qtbot.addWidget(dlg)
        dlg.user.setText("admin")
        dlg.password.setText("motcua-admin")
        with qtbot.assertNotEmitted(dlg.accepted, wait=200):
            dlg.try_sign_in()
            qtbot.waitUntil(lambda: not dlg.new_password.isHidden() and dlg.buttons.isEnabled(), timeout=10000)
        assert dlg.actor is None and dlg.password.isHidden()
        dlg.new_password.setText("12345678")
        dlg.confirm.setText("12345678")
        dlg.try_change_password()
        qtbot.waitUntil(lambda: dlg.error.text() != "" and dlg.buttons.isEnabled(), timeout=10000)
        assert "10" in dlg.error.text()
        dlg.new_password.setText("Quản-trị-viên-mới-2026")
        dlg.confirm.setText("Quản-trị-viên-mới-2026")
        with qtbot.waitSignal(dlg.accepted, timeout=10000):
            dlg.try_change_password()
        assert dlg.actor is not None and not dlg.actor.must_change_password
        c.auth.sign_in("admin", "Quản-trị-viên-mới-2026")
    finally:
        c.close()


@NO_PCSCD
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_area_fits_a_1366_by_768_screen(qtbot, shell_ctx: AppContext, services: UiServices,  # type: ignore[no-untyped-def]
                                             lang: str) -> None:
    """The counters' laptops have 1366×768 screens: no page may need a wider window (the
    reports row and the scan previews once did, in Vietnamese, whose labels are longer)."""
    from ui import translations

    translations.install(lang)
    win = MainWindow(services, Actor.cli())
    qtbot.addWidget(win)
    win.show()
    too_wide = {}
    for key in _nav_keys(win):
        win.open_area(key)
        qtbot.wait(50)
        need = win.minimumSizeHint().width()
        if need > 1366:
            too_wide[key] = need
    assert too_wide == {}


@NO_PCSCD
def test_receiving_for_a_ticket_opens_the_dossier_page(qtbot, shell_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                       services: UiServices) -> None:
    """F7's path across areas: reception opens for the ticket, and the received dossier's
    page opens in the "Hồ sơ" area at its first slot — no code typed in between."""
    officer = shell_ctx.auth.sign_in("lan", "mật-khẩu-đúng")
    win = MainWindow(services, officer)
    qtbot.addWidget(win)
    win.show()
    shell_ctx.queue.issue(Actor.cli(), "TP")
    called = shell_ctx.queue.call_next(officer, 1)
    assert called is not None
    win.receive_for_ticket(called.id, called.number)
    reception = win.pages["reception"]
    assert win.stack.currentWidget() is reception and reception.ticket_id == called.id  # type: ignore[attr-defined]
    reception.search.setText("khai tu")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: reception.procedure.currentData() == "1.000656", timeout=5000)  # type: ignore[attr-defined]
    reception.name.setText("Mai Văn Chuyển")  # type: ignore[attr-defined]
    qtbot.keyClick(reception, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pages.get("dossiers"), timeout=5000)
    area = win.pages["dossiers"]
    qtbot.waitUntil(lambda: area.page.page is not None, timeout=5000)  # type: ignore[attr-defined]
    assert area.page.page.ticket_id == called.id  # type: ignore[attr-defined]
    assert area.page.selected_slot() == "TK"  # type: ignore[attr-defined]


@NO_PCSCD
@pytest.mark.parametrize("who", ["admin", "officer"])
def test_no_screen_opens_a_stray_window(qtbot, shell_ctx: AppContext, services: UiServices, who: str) -> None:  # type: ignore[no-untyped-def]
    """A widget shown before it had a parent (the dossier list's register button) opened as a
    window of its own, for a moment: it took the activation from the main window and the
    counter flow's F5 on the scan screen went nowhere. Every window shown is watched."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    shown: list[str] = []

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
                shown.append(f"{type(obj).__name__}:{obj.objectName()}")
            return False

    watch = Watch()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    try:
        actor = Actor.cli() if who == "admin" else shell_ctx.auth.sign_in("lan", "mật-khẩu-đúng")
        win = MainWindow(services, actor)
        qtbot.addWidget(win)
        win.show()
        for row in range(win.nav.count()):
            win.open_area(win.nav.item(row).data(Qt.ItemDataRole.UserRole))
            qtbot.wait(20)
    finally:
        app.removeEventFilter(watch)
    assert shown == ["MainWindow:" + win.objectName()], shown
