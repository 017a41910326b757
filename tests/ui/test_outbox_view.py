"""Outbox screen: parked job with its reason, retry, send now."""

from __future__ import annotations

from pathlib import Path

from desktop.app import AppContext
from desktop.auth import Actor
from ui.outbox_view import OutboxView


def test_parked_reason_retry_and_send(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin = Actor.cli()
    d = ctx.dossiers.receive(admin, procedure_code="1.001193", applicant_name="Lê Thị Mai")
    pdf = tmp_path / "tk.pdf"
    pdf.write_bytes(b"%PDF-1.4 demo")
    ctx.dossiers.attach_file(admin, d.code, pdf, component="TK")
    pdf.unlink()  # deleted before upload: the file job will park
    view = OutboxView(ctx, admin)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=5000)
    view.send_now()
    qtbot.waitUntil(lambda: view._drain is None and view.table.rowCount() == 1, timeout=10000)
    assert "xóa" in view.table.item(0, 5).text()
    pdf.write_bytes(b"%PDF-1.4 demo")
    view.table.selectRow(0)
    view.retry_selected()
    qtbot.waitUntil(lambda: view.jobs and view.jobs[0].state == "pending", timeout=5000)
    view.send_now()
    qtbot.waitUntil(lambda: view._drain is None and view.table.rowCount() == 0, timeout=10000)
    view.timer.stop()
