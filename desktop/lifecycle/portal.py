"""The national portal's record of a dossier ("DongBoHoSoMC" fields), built from our tables.

A snapshot goes with every lifecycle transition (``DossierStatusChange.detail``, sent by
the outbox with the status), so the dossier system always receives the whole record:
documents with their digitized/reusable flags, results, fees, the supplement history with
previous and new due dates, and the process log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db.models import DigitizedFile, Dossier, DossierComponent, Officer
from desktop.kernel.timeutil import iso_vn
from desktop.lifecycle.models import DueChange, DueKind, Fee, Handoff, ResultReturn
from desktop.store.models import StoredDocument

OWNER_CITIZEN = "citizen"


def _t(dt: datetime | None) -> str | None:
    return iso_vn(dt) if dt is not None else None


def portal_record(s: Session, d: Dossier) -> dict[str, Any]:
    officers = {o.id: o for o in s.scalars(select(Officer))}

    def who(officer_id: int | None) -> str:
        o = officers.get(officer_id) if officer_id is not None else None
        return o.full_name or o.username if o else ""

    files = list(s.scalars(select(DigitizedFile).where(DigitizedFile.dossier_id == d.id).order_by(DigitizedFile.id)))
    comps = {c.id: c for c in s.scalars(select(DossierComponent).where(DossierComponent.dossier_id == d.id))}
    # a copy taken from the national store is indexed with no file of its own (file_id NULL);
    # a reuse from this centre's store points at the dossier file it came from
    reused = [f.path for f in files if f.reused]
    national = set(s.scalars(select(StoredDocument.path).where(StoredDocument.file_id.is_(None),
                                                                StoredDocument.path.in_(reused)))) if reused else set()
    documents = [{"component_code": comps[f.component_id].code if f.component_id in comps else "",
                  "component_name": comps[f.component_id].name if f.component_id in comps else "",
                  "file": f.filename, "sha256": f.sha256, "digitized": f.digitized, "reusable": f.reusable,
                  "from_national_store": f.reused and f.path in national, "kind": f.kind}
                 for f in files if f.kind != "result"]
    results = [{"file": f.filename, "sha256": f.sha256, "digitized": f.digitized, "reusable": f.reusable,
                "signature_state": f.signature_state, "signed_at": _t(f.signed_at),
                "valid_until": f.valid_until.isoformat() if f.valid_until else None}
               for f in files if f.kind == "result"]
    fees = [{"name": f.name, "code": f.code, "collection": f.collection, "amount": f.amount, "state": f.state,
             "method": f.method, "receipt_ref": f.receipt_ref, "paid_at": _t(f.paid_at)}
            for f in s.scalars(select(Fee).where(Fee.dossier_id == d.id).order_by(Fee.id))]
    changes = list(s.scalars(select(DueChange).where(DueChange.dossier_id == d.id).order_by(DueChange.id)))
    pauses = sorted(d.pauses, key=lambda p: p.started_at)
    supplements = []
    for p in pauses:
        resumed = next((c for c in changes if c.kind == DueKind.RESUME and p.ended_at is not None
                        and c.at == p.ended_at), None)
        asked = next((c for c in changes if c.kind == DueKind.SUPPLEMENT and c.at == p.started_at), None)
        supplements.append({"by": who(asked.officer_id) if asked else "", "what": p.reason,
                            "components": list(p.components or []), "requested_at": _t(p.started_at),
                            "completed_at": _t(p.ended_at),
                            "previous_due": _t(asked.previous_due) if asked else None,
                            "new_due": _t(resumed.new_due) if resumed else None})
    log = [{"who": h.giver, "title": h.giver_title, "receiver": h.receiver, "at": _t(h.at),
            "department": h.department, "action": h.action, "status": h.status, "start": _t(h.at),
            "due": _t(h.step_due), "outcome": h.outcome, "note": h.note}
           for h in s.scalars(select(Handoff).where(Handoff.dossier_id == d.id).order_by(Handoff.id))]
    ret = s.scalars(select(ResultReturn).where(ResultReturn.dossier_id == d.id).order_by(ResultReturn.id)).all()
    return {
        "code": d.code, "status": d.status, "channel": d.channel,
        "owner_type": OWNER_CITIZEN,
        "received_at": _t(d.received_at), "due_at": _t(d.due_at), "legal_due_at": _t(d.legal_due_at),
        "done_at": _t(d.done_at), "returned_at": _t(d.returned_at),
        "digitized_components": any(f.digitized for f in files if f.kind == "component"),
        "documents": documents, "results": results, "fees": fees, "supplement_history": supplements,
        "due_changes": [{"kind": c.kind, "at": _t(c.at), "previous_due": _t(c.previous_due),
                         "new_due": _t(c.new_due), "reason": c.reason, "by": who(c.officer_id)} for c in changes],
        "process_log": log,
        "returns": [{"channel": r.channel, "state": r.state, "at": _t(r.at), "recipient": r.recipient_name,
                     "waybill": r.waybill, "sent_at": _t(r.sent_at), "delivered_at": _t(r.delivered_at)}
                    for r in ret],
    }
