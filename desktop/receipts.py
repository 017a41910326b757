"""The receipt and appointment slip (form 01 of Circular 03/2025) for a dossier view.

Kept for callers that hold a :class:`~desktop.dossiers.DossierView` and a
:class:`ReceiptInfo` (the reception screen, the demo): it renders form 01 through
:mod:`desktop.forms`, the same template, header, QR code and PDF/A as every other form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.config import Settings
from desktop.dossiers import DossierView
from desktop.forms.data import COPY_KIND_VI, FormData, FormsSettings, for_agency, forms_settings
from desktop.forms.pdfa import write_atomic
from desktop.forms.service import render_with_fallback
from desktop.kernel.timeutil import utcnow

__all__ = ["COPY_KIND_VI", "ReceiptInfo", "receipt_info", "write_receipt"]


@dataclass
class ReceiptInfo:
    agency_name: str
    parent_agency: str = ""
    return_place: str = "Bộ phận Một cửa"
    officer_name: str = ""
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    days: float = 0
    #: the place name of the "[place], ngày … tháng … năm …" line
    place: str = ""
    help_line: str = ""
    #: where an administrator's form templates may be (None: the built-in ones only)
    data_dir: Path | None = None
    #: the workstation's unit code: a dossier recorded with another unit (the procedure's
    #: agency) names that unit on the receipt
    unit_code: str = ""


def receipt_info(settings: Settings, *, officer_name: str = "", days: float = 0, applicant_address: str = "",
                 applicant_phone: str = "", applicant_email: str = "") -> ReceiptInfo:
    """A :class:`ReceiptInfo` with the unit's names and place from the settings."""
    org = forms_settings(settings)
    return ReceiptInfo(org.agency, org.parent_agency, org.return_place, officer_name, applicant_address,
                       applicant_phone, applicant_email, days, org.place, org.help_line, settings.data_dir,
                       settings.unit_code)


def write_receipt(d: DossierView, info: ReceiptInfo, out: Path, *, components: list[tuple[str, str, int]] | None = None,
                  issued_at: datetime | None = None) -> Path:
    """Write form 01 for ``d`` to ``out`` (atomically); components are (name, copy_kind, quantity)."""
    org = FormsSettings(info.agency_name, info.parent_agency, info.place, info.return_place,
                        info.help_line or info.agency_name)
    org = for_agency(org, info.unit_code, d.agency_code, d.agency_name)
    data = FormData(code=d.code, procedure_code=d.procedure_code, procedure_name=d.procedure_name, area="",
                    applicant_name=d.applicant_name, id_number=d.applicant_id_number, address=info.applicant_address,
                    phone=info.applicant_phone, email=info.applicant_email, received_at=d.received_at, due_at=d.due_at,
                    legal_due_at=d.due_at, days=info.days, sets=1, officer_name=info.officer_name, org=org,
                    components=components if components is not None else [(n, "original", 1) for _, n in d.components],
                    register_entry=d.code.rsplit("-", 1)[-1], tax_code=d.tax_code, organisation=d.organisation)
    issued = issued_at or utcnow()
    pdf, _, _ = render_with_fallback("01", data, issued, info.data_dir)
    return write_atomic(pdf, out)
