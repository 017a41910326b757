"""The procedure decides the receiving agency (issue 11, item 3): a postal agent at the centre
receives for many departments, so one officer's dossiers of two procedures get the two
agencies' codes, and each receipt (form 01) names the agency that received it. A procedure
the catalogue gives no agency falls back to the workstation's unit; a malformed agency in a
catalogue import is refused with a clear message and nothing imported."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.catalogue import CATALOGUE_FILE
from desktop.context import AppContext
from desktop.db.models import Dossier, OrgUnit, Role
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import set_language
from desktop.kernel.timeutil import VN_TZ
from desktop.receipts import receipt_info, write_receipt

ADMIN = Actor.cli()
JUSTICE = {"code": "000.00.06.H56", "name": "Sở Tư pháp tỉnh Bình Định"}
PLANNING = {"code": "000.00.12.H56", "name": "Sở Kế hoạch và Đầu tư tỉnh Bình Định"}
WHEN = datetime(2026, 12, 7, 9, 30, tzinfo=VN_TZ)


def _catalogue(tmp_path: Path, agencies: dict[str, object], name: str = "agencies.json") -> Path:
    doc = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    for p in doc["procedures"]:
        if p["code"] in agencies:
            p["agency"] = agencies[p["code"]]
    f = tmp_path / name
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return f


def _agent(ctx: AppContext) -> Actor:
    ctx.auth.create_officer(ADMIN, username="buudien", full_name="Lê Văn Bưu", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    return next(a for a in ctx.auth.officers() if a.username == "buudien")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_one_agent_receives_for_two_agencies_with_their_codes_and_names(ctx: AppContext, tmp_path: Path) -> None:
    ctx.settings.extra["forms"] = {"agency": "Trung tâm Phục vụ hành chính công tỉnh Bình Định",
                                   "place": "Quy Nhơn"}
    ctx.catalogue.import_file(ADMIN, _catalogue(tmp_path, {"2.001417": JUSTICE, "2.001610": PLANNING}))
    agent = _agent(ctx)
    record = ctx.counter.receive(agent, procedure_code="2.001417", applicant_name="Nguyễn Văn An",
                                 received_at=WHEN)
    firm = ctx.counter.receive(agent, procedure_code="2.001610", applicant_name="Trần Thị Bình",
                               received_at=WHEN)
    births = ctx.counter.receive(agent, procedure_code="1.001193", applicant_name="Phạm Văn Cường",
                                 received_at=WHEN)
    # each agency's own daily sequence: both start at 0001
    assert record.code == "000.00.06.H56-261207-0001"
    assert firm.code == "000.00.12.H56-261207-0001"
    assert births.code == f"{ctx.settings.unit_code}-261207-0001"  # no agency in the catalogue: the workstation's
    assert (record.agency_code, record.agency_name) == (JUSTICE["code"], JUSTICE["name"])
    with ctx.db.session() as s:
        units = dict(s.execute(select(Dossier.code, OrgUnit.code).join(OrgUnit, OrgUnit.id == Dossier.unit_id)).all())
    assert units == {record.code: JUSTICE["code"], firm.code: PLANNING["code"], births.code: ctx.settings.unit_code}
    # the list's unit filter and the report by unit count each under its agency
    from desktop.reports.dossiers import dossier_report
    from desktop.reports.period import parse_month
    from desktop.workflow.workspace import DossierQuery

    assert [r.code for r in ctx.workspace.find(DossierQuery(unit=PLANNING["code"]))] == [firm.code]
    assert ctx.workspace.page(record.code).unit == JUSTICE["code"]
    report = dossier_report(ctx.db, ADMIN, parse_month("2026-12"), "unit")
    assert {r.key: r.received for r in report.rows} == {JUSTICE["code"]: 1, PLANNING["code"]: 1,
                                                        ctx.settings.unit_code: 1}
    # the receipt (form 01, issued from the dossier's rows) names the agency that received it
    justice_receipt = _text(ctx.form_desk.issue(agent, "01", record.code).path)
    planning_receipt = _text(ctx.form_desk.issue(agent, "01", firm.code).path)
    own_receipt = _text(ctx.form_desk.issue(agent, "01", births.code).path)
    assert "Sở Tư pháp tỉnh Bình Định tiếp nhận hồ sơ của" in " ".join(justice_receipt.split())
    assert "Sở Kế hoạch và Đầu tư tỉnh Bình Định tiếp nhận hồ sơ của" in " ".join(planning_receipt.split())
    assert "Sở Tư pháp" not in planning_receipt and "Kế hoạch" not in justice_receipt
    assert "Trung tâm Phục vụ hành chính công tỉnh Bình Định tiếp nhận hồ sơ của" in " ".join(own_receipt.split())
    # the receipt written from a dossier view (reception's path) says the same
    out = write_receipt(firm, receipt_info(ctx.settings, officer_name=agent.full_name), tmp_path / "r.pdf")
    assert "Sở Kế hoạch và Đầu tư tỉnh Bình Định tiếp nhận hồ sơ của" in " ".join(_text(out).split())


def test_reception_is_told_the_agency_of_the_chosen_procedure(ctx: AppContext, tmp_path: Path) -> None:
    ctx.settings.extra["forms"] = {"agency": "Trung tâm Phục vụ hành chính công tỉnh Bình Định"}
    ctx.catalogue.import_file(ADMIN, _catalogue(tmp_path, {"2.001417": JUSTICE}))
    named = ctx.counter.receiving_agency(ctx.catalogue.get("2.001417"))
    assert (named.code, named.name, named.from_catalogue) == (JUSTICE["code"], JUSTICE["name"], True)
    own = ctx.counter.receiving_agency(ctx.catalogue.get("1.001193"))
    assert (own.code, own.name, own.from_catalogue) == (ctx.settings.unit_code,
                                                         "Trung tâm Phục vụ hành chính công tỉnh Bình Định", False)


@pytest.mark.parametrize(("agency", "vi", "en"), [
    ({"code": "000-00-06-H56", "name": "Sở Tư pháp"}, "mã cơ quan tiếp nhận “000-00-06-H56” không hợp lệ",
     "receiving agency code “000-00-06-H56” that is not valid"),
    ({"code": "", "name": "Sở Tư pháp"}, "mã cơ quan tiếp nhận “” không hợp lệ", "that is not valid"),
    ("000.00.06.H56", "không hợp lệ (mã theo QCVN 102:2016", "a QCVN 102:2016 code"),
    ({"code": "000.00.06.H56", "name": " "}, "thiếu tên cơ quan tiếp nhận (mã 000.00.06.H56)",
     "has no receiving agency name (code 000.00.06.H56)"),
])
def test_a_malformed_agency_is_refused_in_both_languages(ctx: AppContext, tmp_path: Path, agency: object,
                                                          vi: str, en: str) -> None:
    f = _catalogue(tmp_path, {"2.001417": agency})
    with pytest.raises(InvalidInput) as err:
        ctx.catalogue.import_file(ADMIN, f)
    assert "2.001417" in str(err.value) and vi in str(err.value)
    set_language("en")
    with pytest.raises(InvalidInput) as err:
        ctx.catalogue.import_file(ADMIN, f)
    assert en in str(err.value) and "2.001417" in str(err.value)
    set_language(None)
    assert ctx.catalogue.get("2.001417").agency_code == ""  # nothing of the file was imported


def test_the_list_filters_by_receiving_agency_and_officer(ctx: AppContext, tmp_path: Path) -> None:
    """The postal agent's list holds two agencies' dossiers: the unit filter shows one agency's,
    the officer filter one officer's, and the choices offered are those that have dossiers."""
    from desktop.workflow.workspace import DossierQuery

    ctx.catalogue.import_file(ADMIN, _catalogue(tmp_path, {"2.001417": JUSTICE, "2.001610": PLANNING}))
    agent = _agent(ctx)
    ctx.auth.create_officer(ADMIN, username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    lan = next(a for a in ctx.auth.officers() if a.username == "lan")
    ctx.auth.create_officer(ADMIN, username="idle", full_name="An Văn Rảnh", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    a = ctx.counter.receive(agent, procedure_code="2.001417", applicant_name="Nguyễn Văn An", received_at=WHEN)
    b = ctx.counter.receive(agent, procedure_code="2.001610", applicant_name="Trần Thị Bình", received_at=WHEN)
    c = ctx.counter.receive(lan, procedure_code="2.001417", applicant_name="Lê Văn Cường", received_at=WHEN)
    find = ctx.workspace.find
    assert {r.code for r in find(DossierQuery(unit=JUSTICE["code"]))} == {a.code, c.code}
    assert [r.code for r in find(DossierQuery(unit=PLANNING["code"]))] == [b.code]
    assert {r.code for r in find(DossierQuery(officer="buudien"))} == {a.code, b.code}
    assert [r.code for r in find(DossierQuery(officer="buudien", unit=PLANNING["code"]))] == [b.code]
    choices = ctx.workspace.filter_choices()
    assert choices.units == sorted([(JUSTICE["code"], JUSTICE["name"]), (PLANNING["code"], PLANNING["name"])],
                                   key=lambda u: u[1])
    assert [u for u, _ in choices.officers] == ["buudien", "lan"]  # by name: Lê Văn Bưu, Trần Thị Lan; idle has none
