"""The bundled dossier-system server: stores what it receives, deduplicates, checks hashes,
and injects faults on demand (HTTP 500/503, slow answers, connections cut, expired tokens).

Large files arrive as resumable upload sessions: the session (dossier, SHA-256, size)
keeps every byte received, even from a request cut mid-body, and reports its offset so
that the client goes on from there; completing it checks the SHA-256 of the whole.

Standard library only (http.server + sqlite3): it stands in for the province's system in
tests and the demo; it is not meant to face the internet.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import secrets
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

SCHEMA = """
CREATE TABLE IF NOT EXISTS dossier (code TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file (dossier TEXT, sha256 TEXT, filename TEXT, size INTEGER, meta TEXT,
                                 PRIMARY KEY (dossier, sha256));
CREATE TABLE IF NOT EXISTS status (dossier TEXT, seq INTEGER, status INTEGER, at TEXT, PRIMARY KEY (dossier, seq));
CREATE TABLE IF NOT EXISTS request (key TEXT PRIMARY KEY, code INTEGER, body TEXT);
CREATE TABLE IF NOT EXISTS upload (id TEXT PRIMARY KEY, dossier TEXT, sha256 TEXT, size INTEGER,
                                   state TEXT, received INTEGER DEFAULT 0, requests INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS upload_file ON upload (dossier, sha256, state);
CREATE TABLE IF NOT EXISTS audit_anchor (workstation TEXT PRIMARY KEY, seq INTEGER, body TEXT);
CREATE TABLE IF NOT EXISTS arrival (n INTEGER PRIMARY KEY AUTOINCREMENT, dossier TEXT, kind TEXT, ref TEXT);
"""
#: bytes read from the socket at a time while receiving a chunk
PIECE = 64 << 10
CLIENT_ID, CLIENT_SECRET = "motcua", "motcua-secret"
TOKEN_TTL = 300


class Store:
    def __init__(self, data: Path) -> None:
        data.mkdir(parents=True, exist_ok=True)
        self.files = data / "files"
        self.files.mkdir(exist_ok=True)
        self.db = sqlite3.connect(data / "server.db", check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.uploads = data / "uploads"
        self.uploads.mkdir(exist_ok=True)
        self.lock = threading.Lock()
        self.upload_locks: dict[str, threading.Lock] = {}

    def arrived(self, dossier: str, kind: str, ref: str) -> None:
        """Note the first arrival of something (call with ``lock`` held): the dump shows the order."""
        self.db.execute("INSERT INTO arrival (dossier, kind, ref) VALUES (?, ?, ?)", (dossier, kind, ref))

    def anchor(self, workstation: str) -> dict[str, Any] | None:
        """The newest audit chain head a workstation sent."""
        with self.lock:
            row = self.db.execute("SELECT body FROM audit_anchor WHERE workstation=?", (workstation,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_anchor(self, workstation: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """Keep the newest head; one that goes back (a truncated log) is refused with 409."""
        try:
            doc = json.loads(body)
            seq, digest = doc["seq"], doc["hash"]
            if not (isinstance(doc, dict) and isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0
                    and isinstance(digest, str) and len(digest) == 64 and doc.get("workstation") == workstation):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return 422, {"error": "invalid anchor"}
        with self.lock:
            row = self.db.execute("SELECT seq FROM audit_anchor WHERE workstation=?", (workstation,)).fetchone()
            if row and row[0] > seq:
                return 409, {"error": "anchor goes back", "seq": row[0]}
            self.db.execute("INSERT OR REPLACE INTO audit_anchor VALUES (?, ?, ?)", (workstation, seq, json.dumps(doc)))
        return 201, {"seq": seq}

    def upload_lock(self, upload_id: str) -> threading.Lock:
        with self.lock:
            return self.upload_locks.setdefault(upload_id, threading.Lock())

    def stored_sha256(self, sha256: str) -> str | None:
        """The SHA-256 of the bytes actually kept for a file (None when missing)."""
        path = self.files / sha256
        if not path.is_file():
            return None
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for piece in iter(lambda: f.read(1 << 20), b""):
                h.update(piece)
        return h.hexdigest()

    def dump(self) -> dict[str, Any]:
        out = []
        for code, body in self.db.execute("SELECT code, body FROM dossier ORDER BY code"):
            files = [{"sha256": s, "filename": f, "size": n, "stored_sha256": self.stored_sha256(s)} for s, f, n in
                     self.db.execute("SELECT sha256, filename, size FROM file WHERE dossier=? ORDER BY filename", (code,))]
            statuses = [{"seq": q, "status": st, "at": at} for q, st, at in
                        self.db.execute("SELECT seq, status, at FROM status WHERE dossier=? ORDER BY seq", (code,))]
            arrivals = [f"{k}:{r}" for k, r in self.db.execute(
                "SELECT kind, ref FROM arrival WHERE dossier=? ORDER BY n", (code,))]
            out.append({"code": code, "dossier": json.loads(body), "files": files, "status_history": statuses,
                        "arrivals": arrivals})
        uploads = [{"id": i, "dossier": d, "sha256": h, "size": n, "state": st, "received_bytes": r, "requests": q}
                   for i, d, h, n, st, r, q in self.db.execute(
                       "SELECT id, dossier, sha256, size, state, received, requests FROM upload ORDER BY id")]
        return {"dossiers": out, "uploads": uploads}


class Handler(BaseHTTPRequestHandler):
    server: DossierServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # a client that stops sending mid-body does not hold a thread forever

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def setup(self) -> None:
        super().setup()
        # headers and body leave in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every keep-alive request
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _fault(self) -> str | None:
        """Maybe misbehave: the fault to act out (500, 503, cut, expired), or None."""
        rate = self.server.fault_rate
        if rate <= 0 or random.random() >= rate:
            return None
        kind = random.choice(["500", "503", "slow", "cut", "expired"])
        if kind == "slow":
            time.sleep(self.server.slow_seconds)
            return None
        return kind

    def _act_out(self, kind: str) -> None:
        if kind == "cut":  # read the body, then drop the connection without an answer
            self._body()
            self._cut()
            return
        self._body()
        if kind == "expired":
            self._send(401, {"error": "invalid_token", "error_description": "token expired"})
        else:
            self._send(int(kind), {"error": "server_error"})

    def _cut(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _authorized(self) -> bool:
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        expiry = self.server.tokens.get(token)
        if expiry is None or expiry < time.time():
            self._body()
            self._send(401, {"error": "invalid_token"})
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/health":
            self._send(200, {"status": "ok"})
        elif self.path.startswith("/api/audit-anchors/") and self._authorized():
            row = self.server.store.anchor(unquote(self.path.split("?")[0].split("/")[3]))
            if row is not None:
                self._send(200, row)
            else:
                self._send(404, {"error": "not_found"})
        elif self.path.startswith("/api/uploads/") and self._authorized():
            self._upload_state(unquote(self.path.split("/")[3]))
        elif self.path.startswith("/api/dossiers/") and self._authorized():
            code = unquote(self.path.split("/")[3])
            found = [d for d in self.server.store.dump()["dossiers"] if d["code"] == code]
            if found:
                self._send(200, found[0])
            else:
                self._send(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        if self.path == "/oauth/token":
            form = parse_qs(self._body().decode())
            if form.get("grant_type") != ["client_credentials"] or form.get("client_id") != [CLIENT_ID] \
                    or form.get("client_secret") != [CLIENT_SECRET]:
                self._send(401, {"error": "invalid_client"})
                return
            token = secrets.token_urlsafe(24)
            self.server.tokens[token] = time.time() + TOKEN_TTL
            self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_TTL})
            return
        self._api("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._api("PUT")

    def _api(self, method: str) -> None:
        fault = self._fault()
        parts = [unquote(p) for p in self.path.split("?")[0].strip("/").split("/")]
        chunk = method == "PUT" and len(parts) == 3 and parts[:2] == ["api", "uploads"]
        if fault and not (chunk and fault == "cut"):  # a chunk is cut mid-body, below
            self._act_out(fault)
            return
        if not self._authorized():
            return
        if chunk:
            self._upload_chunk(parts[2], cut=fault == "cut")
            return
        if method == "POST" and len(parts) == 4 and parts[:2] == ["api", "dossiers"] and parts[3] == "uploads":
            self._upload_create(parts[2])
            return
        key = self.headers.get("Idempotency-Key", "")
        if not key:
            self._body()
            self._send(400, {"error": "Idempotency-Key header required"})
            return
        store = self.server.store
        with store.lock:
            seen = store.db.execute("SELECT code, body FROM request WHERE key=?", (key,)).fetchone()
        if seen:
            self._body()
            self._send(seen[0], json.loads(seen[1]) | {"replayed": True})
            return
        body = self._body()
        code, answer = self._handle(method, parts, body)
        if code < 500 and code not in (401, 409):  # "not yet" answers are not the final word on a key
            with store.lock:
                store.db.execute("INSERT OR IGNORE INTO request VALUES (?, ?, ?)", (key, code, json.dumps(answer)))
        self._send(code, answer)

    def _handle(self, method: str, parts: list[str], body: bytes) -> tuple[int, dict[str, Any]]:
        store = self.server.store
        if len(parts) == 3 and parts[:2] == ["api", "audit-anchors"] and method == "PUT":
            return store.put_anchor(parts[2], body)
        if len(parts) == 3 and parts[:2] == ["api", "dossiers"] and method == "PUT":
            try:
                doc = json.loads(body)
                assert isinstance(doc, dict) and doc.get("code") == parts[2] and 1 <= int(doc["status"]) <= 10
            except (ValueError, AssertionError, KeyError, TypeError):
                return 422, {"error": "invalid dossier"}
            with store.lock:
                if not store.db.execute("SELECT 1 FROM dossier WHERE code=?", (parts[2],)).fetchone():
                    store.arrived(parts[2], "dossier", parts[2])
                store.db.execute("INSERT OR REPLACE INTO dossier VALUES (?, ?)", (parts[2], json.dumps(doc)))
            return 201, {"code": parts[2]}
        if parts[:2] == ["api", "uploads"]:
            return self._upload_complete(parts[2]) if parts[3:] == ["complete"] and method == "POST" \
                else (404, {"error": "not_found"})
        with store.lock:
            exists = store.db.execute("SELECT 1 FROM dossier WHERE code=?", (parts[2],)).fetchone() if len(parts) > 2 else None
        if not exists:
            return 409, {"error": "unknown dossier"}
        if len(parts) == 5 and parts[3] == "files" and method == "PUT":
            digest = hashlib.sha256(body).hexdigest()
            if digest != parts[4]:
                return 422, {"error": "sha256 mismatch", "received": digest}
            (store.files / digest).write_bytes(body)
            meta = self.headers.get("X-File-Meta", "{}")
            with store.lock:
                self._file_arrived(parts[2], digest)
                store.db.execute("INSERT OR REPLACE INTO file VALUES (?, ?, ?, ?, ?)",
                                 (parts[2], digest, unquote(self.headers.get("X-Filename", "")), len(body), meta))
            return 201, {"sha256": digest}
        if len(parts) == 4 and parts[3] == "status" and method == "POST":
            try:
                st = json.loads(body)
                status, seq = int(st["status"]), int(st["seq"])
                assert 1 <= status <= 10
            except (ValueError, AssertionError, KeyError, TypeError):
                return 422, {"error": "invalid status"}
            with store.lock:
                if store.db.execute("INSERT OR IGNORE INTO status VALUES (?, ?, ?, ?)",
                                    (parts[2], seq, status, st.get("at"))).rowcount:
                    store.arrived(parts[2], "status", str(status))
            return 201, {"status": status}
        return 404, {"error": "not_found"}


    def _file_arrived(self, dossier: str, sha256: str) -> None:
        store = self.server.store
        if not store.db.execute("SELECT 1 FROM file WHERE dossier=? AND sha256=?", (dossier, sha256)).fetchone():
            store.arrived(dossier, "file", sha256)

    # --- resumable uploads ----------------------------------------------------------------

    def _upload_row(self, upload_id: str) -> tuple[str, str, int, str, int] | None:
        store = self.server.store
        with store.lock:
            return store.db.execute("SELECT dossier, sha256, size, state, received FROM upload WHERE id=?",
                                    (upload_id,)).fetchone()

    def _upload_answer(self, upload_id: str) -> dict[str, Any] | None:
        row = self._upload_row(upload_id)
        if row is None:
            return None
        dossier, sha256, size, state, received = row
        part = self.server.store.uploads / upload_id
        offset = size if state == "complete" else (part.stat().st_size if part.exists() else 0)
        return {"upload_id": upload_id, "dossier": dossier, "sha256": sha256, "size": size, "state": state,
                "offset": offset, "received_bytes": received}

    def _upload_state(self, upload_id: str) -> None:
        answer = self._upload_answer(upload_id)
        if answer is None:
            self._send(404, {"error": "unknown upload"})
        else:
            self._send(200, answer)

    def _upload_create(self, code: str) -> None:
        """One open session per (dossier, SHA-256): asking again returns it with its offset."""
        store = self.server.store
        try:
            doc = json.loads(self._body())
            sha256, size = str(doc["sha256"]).lower(), int(doc["size"])
            assert len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256) and size >= 0
        except (ValueError, AssertionError, KeyError, TypeError):
            self._send(422, {"error": "invalid upload: sha256 (64 hex) and size required"})
            return
        with store.lock:
            if not store.db.execute("SELECT 1 FROM dossier WHERE code=?", (code,)).fetchone():
                found = None
            else:
                found = store.db.execute("SELECT id FROM upload WHERE dossier=? AND sha256=? AND size=? "
                                         "ORDER BY state = 'complete' DESC LIMIT 1", (code, sha256, size)).fetchone()
                if found is None:
                    found = (secrets.token_hex(12),)
                    store.db.execute("INSERT INTO upload (id, dossier, sha256, size, state) VALUES (?, ?, ?, ?, 'open')",
                                     (found[0], code, sha256, size))
        if found is None:
            self._send(409, {"error": "unknown dossier"})
            return
        self._send(201, self._upload_answer(found[0]) or {})

    def _upload_chunk(self, upload_id: str, *, cut: bool = False) -> None:
        """Append ``Content-Range: bytes START-END/TOTAL`` at the session's offset.

        Every byte that arrives is kept, even when the connection breaks mid-body, so the
        client resumes from the offset the server reports instead of from the chunk's start.
        """
        store = self.server.store
        length = int(self.headers.get("Content-Length") or 0)
        answer = self._upload_answer(upload_id)
        if answer is None:
            self._body()
            self._send(404, {"error": "unknown upload"})
            return
        try:
            unit, _, rng = self.headers.get("Content-Range", "").partition(" ")
            span, _, total = rng.partition("/")
            first, _, last = span.partition("-")
            start, end, size = int(first), int(last), int(total)
            assert unit == "bytes" and end - start + 1 == length and size == answer["size"] and end < size
        except (ValueError, AssertionError):
            self._body()
            self._send(400, {"error": "Content-Range bytes START-END/TOTAL matching Content-Length and size required"})
            return
        lock = store.upload_lock(upload_id)
        if not lock.acquire(blocking=False):
            self._body()
            self._send(409, {"error": "another request is writing this upload", "offset": answer["offset"]})
            return
        try:
            answer = self._upload_answer(upload_id) or answer
            if answer["state"] == "complete" or start != answer["offset"]:
                self._body()
                self._send(409, {"error": "offset mismatch", "offset": answer["offset"], "state": answer["state"]})
                return
            # a cut fault (or --cut-chunks) drops the connection after about half the body
            limit = length // 2 if cut or self.server.take_chunk_cut(length) else length
            got = 0
            with open(store.uploads / upload_id, "ab") as part:
                while got < limit:
                    try:
                        piece = self.rfile.read(min(PIECE, limit - got))
                    except OSError:  # the client went away (killed, network gone)
                        piece = b""
                    if not piece:
                        break
                    part.write(piece)
                    got += len(piece)
                part.flush()
                os.fsync(part.fileno())
            with store.lock:
                store.db.execute("UPDATE upload SET received = received + ?, requests = requests + 1 WHERE id=?",
                                 (got, upload_id))
            if got < length:
                self._cut()
                return
            self._send(200, {"upload_id": upload_id, "offset": start + got, "size": size})
        finally:
            lock.release()

    def _upload_complete(self, upload_id: str) -> tuple[int, dict[str, Any]]:
        store = self.server.store
        with store.upload_lock(upload_id):
            answer = self._upload_answer(upload_id)
            if answer is None:
                return 404, {"error": "unknown upload"}
            part, target = store.uploads / upload_id, store.files / answer["sha256"]
            if answer["state"] != "complete":
                if answer["offset"] != answer["size"]:
                    return 409, {"error": "upload incomplete", "offset": answer["offset"], "size": answer["size"]}
                h = hashlib.sha256()
                with open(part, "rb") as f:
                    for piece in iter(lambda: f.read(1 << 20), b""):
                        h.update(piece)
                if h.hexdigest() != answer["sha256"]:
                    part.unlink()  # start again from zero; the client decides whether to
                    return 422, {"error": "sha256 mismatch", "received": h.hexdigest()}
                os.replace(part, target)
                with store.lock:
                    store.db.execute("UPDATE upload SET state='complete' WHERE id=?", (upload_id,))
            meta = self.headers.get("X-File-Meta", "{}")
            with store.lock:
                self._file_arrived(answer["dossier"], answer["sha256"])
                store.db.execute("INSERT OR REPLACE INTO file VALUES (?, ?, ?, ?, ?)",
                                 (answer["dossier"], answer["sha256"], unquote(self.headers.get("X-Filename", "")),
                                  answer["size"], meta))
        return 201, {"sha256": answer["sha256"], "size": answer["size"]}


class DossierServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, data: Path, fault_rate: float = 0.0, cut_chunks: int = 0,
                 slow_seconds: float = 1.5) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.store = Store(data)
        self.fault_rate = fault_rate
        self.slow_seconds = slow_seconds
        self.tokens: dict[str, float] = {}
        self._cuts_left = cut_chunks
        self._cuts_lock = threading.Lock()

    def take_chunk_cut(self, length: int) -> bool:
        """True for the first ``cut_chunks`` chunks of 128 KiB or more: drop mid-body."""
        with self._cuts_lock:
            if self._cuts_left > 0 and length >= 2 * PIECE:
                self._cuts_left -= 1
                return True
            return False
