"""Bad input from every side: a dossier system answering garbage, redirects or refusals
that never change, a file deleted before upload, a disk that fills up under the folder
adapter. Each ends retried or parked with a reason an officer can read; nothing else is lost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent, DossierStatus
from desktop.kernel.i18n import set_language
from desktop.kernel.timeutil import utcnow
from desktop.outbox.adapters.base import DeliveryError
from desktop.outbox.adapters.http import HttpAdapter
from desktop.outbox.models import OutboxJob
from desktop.outbox.service import MAX_FAILURES
from tests.outbox.exempt import exempt_components
from tests.outbox.test_http import ROOT, WORKSTATION, Server

ADMIN = Actor.cli()


class Scripted(ThreadingHTTPServer):
    """A misbehaving dossier system on loopback: answers API calls with what the test says."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)
        self.answer: tuple[int, dict[str, str], bytes] = (200, {}, b"{}")
        self.token_answer: tuple[int, bytes] = (200, b'{"access_token": "t"}')
        self.calls = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ScriptedHandler(BaseHTTPRequestHandler):
    server: Scripted
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, code: int, headers: dict[str, str], body: bytes) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        if self.path == "/oauth/token":
            code, body = self.server.token_answer
            self._reply(code, {"Content-Type": "application/json"}, body)
        else:
            self.do_PUT()

    def do_PUT(self) -> None:  # noqa: N802
        self.server.calls += 1
        self._reply(*self.server.answer)


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    srv = Scripted()
    t = threading.Thread(target=srv.serve_forever, name="scripted-dossier-system")
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    t.join(5)


HTML = {"Content-Type": "text/html"}


@pytest.mark.parametrize(("answer", "words", "permanent"), [
    ((200, HTML, b"<html><body>Portal login</body></html>"), "không đúng giao thức", False),
    ((200, {}, b'{"code": "SOMETHING-ELSE"}'), "“code” sai", False),
    ((201, {}, b"[1, 2, 3]"), "“code” thiếu", False),
    ((502, HTML, b"<html>\n  <h1>Bad   Gateway</h1>\n</html>"), "HTTP 502: <html> <h1>Bad Gateway</h1> </html>", False),
    ((302, {"Location": "https://sso.example/login"}, b""), "chuyển hướng (HTTP 302 tới https://sso.example/login)", False),
    ((403, {}, b'{"error": "forbidden", "error_description": "unit not allowed"}'),
     "HTTP 403: forbidden — unit not allowed", True),
    ((404, {}, b"no such route"), "HTTP 404: no such route", True),
])
def test_bad_answers_are_named_and_classified(scripted: Scripted, answer: tuple[int, dict[str, str], bytes],
                                              words: str, permanent: bool) -> None:
    scripted.answer = answer
    a = HttpAdapter(scripted.url, "motcua", "secret", workstation_id=WORKSTATION, timeout=5)
    try:
        with pytest.raises(DeliveryError) as err:
            a.send_dossier("k1", {"code": "X-1", "status": 2})
    finally:
        a.close()
    assert words in str(err.value) and err.value.permanent is permanent


def test_garbage_from_the_token_endpoint_is_retried(scripted: Scripted) -> None:
    scripted.token_answer = (200, b"<html>maintenance</html>")
    a = HttpAdapter(scripted.url, "motcua", "secret", workstation_id=WORKSTATION, timeout=5)
    try:
        with pytest.raises(DeliveryError) as err:
            a.send_dossier("k1", {"code": "X-1", "status": 2})
        assert not err.value.permanent and "token" in str(err.value) and scripted.calls == 0
        set_language("en")
        with pytest.raises(DeliveryError, match="The token endpoint answered garbage"):
            a.send_dossier("k1", {"code": "X-1", "status": 2})
    finally:
        a.close()


def _dossier(ctx: AppContext, folder: Path, files: int = 2) -> str:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Phạm Văn Đức", components=exempt_components())
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(files):
        p = folder / f"tp{k}.pdf"
        p.write_bytes(b"%PDF-1.4 " + os.urandom(500))
        ctx.dossiers.attach_file(ADMIN, d.code, p, component=f"TP{k}")
    ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.PROCESSING)
    return d.code


def _due(ctx: AppContext) -> None:
    with ctx.db.session() as s:
        s.execute(update(OutboxJob).where(OutboxJob.state == "pending").values(next_attempt_at=utcnow()))


def test_refusal_parks_at_once_and_garbage_parks_after_the_attempts(scripted: Scripted, tmp_path: Path) -> None:
    ctx = AppContext(load_settings(tmp_path / "ws", dossier_url=scripted.url,
                                   extra={"dossier_system": {"client_secret": "secret"}}))
    try:
        _dossier(ctx, tmp_path / "a", files=0)
        scripted.answer = (422, {}, b'{"error": "invalid dossier"}')
        r = ctx.outbox.drain(ADMIN)
        assert r["parked"] == 1 and r["failed"] == 1 and scripted.calls == 1  # never tried again
        _due(ctx)
        ctx.outbox.drain(ADMIN)
        assert scripted.calls == 1
        [parked] = [j for j in ctx.outbox.jobs() if j.state == "parked"]
        assert parked.last_error == "Hệ thống hồ sơ trả lời HTTP 422: invalid dossier" and parked.attempts == 1
        with ctx.db.session() as s:
            ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "upload.parked")).one()
            assert ev.data["reason"] == parked.last_error

        ctx.outbox.retry(ADMIN, parked.id)  # the officer fixed it; now the server answers garbage
        scripted.answer = (200, HTML, b"<html>proxy says hi</html>")
        for attempt in range(1, MAX_FAILURES + 1):
            ctx.outbox.drain(ADMIN)
            _due(ctx)
            assert scripted.calls == 1 + attempt
        job, status = ctx.outbox.jobs()
        assert job.state == "parked" and job.attempts == MAX_FAILURES and "không đúng giao thức" in job.last_error
        assert status.kind == "status" and status.state == "pending" and status.attempts == 0  # waits for its dossier
    finally:
        ctx.close()


def test_file_deleted_before_http_upload_parks_only_that_file(tmp_path: Path) -> None:
    srv = Server(tmp_path / "server")
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "settings.json").write_text(json.dumps({"extra": {"dossier_system": {"chunk_threshold": 100_000}}}))
    ctx = AppContext(load_settings(ws, dossier_url=srv.url, extra=srv.extra()))
    try:
        code = _dossier(ctx, tmp_path / "a", files=3)
        big = tmp_path / "a" / "tp2.pdf"
        big.write_bytes(b"%PDF-1.4 " + os.urandom(300_000))  # a chunked one, replaced and then deleted
        (tmp_path / "a" / "tp0.pdf").unlink()
        big.unlink()
        r = ctx.outbox.drain(ADMIN)
        assert r["delivered"] == 3 and r["parked"] == 2  # the dossier, one file, the status
        reasons = sorted(j.last_error for j in ctx.outbox.jobs() if j.state == "parked")
        assert reasons == [f"Tệp {tmp_path / 'a' / n} đã bị xóa khỏi ổ đĩa trước khi gửi." for n in ("tp0.pdf", "tp2.pdf")]
        [held] = srv.dump()["dossiers"]
        assert held["code"] == code and [f["filename"] for f in held["files"]] == ["tp1.pdf"]
        assert [s["status"] for s in held["status_history"]] == [4]
    finally:
        ctx.close()
        srv.stop()


FULL_DISK = r"""
import resource, signal, sys
from pathlib import Path
from desktop.context import AppContext
from desktop.config import load_settings
# the kernel refuses any write past 4 MB (EFBIG), as a full disk refuses with ENOSPC
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4 << 20, 4 << 20))
ctx = AppContext(load_settings(sys.argv[1], dossier_url=Path(sys.argv[2]).as_uri()))
from desktop.auth import Actor
print(ctx.outbox.drain(Actor.cli()))
"""


def test_disk_full_under_the_folder_adapter(ctx: AppContext, tmp_path: Path) -> None:
    code = _dossier(ctx, tmp_path / "a", files=2)
    (tmp_path / "a" / "tp1.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(6 << 20))
    with ctx.db.session() as s:  # the large scan as recorded
        import hashlib

        from desktop.db.models import DigitizedFile

        row = s.scalars(select(DigitizedFile).where(DigitizedFile.filename == "tp1.pdf")).one()
        row.sha256 = hashlib.sha256((tmp_path / "a" / "tp1.pdf").read_bytes()).hexdigest()
        row.size = 6 << 20
    out = tmp_path / "system"
    r = subprocess.run([sys.executable, "-c", FULL_DISK, str(ctx.settings.data_dir), str(out)], capture_output=True,
                       text=True, timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr[-2000:]
    job, status = ctx.outbox.jobs()
    assert job.state == "pending" and job.kind == "file" and "ổ đĩa đầy" in job.last_error, r.stdout
    assert status.kind == "status" and status.attempts == 0
    folder = out / code
    assert (folder / "dossier.json").is_file() and len(list((folder / "files").glob("*.pdf"))) == 1
    assert not list(out.rglob(".*.part")), "a half-written file was left behind"
    assert not (folder / "status").exists()  # the status waits for the file, as it must
    _due(ctx)
    ctx.settings.dossier_url = out.as_uri()
    r2 = ctx.outbox.drain(ADMIN)  # space again
    assert r2["delivered"] == 2 and set(ctx.outbox.counts()) == {"done"}
    assert len(list((folder / "files").glob("*.pdf"))) == 2
