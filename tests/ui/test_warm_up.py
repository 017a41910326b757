"""The sign-in warm-up imports what the flow would import on first use (ui/warm_up.py)."""

from __future__ import annotations

import sys

from ui.warm_up import MODULES, warm_up


def test_every_listed_module_exists_and_is_imported() -> None:
    # a renamed module would make the warm-up silently useless (it only logs): the list stays true
    assert warm_up() == len(MODULES)
    assert all(name in sys.modules for name in MODULES)
