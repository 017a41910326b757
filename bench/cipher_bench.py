"""The cost of encryption at rest: the same work on a plain and on an SQLCipher database, in one run.

    .venv/bin/python bench/cipher_bench.py [--dossiers 500] [--lists 20] [--rounds 3]

Each round runs three fresh workstations, each in its own process, in an order that rotates
per round so that a warm disk cache or the machine's load favours none:

* ``plain``: the standard library's sqlite3 (the default, what a workstation without
  encryption runs);
* ``plain-same-lib``: a plain file through sqlcipher3's SQLite with no key (``sqlite3`` is
  swapped for it in that process), so that its ratio to ``encrypted`` is the cipher's own
  cost, apart from the two libraries' SQLite versions and build options;
* ``encrypted``: ``storage.encrypt_db = true``.

On each it opens
the database (migrate + seed), receives N dossiers through DossierService.receive (each one
transaction with its audit event and outbox job), runs the dossier list query
(``lifecycle.listing``, as ``motcua dossier list``) a few times, and makes an online backup.
Prints the medians per mode and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # the key in the 0600 file
os.environ.setdefault("MOTCUA_ADMIN_PASSWORD", "bench-only-password-2026")
os.environ["MOTCUA_SYSTEM_CONFIG"] = "/nonexistent/motcua.toml"
MODES = ("plain", "plain-same-lib", "encrypted")


def one(encrypted: bool, n: int, lists: int) -> dict[str, float]:
    from desktop.auth import Actor
    from desktop.config import load_settings
    from desktop.context import AppContext
    from desktop.db.storage import backup

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


def engine_sqlite_version(encrypted: bool) -> str:
    import sqlite3

    if encrypted:
        import sqlcipher3.dbapi2

        return str(sqlcipher3.dbapi2.sqlite_version)
    return str(sqlite3.sqlite_version)


def child(mode: str, n: int, lists: int) -> None:
    if mode == "plain-same-lib":
        import sqlcipher3
        import sqlcipher3.dbapi2

        sys.modules["sqlite3"] = sqlcipher3
        sys.modules["sqlite3.dbapi2"] = sqlcipher3.dbapi2
    print(json.dumps({"metrics": one(mode == "encrypted", n, lists),
                      "sqlite": engine_sqlite_version(mode == "encrypted")}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dossiers", type=int, default=500)
    ap.add_argument("--lists", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.dossiers, a.lists)
        return
    results: dict[str, list[dict[str, float]]] = {m: [] for m in MODES}
    versions: dict[str, str] = {}
    for r in range(a.rounds):
        order = MODES[r % 3:] + MODES[:r % 3]
        for mode in order:
            out = subprocess.run([sys.executable, __file__, "--child", mode, "--dossiers", str(a.dossiers),
                                  "--lists", str(a.lists)], capture_output=True, text=True, check=True)
            got = json.loads(out.stdout.strip().splitlines()[-1])
            results[mode].append(got["metrics"])
            versions[mode] = got["sqlite"]
        print(f"round {r + 1}/{a.rounds} done, load avg {os.getloadavg()[0]:.1f}", flush=True)
    print(f"\n| median of {a.rounds} rounds | plain | plain, sqlcipher3's SQLite | SQLCipher | "
          "SQLCipher / plain | SQLCipher / same lib |")
    print("|---|---|---|---|---|---|")
    for metric in results["plain"][0]:
        med = {m: statistics.median(x[metric] for x in results[m]) for m in MODES}
        print(f"| {metric} | {med['plain']:.3f} | {med['plain-same-lib']:.3f} | {med['encrypted']:.3f} | "
              f"{med['encrypted'] / med['plain']:.2f} | {med['encrypted'] / med['plain-same-lib']:.2f} |")
    print(f"| SQLite | {versions['plain']} | {versions['plain-same-lib']} | {versions['encrypted']} | | |")


if __name__ == "__main__":
    main()
