"""Settings screen: saving goes through the settings service off the UI thread; errors are shown."""

from __future__ import annotations

from desktop.app import AppContext
from desktop.auth import Actor, Role
from ui.settings_view import SettingsView


def test_save_and_refusals_are_shown(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = SettingsView(ctx, Actor.cli())
    qtbot.addWidget(view)
    view.unit_code.setText("000.00.06.H56")
    view.save()
    assert not view.save_button.isEnabled()  # working on the db pool, not on the UI thread
    qtbot.waitUntil(lambda: "Saved" in view.status.text(), timeout=5000)
    assert ctx.settings.unit_code == "000.00.06.H56" and view.save_button.isEnabled()
    view.dossier_url.setText("ftp://somewhere")
    view.save()
    qtbot.waitUntil(lambda: "ftp://somewhere" in view.status.text(), timeout=5000)
    assert "b00020" in view.status.styleSheet() and ctx.settings.dossier_url == ""
    officer = SettingsView(ctx, Actor("lan", Role.COUNTER_OFFICER))
    qtbot.addWidget(officer)
    officer.save()
    qtbot.waitUntil(lambda: officer.status.text() != "", timeout=5000)
    assert "counter_officer" not in officer.status.text() or "manage_settings" in officer.status.text()
    assert "b00020" in officer.status.styleSheet()
