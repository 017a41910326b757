"""Kiosk: a button per service issues a ticket and writes its PDF with Vietnamese text; a priority
button touched first makes it a priority ticket, called before walk-ins; the ticket prints on
the ticket printer (a real CUPS queue, tests/cups.py), and nowhere when that one is missing."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.queue.priority import KIOSK_CLASSES, Priority
from tests.cups import CupsServer, printed_text
from ui.queue.kiosk import KioskWindow


def test_take_a_ticket(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    kiosk = KioskWindow(ctx, Actor.kiosk(), workers=workers)
    qtbot.addWidget(kiosk)
    qtbot.waitUntil(lambda: kiosk.findChild(QPushButton, "service-TP") is not None, timeout=5000)
    ctx.queue.issue(Actor.cli(), "TP")  # someone already waits
    kiosk.findChild(QPushButton, "service-TP").click()
    qtbot.waitUntil(lambda: kiosk.last_pdf is not None, timeout=5000)
    assert "A002" in kiosk.result.text()
    text = subprocess.run(["pdftotext", str(kiosk.last_pdf), "-"], capture_output=True, text=True).stdout
    assert "A002" in text and "Tư pháp" in text and "Số người đang chờ trước bạn: 1" in text
    kiosk.clear_timer.stop()


def test_a_priority_button_issues_a_priority_ticket_called_first(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    kiosk = KioskWindow(ctx, Actor.kiosk(), workers=workers)
    qtbot.addWidget(kiosk)
    qtbot.waitUntil(lambda: kiosk.findChild(QPushButton, "service-TP") is not None, timeout=5000)
    names = {p: kiosk.findChild(QPushButton, f"priority-{p.value}") for p in KIOSK_CLASSES}
    assert all(names.values()) and set(KIOSK_CLASSES) == {Priority.ELDERLY, Priority.DISABILITY, Priority.PREGNANT,
                                                          Priority.CHILD_UNDER_6}
    assert names[Priority.CHILD_UNDER_6].text() == "With a child under 6"
    walk_in = ctx.queue.issue(Actor.cli(), "TP")  # someone already waits, without priority
    qtbot.mouseClick(names[Priority.CHILD_UNDER_6], Qt.MouseButton.LeftButton)
    assert names[Priority.CHILD_UNDER_6].isChecked() and kiosk.priority == Priority.CHILD_UNDER_6
    kiosk.findChild(QPushButton, "service-TP").click()
    qtbot.waitUntil(lambda: kiosk.last_pdf is not None, timeout=5000)
    assert "With a child under 6" in kiosk.result.text()
    assert not names[Priority.CHILD_UNDER_6].isChecked() and kiosk.priority == Priority.WALK_IN  # not for the next citizen
    text = subprocess.run(["pdftotext", str(kiosk.last_pdf), "-"], capture_output=True, text=True).stdout
    assert "Ưu tiên: Người đưa trẻ em dưới 6 tuổi" in text
    called = ctx.queue.call_next(Actor.cli(), 1)
    assert called is not None and called.number == "A002" and called.priority == "child_under_6"
    assert called.number != walk_in.number
    # touching a class twice takes it back: a plain ticket
    qtbot.mouseClick(names[Priority.ELDERLY], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(names[Priority.ELDERLY], Qt.MouseButton.LeftButton)
    assert kiosk.priority == Priority.WALK_IN and not names[Priority.ELDERLY].isChecked()
    kiosk.clear_timer.stop()


def test_the_screens_priority_labels_are_the_cores_in_both_languages(qapp) -> None:  # type: ignore[no-untyped-def]
    from desktop.queue.priority import LABELS
    from ui import translations
    from ui.queue.priority_labels import priority_label

    assert {p: priority_label(p) for p in Priority} == {p: en for p, (_vi, en) in LABELS.items()}
    translations.install("vi")
    assert {p: priority_label(p) for p in Priority} == {p: vi for p, (vi, _en) in LABELS.items()}


def _take(qtbot, kiosk: KioskWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: kiosk.findChild(QPushButton, "service-TP") is not None, timeout=5000)
    kiosk.findChild(QPushButton, "service-TP").click()
    qtbot.waitUntil(lambda: kiosk.last_pdf is not None, timeout=5000)


def test_the_ticket_prints_on_the_ticket_printer_not_the_default(workers, qtbot, ctx: AppContext, cups_server: CupsServer,  # type: ignore[no-untyped-def]
                                                                 printer_queue: tuple[str, Path],
                                                                 default_printer: tuple[str, Path]) -> None:
    name, out = printer_queue
    office, office_out = default_printer
    ctx.settings.ticket_printer = name
    kiosk = KioskWindow(ctx, Actor.kiosk(), workers=workers)
    qtbot.addWidget(kiosk)
    _take(qtbot, kiosk)
    qtbot.waitUntil(lambda: kiosk.last_printed is not None, timeout=10_000)  # no dialog: nobody to answer it
    qtbot.waitUntil(lambda: cups_server.completed_jobs(name) != [], timeout=10_000)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    width = float(next(line for line in info.splitlines() if line.startswith("Page size:")).split()[2])
    assert abs(width / 72 * 25.4 - 80) < 1, info  # the 80 mm roll
    assert "A001" in printed_text(out) and "A001" in kiosk.result.text()
    assert "not available" not in kiosk.result.text()
    assert cups_server.completed_jobs(office) == [] and not office_out.exists()
    kiosk.clear_timer.stop()
    # the document the kiosk itself sent is one 80 mm page already: the roll's width is not the filter's doing
    jobs = cups_server.completed_jobs(name)
    assert len(jobs) == 1
    (sent,) = cups_server.job_documents(jobs[0])
    info = subprocess.run(["pdfinfo", str(sent)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    width = float(next(line for line in info.splitlines() if line.startswith("Page size:")).split()[2])
    assert abs(width / 72 * 25.4 - 80) < 1, info


@pytest.mark.log_warnings("not printed")
def test_a_ticket_printer_not_installed_shows_the_ticket_and_prints_nowhere(workers, qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                            cups_server: CupsServer,
                                                                            default_printer: tuple[str, Path],
                                                                            caplog: pytest.LogCaptureFixture) -> None:
    office, office_out = default_printer
    ctx.settings.ticket_printer = "XP-80C"
    kiosk = KioskWindow(ctx, Actor.kiosk(), workers=workers)
    qtbot.addWidget(kiosk)
    with caplog.at_level(logging.WARNING, logger="ui.queue.kiosk"):
        _take(qtbot, kiosk)
    text = kiosk.result.text()
    assert "A001" in text and "please remember your number" in text
    assert "“XP-80C”" in text and "printers.tickets" in text  # which printer, and where it is set
    assert any("A001" in r.getMessage() and "XP-80C" in r.getMessage() for r in caplog.records)
    assert kiosk.last_printed is None
    assert cups_server.completed_jobs(office) == [] and not office_out.exists()  # not on the office's A4
    kiosk.clear_timer.stop()
