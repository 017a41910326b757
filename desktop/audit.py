"""Append-only, hash-chained audit log: who changed what, when.

Each event stores the hash of the previous one, so editing or deleting any row breaks
the chain; ``seq`` numbers have no gaps, and ``audit_head`` keeps the newest seq and hash
so removing the last rows is caught too. Events are written in the caller's transaction:
a change and its audit record commit or roll back together.

A plain hash chain can be recomputed by anyone who can write the database, so the chain
is keyed: every event and the head carry an HMAC-SHA256 made with the workstation's key,
kept outside the database (:mod:`desktop.audit_key`). The ``mac`` column holds the key id
(16 hex) and the truncated HMAC (48 hex, 192 bits). Truncation, rewriting and wiping are
caught against the last *anchor*: the head sent to the dossier system through the outbox
and kept in the private directory (see :class:`Anchor`).

What the centre prints and keeps (the register, the monthly report, the reports, the
self-test) carries the head it was made at as a :class:`HeadStamp`, ``#SEQ:FINGERPRINT``
(the first 16 hex of the head hash): ``motcua audit verify --head SEQ:FINGERPRINT`` later
says whether the chain still holds that event at that number (:meth:`AuditLog.verify_head`),
so a page in a binder is an anchor too.

A citizen is named in the log by :meth:`AuditLog.citizen_ref`, an HMAC of the ID number
with a key derived from the workstation's, never by the number: the same citizen gives the
same reference here, and the number cannot be read back from the log (a CCCD has only 10^12
values, so a plain hash would be reversed by trying them all).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from desktop.db.base import utcnow
from desktop.db.models import AuditEvent, AuditHead
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.redact import mask_numbers
from desktop.kernel.timeutil import to_vn

if TYPE_CHECKING:
    from desktop.db import Database

GENESIS = "0" * 64
KID_LEN = 16
#: hex digits of the head hash printed on paper: 64 bits, enough that no rewrite matches by chance
FINGERPRINT_LEN = 16
#: hex digits of a citizen reference (64 bits: no two citizens of a province share one)
CITIZEN_REF_LEN = 16
#: the key of citizen references where the log has none (tests, a copy read without its key):
#: public, so such references hide nothing; a workstation always has its own key
_UNKEYED_REF_KEY = b"motcua-citizen-ref-without-a-workstation-key"


#: the free texts of an event's data: what an officer typed (a status note, a reason) or an
#: error another system sent. The log is kept for ever and never rewritten, so an ID number or
#: a phone in them is masked before it is chained (the data's other values are ids, codes,
#: hashes and dates, and a citizen is named by ``citizen_ref``)
FREE_TEXT = frozenset({"note", "reason"})


def _masked(data: dict[str, Any]) -> dict[str, Any]:
    return {k: mask_numbers(v) if k in FREE_TEXT and isinstance(v, str) else v for k, v in data.items()}


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"motcua-audit-key-id" + key).hexdigest()[:KID_LEN]


def _mac(key: bytes, data: bytes) -> str:
    return key_id(key) + hmac.new(key, data, hashlib.sha256).hexdigest()[:64 - KID_LEN]


def _head_mac(key: bytes, seq: int, hash_: str) -> str:
    return _mac(key, f"head:{seq}:{hash_}".encode())


@dataclass(frozen=True)
class HeadStamp:
    """The chain head as printed on a page: its number, the start of its hash, when it was read."""

    seq: int
    hash: str
    at: datetime

    @property
    def fingerprint(self) -> str:
        return self.hash[:FINGERPRINT_LEN]

    @property
    def ref(self) -> str:
        """What ``motcua audit verify --head`` takes back: ``SEQ:FINGERPRINT``."""
        return f"{self.seq}:{self.fingerprint}"

    def printed(self) -> str:
        """The line on a Vietnamese form or report (they are published in Vietnamese)."""
        return f"Đầu chuỗi nhật ký kiểm toán: #{self.ref} lúc {to_vn(self.at):%H:%M %d/%m/%Y}"

    def line(self) -> str:
        """The same in the user's language (CLI, self-test)."""
        return msg("Đầu chuỗi nhật ký kiểm toán: #{r} lúc {t}", "Audit chain head: #{r} at {t}", r=self.ref,
                   t=f"{to_vn(self.at):%H:%M %d/%m/%Y}")

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "fingerprint": self.fingerprint, "at": self.at.isoformat(timespec="seconds")}


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:FINGERPRINT`` (a leading ``#`` and spaces allowed, as printed) as (seq, lower-case hex)."""
    seq, sep, fp = text.strip().lstrip("#").partition(":")
    fp = fp.strip().lower()
    if not sep or not seq.strip().isdigit() or not 8 <= len(fp) <= 64 or any(c not in "0123456789abcdef" for c in fp):
        raise InvalidInput(msg("“{t}” không phải đầu chuỗi in trên giấy: cần SỐ:MÃ, ví dụ 1234:9f86d081884c7d65.",
                               "“{t}” is not a printed chain head: SEQ:FINGERPRINT is needed, e.g. 1234:9f86d081884c7d65.",
                               t=text))
    return int(seq), fp


def read_stamp(db: Database) -> HeadStamp:
    """The head of ``db``'s chain now, for a page about to be made (no key needed to read it)."""
    with db.session() as s:
        return AuditLog().stamp(s)


@dataclass(frozen=True)
class Anchor:
    """A chain head recorded outside the database: at the dossier system, or its local copy."""

    seq: int
    hash: str
    at: str = ""
    #: where it was read: "dossier system" or the local file
    source: str = ""


def _canonical(seq: int, at: datetime, actor: str, action: str, entity_type: str,
               entity_id: str, data: dict[str, Any], prev_hash: str) -> bytes:
    body = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "data": data,
        "prev": prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(ev: AuditEvent) -> str:
    at = ev.at.replace(microsecond=ev.at.microsecond)
    return hashlib.sha256(
        _canonical(ev.seq, at, ev.actor, ev.action, ev.entity_type, ev.entity_id, ev.data or {}, ev.prev_hash)
    ).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"#{self.seq}: {self.problem}"


def _create_head(session: Session) -> None:
    """Insert the chain head once; concurrent first writers do not collide."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    session.execute(insert(AuditHead).values(id=1, seq=0, hash=GENESIS).on_conflict_do_nothing())


class AuditLog:
    """Writes and verifies audit events; stateless but for the key, so one instance serves every thread.

    Without a key (tests, tools reading a copy) events are written and checked as a plain
    hash chain; with one, every event and the head are MACed and verified. ``shared`` says
    several workstations write the chain (PostgreSQL): events MACed with another key are
    then counted as not verifiable here rather than as forged.
    """

    def __init__(self, key: bytes | None = None, *, shared: bool = False) -> None:
        self.key = key
        self.shared = shared

    def record(self, session: Session, *, actor: str, action: str, entity_type: str = "",
               entity_id: str | int = "", data: dict[str, Any] | None = None) -> AuditEvent:
        """Append one event in ``session``'s transaction (serialized across processes)."""
        return self.record_many(session, [{"actor": actor, "action": action, "entity_type": entity_type,
                                           "entity_id": entity_id, "data": data}])[0]

    def record_many(self, session: Session, events: Sequence[Mapping[str, Any]]) -> list[AuditEvent]:
        """Append several events in ``session``'s transaction with one lock and update of the head.

        Each item takes the keyword arguments of :meth:`record` (``actor``, ``action`` and
        optionally ``entity_type``, ``entity_id``, ``data``). The events are chained in the
        given order exactly as consecutive :meth:`record` calls would chain them. The returned
        events are copies of what was written, not attached to ``session``.

        The head row's lock serializes writers across processes (BEGIN IMMEDIATE already does
        on SQLite) until commit or rollback, so the locked section is kept to two round trips:
        read the head, then insert the events and move the head (one statement on PostgreSQL).
        """
        if not events:
            return []
        conn = session.connection()
        read = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
        head = conn.execute(read).first()
        if head is None:
            _create_head(session)
            head = conn.execute(read).first()
            assert head is not None
        seq, prev, at = head.seq, head.hash, utcnow()
        rows: list[dict[str, Any]] = []
        for e in events:
            seq += 1
            row = {"seq": seq, "at": at, "actor": e["actor"], "action": e["action"],
                   "entity_type": e.get("entity_type", ""), "entity_id": str(e.get("entity_id", "")),
                   "data": _masked(json.loads(json.dumps(e.get("data") or {}, ensure_ascii=False, default=str))),
                   "prev_hash": prev}
            body = _canonical(seq, at, row["actor"], row["action"], row["entity_type"], row["entity_id"], row["data"],
                              row["prev_hash"])
            row["hash"] = prev = hashlib.sha256(body).hexdigest()
            row["mac"] = _mac(self.key, body) if self.key else None
            rows.append(row)
        move = update(AuditHead).where(AuditHead.id == 1).values(
            seq=seq, hash=prev, mac=_head_mac(self.key, seq, prev) if self.key else None)
        if conn.dialect.name == "postgresql":
            conn.execute(move.add_cte(insert(AuditEvent).values(rows).cte("new_events")))
        else:
            conn.execute(insert(AuditEvent), rows)
            conn.execute(move)
        for obj in list(session.identity_map.values()):  # an ORM copy of the head is stale now
            if isinstance(obj, AuditHead):
                session.expire(obj)
        session.flush()  # as before: the caller's pending changes go out with the record
        return [AuditEvent(**r) for r in rows]

    def head(self, session: Session) -> tuple[int, str]:
        """The newest (seq, hash): what an anchor records."""
        h = session.get(AuditHead, 1)
        return (h.seq, h.hash) if h is not None else (0, GENESIS)

    def stamp(self, session: Session) -> HeadStamp:
        """The head to print on a page made now."""
        seq, hash_ = self.head(session)
        return HeadStamp(seq, hash_, utcnow())

    def verify_head(self, session: Session, seq: int, fingerprint: str) -> list[ChainProblem]:
        """Whether the chain still holds event ``seq`` with a hash starting ``fingerprint`` (a printed head).

        Only the event at ``seq`` is compared here; :meth:`verify` says whether the events up to
        it still hash into it, so both are run for a printed head (``motcua audit verify --head``).
        A head of 0 (printed before any event) is held by every chain."""
        if seq == 0:
            return [] if GENESIS.startswith(fingerprint) else [ChainProblem(0, msg(
                "đầu chuỗi #0 không có mã {f}", "the head #0 has no fingerprint {f}", f=fingerprint))]
        h = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
        if h is None:
            last = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)) or 0
            if last < seq:
                return [ChainProblem(seq, msg(
                    "chuỗi chỉ còn đến #{l}: các sự kiện đến #{s} in trên giấy đã bị xóa (chuỗi bị cắt)",
                    "the chain now ends at #{l}: events up to the printed #{s} were deleted (truncated)",
                    l=last, s=seq))]
            return [ChainProblem(seq, msg("sự kiện #{s} in trên giấy đã bị xóa", "the printed event #{s} was deleted",
                                          s=seq))]
        if not h.startswith(fingerprint):
            return [ChainProblem(seq, msg(
                "sự kiện #{s} giờ có mã {n}, trên giấy in {f}: chuỗi đã bị viết lại",
                "event #{s} now has the fingerprint {n}, the printed one is {f}: the chain was rewritten",
                s=seq, n=h[:len(fingerprint)], f=fingerprint))]
        return []

    def citizen_ref(self, id_number: str) -> str:
        """The citizen's reference in the log: keyed, stable on this workstation, not reversible.

        The key is derived from the audit key for this one purpose (so a reference is never an
        event MAC); without an audit key a public one is used (see :data:`_UNKEYED_REF_KEY`).
        No number gives no reference ("")."""
        if not id_number.strip():
            return ""
        base = hmac.new(self.key, b"motcua-citizen-ref", hashlib.sha256).digest() if self.key else _UNKEYED_REF_KEY
        return hmac.new(base, id_number.strip().encode(), hashlib.sha256).hexdigest()[:CITIZEN_REF_LEN]

    def scrub(self, text: str, id_number: str) -> str:
        """``text`` (a reason, an error, a path) with the citizen's number replaced by the reference."""
        number = id_number.strip()
        return text.replace(number, self.citizen_ref(number)) if number else text

    def citizen_events(self, session: Session, id_number: str, limit: int = 1000) -> list[AuditEvent]:
        """The events that name this citizen (as the one looked up or the one a result was
        handed to), newest first: by the reference, and by the number itself in events written
        before references (the chain forbids rewriting them)."""
        number = id_number.strip()
        names = {self.citizen_ref(number), number} - {""}
        if not names:
            return []
        q = (select(AuditEvent).where(or_(
                AuditEvent.entity_id.in_(names) & (AuditEvent.entity_type == "citizen"),
                AuditEvent.data["citizen"].as_string().in_(names),
                AuditEvent.data["recipient"].as_string().in_(names)))
             .order_by(AuditEvent.seq.desc()).limit(limit))
        return list(session.scalars(q))

    def verify(self, session: Session, anchors: Sequence[Anchor] = ()) -> list[ChainProblem]:
        """Every problem in the chain, checked against the given anchors; an empty list means intact."""
        problems: list[ChainProblem] = []
        prev_hash, expected_seq = GENESIS, 1
        kid = key_id(self.key) if self.key else ""
        keyed_seen = False
        hashes: dict[int, str] = {}
        for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            while expected_seq < ev.seq:
                problems.append(ChainProblem(expected_seq, msg("đã bị xóa (thiếu dòng)", "deleted (missing row)")))
                expected_seq += 1
            if ev.prev_hash != prev_hash:
                problems.append(ChainProblem(ev.seq, msg("mắt xích nối với sự kiện trước bị đứt", "link to the previous event broken")))
            if event_hash(ev) != ev.hash:
                problems.append(ChainProblem(ev.seq, msg("đã bị sửa (nội dung không khớp mã băm; hành động {a})",
                                                             "edited (content does not match its hash; action {a})",
                                                             a=ev.action)))
            if self.key:
                problem = self._check_mac(ev, kid, keyed_seen)
                if problem:
                    problems.append(ChainProblem(ev.seq, problem))
                keyed_seen = keyed_seen or bool(ev.mac)
            hashes[ev.seq] = ev.hash
            prev_hash, expected_seq = ev.hash, ev.seq + 1
        head = session.get(AuditHead, 1)
        last_seq = expected_seq - 1
        if head is not None and (head.seq != last_seq or head.hash != prev_hash):
            for missing in range(last_seq + 1, head.seq + 1):
                problems.append(ChainProblem(missing, msg("đã bị xóa (sau dòng cuối còn lại)", "deleted (after the last remaining row)")))
            if head.seq == last_seq:
                problems.append(ChainProblem(last_seq, msg("sự kiện mới nhất không khớp đầu chuỗi",
                                                               "newest event does not match the chain head")))
        elif head is None and last_seq > 0:
            problems.append(ChainProblem(0, msg("thiếu đầu chuỗi", "chain head missing")))
        if self.key and head is not None and keyed_seen and not self._head_ok(head, kid):
            problems.append(ChainProblem(head.seq, msg(
                "đầu chuỗi bị dời mà không có khóa của máy trạm (sự kiện bị xóa và đầu chuỗi bị đặt lùi?)",
                "chain head moved without the workstation key (events deleted and the head set back?)")))
        for a in sorted(anchors, key=lambda a: a.seq, reverse=True)[:1]:
            where = a.source or msg("hệ thống hồ sơ", "dossier system")
            if a.seq > last_seq:
                problems.append(ChainProblem(a.seq, msg(
                    "sự kiện {f}..{t} đã bị xóa: mốc neo tại {w} ({at}) có #{t}",
                    "events {f}..{t} deleted: the anchor at the {w} ({at}) has #{t}",
                    f=last_seq + 1, t=a.seq, w=where, at=a.at)))
            elif a.seq > 0 and hashes.get(a.seq) != a.hash:
                problems.append(ChainProblem(a.seq, msg(
                    "khác sự kiện đã neo tại {w} ({at}): đã bị viết lại",
                    "differs from the anchored event at the {w} ({at}): rewritten", w=where, at=a.at)))
        return problems

    def _check_mac(self, ev: AuditEvent, kid: str, keyed_seen: bool) -> str:
        assert self.key is not None
        if not ev.mac:
            # events from before the chain was keyed are checked by the hash chain only; once
            # keyed, an event without a MAC was written by someone without the key
            return "added without the workstation key (no signature)" if keyed_seen else ""
        if ev.mac[:KID_LEN] != kid:
            return "" if self.shared else "signed with a key this workstation does not have (forged)"
        body = _canonical(ev.seq, ev.at, ev.actor, ev.action, ev.entity_type, ev.entity_id, ev.data or {},
                          ev.prev_hash)
        return "" if hmac.compare_digest(_mac(self.key, body), ev.mac) else \
            f"signature does not match (forged or edited; action {ev.action})"

    def _head_ok(self, head: AuditHead, kid: str) -> bool:
        assert self.key is not None
        if head.mac and head.mac[:KID_LEN] != kid and self.shared:
            return True  # moved by another workstation of a shared database
        return bool(head.mac) and hmac.compare_digest(_head_mac(self.key, head.seq, head.hash), head.mac or "")

    def recent(self, session: Session, limit: int = 100) -> list[AuditEvent]:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)))
