"""The procedure catalogue (TTHC): seeded from data, searched without diacritics.

``resources/catalogue/procedures.json`` is a versioned envelope an administrator can
replace (``motcua catalogue import``); both upsert by procedure code, so a new version
updates names and components without touching dossiers already received. Each row records
the file that set it (``procedure.source``): the bundled catalogue is applied at every start
to the rows it set itself and to procedures not there yet, never over an imported row, so
what the centre imported stays until it imports again (a release's corrections to those
procedures are logged, not applied).

A procedure may name its receiving agency (``"agency": {"code": …, "name": …}``, the code
per QCVN 102:2016): a postal agent at the centre receives for many departments, and the
dossier is recorded with that agency — its code begins the dossier code, its name is on
the receipt. A procedure that names none is received by the workstation's own unit.

A procedure may give the default validity of its result (``"result_valid_months"``, a whole
number of months from the result's date): it is kept in the ``procedure`` table with the rest,
so an imported catalogue's value is the one the result dialog and ``dossier result`` offer.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.audit import AuditLog
from desktop.db import Database
from desktop.db.models import OrgUnit, Procedure, ProcedureComponent
from desktop.kernel.errors import InvalidInput, NotFound, explain_os_error
from desktop.kernel.i18n import msg
from desktop.kernel.text import fold

if TYPE_CHECKING:
    from desktop.auth import Actor

log = logging.getLogger(__name__)

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "resources" / "catalogue" / "procedures.json"
COPY_KINDS = {"original", "certified_copy", "copy", "original_or_certified_copy"}
#: an agency code per QCVN 102:2016: groups of 2–3 capitals or digits joined by dots
#: ("000.00.06.H56", "H56.22"); no hyphen, which separates the dossier code's parts
AGENCY_CODE = re.compile(r"[0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){0,4}")


@dataclass(frozen=True)
class ComponentInfo:
    code: str
    name: str
    required: bool
    must_digitize: bool
    copy_kind: str
    quantity: int
    must_sign: bool = True


@dataclass(frozen=True)
class ProcedureInfo:
    code: str
    name: str
    field: str
    level: str
    days: float
    fees: list[dict[str, Any]]
    result: str
    components: list[ComponentInfo] = dc_field(default_factory=list)
    #: the receiving agency the catalogue names ("" for both: the workstation's unit receives)
    agency_code: str = ""
    agency_name: str = ""
    #: the default validity of the result in months from its date (None: no end date unless said)
    result_valid_months: int | None = None
    #: the file that set it: "bundled 2026.11", "import 2026.12" ("" before migration 0022)
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _info(p: Procedure) -> ProcedureInfo:
    return ProcedureInfo(p.code, p.name, p.field, p.level, p.days, list(p.fees or []), p.result,
                         [ComponentInfo(c.code, c.name, c.required, c.must_digitize, c.copy_kind, c.quantity, c.must_sign)
                          for c in p.components], p.agency_code, p.agency_name, p.result_valid_months,
                         p.source or "")


def _validate(doc: Any, source: str) -> list[dict[str, Any]]:
    def bad(why: str) -> InvalidInput:
        return InvalidInput(msg("Tệp danh mục {s} không hợp lệ: {w}", "Catalogue file {s} is not valid: {w}",
                                s=source, w=why))

    if not isinstance(doc, dict) or not isinstance(doc.get("procedures"), list):
        raise bad("thiếu danh sách “procedures” / no “procedures” list")
    seen: set[str] = set()
    for i, p in enumerate(doc["procedures"]):
        for key in ("code", "name", "days", "components"):
            if key not in p:
                raise bad(f"#{i + 1}: {key}?")
        if p["code"] in seen:
            raise bad(f"{p['code']} ×2")
        seen.add(p["code"])
        if not isinstance(p["days"], int | float) or p["days"] < 0:
            raise bad(f"{p['code']}: days")
        for c in p["components"]:
            if c.get("copy_kind", "original") not in COPY_KINDS or not c.get("name"):
                raise bad(f"{p['code']}: {c}")
        if "agency" in p:
            _check_agency(p["code"], p["agency"], source)
        months = p.get("result_valid_months")
        if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months <= 0):
            raise bad(f"{p['code']}: result_valid_months {months!r} (một số tháng > 0 / a number of months > 0)")
    return doc["procedures"]


def _check_agency(procedure: str, agency: Any, source: str) -> None:
    """The receiving agency of a procedure: a name and a QCVN 102:2016 code, both said.
    A wrong code would begin every dossier code of the procedure, so it is refused here,
    with what was found, rather than at the first reception."""
    code = agency.get("code") if isinstance(agency, dict) else None
    name = agency.get("name") if isinstance(agency, dict) else None
    if not isinstance(code, str) or not AGENCY_CODE.fullmatch(code.strip()):
        raise InvalidInput(msg(
            "Tệp danh mục {s}: thủ tục {p} có mã cơ quan tiếp nhận “{c}” không hợp lệ (mã theo QCVN 102:2016, "
            "ví dụ 000.00.06.H56).",
            "Catalogue file {s}: procedure {p} has a receiving agency code “{c}” that is not valid (a QCVN "
            "102:2016 code, e.g. 000.00.06.H56).", s=source, p=procedure, c=code if isinstance(code, str) else agency))
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(msg("Tệp danh mục {s}: thủ tục {p} thiếu tên cơ quan tiếp nhận (mã {c}).",
                               "Catalogue file {s}: procedure {p} has no receiving agency name (code {c}).",
                               s=source, p=procedure, c=code.strip()))


def _agency(item: dict[str, Any]) -> tuple[str, str]:
    agency = item.get("agency") or {}
    return str(agency.get("code", "")).strip(), " ".join(str(agency.get("name", "")).split())


def _record_agencies(session: Session, procedures: list[dict[str, Any]]) -> None:
    """An org_unit row for every agency the catalogue names, with the catalogue's name: the
    dossier list's and the reports' units are these rows."""
    named = dict(a for a in map(_agency, procedures) if a[0])
    if not named:
        return
    units = {u.code: u for u in session.scalars(select(OrgUnit).where(OrgUnit.code.in_(named)))}
    for code, name in named.items():
        unit = units.get(code)
        if unit is None:
            session.add(OrgUnit(code=code, name=name))
        elif unit.name != name:
            unit.name = name


#: ``procedure.source`` of a row set by the application's own catalogue, and of an imported one
BUNDLED, IMPORTED = "bundled", "import"


@dataclass(frozen=True)
class CatalogueFile:
    version: str
    procedures: list[dict[str, Any]]


def load_catalogue_file(path: Path | None = None) -> CatalogueFile:
    path = CATALOGUE_FILE if path is None else path
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise explain_os_error(exc) from exc
    except ValueError as exc:  # where the JSON breaks, without the parser's English
        line = getattr(exc, "lineno", None)
        raise InvalidInput(msg("Tệp danh mục {p} không phải JSON hợp lệ (dòng {n}).",
                               "The catalogue file {p} is not valid JSON (line {n}): {e}",
                               p=path, n=line or "?", e=exc)) from exc
    procedures = _validate(doc, str(path))
    return CatalogueFile(" ".join(str(doc.get("version") or "?").split())[:60], procedures)


def upsert_procedures(session: Session, procedures: list[dict[str, Any]], source: str) -> int:
    """Insert new procedures and update changed ones, recording ``source`` on each; returns
    how many rows changed."""
    _record_agencies(session, procedures)
    existing = {p.code: p for p in session.scalars(select(Procedure).options(selectinload(Procedure.components)))}
    changed = 0
    for item in procedures:
        p = existing.get(item["code"])
        agency_code, agency_name = _agency(item)
        values = dict(name=item["name"], search_key=fold(f"{item['name']} {item['code']}"),
                      field=item.get("field", ""), level=item.get("level", ""), days=float(item["days"]),
                      fees=item.get("fees", []), result=item.get("result", ""),
                      agency_code=agency_code, agency_name=agency_name,
                      result_valid_months=item.get("result_valid_months"))
        comps = [(c.get("code", ""), c["name"], bool(c.get("required", True)), bool(c.get("must_digitize", True)),
                  c.get("copy_kind", "original"), int(c.get("quantity", 1)), bool(c.get("must_sign", True)))
                 for c in item["components"]]
        if p is None:
            p = Procedure(code=item["code"], source=source, **values)
            session.add(p)
        else:
            p.source = source  # who owns the row now, even where nothing else changed
            now = [(c.code, c.name, c.required, c.must_digitize, c.copy_kind, c.quantity, c.must_sign)
                   for c in p.components]
            if all(getattr(p, k) == v for k, v in values.items()) and now == comps:
                continue
            for k, v in values.items():
                setattr(p, k, v)
        # Components are matched by code so dossiers that point at them keep their link.
        by_code = {c.code: c for c in p.components}
        keep = []
        for pos, (code, name, req, dig, kind, qty, sign) in enumerate(comps, 1):
            c = by_code.pop(code, None) or ProcedureComponent(code=code)
            c.position, c.name, c.required, c.must_digitize, c.copy_kind, c.quantity = pos, name, req, dig, kind, qty
            c.must_sign = sign
            keep.append(c)
        for old in by_code.values():  # dropped from the new version: keep the row for old dossiers
            old.position = 999
            old.required = False
            keep.append(old)
        p.components = keep
        changed += 1
    session.flush()
    return changed


def seed_catalogue(session: Session) -> int:
    """The bundled catalogue, over the rows it set (or rows from before sources were kept) and
    for procedures not there yet; an imported row is the centre's and stays as it is."""
    bundled = load_catalogue_file()
    imported = set(session.scalars(select(Procedure.code).where(Procedure.source.startswith(IMPORTED))))
    held = [p["code"] for p in bundled.procedures if p["code"] in imported]
    if held:
        log.info("bundled catalogue %s: %d imported procedures kept as imported (%s)", bundled.version,
                 len(held), ", ".join(held[:10]))
    return upsert_procedures(session, [p for p in bundled.procedures if p["code"] not in imported],
                             f"{BUNDLED} {bundled.version}")


class Catalogue:
    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

    def all(self) -> list[ProcedureInfo]:
        with self.db.session() as s:
            q = select(Procedure).options(selectinload(Procedure.components)).where(Procedure.active)
            return [_info(p) for p in s.scalars(q.order_by(Procedure.field, Procedure.name))]

    def search(self, query: str) -> list[ProcedureInfo]:
        """Every word of the query (diacritics and case ignored) in the name or the code."""
        words = fold(query).split()
        if not words:
            return self.all()
        with self.db.session() as s:
            q = select(Procedure).options(selectinload(Procedure.components)).where(Procedure.active)
            for w in words:
                q = q.where(Procedure.search_key.contains(w, autoescape=True))
            return [_info(p) for p in s.scalars(q.order_by(Procedure.name))]

    def get(self, code: str) -> ProcedureInfo:
        with self.db.session() as s:
            p = s.scalar(select(Procedure).options(selectinload(Procedure.components)).where(Procedure.code == code))
            if p is None:
                raise NotFound(msg("Không có thủ tục mã “{c}” trong danh mục.",
                                   "No procedure with code “{c}” in the catalogue.", c=code))
            return _info(p)

    def import_file(self, actor: Actor, path: Path) -> int:
        """Load a catalogue version; the change and its audit record commit together."""
        from desktop.auth import Permission, require

        require(actor, Permission.EDIT_CATALOGUE)
        loaded = load_catalogue_file(path)
        with self.db.session() as s:
            changed = upsert_procedures(s, loaded.procedures, f"{IMPORTED} {loaded.version}")
            self.audit.record(s, actor=actor.audit_name, action="catalogue.import", entity_type="catalogue",
                              entity_id=path.name[:80],
                              data={"changed": changed, "file": str(path), "version": loaded.version})
            return changed
