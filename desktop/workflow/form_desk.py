"""Issuing a form for a dossier: render it, seal it as an electronic form, record it.

The one path by which the dossier page and ``motcua forms render`` issue forms 01–06. A
printed form is signed by hand; an electronic form carries the organization's signature
and belongs to the dossier: it is kept in the data folder as one of the dossier's files
(kind ``form``, not digitized, not reusable), sealed through the one signing path
(:func:`desktop.workflow.signing.sign_files`: verified, its state recorded, its upload
released), so the dossier system receives it and notifies the citizen (form 04 for an
online dossier). A seal that fails takes the file back: an unsigned PDF must not go out
as if it were sealed. Each form issued is an audit event on the dossier (number, template
version, sealed or not, the file's hash), which the dossier's history shows.

A citizen-facing form also goes to the citizen by e-mail (and SMS where the centre has a
gateway): form 04 by itself when it is issued, any of 01–05 when the officer sends it
(:meth:`FormDesk.notify`). The notice is an outbox job queued in the transaction that
records the issue (desktop/outbox/notices.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.db.models import AuditEvent, DigitizedFile, Dossier
from desktop.dossiers import DossierService
from desktop.forms.data import applicable
from desktop.forms.pdfa import write_atomic
from desktop.forms.service import FormService
from desktop.kernel.errors import InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.outbox.models import JobKind
from desktop.outbox.notices import (
    AUTO_FORMS,
    CITIZEN_FORMS,
    Channel,
    compose,
    masked,
    not_reachable,
    payloads,
)
from desktop.workflow.signing import FileSealer, TokenChoice, permission_for
from signing.appearance import get_profile
from signing.pin_policy import PinFailures

#: the kind of dossier file an electronic form is (beside component, result, authorization)
FORM_KIND = "form"


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
    #: the notices queued to the citizen with it: (channel, masked address)
    notices: tuple[tuple[str, str], ...] = ()


class FormDesk:
    def __init__(self, db: Database, audit: AuditLog, forms: FormService, dossiers: DossierService,
                 outbox: Any) -> None:
        self.db, self.audit, self.forms, self.dossiers, self.outbox = db, audit, forms, dossiers, outbox

    def applicable(self, actor: Actor, code: str) -> list[str]:
        """The forms this dossier's history has content for (01 … 06)."""
        require(actor, Permission.RECEIVE_DOSSIER)  # the list reads the dossier
        return applicable(self.forms.data(code))

    def issue(self, actor: Actor, number: str, code: str, *, out: Path | None = None, seal: Seal | None = None,
              issued_at: datetime | None = None) -> IssuedForm:
        """Render form ``number`` for dossier ``code`` (into the data folder, and to ``out``
        if given), seal it as the dossier's electronic form when ``seal`` is given, and
        record it on the dossier."""
        require(actor, Permission.RECEIVE_DOSSIER)  # a form carries the citizen's data
        settings = self.forms.settings
        if seal is not None:  # before anything is written: a postal agent does not seal for the agency
            require(actor, permission_for(get_profile(seal.profile, settings.data_dir)))
        number = number.zfill(2)
        if seal is None:
            target = out or self.forms.default_path(number, code)
            target.parent.mkdir(parents=True, exist_ok=True)
            r = self.forms.render(number, code, target, issued_at=issued_at)
            signer = ""
            kept = target
        else:
            # the dossier's own copy, beside its other files (the printed forms stay in the data folder)
            target = settings.files_dir / "forms" / code / self.forms.default_path(number, code).name
            target.parent.mkdir(parents=True, exist_ok=True)
            r = self.forms.render(number, code, target, issued_at=issued_at)
            signer = self._seal(actor, code, number, target, seal)
            kept = target  # what an e-mail attaches: the dossier's copy, not one the officer may move
            if out is not None:  # the copy asked for; the dossier keeps its own
                target = write_atomic(target.read_bytes(), out)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        notices = self._compose(code, number, kept, digest) if number in AUTO_FORMS else {}
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="form.issue", entity_type="dossier", entity_id=code,
                              data={"number": number, "version": r.version, "source": r.source,
                                    "filename": target.name, "sha256": digest, "sealed": seal is not None,
                                    "fallback": r.fallback_reason, "path": str(kept)})
            sent = self._queue(s, actor, code, notices)  # with the issue, or not at all
        return IssuedForm(target, number, r.version, r.source, r.fallback_reason, seal is not None, signer, sent)

    def notify(self, actor: Actor, code: str, number: str) -> tuple[tuple[str, str], ...]:
        """Send the last issued copy of form ``number`` to the citizen (e-mail, and SMS where
        configured); returns the notices queued. Refused for a form that is not the citizen's,
        one not issued yet, or a dossier with no address to send to."""
        require(actor, Permission.RECEIVE_DOSSIER)
        number = number.zfill(2)
        if number not in CITIZEN_FORMS:
            raise InvalidInput(msg("Mẫu {n} không phải văn bản gửi công dân (chỉ {c}).",
                                   "Form {n} is not one for the citizen (only {c}).", n=number,
                                   c=", ".join(CITIZEN_FORMS)))
        with self.db.session() as s:
            issued = [e.data or {} for e in s.scalars(select(AuditEvent).where(
                AuditEvent.action == "form.issue", AuditEvent.entity_type == "dossier",
                AuditEvent.entity_id == code).order_by(AuditEvent.seq.desc()))]
        last = next((d for d in issued if d.get("number") == number and d.get("path")), None)
        if last is None or not Path(str(last["path"])).is_file():
            raise NotFound(msg("Mẫu {n} chưa được phát hành cho hồ sơ {c}: phát hành mẫu trước rồi gửi.",
                               "Form {n} has not been issued for dossier {c}: issue it first, then send it.",
                               n=number, c=code))
        notices = self._compose(code, number, Path(str(last["path"])), str(last.get("sha256", "")))
        if not notices:
            raise InvalidInput(not_reachable())
        with self.db.session() as s:
            return self._queue(s, actor, code, notices)

    def _compose(self, code: str, number: str, path: Path, digest: str) -> dict[Channel, dict[str, Any]]:
        from desktop.forms.templates import choose

        data = self.forms.data(code)
        title = choose(number, to_vn(utcnow()).date(), self.forms.settings.data_dir)[0].name
        return payloads(compose(number, title, data), data, self.forms.settings, path=str(path), sha256=digest)

    def _queue(self, s: Any, actor: Actor, code: str,
               notices: dict[Channel, dict[str, Any]]) -> tuple[tuple[str, str], ...]:
        """The notices queued in ``s``, each audited on the dossier (its history shows it)."""
        if not notices:
            return ()
        dossier_id = s.scalar(select(Dossier.id).where(Dossier.code == code))
        out = []
        for channel, payload in notices.items():
            job = self.outbox.queue_notice(s, dossier_id, code, JobKind(channel.value), payload)
            to = masked(payload["to"])
            name = "e-mail" if channel == Channel.EMAIL else "SMS"
            self.audit.record(s, actor=actor.audit_name, action="notice.queued", entity_type="dossier",
                              entity_id=code, data={"form": payload["form"], "channel": channel.value, "to": to,
                                                    "job": job, "note": f"{payload['form']} · {name} · {to}"})
            out.append((channel.value, to))
        return tuple(out)

    def register(self, actor: Actor, first: date, last: date, out: Path, *, unit_code: str | None = None,
                 status: int | None = None) -> Path:
        """Form 07, the dossier register of a period (.pdf or .xlsx): it lists citizens, so who
        wrote it, for which days, is recorded."""
        require(actor, Permission.RECEIVE_DOSSIER)
        r = self.forms.register(first, last, out, unit_code=unit_code, status=status)
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="form.register", entity_type="register",
                              entity_id=f"{first.isoformat()}..{last.isoformat()}",
                              data={"unit": unit_code or "", "status": status, "filename": out.name,
                                    "version": r.version})
        return r.path

    def _seal(self, actor: Actor, code: str, number: str, pdf: Path, seal: Seal) -> str:
        """Attach ``pdf`` to the dossier as its electronic form and seal it (the one signing
        path); on any failure the file is taken back and removed, and the error raised."""
        fv = self.dossiers.attach_file(actor, code, pdf, kind=FORM_KIND)  # its upload waits for the seal
        with self.db.session() as s:
            f = s.get(DigitizedFile, fv.id)
            if f is not None:  # an issued form, not a digitized paper, and not the citizen's to reuse
                f.digitized, f.reusable = False, False
        sealer = FileSealer(self.db, self.audit, self.outbox, seal.token, seal.pin, profile=seal.profile,
                            data_dir=self.forms.settings.data_dir, failures=seal.failures,
                            confirm_final_try=seal.confirm_final_try)
        try:
            check = sealer.seal_file(actor, fv.id)
            if not check.ok:
                raise InvalidInput(msg("Chữ ký số trên mẫu {n} không hợp lệ: {p}. Mẫu điện tử chưa được phát hành.",
                                       "The signature on form {n} does not verify: {p}. The electronic form was not "
                                       "issued.", n=number, p="; ".join(check.problems) or "?"))
        except BaseException as exc:
            self.dossiers.remove_file(actor, fv.id, reason=str(exc)[:300])
            pdf.unlink(missing_ok=True)
            raise
        return check.signer


__all__ = ["FORM_KIND", "FormDesk", "IssuedForm", "Seal"]
