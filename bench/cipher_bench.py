"""The cost of encryption at rest: the same work on a plain and on an SQLCipher database, in one run.

    .venv/bin/python bench/cipher_bench.py [--dossiers 500] [--lists 20] [--rounds 3]

Each round makes two fresh workstations (plain, then encrypted; the order alternates per
round so that a warm disk cache or the machine's load favours neither), and on each: opens
the database (migrate + seed), receives N dossiers through DossierService.receive (each one
transaction with its audit event and outbox job), runs the dossier list query
(``lifecycle.listing``, as ``motcua dossier list``) a few times, and makes an online backup.
Prints the medians per mode and the encrypted/plain ratio of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # the key in the 0600 file
os.environ.setdefault("MOTCUA_ADMIN_PASSWORD", "bench-only-password-2026")
os.environ["MOTCUA_SYSTEM_CONFIG"] = "/nonexistent/motcua.toml"

from desktop.app import AppContext  # noqa: E402
from desktop.auth import Actor  # noqa: E402
from desktop.config import load_settings  # noqa: E402
from desktop.db.storage import backup  # noqa: E402


def one(encrypted: bool, n: int, lists: int) -> dict[str, float]:
    data = Path(tempfile.mkdtemp(prefix="motcua-cipher-bench-"))
    (data / "motcua.toml").write_text(f"schema = 2\n[storage]\nencrypt_db = {str(encrypted).lower()}\n"
                                      "db_key_file = true\n", encoding="utf-8")
    ctx = AppContext(load_settings(data))
    actor = Actor.cli()
    out: dict[str, float] = {}
    try:
        t = time.perf_counter()
        _ = ctx.db
        out["open (migrate+seed) s"] = time.perf_counter() - t
        assert (ctx.db.key is not None) == encrypted
        t = time.perf_counter()
        for i in range(n):
            ctx.dossiers.receive(actor, procedure_code="1.001193", applicant_name=f"Nguyễn Văn Bình {i}",
                                 applicant_id_number=f"00119901{i:04d}", applicant_address="12 Hàng Bạc, Hà Nội")
        out[f"receive {n} s"] = time.perf_counter() - t
        samples = []
        for _ in range(lists):
            t = time.perf_counter()
            rows = ctx.lifecycle.listing()
            samples.append(time.perf_counter() - t)
        assert len(rows) >= n
        out["list query ms"] = statistics.median(samples) * 1000
        t = time.perf_counter()
        backup(ctx.settings, ctx.db, "bench")
        out["online backup ms"] = (time.perf_counter() - t) * 1000
    finally:
        ctx.close()
    out["file MiB"] = (data / "private" / "motcua.db").stat().st_size / 2**20
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dossiers", type=int, default=500)
    ap.add_argument("--lists", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    results: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for r in range(a.rounds):
        order = (False, True) if r % 2 == 0 else (True, False)
        for enc in order:
            results[enc].append(one(enc, a.dossiers, a.lists))
        print(f"round {r + 1}/{a.rounds} done, load avg {os.getloadavg()[0]:.1f}", flush=True)
    print(f"\n| median of {a.rounds} rounds | plain | SQLCipher | ratio |")
    print("|---|---|---|---|")
    for metric in results[False][0]:
        plain = statistics.median(x[metric] for x in results[False])
        enc = statistics.median(x[metric] for x in results[True])
        print(f"| {metric} | {plain:.3f} | {enc:.3f} | {enc / plain:.2f} |")


if __name__ == "__main__":
    main()
