"""The running application purges expired personal data by itself, off the UI thread."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Dossier, DossierStatus, DossierStatusChange
from desktop.kernel.timeutil import now_vn, utcnow
from desktop.privacy.schedule import last_purge
from tests.outbox.exempt import exempt_components
from ui.services import UiServices


def _closed_long_ago(ctx: AppContext, days: int) -> str:
    admin = Actor.cli()
    d = ctx.dossiers.receive(admin, procedure_code="1.001193", applicant_name="Phan Thị Thanh Tâm",
                             applicant_id_number="079301234567", components=exempt_components(1))
    ctx.dossiers.set_status(admin, d.code, DossierStatus.WITHDRAWN)
    ctx.outbox.drain(admin)
    with ctx.db.session() as s:  # withdrawn `days` ago
        s.execute(update(DossierStatusChange).where(DossierStatusChange.dossier_id == d.id)
                  .values(at=utcnow() - timedelta(days=days)))
    return d.code


def _name(ctx: AppContext, code: str) -> str:
    with ctx.db.session() as s:
        return s.scalars(select(Dossier.applicant_name).where(Dossier.code == code)).one()


def test_the_shell_purges_once_retention_is_set(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    old = _closed_long_ago(ctx, 40)
    recent = _closed_long_ago(ctx, 10)
    ctx.settings.retention_days = 30
    services = UiServices(ctx, start_uploader=False, purge_first_ms=0)
    try:
        qtbot.waitUntil(lambda: last_purge(ctx.settings) == now_vn().date(), timeout=10000)
        qtbot.waitUntil(lambda: not services.purge_running, timeout=5000)
        assert _name(ctx, old) == "" and _name(ctx, recent) == "Phan Thị Thanh Tâm"
    finally:
        services.close()


def test_no_retention_period_no_purge(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    old = _closed_long_ago(ctx, 400)
    ctx.settings.retention_days = 0
    services = UiServices(ctx, start_uploader=False, purge_first_ms=0)
    try:
        qtbot.wait(300)
        assert not services.purge_running and last_purge(ctx.settings) is None
        assert _name(ctx, old) == "Phan Thị Thanh Tâm"
    finally:
        services.close()


def test_a_retention_period_set_while_running_applies_without_a_restart(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """Set in the Settings screen (the same settings object), it is seen at the next hourly look."""
    old = _closed_long_ago(ctx, 40)
    ctx.settings.retention_days = 0
    services = UiServices(ctx, start_uploader=False, purge_first_ms=0, purge_every_ms=100)
    try:
        qtbot.wait(300)
        assert last_purge(ctx.settings) is None
        ctx.settings.retention_days = 30
        qtbot.waitUntil(lambda: last_purge(ctx.settings) == now_vn().date(), timeout=10000)
        qtbot.waitUntil(lambda: not services.purge_running, timeout=5000)
        assert _name(ctx, old) == ""
    finally:
        services.close()


def test_a_kiosk_alone_on_its_machine_purges_too(qtbot, ctx: AppContext, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A machine that only runs ``motcua kiosk`` (or the display board, or the rating screen)
    never opened the shell, so nothing purged its database; every window process does now."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    import ui.retention
    from ui.shell import run_standalone

    monkeypatch.setattr(ui.retention, "PURGE_FIRST_MS", 0)
    old = _closed_long_ago(ctx, 40)
    ctx.settings.retention_days = 30
    seen: list[bool] = []

    def quit_when_done() -> None:
        if last_purge(ctx.settings) == now_vn().date() or len(seen) > 200:
            QApplication.quit()
        else:
            seen.append(True)
            QTimer.singleShot(50, quit_when_done)

    QTimer.singleShot(50, quit_when_done)
    assert run_standalone(ctx, lambda _workers: QWidget(), fullscreen=False, size=(400, 300)) == 0
    assert last_purge(ctx.settings) == now_vn().date() and _name(ctx, old) == ""


def test_a_period_set_with_config_set_applies_within_the_hour(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """`motcua config set storage.retention_days 30`, run beside the open application, was
    seen only at its next start."""
    import os
    import subprocess
    import sys

    from tests.cli import ROOT

    old = _closed_long_ago(ctx, 40)
    assert ctx.settings.retention_days == 0
    services = UiServices(ctx, start_uploader=False, purge_first_ms=0, purge_every_ms=100)
    try:
        qtbot.wait(300)
        assert last_purge(ctx.settings) is None
        run = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(ctx.settings.data_dir), "config",
                              "set", "storage.retention_days", "30"], capture_output=True, text=True, timeout=120,
                             cwd=ROOT, env=dict(os.environ))
        assert run.returncode == 0, run.stderr
        qtbot.waitUntil(lambda: last_purge(ctx.settings) == now_vn().date(), timeout=10000)
        qtbot.waitUntil(lambda: not services.purge_running, timeout=5000)
        assert ctx.settings.retention_days == 30 and _name(ctx, old) == ""
    finally:
        services.close()
