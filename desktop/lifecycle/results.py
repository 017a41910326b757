"""Sealing a result PDF with the organization's seal profile, then verifying it (the seam).

:class:`ResultSealer` is what the lifecycle needs: sign a PDF in place and say whether the
signature verifies. :class:`TokenSealer` does it with ``signing.pades`` and
``signing.verify`` on a PKCS#11 token; the application's single signing path for dossier
files can replace it by passing any other object with the same method.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg


@dataclass(frozen=True)
class SealCheck:
    ok: bool
    signer: str = ""
    problems: list[str] = field(default_factory=list)


class ResultSealer(Protocol):
    def seal_and_verify(self, pdf: Path) -> SealCheck:
        """Sign ``pdf`` in place with the seal profile, then verify every signature in it."""
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


@dataclass
class TokenSealer:
    """The organization's token: log in once per result, seal, verify against ``trust``."""

    module_path: str
    pin: str
    trust: list[Path]
    token_label: str | None = None
    serial: str | None = None
    key_id: str | None = None
    level: str = "B-B"
    tsa_url: str | None = None
    organization: str = ""
    seal_image: Path | None = None
    seal_mm: float | None = None
    data_dir: Path | None = None

    def seal_and_verify(self, pdf: Path) -> SealCheck:
        from signing.pades import PadesSigner, SignerIdentity, token_session
        from signing.tokens import TokenManager
        from signing.verify import verify_pdf

        with token_session(self.module_path, self.token_label, self.pin, serial=self.serial) as session:
            key_id = self.key_id
            if not key_id:
                manager = TokenManager(self.module_path)
                key_id = manager.find_signing_key_id(manager.get_token(label=self.token_label, serial=self.serial))
            signer = PadesSigner(session, key_id, level=self.level, tsa_url=self.tsa_url, data_dir=self.data_dir)
            signer.sign(pdf, pdf, profile="seal", identity=SignerIdentity(organization=self.organization),
                        seal_image=self.seal_image, seal_mm=self.seal_mm)
        report = verify_pdf(pdf, self.trust)
        problems = list(report.problems) + [p for s in report.signatures for p in s.problems]
        if not report.ok and not problems:
            problems = [msg("chữ ký không hợp lệ hoặc không được tin cậy", "signature not valid or not trusted")]
        return SealCheck(report.ok, report.signatures[-1].signer if report.signatures else "", problems)
