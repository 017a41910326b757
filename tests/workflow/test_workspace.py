"""The dossier workspace's reads and edits on a real database: reception with the
checklist, the list's search and filters, the page's slots, upload states and history,
version conflicts between two officers, and withdrawing a mistaken dossier."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.base import utcnow
from desktop.db.models import DossierStatus, Role
from desktop.kernel.errors import Conflict, InvalidInput
from desktop.outbox.models import OutboxJob, OutboxState
from desktop.workflow.flow import SlotState, UploadState
from desktop.workflow.workspace import DossierQuery, Due

ADMIN = Actor.cli()
BIRTH = "1.001193"  # TK, GCS required; GTTT required, paper only; UQ optional


@pytest.fixture
def officer(ctx: AppContext) -> Actor:
    ctx.auth.create_officer(ADMIN, username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    return next(a for a in ctx.auth.officers() if a.username == "lan")


def _pdf(tmp_path: Path, name: str) -> Path:
    p = tmp_path / name
    p.write_bytes(b"%PDF-1.4\n% test\n%%EOF\n")
    return p


def test_reception_is_blocked_by_a_missing_required_component_unless_the_officer_asks_for_it(
        ctx: AppContext, officer: Actor) -> None:
    with pytest.raises(InvalidInput, match="Giấy chứng sinh|birth"):
        ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Lê Văn Tám", brought={"TK", "GTTT"})
    assert ctx.workspace.count() == 0  # nothing recorded
    d = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Lê Văn Tám", brought={"TK", "GTTT"},
                            supplement_reason="Thiếu giấy chứng sinh")
    page = ctx.workspace.page(d.code)
    assert page.status == DossierStatus.SUPPLEMENT_REQUESTED
    states = {s.code: s.state for s in page.progress.slots}
    assert states == {"TK": SlotState.TO_DIGITIZE, "GCS": SlotState.NOT_BROUGHT, "GTTT": SlotState.PAPER_ONLY,
                      "UQ": SlotState.NOT_BROUGHT}
    assert [s.code for s in page.progress.missing_required] == ["GCS"]


def test_the_page_shows_each_slot_with_its_files_signature_and_upload_state(ctx: AppContext, officer: Actor,
                                                                             tmp_path: Path) -> None:
    d = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Phạm Thị Đào",
                            brought={"TK", "GCS", "GTTT"})
    ctx.dossiers.attach_file(officer, d.code, _pdf(tmp_path, "tk.pdf"), component="TK", pages=2)
    page = ctx.workspace.page(d.code)
    tk = page.progress.by_code["TK"]
    assert tk.state == SlotState.TO_SIGN and tk.pages == 2
    assert tk.files[0].upload == UploadState.WAITING_SIGNATURE and "ký" in tk.files[0].reason
    assert page.progress.next_slot(after="TK").code == "GCS"  # type: ignore[union-attr]
    assert page.progress.dossier_upload == UploadState.QUEUED
    # a parked upload shows with its reason, on the slot and on the dossier as a whole
    with ctx.db.session() as s:
        for j in s.query(OutboxJob).filter(OutboxJob.dossier_code == d.code):
            if j.kind == "file":
                j.state, j.last_error = OutboxState.PARKED.value, "HTTP 413: quá lớn"
    page = ctx.workspace.page(d.code)
    assert page.progress.by_code["TK"].upload == UploadState.PARKED
    assert page.progress.by_code["TK"].files[0].reason == "HTTP 413: quá lớn"
    assert page.progress.upload == UploadState.PARKED
    whats = [h.what for h in page.history]
    assert "file.attach" in whats and "status" in whats
    assert "dossier.receive" not in whats  # the "received" status row says it once


def test_the_list_searches_code_name_and_id_number_with_or_without_marks(ctx: AppContext, officer: Actor) -> None:
    a = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Nguyễn Văn Đức",
                            applicant_id_number="079301234567")
    b = ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Trần Thị Hoa")
    find = ctx.workspace.find
    assert [r.code for r in find(DossierQuery(text="duc"))] == [a.code]
    assert [r.code for r in find(DossierQuery(text="NGUYỄN đức"))] == [a.code]
    assert [r.code for r in find(DossierQuery(text="0793012"))] == [a.code]
    assert [r.code for r in find(DossierQuery(text=b.code[-6:]))] == [b.code]
    assert find(DossierQuery(text="100%_")) == []  # LIKE's wildcards are text here
    assert {r.code for r in find(DossierQuery())} == {a.code, b.code}
    row = next(r for r in find(DossierQuery()) if r.code == a.code)
    assert row.to_digitize == 3 and row.digitized == 0 and row.officer == "lan"


def test_the_list_filters_by_status_due_today_late_and_received_date(ctx: AppContext, officer: Actor) -> None:
    old = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Võ Văn Cũ",
                              received_at=utcnow() - timedelta(days=40))
    new = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Võ Văn Mới")
    find = ctx.workspace.find
    late = find(DossierQuery(due=Due.LATE))
    assert [r.code for r in late] == [old.code] and late[0].late and late[0].remaining_minutes < 0  # type: ignore[operator]
    assert new.code not in [r.code for r in find(DossierQuery(due=Due.LATE))]
    today = utcnow().date()
    assert [r.code for r in find(DossierQuery(received_from=today - timedelta(days=1)))] == [new.code]
    ctx.workspace.withdraw(officer, new.code, ctx.workspace.page(new.code).version, "Nhận nhầm")
    assert [r.code for r in find(DossierQuery(status=DossierStatus.WITHDRAWN))] == [new.code]
    assert new.code not in [r.code for r in find(DossierQuery(open_only=True))]


def test_a_second_officer_editing_an_old_version_gets_a_conflict_and_nothing_is_overwritten(
        ctx: AppContext, officer: Actor) -> None:
    d = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Đặng Thu Thảo")
    seen_by_a = ctx.workspace.page(d.code).version
    seen_by_b = seen_by_a
    new = ctx.workspace.update_applicant(officer, d.code, seen_by_a, phone="0901234567")
    assert new > seen_by_a
    with pytest.raises(Conflict, match="người khác|someone else"):
        ctx.workspace.update_applicant(officer, d.code, seen_by_b, phone="0911111111")
    assert ctx.workspace.page(d.code).applicant_phone == "0901234567"
    with pytest.raises(Conflict):
        ctx.workspace.withdraw(officer, d.code, seen_by_b, "Nhận nhầm")
    with pytest.raises(Conflict):
        ctx.workspace.set_brought(officer, d.code, seen_by_b, "UQ", False)
    # a lifecycle change moves the version on too
    ctx.workspace.set_brought(officer, d.code, new, "UQ", False)
    assert ctx.workspace.page(d.code).progress.by_code["UQ"].state == SlotState.NOT_BROUGHT


def test_a_mistaken_dossier_is_withdrawn_with_a_reason_and_the_ticket_can_be_received_again(
        ctx: AppContext, officer: Actor) -> None:
    ctx.queue.issue(ADMIN, "TP")
    called = ctx.queue.call_next(officer, 1)
    assert called is not None
    d = ctx.counter.receive(officer, procedure_code="1.000656", applicant_name="Hồ Văn Nhầm", ticket_id=called.id)
    with pytest.raises(Conflict):  # the second click: refused, the ticket is linked
        ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Hồ Văn Nhầm", ticket_id=called.id)
    page = ctx.workspace.page(d.code)
    assert page.ticket_id == called.id and page.ticket_number == called.number
    with pytest.raises(InvalidInput):
        ctx.workspace.withdraw(officer, d.code, page.version, "  ")
    ctx.workspace.withdraw(officer, d.code, page.version, "Chọn nhầm thủ tục")
    page = ctx.workspace.page(d.code)
    assert page.status == DossierStatus.WITHDRAWN and page.closed
    assert any(h.status == DossierStatus.WITHDRAWN and "nhầm" in h.detail for h in page.history)
    again = ctx.counter.receive(officer, procedure_code=BIRTH, applicant_name="Hồ Văn Nhầm", ticket_id=called.id)
    assert again.code != d.code
