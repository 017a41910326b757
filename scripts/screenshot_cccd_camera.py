"""Screenshots of the CCCD camera reader at reception, in a real window: run under Xvfb.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_cccd_camera.py

Writes docs/screenshots/cccd_camera_{vi,en}.png: the reception screen at 1366×768 with the
camera dialog over it, its live picture showing a counter where a QR that is not a CCCD's
is held up (the "camera" is a video file: this machine has none).
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
    import cv2
    import numpy as np
    import zxingcpp
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    from desktop.config import load_settings
    from desktop.context import AppContext
    from desktop.demo import prepare_demo
    from desktop.kernel.i18n import set_language
    from tests.scanning.test_cccd_live import _desk, _video, _with_card
    from ui import translations
    from ui.cccd_camera import CccdCameraDialog
    from ui.reception_view import ReceptionView
    from ui.shell import make_application
    from ui.workers import Workers

    make_application([])
    pools = Workers()  # the worker pools of the windows made here
    ctx = AppContext(load_settings())
    actor = prepare_demo(ctx)
    desk = _desk(True, np.random.default_rng(4))
    other = np.asarray(zxingcpp.create_barcode("https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
                                               zxingcpp.BarcodeFormat.QRCode).to_image(scale=8))
    video = _video(Path(os.environ["MOTCUA_DATA_DIR"]) / "camera.avi",
                   [_with_card(desk, other, width=380, at=(330, 760), tilt=6.0)] * 400)

    def settle(ms: int) -> None:
        for _ in range(ms // 50):
            QApplication.processEvents()
            QThread.msleep(50)

    OUT.mkdir(parents=True, exist_ok=True)
    for lang in ("vi", "en"):
        translations.install(lang)
        set_language(lang)  # the core's messages too, as the Language menu does
        view = ReceptionView(ctx, actor, workers=pools)
        view.resize(1366, 768)
        view.show()
        settle(800)
        dialog = CccdCameraDialog(view, opener=lambda i: cv2.VideoCapture(str(video)), find_cameras=lambda: [0],
                                  workers=pools)
        dialog.show()
        dialog.move(view.geometry().center() - dialog.rect().center())
        settle(2500)
        screen = QApplication.primaryScreen()
        screen.grabWindow(0, 0, 0, 1366, 768).save(str(OUT / f"cccd_camera_{lang}.png"))
        dialog.reject()
        view.close()
        settle(300)
    pools.shutdown()
    ctx.close()
    print("screenshots in", OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
