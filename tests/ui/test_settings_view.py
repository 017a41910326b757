"""The Settings screen edits the user's motcua.toml and offers the token modules found here."""

from __future__ import annotations

from pathlib import Path

from desktop.app import AppContext
from desktop.auth import Actor, Role
from desktop.config import read_config
from ui.settings_view import SettingsView


def test_settings_screen_offers_modules_and_saves_the_user_file(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = SettingsView(ctx, Actor("admin", Role.ADMIN))
    qtbot.addWidget(view)
    offered = [view.pkcs11.itemText(i) for i in range(view.pkcs11.count())]
    assert any(p.endswith("libsofthsm2.so") for p in offered)  # installed here by apt-packages.txt
    view.pkcs11.setCurrentIndex(0)
    view.counter.setText("5")
    view.ticket_printer.setText("XP-80C")
    view.save_button.click()
    doc = read_config(Path(ctx.settings.config_path()))
    assert doc["workstation"]["counter"] == "5"
    assert doc["printers"] == {"tickets": "XP-80C"}
    assert doc["token"]["module"] == offered[0]
