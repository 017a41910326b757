"""Screenshots of the dossier after reception in a real window, Vietnamese and English: run under Xvfb.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_lifecycle.py

Writes docs/screenshots/lifecycle_{page_done,return,fee,forms,supplement}_{vi,en}.png from a
temporary workstation: a dossier with a 15,000 VND fee and a postal address whose result
was attached and sealed with the demo token (SoftHSM2), shown with its steps and the
return, fee and forms dialogs; another just received, with the supplement dialog.
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
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication, QDialog

    from desktop.config import load_settings
    from desktop.context import AppContext
    from desktop.demo import prepare_demo
    from desktop.kernel.i18n import set_language
    from desktop.workflow.signing import TokenChoice
    from signing.demo_token import ensure_demo_token
    from ui import translations
    from ui.dossiers.dialogs import FeeDialog, FormsDialog, ReturnDialog, SupplementDialog
    from ui.main_window import MainWindow
    from ui.services import UiServices
    from ui.shell import make_application
    from ui.workers import Workers

    make_application([])
    pools = Workers()  # the worker pools of the windows made here
    ctx = AppContext(load_settings())
    prepare_demo(ctx)
    officer = next(a for a in ctx.auth.officers() if a.username == "lan")
    OUT.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 600) -> None:
        while ms > 0:
            QApplication.processEvents()
            QThread.msleep(50)
            ms -= 50

    done = ctx.counter.receive(officer, procedure_code="1.004859", applicant_name="Nguyễn Thị Hồng Nhung",
                               applicant_id_number="079301234567",
                               postal_address={"name": "Nguyễn Thị Hồng Nhung", "address": "12 Lê Lợi, Quy Nhơn"})
    ctx.lifecycle.process(officer, done.code, receiver="Lê Văn Tư", department="Phòng Tư pháp")
    from reportlab.pdfgen import canvas

    result = Path(os.environ["MOTCUA_DATA_DIR"]) / "ket-qua.pdf"
    c = canvas.Canvas(str(result))
    c.drawString(72, 720, "Giay chung nhan - ket qua giai quyet")
    c.save()
    demo = ensure_demo_token(ctx.settings.data_dir / "demo-token")
    ctx.counter.attach_result(officer, done.code, result, TokenChoice.from_settings(ctx.settings), demo.pin)
    fresh = ctx.counter.receive(officer, procedure_code="1.001193", applicant_name="Phạm Văn Đức",
                                applicant_id_number="079190234567", brought={"TK", "GCS", "GTTT"})

    services = UiServices(ctx, start_uploader=False)
    for lang in ("vi", "en"):
        translations.install(lang)
        set_language(lang)
        win = MainWindow(services, officer)
        win.resize(1366, 768)
        win.show()
        area = win.open_area("dossiers")
        assert area is not None
        area.open_dossier(done.code)  # type: ignore[attr-defined]
        settle(1500)
        win.grab().save(str(OUT / f"lifecycle_page_done_{lang}.png"))
        page = area.page  # type: ignore[attr-defined]
        shown = page.page

        def shoot(dlg: QDialog, name: str, win: MainWindow = win, lang: str = lang) -> None:
            dlg.show()
            dlg.move(win.x() + (win.width() - dlg.width()) // 2, win.y() + 160)
            settle(700)
            QApplication.primaryScreen().grabWindow(0).save(str(OUT / f"lifecycle_{name}_{lang}.png"))
            dlg.reject()
            settle(200)

        ret = ReturnDialog(page, ctx.settings, shown.applicant_name, shown.applicant_id_number,
                           workers=page.workers)
        ret.id_number.setText("001099012345")
        ret.proxy.setChecked(True)
        ret.recipient.setText("Trần Văn Bình")
        shoot(ret, "return")
        shoot(FeeDialog(page, shown.fees_due), "fee")
        shoot(FormsDialog(page, ["01", "06"], may_seal=True), "forms")
        area.open_dossier(fresh.code)  # type: ignore[attr-defined]
        settle(1200)
        shown = page.page
        # the officer ticks what the citizen must bring again (here the birth certificate)
        sup = SupplementDialog(page, [(s.code, s.spec.name, s.code == "GCS") for s in shown.progress.slots])
        sup.reason.setText("Thiếu giấy chứng sinh bản chính" if lang == "vi" else "The birth certificate is missing")
        shoot(sup, "supplement")
        win.close()
        pools.shutdown()
    services.close()
    ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
