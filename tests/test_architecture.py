"""Every module has a docstring. (The layers — no Qt in the core, ui never at the database —
are import-linter contracts, checked in tests/test_layers.py.)"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("desktop", "scanning", "signing")


def test_every_module_has_a_docstring() -> None:
    missing = []
    for pkg in (*CORE, "ui"):
        for path in (ROOT / pkg).rglob("*.py"):
            if "migrations" in path.parts or path.stat().st_size == 0:
                continue
            if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None:
                missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"modules without a docstring: {missing}"
