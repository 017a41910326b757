"""Issuing a form for a dossier: render it, seal it as an electronic form, record it.

The one path by which the dossier page and ``motcua forms render`` issue forms 01–06. A
printed form is signed by hand; an electronic form carries the organization's signature
(the seal profile, verified at once, the same PIN policy as every signature). Each form
issued is an audit event on the dossier, so its history says which form went out, which
template version, whether sealed, and the file's hash. A seal that fails leaves no file
behind: an unsigned PDF named like a sealed one would be sent as if it were.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.forms.data import applicable
from desktop.forms.service import FormService
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.workflow.signing import TokenChoice, permission_for, seal_pdf
from signing.appearance import get_profile
from signing.pin_policy import PinFailures


@dataclass(frozen=True)
class Seal:
    """The token to seal an electronic form with (the PIN is taken once, then dropped)."""

    token: TokenChoice
    pin: str
    profile: str = "seal"
    failures: PinFailures | None = None
    confirm_final_try: bool = False


@dataclass(frozen=True)
class IssuedForm:
    path: Path
    number: str
    version: str
    source: str
    fallback_reason: str
    sealed: bool
    signer: str = ""


class FormDesk:
    def __init__(self, db: Database, audit: AuditLog, forms: FormService) -> None:
        self.db, self.audit, self.forms = db, audit, forms

    def applicable(self, actor: Actor, code: str) -> list[str]:
        """The forms this dossier's history has content for (01 … 06)."""
        require(actor, Permission.RECEIVE_DOSSIER)  # the list reads the dossier
        return applicable(self.forms.data(code))

    def issue(self, actor: Actor, number: str, code: str, *, out: Path | None = None, seal: Seal | None = None,
              issued_at: datetime | None = None) -> IssuedForm:
        """Render form ``number`` for dossier ``code`` (into the data folder unless ``out``),
        seal it when ``seal`` is given, and record it on the dossier."""
        require(actor, Permission.RECEIVE_DOSSIER)  # a form carries the citizen's data
        data_dir = self.forms.settings.data_dir
        if seal is not None:  # before anything is written: a postal agent does not seal for the agency
            require(actor, permission_for(get_profile(seal.profile, data_dir)))
        number = number.zfill(2)
        target = out or self.forms.default_path(number, code)
        target.parent.mkdir(parents=True, exist_ok=True)
        r = self.forms.render(number, code, target, issued_at=issued_at)
        signer = ""
        if seal is not None:
            try:
                check = seal_pdf(seal.token, seal.pin, target, profile=seal.profile, data_dir=data_dir,
                                 failures=seal.failures, confirm_final_try=seal.confirm_final_try)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
            if not check.ok:
                target.unlink(missing_ok=True)
                raise InvalidInput(msg("Chữ ký số trên mẫu {n} không hợp lệ: {p}. Mẫu điện tử chưa được phát hành.",
                                       "The signature on form {n} does not verify: {p}. The electronic form was not "
                                       "issued.", n=number, p="; ".join(check.problems) or "?"))
            signer = check.signer
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="form.issue", entity_type="dossier", entity_id=code,
                              data={"number": number, "version": r.version, "source": r.source,
                                    "filename": target.name, "sha256": digest, "sealed": seal is not None,
                                    "fallback": r.fallback_reason})
        return IssuedForm(target, number, r.version, r.source, r.fallback_reason, seal is not None, signer)


__all__ = ["FormDesk", "IssuedForm", "Seal"]
