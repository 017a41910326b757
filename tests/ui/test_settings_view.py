"""Settings screen: saving goes through the settings service off the UI thread into the user's
motcua.toml; errors are shown; the token modules found here are offered."""

from __future__ import annotations

from pathlib import Path

from desktop.auth import Actor, Role
from desktop.config import read_config
from desktop.context import AppContext
from ui.settings_view import SettingsView


def test_save_and_refusals_are_shown(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = SettingsView(ctx, Actor.cli(), workers=workers)
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
    officer = SettingsView(ctx, Actor("lan", Role.COUNTER_OFFICER), workers=workers)
    qtbot.addWidget(officer)
    officer.save()
    qtbot.waitUntil(lambda: officer.status.text() != "", timeout=5000)
    assert "counter_officer" not in officer.status.text() or "manage_settings" in officer.status.text()
    assert "b00020" in officer.status.styleSheet()


def test_settings_screen_offers_modules_and_saves_the_user_file(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = SettingsView(ctx, Actor("admin", Role.ADMIN), workers=workers)
    qtbot.addWidget(view)
    offered = [view.pkcs11.itemText(i) for i in range(view.pkcs11.count())]
    assert any(p.endswith("libsofthsm2.so") for p in offered)  # installed here by apt-packages.txt
    view.pkcs11.setCurrentIndex(0)
    view.counter.setText("5")
    view.ticket_printer.setCurrentText("XP-80C")
    view.save_button.click()
    qtbot.waitUntil(lambda: "Saved" in view.status.text(), timeout=5000)  # saved on the db pool
    doc = read_config(Path(ctx.settings.config_path()))
    assert doc["workstation"]["counter"] == "5"
    assert doc["printers"] == {"tickets": "XP-80C"}
    assert doc["token"]["module"] == offered[0]


def test_personal_data_group_saves_retention_and_asks_for_encryption(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = SettingsView(ctx, Actor("admin", Role.ADMIN), workers=workers)
    qtbot.addWidget(view)
    assert view.retention.value() == 0 and view.retention.text() == view.retention.specialValueText()
    assert view.encrypt.isEnabled() and not view.encrypt.isChecked() and view.conversion.text() == ""
    view.retention.setValue(180)
    view.encrypt.setChecked(True)
    view.save()
    qtbot.waitUntil(lambda: "Saved" in view.status.text(), timeout=5000)
    assert ctx.settings.retention_days == 180
    assert "next start" in view.conversion.text()  # the running application does not convert under itself
    again = SettingsView(ctx, Actor("admin", Role.ADMIN), workers=workers)  # reopened: the request is shown, the box ticked
    qtbot.addWidget(again)
    assert again.encrypt.isChecked() and again.retention.value() == 180 and "next start" in again.conversion.text()


def test_the_notice_settings_are_saved_and_checked(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = SettingsView(ctx, Actor("admin", Role.ADMIN), workers=workers)
    qtbot.addWidget(view)
    view.smtp_host.setText("mail.quynhon.gov.vn")
    view.smtp_port.setText("4x5")
    view.save_button.click()
    qtbot.waitUntil(lambda: "4x5" in view.status.text(), timeout=20_000)
    assert ctx.settings.smtp_host == "" and "b00020" in view.status.styleSheet()
    view.smtp_port.setText("465")
    view.smtp_security.setCurrentIndex(view.smtp_security.findData("ssl"))
    view.smtp_user.setText("motcua")
    view.smtp_sender.setText("Bộ phận Một cửa <motcua@quynhon.gov.vn>")
    view.sms_url.setText("https://sms.quynhon.gov.vn/send")
    view.smtp_security.setCurrentIndex(view.smtp_security.findData("none"))
    view.save_button.click()  # a login over plain TCP would send the password in clear
    qtbot.waitUntil(lambda: "smtp.security" in view.status.text(), timeout=20_000)
    assert ctx.settings.smtp_host == ""
    view.smtp_security.setCurrentIndex(view.smtp_security.findData("ssl"))
    view.smtp_ca_file.setText(str(Path(ctx.settings.data_dir) / "no-such-ca.pem"))
    view.save_button.click()
    qtbot.waitUntil(lambda: "smtp.ca_file" in view.status.text(), timeout=20_000)
    assert ctx.settings.smtp_host == ""
    from tests.outbox.tls_certs import make_pki

    ca = make_pki(Path(ctx.settings.data_dir) / "pki").ca_file
    view.smtp_ca_file.setText(str(ca))
    view.save_button.click()
    qtbot.waitUntil(lambda: "Saved" in view.status.text(), timeout=20_000)
    assert (ctx.settings.smtp_host, ctx.settings.smtp_port, ctx.settings.smtp_security) == \
        ("mail.quynhon.gov.vn", 465, "ssl")
    doc = read_config(Path(ctx.settings.config_path()))
    assert doc["smtp"] == {"host": "mail.quynhon.gov.vn", "port": 465, "security": "ssl", "user": "motcua",
                           "sender": "Bộ phận Một cửa <motcua@quynhon.gov.vn>", "ca_file": str(ca)}
    assert doc["sms"] == {"url": "https://sms.quynhon.gov.vn/send"}
    assert "password" not in doc["smtp"]


def test_the_printers_installed_here_are_offered_and_a_name_may_be_typed(workers, qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                         printer_queue: tuple[str, Path],
                                                                         default_printer: tuple[str, Path]) -> None:
    name, _out = printer_queue
    office, _office_out = default_printer
    ctx.settings.ticket_printer = "XP-80C"  # set, but not installed here: still shown as it is
    view = SettingsView(ctx, Actor("admin", Role.ADMIN), workers=workers)
    qtbot.addWidget(view)
    qtbot.waitUntil(view.printers_note.isHidden, timeout=10_000)  # asked of CUPS on a worker
    for box in (view.receipt_printer, view.ticket_printer):
        offered = [box.itemText(i) for i in range(box.count())]
        assert sorted(offered) == sorted(["", name, office]) and box.isEditable()  # "": the system's default
    assert view.receipt_printer.currentText() == "" and view.ticket_printer.currentText() == "XP-80C"
    view.receipt_printer.setCurrentIndex(view.receipt_printer.findText(office))
    view.ticket_printer.setCurrentText("XP-80C-Quay-2")  # typed: installed later, or elsewhere
    view.save_button.click()
    qtbot.waitUntil(lambda: "Saved" in view.status.text(), timeout=5000)
    doc = read_config(Path(ctx.settings.config_path()))
    assert doc["printers"] == {"receipts": office, "tickets": "XP-80C-Quay-2"}
    # saved, and said at once: that printer is not installed here
    lines = view.status.text().splitlines()
    assert len(lines) == 2 and "“XP-80C-Quay-2”" in lines[1] and "printers.tickets" in lines[1]
    assert "b00020" in view.status.styleSheet()
    assert ctx.settings.receipt_printer == office  # the next print goes there, without a restart


def test_the_printers_are_read_on_a_worker_while_the_screen_keeps_turning(workers, qtbot,  # type: ignore[no-untyped-def]
                                                                          ctx: AppContext) -> None:
    """Issue 16's leftover: the printers were asked of CUPS on the UI thread while the screen
    was built; a slow scheduler froze it. Now the boxes show the settings at once, say that
    the printers are being read, and get the list when it comes, keeping what is chosen."""
    import threading

    from PySide6.QtCore import QTimer

    release = threading.Event()

    def slow_cups() -> list[str]:
        release.wait(10)
        return ["Quay-1", "XP-80C"]

    ctx.settings.ticket_printer = "XP-80C"
    turns: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: turns.append(1))
    timer.start(10)
    try:
        view = SettingsView(ctx, Actor("admin", Role.ADMIN), workers=workers, list_printers=slow_cups)
        qtbot.addWidget(view)
        assert view.printers_note.text() == "Reading printers…" and view.ticket_printer.currentText() == "XP-80C"
        qtbot.wait(300)
        assert len(turns) >= 10, "the event loop turns while the printers are read"
        view.receipt_printer.setCurrentText("Quay-1")  # chosen meanwhile
        release.set()
        qtbot.waitUntil(view.printers_note.isHidden, timeout=5000)
    finally:
        release.set()
        timer.stop()
    for box in (view.receipt_printer, view.ticket_printer):
        assert [box.itemText(i) for i in range(box.count())] == ["", "Quay-1", "XP-80C"]
    assert view.receipt_printer.currentText() == "Quay-1" and view.ticket_printer.currentText() == "XP-80C"


def test_printers_that_cannot_be_listed_are_said_and_nothing_is_called_missing(workers, qtbot,  # type: ignore[no-untyped-def]
                                                                               ctx: AppContext) -> None:
    view = SettingsView(ctx, Actor("admin", Role.ADMIN), workers=workers, list_printers=lambda: None)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: "cannot be listed" in view.printers_note.text(), timeout=5000)
    view.ticket_printer.setCurrentText("XP-80C")
    view.save_button.click()
    qtbot.waitUntil(lambda: "Saved" in view.status.text(), timeout=5000)
    assert len(view.status.text().splitlines()) == 1  # not told "not installed": it cannot be told here
