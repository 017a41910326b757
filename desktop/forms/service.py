"""Rendering forms for a dossier: pick the template version, render, fall back, write atomically.

An administrator's template that does not render (a placeholder that does not exist, a
text missing, an unknown layout) must not stop the counter: the error is logged and the
built-in version of the same form is used. The form numbers, names and versions in use
are listed by :meth:`FormService.list`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.audit import AuditLog
from desktop.config import Settings
from desktop.db import Database
from desktop.forms import templates
from desktop.forms.data import FormData, collect, forms_settings
from desktop.forms.layout import render_slip
from desktop.forms.pdfa import write_atomic
from desktop.forms.register import register_pdf, register_rows, register_xlsx
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    path: Path
    number: str
    version: str
    source: str
    #: why the administrator's template was not used, when it was not
    fallback_reason: str = ""


def render_with_fallback(number: str, data: FormData, issued: datetime, data_dir: Path | None) -> tuple[bytes, Any, str]:
    """(pdf bytes, template used, fallback reason) — the admin's version first, the built-in after."""
    candidates = templates.choose(number, to_vn(issued).date(), data_dir)
    reason = ""
    for t in candidates:
        try:
            return render_slip(t, data, issued), t, reason
        except Exception as exc:  # a broken admin template: log it and try the built-in one
            if t.source == "builtin":
                raise
            reason = f"{type(exc).__name__}: {exc}"
            log.error("form %s version %s of the administrator's templates does not render (%s); "
                      "the built-in version is used", number, t.version, reason)
    raise AssertionError("unreachable: the built-in template is always a candidate")


class FormService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def list(self, on: date | None = None) -> list[dict[str, Any]]:
        day = on or to_vn(utcnow()).date()
        out = []
        for n in templates.NUMBERS:
            t = templates.choose(n, day, self.settings.data_dir)[0]
            out.append(t.to_dict())
        return out

    def data(self, code: str) -> FormData:
        with self.db.session() as s:
            return collect(s, code, self.settings)

    def render(self, number: str, code: str, out: Path, *, issued_at: datetime | None = None) -> Rendered:
        number = number.zfill(2)
        if number == "07":
            raise InvalidInput(msg("Mẫu 07 là sổ theo dõi: dùng “motcua forms register”.",
                                   "Form 07 is the register: use “motcua forms register”."))
        issued = issued_at or utcnow()
        data = self.data(code)
        pdf, t, reason = render_with_fallback(number, data, issued, self.settings.data_dir)
        write_atomic(pdf, out)
        return Rendered(out, number, t.version, t.source, reason)

    def default_path(self, number: str, code: str) -> Path:
        return self.settings.data_dir / "forms" / "issued" / code / f"{number}-{to_vn(utcnow()):%Y%m%d-%H%M%S}.pdf"

    def register(self, date_from: date, date_to: date, out: Path, *, unit_code: str | None = None,
                 status: int | None = None, issued_at: datetime | None = None) -> Rendered:
        if date_to < date_from:
            raise InvalidInput(msg("Ngày kết thúc {b} trước ngày bắt đầu {a}.", "The end date {b} is before the start {a}.",
                                   a=date_from, b=date_to))
        issued = issued_at or utcnow()
        t = templates.choose("07", to_vn(issued).date(), self.settings.data_dir)
        org = forms_settings(self.settings)
        with self.db.session() as s:
            head = AuditLog().stamp(s)  # read with the rows: the register was made at this head
            rows = register_rows(s, date_from, date_to, unit_code=unit_code, status=status)
        suffix = out.suffix.lower()
        if suffix not in (".pdf", ".xlsx"):
            raise InvalidInput(msg("Sổ theo dõi xuất ra .pdf hoặc .xlsx, không phải “{s}”.",
                                   "The register is written as .pdf or .xlsx, not “{s}”.", s=out.suffix))
        reason = ""
        for tpl in t:
            try:
                if suffix == ".xlsx":
                    register_xlsx(tpl, org, rows, date_from, date_to, out, head)
                else:
                    write_atomic(register_pdf(tpl, org, rows, date_from, date_to, issued, head), out)
                return Rendered(out, "07", tpl.version, tpl.source, reason)
            except Exception as exc:
                if tpl.source == "builtin":
                    raise
                reason = f"{type(exc).__name__}: {exc}"
                log.error("form 07 version %s from the administrator does not render (%s); built-in used",
                          tpl.version, reason)
        raise AssertionError("unreachable")


def warm_up_forms() -> int:
    """Render one receipt (form 01) in memory and throw it away; returns its size.

    The first form of a process cost 0.9–1.5 s (bench/forms_bench.py: reportlab's imports,
    the TrueType fonts parsed and registered, the QR and barcode code, pikepdf's PDF/A pass)
    against ~70 ms for the next ones, and the first one is the day's first receipt, handed to
    a citizen waiting at the counter. ``ui/warm_up.py`` calls this on a worker after sign-in."""
    from desktop.forms.data import FormsSettings

    now = utcnow()
    org = FormsSettings(agency="Bộ phận Một cửa", parent_agency="", place="", return_place="", help_line="")
    data = FormData(code="000.00.00.H00-000000-0000", procedure_code="0", procedure_name="Thủ tục",
                    area="", applicant_name="Nguyễn Văn A", id_number="", address="", phone="", email="",
                    received_at=now, due_at=now, legal_due_at=now, days=1, sets=1, officer_name="", org=org,
                    components=[("Tờ khai", "Bản chính", 1)])
    return len(render_slip(templates.choose("01", to_vn(now).date(), None)[-1], data, now))
