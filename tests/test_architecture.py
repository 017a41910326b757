"""Contracts of the layout: the core imports no Qt; every module has a docstring."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("desktop", "scanning", "signing")

_BLOCK_QT = r"""
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError(f"core module imported Qt: {name}")
        return None
sys.meta_path.insert(0, Block())
failed = []
for pkg in sys.argv[1:]:
    mod = importlib.import_module(pkg)
    for info in pkgutil.walk_packages(mod.__path__, pkg + "."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except ImportError as exc:
            if "imported Qt" in str(exc):
                failed.append(f"{info.name}: {exc}")
print("\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_core_packages_import_without_qt() -> None:
    r = subprocess.run([sys.executable, "-c", _BLOCK_QT, *CORE], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_module_has_a_docstring() -> None:
    missing = []
    for pkg in (*CORE, "ui"):
        for path in (ROOT / pkg).rglob("*.py"):
            if "migrations" in path.parts or path.stat().st_size == 0:
                continue
            if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None:
                missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"modules without a docstring: {missing}"


def test_ui_does_not_touch_the_database_directly() -> None:
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "from sqlalchemy" in text or "import sqlalchemy" in text or "session.execute(" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"ui modules using SQL directly: {offenders}"
