"""Targets shown next to the indicators, kept as data (resources/reports/targets.json)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

TARGETS = Path(__file__).resolve().parent.parent.parent / "resources" / "reports" / "targets.json"


@lru_cache(maxsize=1)
def _read() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TARGETS.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def load_targets() -> dict[str, Any]:
    return dict(_read())


def meets(name: str, value: float | None) -> bool | None:
    """Whether ``value`` meets the target ``name`` (None: no value or no target)."""
    t = _read().get(name)
    if value is None or not isinstance(t, dict) or t.get("target") is None:
        return None
    return bool(value <= t["target"]) if t.get("op") == "<=" else bool(value >= t["target"])
