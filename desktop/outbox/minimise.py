"""What a delivered outbox job keeps: the record of the delivery, not the citizen's data.

Once the dossier system has a job, its stored payload is only the trace that it went —
codes, ids, hashes, dates, status — and a SHA-256 of what was sent, so a later dispute can
still be settled against the dossier system's copy. Names, ID numbers, addresses, phones,
e-mails, free-text notes and file names (officers type citizens' names into them) go.
A whitelist, not a blacklist: a field added to a payload later is dropped until someone
decides it is not personal.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

#: per job kind, the top-level keys kept after delivery
KEEP: dict[str, frozenset[str]] = {
    "dossier": frozenset({"code", "procedure_code", "field", "channel", "status", "received_at", "due_at"}),
    "file": frozenset({"file_id", "sha256", "size", "pages", "kind", "component_code", "digitized", "reusable",
                       "reused", "signature_state", "valid_until"}),
    "status": frozenset({"status", "at", "seq", "action"}),
    # the audit chain head: a workstation id, a number and a hash — nothing personal
    "anchor": frozenset({"workstation", "seq", "hash", "at"}),
    # a notice to the citizen: which form, which file, when; the address and the texts go
    "email": frozenset({"form", "sha256", "queued_at", "message_id"}),
    "sms": frozenset({"form", "sha256", "queued_at", "encoding", "parts"}),
}
#: of the portal record sent with a status, the keys kept (dates and status only)
PORTAL_KEEP = frozenset({"code", "status", "channel", "received_at", "due_at", "legal_due_at", "done_at",
                         "returned_at", "digitized_components"})
#: marks a payload already minimised (its hash is of the payload as it was sent)
MARK = "minimised"


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def delivered_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` reduced to what the record of a delivered ``kind`` job needs (idempotent)."""
    if payload.get(MARK):
        return payload
    keep = KEEP.get(kind, frozenset())
    out: dict[str, Any] = {k: v for k, v in payload.items() if k in keep}
    if kind == "dossier":
        out["documents"] = [{"code": d.get("code", "")} for d in payload.get("documents") or []
                            if isinstance(d, dict)]
    if kind == "status" and isinstance(payload.get("portal"), dict):
        out["portal"] = {k: v for k, v in payload["portal"].items() if k in PORTAL_KEEP}
    out["sent_sha256"] = payload_hash(payload)
    out[MARK] = True
    return out


__all__ = ["KEEP", "MARK", "delivered_payload", "payload_hash"]
