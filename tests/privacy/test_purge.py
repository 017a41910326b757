"""``motcua privacy purge``: local copies of closed, delivered dossiers' personal data go.

Before, nothing was ever deleted: every citizen's name, CCCD number, scans and receipts
stayed on the workstation for as long as it ran.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.auth import Actor, Role
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent, DigitizedFile, Dossier, DossierStatus
from desktop.kernel.errors import InvalidInput, PermissionDenied
from desktop.kernel.timeutil import now_vn
from desktop.outbox.models import OutboxJob
from desktop.privacy.purge import cutoff
from tests.cli import motcua
from tests.outbox.exempt import exempt_components

ADMIN = Actor.cli()
def tomorrow() -> date:
    """Asked at each use: a constant taken at import went stale when the run crossed midnight in
    Vietnam (17:00 UTC), and 15 purge tests failed in CI's evening."""
    return now_vn().date() + timedelta(days=1)


def _dossier(ctx: AppContext, name: str, cccd: str) -> tuple[str, list[Path]]:
    """A dossier with a digitized file, a receipt and a scan spool, as the counter leaves them."""
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=name, applicant_id_number=cccd,
                             applicant_address="12 Lê Lợi, Quy Nhơn", applicant_phone="0905123456",
                             components=exempt_components(1))
    folder = ctx.settings.files_dir / "dossiers" / d.code
    folder.mkdir(parents=True)
    pdf = folder / "TP0.pdf"
    pdf.write_bytes(b"%PDF-1.4 " + cccd.encode() * 10)
    ctx.dossiers.attach_file(ADMIN, d.code, pdf, component="TP0")
    receipt = ctx.settings.data_dir / "receipts" / f"{d.code}.pdf"
    receipt.parent.mkdir(exist_ok=True)
    receipt.write_bytes(b"%PDF-1.4 receipt")
    spool = ctx.settings.files_dir / "spool" / d.code / "TP0"
    spool.mkdir(parents=True)
    (spool / "000001.png").write_bytes(b"png")
    return d.code, [pdf, receipt, spool / "000001.png"]


@pytest.fixture(params=["sqlite", "postgres"])
def work(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AppContext]:
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    c = AppContext(load_settings(tmp_path / "data", db_url=url or ""))
    yield c
    c.close()


def test_purge_deletes_closed_delivered_dossiers_personal_data_and_only_those(work: AppContext) -> None:
    ctx = work
    closed, closed_files = _dossier(ctx, "Phan Thị Thanh Tâm", "079301234567")
    still_open, open_files = _dossier(ctx, "Võ Văn Kiệt", "079301234568")
    ctx.dossiers.set_status(ADMIN, closed, DossierStatus.WITHDRAWN, note="Chị Tâm rút hồ sơ")
    assert ctx.outbox.drain(ADMIN)["delivered"] >= 5
    system_copy = ctx.settings.data_dir / "dossier-system" / closed
    assert (system_copy / "dossier.json").is_file()
    undelivered, undelivered_files = _dossier(ctx, "Lý Thường Kiệt", "079301234569")
    ctx.dossiers.set_status(ADMIN, undelivered, DossierStatus.STOPPED)  # closed, but its uploads wait

    plan = ctx.privacy.purge(ADMIN, tomorrow(), dry_run=True)
    assert [i.code for i in plan.items] == [closed] and plan.undelivered == [undelivered]
    listed = {str(p) for p in plan.items[0].paths}
    assert str(closed_files[1]) in listed and str(system_copy) in listed
    assert all(p.exists() for p in closed_files) and system_copy.is_dir()  # a dry run changes nothing
    assert ctx.privacy.purge(ADMIN, now_vn().date()).items == []  # closed today: not before today

    report = ctx.privacy.purge(ADMIN, tomorrow())
    assert [i.code for i in report.items] == [closed]
    assert not any(p.exists() for p in closed_files) and not system_copy.exists()
    assert not (ctx.settings.files_dir / "dossiers" / closed).exists()
    assert all(p.exists() for p in open_files + undelivered_files)
    with ctx.db.session() as s:
        d = s.scalars(select(Dossier).where(Dossier.code == closed)).one()
        assert (d.applicant_name, d.applicant_id_number, d.applicant_address, d.applicant_phone) == ("", "", "", "")
        assert d.status == DossierStatus.WITHDRAWN and d.procedure.code == "1.001193" and d.received_at
        assert all(not h.note for h in d.status_history)
        assert s.scalars(select(DigitizedFile.sha256).where(DigitizedFile.dossier_id == d.id)).all()  # the record
        jobs = json.dumps([j.payload for j in s.scalars(select(OutboxJob).where(OutboxJob.dossier_id == d.id))],
                          ensure_ascii=False)
        assert "Tâm" not in jobs and "079301234567" not in jobs
        other = s.scalars(select(Dossier).where(Dossier.code == still_open)).one()
        assert other.applicant_name == "Võ Văn Kiệt"
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.purge")).all()
        assert [(e.entity_id, e.actor) for e in events] == [(closed, ADMIN.audit_name)]
        assert not ctx.audit.verify(s)  # audited in the chain, which still verifies
    assert ctx.privacy.purge(ADMIN, tomorrow()).items == []  # nothing left: nothing twice


def test_purge_needs_an_administrator_and_a_date(ctx: AppContext) -> None:
    officer = Actor(officer_id=None, username="lan", role=Role.COUNTER_OFFICER)
    with pytest.raises(PermissionDenied):
        ctx.privacy.purge(officer, tomorrow(), dry_run=True)
    ctx.settings.retention_days = 0
    with pytest.raises(InvalidInput):
        cutoff(ctx.settings, None)
    ctx.settings.retention_days = 30
    assert cutoff(ctx.settings, None, today=date(2026, 3, 31)) == date(2026, 3, 1)


def test_the_command_signs_in_and_says_what_would_go(tmp_path: Path) -> None:
    r = motcua(tmp_path, "privacy", "purge", "--before", tomorrow().isoformat(), "--dry-run", user=None)
    assert r.returncode != 0  # not signed in
    r = motcua(tmp_path, "privacy", "purge", "--before", tomorrow().isoformat(), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "Chạy thử" in r.stdout


def test_purge_blanks_the_officers_notes_about_the_case_and_past_bookings(work: AppContext) -> None:
    """Found on review: supplement-request and due-change reasons, hand-off notes and the
    booking system's names and phones stayed after a purge ("Chị Tâm chưa nộp CCCD ...")."""
    from datetime import UTC, datetime

    from desktop.db.models import DossierPause
    from desktop.lifecycle.models import DueChange, Handoff
    from desktop.queue.models import Appointment

    ctx = work
    code, _files = _dossier(ctx, "Phan Thị Thanh Tâm", "079301234567")
    ctx.dossiers.set_status(ADMIN, code, DossierStatus.WITHDRAWN)
    ctx.outbox.drain(ADMIN)
    past = datetime(2020, 3, 2, 1, tzinfo=UTC)
    with ctx.db.session() as s:
        did = s.scalars(select(Dossier.id).where(Dossier.code == code)).one()
        s.add(DossierPause(dossier_id=did, started_at=past, ended_at=past, reason="Chị Tâm chưa nộp bản sao CCCD"))
        s.add(DueChange(dossier_id=did, kind="extend", reason="Bà Tâm nằm viện, xin gia hạn"))
        s.add(Handoff(dossier_id=did, status=4, receiver="Phòng Tư pháp", note="Gọi chị Tâm 0905123456"))
        s.add(Appointment(code="BK-1", service_code="TP", name="Phan Thị Thanh Tâm", phone="0905123456", slot_at=past))
        s.add(Appointment(code="BK-2", service_code="TP", name="Người hẹn sau", phone="0905000000",
                          slot_at=datetime(2999, 1, 1, tzinfo=UTC)))
    plan = ctx.privacy.purge(ADMIN, tomorrow(), dry_run=True)
    assert {"pause_reason", "due_change_reason", "handoff_note"} <= set(plan.items[0].fields)
    assert plan.appointments == 1
    report = ctx.privacy.purge(ADMIN, tomorrow())
    assert report.appointments == 1
    with ctx.db.session() as s:
        assert set(s.scalars(select(DossierPause.reason))) == {""}
        assert set(s.scalars(select(DueChange.reason))) == {""}
        assert set(s.scalars(select(Handoff.note))) == {""}
        assert "Phòng Tư pháp" in set(s.scalars(select(Handoff.receiver)))  # a unit, not the citizen
        bookings = {a.code: (a.name, a.phone) for a in s.scalars(select(Appointment))}
        assert bookings == {"BK-1": ("", ""), "BK-2": ("Người hẹn sau", "0905000000")}
        assert not ctx.audit.verify(s)
    again = ctx.privacy.purge(ADMIN, tomorrow())
    assert again.items == [] and again.appointments == 0


def _national_copy(ctx: AppContext, name: str, cccd: str = "079301234567") -> Path:
    """A copy taken from the national store for a reuse, as ``DocumentStore.reuse_national`` keeps it."""
    from desktop.store.models import StoredDocument

    path = ctx.privacy.national_dir / cccd / f"{name}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 " + name.encode())
    with ctx.db.session() as s:
        s.add(StoredDocument(id_number=cccd, doc_type="GCS", number=f"{name}/GKS", path=str(path), sha256="0" * 64,
                             source_dossier="000.00.31.H56-260101-0001"))
    return path


def _reused_in(ctx: AppContext, code: str, path: Path) -> None:
    """Dossier ``code`` uses the stored file ``path`` for its component (a reuse: no copy of its own)."""
    with ctx.db.session() as s:
        d = s.scalars(select(Dossier).where(Dossier.code == code)).one()
        s.add(DigitizedFile(dossier_id=d.id, component_id=d.components[0].id, kind="component", path=str(path),
                            filename=path.name, sha256="0" * 64, size=path.stat().st_size, reused=True,
                            signature_state="verified"))


def test_purge_removes_the_national_stores_copies_no_kept_dossier_uses(work: AppContext) -> None:
    """Found on review (issue 14): copies fetched from the national store for a reuse lived on
    under files/national-store/ with the citizen's ID number in their index entry, for ever."""
    import os

    from desktop.store.models import StoredDocument

    ctx = work
    unused = _national_copy(ctx, "unused")
    in_open = _national_copy(ctx, "in-open")
    in_closed = _national_copy(ctx, "in-closed")
    orphan = ctx.privacy.national_dir / "079301234567" / ".leftover.pdf.part"  # an import that was cut off
    orphan.write_bytes(b"%PDF-1.4 part")
    still_open, _ = _dossier(ctx, "Võ Văn Kiệt", "079301234568")
    closed, _ = _dossier(ctx, "Phan Thị Thanh Tâm", "079301234567")
    _reused_in(ctx, still_open, in_open)
    _reused_in(ctx, closed, in_closed)
    # the open dossier reused the closed one's own digitized file: it stays while the open one uses it
    with ctx.db.session() as s:
        shared = Path(s.scalars(select(DigitizedFile.path).join(Dossier).where(Dossier.code == closed)).first() or "")
    _reused_in(ctx, still_open, shared)
    ctx.dossiers.set_status(ADMIN, closed, DossierStatus.WITHDRAWN)
    ctx.outbox.drain(ADMIN)

    # taken today: not older than a cut-off in the past
    recent = ctx.privacy.purge(ADMIN, now_vn().date() - timedelta(days=10))
    assert recent.national_copies == [] and unused.exists()
    os.utime(orphan, (0, 0))
    plan = ctx.privacy.purge(ADMIN, tomorrow(), dry_run=True)
    assert sorted(plan.national_copies) == sorted([unused, in_closed, orphan]) and unused.exists()

    report = ctx.privacy.purge(ADMIN, tomorrow())
    assert [i.code for i in report.items] == [closed]
    assert sorted(report.national_copies) == sorted([unused, in_closed, orphan])
    assert not unused.exists() and not in_closed.exists() and not orphan.exists()
    assert in_open.exists() and shared.is_file()
    with ctx.db.session() as s:
        assert set(s.scalars(select(StoredDocument.path).where(StoredDocument.file_id.is_(None)))) == {str(in_open)}
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.purge_national_copies")).all()
        assert (event.actor, event.data["copies"], event.data["entries"]) == (ADMIN.audit_name, 3, 2)
        assert not ctx.audit.verify(s)
    assert ctx.privacy.purge(ADMIN, tomorrow()).national_copies == []  # nothing twice


def test_a_purge_of_more_dossiers_than_a_statement_may_bind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Years of closed dossiers are more than one SQL statement may bind (SQLite 32,766,
    PostgreSQL's protocol 65,535). Before, the run bound every closed dossier's id in one
    statement, for every dossier it purged: here SQLite's limit is lowered to 40 on the
    connection and 60 closed, delivered dossiers are purged (the old code: "too many SQL
    variables"), a reused file still kept for the one dossier that stays. The paths asked
    about go 20 to a statement here (500 in use: under SQLite's old limit of 999 too)."""
    import sqlite3

    from sqlalchemy import event

    from desktop.privacy import purge

    monkeypatch.setattr(purge, "_SLICE", 20, raising=False)  # (raising=False: the old code had no slices)

    ctx = AppContext(load_settings(tmp_path / "data"))
    try:
        codes = []
        for i in range(60):
            code, _files = _dossier(ctx, f"Người {i}", f"0793012{i:05d}")
            ctx.dossiers.set_status(ADMIN, code, DossierStatus.WITHDRAWN)
            codes.append(code)
        kept = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Còn Mở",
                                    components=exempt_components(1))
        shared = Path(ctx.dossiers.files(codes[0])[0].path)
        _reused_in(ctx, kept.code, shared)
        assert ctx.outbox.drain(ADMIN)["delivered"] > 0
        while ctx.outbox.drain(ADMIN)["delivered"]:
            pass

        @event.listens_for(ctx.db.engine, "connect")
        def small_limit(conn: sqlite3.Connection, _record: object) -> None:
            conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 40)

        ctx.db.engine.dispose()  # the pooled connections go: every new one has the small limit
        plan = ctx.privacy.purge(ADMIN, tomorrow(), dry_run=True)
        assert sorted(i.code for i in plan.items) == sorted(codes)
        report = ctx.privacy.purge(ADMIN, tomorrow())
        assert sorted(i.code for i in report.items) == sorted(codes)
        assert shared.exists()  # the open dossier still uses it
        with ctx.db.session() as s:
            assert not s.scalars(select(Dossier.applicant_name).where(Dossier.code.in_(codes[:30]))).first()
    finally:
        ctx.close()
