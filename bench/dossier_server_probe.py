"""Probe a running dossier server with the hostile requests of issue 14 (item 7); one line each.

    .venv/bin/python bench/dossier_server_probe.py --url http://127.0.0.1:8765 --secret S

Each request goes on its own raw connection; "no answer" means the handler died or never
answered within the timeout. Works against any version of the bundled server (the old one
took the secret ``motcua-secret`` and no workstation header).
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import uuid
from urllib.parse import urlparse

import httpx


def ask(host: str, port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
        length: str | None = None, timeout: float = 5) -> str:
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    head.append(f"Content-Length: {len(body) if length is None else length}")
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            r = http.client.HTTPResponse(s)
            r.begin()
            data = r.read()
    except (OSError, http.client.HTTPException) as exc:
        return f"no answer ({type(exc).__name__})"
    kind = "JSON" if (r.getheader("Content-Type") or "").startswith("application/json") else "not JSON"
    return f"{r.status} {kind} {data[:60]!r}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--secret", required=True)
    args = ap.parse_args()
    u = urlparse(args.url)
    host, port = u.hostname or "127.0.0.1", u.port or 80
    token = httpx.post(f"{args.url}/oauth/token", data={"grant_type": "client_credentials", "client_id": "motcua",
                                                        "client_secret": args.secret}).json()["access_token"]
    run = uuid.uuid4().hex[:6]
    ws_a, ws_b = "ws-probe-aaaaaaaa", "ws-probe-bbbbbbbb"

    def h(key: str | None = None, ws: str = ws_a, **more: str) -> dict[str, str]:
        out = {"Authorization": f"Bearer {token}", "X-Workstation-Id": ws, "Content-Type": "application/json", **more}
        if key:
            out["Idempotency-Key"] = f"{run}-{key}"
        return out

    def doc(code: str, owner: str = "Nguyễn Văn An", id_number: str = "079090001234") -> bytes:
        return json.dumps({"code": code, "procedure_code": "1.001193", "channel": 1, "status": 2,
                           "received_at": "2026-12-01T08:00:00+07:00",
                           "owner": {"name": owner, "id_number": id_number}}).encode()

    c1, c2 = f"P{run}-1", f"P{run}-2"
    ask(host, port, "PUT", f"/api/dossiers/{c1}", doc(c1), h("seed"))
    probes = [
        ("status Infinity", "POST", f"/api/dossiers/{c1}/status", b'{"status": Infinity, "seq": 1}', h("inf"), None),
        ("status 1e400", "POST", f"/api/dossiers/{c1}/status", b'{"status": 1e400, "seq": 1}', h("e400"), None),
        ("seq beyond 64 bits", "POST", f"/api/dossiers/{c1}/status", b'{"status": 2, "seq": 99999999999999999999}',
         h("big"), None),
        ("JSON 1,000 deep", "PUT", f"/api/dossiers/{c1}", b"[" * 1000 + b"]" * 1000, h("deep"), None),
        ("Content-Length: abc", "PUT", f"/api/dossiers/{c1}", b"{}", h("cl"), "abc"),
        ("GET /nope", "GET", "/nope", b"", {}, None),
        ("GET /oauth/token", "GET", "/oauth/token", b"", {}, None),
        ("TRACE /health", "TRACE", "/health", b"", {}, None),
        ("token without Bearer", "GET", f"/api/dossiers/{c1}", b"", {"Authorization": token}, None),
        ("key reused for another dossier", "PUT", f"/api/dossiers/{c2}", doc(c2), h("seed"), None),
        ("upload creation without key", "POST", f"/api/dossiers/{c1}/uploads",
         json.dumps({"sha256": "a" * 64, "size": 10}).encode(), h(), None),
        ("dossier without procedure/owner", "PUT", f"/api/dossiers/{c2}",
         json.dumps({"code": c2, "status": 2}).encode(), h("inv"), None),
        ("same code, another citizen", "PUT", f"/api/dossiers/{c1}", doc(c1, "Trần Thị Bình", "079090009999"),
         h("own"), None),
        ("same code, another workstation", "PUT", f"/api/dossiers/{c1}", doc(c1), h("ws", ws=ws_b), None),
        ("PUT whole file, Content-Length 400 MiB, no body", "PUT", f"/api/dossiers/{c1}/files/{'a' * 64}", b"",
         h("big-file"), str(400 << 20)),
    ]
    for name, method, path, body, headers, length in probes:
        print(f"{name:48s} {ask(host, port, method, path, body, headers, length)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
