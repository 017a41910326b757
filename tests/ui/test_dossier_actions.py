"""The lifecycle actions of the dossier page on real widgets: only what the machine allows
now is shown; a supplement with no reason is refused with the core's message and nothing
changes; with a reason the dossier pauses, and "supplement back" resumes it."""

from __future__ import annotations

from unittest.mock import patch

from PySide6.QtWidgets import QInputDialog

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import DossierStatus, Role
from desktop.lifecycle.machine import Action
from ui.dossiers.area import DossiersArea

BIRTH = "1.001193"


def _page(qtbot, workers, ctx: AppContext):  # type: ignore[no-untyped-def]
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                      role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    d = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Phạm Thị Đào")
    area = DossiersArea(ctx, officer, workers=workers)
    qtbot.addWidget(area)
    area.resize(1366, 700)
    area.show()
    area.open_dossier(d.code)
    page = area.page
    qtbot.waitUntil(lambda: page.page is not None, timeout=5000)
    return page, d.code


def _supplement(reason: str, codes: list[str]):  # type: ignore[no-untyped-def]
    """Answer the supplement dialog: tick ``codes`` only, type ``reason``."""
    from PySide6.QtCore import Qt

    from ui.dossiers.dialogs import SupplementDialog

    def exec_(dlg: SupplementDialog) -> int:
        for i in range(dlg.list.count()):
            item = dlg.list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in codes
                               else Qt.CheckState.Unchecked)
        dlg.reason.setText(reason)
        return 1

    return patch.object(SupplementDialog, "exec", exec_)


def test_supplement_needs_a_reason_then_resume(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page, code = _page(qtbot, workers, ctx)
    bar = page.lifecycle_actions
    assert bar.buttons[Action.SUPPLEMENT].isVisible() and not bar.buttons[Action.RESUME].isVisible()
    with _supplement("  ", []):
        bar.trigger(Action.SUPPLEMENT)
    qtbot.waitUntil(lambda: "lý do" in page.message.text().lower() or "reason" in page.message.text().lower(),
                    timeout=5000)
    qtbot.waitUntil(lambda: not page.busy(), timeout=5000)
    assert ctx.dossiers.get(code).status == DossierStatus.RECEIVED
    with _supplement("Thiếu bản sao giấy chứng sinh", []):  # a reason, but nothing named for form 02
        bar.trigger(Action.SUPPLEMENT)
    qtbot.waitUntil(lambda: "component" in page.message.text() or "thành phần" in page.message.text(), timeout=5000)
    qtbot.waitUntil(lambda: not page.busy(), timeout=5000)
    assert ctx.dossiers.get(code).status == DossierStatus.RECEIVED
    with _supplement("Thiếu bản sao giấy chứng sinh", ["GCS"]):
        bar.trigger(Action.SUPPLEMENT)
    qtbot.waitUntil(lambda: ctx.dossiers.get(code).status == DossierStatus.SUPPLEMENT_REQUESTED, timeout=5000)
    assert ctx.forms.data(code).supplement_components == ["GCS"], "form 02 lists what was ticked"
    qtbot.waitUntil(lambda: page.page is not None and page.page.status == DossierStatus.SUPPLEMENT_REQUESTED
                    and bar.buttons[Action.RESUME].isVisible() and not page.busy(), timeout=5000)
    assert not bar.buttons[Action.SUPPLEMENT].isVisible()
    bar.buttons[Action.RESUME].click()
    qtbot.waitUntil(lambda: ctx.dossiers.get(code).status == DossierStatus.PROCESSING, timeout=5000)


def _handoff(department: str, receiver: str = "", hours: float = 0, note: str = ""):  # type: ignore[no-untyped-def]
    """Answer the hand-off dialog; what it offered is kept in ``offered``."""
    from ui.dossiers.dialogs import HandoffDialog

    offered: list[list[str]] = []

    def exec_(dlg: HandoffDialog) -> int:
        offered.append([dlg.department.itemText(i) for i in range(dlg.department.count())])
        dlg.department.setCurrentText(department)
        dlg.receiver.setText(receiver)
        dlg.hours.setValue(hours)
        dlg.note.setText(note)
        return 1

    return patch.object(HandoffDialog, "exec", exec_), offered


def test_hand_offs_from_the_page_fill_the_control_sheet(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """Sending for processing and handing on inside it are the page's (they were the CLI's only):
    department, receiver, the step's working hours and a note, in the control sheet (form 06);
    the departments used before are offered, the latest first."""
    page, code = _page(qtbot, workers, ctx)
    bar = page.lifecycle_actions
    assert not bar.buttons[Action.HANDOFF].isVisible(), "received, not yet in processing"
    answer, offered = _handoff("Phòng Tư pháp", hours=8)
    with answer:
        bar.buttons[Action.PROCESS].click()
    qtbot.waitUntil(lambda: page.page is not None and page.page.status == DossierStatus.PROCESSING
                    and bar.buttons[Action.HANDOFF].isVisible() and not page.busy(), timeout=5000)
    assert [h["department"] for h in ctx.lifecycle.record(code)["process_log"]] == ["Phòng Tư pháp"]
    assert "06" in page.message.text(), "the control sheet (form 06) is issued with the first hand-off"
    assert "Phòng Tư pháp" in page.message.text(), "the step's confirmation is kept beside the form's line"
    answer, _ = _handoff("Lãnh đạo UBND", "", hours=1e9)  # no receiver: the core refuses, nothing recorded
    with answer:
        bar.trigger(Action.HANDOFF)
    qtbot.waitUntil(lambda: not page.busy() and page.message.styleSheet() == "color: #b00020;", timeout=5000)
    assert len(ctx.lifecycle.record(code)["process_log"]) == 1
    answer, offered = _handoff("Lãnh đạo UBND", "Chủ tịch UBND", hours=4, note="Ký duyệt")
    with answer:
        bar.trigger(Action.HANDOFF)
    qtbot.waitUntil(lambda: not page.busy() and len(ctx.lifecycle.record(code)["process_log"]) == 2, timeout=5000)
    assert offered == [["Phòng Tư pháp"]]
    log = ctx.lifecycle.record(code)["process_log"]
    assert [(h["department"], h["receiver"]) for h in log] == [("Phòng Tư pháp", ""), ("Lãnh đạo UBND", "Chủ tịch UBND")]
    assert log[0]["due"] and log[1]["due"], "each step has its time"
    assert log[1]["note"] == "Ký duyệt"
    page.refresh()
    qtbot.waitUntil(lambda: page.page is not None and not page.busy()
                    and page.page.departments == ("Lãnh đạo UBND", "Phòng Tư pháp"), timeout=5000)


def test_extension_to_a_date_before_today_is_refused(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page, code = _page(qtbot, workers, ctx)
    bar = page.lifecycle_actions
    answer, _ = _handoff("Phòng Tư pháp")
    with answer:
        bar.buttons[Action.PROCESS].click()
    qtbot.waitUntil(lambda: page.page is not None and page.page.status == DossierStatus.PROCESSING
                    and bar.buttons[Action.EXTEND].isVisible() and not page.busy(), timeout=5000)
    due = ctx.dossiers.get(code).due_at
    answers = iter([("Cần xác minh thêm", True), ("2020-01-06 08:00", True)])
    with patch.object(QInputDialog, "getText", side_effect=lambda *a, **k: next(answers)):
        bar.trigger(Action.EXTEND)
    qtbot.waitUntil(lambda: not page.busy() and page.message.text() != "", timeout=5000)
    assert page.message.styleSheet() == "color: #b00020;"  # shown as a refusal
    assert ctx.dossiers.get(code).due_at == due


def test_a_postal_agent_is_not_offered_the_agency_s_decisions(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page, _code = _page(qtbot, workers, ctx)
    page.actor = ctx.auth.create_officer(Actor.cli(), username="buudien", full_name="Bưu điện",
                                         role=Role.POSTAL_AGENT, password="mat-khau-dai")
    from dataclasses import replace

    page.lifecycle_actions.update_for(replace(page.page, status=DossierStatus.PROCESSING))
    assert not page.lifecycle_actions.buttons[Action.EXTEND].isVisible()
    assert not page.lifecycle_actions.buttons[Action.STOP].isVisible()
    assert page.lifecycle_actions.buttons[Action.SUPPLEMENT].isVisible()


def test_the_to_return_view_lists_results_ready_and_enter_opens_one(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from sqlalchemy import select

    from desktop.db.models import Dossier
    from desktop.workflow.workspace import Returning

    page, code = _page(qtbot, workers, ctx)
    with ctx.db.session() as s:
        d = s.scalar(select(Dossier).where(Dossier.code == code))
        assert d is not None
        d.status = DossierStatus.DONE.value
    area = page.parent()
    area.show_list()
    lst = area.list
    lst.returning.setCurrentIndex(lst.returning.findData(Returning.TO_RETURN))
    qtbot.waitUntil(lambda: [r.code for r in lst.model.rows] == [code], timeout=5000)
    lst.returning.setCurrentIndex(lst.returning.findData(Returning.POST))
    qtbot.waitUntil(lambda: lst.model.rows == [], timeout=5000)
    lst.returning.setCurrentIndex(lst.returning.findData(Returning.TO_RETURN))
    qtbot.waitUntil(lambda: len(lst.model.rows) == 1, timeout=5000)
    qtbot.keyClick(lst.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.currentWidget() is area.page, timeout=5000)
