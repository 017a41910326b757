"""Screenshots of a zoomed page preview in a real window: run under Xvfb.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_zoom.py

Writes docs/screenshots/scan_view_zoom_{vi,en}.png: the scan screen at 1366×768 with a
300-dpi page zoomed to 100 % (Ctrl+1) before and after clean-up, the zoom bar above them,
from a temporary workstation with demo data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-shot-")
    # SANE's test scanner stands in for the counter's scanner (no USB probing here)
    sane_conf = Path(os.environ["MOTCUA_DATA_DIR"]) / "sane.d"
    sane_conf.mkdir()
    (sane_conf / "dll.conf").write_text("test\n")
    os.environ["SANE_CONFIG_DIR"] = str(sane_conf)
    from PIL import Image
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    from desktop.config import load_settings
    from desktop.context import AppContext
    from desktop.demo import prepare_demo
    from desktop.kernel.i18n import set_language
    from scanning.samples import DOCUMENTS, render_a4
    from ui import translations
    from ui.main_window import MainWindow
    from ui.scan_view import ScanView
    from ui.services import UiServices
    from ui.shell import make_application

    make_application([])
    ctx = AppContext(load_settings())
    actor = prepare_demo(ctx)
    OUT.mkdir(parents=True, exist_ok=True)
    page = Path(os.environ["MOTCUA_DATA_DIR"]) / "to-khai.png"
    Image.fromarray(render_a4(DOCUMENTS["khai_sinh"])).save(page, dpi=(300, 300))

    def settle(ms: int = 600) -> None:
        while ms > 0:
            QApplication.processEvents()
            QThread.msleep(50)
            ms -= 50

    services = UiServices(ctx, start_uploader=False)
    for lang in ("vi", "en"):
        set_language(lang)
        ctx.settings.language = lang  # as the Language menu leaves it (not saved here)
        translations.install(lang)
        win = MainWindow(services, actor)
        win.resize(1366, 768)
        win.show()
        scan = win.open_area("scanning")
        settle(2000)
        assert isinstance(scan, ScanView)
        scan.import_files([page])
        for _ in range(120):
            settle(500)
            if len(scan.batch) == 1 and all(p.steps is not None for p in scan.batch.pages):
                break
        scan.pages.setCurrentRow(0)
        scan.zoom.buttons["actual"].click()  # Ctrl+1: 100 %
        for _ in range(60):
            settle(250)
            if scan.before.sharp() and scan.after.sharp():
                break
        # the top of the form, where the officer checks the name and the stamp
        scan.before.horizontalScrollBar().setValue(scan.before.horizontalScrollBar().maximum() // 4)
        scan.after.horizontalScrollBar().setValue(scan.after.horizontalScrollBar().maximum() // 4)
        settle(800)
        win.grab().save(str(OUT / f"scan_view_zoom_{lang}.png"))
        win.close()
        win.deleteLater()
        settle(300)
    services.close()
    ctx.close()
    print("screenshots in", OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
