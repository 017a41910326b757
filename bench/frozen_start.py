"""Start-up of the frozen application to its visible sign-in window, next to a bare PySide6 window.

Both are measured in the same run, under the same X server (Xvfb), from process spawn to the
line each prints once its window is shown (``motcua gui --check`` prints it from inside the
sign-in dialog's event loop; the bare script from its own). The first frozen run after the
build is the coldest one this machine can give (the bundle's files were just written, so it
is not a cold disk cache); the median of the next runs is the warm figure. Also prints the
bundle's size on disk.

``--cold`` makes the first round a start from disk: before it, every file of each bundle (and
the PySide6 package the bare window imports) is written back and dropped from the page cache
(``posix_fadvise(DONTNEED)``, those files only; the system's libraries stay cached, as on a
desktop that runs X11 and GLib already). The disk here is a virtual machine's: its host may
still cache what the guest dropped.

``--source [LABEL=]DIR`` measures a source tree instead (``python -m ui.cli gui --check`` with
this Python: the venv start-up, no bundle to build), e.g. a checkout of an earlier commit next
to this one; targets run in rounds (each once per round, then the bare window).

    .venv/bin/python bench/frozen_start.py --app dist/motcua/motcua [--runs 5]
    .venv/bin/python bench/frozen_start.py --app /tmp/before/motcua/motcua --app dist/motcua/motcua --cold
    .venv/bin/python bench/frozen_start.py --source before=/tmp/before --source after=. --runs 7
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

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
w = QLabel("motcua")
w.resize(380, 200)
w.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def _time_to_line(cmd: list[str], env: dict[str, str], marker: str, cwd: str | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=cwd)
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{cmd[0]} ended without printing {marker!r}")
    proc.wait(timeout=60)
    return elapsed


def _size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def _evict(folder: Path) -> int:
    """Drop the folder's files from the page cache (written back first: dirty pages are not dropped)."""
    count = 0
    for f in folder.rglob("*"):
        if f.is_file() and not f.is_symlink():
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fdatasync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(fd)
    return count


def _targets(args: argparse.Namespace) -> list[tuple[str, list[str], dict[str, str]]]:
    """(label, command, extra environment) of each application measured beside the bare window."""
    targets = [(str(app), [str(app), "gui", "--check"], {}) for app in args.app]
    for spec in args.source:
        label, _, folder = spec.rpartition("=")
        root = Path(folder).resolve()
        # sys.path[0] is the folder (-m, cwd) and PYTHONPATH names it: its ui/ and desktop/,
        # not the ones the venv's editable install points at
        targets.append((label or str(root), [sys.executable, "-m", "ui.cli", "gui", "--check"],
                        {"PYTHONPATH": str(root), "_cwd": str(root)}))
    return targets or [("dist/motcua/motcua", ["dist/motcua/motcua", "gui", "--check"], {})]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", type=Path, action="append", default=[],
                    help="a frozen motcua executable (default dist/motcua/motcua); may be repeated")
    ap.add_argument("--source", action="append", default=[], metavar="[LABEL=]DIR",
                    help="a source tree run as 'python -m ui.cli' with this Python (a venv start-up); may be repeated")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cold", action="store_true",
                    help="drop the bundles' and PySide6's files from the page cache before the first round")
    args = ap.parse_args()
    targets = _targets(args)
    if args.cold:
        import PySide6

        for folder in [Path(cmd[0]).parent for _, cmd, _ in targets if cmd[0] != sys.executable] \
                + [Path(PySide6.__file__).parent]:
            _evict(folder)
    load_before = os.getloadavg()
    display = ":97"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times: dict[str, list[float]] = {label: [] for label, _, _ in targets}
    bare: list[float] = []
    try:
        time.sleep(1.0)
        with tempfile.TemporaryDirectory() as home:
            env = {"PATH": "/usr/bin:/bin", "HOME": home, "DISPLAY": display, "LANG": "C.UTF-8",
                   "QT_QPA_PLATFORM": "xcb", "MOTCUA_SYSTEM_CONFIG": os.path.join(home, "none.toml")}
            # in rounds, each target once per round: a change of the machine's load falls on all alike
            for _ in range(args.runs + 1):
                for label, cmd, extra in targets:
                    run_env = {**env, **{k: v for k, v in extra.items() if not k.startswith("_")}}
                    times[label].append(_time_to_line(cmd, run_env, "sign-in window shown", cwd=extra.get("_cwd")))
                bare.append(_time_to_line([sys.executable, "-c", BARE], env, "shown"))
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    warm_bare = statistics.median(bare[1:])
    result: dict[str, object] = {
        "bare_pyside6_first_s": round(bare[0], 3), "bare_pyside6_median_s": round(warm_bare, 3),
        "runs": args.runs, "cold_first": args.cold, "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in os.getloadavg()], "cores": os.cpu_count(),
    }
    for label, cmd, _ in targets:
        warm = statistics.median(times[label][1:])
        entry: dict[str, object] = {"first_s": round(times[label][0], 3), "median_s": round(warm, 3),
                                    "ratio_median": round(warm / warm_bare, 2)}
        if cmd[0] != sys.executable:
            entry["bundle_mb"] = round(_size_mb(Path(cmd[0]).parent), 1)
        result[label] = entry
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
