"""The running application backs up once a day by itself, off the UI thread (issue 14).

A counter PC runs the application all day and is rarely restarted; the only daily backup
was the one made when the database opened. The schedule (ui/backup_schedule.py) looks
every hour and backs up on a worker thread; a failure is logged once and shown in the
status bar in the officer's language, never raised.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

import desktop.db.storage
from desktop.backups import BackupState
from desktop.config import Settings
from desktop.context import AppContext
from desktop.db.storage import backups
from ui import translations
from ui.services import UiServices
from ui.status_indicators import StatusIndicators


def _daily(ctx: AppContext) -> list[Path]:
    return [p for p in backups(ctx.settings) if p.name.endswith("-daily.db")]


def test_the_shell_backs_up_in_a_worker_while_the_ui_thread_runs(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = desktop.db.storage.backup
    started, answered = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def watched(*args: object, **kwargs: object) -> Path:
        seen["thread"] = threading.current_thread()
        started.set()
        # the copy goes on only once the UI thread has turned its event loop meanwhile:
        # on the UI thread itself this wait could never end in success
        seen["ui_ran_meanwhile"] = answered.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(desktop.db.storage, "backup", watched)
    poll = QTimer()
    poll.timeout.connect(lambda: answered.set() if started.is_set() else None)
    poll.start(10)
    services = UiServices(ctx, start_uploader=False, purge_first_ms=10**9, backup_first_ms=0)
    try:
        qtbot.waitUntil(lambda: services.backups.current is not None, timeout=20000)
        assert services.backups.current.state == BackupState.MADE, services.backups.current
        assert seen["thread"] is not threading.main_thread() and seen["ui_ran_meanwhile"] is True
        assert _daily(ctx) == [services.backups.current.path]
    finally:
        poll.stop()
        services.close()


def test_the_next_day_is_backed_up_without_a_restart(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """Looks every hour (here every 50 ms): once today's backup exists, nothing more until tomorrow."""
    import os
    from datetime import datetime, timedelta

    services = UiServices(ctx, start_uploader=False, purge_first_ms=10**9, backup_first_ms=0, backup_every_ms=50)
    try:
        looks: list[object] = []
        services.backups.changed.connect(looks.append)  # before the event loop runs its first look
        # the file exists a moment before "made" is told: waiting for the file alone let that
        # message arrive among the later looks (seen once under load)
        qtbot.waitUntil(lambda: BackupState.MADE in {o.state for o in looks}, timeout=20000)  # type: ignore[attr-defined]
        first, made = _daily(ctx)[0], len(looks)
        assert _daily(ctx) == [first]
        qtbot.waitUntil(lambda: len(looks) >= made + 3, timeout=20000)
        assert _daily(ctx) == [first] and {o.state for o in looks[made:]} == {BackupState.NOT_DUE}  # type: ignore[attr-defined]
        yesterday = (datetime.now() - timedelta(days=1)).timestamp()
        os.utime(first, (yesterday, yesterday))  # the workstation stayed open overnight
        qtbot.waitUntil(lambda: len(_daily(ctx)) == 2, timeout=20000)
    finally:
        services.close()


@pytest.mark.log_warnings("daily backup failed")
def test_a_failure_is_logged_once_and_shown_in_the_officers_language(workers, qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    translations.install("vi")
    ctx.settings.backup_dir.parent.mkdir(parents=True, exist_ok=True)
    ctx.settings.backup_dir.write_text("a file where the backups should go")
    services = UiServices(ctx, start_uploader=False, purge_first_ms=10**9, backup_first_ms=0, backup_every_ms=50)
    try:
        w = StatusIndicators(ctx, backups=services.backups, workers=workers)
        qtbot.addWidget(w)
        looks: list[object] = []
        services.backups.changed.connect(looks.append)
        qtbot.waitUntil(lambda: len(looks) >= 3, timeout=20000)  # three hourly looks, all failing
        label = w.labels["backup"]
        assert label.isVisibleTo(w) and label.text() == "○ Sao lưu không thành công"
        assert "b00020" in label.styleSheet() and str(ctx.settings.backup_dir) in label.toolTip()
        assert "motcua db backup" in label.toolTip()
        warned = [r for r in caplog.records if r.getMessage().startswith("daily backup failed (")]
        assert len(warned) == 1, [r.getMessage() for r in warned]
        ctx.settings.backup_dir.unlink()  # fixed: the next look backs up, and the label says so
        qtbot.waitUntil(lambda: label.text().startswith("● Sao lưu "), timeout=20000)
        assert len(_daily(ctx)) == 1
        w.timer.stop()
    finally:
        services.close()


def test_a_centres_postgresql_is_not_backed_up_here(workers, qtbot, pg_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext(Settings(data_dir=tmp_path / "ws", db_url=pg_url))
    try:
        services = UiServices(ctx, start_uploader=False, purge_first_ms=10**9, backup_first_ms=0)
        try:
            w = StatusIndicators(ctx, backups=services.backups, workers=workers)
            qtbot.addWidget(w)
            qtbot.wait(200)
            assert services.backups.current is not None and services.backups.current.state == BackupState.SERVER
            assert not services.backups.running and backups(ctx.settings) == []
            label = w.labels["backup"]
            assert label.text() == "● Backup: by the centre" and "pg_dump" in label.toolTip()
            w.timer.stop()
        finally:
            services.close()
    finally:
        ctx.close()


def test_a_kiosk_alone_on_its_machine_backs_up_too(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    import ui.backup_schedule
    from ui.shell import run_standalone

    monkeypatch.setattr(ui.backup_schedule, "BACKUP_FIRST_MS", 0)
    tries: list[bool] = []

    def quit_when_done() -> None:
        if _daily(ctx) or len(tries) > 200:
            QApplication.quit()
        else:
            tries.append(True)
            QTimer.singleShot(50, quit_when_done)

    QTimer.singleShot(50, quit_when_done)
    assert run_standalone(ctx, lambda _workers: QWidget(), fullscreen=False, size=(400, 300)) == 0
    assert len(_daily(ctx)) == 1
