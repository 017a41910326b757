"""Outbox drain throughput against the bundled dossier server, next to raw httpx, one run.

    .venv/bin/python bench/outbox_bench.py [--jobs 1000] [--rounds 10]

Baseline: one httpx.Client PUTting the same small dossier payloads (with an
Idempotency-Key and a bearer token) to the same server, one after another.
motcua: the same number of dossiers received through DossierService (so each has its
outbox job) and drained with the HTTP adapter. The two take turns in ``--rounds`` rounds
(receiving is not timed). Prints jobs per second and the ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=10, help="raw and motcua take turns this many times")
    args = ap.parse_args()
    import httpx

    from desktop.auth import Actor
    from desktop.config import load_settings
    from desktop.context import AppContext
    from tests.outbox.test_http import Server

    with tempfile.TemporaryDirectory() as tmp:
        srv = Server(Path(tmp) / "server")
        try:
            ctx = AppContext(load_settings(Path(tmp) / "ws", dossier_url=srv.url, extra=srv.extra()))
            admin = Actor.cli()
            from sqlalchemy import select

            from desktop.outbox.models import OutboxJob

            raw_s = ours_s = 0.0
            sizes = [args.jobs // args.rounds + (1 if r < args.jobs % args.rounds else 0) for r in range(args.rounds)]
            with httpx.Client(timeout=30) as client:
                token = srv.token()
                done = 0
                # raw and motcua alternate in rounds, so a change in the machine's load hits both alike
                for n in sizes:
                    for i in range(done, done + n):
                        ctx.dossiers.receive(admin, procedure_code="1.001193", applicant_name=f"Công dân {i}")
                    with ctx.db.session() as s:
                        payloads = [dict(p) for p in s.scalars(select(OutboxJob.payload)
                                                               .where(OutboxJob.state == "pending"))]
                    t0 = time.perf_counter()
                    for i, p in enumerate(payloads, start=done):
                        raw = dict(p, code=f"RAW-{i}")
                        client.put(f"{srv.url}/api/dossiers/RAW-{i}", json=raw,
                                   headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"raw-{i}",
                                            "X-Workstation-Id": "ws-bench-raw-0001"}
                                   ).raise_for_status()
                    raw_s += time.perf_counter() - t0
                    t1 = time.perf_counter()
                    r = ctx.outbox.drain(admin)
                    ours_s += time.perf_counter() - t1
                    assert r["delivered"] == n, r
                    done += n
            ctx.close()
        finally:
            srv.stop()
    raw_rate, our_rate = args.jobs / raw_s, args.jobs / ours_s
    print(f"{args.jobs} small dossier jobs to the bundled server on loopback")
    print(f"raw httpx: {raw_rate:8.1f} jobs/s   motcua drain: {our_rate:8.1f} jobs/s   ratio {our_rate / raw_rate:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
