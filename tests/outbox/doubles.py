"""A dossier system a test can switch mid-test, as an officer changes the address in Settings.

The outbox keeps one adapter between drains (its HTTP connection and token), so a test
that wants the same application to reach first one system and then another gives the
outbox this switch once, through :class:`desktop.context.AppContext`'s ``adapter_factory``,
and moves the switch: no test assigns the outbox's private attributes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.outbox.adapters.base import Adapter


class SwitchableSystem:
    def __init__(self, target: Adapter) -> None:
        self.target = target

    def use(self, target: Adapter) -> None:
        self.target = target

    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        self.target.send_dossier(key, dossier)

    def send_file(self, key: str, dossier_code: str, meta: dict[str, Any], path: Path) -> None:
        self.target.send_file(key, dossier_code, meta, path)

    def send_status(self, key: str, dossier_code: str, status: dict[str, Any]) -> None:
        self.target.send_status(key, dossier_code, status)

    def __getattr__(self, name: str) -> Any:  # the optional parts of an adapter (close, national store)
        return getattr(self.target, name)
