"""Sealing a result with the organization's seal profile, then verifying it (the seam).

:class:`ResultSealer` is what the lifecycle needs: seal a file already attached to the
dossier and say whether the signature verifies. The application layer's
``desktop.workflow.signing.FileSealer`` does it through the one signing path for dossier
files (sign in place, verify, record, audit, release the upload).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from desktop.auth import Actor
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg


@dataclass(frozen=True)
class SealCheck:
    ok: bool
    signer: str = ""
    problems: list[str] = field(default_factory=list)


class ResultSealer(Protocol):
    def seal_file(self, actor: Actor, file_id: int) -> SealCheck:
        """Seal the dossier file ``file_id`` in place, verify it, record its signature state."""
        ...


def check_is_pdf(path: Path) -> None:
    """A result must be a PDF: refuse anything else before a token is touched."""
    if not path.is_file():
        raise InvalidInput(msg("Không tìm thấy tệp {p}.", "File {p} not found.", p=path))
    with open(path, "rb") as f:
        head = f.read(1024)
    if not head.lstrip().startswith(b"%PDF-"):
        raise InvalidInput(msg("{p} không phải tệp PDF; kết quả phải là PDF (bản số hóa hoặc bản điện tử).",
                               "{p} is not a PDF; a result must be a PDF (digitized or electronic).", p=path.name))
