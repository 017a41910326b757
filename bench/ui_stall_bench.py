"""Event-loop stalls of the scan screen while it digitizes 20 pages, against an idle loop.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_stall_bench.py [--pages 20]

A 5-ms timer runs on the UI thread; every gap between its ticks is a moment the window
could not repaint or take a click. Measured first with the loop idle (the machine's own
jitter: the baseline), then while the scan screen imports the pages (thumbnails and
clean-up previews) and while it makes the searchable PDF (OCR in the page workers).
Prints the longest gap and the 99th percentile of each phase.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()

    from PIL import Image
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.app import AppContext
    from desktop.auth import Actor
    from desktop.config import load_settings
    from scanning.page_pool import PagePool
    from scanning.samples import DOCUMENTS, render_a4
    from ui import workers
    from ui.scan_view import ScanView

    app = QApplication.instance() or QApplication([])
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    def run_until(done, timeout: float = 600) -> list[float]:  # type: ignore[no-untyped-def]
        gaps.clear()
        last[0] = time.perf_counter()
        end = time.perf_counter() + timeout
        while not done() and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)
        return list(gaps)

    def report(name: str, g: list[float]) -> None:
        g = sorted(g)
        p99 = g[int(0.99 * (len(g) - 1))] if g else 0.0
        print(f"{name:<22}{len(g):>7}{max(g) * 1000 if g else 0:>10.1f}{p99 * 1000:>10.1f}")

    with tempfile.TemporaryDirectory() as tmp:
        names = list(DOCUMENTS)
        files = []
        for i in range(args.pages):
            p = Path(tmp) / f"p{i}.png"
            Image.fromarray(render_a4(DOCUMENTS[names[i % len(names)]])).save(p, dpi=(300, 300))
            files.append(p)
        ctx = AppContext(load_settings(Path(tmp) / "data"))
        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(5)
        with PagePool() as pool:
            pool.warm_up()
            view = ScanView(ctx, Actor.cli(), pool=pool)
            view.resize(1280, 760)
            view.show()
            print(f"{args.pages} A4 pages, {pool.workers} page workers; gaps of a 5-ms timer on the UI thread")
            print(f"{'phase':<22}{'ticks':>7}{'max ms':>10}{'p99 ms':>10}")
            t_end = time.perf_counter() + 3
            report("idle (baseline)", run_until(lambda: time.perf_counter() > t_end))
            view.import_files(files)
            report("import + previews", run_until(lambda: len(view.batch) == args.pages
                                                  and all(p.steps is not None for p in view.batch.pages)))
            t0 = time.perf_counter()
            view.make_pdf()
            report("digitize (OCR)", run_until(lambda: view._digitize is None and view.last_report is not None))
            print(f"digitize: {view.last_report.pages} pages in {time.perf_counter() - t0:.1f} s")
            timer.stop()
            view.close()
            workers.shutdown()
            view.deleteLater()
            app.processEvents()
        ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
