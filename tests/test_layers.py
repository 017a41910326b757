"""The layers are a rule the build checks: import-linter's contracts (pyproject.toml) hold,
and a deliberately wrong import — lazy or not — breaks them.

Replaces the runtime "import the core with Qt blocked" check, which lazy imports slipped past.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("desktop", "ui", "scanning", "signing")


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(exe), "--config", str(cwd / "pyproject.toml"), "--no-cache"], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_the_layer_contracts_hold() -> None:
    r = _lint(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_a_wrong_import_breaks_them(tmp_path: Path) -> None:
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.qm", "*.png"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    # each of these is the kind of import the guards let through before
    (tmp_path / "desktop" / "dossiers.py").write_text(
        (tmp_path / "desktop" / "dossiers.py").read_text() + "\n\ndef _open_viewer() -> None:\n"
        "    from PySide6.QtWidgets import QFileDialog  # lazy, inside a function\n")
    (tmp_path / "scanning" / "quality.py").write_text(
        (tmp_path / "scanning" / "quality.py").read_text() + "\n\ndef _count() -> None:\n"
        "    from desktop.db import Database  # the scanning package reaching into the database\n")
    (tmp_path / "desktop" / "kernel" / "errors.py").write_text(
        (tmp_path / "desktop" / "kernel" / "errors.py").read_text() + "\nfrom desktop.config import Settings\n")
    (tmp_path / "ui" / "outbox_view.py").write_text(
        (tmp_path / "ui" / "outbox_view.py").read_text() + "\n\ndef _peek() -> None:\n"
        "    from sqlalchemy import text  # a view running its own SQL\n")
    r = _lint(tmp_path)
    assert r.returncode != 0
    out = " ".join(r.stdout.split())
    assert "The core never imports Qt or ui (lazy imports included) BROKEN" in out
    assert "Top-level layers: ui over desktop over scanning | signing BROKEN" in out
    assert "desktop.dossiers -> PySide6" in out or "desktop.dossiers -> PySide6.QtWidgets" in out
    assert "scanning.quality -> desktop.db" in out
    assert "desktop.kernel.errors -> desktop.config" in out
    assert "ui reaches the data through services, never the database BROKEN" in out
    assert "ui.outbox_view -> sqlalchemy" in out
