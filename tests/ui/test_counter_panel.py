"""Counter panel: timers from loaded times, thresholds, actions through the core; the counters of
the database and the remembered one; pause with a reason, resume, close; F7 only while serving."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import select, update

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent, Role
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import utcnow
from desktop.queue.models import Counter, CounterSessionEvent, SessionState
from desktop.queue.views import TicketView
from ui.main_window import MainWindow
from ui.queue.counter_panel import AMBER, RED, CounterPanel, WaitingModel, mmss
from ui.services import UiServices


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


def test_call_start_end_from_the_panel(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                      role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    for _ in range(3):
        ctx.queue.issue(Actor.cli(), "TP")
    panel = CounterPanel(ctx, officer, workers=workers)
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


def _officer(ctx: AppContext) -> Actor:
    return ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                   role=Role.COUNTER_OFFICER, password="mat-khau-dai")


def _shown(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """On screen and active: the panel's keys are window shortcuts."""
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=5000)


def _stop(panel: CounterPanel) -> None:
    panel.tick_timer.stop()
    panel.refresh_timer.stop()


def test_only_the_counters_of_the_database_and_the_remembered_one(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.session() as s:
        s.add(Counter(number=7, name="Quầy 7 (đã bỏ)", services=["TP"], active=False))
    ctx.settings.counter_number = "3"
    panel = CounterPanel(ctx, _officer(ctx), workers=workers)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.board is not None, timeout=5000)
    assert [panel.counter.itemData(i) for i in range(panel.counter.count())] == [1, 2, 3, 4, 5]
    assert panel.counter_number() == 3 and panel.board.counter == 3 and panel.counter.currentText() == "Quầy 3"
    # the officer moves to counter 2: saved where the workstation configuration lives, audited
    panel.counter.setCurrentIndex(panel.counter.findData(2))
    panel.counter.activated.emit(panel.counter.currentIndex())
    qtbot.waitUntil(lambda: load_settings(ctx.settings.data_dir).counter_number == "2", timeout=5000)
    qtbot.waitUntil(lambda: panel.board is not None and panel.board.counter == 2, timeout=5000)
    with ctx.db.session() as s:
        assert s.scalar(select(AuditEvent.actor).where(AuditEvent.action == "settings.counter")) == "lan"
    _stop(panel)


def test_no_counter_in_the_database_says_so(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.session() as s:
        s.execute(update(Counter).values(active=False))
    panel = CounterPanel(ctx, _officer(ctx), workers=workers)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: "counter" in panel.message.text(), timeout=5000)
    assert panel.counter.count() == 0 and panel.counter_number() is None
    assert not panel.buttons["call"].isEnabled()
    panel.act("call")  # the key does nothing either (no counter to call for)
    _stop(panel)


def test_pause_with_a_reason_refuses_calls_then_resume_and_close(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    ticket = ctx.queue.issue(Actor.cli(), "TP")
    panel = CounterPanel(ctx, _officer(ctx), workers=workers)
    qtbot.addWidget(panel)
    _shown(qtbot, panel)
    qtbot.waitUntil(lambda: panel.board is not None and panel.model.rowCount() == 1, timeout=5000)
    assert panel.session_label.text() == "No open session" and "Open session" in panel.buttons["session"].text()
    assert not panel.buttons["close"].isEnabled()
    qtbot.keyClick(panel, Qt.Key.Key_F9)  # opens the session
    qtbot.waitUntil(lambda: panel.board is not None and panel.board.session.state == SessionState.OPEN, timeout=5000)
    assert "Session open since" in panel.session_label.text() and "Pause  [F9]" in panel.buttons["session"].text()
    qtbot.keyClick(panel, Qt.Key.Key_F9)  # asks why
    qtbot.waitUntil(lambda: panel.pause_dialog is not None and panel.pause_dialog.isVisible(), timeout=5000)
    dlg = panel.pause_dialog
    assert dlg.reasons.count() >= 4 and dlg.reason() == "Break"
    dlg.other.setFocus()
    dlg.other.setText("  họp   giao ban ")  # free text wins over the list (QTest types ASCII only)
    assert dlg.reason() == "họp giao ban" and not dlg.reasons.isEnabled()
    qtbot.keyClick(dlg.other, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.board is not None and panel.board.session.state == SessionState.PAUSED, timeout=5000)
    assert panel.board.session.reason == "họp giao ban"
    qtbot.waitUntil(lambda: panel.session_label.text().startswith("Paused 00:0"), timeout=5000)
    assert "họp giao ban" in panel.session_label.text() and "Resume  [F9]" in panel.buttons["session"].text()
    _shown(qtbot, panel)
    qtbot.keyClick(panel, Qt.Key.Key_F2)  # refused while paused, with the reason and what to do
    qtbot.waitUntil(lambda: msg("tạm dừng", "paused") in panel.message.text(), timeout=5000)
    assert msg("tiếp tục", "resume") in panel.message.text() and "họp giao ban" in panel.message.text()
    assert panel.current.text() == "—" and panel.model.rowCount() == 1
    qtbot.keyClick(panel, Qt.Key.Key_F9)  # resume
    qtbot.waitUntil(lambda: panel.board is not None and panel.board.session.state == SessionState.OPEN, timeout=5000)
    qtbot.keyClick(panel, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: panel.current.text() == ticket.number, timeout=5000)
    qtbot.keyClick(panel, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: panel.current.text() == "—", timeout=5000)
    qtbot.keyClick(panel, Qt.Key.Key_F9, Qt.KeyboardModifier.ControlModifier)  # close the session
    qtbot.waitUntil(lambda: panel.board is not None and panel.board.session.state == SessionState.CLOSED, timeout=5000)
    with ctx.db.session() as s:
        kinds = list(s.scalars(select(CounterSessionEvent.kind).order_by(CounterSessionEvent.id)))
    assert kinds == ["open", "pause", "resume", "close"]
    _stop(panel)


def test_f7_needs_a_ticket_being_served(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    ticket = ctx.queue.issue(Actor.cli(), "TP")
    panel = CounterPanel(ctx, _officer(ctx), workers=workers)
    qtbot.addWidget(panel)
    _shown(qtbot, panel)
    qtbot.waitUntil(lambda: panel.board is not None, timeout=5000)
    got: list[tuple[int, str]] = []
    panel.receive_requested.connect(lambda i, n: got.append((i, n)))
    assert "[F7]" in panel.buttons["receive"].text() and not panel.buttons["receive"].isEnabled()
    qtbot.keyClick(panel, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: panel.current.text() == ticket.number, timeout=5000)
    assert not panel.buttons["receive"].isEnabled()  # called, not yet served
    qtbot.keyClick(panel, Qt.Key.Key_F7)
    assert got == [] and "F3" in panel.message.text()
    qtbot.keyClick(panel, Qt.Key.Key_F3)
    qtbot.waitUntil(panel.buttons["receive"].isEnabled, timeout=5000)
    qtbot.keyClick(panel, Qt.Key.Key_F7)
    assert got == [(ticket.id, ticket.number)]
    _stop(panel)


@pytest.mark.log_warnings("PC/SC")  # the status bar's token widget finds no pcscd here, and says so
def test_f7_on_the_main_window_opens_reception_linked_to_the_ticket(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    _officer(ctx)
    officer = ctx.auth.sign_in("lan", "mat-khau-dai")
    ticket = ctx.queue.issue(Actor.cli(), "TP")
    services = UiServices(ctx, start_uploader=False)
    try:
        win = MainWindow(services, officer)
        qtbot.addWidget(win)
        win.resize(1366, 768)
        _shown(qtbot, win)
        panel = win.open_area("counter")
        assert isinstance(panel, CounterPanel)
        qtbot.waitUntil(lambda: panel.board is not None and panel.model.rowCount() == 1, timeout=5000)
        qtbot.keyClick(panel, Qt.Key.Key_F2)  # call
        qtbot.waitUntil(lambda: panel.current.text() == ticket.number, timeout=5000)
        qtbot.keyClick(panel, Qt.Key.Key_F3)  # the citizen is at the counter: start
        qtbot.waitUntil(panel.buttons["receive"].isEnabled, timeout=5000)
        qtbot.keyClick(panel, Qt.Key.Key_F7)
        reception = win.pages.get("reception")
        assert reception is not None and win.stack.currentWidget() is reception
        assert reception.ticket_id == ticket.id  # type: ignore[attr-defined]
        label = reception.ticket_label  # type: ignore[attr-defined]
        assert label.isVisibleTo(reception) and ticket.number in label.text()
        _stop(panel)
    finally:
        services.close()


def test_pause_by_keys_only_and_not_while_serving(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    ticket = ctx.queue.issue(Actor.cli(), "TP")
    ctx.queue.open_session(Actor.cli(), 1)
    panel = CounterPanel(ctx, _officer(ctx), workers=workers)
    qtbot.addWidget(panel)
    _shown(qtbot, panel)
    qtbot.waitUntil(lambda: panel.board is not None and panel.board.session.state == SessionState.OPEN, timeout=5000)
    qtbot.keyClick(panel, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: panel.current.text() == ticket.number, timeout=5000)
    qtbot.keyClick(panel, Qt.Key.Key_F9)  # a citizen at the counter: no pause, and no question asked first
    assert panel.pause_dialog is None and ticket.number in panel.message.text()
    qtbot.keyClick(panel, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: panel.current.text() == "—", timeout=5000)
    qtbot.keyClick(panel, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.pause_dialog is not None and panel.pause_dialog.isVisible(), timeout=5000)
    dlg = panel.pause_dialog
    qtbot.waitUntil(dlg.isActiveWindow, timeout=5000)
    qtbot.keyClick(dlg.reasons, Qt.Key.Key_Down)
    qtbot.keyClick(dlg.reasons, Qt.Key.Key_Return)  # the second usual reason, by keys only
    qtbot.waitUntil(lambda: panel.board is not None and panel.board.session.state == SessionState.PAUSED, timeout=5000)
    assert panel.board.session.reason == "Lunch break"
    _stop(panel)
