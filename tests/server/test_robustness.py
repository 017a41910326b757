"""The bundled dossier server against malformed and hostile requests (issue 14, item 7).

Each request goes over a raw socket to the real server process on loopback, so a request
that kills the handler shows as "no answer" instead of being hidden by a client library.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.outbox.test_http import ROOT, WORKSTATION, Server, dossier

MB = 1 << 20


def ask(server: Server, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None, *,
        length: str | None = None, timeout: float = 10) -> tuple[int, dict[str, str], dict]:  # type: ignore[type-arg]
    """One request on its own connection; fails the test when the server does not answer."""
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    head.append(f"Content-Length: {len(body) if length is None else length}")
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        r = http.client.HTTPResponse(s)
        try:
            r.begin()
        except (http.client.RemoteDisconnected, ConnectionError, TimeoutError) as exc:
            raise AssertionError(f"{method} {path}: no answer ({type(exc).__name__})") from None
        data = r.read()
        answer = {k.lower(): v for k, v in r.getheaders()}
    assert answer.get("content-type", "").startswith("application/json"), (r.status, answer, data[:200])
    return r.status, answer, json.loads(data) if data else {}


def auth(server: Server, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token()}", "X-Workstation-Id": WORKSTATION, **more}


def put_dossier(server: Server, doc: dict, key: str, workstation: str = WORKSTATION) -> httpx.Response:  # type: ignore[type-arg]
    return httpx.put(f"{server.url}/api/dossiers/{doc['code']}", json=doc, timeout=10,
                     headers={**auth(server), "Idempotency-Key": key, "X-Workstation-Id": workstation})


# --- malformed input: a 4xx answer, and the server goes on --------------------------------

DEEP = b"[" * 1000 + b"]" * 1000
MALFORMED = {
    "infinity": b'{"code": "X-1", "status": Infinity}',
    "nan": b'{"status": NaN, "seq": 1}',
    "1e400": b'{"status": 1e400, "seq": 1}',
    "int-beyond-64-bits": b'{"status": 2, "seq": 123456789012345678901234567890}',
    "huge-int": b'{"status": 2, "seq": ' + b"9" * 5000 + b"}",
    "nested-1000-deep": DEEP,
    "nested-object": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "not-utf8": b'{"status": "\xff\xfe"}',
    "not-json": b"<xml/>",
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("path", ["/api/dossiers/X-1", "/api/dossiers/X-1/status", "/api/dossiers/X-1/uploads"])
def test_malformed_json_gets_a_4xx_answer(server: Server, path: str, body: bytes) -> None:
    put_dossier(server, dossier("X-1"), "seed").raise_for_status()
    method = "PUT" if path == "/api/dossiers/X-1" else "POST"
    status, _, answer = ask(server, method, path, body, auth(server, **{"Idempotency-Key": f"k-{hash(body)}"}))
    assert 400 <= status < 500 and answer["error"], (status, answer)
    assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "99999999999999999999999", " 12x"])
def test_bad_content_length_gets_400(server: Server, length: str) -> None:
    status, headers, answer = ask(server, "PUT", "/api/dossiers/X-1", b"{}", auth(server, **{"Idempotency-Key": "k"}),
                                  length=length)
    assert status == 400 and "Content-Length" in answer["error_description"]
    assert headers.get("connection") == "close"  # where the next request starts is unknown


def test_chunked_transfer_encoding_gets_400(server: Server) -> None:
    status, _, answer = ask(server, "PUT", "/api/dossiers/X-1", b"", {"Transfer-Encoding": "chunked"})
    assert status == 400 and "Transfer-Encoding" in answer["error_description"]


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("GET", "/nope", 404), ("GET", "/", 404), ("GET", "/api", 404), ("GET", "/api/dossiers", 404),
    ("GET", "/api/dossiers/", 404), ("GET", "/api/dossiers/X-1/files", 404), ("GET", "/oauth/token", 405),
    ("POST", "/nope", 404), ("DELETE", "/api/dossiers/X-1", 405), ("TRACE", "/health", 405),
    ("TRACE", "/oauth/token", 405), ("PATCH", "/api/uploads/u1", 405), ("QUERY", "/health", 405),
    ("GET", "/api/dossiers/%ff%fe", 404), ("GET", "http://elsewhere/health", 404),
])
def test_every_route_answers_in_json(server: Server, method: str, path: str, expected: int) -> None:
    status, headers, answer = ask(server, method, path)
    assert status == expected and answer["error"], (status, answer)
    if expected == 405:
        assert headers["allow"]


@pytest.mark.parametrize(("request_head", "expected"), [
    (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)), 431),  # too many headers
    (b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70000 + b"\r\n", 431),
    (b"GET / HTTP/1.1 trailing words\r\n", 400),
])
def test_http_servers_own_refusals_are_json(server: Server, request_head: bytes, expected: int) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(request_head + b"\r\n")
        r = http.client.HTTPResponse(s)
        r.begin()
        assert r.status == expected and r.getheader("Content-Type", "").startswith("application/json")
        assert json.loads(r.read())["error"]


# --- bounded bodies -----------------------------------------------------------------------


def _peak_rss(server: Server) -> int:
    for line in Path(f"/proc/{server.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def _bytes_read(server: Server) -> int:
    for line in Path(f"/proc/{server.proc.pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar")


@pytest.mark.slow
def test_a_large_whole_file_streams_to_disk(server: Server, tmp_path: Path) -> None:
    """Measured before: a 400 MiB PUT took 427 MiB; a 48 MiB body now costs well under 16 MiB."""
    put_dossier(server, dossier("X-1"), "d").raise_for_status()
    data = os.urandom(48 * MB)
    sha = hashlib.sha256(data).hexdigest()
    httpx.get(f"{server.url}/health")
    before = _peak_rss(server)
    r = httpx.put(f"{server.url}/api/dossiers/X-1/files/{sha}", content=data, timeout=60,
                  headers={**auth(server), "Idempotency-Key": "f"})
    assert r.status_code == 201 and r.json()["sha256"] == sha
    grew = _peak_rss(server) - before
    assert grew < 16 * MB, f"peak memory grew {grew / MB:.1f} MiB for a 48 MiB body"
    assert hashlib.sha256((server.data / "files" / sha).read_bytes()).hexdigest() == sha


def test_bodies_above_their_bound_are_refused_unread(server: Server) -> None:
    """413 at once from the headers: the server does not wait for (or keep) a body it will refuse."""
    put_dossier(server, dossier("X-1"), "d").raise_for_status()
    h = auth(server, **{"Idempotency-Key": "big"})
    t0 = time.monotonic()
    status, headers, answer = ask(server, "PUT", "/api/dossiers/X-1/files/" + "a" * 64, b"", h, length=str(400 * MB))
    assert status == 413 and "upload session" in answer["error_description"] and headers["connection"] == "close"
    status, _, _ = ask(server, "PUT", "/api/dossiers/X-1", b"", h, length=str(2 * MB))
    assert status == 413
    up = httpx.post(f"{server.url}/api/dossiers/X-1/uploads", json={"sha256": "b" * 64, "size": 100 * MB},
                    headers={**auth(server), "Idempotency-Key": "u"}).json()
    status, _, _ = ask(server, "PUT", f"/api/uploads/{up['upload_id']}", b"",
                       {**h, "Content-Range": f"bytes 0-{32 * MB - 1}/{100 * MB}"}, length=str(32 * MB))
    assert status == 413
    assert time.monotonic() - t0 < 5


def test_a_dossier_get_reads_only_that_dossier(server: Server) -> None:
    """Before: every GET re-hashed every file the server held."""
    put_dossier(server, dossier("X-1"), "d1").raise_for_status()
    put_dossier(server, dossier("X-2"), "d2").raise_for_status()
    data = os.urandom(24 * MB)
    sha = hashlib.sha256(data).hexdigest()
    httpx.put(f"{server.url}/api/dossiers/X-1/files/{sha}", content=data, timeout=60,
              headers={**auth(server), "Idempotency-Key": "f1"}).raise_for_status()
    h = auth(server)
    before = _bytes_read(server)
    for _ in range(3):
        r = httpx.get(f"{server.url}/api/dossiers/X-2", headers=h)
        assert r.status_code == 200 and r.json()["code"] == "X-2"
    assert _bytes_read(server) - before < MB
    [f] = httpx.get(f"{server.url}/api/dossiers/X-1", headers=h).json()["files"]
    assert f["stored_sha256"] == sha


# --- idempotency keys ---------------------------------------------------------------------


def test_a_key_reused_for_another_request_is_422_and_stores_nothing(server: Server) -> None:
    """Before: the old answer came back and the second dossier was silently dropped."""
    assert put_dossier(server, dossier("X-1"), "same").status_code == 201
    again = put_dossier(server, dossier("X-1"), "same")
    assert again.status_code == 201 and again.json()["replayed"] is True  # the same request: replayed
    other = put_dossier(server, dossier("X-2"), "same")
    assert other.status_code == 422 and other.json()["error"] == "idempotency_key_reused"
    changed = put_dossier(server, dossier("X-1", status=4), "same")  # same path, another body
    assert changed.status_code == 422
    status = httpx.post(f"{server.url}/api/dossiers/X-1/status", json={"status": 4, "seq": 1},
                        headers={**auth(server), "Idempotency-Key": "same"})
    assert status.status_code == 422
    assert httpx.get(f"{server.url}/api/dossiers/X-2", headers=auth(server)).status_code == 404
    assert httpx.get(f"{server.url}/api/dossiers/X-1", headers=auth(server)).json()["dossier"]["status"] == 2


def test_upload_creation_needs_a_key(server: Server) -> None:
    put_dossier(server, dossier("X-1"), "d").raise_for_status()
    r = httpx.post(f"{server.url}/api/dossiers/X-1/uploads", json={"sha256": "a" * 64, "size": 10}, headers=auth(server))
    assert r.status_code == 400 and r.json()["error"] == "idempotency_key_required"


@pytest.mark.parametrize("header", [None, ""])
def test_writes_need_the_workstation(server: Server, header: str | None) -> None:
    h = {"Authorization": f"Bearer {server.token()}", "Idempotency-Key": "k"}
    if header is not None:
        h["X-Workstation-Id"] = header
    r = httpx.put(f"{server.url}/api/dossiers/X-1", json=dossier("X-1"), headers=h)
    assert r.status_code == 400 and r.json()["error"] == "workstation_required"


# --- the contract, checked explicitly -----------------------------------------------------

INVALID = {
    "no-procedure": {"procedure_code": None},
    "channel-7": {"channel": 7},
    "channel-bool": {"channel": True},
    "status-11": {"status": 11},
    "status-float": {"status": 2.0},
    "owner-list": {"owner": ["Nguyễn Văn An"]},
    "id-number-short": {"owner": {"name": "An", "id_number": "123"}},
    "received-garbage": {"received_at": "yesterday"},
    "received-no-offset": {"received_at": "2026-12-01T08:00:00"},
    "due-not-a-date": {"due_at": 12},
    "documents-object": {"documents": {"code": "TK"}},
    "copy-kind-unknown": {"documents": [{"code": "TK", "copy_kind": "photocopy"}]},
    "quantity-string": {"documents": [{"code": "TK", "quantity": "1"}]},
    "other-code": {"code": "X-9"},
}


@pytest.mark.parametrize("change", INVALID.values(), ids=INVALID.keys())
def test_contract_invalid_dossiers_are_rejected(server: Server, change: dict) -> None:  # type: ignore[type-arg]
    doc = {k: v for k, v in {**dossier("X-1"), **change}.items() if v is not None}
    r = httpx.put(f"{server.url}/api/dossiers/X-1", json=doc, headers={**auth(server), "Idempotency-Key": "k"})
    assert r.status_code == 422, r.text
    assert httpx.get(f"{server.url}/api/dossiers/X-1", headers=auth(server)).status_code == 404


def test_validation_holds_under_python_O(tmp_path: Path) -> None:  # noqa: N802
    """The old checks were asserts, which ``python -O`` removes: every bad input above is still refused.

    (The whole of tests/server runs against ``-O`` servers with ``MOTCUA_TEST_SERVER_FLAGS=-O``.)
    """
    srv = Server(tmp_path / "server", python_flags=["-O"])
    try:
        assert b"-O" in Path(f"/proc/{srv.proc.pid}/cmdline").read_bytes().split(b"\0")[1:3]  # really optimised
        r = httpx.put(f"{srv.url}/api/dossiers/X-1", json={"code": "X-1", "status": 99},
                      headers={**auth(srv), "Idempotency-Key": "k"})
        assert r.status_code == 422
        for name, change in INVALID.items():
            doc = {k: v for k, v in {**dossier("X-1"), **change}.items() if v is not None}
            r = httpx.put(f"{srv.url}/api/dossiers/X-1", json=doc, headers={**auth(srv), "Idempotency-Key": name})
            assert r.status_code == 422, (name, r.text)
        put_dossier(srv, dossier("X-1"), "seed").raise_for_status()
        for name, body in MALFORMED.items():
            status, _, answer = ask(srv, "POST", "/api/dossiers/X-1/status", body, auth(srv, **{"Idempotency-Key": name}))
            assert 400 <= status < 500 and answer["error"], (name, status, answer)
        for length in ("abc", "-1", "99999999999999999999999"):
            assert ask(srv, "PUT", "/api/dossiers/X-2", b"{}", auth(srv, **{"Idempotency-Key": "l"}), length=length)[0] == 400
        assert ask(srv, "PUT", "/api/dossiers/X-2", b"{}", auth(srv))[0] == 400  # no Idempotency-Key
        assert ask(srv, "PUT", "/api/dossiers/X-2", b"{}", {"Idempotency-Key": "m"})[0] == 401
        assert [d["code"] for d in srv.dump()["dossiers"]] == ["X-1"]
    finally:
        srv.stop()


# --- authentication -----------------------------------------------------------------------


@pytest.mark.parametrize("form", ["{t}", "Token {t}", "Basic {t}", "Bearer", "Bearer{t}", "Bearer {t} extra", "Bearer x{t}"])
def test_only_a_bearer_token_is_accepted(server: Server, form: str) -> None:
    """Before: the bare token (no ``Bearer ``) was accepted."""
    token = server.token()
    r = httpx.get(f"{server.url}/api/dossiers/X-1", headers={"Authorization": form.format(t=token)})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert httpx.get(f"{server.url}/api/dossiers/X-1", headers={"Authorization": f"bearer {token}"}).status_code == 404


def test_the_client_secret_is_generated_kept_private_and_shown_once(tmp_path: Path) -> None:
    first = Server(tmp_path / "server", capture=True)
    try:
        # the secret the code once had is no secret at all
        r = httpx.post(f"{first.url}/oauth/token", data={"grant_type": "client_credentials", "client_id": "motcua",
                                                  "client_secret": "motcua-secret"})
        assert r.status_code == 401 and r.json()["error"] == "invalid_client"
        assert first.secret_file.stat().st_mode & 0o777 == 0o600
        assert first.token()
    finally:
        out = first.stop()
    assert first.secret in out
    second = Server(tmp_path / "server", capture=True)
    try:
        assert second.secret == first.secret and second.token()
    finally:
        out = second.stop()
    assert first.secret not in out and "client-credentials.json" in out
    other = Server(tmp_path / "other")
    try:
        assert other.secret != first.secret
    finally:
        other.stop()


def test_grant_type_and_form_are_checked(server: Server) -> None:
    r = httpx.post(f"{server.url}/oauth/token", data={"grant_type": "password", "client_id": "motcua",
                                                       "client_secret": server.secret})
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"
    status, _, _ = ask(server, "POST", "/oauth/token", b"\xff\xfe=\xff", {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400


def test_server_process_never_logs_a_traceback(server: Server) -> None:
    """After a burst of hostile requests, the server's stderr holds no handler exception."""
    for body in MALFORMED.values():
        ask(server, "PUT", "/api/dossiers/X-1", body, auth(server, **{"Idempotency-Key": f"t-{hash(body)}"}))
    out = server.stop()
    assert "Traceback" not in out, out[-3000:]


def test_dump_still_verifies_bytes_on_disk(tmp_path: Path) -> None:
    srv = Server(tmp_path / "server")
    try:
        put_dossier(srv, dossier("X-1"), "d").raise_for_status()
        data = b"%PDF-1.4 x"
        sha = hashlib.sha256(data).hexdigest()
        httpx.put(f"{srv.url}/api/dossiers/X-1/files/{sha}", content=data,
                  headers={**auth(srv), "Idempotency-Key": "f"}).raise_for_status()
        (srv.data / "files" / sha).write_bytes(b"tampered")
        [f] = srv.dump()["dossiers"][0]["files"]
        assert f["sha256"] == sha and f["stored_sha256"] != sha
    finally:
        srv.stop()


def test_cli_dump_runs_without_starting_a_server(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "home"), "dossier-server",
                        "--data", str(tmp_path / "empty"), "--dump"], capture_output=True, text=True, cwd=ROOT,
                       timeout=60)
    assert r.returncode == 0 and json.loads(r.stdout) == {"dossiers": [], "uploads": [], "faults": []}
