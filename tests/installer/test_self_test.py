"""``motcua self-test`` exercises the OCR stack itself: numpy, OpenCV and the page workers'
Tesseract path, each its own named check.

Before, it only asked the ``tesseract`` command for its languages: with a numpy that does not
import (a damaged bundle, a half-upgraded environment) it said "passed", and the first page
scanned at the counter failed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from desktop.config import load_settings
from desktop.selftest import OCR_PROBE_TEXT, check_numpy, check_ocr, check_opencv
from tests.cli import ROOT, motcua


def test_a_broken_numpy_fails_the_self_test_and_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "site" / "numpy"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text('raise ImportError("numpy damaged for the test")\n', encoding="utf-8")
    (tmp_path / "sane").mkdir()  # no SANE backend to probe: the scanner check is not what this is about
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(broken.parent), str(ROOT)]), "MOTCUA_LANG": "en",
           "SANE_CONFIG_DIR": str(tmp_path / "sane")}
    r = motcua(tmp_path / "data", "self-test", "--json", env=env, user=None)
    report = json.loads(r.stdout)
    failed = {c["name"]: c for c in report["checks"] if not c["ok"]}
    assert r.returncode == 1 and report["ok"] is False, r.stdout
    numpy = next(c for name, c in failed.items() if name.startswith("numpy"))
    assert numpy["required"] and "numpy damaged for the test" in numpy["detail"] and "numpy" in numpy["fix"]
    # OpenCV needs numpy, and so does the OCR: both say they do not run, under their own names
    assert any(name.startswith("OpenCV") for name in failed) and any("OCR" in name for name in failed), failed


def test_the_ocr_checks_pass_on_a_working_stack(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    for check in (check_numpy, check_opencv, check_ocr):
        c = check(settings)
        assert c.ok and c.required, c
    assert OCR_PROBE_TEXT in check_ocr(settings).detail  # read back from the image it drew, with vie
