"""The reports area and the dashboard on a known day: figures shown, drill-down, bad period, rating screen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QDate, QPointF, Qt
from PySide6.QtGui import QMouseEvent

from desktop.audit import AuditLog
from desktop.auth import Actor, AuthService
from desktop.db import Database
from desktop.db.models import Role
from desktop.queue.desk import QueueDesk
from desktop.queue.seed import seed_queue
from desktop.workdays import WorkCalendar

ADMIN = Actor("admin", Role.ADMIN)
# the offscreen platform says so for every top-level dialog (the drill-down)
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from tests.reports.conftest import Clock, World, play_day, set_queue_clock

    db = Database(f"sqlite:///{tmp_path / 'ui.db'}")
    db.migrate()
    with db.session() as s:
        seed_queue(s)
    clock = Clock(datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    set_queue_clock(monkeypatch, clock)
    auth = AuthService(db, AuditLog())
    lan = auth.create_officer(ADMIN, username="lan", full_name="Lan", role=Role.COUNTER_OFFICER, password="Quầy-báo-cáo-2026")
    minh = auth.create_officer(ADMIN, username="minh", full_name="Minh", role=Role.COUNTER_OFFICER,
                               password="Quầy-báo-cáo-2026")
    desk = QueueDesk(db, AuditLog())
    play_day(World(db, desk, clock, lan, minh, ADMIN, ADMIN, {}))
    yield SimpleNamespace(db=db, calendar=WorkCalendar(), settings=SimpleNamespace(unit_code="X"), queue=desk)
    db.dispose()


def test_reports_view_shows_the_day_and_drills_down(workers, qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ui.reports_view import ReportsView

    view = ReportsView(ctx, ADMIN, workers=workers)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view._task is None, timeout=10_000)
    view.first.setDate(QDate(2026, 12, 2))
    view.last.setDate(QDate(2026, 12, 2))
    view.refresh()
    qtbot.waitUntil(lambda: view.bundle is not None and view.bundle.queue.total.arrived == 8, timeout=10_000)
    t = view.queue_table
    total = t.rowCount() - 1
    assert t.item(total, 1).text() == "8" and t.item(total, 6).text() == "630"  # arrived, wait p50
    assert view.buckets.values == [1, 0, 1, 2, 0, 0, 2]
    dlg = view._drill_queue_figure("total", "*", "no_show")
    assert dlg is not None
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 1, timeout=10_000)
    assert "A003" in [dlg.table.item(0, c).text() for c in range(dlg.table.columnCount())]
    dlg.close()
    # a click on the 18+ bar opens the tickets behind it
    with qtbot.waitSignal(view.buckets.barClicked) as sig:
        plot = view.buckets._plot()
        r = view.buckets._bar_rect(6, plot, max(view.buckets.values) * 1.15)
        pos = QPointF(r.center().x(), plot.bottom() - 2)
        view.buckets.mousePressEvent(QMouseEvent(QMouseEvent.Type.MouseButtonPress, pos, pos,
                                                 Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                                                 Qt.KeyboardModifier.NoModifier))
    assert sig.args == [6]
    qtbot.waitUntil(lambda: view._task is None, timeout=10_000)
    # from after to: a message, no traceback, the last figures stay
    view.first.setDate(QDate(2026, 12, 5))
    view.refresh()
    assert "sau ngày kết thúc" in view.status.text()
    for w in view.findChildren(type(dlg)):
        w.close()
    qtbot.waitUntil(lambda: view._task is None, timeout=10_000)


def test_the_xlsx_export_carries_the_audit_head(workers, qtbot, ctx, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The figures exported from the screen say which audit chain head they were read at."""
    from openpyxl import load_workbook

    from ui import file_dialogs
    from ui.reports_view import ReportsView

    view = ReportsView(ctx, ADMIN, workers=workers)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view._task is None, timeout=10_000)
    view.first.setDate(QDate(2026, 12, 2))
    view.last.setDate(QDate(2026, 12, 2))
    view.refresh()
    qtbot.waitUntil(lambda: view.bundle is not None and view.bundle.queue.total.arrived == 8, timeout=10_000)
    qtbot.waitUntil(lambda: view._task is None, timeout=10_000)
    with ctx.db.session() as s:
        seq, digest = AuditLog().head(s)
    assert seq > 0
    out = tmp_path / "bao-cao.xlsx"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    view.export_xlsx()
    book = load_workbook(out)
    for sheet in book.worksheets:
        last = [c for (c,) in sheet.iter_rows(min_col=1, max_col=1, values_only=True) if c][-1]
        assert f"#{seq}:{digest[:16]}" in str(last), (sheet.title, last)


def test_dashboard_tiles(workers, qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ui.reports.dashboard import DashboardView

    view = DashboardView(ctx, ADMIN, workers=workers)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.tiles["waiting"].value.text() != "–", timeout=10_000)
    view.timer.stop()
    view.live.stop()
    assert view.services.rowCount() == 5


def test_rating_screen_rates_the_visit_just_served(workers, qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    import desktop.reports.satisfaction as sat
    from desktop.reports.models import SatisfactionLevel
    from desktop.reports.period import Period
    from desktop.reports.satisfaction import satisfaction_report
    from ui.reports.rating import RatingPanel

    sat_now = datetime(2026, 12, 2, 2, 5, tzinfo=UTC)  # 09:05: A005 ended at 09:00
    orig = sat.last_served_ticket
    panel = RatingPanel(ctx, Actor("screen", Role.SUPERVISOR), 1, workers=workers)
    qtbot.addWidget(panel)
    panel.timer.stop()
    panel._show(orig(ctx.db, 1, sat_now))
    assert "A005" in panel.question.text()
    panel.reason.setText("nhanh")
    panel.choose(SatisfactionLevel.VERY_SATISFIED)
    qtbot.waitUntil(lambda: "cảm ơn" in panel.question.text().lower() or "thank" in panel.question.text().lower(),
                    timeout=10_000)
    panel._thanks_timer = None
    # the rating is dated when it is given (now), the visit on the fixture's day: the period
    # holds both, whatever today is in Vietnam (after 17:00 UTC it is already tomorrow there)
    from desktop.kernel.timeutil import now_vn

    today = now_vn().date()
    r = satisfaction_report(ctx.db, ADMIN, Period(min(date(2026, 12, 2), today), max(date(2026, 12, 3), today)))
    assert r.total.very_satisfied == 1
