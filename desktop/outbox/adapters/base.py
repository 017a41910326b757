"""What an adapter must do, and how it says whether a failure is worth retrying."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class DeliveryError(Exception):
    """A delivery that failed. ``permanent`` failures are parked instead of retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Adapter(Protocol):
    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None: ...

    def send_file(self, key: str, dossier_code: str, meta: dict[str, Any], path: Path) -> None: ...

    def send_status(self, key: str, dossier_code: str, status: dict[str, Any]) -> None: ...
