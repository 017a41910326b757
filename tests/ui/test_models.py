"""Item models checked by Qt's own model tester (pytest-qt's qtmodeltester)."""

from __future__ import annotations

from datetime import timedelta

from desktop.kernel.timeutil import utcnow
from desktop.queue.targets import ServiceTargets
from desktop.queue.views import TicketView
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
