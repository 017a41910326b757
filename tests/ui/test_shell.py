"""The application shell: sign-in, navigation by role, language switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.app import AppContext
from desktop.auth import Actor
from desktop.db.models import Role
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow


@pytest.fixture
def shell_ctx(ctx: AppContext) -> AppContext:
    ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mật-khẩu-đúng")
    return ctx


def test_wrong_password_shows_error_and_keeps_dialog_open(qtbot, shell_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dlg = LoginDialog(shell_ctx)
    qtbot.addWidget(dlg)
    dlg.user.setText("lan")
    dlg.password.setText("sai")
    with qtbot.waitSignal(dlg.buttons.accepted, timeout=1000, raising=False):
        pass
    dlg.try_sign_in()
    qtbot.waitUntil(lambda: dlg.error.text() != "", timeout=5000)
    assert "Sai tên đăng nhập hoặc mật khẩu" in dlg.error.text()
    assert dlg.actor is None and dlg.password.text() == ""
    qtbot.waitUntil(lambda: dlg.buttons.isEnabled(), timeout=5000)


def test_right_password_signs_in(qtbot, shell_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dlg = LoginDialog(shell_ctx)
    qtbot.addWidget(dlg)
    dlg.user.setText("lan")
    dlg.password.setText("mật-khẩu-đúng")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.try_sign_in()
    assert dlg.actor is not None and dlg.actor.role == Role.COUNTER_OFFICER


def _nav_keys(win: MainWindow) -> list[str]:
    return [win.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(win.nav.count())]


def test_navigation_follows_role(qtbot, shell_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    officer = shell_ctx.auth.sign_in("lan", "mật-khẩu-đúng")
    win = MainWindow(shell_ctx, officer)
    qtbot.addWidget(win)
    keys = _nav_keys(win)
    assert "reception" in keys
    assert "reports" not in keys and "settings" not in keys
    admin = MainWindow(shell_ctx, Actor.cli())
    qtbot.addWidget(admin)
    assert {"reports", "settings", "reception"} <= set(_nav_keys(admin))


def test_vietnamese_is_default(qtbot, shell_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from ui import translations

    loaded = translations.install("vi")
    win = MainWindow(shell_ctx, Actor.cli())
    qtbot.addWidget(win)
    try:
        assert "main_vi.qm" in loaded
        titles = [win.nav.item(i).text() for i in range(win.nav.count())]
        assert "Tiếp nhận hồ sơ" in titles and "Báo cáo" in titles
        assert win.menuBar().actions()[0].text() == "&Ứng dụng"
    finally:
        translations.install("en")


def test_seeded_admin_with_the_built_in_password_must_choose_a_new_one(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.config import Settings

    monkeypatch.delenv("MOTCUA_ADMIN_PASSWORD", raising=False)
    c = AppContext(Settings(data_dir=tmp_path / "fresh"))
    try:
        dlg = LoginDialog(c)
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
