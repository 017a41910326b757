"""Dossier reception: codes, due date, components, files, status changes, listeners, roles.

The calendar here is a double that adds whole calendar days, so these tests check the
dossier service alone; the real working-day arithmetic has its own tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.auth import Actor
from desktop.config import Settings
from desktop.db import Database
from desktop.db.models import DossierStatus, Procedure, ProcedureComponent, Role
from desktop.dossiers import ComponentInput, DossierService
from desktop.kernel.errors import InvalidInput, NotFound, PermissionDenied
from desktop.kernel.timeutil import VN_TZ


class CalendarDouble:
    def __init__(self) -> None:
        self.calls: list[tuple[datetime, float, list]] = []  # type: ignore[type-arg]

    def due(self, received: datetime, days: float, pauses=None):  # type: ignore[no-untyped-def]
        self.calls.append((received, days, list(pauses or [])))
        extra = sum(((e - s) for s, e in (pauses or []) if e is not None), timedelta())
        return received + timedelta(days=days) + extra


OFFICER = Actor(username="cb.lan", role=Role.COUNTER_OFFICER, full_name="Trần Thị Lan")


@pytest.fixture(params=["sqlite", "postgres"])
def service(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'd.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    db = Database(url)
    db.migrate()
    with db.session() as s:
        p = Procedure(code="1.001193", name="Đăng ký khai sinh", search_key="dang ky khai sinh", days=5)
        p.components = [ProcedureComponent(position=1, code="TK", name="Tờ khai đăng ký khai sinh"),
                        ProcedureComponent(position=2, code="GCS", name="Giấy chứng sinh")]
        s.add(p)
    svc = DossierService(db, AuditLog(), CalendarDouble(), Settings(data_dir=tmp_path, unit_code="000.00.06.H56"))
    yield svc
    db.dispose()


WHEN = datetime(2023, 10, 27, 9, 32, tzinfo=VN_TZ)


def test_receive_gives_code_due_date_components_and_audit(service: DossierService) -> None:
    d = service.receive(OFFICER, procedure_code="1.001193", applicant_name="Nguyễn Văn Bình",
                        applicant_id_number="079201001234", received_at=WHEN)
    assert d.code == "000.00.06.H56-231027-0001"
    assert d.due_at == WHEN + timedelta(days=5)
    assert [c for c, _ in d.components] == ["TK", "GCS"]
    assert d.status == DossierStatus.RECEIVED
    with service.db.session() as s:
        events = service.audit.recent(s)
        assert events[0].action == "dossier.receive" and events[0].entity_id == d.code
        assert service.audit.verify(s) == []


def test_listeners_run_inside_the_transaction(service: DossierService, tmp_path: Path) -> None:
    seen: list[str] = []
    service.add_listener(lambda session, event, payload: seen.append(event))
    d = service.receive(OFFICER, procedure_code="1.001193", applicant_name="A", received_at=WHEN,
                        components=[ComponentInput(name="Tờ khai", code="TK")])
    pdf = tmp_path / "tk.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    f = service.attach_file(OFFICER, d.code, pdf, component="TK", pages=1)
    assert len(f.sha256) == 64 and f.component_code == "TK"
    service.set_status(OFFICER, d.code, DossierStatus.PROCESSING)
    assert seen == ["dossier.received", "file.attached", "status.changed"]

    def broken(session, event, payload):  # type: ignore[no-untyped-def]
        raise RuntimeError("outbox unavailable")

    service.add_listener(broken)
    with pytest.raises(RuntimeError):
        service.receive(OFFICER, procedure_code="1.001193", applicant_name="B", received_at=WHEN)
    # the failed reception left nothing behind, not even its number
    service._listeners.remove(broken)
    d3 = service.receive(OFFICER, procedure_code="1.001193", applicant_name="C", received_at=WHEN)
    assert d3.code.endswith("-0002")


def test_request_to_complete_pauses_the_clock(service: DossierService) -> None:
    d = service.receive(OFFICER, procedure_code="1.001193", applicant_name="A", received_at=WHEN)
    service.set_status(OFFICER, d.code, DossierStatus.SUPPLEMENT_REQUESTED, note="Thiếu giấy chứng sinh")
    service.set_status(OFFICER, d.code, DossierStatus.PROCESSING)
    after = service.get(d.code)
    assert after.due_at is not None and after.due_at > d.due_at  # type: ignore[operator]
    _, _, pauses = service.calendar.calls[-1]  # type: ignore[attr-defined]
    assert len(pauses) == 1 and pauses[0][1] is not None


def test_bad_input_is_refused_with_a_clear_message(service: DossierService) -> None:
    with pytest.raises(NotFound, match="Không có thủ tục mã “9.999999”"):
        service.receive(OFFICER, procedure_code="9.999999", applicant_name="A")
    with pytest.raises(InvalidInput, match="Số định danh"):
        service.receive(OFFICER, procedure_code="1.001193", applicant_name="A", applicant_id_number="12ab")
    with pytest.raises(InvalidInput):
        service.receive(OFFICER, procedure_code="1.001193", applicant_name="  ")
    with pytest.raises(NotFound):
        service.get("000.00.06.H56-231027-9999")


def test_roles_are_checked_in_the_core(service: DossierService, tmp_path: Path) -> None:
    supervisor = Actor(username="ld", role=Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        service.receive(supervisor, procedure_code="1.001193", applicant_name="A")
    d = service.receive(Actor(username="bd", role=Role.POSTAL_AGENT), procedure_code="1.001193",
                        applicant_name="A", received_at=WHEN)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(PermissionDenied):
        service.attach_file(supervisor, d.code, pdf)
    with service.db.session() as s:
        assert s.scalar(select(Procedure.code)) == "1.001193"


def test_search_ocr_text_ignores_diacritics_and_case(service: DossierService, tmp_path: Path) -> None:
    admin = Actor.cli()
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 demo")
    d1 = service.receive(admin, procedure_code="1.001193", applicant_name="Trần Văn Đức")
    d2 = service.receive(admin, procedure_code="1.001193", applicant_name="Lê Thị Mai")
    service.attach_file(admin, d1.code, pdf, component="TK",
                        ocr_text="TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ\nHọ, chữ đệm và tên: Trần Văn Đức")
    service.attach_file(admin, d2.code, pdf, component="TK", ocr_text="Họ và tên: Lê Thị Mai, phường Quy Nhơn")
    hits = service.search_text("tran van duc")
    assert [f.dossier_code for f, _ in hits] == [d1.code] and "Trần Văn Đức" in hits[0][1]
    assert [f.dossier_code for f, _ in service.search_text("HỌ TÊN")] == [d2.code, d1.code]  # newest first
    assert service.search_text("Quy Nhơn Đức") == []
    with pytest.raises(InvalidInput):
        service.search_text("  ")


def test_signature_state_is_the_enum_and_nothing_else(service: DossierService, tmp_path: Path) -> None:
    """A file's signature state reads back as SignatureState, and a string outside it (a typo,
    a caller's own word) is refused before it reaches the row: the outbox holds back a copy
    unless it reads exactly VERIFIED, so a stray "Verified" would have kept it back for ever."""
    from sqlalchemy.exc import StatementError

    from desktop.db.models import DigitizedFile, SignatureState

    d = service.receive(OFFICER, procedure_code="1.001193", applicant_name="A", received_at=WHEN,
                        components=[ComponentInput(name="Tờ khai", code="TK")])
    pdf = tmp_path / "tk.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    f = service.attach_file(OFFICER, d.code, pdf, component="TK", pages=1)
    with service.db.session() as s:
        row = s.get(DigitizedFile, f.id)
        assert row is not None and type(row.signature_state) is SignatureState
        assert row.signature_state is SignatureState.UNSIGNED
    with pytest.raises(StatementError), service.db.session() as s:
        row = s.get(DigitizedFile, f.id)
        assert row is not None
        row.signature_state = "Verified"  # type: ignore[assignment]
    with service.db.session() as s:
        row = s.get(DigitizedFile, f.id)
        assert row is not None and row.signature_state is SignatureState.UNSIGNED
