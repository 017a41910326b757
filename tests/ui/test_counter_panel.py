"""Counter panel: timers from loaded times, thresholds, actions through the core."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from desktop.app import AppContext
from desktop.auth import Actor
from desktop.db.models import Role
from desktop.kernel.timeutil import utcnow
from desktop.queue.service import TicketView
from ui.queue.counter_panel import AMBER, RED, CounterPanel, WaitingModel, mmss


def test_wait_colours_follow_the_targets(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = WaitingModel()
    now = utcnow()
    model.set_rows([TicketView(i, f"A00{i}", "TP", "walk_in", "waiting", now - timedelta(minutes=m), None)
                    for i, m in enumerate((1, 12, 16))])
    model.tick(now)
    colours = [model.data(model.index(r, 3), Qt.ItemDataRole.BackgroundRole) for r in range(3)]
    assert colours[0] is None and colours[1].color() == AMBER and colours[2].color() == RED
    assert model.data(model.index(2, 3)) == "16:00"
    assert mmss(3725) == "1:02:05"


def test_call_start_end_from_the_panel(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                      role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    for _ in range(3):
        ctx.queue.issue(Actor.cli(), "TP")
    panel = CounterPanel(ctx, officer)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=5000)
    panel.act("call")
    qtbot.waitUntil(lambda: panel.current.text() == "A001", timeout=5000)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    panel.act("call")  # still serving A001: refused with the core's message
    qtbot.waitUntil(lambda: "A001" in panel.message.text(), timeout=5000)
    panel.act("start")
    qtbot.waitUntil(lambda: panel.service_timer.text() != "", timeout=5000)
    panel.act("end")
    qtbot.waitUntil(lambda: panel.current.text() == "—", timeout=5000)
    panel.act("call")
    qtbot.waitUntil(lambda: panel.current.text() == "A002", timeout=5000)
    panel.act("skip")
    qtbot.waitUntil(lambda: panel.current.text() == "—", timeout=5000)
    panel.act("recall")
    qtbot.waitUntil(lambda: panel.current.text() == "A002", timeout=5000)
    panel.tick_timer.stop()
    panel.refresh_timer.stop()
