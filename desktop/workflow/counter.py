"""A dossier at the counter: receive → digitize a component → sign the dossier → finish.

:class:`CounterWork` is what the counter does with a dossier, Qt-free: the CLI, the
headless demo and the screens call it, so each step has one implementation:

* ``receive`` records the dossier with the visit's ticket linked (a ticket received twice
  is refused, so a second click makes no second dossier);
* ``digitize_component`` checks that the component exists *before* the OCR, makes the
  searchable PDF/A in the dossier's folder and attaches it; a failed attach removes the
  PDF, so no orphan is left behind;
* ``sign_dossier`` signs every digitized copy not yet signed with one login, through the
  one signing path (:mod:`desktop.workflow.signing`), which releases each verified copy's
  upload; copies wait in the outbox until then;
* ``finish`` ends the ticket, which already carries the dossier's code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from desktop.audit import AuditLog
from desktop.auth import Actor
from desktop.config import Settings
from desktop.db import Database
from desktop.db.models import SignatureState
from desktop.dossiers import ComponentInput, DossierService, DossierView, FileView
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken, Progress, ProgressFn, no_progress
from desktop.lifecycle.results import FROM_CATALOGUE, Validity
from desktop.workflow.flow import ReceptionCheck, SlotSpec, check_reception
from desktop.workflow.signing import FileOutcome, FileSealer, TokenChoice, sign_files
from signing.batch_signing import BatchResult
from signing.pin_policy import PinFailures

if TYPE_CHECKING:
    from desktop.catalogue import ProcedureInfo
    from desktop.lifecycle.service import LifecycleService, Outcome
    from desktop.outbox.service import Outbox
    from desktop.queue.desk import QueueDesk
    from desktop.queue.views import TicketView
    from scanning.cleanup import CleanOptions
    from scanning.images import Page
    from scanning.page_pool import PagePool
    from scanning.pipeline import DigitizeReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digitized:
    file: FileView
    report: DigitizeReport


@dataclass(frozen=True)
class DossierSigning:
    """What "sign the dossier" did: the batch and, per file, the state it ended in."""

    result: BatchResult
    outcomes: list[FileOutcome]

    @property
    def verified(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.state == SignatureState.VERIFIED]

    @property
    def invalid(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.state == SignatureState.INVALID]

    @property
    def left(self) -> list[FileOutcome]:
        """Files still unsigned (cancelled, token pulled, a damaged file)."""
        return [o for o in self.outcomes if o.state == SignatureState.UNSIGNED]

    @property
    def ok(self) -> bool:
        return not self.left and not self.invalid


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text) or "_"


@dataclass(frozen=True)
class Agency:
    """The unit that receives a procedure's dossiers: its QCVN 102:2016 code (which begins
    the dossier code) and its name (on the receipt)."""

    code: str
    name: str
    #: named by the catalogue (False: the workstation's own unit, the procedure says none)
    from_catalogue: bool


@dataclass(frozen=True)
class Contact:
    """What a citizen gave at their latest dossier (``dossier``)."""

    dossier: str
    name: str
    address: str
    phone: str
    email: str


class CounterWork:
    def __init__(self, db: Database, audit: AuditLog, settings: Settings, dossiers: DossierService,
                 queue: QueueDesk, outbox: Outbox, *, page_pool: Callable[[], PagePool | None] | None = None,
                 lifecycle: LifecycleService | None = None) -> None:
        self.db = db
        self.audit = audit
        self.settings = settings
        self.dossiers = dossiers
        self.queue = queue
        self.outbox = outbox
        self._page_pool = page_pool or (lambda: None)
        self.lifecycle = lifecycle

    # --- receive ---------------------------------------------------------------------------

    def slot_specs(self, procedure_code: str) -> list[SlotSpec]:
        """The procedure's components as the reception checklist shows them."""
        from desktop.catalogue import Catalogue

        info = Catalogue(self.db, self.audit).get(procedure_code)
        return [SlotSpec(c.code, c.name, c.required, c.must_digitize, c.must_sign, c.copy_kind, c.quantity)
                for c in info.components]

    def receiving_agency(self, info: ProcedureInfo) -> Agency:
        """Who receives a dossier of this procedure: the agency the catalogue names (a postal
        agent receives for many departments), else this workstation's unit — the same rule
        as :meth:`DossierService.receive` (the code) and the receipt (the name)."""
        from desktop.forms.data import forms_settings

        if info.agency_code:
            return Agency(info.agency_code, info.agency_name or info.agency_code, True)
        return Agency(self.settings.unit_code, forms_settings(self.settings).agency, False)

    def last_contact(self, actor: Actor, id_number: str) -> Contact | None:
        """A returning citizen (same ID number): the name, address, phone and e-mail of their
        latest dossier, for the officer to confirm rather than type again."""
        from sqlalchemy import select

        from desktop.auth import Permission, require
        from desktop.db.models import Dossier

        require(actor, Permission.RECEIVE_DOSSIER)
        given = id_number.strip()
        if not (given.isdigit() and len(given) in (9, 12)):
            return None
        with self.db.session() as s:
            d = s.scalar(select(Dossier).where(Dossier.applicant_id_number == given)
                         .order_by(Dossier.received_at.desc(), Dossier.id.desc()).limit(1))
            if d is None:
                return None
            return Contact(d.code, d.applicant_name, d.applicant_address, d.applicant_phone, d.applicant_email)

    def recent_procedures(self, actor: Actor, limit: int = 5) -> list[str]:
        """The procedures this officer received most recently, newest first (the reception
        list shows them after the counter's favourites: :mod:`desktop.workflow.favourites`)."""
        from desktop.workflow.favourites import recent_procedures

        return recent_procedures(self.db, actor, limit)

    def check_reception(self, procedure_code: str, brought: Iterable[str]) -> ReceptionCheck:
        return check_reception(self.slot_specs(procedure_code), brought)

    def receive(self, actor: Actor, *, procedure_code: str, applicant_name: str, ticket_id: int | None = None,
                brought: Iterable[str] | None = None, supplement_reason: str = "", **fields: Any) -> DossierView:
        """Record the dossier (code, due date, components) with the visit's ticket linked.

        ``brought``: the codes ticked on the checklist (None: every component, as a CLI
        import does). A required component not brought blocks reception with the reason,
        unless ``supplement_reason`` is given: then the dossier is received and the request
        to complete it (form 02) lists what is missing — the officer chooses."""
        if brought is None:
            return self.dossiers.receive(actor, procedure_code=procedure_code, applicant_name=applicant_name,
                                         ticket_id=ticket_id, **fields)
        got = set(brought)
        specs = self.slot_specs(procedure_code)
        check = check_reception(specs, got)
        if check.unknown or (check.missing_required and not supplement_reason.strip()):
            raise InvalidInput(check.reason)
        comps = [ComponentInput(s.name, s.code, s.copy_kind, s.quantity, s.must_sign, received=s.code in got)
                 for s in specs]
        d = self.dossiers.receive(actor, procedure_code=procedure_code, applicant_name=applicant_name,
                                  ticket_id=ticket_id, components=comps, **fields)
        if check.missing_required:
            if self.lifecycle is None:
                raise InvalidInput(check.reason)
            self.lifecycle.supplement(actor, d.code, supplement_reason.strip(),
                                      [s.code or s.name for s in check.missing_required])
        return d

    # --- digitize --------------------------------------------------------------------------

    def output_path(self, dossier_code: str, component_code: str, when: datetime | None = None) -> Path:
        """Where a component's digitized copy is written: one folder per dossier."""
        stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
        return (self.settings.files_dir / "dossiers" / _safe(dossier_code)
                / f"{_safe(component_code)}-{stamp}.pdf")

    def digitize_component(self, actor: Actor, dossier_code: str, component: str, *,
                           pages: Sequence[Page] | None = None, files: Sequence[Path] | None = None,
                           options: CleanOptions | None = None, lang: str | None = None,
                           cancel: CancelToken | None = None, progress: ProgressFn = no_progress) -> Digitized:
        """Pages (from a scanner or the screen) or image/PDF files → one searchable PDF/A
        attached to ``component`` of the dossier, which must exist (checked first)."""
        from scanning.pipeline import DEFAULT_LANG, digitize, digitize_pages

        code = self.dossiers.component_code(dossier_code, component)  # NotFound before the OCR, not after
        out = self.output_path(dossier_code, code)
        out.parent.mkdir(parents=True, exist_ok=True)
        pool = self._page_pool()
        kw: dict[str, Any] = dict(options=options, lang=lang or DEFAULT_LANG, cancel=cancel, progress=progress,
                                  pool=pool)
        if pages is not None:
            report = digitize_pages(list(pages), out, **kw)
        elif files:
            report = digitize([Path(f) for f in files], out, **kw)
        else:
            raise InvalidInput(msg("Chưa có trang nào để số hóa.", "There are no pages to digitize."))
        try:
            f = self.dossiers.attach_file(actor, dossier_code, out, component=code, pages=report.pages,
                                          ocr_text=report.text)
        except BaseException:
            with suppress(OSError):  # no PDF without its record
                out.unlink()
            raise
        return Digitized(f, report)

    # --- sign --------------------------------------------------------------------------------

    def files_to_sign(self, dossier_code: str) -> list[FileView]:
        """The dossier's digitized copies not yet signed, in the order they were attached."""
        return [f for f in self.dossiers.files(dossier_code) if f.signature_state == SignatureState.UNSIGNED]

    def sign_dossier(self, actor: Actor, dossier_code: str, token: TokenChoice, pin: str, *, profile: str = "copy",
                     failures: PinFailures | None = None, confirm_final_try: bool = False,
                     cancel: CancelToken | None = None, progress: Progress | None = None) -> DossierSigning:
        """Sign every unsigned digitized copy of the dossier in one batch with one PIN entry,
        verify each, record its state, and let the verified ones go to the dossier system."""
        ids = [f.id for f in self.files_to_sign(dossier_code)]
        if not ids:
            return DossierSigning(BatchResult(), [])
        result, outcomes = sign_files(self.db, self.audit, actor, ids, token, pin, profile=profile,
                                      data_dir=self.settings.data_dir, failures=failures,
                                      confirm_final_try=confirm_final_try, cancel=cancel, progress=progress,
                                      on_verified=self.outbox.file_changed)
        del pin
        return DossierSigning(result, outcomes)

    def attach_result(self, actor: Actor, dossier_code: str, pdf: Path, token: TokenChoice, pin: str, *,
                      profile: str = "seal", digitized: bool = False, failures: PinFailures | None = None,
                      confirm_final_try: bool = False, valid_until: Validity = FROM_CATALOGUE) -> Outcome:
        """The result PDF attached, its QR stamped with ``valid_until`` (None: no end date), sealed
        with the organization's signature through the one signing path, verified, and the dossier
        done (nothing recorded if it does not verify)."""
        if self.lifecycle is None:
            raise InvalidInput(msg("Vòng đời hồ sơ chưa được bật.", "The dossier lifecycle is not set up."))
        if not token.trust:
            raise InvalidInput(msg("Cần chứng thư gốc tin cậy để kiểm tra chữ ký của kết quả (Cài đặt → ký số).",
                                   "A trusted root certificate is needed to verify the result's signature "
                                   "(Settings → signing)."))
        sealer = FileSealer(self.db, self.audit, self.outbox, token, pin, profile=profile,
                            data_dir=self.settings.data_dir, failures=failures, confirm_final_try=confirm_final_try)
        del pin
        return self.lifecycle.attach_result(actor, dossier_code, pdf, sealer, digitized=digitized,
                                            valid_until=valid_until)

    def digitize_result(self, dossier_code: str, files: Sequence[Path], *, lang: str | None = None,
                        cancel: CancelToken | None = None, progress: ProgressFn = no_progress) -> Path:
        """A paper result's scans (images or a scanned PDF) → one searchable PDF/A through the
        capture path (clean-up, OCR), ready for :meth:`attach_result` with ``digitized=True``:
        the digitization indicator counts results digitized this way."""
        return self._digitize_paper(dossier_code, files, "results/scans", lang, cancel, progress)

    def digitize_letter(self, dossier_code: str, files: Sequence[Path], *, id_number: str | None = None,
                        lang: str | None = None, cancel: CancelToken | None = None,
                        progress: ProgressFn = no_progress) -> Path:
        """A proxy's authorization letter photographed or scanned at the counter (its pages,
        often with a copy of the proxy's ID) → one PDF/A for ``return_result(proxy_file=…)``.

        With ``id_number`` (the proxy's, as typed), its format is checked first, as
        ``return_result`` will: a typo is said at once, not after the letter's OCR."""
        if id_number is not None:
            given = id_number.strip()
            if not (given.isdigit() and len(given) in (9, 12)):
                raise InvalidInput(msg("Số định danh “{n}” của người nhận kết quả không hợp lệ (cần 12 chữ số CCCD, "
                                       "hoặc 9 với CMND cũ): sửa trước khi số hóa giấy ủy quyền.",
                                       "The recipient's ID number “{n}” is not valid (12 digits of a CCCD, or 9 for "
                                       "an old ID card): fix it before the letter is digitized.", n=given))
        return self._digitize_paper(dossier_code, files, "authorizations", lang, cancel, progress)

    def _digitize_paper(self, dossier_code: str, files: Sequence[Path], folder: str, lang: str | None,
                        cancel: CancelToken | None, progress: ProgressFn) -> Path:
        from scanning.pipeline import DEFAULT_LANG, digitize

        if not files:
            raise InvalidInput(msg("Chưa có trang nào để số hóa.", "There are no pages to digitize."))
        self.dossiers.get(dossier_code)  # NotFound before the OCR, not after
        out = self.settings.files_dir / folder / f"{dossier_code}-{uuid4().hex[:8]}.pdf"
        out.parent.mkdir(parents=True, exist_ok=True)
        digitize([Path(f) for f in files], out, lang=lang or DEFAULT_LANG, cancel=cancel, progress=progress,
                 pool=self._page_pool())
        return out


    # --- finish --------------------------------------------------------------------------------

    def finish_visit(self, actor: Actor, dossier_code: str) -> TicketView | None:
        """End the visit the dossier was received in, at the counter serving it (the dossier
        page's "next citizen" key): None when the dossier came without a ticket or the ticket
        is no longer being served."""
        from sqlalchemy import select

        from desktop.db.models import Dossier
        from desktop.queue.models import ACTIVE, Counter, Ticket

        with self.db.session() as s:
            row = s.execute(select(Counter.number, Ticket.state).join(Ticket, Ticket.counter_id == Counter.id)
                            .join(Dossier, Dossier.ticket_id == Ticket.id).where(Dossier.code == dossier_code)).first()
        if row is None or row[1] not in ACTIVE:
            return None
        return self.queue.end(actor, int(row[0]), dossier_code)

    def finish(self, actor: Actor, counter_number: int, dossier_code: str = "") -> TicketView:
        """End the counter's current ticket; it already carries the code of a dossier received for it."""
        return self.queue.end(actor, counter_number, dossier_code)


def is_one_pdf(files: Sequence[Path]) -> bool:
    """A single PDF is taken as it is; images, or several files, are pages to digitize first."""
    return len(files) == 1 and Path(files[0]).suffix.lower() == ".pdf"
