"""Status-bar indicators show the outbox and device state from the core."""

from __future__ import annotations

from desktop.app import AppContext
from ui.status_indicators import StatusIndicators


def test_indicators_fill_in(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    w = StatusIndicators(ctx)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.labels["outbox"].text() != "", timeout=30000)
    assert "0" in w.labels["outbox"].text()
    assert w.labels["dossier_system"].text().startswith("●")  # the local folder is writable
    assert w.labels["scanner"].toolTip()  # probed once at start, with the reason in the tooltip
    w.timer.stop()
