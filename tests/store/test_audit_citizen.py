"""No CCCD number in the audit log; a citizen's events are found by a keyed reference (issue 14).

Before: ``store.lookup`` kept the ID number as its entity, ``store.reuse``, ``store.import``,
``store.describe`` and ``store.reuse_refused`` as ``citizen`` (and the refusal's reason the path
of a national copy, ``national-store/<CCCD>/``), and a result handed back at the counter put the
recipient's number in the event's note: the log, kept for ever and never purged, listed who
came and with which number. Now each is :meth:`AuditLog.citizen_ref`, an HMAC with a key
derived from the workstation's, and ``motcua audit list --citizen`` finds a citizen's events
by computing it. A real flow (the bundled dossier server, SoftHSM2 signatures) and every
payload of the log scanned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.context import AppContext
from desktop.db import Database
from desktop.db.models import AuditEvent, DossierStatus
from desktop.kernel.errors import InvalidInput
from desktop.store.models import StoredDocument
from tests.cli import motcua
from tests.lifecycle.conftest import ID as RECIPIENT
from tests.lifecycle.conftest import bring_to
from tests.outbox.test_http import Server
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from tests.store.test_national import _ctx, _published, server
from tests.store.test_store import ADMIN, CITIZEN, OTHER, _new, _signed_dossier

__all__ = ["server"]
#: twelve digits standing alone (hashes are hex: a run of digits inside one is not a number)
CCCD = re.compile(r"(?<![0-9a-fA-F])\d{12}(?![0-9a-fA-F])")


def _log(ctx: AppContext) -> list[AuditEvent]:
    with ctx.db.session() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _flow(ctx: AppContext, hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    """Reception, look-ups, reuses (local and national), a refusal, a result handed back on a CCCD."""
    # OTHER: a signed copy of this centre, reused for the next dossier, described, listed
    _signed_dossier(ctx, hsm, pki, make_pdf, id_number=OTHER)
    again = _new(ctx, OTHER)
    doc = ctx.store.offers(ADMIN, again)["GCS"][0]
    ctx.store.reuse(ADMIN, again, "GCS", doc.id)
    ctx.store.describe(ADMIN, doc.id, number="123/2026")
    ctx.store.list_for(ADMIN, OTHER, why="công dân hỏi", include_expired=True)
    # CITIZEN: a copy in the national store (published by another commune), listed and taken
    second = _new(ctx)
    offer = ctx.store.look_up(ADMIN, second).slots["GCS"][0]
    ctx.store.list_national(ADMIN, CITIZEN, why="công dân hỏi")
    ctx.store.reuse_national(ADMIN, second, "GCS", offer.national_id)
    with ctx.db.session() as s:
        kept = Path(s.scalars(select(StoredDocument.path).where(StoredDocument.id_number == CITIZEN)).one())
    assert CITIZEN in kept.parts  # files/national-store/<CCCD>/: the refusal below names this path
    kept.unlink()
    third = _new(ctx)
    local = ctx.store.look_up(ADMIN, third).slots["GCS"][0]
    with pytest.raises(InvalidInput):
        ctx.store.reuse(ADMIN, third, "GCS", local.id)
    # RECIPIENT: a result handed back at the counter on the ID number
    bring_to(ctx, DossierStatus.RESULT_RETURNED, tmp_path)


def test_no_cccd_in_the_audit_log_and_audit_list_finds_the_citizen(tmp_path: Path, server: Server, hsm: HsmToken,
                                                                    pki: TestPKI, make_pdf: Callable[..., Path]) -> None:
    _published(tmp_path, server, hsm, pki, make_pdf)
    data = tmp_path / "ws"
    ctx = _ctx(data, server, pki)
    try:
        _flow(ctx, hsm, pki, make_pdf, tmp_path)
        events = _log(ctx)
        actions = {e.action for e in events}
        assert {"dossier.receive", "store.lookup", "store.reuse", "store.import", "store.describe",
                "store.reuse_refused", "dossier.return"} <= actions, actions
        for e in events:
            text = json.dumps([e.actor, e.entity_type, e.entity_id, e.data], ensure_ascii=False)
            assert not CCCD.search(text), f"#{e.seq} {e.action}: {text}"
            assert not any(n in text for n in (CITIZEN, OTHER, RECIPIENT)), f"#{e.seq} {e.action}: {text}"
        ref = {n: ctx.audit.citizen_ref(n) for n in (CITIZEN, OTHER, RECIPIENT)}
    finally:
        ctx.close()
    # the reference stands where the number stood
    lookups = [e for e in events if e.action == "store.lookup"]
    assert {e.entity_id for e in lookups} == {ref[CITIZEN], ref[OTHER]}
    refused = next(e for e in events if e.action == "store.reuse_refused")
    assert refused.data["citizen"] == ref[CITIZEN] and ref[CITIZEN] in refused.data["reason"]
    returned = next(e for e in events if e.action == "dossier.return")
    assert returned.data["recipient"] == ref[RECIPIENT] and returned.data["note"] == ref[RECIPIENT]

    # an officer asked "who looked at my data" answers with the citizen's number
    r = motcua(data, "--lang", "en", "audit", "list", "--citizen", CITIZEN, "--json")
    assert r.returncode == 0, r.stderr
    found = json.loads(r.stdout)
    mine = [e.seq for e in reversed(events) if e.entity_id == ref[CITIZEN] or (e.data or {}).get("citizen") == ref[CITIZEN]]
    assert [x["seq"] for x in found] == mine and {x["action"] for x in found} >= {
        "store.lookup", "store.import", "store.reuse", "store.reuse_refused"}
    assert all(x["actor"] == ADMIN.audit_name for x in found)
    r = motcua(data, "--lang", "en", "audit", "list", "--citizen", RECIPIENT)
    assert r.returncode == 0 and f"Citizen {ref[RECIPIENT]}: 1 events." in r.stdout and "dossier.return" in r.stdout
    # looking up the log by citizen is a look-up of that citizen too, found by the next one
    r = motcua(data, "audit", "list", "--citizen", RECIPIENT, "--json")
    assert [x["action"] for x in json.loads(r.stdout)] == ["audit.citizen_list", "dossier.return"]
    assert motcua(data, "audit", "verify", "--offline").returncode == 0


def test_the_reference_is_stable_keyed_and_hides_the_number() -> None:
    a, b = AuditLog(b"a" * 32), AuditLog(b"b" * 32)
    ref = a.citizen_ref(CITIZEN)
    assert re.fullmatch(r"[0-9a-f]{16}", ref) and CITIZEN not in ref
    assert a.citizen_ref(f" {CITIZEN} ") == AuditLog(b"a" * 32).citizen_ref(CITIZEN) == ref  # the same here
    assert b.citizen_ref(CITIZEN) != ref  # another workstation's key: another reference
    assert a.citizen_ref(OTHER) != ref and a.citizen_ref("") == ""
    assert AuditLog().citizen_ref(CITIZEN) not in (ref, b.citizen_ref(CITIZEN))
    assert a.scrub(f"/data/national-store/{CITIZEN}/x.pdf", CITIZEN) == f"/data/national-store/{ref}/x.pdf"


def test_events_written_before_references_are_found_by_the_number(tmp_path: Path) -> None:
    """The chain forbids rewriting the old events: ``audit list --citizen`` finds them as they are."""
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    db.migrate()
    log = AuditLog(b"k" * 32)
    try:
        with db.session() as s:
            log.record(s, actor="lan", action="store.lookup", entity_type="citizen", entity_id=CITIZEN, data={})
            log.record(s, actor="lan", action="store.reuse", entity_type="file", entity_id="1",
                       data={"citizen": CITIZEN})
            log.record(s, actor="lan", action="store.lookup", entity_type="citizen",
                       entity_id=log.citizen_ref(CITIZEN), data={})
            log.record(s, actor="lan", action="store.lookup", entity_type="citizen", entity_id=OTHER, data={})
            log.record(s, actor="lan", action="dossier.receive", entity_type="dossier", entity_id=CITIZEN, data={})
        with db.session() as s:
            assert [e.seq for e in log.citizen_events(s, CITIZEN)] == [3, 2, 1]
            assert log.citizen_events(s, "") == []
    finally:
        db.dispose()
