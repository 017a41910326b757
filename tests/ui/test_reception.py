"""Reception screen: search a procedure without diacritics, receive, print the receipt."""

from __future__ import annotations

from desktop.app import AppContext
from desktop.auth import Actor
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
