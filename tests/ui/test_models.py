"""Item models checked by Qt's own model tester (pytest-qt's qtmodeltester)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from desktop.kernel.timeutil import utcnow
from desktop.queue.targets import ServiceTargets
from desktop.queue.views import TicketView
from desktop.workflow.workspace import DossierRow, DossierStatus
from ui.dossiers.list_model import DossierListModel
from ui.queue.counter_panel import WaitingModel


def _ticket(i: int, minutes: int) -> TicketView:
    return TicketView(i, f"A{i:03d}", "TP", "walk_in", "waiting", utcnow() - timedelta(minutes=minutes), None, i)


def test_waiting_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = WaitingModel(targets=ServiceTargets())
    model.set_rows([_ticket(1, 16), _ticket(2, 13), _ticket(3, 1)])
    qtmodeltester.check(model, force_py=True)  # stays connected: every change below is checked too
    model.set_rows([_ticket(1, 16), _ticket(2, 13), _ticket(3, 1)])  # same tickets: dataChanged only
    model.set_rows([_ticket(2, 13), _ticket(4, 0)])  # a reset
    model.tick(utcnow() + timedelta(minutes=3))
    model.set_rows([])
    assert model.rowCount() == 0 and model.columnCount() == 4


def _dossier(i: int, remaining: float | None, status: DossierStatus = DossierStatus.RECEIVED,
             due_in_hours: float | None = 24.0, digitized: int = 0) -> DossierRow:
    now = utcnow()
    return DossierRow(f"000.00.06.H56-261207-{i:04d}", f"Nguyễn Văn {i}", f"0010{i:08d}", "1.000001",
                      "Đăng ký khai sinh", now - timedelta(hours=2), None if due_in_hours is None
                      else now + timedelta(hours=due_in_hours), status, 1, "canbo1", "H56",
                      remaining, digitized=digitized, signed=0, uploaded=0, to_digitize=2 - digitized)


def test_dossier_list_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = DossierListModel()
    model.set_rows([_dossier(1, -90.0), _dossier(2, 30.0, due_in_hours=0.5), _dossier(3, None),
                    _dossier(4, 600.0, DossierStatus.RESULT_RETURNED, digitized=2), _dossier(5, None, due_in_hours=None)])
    qtmodeltester.check(model, force_py=True)  # stays connected: the refreshes below are checked too
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == "000.00.06.H56-261207-0001"
    assert model.index(0, 5).data() == "late 1 h 30 min"  # no translator installed: the source text
    assert model.index(4, 4).data() == "—" and model.index(2, 5).data() == "—"  # no due date; the clock paused
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # late is coloured
    assert model.index(3, 0).data(Qt.ItemDataRole.BackgroundRole) is None  # a returned dossier is not
    model.set_rows([_dossier(2, 30.0)])
    model.set_rows([])
    assert model.rowCount() == 0 and model.columnCount() == len(DossierListModel.COLUMNS)
