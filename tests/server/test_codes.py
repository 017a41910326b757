"""Dossier codes are never reused at the dossier system (issue 14: "Dossier codes never reused").

A workstation whose codes restart (a reinstalled workstation, a recreated database) sends a
code the dossier system already holds for another citizen's dossier: the bundled server
and the folder adapter refuse to overwrite it, and the outbox parks the job with that
reason in the user's language. Every request names the workstation instance.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.kernel.i18n import set_language
from desktop.outbox.adapters.base import DeliveryError
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.outbox.adapters.http import HttpAdapter
from desktop.outbox.adapters.identity import WORKSTATION_FILE, client_secret, workstation_id
from tests.outbox.exempt import exempt_components
from tests.outbox.test_http import ROOT, WORKSTATION, Server, dossier

ADMIN = Actor.cli()


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    set_language(None)
    yield
    set_language(None)


def _receive(ctx: AppContext, name: str, id_number: str) -> str:
    return ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=name,
                                applicant_id_number=id_number, components=exempt_components(2)).code


def test_a_second_workstation_cannot_overwrite_a_dossier_code(server: Server, tmp_path: Path) -> None:
    """Two fresh workstations number their first dossier alike: the second is parked, not stored."""
    first = AppContext(load_settings(tmp_path / "ws1", dossier_url=server.url, extra=server.extra()))
    second = AppContext(load_settings(tmp_path / "ws2", dossier_url=server.url, extra=server.extra()))
    try:
        code = _receive(first, "Nguyễn Văn An", "079090001234")
        assert first.outbox.drain(ADMIN, timeout=30)["delivered"] == 1
        assert _receive(second, "Trần Thị Bình", "079090009999") == code  # the same code, another citizen
        r = second.outbox.drain(ADMIN, timeout=30)
        assert r.get("parked") == 1 and r.get("delivered", 0) == 0, r
        [job] = [j for j in second.outbox.jobs() if j.state == "parked"]
        assert f"Hệ thống hồ sơ đã có hồ sơ {code} do một máy trạm khác gửi" in job.last_error
        held = httpx.get(f"{server.url}/api/dossiers/{code}",
                         headers={"Authorization": f"Bearer {server.token()}"}).json()
        assert held["dossier"]["owner"]["name"] == "Nguyễn Văn An"  # the first citizen's dossier is intact
    finally:
        first.close()
        second.close()


def test_the_same_workstation_cannot_overwrite_another_citizens_dossier(server: Server) -> None:
    a = server.adapter()
    try:
        a.send_dossier("k1", dossier("X-1", owner="Nguyễn Văn An", id_number="079090001234"))
        a.send_dossier("k2", dossier("X-1", status=4, owner="Nguyen Van An", id_number="079090001234"))  # an update
        a.send_dossier("k3", dossier("X-1", status=4, owner="nguyễn văn  an", id_number=""))  # same name, no number
        with pytest.raises(DeliveryError) as err:
            a.send_dossier("k4", dossier("X-1", owner="Trần Thị Bình", id_number="079090009999"))
        assert err.value.permanent and "của một công dân khác" in str(err.value)
        set_language("en")
        with pytest.raises(DeliveryError, match="already holds dossier X-1 of another citizen") as err_en:
            a.send_dossier("k5", dossier("X-1", owner="Trần Thị Bình", id_number=""))
        assert err_en.value.permanent
    finally:
        a.close()


def test_files_and_statuses_for_another_workstations_dossier_are_refused(server: Server, tmp_path: Path) -> None:
    mine, theirs = server.adapter(), server.adapter(workstation="ws-someone-else-01")
    try:
        mine.send_dossier("d", dossier("X-1"))
        f = tmp_path / "a.pdf"
        f.write_bytes(b"%PDF-1.4 theirs")
        meta = {"sha256": hashlib.sha256(f.read_bytes()).hexdigest(), "filename": "a.pdf"}
        with pytest.raises(DeliveryError) as err:
            theirs.send_file("f", "X-1", meta, f)
        assert err.value.permanent and "máy trạm khác" in str(err.value)
        with pytest.raises(DeliveryError) as err2:
            theirs.send_status("s", "X-1", {"status": 4, "seq": 1})
        assert err2.value.permanent
        big = tmp_path / "big.pdf"
        big.write_bytes(os.urandom(300_000))
        chunked = server.adapter(workstation="ws-someone-else-01", chunk_threshold=100_000)
        with pytest.raises(DeliveryError) as err3:
            chunked.send_file("f2", "X-1", {"sha256": hashlib.sha256(big.read_bytes()).hexdigest()}, big)
        assert err3.value.permanent
        chunked.close()
        assert server.dump()["dossiers"][0]["files"] == [] and server.dump()["dossiers"][0]["status_history"] == []
    finally:
        mine.close()
        theirs.close()


class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.seen: list[tuple[str, str, str | None]] = []


class _RecordingHandler(BaseHTTPRequestHandler):
    server: _Recorder
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append((self.command, self.path, self.headers.get("X-Workstation-Id")))
        if self.path == "/oauth/token":
            answer: dict[str, Any] = {"access_token": "t", "token_type": "Bearer", "expires_in": 300}
        elif self.path.endswith("/status"):
            answer = {"status": json.loads(body)["status"]}
        elif "/files/" in self.path:
            answer = {"sha256": self.path.rsplit("/", 1)[1]}
        else:
            answer = {"code": json.loads(body)["code"]}
        data = json.dumps(answer).encode()
        self.send_response(201 if self.path != "/oauth/token" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_PUT = _reply  # noqa: N815


def test_every_request_names_this_data_directorys_workstation(tmp_path: Path) -> None:
    rec = _Recorder()
    t = threading.Thread(target=rec.serve_forever, name="recording-dossier-system")
    t.start()
    try:
        url = f"http://127.0.0.1:{rec.server_address[1]}"
        ctx = AppContext(load_settings(tmp_path / "ws", dossier_url=url,
                                       extra={"dossier_system": {"client_secret": "s"}}))
        code = _receive(ctx, "Nguyễn Văn An", "079090001234")
        p = tmp_path / "a.pdf"
        p.write_bytes(b"%PDF-1.4 " + os.urandom(100))
        ctx.dossiers.attach_file(ADMIN, code, p, component="TP1")
        assert ctx.outbox.drain(ADMIN, timeout=30)["delivered"] >= 2
        ctx.close()
        ws = (tmp_path / "ws" / WORKSTATION_FILE).read_text().strip()
        assert ws.startswith("ws-") and len(rec.seen) >= 3
        assert {w for _, _, w in rec.seen} == {ws}, rec.seen  # the token request included
    finally:
        rec.shutdown()
        rec.server_close()
        t.join(5)


def test_the_instance_id_is_stable_per_data_directory(tmp_path: Path) -> None:
    a = workstation_id(tmp_path / "a")
    assert workstation_id(tmp_path / "a") == a != workstation_id(tmp_path / "b")
    assert (tmp_path / "a" / WORKSTATION_FILE).stat().st_mode & 0o777 == 0o600
    other = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from desktop.outbox.adapters.identity import workstation_id; "
                            "print(workstation_id(Path(sys.argv[1])))", str(tmp_path / "a")],
                           capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert other.stdout.strip() == a


def test_the_secret_comes_from_settings_environment_or_the_servers_file(server: Server, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_DOSSIER_CLIENT_SECRET", raising=False)
    monkeypatch.delenv("MOTCUA_DOSSIER_CLIENT_SECRET_FILE", raising=False)
    assert client_secret({"client_secret_file": str(server.secret_file)}, "motcua") == server.secret
    plain = tmp_path / "secret.txt"
    plain.write_text("from-a-file\n")
    assert client_secret({"client_secret_file": str(plain)}, "motcua") == "from-a-file"
    assert client_secret({"client_secret": "inline", "client_secret_file": str(plain)}, "motcua") == "inline"
    monkeypatch.setenv("MOTCUA_DOSSIER_CLIENT_SECRET", "env")
    assert client_secret({"client_secret": "inline"}, "motcua") == "env"
    monkeypatch.delenv("MOTCUA_DOSSIER_CLIENT_SECRET")
    assert client_secret({}, "motcua") is None
    a = HttpAdapter(server.url, "motcua", None, workstation_id=WORKSTATION)
    with pytest.raises(DeliveryError) as err:  # the job waits, saying what to set
        a.send_dossier("k", dossier("X-1"))
    assert not err.value.permanent and "MOTCUA_DOSSIER_CLIENT_SECRET" in str(err.value)
    a.close()


# --- the folder adapter -------------------------------------------------------------------


def _payload(code: str, name: str, id_number: str = "") -> dict[str, Any]:
    return {"code": code, "status": 2, "owner": {"name": name, "id_number": id_number}}


def test_the_folder_adapter_never_overwrites_another_dossier(tmp_path: Path) -> None:
    """Before: the second citizen's dossier.json silently replaced the first's."""
    mine = FolderAdapter(tmp_path, workstation_id="ws-aaaaaaaa")
    theirs = FolderAdapter(tmp_path, workstation_id="ws-bbbbbbbb")
    mine.send_dossier("k1", _payload("X-1", "Nguyễn Văn An", "079090001234"))
    mine.send_dossier("k2", {**_payload("X-1", "Nguyen Van An", "079090001234"), "status": 4})  # an update
    with pytest.raises(DeliveryError) as err:
        mine.send_dossier("k3", _payload("X-1", "Trần Thị Bình", "079090009999"))
    assert err.value.permanent and "của một công dân khác" in str(err.value)
    with pytest.raises(DeliveryError) as err2:
        theirs.send_dossier("k4", _payload("X-1", "Nguyễn Văn An", "079090001234"))
    assert err2.value.permanent and "máy trạm khác" in str(err2.value)
    with pytest.raises(DeliveryError):
        theirs.send_status("k5", "X-1", {"status": 9, "seq": 1})
    stored = json.loads((tmp_path / "X-1" / "dossier.json").read_text(encoding="utf-8"))
    assert stored["owner"]["name"] == "Nguyen Van An" and stored["status"] == 4
    assert stored["workstation_id"] == "ws-aaaaaaaa" and not (tmp_path / "X-1" / "status").exists()


def test_the_embedded_default_parks_a_restarted_code(tmp_path: Path) -> None:
    """Through the outbox: a second workstation on the same folder parks its colliding dossier."""
    folder = (tmp_path / "system").as_uri()
    first = AppContext(load_settings(tmp_path / "ws1", dossier_url=folder))
    second = AppContext(load_settings(tmp_path / "ws2", dossier_url=folder))
    try:
        code = _receive(first, "Nguyễn Văn An", "079090001234")
        assert first.outbox.drain(ADMIN)["delivered"] == 1
        assert _receive(second, "Trần Thị Bình", "079090009999") == code
        assert second.outbox.drain(ADMIN).get("parked") == 1
        stored = json.loads((tmp_path / "system" / code / "dossier.json").read_text(encoding="utf-8"))
        assert stored["owner"]["name"] == "Nguyễn Văn An"
    finally:
        first.close()
        second.close()
