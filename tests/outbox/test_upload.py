"""Resumable chunked upload against the bundled server, a real process on loopback.

The server keeps every byte it receives and reports its offset; these tests cut the
connection mid-body and kill the uploader, and check that the upload resumes (the bytes
sent stay close to the file's size) and that the stored file has the right SHA-256.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.outbox.adapters.base import DeliveryError
from desktop.outbox.adapters.http import CHUNK_SIZE
from tests.outbox.test_http import ROOT, WORKSTATION, Server, dossier

MB = 1 << 20


def _file(path: Path, size: int) -> dict[str, object]:
    data = os.urandom(size)
    path.write_bytes(data)
    return {"sha256": hashlib.sha256(data).hexdigest(), "filename": path.name, "size": size,
            "component_code": "TP1", "kind": "component", "digitized": True}


def _uploads(srv: Server) -> list[dict]:  # type: ignore[type-arg]
    return srv.dump()["uploads"]  # type: ignore[no-any-return]


def test_cut_connections_resume_from_the_server_offset(tmp_path: Path) -> None:
    cuts = 4
    srv = Server(tmp_path / "server", cut_chunks=cuts)
    a = srv.adapter()
    try:
        a.send_dossier("d1", dossier("X-1"))
        size = 20 * MB + 12345
        meta = _file(tmp_path / "big.pdf", size)
        a.send_file("f1", "X-1", meta, tmp_path / "big.pdf")
        dump = srv.dump()
        [f] = dump["dossiers"][0]["files"]
        assert f["sha256"] == f["stored_sha256"] == meta["sha256"] and f["size"] == size
        [up] = dump["uploads"]
        assert up["state"] == "complete"
        # 21 chunk requests without cuts; each cut adds one (a resumed chunk ends mid-MiB, so
        # two halves can share the last request)
        assert 21 < up["requests"] <= 21 + cuts
        assert up["received_bytes"] == size  # every byte arrived once: each cut resumed where it broke
        # what the client handed to the network: the file plus at most the rest of each cut chunk,
        # against size × cuts (= 80 MB) if every cut had started the file over
        assert size <= a.chunk_bytes_sent <= size + cuts * CHUNK_SIZE < size * 2
        a.send_file("f1", "X-1", meta, tmp_path / "big.pdf")  # the job again (lease ran out): nothing new
        assert _uploads(srv)[0]["received_bytes"] == size and len(srv.dump()["dossiers"][0]["files"]) == 1
    finally:
        a.close()
        srv.stop()


SLOW_UPLOADER = r"""
import sys, time, json
from pathlib import Path
from desktop.outbox.adapters.http import HttpAdapter
class Slow(HttpAdapter):
    def _counted(self, data):
        for piece in super()._counted(data):
            time.sleep(0.01)
            yield piece
a = Slow(sys.argv[1], "motcua", sys.argv[4], workstation_id=sys.argv[5], chunk_size=256 << 10)
a.send_file("f1", "X-1", json.loads(sys.argv[2]), Path(sys.argv[3]))
"""


def test_killed_uploader_resumes_where_the_server_stopped(tmp_path: Path) -> None:
    srv = Server(tmp_path / "server")
    try:
        srv.adapter().send_dossier("d1", dossier("X-1"))
        size = 20 * MB
        path = tmp_path / "big.pdf"
        meta = _file(path, size)
        import json

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        p = subprocess.Popen([sys.executable, "-c", SLOW_UPLOADER, srv.url, json.dumps(meta), str(path), srv.secret,
                              WORKSTATION], env=env,
                             stderr=subprocess.PIPE)
        received = 0
        deadline = time.monotonic() + 60
        while received < 6 * MB and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.05)
            with sqlite3.connect(tmp_path / "server" / "server.db") as db:
                row = db.execute("SELECT received FROM upload").fetchone()
            received = row[0] if row else 0
        p.send_signal(signal.SIGKILL)  # mid-chunk, most likely
        p.wait()
        assert p.returncode == -signal.SIGKILL, p.stderr.read() if p.stderr else ""
        time.sleep(0.3)  # the server notices the closed socket and keeps what arrived
        [before] = _uploads(srv)
        assert MB < before["received_bytes"] < size and before["state"] == "open"
        a = srv.adapter(chunk_size=256 << 10)
        a.send_file("f1", "X-1", meta, path)  # the restarted uploader: same job, same key
        a.close()
        [after] = _uploads(srv)
        assert after["state"] == "complete" and after["received_bytes"] == size
        assert a.chunk_bytes_sent == size - before["received_bytes"]  # only the rest was sent again
        [f] = srv.dump()["dossiers"][0]["files"]
        assert f["stored_sha256"] == meta["sha256"]
    finally:
        srv.stop()


def test_complete_rejects_a_whole_that_does_not_match(tmp_path: Path) -> None:
    srv = Server(tmp_path / "server")
    a = srv.adapter(chunk_threshold=100_000, chunk_size=64 << 10)
    try:
        a.send_dossier("d1", dossier("X-1"))
        meta = _file(tmp_path / "a.pdf", 300_000)
        with pytest.raises(DeliveryError) as err:
            a.send_file("f-bad", "X-1", {**meta, "sha256": hashlib.sha256(b"other").hexdigest()}, tmp_path / "a.pdf")
        assert err.value.permanent and "422" in str(err.value) and "sha256 mismatch" in str(err.value)
        assert srv.dump()["dossiers"][0]["files"] == []
        a.send_file("f-good", "X-1", meta, tmp_path / "a.pdf")
        [f] = srv.dump()["dossiers"][0]["files"]
        assert f["stored_sha256"] == meta["sha256"]
        (tmp_path / "a.pdf").unlink()
        with pytest.raises(DeliveryError) as gone:
            a.send_file("f-gone", "X-1", meta, tmp_path / "a.pdf")
        assert gone.value.permanent and "đã bị xóa" in str(gone.value)
    finally:
        a.close()
        srv.stop()


def test_upload_protocol_errors(tmp_path: Path) -> None:
    """What the server says to requests outside the contract (the adapter never sends them)."""
    import httpx

    srv = Server(tmp_path / "server")
    try:
        with httpx.Client(base_url=srv.url, timeout=10) as c:
            h = {"Authorization": f"Bearer {srv.token()}", "X-Workstation-Id": WORKSTATION}
            new = {"sha256": "a" * 64, "size": 10}
            assert c.post("/api/dossiers/NO/uploads", json=new, headers={**h, "Idempotency-Key": "u0"}).status_code == 409
            c.put("/api/dossiers/X-1", json=dossier("X-1"), headers={**h, "Idempotency-Key": "k"})
            assert c.post("/api/dossiers/X-1/uploads", json={"sha256": "zz", "size": 10},
                          headers={**h, "Idempotency-Key": "u1"}).status_code == 422
            assert c.post("/api/dossiers/X-1/uploads", json=new, headers=h).status_code == 400  # no key
            up = c.post("/api/dossiers/X-1/uploads", json=new, headers={**h, "Idempotency-Key": "u2"}).json()
            again = c.post("/api/dossiers/X-1/uploads", json=new, headers={**h, "Idempotency-Key": "u2"}).json()
            assert up["upload_id"] == again["upload_id"] and up["offset"] == 0
            u = f"/api/uploads/{up['upload_id']}"
            r = c.put(u, content=b"12345", headers={**h, "Content-Range": "bytes 0-4/10"})
            assert r.status_code == 200 and r.json()["offset"] == 5
            r = c.put(u, content=b"12345", headers={**h, "Content-Range": "bytes 0-4/10"})
            assert r.status_code == 409 and r.json()["offset"] == 5  # not where the server is
            assert c.put(u, content=b"123", headers={**h, "Content-Range": "bytes 5-9/10"}).status_code == 400
            r = c.post(f"{u}/complete", headers={**h, "Idempotency-Key": "c1"})
            assert r.status_code == 409 and r.json()["offset"] == 5
            assert c.get(u, headers=h).json()["offset"] == 5
            assert c.get("/api/uploads/nope", headers=h).status_code == 404
    finally:
        srv.stop()


def test_openapi_documents_the_upload_session() -> None:
    import re

    import yaml

    doc = yaml.safe_load((ROOT / "docs" / "dossier-system.openapi.yaml").read_text(encoding="utf-8"))
    paths = doc["paths"]
    assert {"post"} <= set(paths["/api/dossiers/{code}/uploads"])
    assert {"get", "put"} <= set(paths["/api/uploads/{id}"]) and "post" in paths["/api/uploads/{id}/complete"]
    put = paths["/api/uploads/{id}"]["put"]
    assert any(p.get("name") == "Content-Range" for p in put["parameters"]) and "409" in put["responses"]
    text = (ROOT / "docs" / "dossier-system.openapi.yaml").read_text(encoding="utf-8")
    for ref in re.findall(r'\$ref: "#/([^"]+)"', text):  # every reference resolves
        node = doc
        for part in ref.split("/"):
            node = node[part]
