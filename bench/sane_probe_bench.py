"""What listing SANE devices in a child process costs, next to doing it in this process.

    .venv/bin/python -m bench.sane_probe_bench [--runs 5]

Two configurations, each in a private SANE_CONFIG_DIR: only the ``test`` backend (two
devices, what the tests use), and the machine's whole /etc/sane.d (every backend of Debian's
dll.conf, no scanner attached). For each: ``sane_init`` + ``sane_get_devices`` + ``sane_exit``
here (the old way: the devices' options then read by opening each one), the probe child
without and with the options, and a call answered from the probe's cache. Medians of
``--runs`` runs. In-process listing is safe in a fresh process with a few descriptors
and one thread (backends were seen to crash a process only past 1024 descriptors or with
two threads in SANE), and it is measured in one such subprocess per configuration: libsane
reads SANE_CONFIG_DIR once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# the application's modules are imported inside the functions: the probe's spawned child
# imports this main module again, as the application's child would import only its cheap
# entry point (installer/entry.py, or a package's __main__, which spawn skips)


def in_process(with_options: bool) -> int:
    import sane

    from scanning.sources.sane_source import capabilities_of

    sane.init()
    try:
        devices = sane.get_devices()
        if with_options:
            for name, *_ in devices:
                dev = sane.open(name)
                try:
                    capabilities_of(dev)
                finally:
                    dev.close()
        return len(devices)
    finally:
        sane.exit()


def child(with_options: bool) -> int:
    from scanning.sources import sane_probe

    return len(sane_probe.probe(fresh=True, with_options=with_options).devices)


def cached(with_options: bool) -> int:
    from scanning.sources import sane_probe

    return len(sane_probe.probe(with_options=with_options).devices)


def median_ms(fn: Callable[[bool], int], with_options: bool, runs: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        count = fn(with_options)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), count


def config(kind: str, base: Path) -> Path:
    d = base / kind
    if kind == "system":
        shutil.copytree("/etc/sane.d", d)
    else:
        d.mkdir()
        (d / "dll.conf").write_text("test\n", encoding="ascii")
        (d / "test.conf").write_text("number_of_devices 2\n", encoding="ascii")
    return d


def in_subprocess(runs: int) -> tuple[float, float, int]:
    r = subprocess.run([sys.executable, "-m", "bench.sane_probe_bench", "--in-process", "--runs", str(runs)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600, check=True)
    names, opts, n = json.loads(r.stdout.splitlines()[-1])
    return names, opts, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--in-process", action="store_true", help="(internal) measure here, print JSON")
    args = ap.parse_args()
    if args.in_process:
        here, n = median_ms(in_process, False, args.runs)
        here_opts, _ = median_ms(in_process, True, args.runs)
        print(json.dumps([here, here_opts, n]))
        return
    from scanning.sources import sane_probe
    with tempfile.TemporaryDirectory(prefix="sane-bench-") as tmp:
        print("| configuration | devices | in process | child, names | in process, with options | child, with options"
              " | cached |")
        print("|---|---|---|---|---|---|---|")
        for kind in ("test", "system"):
            if kind == "system" and not Path("/etc/sane.d/dll.conf").is_file():
                continue
            os.environ["SANE_CONFIG_DIR"] = str(config(kind, Path(tmp)))
            sane_probe.clear_cache()
            here, here_opts, n = in_subprocess(args.runs)
            names, _ = median_ms(child, False, args.runs)
            opts, _ = median_ms(child, True, args.runs)
            hit, _ = median_ms(cached, True, args.runs)
            print(f"| {kind} | {n} | {here:.1f} ms | {names:.0f} ms | {here_opts:.1f} ms | {opts:.0f} ms | {hit:.3f} ms |")


if __name__ == "__main__":
    main()
