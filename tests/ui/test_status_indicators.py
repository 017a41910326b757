"""Status-bar indicators: devices as probed, uploads as the background uploader reports them."""

from __future__ import annotations

from pathlib import Path

from desktop.config import load_settings
from desktop.context import AppContext
from desktop.outbox.uploader import UploaderState, UploaderStatus
from ui.status_indicators import StatusIndicators


def test_probes_fill_in_with_reasons(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    w = StatusIndicators(ctx, workers=workers)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.labels["dossier_system"].text() != "", timeout=30000)
    assert w.labels["dossier_system"].text().startswith("●")  # the local folder is writable
    assert str(ctx.settings.data_dir) in w.labels["dossier_system"].toolTip()
    scanner = w.labels["scanner"]
    assert scanner.text().startswith(("●", "○")) and scanner.toolTip()  # probed once, reason in the tooltip
    assert w.labels["outbox"].text() == "Uploads: 0 to send"  # no uploader here: the counts as probed
    w.timer.stop()


def test_unwritable_dossier_folder_is_shown_red_with_the_fix(workers, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    ctx = AppContext(load_settings(tmp_path / "ws", dossier_url=blocked.as_uri()))
    try:
        w = StatusIndicators(ctx, workers=workers)
        qtbot.addWidget(w)
        qtbot.waitUntil(lambda: w.labels["dossier_system"].text() != "", timeout=30000)
        label = w.labels["dossier_system"]
        assert label.text().startswith("○") and "b00020" in label.styleSheet()
        assert "→" in label.toolTip()  # with what to do
        w.timer.stop()
    finally:
        ctx.close()


def test_uploads_follow_the_uploader(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    w = StatusIndicators(ctx, workers=workers)
    qtbot.addWidget(w)
    out = w.labels["outbox"]
    w.show_uploads(UploaderStatus(UploaderState.SENDING, pending=3, waiting=2))
    assert out.text() == "Uploads: 3 to send · 2 waiting for signature · sending"
    assert "b45309" in out.styleSheet()  # amber: copies wait for the officer's signature
    w.show_uploads(UploaderStatus(UploaderState.OFFLINE, pending=5, parked=1, last_error="ConnectError"))
    assert out.text() == "Uploads: 5 to send · 1 parked · offline"
    assert "b00020" in out.styleSheet() and "ConnectError" in out.toolTip()
    w.show_uploads(UploaderStatus(UploaderState.IDLE))
    assert out.text() == "Uploads: 0 to send" and "333" in out.styleSheet()
    w.timer.stop()
