"""The "Hồ sơ" area on real widgets: the list searches as the officer types (marks
ignored) and Enter opens the page; the page shows the slots, imports files into the
selected one (real OCR), moves on to the next slot, ticks a component brought later,
reports a version conflict from another workstation, withdraws with a reason; F5 opens
the one scan screen targeted at the slot."""

from __future__ import annotations

from pathlib import Path

import cv2
from PySide6.QtCore import Qt

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import DossierStatus, Role
from desktop.workflow.flow import SlotState
from scanning.samples import render
from ui.dossiers.area import DossiersArea

BIRTH = "1.001193"


def _area(qtbot, workers, ctx: AppContext) -> tuple[DossiersArea, Actor]:  # type: ignore[no-untyped-def]
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                      role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    area = DossiersArea(ctx, officer, workers=workers)
    qtbot.addWidget(area)
    area.resize(1366, 700)
    area.show()
    return area, officer


def test_typing_searches_and_enter_opens_the_dossier(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    officer = ctx.auth.create_officer(Actor.cli(), username="hoa", full_name="Hoa", role=Role.COUNTER_OFFICER,
                                      password="mat-khau-dai")
    a = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Nguyễn Văn Đức")
    ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Trần Thị Hoa")
    area = DossiersArea(ctx, officer, workers=workers)
    qtbot.addWidget(area)
    area.show()
    lst = area.list
    qtbot.waitUntil(lambda: lst.model.rowCount() == 2, timeout=5000)
    lst.search.setFocus()
    qtbot.keyClicks(lst.search, "duc")
    qtbot.waitUntil(lambda: [r.code for r in lst.model.rows] == [a.code], timeout=5000)
    qtbot.keyClick(lst.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.currentWidget() is area.page and area.page.page is not None, timeout=5000)
    assert a.code in area.page.header.text() and "Nguyễn Văn Đức" in area.page.header.text()
    # the first slot to digitize is selected; Esc goes back to the list with the search kept
    assert area.page.selected_slot() == "TK"
    qtbot.keyClick(area.page.slots, Qt.Key.Key_Escape)
    assert area.currentWidget() is area.list and lst.search.text() == "duc"


def test_import_into_the_slot_then_the_next_slot_is_selected(workers, qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    area, officer = _area(qtbot, workers, ctx)
    d = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Phạm Thị Đào",
                            brought={"TK", "GCS", "GTTT"})
    area.open_dossier(d.code)
    page = area.page
    qtbot.waitUntil(lambda: page.page is not None and page.selected_slot() == "TK", timeout=5000)
    assert page.slots.rowCount() == 4
    img = tmp_path / "tk.png"
    cv2.imwrite(str(img), render())
    page.import_files([img])
    assert page.busy() and not page.import_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy(), timeout=120_000)
    qtbot.waitUntil(lambda: page.page is not None and bool(page.page.progress.by_code["TK"].files), timeout=5000)
    assert page.page.progress.by_code["TK"].state == SlotState.TO_SIGN
    assert page.selected_slot() == "GCS"
    assert page.sign_button.isEnabled()
    assert "GCS" not in page.message.text() or page.message.styleSheet() == ""


def test_a_change_from_another_workstation_is_reported_not_overwritten(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    area, officer = _area(qtbot, workers, ctx)
    d = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Đặng Thu Thảo")
    area.open_dossier(d.code)
    page = area.page
    qtbot.waitUntil(lambda: page.page is not None, timeout=5000)
    page.timer.stop()  # the page stays as it was read, like a screen left open
    ctx.workspace.update_applicant(officer, d.code, page.page.version, phone="0901234567")  # the other officer
    page.select_slot("UQ")
    qtbot.keyClick(page.slots, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "người khác" in page.message.text() or "someone else" in page.message.text(),
                    timeout=5000)
    assert ctx.workspace.page(d.code).progress.by_code["UQ"].state == SlotState.TO_DIGITIZE  # not changed
    qtbot.waitUntil(lambda: not page.busy() and page.page.version == ctx.workspace.page(d.code).version,
                    timeout=5000)
    qtbot.keyClick(page.slots, Qt.Key.Key_Space)  # after the re-read, the tick goes through
    qtbot.waitUntil(lambda: page.page.progress.by_code["UQ"].state == SlotState.NOT_BROUGHT, timeout=5000)


def test_withdraw_with_a_reason_closes_the_page_actions(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    area, officer = _area(qtbot, workers, ctx)
    d = ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Hồ Văn Nhầm")
    area.open_dossier(d.code)
    page = area.page
    qtbot.waitUntil(lambda: page.page is not None and page.withdraw_button.isEnabled(), timeout=5000)
    page.withdraw("Chọn nhầm thủ tục")
    qtbot.waitUntil(lambda: page.page is not None and page.page.status == DossierStatus.WITHDRAWN, timeout=5000)
    assert not page.withdraw_button.isEnabled() and not page.scan_button.isEnabled()
    assert any("Chọn nhầm thủ tục" in (page.history.item(r, 2).text() or "") for r in range(page.history.rowCount()))


def test_f5_opens_the_scan_screen_targeted_at_the_slot(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    area, officer = _area(qtbot, workers, ctx)
    d = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Lý Thị Quét")
    area.open_dossier(d.code)
    page = area.page
    qtbot.waitUntil(lambda: page.page is not None and page.scan_button.isEnabled(), timeout=5000)
    page.select_slot("GCS")
    qtbot.keyClick(page.slots, Qt.Key.Key_F5)
    assert area.currentWidget() is area._scan_holder
    scan = area.scan_view()
    assert scan.dossier_edit.text() == d.code and scan.component_edit.text() == "GCS"
    assert scan.dossier_edit.isReadOnly()
    qtbot.keyClick(scan, Qt.Key.Key_Escape)
    assert area.currentWidget() is area.page


def test_the_date_filter_starts_at_vietnams_today(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """Seen on the list screenshot at 01:29 in Vietnam (18:29 UTC): the date filter offered
    "to 04/12" while the dossiers were received on 05/12, so ticking it hid today's dossiers."""
    from desktop.kernel.timeutil import now_vn
    from ui.dossiers.list_view import DossierListView

    area, _officer = _area(qtbot, workers, ctx)
    view = area.findChild(DossierListView)
    assert view is not None
    today = now_vn().date()
    view.use_dates.setChecked(True)
    q = view.query()
    assert q.received_to == today and (today - q.received_from).days == 30  # type: ignore[operator]


def test_the_list_filters_by_officer_and_agency(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A postal agent's counter receives for two agencies: the agency filter appears and
    narrows the list; 'received by me' and one named officer narrow it by who received."""
    import json

    from desktop.catalogue import CATALOGUE_FILE

    doc = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    agencies = {"2.001417": {"code": "000.00.06.H56", "name": "Sở Tư pháp"},
                "2.001610": {"code": "000.00.12.H56", "name": "Sở Kế hoạch và Đầu tư"}}
    for p in doc["procedures"]:
        if p["code"] in agencies:
            p["agency"] = agencies[p["code"]]
    cat = tmp_path / "agencies.json"
    cat.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ctx.catalogue.import_file(Actor.cli(), cat)
    minh = ctx.auth.create_officer(Actor.cli(), username="minh", full_name="Đỗ Văn Minh",
                                   role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    area, lan = _area(qtbot, workers, ctx)
    mine = ctx.counter.receive(lan, procedure_code="2.001417", applicant_name="Nguyễn Văn An")
    firm = ctx.counter.receive(lan, procedure_code="2.001610", applicant_name="Trần Thị Bình")
    other = ctx.counter.receive(minh, procedure_code="2.001417", applicant_name="Lê Văn Cường")
    lst = area.list
    lst.refresh()
    lst.load_choices()
    qtbot.waitUntil(lambda: lst.model.rowCount() == 3 and lst.unit.count() == 3, timeout=5000)
    assert not lst.unit.isHidden()  # two agencies: the filter shows
    lst.unit.setCurrentIndex(lst.unit.findData("000.00.12.H56"))
    qtbot.waitUntil(lambda: [r.code for r in lst.model.rows] == [firm.code], timeout=5000)
    lst.unit.setCurrentIndex(lst.unit.findData("000.00.06.H56"))
    qtbot.waitUntil(lambda: {r.code for r in lst.model.rows} == {mine.code, other.code}, timeout=5000)
    lst.by.setCurrentIndex(1)  # received by me
    qtbot.waitUntil(lambda: [r.code for r in lst.model.rows] == [mine.code], timeout=5000)
    lst.by.setCurrentIndex(lst.by.findData("minh"))
    qtbot.waitUntil(lambda: [r.code for r in lst.model.rows] == [other.code], timeout=5000)
    assert lst.by.findData("lan") < 0  # the signed-in officer is "me", not listed twice
    lst.by.setCurrentIndex(0)
    lst.unit.setCurrentIndex(0)
    qtbot.waitUntil(lambda: lst.model.rowCount() == 3, timeout=5000)
