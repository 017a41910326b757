"""No ID number or phone in the free texts of new audit events.

The audit log is kept for ever and is hash-chained (never rewritten, never purged). Before,
a status note or a reason typed with a citizen's CCCD or phone in it went into the chain as
typed, out of the purge's reach for good.
"""

from __future__ import annotations

from sqlalchemy import select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import AuditEvent, DossierStatus
from tests.outbox.exempt import exempt_components

ADMIN = Actor.cli()


def test_a_note_with_a_cccd_and_a_phone_is_masked_before_it_is_chained(ctx: AppContext) -> None:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Phan Thị Tâm",
                             applicant_id_number="079301234567", components=exempt_components(1))
    note = "Chị Tâm (CCCD 079 301 234 567, SĐT 0905.123.456) rút hồ sơ; lệ phí 50.000 đồng hoàn lại"
    ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.WITHDRAWN, note=note)
    with ctx.db.session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == d.code)
                       .order_by(AuditEvent.seq.desc())).first()
        assert ev is not None and "note" in ev.data
        written = ev.data["note"]
        assert "234 567" not in written and "0905" not in written and "123.456" not in written
        assert written.startswith("Chị Tâm (CCCD ") and "50.000 đồng" in written  # the rest as typed
        assert ev.data["to"] == DossierStatus.WITHDRAWN
        assert not ctx.audit.verify(s)  # masked before hashing: the chain verifies
