"""What an adapter must do, and how it says whether a failure is worth retrying.

Besides deliveries, an adapter may offer the national document store (a citizen's signed
documents the dossier system keeps): :class:`NationalStore`. ``lookup_documents`` answers
None where there is none (a folder), and raises :class:`DeliveryError` when it cannot be
reached; the caller shows that reason and goes on with the local store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol


class DeliveryError(Exception):
    """A delivery that failed. ``permanent`` failures are parked instead of retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class NationalStoreError(DeliveryError):
    """The national store could not answer a look-up or a download; ``kind`` says how
    (``timeout``, ``connection``, ``server``, ``credentials``, ``malformed``, ``too_large``,
    ``not_found``, ``refused``), the message says it in the user's language."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class Adapter(Protocol):
    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None: ...

    def send_file(self, key: str, dossier_code: str, meta: dict[str, Any], path: Path) -> None: ...

    def send_status(self, key: str, dossier_code: str, status: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class NationalDocument:
    """One signed document of a citizen as the dossier system's national store lists it."""

    id: str
    kind: str
    doc_type: str
    doc_name: str
    number: str
    issuer: str
    issued_on: date | None
    valid_until: date | None
    sha256: str
    size: int
    source_dossier: str
    signature_state: str


class NationalStore(Protocol):
    def lookup_documents(self, id_number: str, purpose: str) -> list[NationalDocument] | None:
        """That citizen's documents (None: this dossier system offers no national store)."""
        ...

    def fetch_document(self, id_number: str, doc_id: str, dest: Path, purpose: str) -> None:
        """Write the signed file of that citizen's document to ``dest``."""
        ...
