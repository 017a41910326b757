"""The Qt binding itself: a workstation runs all day, so a reference leak per signal is a crash.

PySide6 6.12.0 (on Python 3.11, where True is not immortal) drops one reference to
``True`` on every signal emission; a counter panel that ticks once a second aborted the
interpreter ("bool_dealloc") within minutes, and test runs aborted at exit. This runs
the emissions in a child process, so a binding with the bug fails here cleanly.
"""

from __future__ import annotations

import subprocess
import sys

_PROBE = r"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Ticker(QObject):
    tick = Signal()
    value = Signal(object)
t = Ticker()
seen = []
t.tick.connect(lambda: seen.append(1))
t.value.connect(seen.append)
before = sys.getrefcount(True), sys.getrefcount(False)
for _ in range(200):
    t.tick.emit()
    t.value.emit("x")
after = sys.getrefcount(True), sys.getrefcount(False)
print(len(seen), before[0] - after[0], before[1] - after[1])
"""


def test_signal_emission_keeps_reference_counts() -> None:
    r = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120,
                       env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, f"the Qt binding crashed emitting signals: {r.stderr[-500:]}"
    seen, lost_true, lost_false = map(int, r.stdout.split())
    assert seen == 400
    assert abs(lost_true) <= 2 and abs(lost_false) <= 2, f"references to True/False lost per run: {lost_true}, {lost_false}"
