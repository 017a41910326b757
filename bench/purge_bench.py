"""A purge run over dossiers already purged: the daily run's cost as the history grows.

    .venv/bin/python bench/purge_bench.py [--dossiers 2000] [--rounds 3]

A fresh workstation (SQLite) gets N closed, delivered dossiers written straight into the
database (withdrawn a year ago, with the applicant's name, CCCD, address and phone, no file:
the bench is about the database side). The first ``PrivacyService.purge`` blanks them all;
then the same purge runs again ``--rounds`` times, as the application's daily purge does
every day afterwards. Prints the first run, the median second run and the number of SQL
statements a second run sends. Runs unchanged against an older checkout (no marker), for the
before/after ratio (``PYTHONPATH`` at that checkout).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("MOTCUA_ADMIN_PASSWORD", "bench-only-password-2026")
os.environ["MOTCUA_SYSTEM_CONFIG"] = "/nonexistent/motcua.toml"
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from sqlalchemy import event, select

    from desktop.auth import Actor
    from desktop.config import load_settings
    from desktop.context import AppContext
    from desktop.db.models import Dossier, DossierStatus, DossierStatusChange, Procedure
    from desktop.kernel.timeutil import now_vn

    ap = argparse.ArgumentParser()
    ap.add_argument("--dossiers", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    admin, before = Actor.cli(), now_vn().date() + timedelta(days=1)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = AppContext(load_settings(Path(tmp) / "data"))
        try:
            closed = datetime.now(UTC) - timedelta(days=365)
            with ctx.db.session() as s:
                proc = s.scalars(select(Procedure).limit(1)).one()
                for i in range(args.dossiers):
                    d = Dossier(code=f"BENCH-{i:06d}", procedure_id=proc.id, applicant_name=f"Nguyễn Văn {i}",
                                applicant_id_number=f"0793{i:08d}", applicant_address="12 Lê Lợi",
                                applicant_phone="0905123456", status=int(DossierStatus.WITHDRAWN),
                                received_at=closed - timedelta(days=3))
                    d.status_history.append(DossierStatusChange(status=int(DossierStatus.WITHDRAWN), at=closed))
                    s.add(d)
            t = time.perf_counter()
            first = ctx.privacy.purge(admin, before)
            first_s = time.perf_counter() - t
            assert len(first.items) == args.dossiers, len(first.items)
            statements: list[str] = []
            event.listen(ctx.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
            again = []
            for _ in range(args.rounds):
                statements.clear()
                t = time.perf_counter()
                assert ctx.privacy.purge(admin, before).items == []
                again.append(time.perf_counter() - t)
        finally:
            ctx.close()
    print(json.dumps({"dossiers": args.dossiers, "first_run_s": round(first_s, 3),
                      "second_run_s": round(statistics.median(again), 4),
                      "second_run_statements": len(statements)}))


if __name__ == "__main__":
    main()
