"""Start-up of the frozen application to its visible sign-in window, next to a bare PySide6 window.

Both are measured in the same run, under the same X server (Xvfb), from process spawn to the
line each prints once its window is shown (``motcua gui --check`` prints it from inside the
sign-in dialog's event loop; the bare script from its own). The first frozen run after the
build is the coldest one this machine can give (the bundle's files were just written, so it
is not a cold disk cache); the median of the next runs is the warm figure. Also prints the
bundle's size on disk.

    .venv/bin/python bench/frozen_start.py --app dist/motcua/motcua [--runs 5]
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


def _time_to_line(cmd: list[str], env: dict[str, str], marker: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", type=Path, default=Path("dist/motcua/motcua"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    display = ":97"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        with tempfile.TemporaryDirectory() as home:
            env = {"PATH": "/usr/bin:/bin", "HOME": home, "DISPLAY": display, "LANG": "C.UTF-8",
                   "QT_QPA_PLATFORM": "xcb", "MOTCUA_SYSTEM_CONFIG": os.path.join(home, "none.toml")}
            frozen = [_time_to_line([str(args.app), "gui", "--check"], env, "sign-in window shown")
                      for _ in range(args.runs + 1)]
            bare = [_time_to_line([sys.executable, "-c", BARE], env, "shown") for _ in range(args.runs + 1)]
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    warm_frozen, warm_bare = statistics.median(frozen[1:]), statistics.median(bare[1:])
    print(json.dumps({
        "bundle_mb": round(_size_mb(args.app.parent), 1),
        "frozen_first_s": round(frozen[0], 3), "frozen_median_s": round(warm_frozen, 3),
        "bare_pyside6_first_s": round(bare[0], 3), "bare_pyside6_median_s": round(warm_bare, 3),
        "ratio_median": round(warm_frozen / warm_bare, 2), "runs": args.runs,
    }, indent=1))


if __name__ == "__main__":
    main()
