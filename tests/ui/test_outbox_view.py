"""Outbox screen over the real background uploader: copies wait for their signature, a
deleted file parks with its reason, "retry" sends it once it is back — nobody drains."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.outbox.models import OutboxState
from tests.outbox.exempt import exempt_components
from ui.outbox_view import OutboxView
from ui.services import UiServices


def test_waiting_parked_retry_sent_by_the_uploader(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin = Actor.cli()
    services = UiServices(ctx, start_uploader=False)
    try:
        signed_later = ctx.dossiers.receive(admin, procedure_code="1.001193", applicant_name="Lê Thị Mai")
        tk = tmp_path / "tk.pdf"
        tk.write_bytes(b"%PDF-1.4 to be signed")
        ctx.dossiers.attach_file(admin, signed_later.code, tk, component="TK")
        d = ctx.dossiers.receive(admin, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                                 components=exempt_components(1))
        pdf = tmp_path / "tp.pdf"
        pdf.write_bytes(b"%PDF-1.4 demo")
        ctx.dossiers.attach_file(admin, d.code, pdf, component="TP0")
        pdf.unlink()  # deleted before upload: the file job will park
        view = OutboxView(ctx.outbox, services.uploads, admin, workers=workers)
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: view.table.rowCount() == 4, timeout=5000)
        ctx.uploader.start()
        # the dossiers go, the copy waiting for its signature stays, the deleted file parks
        qtbot.waitUntil(lambda: sorted(j.state for j in view.jobs) == ["parked", "waiting"], timeout=10000)
        parked = next(r for r, j in enumerate(view.jobs) if j.state == OutboxState.PARKED)
        waiting = next(r for r, j in enumerate(view.jobs) if j.state == OutboxState.WAITING)
        assert "xóa" in view.table.item(parked, 5).text()
        assert "ký số" in view.table.item(waiting, 5).text()
        assert "Bộ gửi" in view.state_label.text() or "Uploader" in view.state_label.text()
        pdf.write_bytes(b"%PDF-1.4 demo")
        view.table.selectRow(parked)
        view.retry_selected()
        qtbot.waitUntil(lambda: [j.state for j in view.jobs] == ["waiting"], timeout=10000)
        view.timer.stop()
    finally:
        services.close()


@pytest.mark.log_warnings("parked: its sender stopped", "took over")
def test_the_poison_job_is_shown_parked_with_its_reason_and_retried_by_hand(workers,   # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path) -> None:
    """A job whose sender died ``MAX_TAKEOVERS`` times in a row shows as parked, saying so;
    "Retry selected" gives it another go with both counts at 0."""
    from sqlalchemy import select, update

    from desktop.kernel.timeutil import utcnow
    from desktop.outbox.models import OutboxJob
    from desktop.outbox.service import HOST, MAX_TAKEOVERS
    from tests.outbox.test_takeover import _dead_pid

    admin = Actor.cli()
    services = UiServices(ctx, start_uploader=False)
    try:
        d = ctx.dossiers.receive(admin, procedure_code="1.001193", applicant_name="Lê Thị Mai",
                                 components=exempt_components(1))
        with ctx.db.session() as s:  # what the third SIGKILL in a row while sending it leaves
            s.execute(update(OutboxJob).where(OutboxJob.dossier_code == d.code).values(
                state="in_flight", attempts=MAX_TAKEOVERS, takeovers=MAX_TAKEOVERS - 1,
                holder=f"{HOST} {_dead_pid()} 1", next_attempt_at=utcnow()))
        ctx.settings.dossier_url = (tmp_path / "system").as_uri()  # a folder as the dossier system
        ctx.outbox.drain(admin)
        view = OutboxView(ctx.outbox, services.uploads, admin, workers=workers)
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: [j.state for j in view.jobs] == ["parked"], timeout=5000)
        assert f"đã dừng {MAX_TAKEOVERS} lần" in view.table.item(0, 5).text()
        view.table.selectRow(0)
        view.retry_selected()
        qtbot.waitUntil(lambda: [j.state for j in view.jobs] == ["pending"], timeout=5000)
        with ctx.db.session() as s:
            assert s.execute(select(OutboxJob.failures, OutboxJob.takeovers)).one() == (0, 0)
        view.timer.stop()
    finally:
        services.close()
