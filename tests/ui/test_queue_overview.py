"""Queue overview and live updates: figures per service and counter; on PostgreSQL a change
made elsewhere reaches the screens by notification, not by their (slow) poll."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.queue.announce import announcement
from ui.queue.counter_panel import CounterPanel
from ui.queue.display_board import DisplayBoard
from ui.queue.overview import QueueOverview

ADMIN = Actor.cli()


def _row(table, first_cell: str) -> int:  # type: ignore[no-untyped-def]
    for r in range(table.rowCount()):
        if table.item(r, 0).text().startswith(first_cell):
            return r
    raise AssertionError(f"no row {first_cell}")


def test_overview_shows_services_and_counter_sessions(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    code = ctx.queue.services()[0][0]
    for _ in range(3):
        ctx.queue.issue(ADMIN, code)
    ctx.queue.open_session(ADMIN, 2)
    ctx.queue.pause_session(ADMIN, 2, "họp giao ban")
    view = QueueOverview(ctx, ADMIN, workers=workers)
    qtbot.addWidget(view)
    assert not view.live.live  # SQLite: polling
    qtbot.waitUntil(lambda: view.services.rowCount() > 0 and view.counters.rowCount() > 0, timeout=5000)
    r = _row(view.services, code)
    assert view.services.item(r, 2).text() == "3"
    c = _row(view.counters, "2 ·")
    assert view.counters.item(c, 1).text() in ("paused", "tạm dừng")
    assert "3" in view.summary.text()


@pytest.mark.log_warnings('PC/SC service unavailable')
def test_changes_are_pushed_on_postgresql(workers, qtbot, pg_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    screens_ctx = AppContext(load_settings(tmp_path / "screens", db_url=pg_url))
    kiosk_ctx = AppContext(load_settings(tmp_path / "kiosk", db_url=pg_url))  # another workstation
    try:
        panel = CounterPanel(screens_ctx, ADMIN, workers=workers)
        board = DisplayBoard(screens_ctx, voice=False, workers=workers)
        overview = QueueOverview(screens_ctx, ADMIN, workers=workers)
        for w in (panel, board, overview):
            qtbot.addWidget(w)
            assert w.live.live
        for t in (panel.refresh_timer, board.timer, overview.timer):
            assert t.interval() >= 60_000  # only a safety net: what follows cannot come from polling
        qtbot.waitUntil(lambda: overview.services.rowCount() > 0, timeout=10000)
        services = {code for code, _ in kiosk_ctx.queue.services()}
        served_by_1 = next(s for s in panel_services(screens_ctx, 1) if s in services)
        ticket = kiosk_ctx.queue.issue(ADMIN, served_by_1)
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=3000)
        called = kiosk_ctx.queue.call_next(ADMIN, 1)
        assert called is not None and called.number == ticket.number
        qtbot.waitUntil(lambda: ticket.number in board.latest.text(), timeout=3000)
        qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=3000)
        assert board.spoken == [announcement(ticket.number, 1)]
        for w in (panel, board, overview):
            w.close()
    finally:
        kiosk_ctx.close()
        screens_ctx.close()


def panel_services(ctx: AppContext, number: int) -> list[str]:
    from sqlalchemy import select

    from desktop.queue.models import Counter

    with ctx.db.session() as s:
        return list(s.scalar(select(Counter.services).where(Counter.number == number)) or [])
