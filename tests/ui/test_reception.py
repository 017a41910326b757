"""Reception screen: search a procedure without diacritics, receive, print the receipt."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Role
from ui.reception_view import ReceptionView


def _view(qtbot, ctx: AppContext) -> ReceptionView:  # type: ignore[no-untyped-def]
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                      role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    view = ReceptionView(ctx, officer)
    view.open_receipts = False
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.procedure.count() > 0, timeout=5000)
    return view


def test_receive_and_print_receipt(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, ctx)
    view.search.setText("dang ky khai sinh")
    qtbot.waitUntil(lambda: view.procedure.currentData() == "1.001193", timeout=5000)
    assert view.components.count() >= 2
    view.name.setText("Nguyễn Thị Hồng Nhung")
    view.id_number.setText("079301234567")
    view.receive()
    qtbot.waitUntil(lambda: view.last is not None, timeout=5000)
    assert view.last.code in view.result.text()
    assert view.last.procedure_code == "1.001193"
    assert ctx.dossiers.get(view.last.code).applicant_name == "Nguyễn Thị Hồng Nhung"
    view.print_receipt()
    qtbot.waitUntil(lambda: view.receipt_path().exists(), timeout=10000)
    qtbot.waitUntil(lambda: "Giấy tiếp nhận" in view.result.text() or "Receipt" in view.result.text(), timeout=5000)


def test_invalid_id_number_is_shown_not_raised(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, ctx)
    view.name.setText("Lê Văn Tám")
    view.id_number.setText("12ab")
    view.receive()
    qtbot.waitUntil(lambda: "định danh" in view.result.text(), timeout=5000)
    assert view.last is None
    qtbot.waitUntil(view.receive_button.isEnabled, timeout=5000)


def test_cccd_qr_fills_the_applicant(qtbot, ctx: AppContext, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import cv2

    from tests.scanning.test_cccd import SEVEN, card_image

    view = _view(qtbot, ctx)
    path = tmp_path / "cccd.png"
    cv2.imwrite(str(path), card_image(SEVEN, photo=True))
    view.read_cccd_file(path)
    qtbot.waitUntil(lambda: view.id_number.text() == "079190234567", timeout=10000)
    assert view.name.text() == "Nguyễn Thị Hồng Nhung"


def test_a_missing_required_component_blocks_until_the_officer_asks_for_the_supplement(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext) -> None:
    from desktop.db.models import DossierStatus

    view = _view(qtbot, ctx)
    view.search.setText("dang ky khai sinh")
    qtbot.waitUntil(lambda: view.procedure.currentData() == "1.001193", timeout=5000)
    gcs = next(i for i in range(view.components.count())
               if view.components.item(i).data(Qt.ItemDataRole.UserRole).code == "GCS")
    view.components.item(gcs).setCheckState(Qt.CheckState.Unchecked)  # the citizen has no birth certificate
    view.name.setText("Lê Thị Thiếu")
    view.receive()
    qtbot.waitUntil(lambda: "chứng sinh" in view.result.text().lower() or "birth" in view.result.text().lower(),
                    timeout=5000)
    assert view.last is None and ctx.workspace.count() == 0  # nothing was recorded
    assert view.supplement_button.isVisibleTo(view)
    with qtbot.waitSignal(view.dossier_received, timeout=5000) as got:
        view.supplement_button.click()
    page = ctx.workspace.page(got.args[0])
    assert page.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert [s.code for s in page.progress.missing_required] == ["GCS"]


def test_reception_for_the_called_ticket_links_it_and_a_second_receive_is_refused(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext) -> None:
    view = _view(qtbot, ctx)
    officer = view.actor
    ctx.queue.issue(Actor.cli(), "TP")
    called = ctx.queue.call_next(officer, 1)
    assert called is not None
    view.set_ticket(called.id, called.number)
    assert called.number in view.ticket_label.text()
    view.search.setText("khai tu")
    qtbot.waitUntil(lambda: view.procedure.currentData() == "1.000656", timeout=5000)
    view.name.setText("Đoàn Văn Số")
    with qtbot.waitSignal(view.dossier_received, timeout=5000) as got:
        view.receive()
    assert ctx.workspace.page(got.args[0]).ticket_id == called.id
    view.set_ticket(called.id, called.number)  # the same ticket again
    view.receive()
    qtbot.waitUntil(lambda: "đã được tiếp nhận" in view.result.text() or "already received" in view.result.text(),
                    timeout=5000)
    assert ctx.workspace.count() == 1


def test_a_returning_citizen_and_this_officer_s_recent_procedures(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, ctx)
    first = view.procedure.itemData(0)
    other = next(view.procedure.itemData(i) for i in range(view.procedure.count())
                 if view.procedure.itemData(i) not in (first, "1.001193"))
    ctx.counter.receive(view.actor, procedure_code=other, applicant_name="Phạm Thị Đào",
                        applicant_id_number="079301234567", applicant_address="34 Trần Hưng Đạo, Quy Nhơn",
                        applicant_phone="0905000222")
    again = ReceptionView(ctx, view.actor)
    again.open_receipts = False
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.procedure.count() > 0, timeout=5000)
    assert again.procedure.itemData(0) == other, "the procedure this officer received lately comes first"
    again.phone.setText("0912345678")  # what the citizen says today is kept
    again.id_number.setText("079301234567")
    again.id_number.editingFinished.emit()
    qtbot.waitUntil(lambda: again.address.text() == "34 Trần Hưng Đạo, Quy Nhơn", timeout=5000)
    assert again.name.text() == "Phạm Thị Đào" and again.phone.text() == "0912345678"
    assert "check" in again.result.text().lower() or "kiểm tra" in again.result.text().lower()
