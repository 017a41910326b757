"""What the bundled dossier server holds: dossiers, files, statuses, upload sessions, the
answers given to idempotency keys and a fault schedule's decisions, in SQLite beside a
folder of content-addressed files.

A dossier belongs to the workstation that first sent it and to its owner (the citizen):
a later write of the same code from another workstation, or naming another citizen, is
refused (:class:`CodeTaken`) so that a workstation whose codes restarted cannot overwrite
an earlier citizen's dossier. Every method takes the store's lock itself; file bytes are
written by the caller to :meth:`Store.incoming` and moved into place here.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.outbox.adapters.identity import same_owner

SCHEMA = """
CREATE TABLE IF NOT EXISTS dossier (code TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file (dossier TEXT, sha256 TEXT, filename TEXT, size INTEGER, meta TEXT,
                                 PRIMARY KEY (dossier, sha256));
CREATE TABLE IF NOT EXISTS status (dossier TEXT, seq INTEGER, status INTEGER, at TEXT, PRIMARY KEY (dossier, seq));
CREATE TABLE IF NOT EXISTS status_body (dossier TEXT, seq INTEGER, body TEXT, PRIMARY KEY (dossier, seq));
CREATE TABLE IF NOT EXISTS request (key TEXT PRIMARY KEY, code INTEGER, body TEXT);
CREATE TABLE IF NOT EXISTS upload (id TEXT PRIMARY KEY, dossier TEXT, sha256 TEXT, size INTEGER,
                                   state TEXT, received INTEGER DEFAULT 0, requests INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS upload_file ON upload (dossier, sha256, state);
CREATE TABLE IF NOT EXISTS arrival (n INTEGER PRIMARY KEY AUTOINCREMENT, dossier TEXT, kind TEXT, ref TEXT);
CREATE TABLE IF NOT EXISTS audit_anchor (workstation TEXT PRIMARY KEY, seq INTEGER, body TEXT);
CREATE TABLE IF NOT EXISTS fault_log (n INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, attempt INTEGER, fault TEXT,
                                      at REAL);
CREATE TABLE IF NOT EXISTS lookup (n INTEGER PRIMARY KEY AUTOINCREMENT, workstation TEXT, id_number TEXT,
                                   document TEXT, purpose TEXT, found INTEGER, at REAL);
CREATE TABLE IF NOT EXISTS paper (sha256 TEXT PRIMARY KEY, number TEXT, issuer TEXT, issued_on TEXT,
                                  valid_until TEXT);
"""
KEY_STRIPES = 256
#: columns added since the first version (a store written by it opens unchanged)
ADDED = {"dossier": {"workstation": "TEXT"}, "file": {"stored_sha256": "TEXT", "replaced_by": "TEXT"},
         "request": {"fingerprint": "TEXT"}}


class CodeTaken(Exception):
    """The code names a dossier of another workstation or another citizen: never overwritten."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(code, reason)
        #: "workstation" or "owner"
        self.code, self.reason = code, reason

    def body(self) -> dict[str, Any]:
        what = "another workstation" if self.reason == "workstation" else "another citizen"
        return {"error": "dossier_code_taken", "reason": self.reason, "code": self.code,
                "error_description": f"dossier {self.code} already holds a dossier of {what}; "
                                     "it is never overwritten (the sending workstation's codes may have restarted)"}


@dataclass(frozen=True)
class Remembered:
    """The final answer once given to an idempotency key, and what the request was."""

    fingerprint: str | None
    status: int
    body: dict[str, Any]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for piece in iter(lambda: f.read(1 << 20), b""):
            h.update(piece)
    return h.hexdigest()


class Store:
    def __init__(self, data: Path) -> None:
        data.mkdir(parents=True, exist_ok=True)
        self.files = data / "files"
        self.files.mkdir(exist_ok=True)
        self.uploads = data / "uploads"
        self.uploads.mkdir(exist_ok=True)
        self.db = sqlite3.connect(data / "server.db", check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        for table, columns in ADDED.items():
            have = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        self.lock = threading.Lock()
        self._upload_locks: dict[str, threading.Lock] = {}
        #: striped: a bounded set of locks, whatever the number of keys ever seen
        self._key_locks = [threading.Lock() for _ in range(KEY_STRIPES)]

    def close(self) -> None:
        self.db.close()

    # --- locks ---------------------------------------------------------------------------

    def upload_lock(self, upload_id: str) -> threading.Lock:
        with self.lock:
            return self._upload_locks.setdefault(upload_id, threading.Lock())

    def key_lock(self, key: str) -> threading.Lock:
        """One request at a time per idempotency key: a second one waits, then gets the first's answer."""
        return self._key_locks[int.from_bytes(hashlib.blake2s(key.encode()).digest()[:4], "big") % KEY_STRIPES]

    # --- idempotency keys ----------------------------------------------------------------

    def remembered(self, key: str) -> Remembered | None:
        with self.lock:
            row = self.db.execute("SELECT fingerprint, code, body FROM request WHERE key=?", (key,)).fetchone()
        return None if row is None else Remembered(row[0], int(row[1]), json.loads(row[2]))

    def remember(self, key: str, fingerprint: str, status: int, body: dict[str, Any]) -> None:
        with self.lock:
            self.db.execute("INSERT OR IGNORE INTO request (key, code, body, fingerprint) VALUES (?, ?, ?, ?)",
                            (key, status, json.dumps(body), fingerprint))

    # --- dossiers ------------------------------------------------------------------------

    def _arrived(self, dossier: str, kind: str, ref: str) -> None:
        """Note the first arrival of something (lock held): the dump shows the order."""
        self.db.execute("INSERT INTO arrival (dossier, kind, ref) VALUES (?, ?, ?)", (dossier, kind, ref))

    def _claim(self, code: str, workstation: str) -> dict[str, Any] | None:
        """The stored dossier when ``workstation`` may write to it (lock held); CodeTaken if not."""
        row = self.db.execute("SELECT body, workstation FROM dossier WHERE code=?", (code,)).fetchone()
        if row is None:
            return None
        if row[1] and row[1] != workstation:
            raise CodeTaken(code, "workstation")
        return dict(json.loads(row[0]))

    def exists(self, code: str, workstation: str) -> bool:
        """Whether the dossier has arrived (CodeTaken when it is another workstation's)."""
        with self.lock:
            return self._claim(code, workstation) is not None

    def put_dossier(self, code: str, doc: dict[str, Any], workstation: str) -> None:
        with self.lock:
            stored = self._claim(code, workstation)
            if stored is None:
                self._arrived(code, "dossier", code)
            elif not same_owner(stored, doc):
                raise CodeTaken(code, "owner")
            self.db.execute("INSERT OR REPLACE INTO dossier (code, body, workstation) VALUES (?, ?, ?)",
                            (code, json.dumps(doc, ensure_ascii=False), workstation))

    def add_status(self, code: str, seq: int, status: int, at: str | None, body: dict[str, Any] | None = None) -> None:
        """A status change; its whole message (action, note, the portal's record) is kept beside it."""
        with self.lock:
            if self.db.execute("INSERT OR IGNORE INTO status VALUES (?, ?, ?, ?)", (code, seq, status, at)).rowcount:
                self._arrived(code, "status", str(status))
                if body is not None:
                    self.db.execute("INSERT OR IGNORE INTO status_body VALUES (?, ?, ?)",
                                    (code, seq, json.dumps(body, ensure_ascii=False)))

    # --- audit anchors (a workstation's audit chain head, kept outside the workstation) -----

    def anchor(self, workstation: str) -> dict[str, Any] | None:
        """The newest audit chain head a workstation sent."""
        with self.lock:
            row = self.db.execute("SELECT body FROM audit_anchor WHERE workstation=?", (workstation,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_anchor(self, workstation: str, doc: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Keep the newest head (``doc`` checked by validation.anchor); one that goes back is 409."""
        seq = doc["seq"]
        with self.lock:
            row = self.db.execute("SELECT seq FROM audit_anchor WHERE workstation=?", (workstation,)).fetchone()
            if row and row[0] > seq:
                return 409, {"error": "anchor_goes_back", "error_description": f"the kept anchor is at {row[0]}",
                             "seq": row[0]}
            self.db.execute("INSERT OR REPLACE INTO audit_anchor VALUES (?, ?, ?)",
                            (workstation, seq, json.dumps(doc, ensure_ascii=False)))
        return 201, {"seq": seq}

    # --- files ---------------------------------------------------------------------------

    def incoming(self) -> Path:
        """A fresh temporary path for a body being received (moved into place or removed)."""
        return self.uploads / f".incoming-{secrets.token_hex(8)}"

    def keep_file(self, received: Path, sha256: str) -> None:
        """Move received bytes (whose SHA-256 the caller computed) into the content store."""
        os.replace(received, self.files / sha256)

    def add_file(self, code: str, sha256: str, filename: str, size: int, meta: dict[str, Any]) -> None:
        """Keep a file of the dossier; ``meta["replaces"]`` names the earlier version of the same
        file (re-signed at the counter): that one leaves the dossier's files and stays as history."""
        replaces = meta.get("replaces")
        with self.lock:
            if not self.db.execute("SELECT 1 FROM file WHERE dossier=? AND sha256=?", (code, sha256)).fetchone():
                self._arrived(code, "file", sha256)
            self.db.execute("INSERT OR REPLACE INTO file (dossier, sha256, filename, size, meta, stored_sha256) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (code, sha256, filename, size, json.dumps(meta), sha256))
            if isinstance(replaces, str) and replaces != sha256:
                self.db.execute("UPDATE file SET replaced_by=? WHERE dossier=? AND sha256=?", (sha256, code, replaces))

    # --- upload sessions -----------------------------------------------------------------

    def upload_answer(self, upload_id: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute("SELECT dossier, sha256, size, state, received FROM upload WHERE id=?",
                                  (upload_id,)).fetchone()
        if row is None:
            return None
        dossier, sha256, size, state, received = row
        part = self.uploads / upload_id
        offset = size if state == "complete" else (part.stat().st_size if part.exists() else 0)
        return {"upload_id": upload_id, "dossier": dossier, "sha256": sha256, "size": size, "state": state,
                "offset": offset, "received_bytes": received}

    def open_upload(self, code: str, sha256: str, size: int, workstation: str) -> str | None:
        """One session per (dossier, SHA-256, size): the open or complete one, else a new one.

        None when the dossier has not arrived.
        """
        with self.lock:
            if self._claim(code, workstation) is None:
                return None
            found = self.db.execute("SELECT id FROM upload WHERE dossier=? AND sha256=? AND size=? "
                                    "ORDER BY state = 'complete' DESC LIMIT 1", (code, sha256, size)).fetchone()
            if found is not None:
                return str(found[0])
            upload_id = secrets.token_hex(12)
            self.db.execute("INSERT INTO upload (id, dossier, sha256, size, state) VALUES (?, ?, ?, ?, 'open')",
                            (upload_id, code, sha256, size))
            return upload_id

    def count_chunk(self, upload_id: str, received: int) -> None:
        with self.lock:
            self.db.execute("UPDATE upload SET received = received + ?, requests = requests + 1 WHERE id=?",
                            (received, upload_id))

    def mark_complete(self, upload_id: str) -> None:
        with self.lock:
            self.db.execute("UPDATE upload SET state='complete' WHERE id=?", (upload_id,))

    # --- a fault schedule's decisions (desktop/dossier_server/faults.py) ---------------------

    def note_fault(self, key: str, attempt: int, fault: str | None) -> None:
        """One scheduled decision: the ``attempt``-th request under ``key`` got ``fault`` (None: none)."""
        with self.lock:
            self.db.execute("INSERT INTO fault_log (key, attempt, fault, at) VALUES (?, ?, ?, ?)",
                            (key, attempt, None if fault is None else str(fault), time.time()))

    def fault_history(self) -> list[tuple[str, str | None]]:
        """(key, fault) of every scheduled decision, oldest first: a restarted server goes on from there."""
        with self.lock:
            return [(k, f) for k, f in self.db.execute("SELECT key, fault FROM fault_log ORDER BY n")]

    # --- the national store: a citizen's signed documents, by ID number -------------------

    def describe(self, sha256: str, *, number: str | None = None, issuer: str | None = None,
                 issued_on: str | None = None, valid_until: str | None = None) -> None:
        """Record what the paper behind a stored file says (its number, issuing body, issue date
        and the date it is valid until), as the national store's register does; a field left
        None keeps what was recorded (dates as ISO ``YYYY-MM-DD``, checked by the caller)."""
        with self.lock:
            row = self.db.execute("SELECT number, issuer, issued_on, valid_until FROM paper WHERE sha256=?",
                                  (sha256,)).fetchone() or (None, None, None, None)
            new = [old if value is None else value for old, value in
                   zip(row, (number, issuer, issued_on, valid_until), strict=True)]
            self.db.execute("INSERT OR REPLACE INTO paper VALUES (?, ?, ?, ?, ?)", (sha256, *new))

    def _documents(self, id_number: str) -> list[dict[str, Any]]:
        """The verified, reusable files of the dossiers ``id_number`` owns (lock held), one per
        SHA-256 (a reused copy is the same document), first arrival first, with what the paper
        says where it was recorded (``paper``; null otherwise)."""
        rows = self.db.execute(
            "SELECT f.sha256, f.filename, f.size, f.meta, d.code, d.body, "
            "p.number, p.issuer, p.issued_on, p.valid_until FROM file f "
            "JOIN dossier d ON d.code = f.dossier "
            "JOIN arrival a ON a.dossier = f.dossier AND a.kind = 'file' AND a.ref = f.sha256 "
            "LEFT JOIN paper p ON p.sha256 = f.sha256 "
            # a citizen's own dossiers: what they brought for an organisation is the organisation's
            "WHERE json_extract(d.body, '$.owner.id_number') = ? "
            "AND coalesce(json_extract(d.body, '$.owner.tax_code'), '') = '' AND f.replaced_by IS NULL ORDER BY a.n",
            (id_number,)).fetchall()
        out: dict[str, dict[str, Any]] = {}
        for sha, filename, size, meta_text, code, body, number, issuer, issued_on, valid_until in rows:
            meta, dossier = json.loads(meta_text or "{}"), json.loads(body)
            # only what was signed and verified at the counter, and not marked as not reusable
            if sha in out or meta.get("signature_state") != "verified" or meta.get("reusable") is False:
                continue
            if not (self.files / sha).is_file():
                continue
            kind = "result" if meta.get("kind") == "result" else "component"
            comp = str(meta.get("component_code") or "")
            names = {str(d.get("code")): str(d.get("name") or "") for d in dossier.get("documents") or []
                     if isinstance(d, dict)}
            out[sha] = {
                "id": sha, "kind": kind,
                "doc_type": comp if kind == "component" else f"result:{dossier.get('procedure_code', '')}",
                "doc_name": names.get(comp, "") if kind == "component" else str(dossier.get("procedure_name") or ""),
                # a result's validity came with its upload; what the register recorded wins
                "number": number, "issuer": issuer, "issued_on": issued_on,
                "valid_until": valid_until if valid_until is not None else meta.get("valid_until"),
                "sha256": sha, "size": size, "filename": filename, "source_dossier": code,
                "signature_state": "verified"}
        return list(out.values())

    def documents(self, id_number: str, workstation: str, purpose: str) -> list[dict[str, Any]]:
        """That citizen's documents, the look-up recorded (who asked, for whom, why)."""
        with self.lock:
            found = self._documents(id_number)
            self.db.execute("INSERT INTO lookup (workstation, id_number, document, purpose, found, at) "
                            "VALUES (?, ?, NULL, ?, ?, ?)", (workstation, id_number, purpose, len(found), time.time()))
        return found

    def document_file(self, id_number: str, doc_id: str, workstation: str, purpose: str) -> Path | None:
        """The signed file of that citizen's document ``doc_id``; None when it is not theirs or unknown."""
        with self.lock:
            found = next((d for d in self._documents(id_number) if d["id"] == doc_id), None)
            self.db.execute("INSERT INTO lookup (workstation, id_number, document, purpose, found, at) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (workstation, id_number, doc_id, purpose,
                                                          int(found is not None), time.time()))
        return None if found is None else self.files / found["sha256"]

    # --- reading back --------------------------------------------------------------------

    def _view(self, code: str, body: str, *, verify: bool) -> dict[str, Any]:
        files, replaced = [], []
        for s, f, n, kept, by, meta_text in self.db.execute(
                "SELECT sha256, filename, size, stored_sha256, replaced_by, meta FROM file WHERE dossier=? "
                "ORDER BY filename", (code,)).fetchall():
            if verify:  # the bytes actually kept (None when missing): for audits, not for every GET
                path = self.files / s
                kept = sha256_of(path) if path.is_file() else None
            row: dict[str, Any] = {"sha256": s, "filename": f, "size": n, "stored_sha256": kept}
            meta = json.loads(meta_text or "{}")
            if meta.get("kind") == "result":  # a result shows until when it is valid (null: no end date)
                row.update(kind="result", valid_until=meta.get("valid_until"))
            if by is None:
                files.append(row)
            else:  # an earlier version, re-signed since: history, not one of the dossier's files
                replaced.append({**row, "replaced_by": by})
        statuses = [{"seq": q, "status": st, "at": at, **({"detail": json.loads(b)} if b else {})}
                    for q, st, at, b in self.db.execute(
                        "SELECT s.seq, s.status, s.at, b.body FROM status s LEFT JOIN status_body b "
                        "ON b.dossier = s.dossier AND b.seq = s.seq WHERE s.dossier=? ORDER BY s.seq", (code,))]
        arrivals = [f"{k}:{r}" for k, r in self.db.execute(
            "SELECT kind, ref FROM arrival WHERE dossier=? ORDER BY n", (code,))]
        return {"code": code, "dossier": json.loads(body), "files": files, "status_history": statuses,
                "arrivals": arrivals, "replaced_files": replaced}

    def dossier_view(self, code: str) -> dict[str, Any] | None:
        """One dossier with its files and statuses, reading nothing of the other dossiers."""
        with self.lock:
            row = self.db.execute("SELECT body FROM dossier WHERE code=?", (code,)).fetchone()
            return None if row is None else self._view(code, row[0], verify=False)

    def dump(self) -> dict[str, Any]:
        """Everything held, each file's SHA-256 recomputed from the bytes on disk."""
        with self.lock:
            out = [self._view(code, body, verify=True) for code, body in
                   self.db.execute("SELECT code, body FROM dossier ORDER BY code").fetchall()]
            uploads = [{"id": i, "dossier": d, "sha256": h, "size": n, "state": st, "received_bytes": r,
                        "requests": q}
                       for i, d, h, n, st, r, q in self.db.execute(
                           "SELECT id, dossier, sha256, size, state, received, requests FROM upload ORDER BY id")]
            faults = [{"key": k, "attempt": a, "fault": f, "at": t} for k, a, f, t in self.db.execute(
                "SELECT key, attempt, fault, at FROM fault_log ORDER BY n")]
        return {"dossiers": out, "uploads": uploads, "faults": faults}
