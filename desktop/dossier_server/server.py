"""The bundled dossier-system server: stores what it receives, deduplicates, checks hashes,
and injects faults on demand (HTTP 500/503, slow answers, connections cut, expired tokens).

Standard library only (http.server + sqlite3): it stands in for the province's system in
tests and the demo; it is not meant to face the internet.
"""

from __future__ import annotations

import hashlib
import json
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
"""
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
        self.lock = threading.Lock()

    def dump(self) -> dict[str, Any]:
        out = []
        for code, body in self.db.execute("SELECT code, body FROM dossier ORDER BY code"):
            files = [{"sha256": s, "filename": f, "size": n} for s, f, n in
                     self.db.execute("SELECT sha256, filename, size FROM file WHERE dossier=? ORDER BY filename", (code,))]
            statuses = [{"seq": q, "status": st, "at": at} for q, st, at in
                        self.db.execute("SELECT seq, status, at FROM status WHERE dossier=? ORDER BY seq", (code,))]
            out.append({"code": code, "dossier": json.loads(body), "files": files, "status_history": statuses})
        return {"dossiers": out}


class Handler(BaseHTTPRequestHandler):
    server: DossierServer
    protocol_version = "HTTP/1.1"

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

    def _fault(self) -> bool:
        """Maybe misbehave; True when the request was answered (or cut) by a fault."""
        rate = self.server.fault_rate
        if rate <= 0 or random.random() >= rate:
            return False
        kind = random.choice(["500", "503", "slow", "cut", "expired"])
        if kind == "slow":
            time.sleep(1.5)
            return False
        if kind == "cut":  # read the body, then drop the connection without an answer
            self._body()
            self.close_connection = True
            self.connection.shutdown(2)
            return True
        self._body()
        if kind == "expired":
            self._send(401, {"error": "invalid_token", "error_description": "token expired"})
        else:
            self._send(int(kind), {"error": "server_error"})
        return True

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
        if self._fault() or not self._authorized():
            return
        parts = [unquote(p) for p in self.path.split("?")[0].strip("/").split("/")]
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
        if code < 500:
            with store.lock:
                store.db.execute("INSERT OR IGNORE INTO request VALUES (?, ?, ?)", (key, code, json.dumps(answer)))
        self._send(code, answer)

    def _handle(self, method: str, parts: list[str], body: bytes) -> tuple[int, dict[str, Any]]:
        store = self.server.store
        if len(parts) == 3 and parts[:2] == ["api", "dossiers"] and method == "PUT":
            try:
                doc = json.loads(body)
                assert isinstance(doc, dict) and doc.get("code") == parts[2] and 1 <= int(doc["status"]) <= 10
            except (ValueError, AssertionError, KeyError, TypeError):
                return 422, {"error": "invalid dossier"}
            with store.lock:
                store.db.execute("INSERT OR REPLACE INTO dossier VALUES (?, ?)", (parts[2], json.dumps(doc)))
            return 201, {"code": parts[2]}
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
                store.db.execute("INSERT OR IGNORE INTO status VALUES (?, ?, ?, ?)", (parts[2], seq, status, st.get("at")))
            return 201, {"status": status}
        return 404, {"error": "not_found"}


class DossierServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, data: Path, fault_rate: float = 0.0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.store = Store(data)
        self.fault_rate = fault_rate
        self.tokens: dict[str, float] = {}
