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

from bench.loop_gaps import Gaps, LoopGaps  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()

    from PIL import Image
    from PySide6.QtWidgets import QApplication

    from desktop.auth import Actor
    from desktop.config import load_settings
    from desktop.context import AppContext
    from scanning.page_pool import PagePool
    from scanning.samples import DOCUMENTS, render_a4
    from ui.scan_view import ScanView
    from ui.workers import Workers

    app = QApplication.instance() or QApplication([])
    pools = Workers()  # the worker pools of the windows made here
    def report(name: str, g: Gaps) -> None:
        print(f"{name:<22}{g.ticks:>7}{g.max_ms:>10.1f}{g.p99_ms:>10.1f}")

    with tempfile.TemporaryDirectory() as tmp:
        names = list(DOCUMENTS)
        files = []
        for i in range(args.pages):
            p = Path(tmp) / f"p{i}.png"
            Image.fromarray(render_a4(DOCUMENTS[names[i % len(names)]])).save(p, dpi=(300, 300))
            files.append(p)
        ctx = AppContext(load_settings(Path(tmp) / "data"))
        watch = LoopGaps(app)
        with PagePool() as pool:
            pool.warm_up()
            view = ScanView(ctx, Actor.cli(), pool=pool, workers=pools)
            view.resize(1280, 760)
            view.show()
            print(f"{args.pages} A4 pages, {pool.workers} page workers; gaps of a 5-ms timer on the UI thread")
            print(f"{'phase':<22}{'ticks':>7}{'max ms':>10}{'p99 ms':>10}")
            report("idle (baseline)", watch.seconds(3))
            view.import_files(files)
            report("import + previews", watch.run(lambda: len(view.batch) == args.pages
                                                  and all(p.steps is not None for p in view.batch.pages)))
            t0 = time.perf_counter()
            view.make_pdf()
            report("digitize (OCR)", watch.run(lambda: view._digitize is None and view.last_report is not None))
            print(f"digitize: {view.last_report.pages} pages in {time.perf_counter() - t0:.1f} s")
            watch.stop()
            view.close()
            pools.shutdown()
            view.deleteLater()
            app.processEvents()
        ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
