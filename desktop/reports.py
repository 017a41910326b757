"""Supervisor indicators per officer for a period, computed from the dossier records.

The province judges units and officers "by data": dossiers received, late ones, the
digitization rate of components and of results, electronic (signed) results and reuse
of digitized data. Queue figures (wait and service time) come from the queue's own
metrics and are merged in by the caller when available.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.db.models import DigitizedFile, Dossier, DossierComponent, DossierStatus, ProcedureComponent
from desktop.kernel.tasks import CancelToken, ProgressFn, no_progress
from desktop.kernel.timeutil import VN_TZ, utcnow

CLOSED = {DossierStatus.DONE.value, DossierStatus.RESULT_RETURNED.value}
SIGNED = {"signed", "verified"}


@dataclass
class OfficerIndicators:
    officer: str
    received: int = 0
    online: int = 0
    late: int = 0
    components_to_digitize: int = 0
    components_digitized: int = 0
    results: int = 0
    results_digitized: int = 0
    results_signed: int = 0
    files_reusable: int = 0
    files: int = 0

    @property
    def digitization_rate(self) -> float | None:
        return _rate(self.components_digitized, self.components_to_digitize)

    @property
    def result_digitization_rate(self) -> float | None:
        return _rate(self.results_digitized, self.results)

    @property
    def late_rate(self) -> float | None:
        return _rate(self.late, self.received)

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d.update(digitization_rate=self.digitization_rate, result_digitization_rate=self.result_digitization_rate,
                 late_rate=self.late_rate)
        return d


@dataclass
class PeriodReport:
    start: date
    end: date  # exclusive
    officers: list[OfficerIndicators] = field(default_factory=list)
    total: OfficerIndicators = field(default_factory=lambda: OfficerIndicators("*"))

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "officers": [o.to_dict() for o in self.officers], "total": self.total.to_dict()}


def _rate(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def dossier_indicators(db: Database, actor: Actor, start: date, end: date, *,
                       cancel: CancelToken | None = None, progress: ProgressFn = no_progress) -> PeriodReport:
    """Indicators for dossiers received in [start, end) (Vietnam dates), per officer."""
    require(actor, Permission.VIEW_REPORTS)
    lo = datetime.combine(start, datetime.min.time(), VN_TZ)
    hi = datetime.combine(end, datetime.min.time(), VN_TZ)
    now = utcnow()
    per: dict[str, OfficerIndicators] = defaultdict(lambda: OfficerIndicators(""))
    with db.session() as s:
        must = {pc_id for (pc_id,) in s.execute(select(ProcedureComponent.id).where(ProcedureComponent.must_digitize))}
        rows = s.scalars(
            select(Dossier)
            .options(selectinload(Dossier.officer), selectinload(Dossier.components).selectinload(DossierComponent.files),
                     selectinload(Dossier.status_history))
            .where(Dossier.received_at >= lo, Dossier.received_at < hi)
            .order_by(Dossier.id)
            .execution_options(yield_per=500)
        )
        result_files: dict[int, list[DigitizedFile]] = defaultdict(list)
        for f in s.scalars(select(DigitizedFile).join(Dossier).where(
                Dossier.received_at >= lo, Dossier.received_at < hi, DigitizedFile.kind == "result")):
            result_files[f.dossier_id].append(f)
        for n, d in enumerate(rows):
            if cancel is not None and n % 200 == 0:
                cancel.raise_if_cancelled()
            name = d.officer.username if d.officer else "-"
            o = per[name]
            o.officer = name
            o.received += 1
            o.online += d.channel == 2
            closed_at = next((h.at for h in d.status_history if h.status in CLOSED), None)
            due = d.legal_due_at or d.due_at  # an extension (form 04) does not excuse lateness
            if due is not None and (closed_at or now) > due:
                o.late += 1
            for c in d.components:
                if c.procedure_component_id in must or c.procedure_component_id is None:
                    o.components_to_digitize += 1
                    o.components_digitized += bool(c.files)
                o.files += len(c.files)
                o.files_reusable += sum(f.reusable for f in c.files)
            if d.status in CLOSED:
                o.results += 1
                rf = result_files.get(d.id, [])
                o.results_digitized += bool(rf)
                o.results_signed += any(f.signature_state in SIGNED for f in rf)
    report = PeriodReport(start, end, sorted(per.values(), key=lambda o: o.officer))
    for o in report.officers:
        for k in ("received", "online", "late", "components_to_digitize", "components_digitized", "results",
                  "results_digitized", "results_signed", "files_reusable", "files"):
            setattr(report.total, k, getattr(report.total, k) + getattr(o, k))
    progress(1, 1, "")
    return report


def previous_month(today: date | None = None) -> tuple[int, int]:
    t = (today or datetime.now(VN_TZ).date()).replace(day=1) - timedelta(days=1)
    return t.year, t.month
