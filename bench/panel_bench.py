"""The counter panel with many waiting tickets: CPU use and event-loop stalls.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/panel_bench.py [--tickets 500] [--seconds 30]

Issues N tickets on a fresh SQLite database, opens the counter panel (timers tick every
second, the list is re-read every few seconds) and watches it for S seconds: the share
of one core the process used, and the gaps of a 5-ms timer on the UI thread (max, p99).
The baseline is the same panel with an empty queue, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.loop_gaps import LoopGaps  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=500)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()


    from desktop.auth import Actor
    from desktop.config import load_settings
    from desktop.context import AppContext
    from ui.queue.counter_panel import CounterPanel
    from ui.shell import make_application
    from ui.workers import Workers

    app = make_application([])  # as the application starts
    pools = Workers()  # the worker pools of the windows made here
    print(f"counter panel, {args.seconds:.0f} s each; CPU = share of one core used by the whole process")
    print(f"{'waiting tickets':<18}{'CPU %':>8}{'max gap ms':>12}{'p99 gap ms':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (0, args.tickets):
            ctx = AppContext(load_settings(Path(tmp) / f"data{n}"))
            admin = Actor.cli()
            from sqlalchemy import select

            from desktop.queue.models import Counter

            with ctx.db.session() as s:  # the first counter's services, so every ticket is in its list
                first = s.scalars(select(Counter).where(Counter.active).order_by(Counter.number)).first()
                services = list(first.services) if first else [code for code, _ in ctx.queue.services()]
            for i in range(n):
                ctx.queue.issue(admin, services[i % len(services)], "elderly" if i % 17 == 0 else "walk_in")
            watch = LoopGaps(app)
            panel = CounterPanel(ctx, admin, workers=pools)
            panel.resize(1366, 768)
            panel.show()
            watch.seconds(2)  # first read and layout
            g = watch.seconds(args.seconds)
            rows = panel.model.rowCount()
            print(f"{n:<8}({rows:>4} shown){g.cpu * 100:>8.1f}{g.max_ms:>12.1f}{g.p99_ms:>12.1f}")
            watch.stop()
            panel.tick_timer.stop()
            panel.refresh_timer.stop()
            pools.shutdown()
            panel.close()
            panel.deleteLater()
            app.processEvents()
            ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
