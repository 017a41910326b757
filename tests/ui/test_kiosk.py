"""Kiosk: a button per service issues a ticket and writes its PDF with Vietnamese text."""

from __future__ import annotations

import subprocess

from PySide6.QtWidgets import QPushButton

from desktop.app import AppContext
from desktop.auth import Actor
from ui.queue.kiosk import KioskWindow


def test_take_a_ticket(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    kiosk = KioskWindow(ctx, Actor.kiosk())
    qtbot.addWidget(kiosk)
    qtbot.waitUntil(lambda: kiosk.findChild(QPushButton, "service-TP") is not None, timeout=5000)
    ctx.queue.issue(Actor.cli(), "TP")  # someone already waits
    kiosk.findChild(QPushButton, "service-TP").click()
    qtbot.waitUntil(lambda: kiosk.last_pdf is not None, timeout=5000)
    assert "A002" in kiosk.result.text()
    text = subprocess.run(["pdftotext", str(kiosk.last_pdf), "-"], capture_output=True, text=True).stdout
    assert "A002" in text and "Tư pháp" in text and "Số người đang chờ trước bạn: 1" in text
    kiosk.clear_timer.stop()
