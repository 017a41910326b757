"""Killed mid-slot, nothing lost: the application (a real process with a real window,
offscreen) scans a component from SANE's test scanner into a dossier slot and is SIGKILLed
after the second page; on restart the main window opens that dossier by itself, its page
says the pages are there, F5 brings them back in order, and the PDF is made from them into
the slot."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import Role
from scanning.spool import slot_spool
from tests.scanning.sane_device import write_sane_config
from ui.dossiers.area import DossiersArea
from ui.main_window import MainWindow
from ui.services import UiServices

CHILD = textwrap.dedent("""
    import sys, time
    from PySide6.QtWidgets import QApplication
    from desktop.context import AppContext
    from desktop.config import load_settings
    from ui.dossiers.area import DossiersArea
    from ui.workers import Workers

    app = QApplication([])
    workers = Workers()
    ctx = AppContext(load_settings())
    actor = ctx.auth.sign_in("lan", "mat-khau-dai-1")
    area = DossiersArea(ctx, actor, workers=workers)
    area.resize(1366, 740)
    area.show()
    area.open_dossier(sys.argv[1])
    area.scan_into(sys.argv[1], "TK")
    scan = area.scan_view()
    end = time.monotonic() + 60
    while scan.source_box.count() == 0 and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    scan.profile_box.setCurrentIndex(scan.profile_box.findData("a4-grey-300"))
    scan.dpi_box.setCurrentIndex(scan.dpi_box.findData(200))
    from dataclasses import replace
    plain = scan.settings
    scan.settings = lambda: replace(plain(), options={"test-picture": "Grid"})  # the test device's blank page is blank
    scan.start_scan()
    print("scanning", flush=True)
    while True:  # the parent kills this process mid-feed
        app.processEvents()
        time.sleep(0.01)
""")


@pytest.mark.log_warnings("PC/SC")
def test_sigkill_after_the_second_page_loses_no_page(workers, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    conf = write_sane_config(tmp_path)
    env = {**os.environ, "MOTCUA_DATA_DIR": str(data), "SANE_CONFIG_DIR": str(conf), "QT_QPA_PLATFORM": "offscreen"}
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(data))
    monkeypatch.setenv("SANE_CONFIG_DIR", str(conf))
    ctx = AppContext(load_settings(data))
    try:
        ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                                password="mat-khau-dai-1")
        officer = next(a for a in ctx.auth.officers() if a.username == "lan")
        d = ctx.counter.receive(officer, procedure_code="1.001193", applicant_name="Nguyễn Thị Hồng Nhung")
        spool = slot_spool(ctx.settings.files_dir, d.code, "TK")
        child = subprocess.Popen([sys.executable, "-c", CHILD, d.code], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            end = time.monotonic() + 120
            listed: list[dict[str, object]] = []
            while time.monotonic() < end and child.poll() is None:
                try:
                    listed = json.loads((spool.folder / "pages.json").read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    listed = []
                if len(listed) >= 2:
                    break
                time.sleep(0.02)
            assert len(listed) >= 2, child.stderr.read() if child.poll() is not None else "no second page in 120 s"
            child.send_signal(signal.SIGKILL)
            child.wait(30)
        finally:
            if child.poll() is None:
                child.kill()
        kept = len(spool.entries())
        assert kept >= 2
        # restart: the main window, as the officer starts it again, opens the dossier by itself
        # (MainWindow._resume_unfinished), the page says the pages are there, F5 brings them
        # back, the PDF is made from them
        services = UiServices(ctx, start_uploader=False)
        win = MainWindow(services, officer)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: isinstance(win.pages.get("dossiers"), DossiersArea)
                        and win.stack.currentWidget() is win.pages["dossiers"], timeout=10_000)
        area = win.pages["dossiers"]
        assert isinstance(area, DossiersArea)
        page = area.page
        qtbot.waitUntil(lambda: page.page is not None and page.code == d.code and page.spooled.get("TK") == kept,
                        timeout=10_000)
        assert "TK" in page.summary.text()
        page.select_slot("TK")
        page.scan_selected()
        scan = area.scan_view()
        qtbot.waitUntil(lambda: len(scan.batch) == kept and not scan.busy(), timeout=30_000)
        scan.make_pdf()
        qtbot.waitUntil(lambda: not scan.busy(), timeout=180_000)
        files = ctx.dossiers.files(d.code)
        assert files, scan.status.text()
        assert [(f.component_code, f.pages) for f in files] == [("TK", kept)]
        assert spool.entries() == []  # made into the PDF: the spool is gone
        services.close()
    finally:
        ctx.close()
