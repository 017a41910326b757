"""Screenshots of the reports area, the live dashboard, the rating screen and the monthly PDF.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_reports.py

A temporary workstation gets this year up to yesterday from bench/analytics_gen.py (a
small scale: one centre's counters), a live morning queue for today, then each screen is
shown in a real 1366×768 window, in Vietnamese and in English, and saved to
docs/screenshots/{reports_*,dashboard*,rating_screen,monthly_report_p*}.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def settle(ms: int = 600) -> None:
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    while ms > 0:
        QApplication.processEvents()
        QThread.msleep(50)
        ms -= 50


def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="motcua-shot-"))
    os.environ["MOTCUA_DATA_DIR"] = str(data)
    url = f"sqlite:///{data / 'motcua.db'}"
    from bench.analytics_gen import generate
    from desktop.kernel.timeutil import now_vn, utcnow

    today = now_vn().date()
    generate(url, scale=0.02, year=today.year, until=today - timedelta(days=1), counters=10, officers=12)

    from sqlalchemy import update

    from desktop.auth import Actor
    from desktop.config import load_settings
    from desktop.context import AppContext
    from desktop.db.models import Role
    from desktop.kernel.i18n import set_language
    from desktop.queue.models import Ticket
    from desktop.reports.monthly_pdf import write_monthly_report
    from desktop.reports.period import month_period
    from ui import translations
    from ui.reports.dashboard import DashboardView
    from ui.reports.rating import RatingPanel
    from ui.reports_view import ReportsView
    from ui.shell import make_application
    from ui.workers import Workers

    make_application([])
    pools = Workers()  # the worker pools of the windows made here
    ctx = AppContext(load_settings(data, db_url=url))
    admin = Actor("admin", Role.ADMIN, full_name="Quản trị")
    # a live morning: tickets issued 1–24 minutes ago, counters 1–3 open, one paused
    for minutes, svc in ((24, "TP"), (19, "TP"), (16, "DD"), (12, "TP"), (9, "KD"), (7, "DD"), (4, "TP"), (2, "LD"),
                         (1, "TP")):
        t = ctx.queue.issue(admin, svc)
        with ctx.db.session() as s:
            s.execute(update(Ticket).where(Ticket.id == t.id).values(issued_at=utcnow() - timedelta(minutes=minutes)))
    for counter in (1, 2, 3):
        ctx.queue.open_session(admin, counter)
    ctx.queue.call_next(admin, 1)
    ctx.queue.end(admin, 1)
    ctx.queue.pause_session(admin, 3, "Họp giao ban")
    OUT.mkdir(parents=True, exist_ok=True)
    last = month_period(*((today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)))

    for lang in ("vi", "en"):
        set_language(lang)
        translations.install(lang)
        view = ReportsView(ctx, admin, workers=pools)
        view.resize(1366, 768)
        view.show()
        view.quick.setCurrentIndex(3)  # last month
        view.refresh()
        settle(4000)
        for i, name in enumerate(("queue", "dossiers", "satisfaction", "heatmap", "sessions")):
            if lang == "en" and name not in ("queue", "dossiers"):
                continue
            view.tabs.setCurrentIndex(i)
            settle(500)
            view.grab().save(str(OUT / f"reports_{name}{'' if lang == 'vi' else '_en'}.png"))
        if lang == "vi":
            view.tabs.setCurrentIndex(0)
            dlg = view._drill_queue_figure(view.bundle.queue.by, view.bundle.queue.rows[0].key, "wait_over_15min")
            settle(2500)
            if dlg is not None:
                dlg.resize(1100, 560)
                settle(300)
                dlg.grab().save(str(OUT / "reports_drill.png"))
                dlg.close()
        view.close()
        dash = DashboardView(ctx, admin, workers=pools)
        dash.resize(1366, 768)
        dash.show()
        settle(2500)
        dash.grab().save(str(OUT / f"dashboard{'' if lang == 'vi' else '_en'}.png"))
        dash.close()
    set_language("vi")
    translations.install("vi")
    ctx.queue.call_next(admin, 2)
    ctx.queue.end(admin, 2)
    panel = RatingPanel(ctx, Actor("rating-screen:2", Role.SUPERVISOR), 2, workers=pools)
    panel.resize(1024, 600)
    panel.show()
    settle(2000)
    panel.grab().save(str(OUT / "rating_screen.png"))
    panel.close()
    pdf = write_monthly_report(ctx.db, admin, last, data / "monthly.pdf", calendar=ctx.calendar,
                               centre="Trung tâm PVHCC tỉnh")
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "3", str(pdf), str(OUT / "monthly_report_p")],
                   check=True)
    for p in OUT.glob("monthly_report_p-*.png"):  # pdftoppm names pages p-1.png …
        p.rename(OUT / p.name.replace("_p-", "_p"))
    pools.shutdown()
    ctx.close()
    print(f"screenshots in {OUT}; data in {data}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
