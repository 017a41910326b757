"""Screenshots of the dossier workspace in a real window, Vietnamese and English: run under Xvfb.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_dossiers.py

Writes docs/screenshots/dossier_{list,page_empty,feeder,scanning,page_signed,page_uploaded,page_parked}_{vi,en}.png
from a temporary workstation: demo dossiers plus one late and one due today; a birth
registration received with its checklist, and its whole-dossier feeder pass (separator
sheets printed by the application, a stray sheet left unassigned) sorted by real OCR; another digitized (real OCR), signed with the
demo token (SoftHSM2) and uploaded by the outbox to the embedded default (folder). The
parked upload is made by marking that dossier's file job parked with the reason a refusing
dossier system gives (the parking itself is tested in tests/outbox).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-shot-")
    sane_conf = Path(os.environ["MOTCUA_DATA_DIR"]) / "sane.d"
    sane_conf.mkdir()
    (sane_conf / "dll.conf").write_text("test\n")
    os.environ["SANE_CONFIG_DIR"] = str(sane_conf)
    import cv2
    import numpy as np
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import update

    from desktop.config import load_settings
    from desktop.context import AppContext
    from desktop.db.base import utcnow
    from desktop.demo import prepare_demo
    from desktop.kernel.i18n import set_language
    from desktop.outbox.models import OutboxJob, OutboxState
    from desktop.workflow.signing import TokenChoice
    from scanning.samples import DOCUMENTS, render, render_a4
    from ui import translations
    from ui.main_window import MainWindow
    from ui.services import UiServices
    from ui.shell import make_application

    make_application([])
    ctx = AppContext(load_settings())
    admin = prepare_demo(ctx)
    officer = next(a for a in ctx.auth.officers() if a.username == "lan")
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(os.environ["MOTCUA_DATA_DIR"]) / "pages"
    work.mkdir()

    def settle(ms: int = 600) -> None:
        while ms > 0:
            QApplication.processEvents()
            QThread.msleep(50)
            ms -= 50

    def idle() -> None:
        """The windows' work finished (the services' workers, kept for the next window)."""
        while services.workers.running_tasks():
            QApplication.processEvents()
            QThread.msleep(10)

    ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Trương Văn Trễ",
                        received_at=utcnow() - timedelta(days=40))
    empty = ctx.counter.receive(officer, procedure_code="1.001193", applicant_name="Nguyễn Thị Hồng Nhung",
                                applicant_id_number="079301234567", brought={"TK", "GCS", "GTTT"})
    signed = ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Phạm Văn Đức",
                                 applicant_id_number="079190234567")
    for comp, doc in (("TK", "khai_sinh"), ("BTT", "cu_tru")):
        img = work / f"{comp}.png"
        cv2.imwrite(str(img), render(DOCUMENTS[doc], dpi=200))
        ctx.counter.digitize_component(officer, signed.code, comp, files=[img], lang="vie")
    token = TokenChoice.from_settings(ctx.settings)
    from signing.demo_token import ensure_demo_token

    pin = ensure_demo_token(ctx.settings.data_dir / "demo-token").pin
    result = ctx.counter.sign_dossier(officer, signed.code, token, pin)
    print("signed:", [(o.filename, o.state) for o in result.outcomes])
    # the same citizen back for another birth-related procedure: the store offers the signed copies
    again = ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Phạm Văn Đức",
                                applicant_id_number="079190234567")
    from PIL import Image

    Image.fromarray(render_a4(DOCUMENTS["khai_sinh"])).save(work / "to-khai.png", dpi=(300, 300))
    # the feeder pass: a stray sheet, then separator + pages per component, as one multi-page TIFF
    from desktop.workflow.feeder import Feeder
    from scanning.images import load_pages
    from scanning.separators import ComponentRef

    specs = ctx.counter.slot_specs("1.001193")
    sheets = load_pages([Feeder(ctx.counter).separator_sheets("1.001193", "Đăng ký khai sinh",
                                                              [ComponentRef(c.code, c.name) for c in specs])])
    seps = {c.code: sheets[i].image for i, c in enumerate(specs)}

    def a4_width(image: np.ndarray) -> Image.Image:  # grey, 1240 px wide: one A4 width at 150 dpi
        g = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        return Image.fromarray(cv2.resize(g, (1240, int(g.shape[0] * 1240 / g.shape[1]))))

    feed = [render(DOCUMENTS["kinh_doanh"], dpi=150), seps["TK"], render(DOCUMENTS["khai_sinh"], dpi=150),
            render(DOCUMENTS["cu_tru"], dpi=150), seps["GTTT"], render(DOCUMENTS["dat_dai"], dpi=150)]
    frames = [a4_width(a) for a in feed]
    frames[0].save(work / "pass.tif", save_all=True, append_images=frames[1:], dpi=(150, 150),
                   compression="tiff_deflate")

    services = UiServices(ctx, start_uploader=False)
    for lang in ("vi", "en"):
        translations.install(lang)
        set_language(lang)  # the core's messages (reasons, errors) too, as ui/shell.py does
        win = MainWindow(services, officer)
        win.resize(1366, 768)
        win.show()
        area = win.open_area("dossiers")
        assert area is not None
        settle(1500)
        win.grab().save(str(OUT / f"dossier_list_{lang}.png"))
        area.open_dossier(empty.code)  # type: ignore[attr-defined]
        settle(1200)
        win.grab().save(str(OUT / f"dossier_page_empty_{lang}.png"))
        feeder = area.page.open_feeder()  # type: ignore[attr-defined]
        assert feeder is not None
        feeder.import_files([work / "pass.tif"])
        for _ in range(240):
            settle(500)
            if feeder.assignment is not None and not feeder.busy():
                break
        feeder.move(win.x() + 60, win.y() + 30)
        settle(800)
        QApplication.primaryScreen().grabWindow(0).save(str(OUT / f"dossier_feeder_{lang}.png"))
        feeder.reject()
        feeder.spool.clear()  # the next language sorts the pass again, not a restored one
        area.scan_into(empty.code, "TK")  # type: ignore[attr-defined]
        scan = area.scan_view()  # type: ignore[attr-defined]
        scan.import_files([work / "to-khai.png"])
        for _ in range(60):
            settle(500)
            if len(scan.batch) == 1 and all(p.steps is not None for p in scan.batch.pages):
                break
        scan.pages.setCurrentRow(0)
        settle(800)
        win.grab().save(str(OUT / f"dossier_scanning_{lang}.png"))
        scan.pages.clear()
        scan.batch.clear()
        from scanning.spool import slot_spool

        # the slot's spooled page would reopen this dossier in the next window (resume after a crash)
        slot_spool(ctx.settings.files_dir, empty.code, "TK").clear()
        area.back_to_page()  # type: ignore[attr-defined]
        area.open_dossier(signed.code)  # type: ignore[attr-defined]
        settle(1200)
        win.grab().save(str(OUT / f"dossier_page_signed_{lang}.png"))  # signed, queued: the uploader is off
        area.open_dossier(again.code)  # type: ignore[attr-defined]
        settle(1500)
        win.grab().save(str(OUT / f"dossier_page_reuse_{lang}.png"))  # "already digitized … Ctrl+R to reuse"
        win.close()
        idle()
    # uploaded: the outbox sends to the embedded default, then each language is shot again
    ctx.outbox.drain(admin, timeout=60)
    for lang in ("vi", "en"):
        translations.install(lang)
        set_language(lang)  # the core's messages (reasons, errors) too, as ui/shell.py does
        win = MainWindow(services, officer)
        win.resize(1366, 768)
        win.show()
        area = win.open_area("dossiers")
        assert area is not None
        area.open_dossier(signed.code)  # type: ignore[attr-defined]
        settle(1500)
        win.grab().save(str(OUT / f"dossier_page_uploaded_{lang}.png"))
        win.close()
        idle()
    with ctx.db.session() as s:
        s.execute(update(OutboxJob).where(OutboxJob.dossier_code == signed.code, OutboxJob.kind == "file")
                  .values(state=OutboxState.PARKED.value,
                          last_error="HTTP 413: tệp vượt quá giới hạn của hệ thống hồ sơ / file over the limit"))
    for lang in ("vi", "en"):
        translations.install(lang)
        set_language(lang)  # the core's messages (reasons, errors) too, as ui/shell.py does
        win = MainWindow(services, officer)
        win.resize(1366, 768)
        win.show()
        area = win.open_area("dossiers")
        assert area is not None
        area.open_dossier(signed.code)  # type: ignore[attr-defined]
        settle(1500)
        win.grab().save(str(OUT / f"dossier_page_parked_{lang}.png"))
        win.close()
        idle()
    services.close()
    ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
