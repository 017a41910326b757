"""HTTP routing of the bundled dossier server: every request gets a JSON answer (but a
citizen's document file, which is its PDF).

This module holds the mechanics (the route table, reading bodies, answering, idempotency
keys); ``endpoints`` holds what each route does.

A path that matches no route is 404, a route asked with another method 405 (with
``Allow``), a method HTTP does not know here 501, a malformed request 400, a body above
its bound 413: nothing raises past :meth:`Handler._dispatch` (a bug is a 500, logged),
so no request is left without an answer. Bodies are read in pieces to disk while hashed
(whole files) or appended to the upload session (chunks); JSON bodies are at most
``MAX_JSON_BODY``. Writes carry an ``Idempotency-Key`` bound to the request's method, path
and body hash; the answer to a key is replayed only to the same request.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

from desktop.dossier_server import validation as check
from desktop.dossier_server.faults import OVERSIZED_BYTES, PIECE, Fault, NationalFault
from desktop.dossier_server.store import CodeTaken
from desktop.dossier_server.validation import Invalid

if TYPE_CHECKING:
    from desktop.dossier_server.server import DossierServer

log = logging.getLogger(__name__)
#: an unread body up to this size is read and dropped so the connection can be kept alive
DRAIN_LIMIT = 1 << 20
#: the token endpoint's form is tiny
MAX_FORM_BODY = 16 << 10
Answer = tuple[int, dict[str, Any]]
#: the national store's routes (``--national-fault`` acts on these)
NATIONAL_ACTIONS = frozenset({"get_documents", "get_document_file"})


class Route(NamedTuple):
    method: str
    template: tuple[str, ...]
    action: str
    #: needs a bearer token
    auth: bool = True
    #: a write: faults are injected here
    write: bool = False

    def match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self.template):
            return None
        params = {}
        for part, seg in zip(self.template, segments, strict=True):
            if part.startswith("{"):
                value = unquote(seg, errors="strict") if "%" in seg else seg
                if not value:
                    return None
                params[part.strip("{}")] = value
            elif part != seg:
                return None
        return params


def _route(method: str, path: str, action: str, **kw: bool) -> Route:
    return Route(method, tuple(path.strip("/").split("/")), action, **kw)


ROUTES = (
    _route("GET", "/health", "health", auth=False),
    _route("POST", "/oauth/token", "token", auth=False),
    _route("PUT", "/api/dossiers/{code}", "put_dossier", write=True),
    _route("GET", "/api/dossiers/{code}", "get_dossier"),
    _route("PUT", "/api/dossiers/{code}/files/{sha256}", "put_file", write=True),
    _route("POST", "/api/dossiers/{code}/status", "post_status", write=True),
    _route("POST", "/api/dossiers/{code}/uploads", "create_upload", write=True),
    _route("GET", "/api/uploads/{upload_id}", "get_upload"),
    _route("PUT", "/api/uploads/{upload_id}", "put_chunk", write=True),
    _route("POST", "/api/uploads/{upload_id}/complete", "complete_upload", write=True),
    _route("PUT", "/api/audit-anchors/{workstation}", "put_anchor", write=True),
    _route("GET", "/api/audit-anchors/{workstation}", "get_anchor"),
    _route("GET", "/api/citizens/{id_number}/documents", "get_documents"),
    _route("GET", "/api/citizens/{id_number}/documents/{doc_id}/file", "get_document_file"),
)


class ClientGone(Exception):
    """The client went away mid-body: there is no one to answer."""


class RequestHandler(BaseHTTPRequestHandler):
    """HTTP mechanics: routing, bodies, answers, idempotency; the endpoints are in ``endpoints``."""

    server: DossierServer
    protocol_version = "HTTP/1.1"
    #: body bytes of the current request not read yet
    _unread: int = 0
    _answered: bool = False
    #: a cut fault drawn for this chunk
    _chunk_cut: bool = False
    timeout = 60  # a client that stops sending mid-body does not hold a thread forever

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def setup(self) -> None:
        super().setup()
        # headers and body leave in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every keep-alive request
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # --- answers -------------------------------------------------------------------------

    def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._drop_unread()
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self._answered = True

    def _send_file(self, path: Path, content_type: str = "application/pdf") -> None:
        """A stored file as the answer's body, in pieces (a signed PDF can be large)."""
        self._drop_unread()
        size = path.stat().st_size
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(size))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            with open(path, "rb") as f:
                for piece in iter(lambda: f.read(PIECE), b""):
                    self.wfile.write(piece)
        self._answered = True

    def _query(self) -> dict[str, list[str]]:
        """The query string's parameters (UTF-8, URL-encoded); anything else is a 422."""
        from urllib.parse import parse_qs

        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        try:
            return parse_qs(query, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise Invalid(422, "invalid_request", "the query string must be URL-encoded UTF-8") from None

    def _fail(self, exc: Invalid) -> None:
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if exc.status == 401 else {}
        if "allow" in exc.extra:
            headers["Allow"] = exc.extra.pop("allow")
        self._answer(exc.status, exc.body(), headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, an unknown method) in JSON too."""
        self.close_connection = True
        # a request line http.server could not read leaves the version at 0.9, which has no
        # status line: answer as HTTP/1.0 so the client can read the refusal
        self.request_version = "HTTP/1.0" if self.request_version == "HTTP/0.9" else self.request_version
        phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error"
        data = json.dumps({"error": phrase.lower().replace(" ", "_"), "error_description": message or phrase}).encode()
        with contextlib.suppress(OSError):
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    def _cut(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        self._answered = True

    # --- bodies --------------------------------------------------------------------------

    def _drop_unread(self) -> None:
        """Read what is left of the body (small) or close the connection after the answer (large)."""
        left, self._unread = self._unread, 0
        if left <= 0:
            return
        if left > DRAIN_LIMIT:
            self.close_connection = True
            return
        try:
            while left > 0:
                piece = self.rfile.read(min(PIECE, left))
                if not piece:
                    break
                left -= len(piece)
        except OSError:
            pass
        if left > 0:
            self.close_connection = True

    def _read(self, limit: int) -> bytes:
        """The whole (small) body, refused with 413 above ``limit`` before a byte of it is read."""
        if self._unread > limit:
            raise Invalid(413, "too_large", f"the body is larger than {limit} bytes")
        want, self._unread = self._unread, 0
        try:
            data = self.rfile.read(want) if want else b""
        except OSError:
            data = b""
        if len(data) < want:
            raise ClientGone
        return data

    def _stream(self, target: Path, limit: int, *, mode: str = "wb") -> tuple[int, str]:
        """Write up to ``limit`` body bytes to ``target`` in pieces: (bytes written, their SHA-256)."""
        h, got = hashlib.sha256(), 0
        with open(target, mode) as out:
            while got < limit:
                try:
                    piece = self.rfile.read(min(PIECE, limit - got))
                except OSError:  # the client went away (killed, network gone)
                    piece = b""
                if not piece:
                    break
                out.write(piece)
                h.update(piece)
                got += len(piece)
                self._unread -= len(piece)
            out.flush()
            os.fsync(out.fileno())
        return got, h.hexdigest()

    def _json(self) -> tuple[Any, str]:
        data = self._read(check.MAX_JSON_BODY)
        return check.parse_json(data) if data else None, hashlib.sha256(data).hexdigest()

    # --- dispatch ------------------------------------------------------------------------

    def _dispatch(self) -> None:
        self._unread, self._answered, self._chunk_cut = 0, False, False
        try:
            self._route()
        except Invalid as exc:
            self._fail(exc)
        except CodeTaken as exc:
            self._answer(409, exc.body())
        except ClientGone:
            self._cut()
        except Exception:  # a bug still gets an answer, and the log says where
            log.exception("dossier server: %s %s", self.command, self.path)
            if not self._answered:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self._answer(500, {"error": "server_error", "error_description": "internal error"})

    def __getattr__(self, name: str) -> Any:
        # http.server looks up do_<METHOD>: every method is routed, so a path answers 404
        # or 405 (with Allow) to TRACE, QUERY or any other method, never an HTML 501
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _route(self) -> None:
        path = self.path.split("?", 1)[0]
        segments = path[1:].split("/") if path.startswith("/") else []
        try:
            found = [(r, p) for r in ROUTES if (p := r.match(segments)) is not None]
        except UnicodeDecodeError:
            found = []
        # the length first: an answer without it cannot know where the next request starts
        try:
            self._unread = check.content_length(self.headers.get("Content-Length"),
                                                transfer_encoding=self.headers.get("Transfer-Encoding"))
        except Invalid:
            self.close_connection = True
            raise
        if not found:
            raise Invalid(404, "not_found", f"no such resource: {path[:200]}")
        route, params = next(((r, p) for r, p in found if r.method == self.command), (None, {}))
        if route is None:
            allowed = ", ".join(sorted({r.method for r, _ in found}))
            raise Invalid(405, "method_not_allowed", f"{self.command} is not allowed here (allowed: {allowed})",
                          allow=allowed)
        if route.write:
            fault = self.server.faults.draw(self._fault_key(route, params))
            if fault is not None and not (route.action == "put_chunk" and fault is Fault.CUT):
                return self._act_out(fault)  # a chunk is cut mid-body, in put_chunk
            self._chunk_cut = fault is Fault.CUT
        national = self.server.national_fault if route.action in NATIONAL_ACTIONS else None
        if national is not None and national is not NationalFault.SLOW:
            return self._act_out_national(national, params)
        if national is NationalFault.SLOW:
            time.sleep(self.server.faults.slow_seconds)  # then answered as usual, too late for the client
        if route.auth and not self.server.tokens.valid(self.headers.get("Authorization")):
            raise Invalid(401, "invalid_token", "a valid bearer token is required (Authorization: Bearer …)")
        action: Callable[..., None] = getattr(self, route.action)
        action(**params)

    def _fault_key(self, route: Route, params: dict[str, str]) -> str:
        """What names a request for a fault schedule: retries of one request share it.

        The ``Idempotency-Key`` (a retry sends the same one); a chunk has none, and its
        upload session names it (a resumed chunk starts at another offset); else the
        method and path.
        """
        key = self.headers.get("Idempotency-Key")
        if key:
            return key[:check.MAX_KEY]
        if route.action == "put_chunk":
            return f"upload:{params['upload_id'][:check.MAX_KEY]}"
        return f"{self.command} {self.path.split('?', 1)[0][:check.MAX_KEY]}"

    def _act_out(self, fault: Fault) -> None:
        if fault is Fault.CUT:  # read the body, then drop the connection without an answer
            self._drop_unread()
            self._cut()
        elif fault is Fault.EXPIRED:
            self._answer(401, {"error": "invalid_token", "error_description": "token expired"},
                         {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        else:
            self._answer(int(fault.value), {"error": "server_error", "error_description": "injected fault"})

    def _act_out_national(self, fault: NationalFault, params: dict[str, str]) -> None:
        if fault is NationalFault.UNAUTHORIZED:
            self._answer(401, {"error": "invalid_token", "error_description": "this workstation's token is refused"},
                         {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        elif fault is NationalFault.FORBIDDEN:
            self._answer(403, {"error": "forbidden", "error_description": "this workstation may not look up "
                                                                          "citizens' documents"})
        elif fault is NationalFault.MALFORMED:
            self._raw(200, b'{"id_number": "' + params["id_number"].encode()[:12] + b'", "documents": [{"id": ')
        elif fault is NationalFault.OVERSIZED:
            one = json.dumps({"id": "x" * 64, "kind": "component", "doc_type": "GCS", "doc_name": "x" * 400,
                              "sha256": "0" * 64, "size": 1, "source_dossier": "x", "signature_state": "verified"})
            many = ", ".join([one] * (OVERSIZED_BYTES // len(one) + 1))
            self._raw(200, f'{{"id_number": "{params["id_number"][:12]}", "documents": [{many}]}}'.encode())
        else:
            self._answer(int(fault.value), {"error": "server_error", "error_description": "injected fault"})

    def _raw(self, status: int, data: bytes) -> None:
        """A body sent as it is (the faults that are not the contract's JSON)."""
        self._drop_unread()
        self._answered = True
        with contextlib.suppress(OSError):  # a client that stops reading an oversized answer hangs up
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                for i in range(0, len(data), PIECE):
                    self.wfile.write(data[i:i + PIECE])

    def _once(self, key: str, digest: str, act: Callable[[], Answer], *, replay: bool = True) -> None:
        """Run a write once per idempotency key; the key is bound to method, path and body hash."""
        store = self.server.store
        fingerprint = hashlib.sha256(f"{self.command} {self.path.split('?', 1)[0]} {digest}".encode()).hexdigest()
        with store.key_lock(key):
            seen = store.remembered(key)
            if seen is not None and seen.fingerprint is not None and seen.fingerprint != fingerprint:
                raise Invalid(422, "idempotency_key_reused",
                              "this Idempotency-Key was used for another request (method, path or body differ)")
            if seen is not None and replay:
                return self._answer(seen.status, seen.body | {"replayed": True})
            try:
                status, body = act()
            except Invalid as exc:
                status, body = exc.status, exc.body()
            except CodeTaken as exc:
                status, body = 409, exc.body()
            # "not yet" answers (401, 409, 5xx) are not the final word on a key
            if seen is None and status < 500 and status not in (401, 409):
                store.remember(key, fingerprint, status, body)
            self._answer(status, body)
        return None
