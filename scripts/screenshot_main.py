"""Screenshots of the shell in a real window: run under Xvfb.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_main.py

Writes docs/screenshots/{login,main_window,counter_panel,reception,reception_form,outbox_view,signing_view,
pin_dialog,reports,settings,kiosk,display_board,scan_view,
queue_overview}.png and the English {main_window,outbox_view,settings,scan_view,reception,reception_form}_en.png
from a temporary workstation with demo data. Reception is shot with its procedure list open: the
counter's favourites (★) first, then the officer's recent procedures; reception_form with it closed.
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
    from PySide6.QtWidgets import QApplication

    from desktop.config import load_settings
    from desktop.context import AppContext
    from desktop.demo import prepare_demo
    from ui import translations
    from ui.login_dialog import LoginDialog
    from ui.main_window import MainWindow
    from ui.shell import make_application
    from ui.workers import Workers

    make_application([])
    pools = Workers()  # the worker pools of the windows made here
    ctx = AppContext(load_settings())
    actor = prepare_demo(ctx)
    translations.install("vi")
    OUT.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 600) -> None:
        end = ms
        while end > 0:
            QApplication.processEvents()
            from PySide6.QtCore import QThread

            QThread.msleep(50)
            end -= 50

    login = LoginDialog(ctx, workers=pools)
    login.user.setText("admin")
    login.show()
    settle()
    login.grab().save(str(OUT / "login.png"))
    login.close()

    # a morning queue: tickets issued 2 to 17 minutes ago, one being served at counter 1
    from datetime import timedelta

    from sqlalchemy import update

    from desktop.kernel.timeutil import utcnow
    from desktop.queue.models import Ticket

    for minutes, prio in ((17, "walk_in"), (13, "walk_in"), (9, "elderly"), (6, "walk_in"), (2, "appointment"),
                          (1, "walk_in")):
        t = ctx.queue.issue(actor, "TP", prio)
        with ctx.db.session() as s:
            s.execute(update(Ticket).where(Ticket.id == t.id).values(issued_at=utcnow() - timedelta(minutes=minutes)))
    ctx.queue.call_next(actor, 1)
    ctx.queue.start(actor, 1)
    ctx.queue.open_session(actor, 2)
    ctx.queue.pause_session(actor, 2, "Nghỉ giữa ca")

    # the counter's favourites, which reception lists first (★)
    for code in ("1.001193", "1.000894", "2.000815"):
        ctx.favourites.add(actor, code)

    def reception_shot(page: object, name: str) -> None:
        """The window with the procedure list open (a popup: a grab of the screen, not the window)."""
        from ui.reception_view import ReceptionView

        assert isinstance(page, ReceptionView)
        page.name.setText("Nguyễn Thị Hồng Nhung")
        page.id_number.setText("079301234567")
        page.address.setText("12 Lê Lợi, phường Quy Nhơn, tỉnh Gia Lai")
        # acting for an organisation (a branch's tax code): the optional group filled
        page.organisation_box.setChecked(True)
        page.tax_code.setText("0300588569-001")
        page.organisation.setText("Công ty CP Sữa Việt Nam — Chi nhánh Quy Nhơn")
        settle()
        page.procedure.showPopup()
        settle()
        geo = win.frameGeometry()
        shot = QApplication.primaryScreen().grabWindow(0, geo.x(), geo.y(), geo.width(), geo.height())
        page.procedure.hidePopup()
        shot.save(str(OUT / f"{name}.png"))
        settle()  # and the applicant's box the list covered: the three ways to read the CCCD
        win.grab().save(str(OUT / f"{name.replace('reception', 'reception_form')}.png"))

    from ui.services import UiServices

    services = UiServices(ctx)  # as the shell builds them: the uploader runs, the status bar shows it
    win = MainWindow(services, actor)
    win.resize(1366, 768)
    win.show()
    for key, name in (("counter", "counter_panel"), ("queue", "queue_overview"), ("reception", "reception"),
                      ("outbox", "outbox_view"),
                      ("reports", "reports"), ("settings", "settings")):
        page = win.open_area(key)
        settle(1500)
        if key == "reception":
            reception_shot(page, name)
            continue
        win.grab().save(str(OUT / f"{name}.png"))
    # signing: two sample PDFs queued, the demo token's key chosen
    from reportlab.pdfgen import canvas as pdf_canvas

    samples = []
    for name in ("giay-khai-sinh.pdf", "to-khai.pdf"):
        path = Path(os.environ["MOTCUA_DATA_DIR"]) / name
        c = pdf_canvas.Canvas(str(path))
        c.drawString(72, 720, name)
        c.save()
        samples.append(path)
    signing = win.open_area("signing")
    settle(2500)
    if signing is not None:
        signing.add_files(samples)
        settle(800)
    win.grab().save(str(OUT / "signing_view.png"))

    # scanning: the SANE test scanner is listed; three pages imported, the phone photo selected
    from PIL import Image

    from scanning.samples import DOCUMENTS, phone_photo, render, render_a4

    shots = Path(os.environ["MOTCUA_DATA_DIR"])
    Image.fromarray(render_a4(DOCUMENTS["khai_sinh"])).save(shots / "to-khai.png", dpi=(300, 300))
    (shots / "anh-chup.jpg").write_bytes(phone_photo(render_a4(DOCUMENTS["cu_tru"]), seed=4))
    Image.fromarray(render(DOCUMENTS["dat_dai"], dpi=150)).save(shots / "mo.png", dpi=(150, 150))
    scan = win.open_area("scanning")
    settle(3000)
    if scan is not None:
        scan.profile_box.setCurrentIndex(scan.profile_box.findData("camera-a4"))
        scan.dossier_edit.setText("GL-261202-0001")
        scan.component_edit.setText("TK")
        scan.import_files([shots / "to-khai.png", shots / "anh-chup.jpg", shots / "mo.png"])
        for _ in range(60):
            settle(500)
            if len(scan.batch) == 3 and all(p.steps is not None for p in scan.batch.pages):
                break
        scan.pages.setCurrentRow(1)
        settle(800)
    win.grab().save(str(OUT / "scan_view.png"))

    from signing.pin_policy import PinState
    from ui.pin_dialog import PinDialog

    # the token says "count low" after one wrong PIN here: 2 tries left of the usual 3
    pin = PinDialog("MOTCUA-DEMO", PinState(count_low=True, final_try=False, locked=False, local_failures=1))
    pin.show()
    settle()
    pin.grab().save(str(OUT / "pin_dialog.png"))
    pin.close()

    win.open_area("reception")
    settle()
    win.grab().save(str(OUT / "main_window.png"))
    win.close()

    from ui.queue.display_board import DisplayBoard
    from ui.queue.kiosk import KioskWindow

    kiosk = KioskWindow(ctx, actor, workers=pools)
    kiosk.resize(1024, 700)
    kiosk.show()
    settle(1500)
    kiosk.take("DD")
    settle(1500)
    kiosk.grab().save(str(OUT / "kiosk.png"))
    kiosk.close()
    ctx.queue.end(actor, 1)
    ctx.queue.resume_session(actor, 2)
    for counter in (1, 2, 5):
        ctx.queue.call_next(actor, counter)
    board = DisplayBoard(ctx, voice=False, workers=pools)
    board.resize(1280, 720)
    board.show()
    settle(2000)
    board.grab().save(str(OUT / "display_board.png"))
    board.close()

    # the same shell in English (menus, labels and the core's messages)
    from desktop.kernel.i18n import set_language

    set_language("en")
    ctx.settings.language = "en"  # as the Language menu leaves it (not saved here)
    translations.install("en")
    win = MainWindow(services, actor)
    win.resize(1366, 768)
    win.show()
    for key, name in (("counter", "main_window_en"), ("outbox", "outbox_view_en"), ("settings", "settings_en"),
                      ("scanning", "scan_view_en"), ("reception", "reception_en")):
        page = win.open_area(key)
        settle(1500)
        if key == "reception":
            reception_shot(page, name)
            continue
        win.grab().save(str(OUT / f"{name}.png"))
    win.close()
    services.close()
    pools.shutdown()
    ctx.close()
    print("screenshots in", OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
