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


def _private_assignments(tree: ast.AST) -> list[tuple[int, str]]:
    """``a.b._c = …``: a private attribute of an object reached through another (a service of
    the context), not ``self._c`` in a test double's own methods."""
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else [])
        for t in targets:
            for leaf in ast.walk(t):
                if (isinstance(leaf, ast.Attribute) and leaf.attr.startswith("_") and not leaf.attr.startswith("__")
                        and isinstance(leaf.value, ast.Attribute)):
                    found.append((leaf.lineno, ast.unparse(leaf)))
    return found


def test_tests_reach_services_through_their_constructors() -> None:
    """Issue 10: a test gives the application its dossier system (``AppContext(adapter_factory=…)``,
    the ``make_ctx`` fixture) instead of assigning ``ctx.outbox._adapter_factory``."""
    assert _private_assignments(ast.parse("ctx.outbox._adapter_factory = lambda: fake")) == [
        (1, "ctx.outbox._adapter_factory")]  # what the check finds ...
    assert _private_assignments(ast.parse("self._sent = []\nx.y.z = 1")) == []  # ... and what it leaves
    found = []
    for path in (ROOT / "tests").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in _private_assignments(ast.parse(text))]
        for name, script in ((n, v) for n, v in _string_constants(ast.parse(text)) if "AppContext(" in v):
            found += [f"{path.relative_to(ROOT)} ({name}):{line}: {what}"
                      for line, what in _private_assignments(ast.parse(script))]
    assert not found, found


def _string_constants(tree: ast.AST) -> list[tuple[str, str]]:
    """Module-level scripts the tests run in child processes (``NAME = r'''…'''``)."""
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            try:
                ast.parse(node.value.value)
            except SyntaxError:
                continue
            out.append((node.targets[0].id, node.value.value))
    return out
