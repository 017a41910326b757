"""The HTTP adapter against the bundled dossier server, a real process on loopback."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import DossierStatus
from desktop.outbox.adapters.base import DeliveryError
from desktop.outbox.adapters.http import HttpAdapter
from tests.outbox.exempt import exempt_components

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor.cli()
#: the instance id tests send when they call the adapter directly
WORKSTATION = "ws-tests-0000-0001"


def dossier(code: str, status: int = 2, *, owner: str = "Nguyễn Văn An", id_number: str = "079090001234") -> dict:  # type: ignore[type-arg]
    """A dossier as the contract wants it (what the outbox sends)."""
    return {"code": code, "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh", "field": "Hộ tịch",
            "channel": 1, "status": status, "received_at": "2026-12-01T08:00:00+07:00", "due_at": None,
            "owner": {"name": owner, "id_number": id_number, "address": "", "phone": "", "email": ""},
            "documents": [{"code": "TK", "name": "Tờ khai", "copy_kind": "original", "quantity": 1}]}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: interpreter flags for every server process the tests start (``-O``: the checks must not be asserts)
SERVER_FLAGS = shlex.split(os.environ.get("MOTCUA_TEST_SERVER_FLAGS", ""))


class Server:
    def __init__(self, data: Path, fault_rate: float = 0.0, cut_chunks: int = 0, slow: float = 1.5, *,
                 python_flags: Sequence[str] = (), capture: bool = False, fault_schedule: int | None = None,
                 max_faults_in_row: int = 2, national_fault: str | None = None) -> None:
        """The server as a process; ``fault_schedule`` (a seed) makes its faults deterministic;
        ``national_fault`` is what every national-store request meets (``--national-fault``)."""
        self.data, self.port = data, _port()
        schedule = [] if fault_schedule is None else ["--fault-schedule", str(fault_schedule),
                                                      "--max-faults-in-row", str(max_faults_in_row)]
        if national_fault is not None:
            schedule += ["--national-fault", national_fault]
        flags = [*SERVER_FLAGS, *(f for f in python_flags if f not in SERVER_FLAGS)]
        self.proc = subprocess.Popen([sys.executable, *flags, "-m", "desktop", "--data-dir",
                                      str(data / "srv-home"), "dossier-server", "--port", str(self.port),
                                      "--data", str(data), "--fault-rate", str(fault_rate),
                                      "--cut-chunks", str(cut_chunks), "--slow", str(slow), *schedule],
                                     cwd=ROOT, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        for _ in range(100):
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"dossier server exited: {self.proc.communicate()[1][-2000:]}") from None
                time.sleep(0.1)
        raise RuntimeError("dossier server did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def secret_file(self) -> Path:
        """Where the server wrote the client secret it generated at its first start."""
        return self.data / "client-credentials.json"

    @property
    def secret(self) -> str:
        return str(json.loads(self.secret_file.read_text(encoding="utf-8"))["client_secret"])

    def extra(self, **dossier_system: object) -> dict:  # type: ignore[type-arg]
        """The settings' ``extra`` that point a workstation at this server's secret file."""
        return {"dossier_system": {"client_secret_file": str(self.secret_file), **dossier_system}}

    def adapter(self, workstation: str = WORKSTATION, **kw: object) -> HttpAdapter:
        return HttpAdapter(self.url, "motcua", self.secret, workstation_id=workstation, **kw)  # type: ignore[arg-type]

    def token(self) -> str:
        return str(httpx.post(f"{self.url}/oauth/token", data={
            "grant_type": "client_credentials", "client_id": "motcua", "client_secret": self.secret}).json()["access_token"])

    def dump(self) -> dict:  # type: ignore[type-arg]
        r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(self.data / "srv-home"),
                            "dossier-server", "--data", str(self.data), "--dump"], capture_output=True, text=True,
                           cwd=ROOT, timeout=60)
        return json.loads(r.stdout)  # type: ignore[no-any-return]

    def stop(self) -> str:
        """Stop the server; what it printed (stdout when captured, and stderr)."""
        if self.proc.poll() is None:
            self.proc.terminate()
        out, err = self.proc.communicate(timeout=10)
        return (out or "") + (err or "")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "server")
    yield s
    s.stop()


def _submit(ctx: AppContext, folder: Path, n_files: int = 3) -> str:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name="Nguyễn Văn An", components=exempt_components(),
                             applicant_id_number="079090001234")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_files):
        p = folder / f"tp{i}.pdf"
        p.write_bytes(b"%PDF-1.4 " + os.urandom(2000))
        ctx.dossiers.attach_file(ADMIN, d.code, p, component=f"TP{i}")
    ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.PROCESSING)
    return d.code


def test_upload_over_http(server: Server, tmp_path: Path) -> None:
    ctx = AppContext(load_settings(tmp_path / "ws", dossier_url=server.url, extra=server.extra()))
    codes = [_submit(ctx, tmp_path / f"f{i}") for i in range(3)]
    r = ctx.outbox.drain(ADMIN, timeout=60)
    assert r["delivered"] == 15 and r.get("parked", 0) == 0
    held = {d["code"]: d for d in server.dump()["dossiers"]}
    assert set(held) == set(codes)
    for code in codes:
        assert len(held[code]["files"]) == 3 and held[code]["dossier"]["owner"]["name"] == "Nguyễn Văn An"
        assert [s["status"] for s in held[code]["status_history"]] == [4]
    ctx.close()


def test_duplicates_and_bad_hash(server: Server, tmp_path: Path) -> None:
    a = server.adapter()
    a.send_dossier("k1", dossier("X-1"))
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4 abc")
    import hashlib

    meta = {"sha256": hashlib.sha256(f.read_bytes()).hexdigest(), "filename": "a.pdf"}
    a.send_file("k2", "X-1", meta, f)
    a.send_file("k2", "X-1", meta, f)  # a retry with the same key changes nothing
    with pytest.raises(DeliveryError) as err:
        a.send_file("k3", "X-1", {"sha256": "0" * 64, "filename": "b.pdf"}, f)
    assert err.value.permanent and "422" in str(err.value)
    for bad in ("A" * 64, "abc", 7):  # "replaces" must name an earlier version by its SHA-256
        with pytest.raises(DeliveryError) as bad_replaces:
            a.send_file(f"k3-{bad}", "X-1", {**meta, "replaces": bad}, f)
        assert bad_replaces.value.permanent and "replaces" in str(bad_replaces.value)
    with pytest.raises(DeliveryError) as err2:
        HttpAdapter(server.url, "motcua", "wrong", workstation_id=WORKSTATION).send_dossier("k4", dossier("X-2"))
    assert "401" in str(err2.value) and not err2.value.permanent
    dump = server.dump()["dossiers"]
    assert len(dump) == 1 and len(dump[0]["files"]) == 1
    a.close()
    dead = HttpAdapter("http://127.0.0.1:9", "motcua", "any", workstation_id=WORKSTATION, timeout=2)
    with pytest.raises(DeliveryError) as err3:
        dead.send_dossier("k5", dossier("X-3"))
    assert not err3.value.permanent and "Mất kết nối" in str(err3.value)


def test_a_results_validity_is_kept_shown_and_listed_and_a_malformed_one_is_422(server: Server,
                                                                                tmp_path: Path) -> None:
    """The adapter sends a result's ``valid_until`` in X-File-Meta (the outbox puts it in the
    payload: tests/lifecycle/test_result_qr.py); the server shows it in the dossier's view and
    lists it in the national store; anything but a YYYY-MM-DD date or null is refused."""
    import hashlib
    from datetime import date

    a = server.adapter()
    a.send_dossier("v1", dossier("KQ-1"))
    f = tmp_path / "kq.pdf"
    f.write_bytes(b"%PDF-1.4 ket qua")
    meta = {"sha256": hashlib.sha256(f.read_bytes()).hexdigest(), "filename": "kq.pdf", "kind": "result",
            "digitized": False, "reusable": True, "signature_state": "verified"}
    for bad in ("05/05/2027", "20270505", "2027-02-30", "2027-W01", 20270505, ""):
        with pytest.raises(DeliveryError) as err:
            a.send_file(f"v-{bad}", "KQ-1", {**meta, "valid_until": bad}, f)
        assert err.value.permanent and "422" in str(err.value) and "valid_until" in str(err.value)
    a.send_file("v2", "KQ-1", {**meta, "valid_until": "2027-05-05"}, f)
    view = httpx.get(f"{server.url}/api/dossiers/KQ-1", headers={"Authorization": f"Bearer {server.token()}"}).json()
    assert [(x["kind"], x["valid_until"]) for x in view["files"]] == [("result", "2027-05-05")]
    assert [(d.kind, d.valid_until) for d in a.lookup_documents("079090001234", "test") or []] == \
        [("result", date(2027, 5, 5))]
    a.close()


UPLOADER = r"""
import sys, time
from datetime import timedelta
import desktop.outbox.service as svc
from desktop.context import AppContext
from desktop.config import load_settings
# the clock runs fast: a killed uploader's leases run out in 2 s (5 min in production) and a
# failed job is due again after 0.2 s (2 s to 10 min); everything else is the real thing
svc.LEASE = timedelta(seconds=2)
svc.backoff = lambda attempts, rng=None: timedelta(seconds=0.2)
from desktop.auth import Actor
ADMIN = Actor.cli()
ctx = AppContext(load_settings(sys.argv[1]))
print("ready", flush=True)  # imports done: under load they alone can take seconds
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    ctx.outbox.drain(ADMIN, timeout=60)
    if set(ctx.outbox.counts()) <= {"done", "parked"}:
        break
    time.sleep(0.3)
print(ctx.outbox.counts(), flush=True)
"""


def _proof_dossier(ctx: AppContext, folder: Path, i: int) -> str:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=f"Nguyễn Thị Hoa {i}", components=exempt_components(),
                             applicant_id_number="079090001234")
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(3):
        p = folder / f"tp{k}.pdf"
        # one dossier in ten has a file above the chunk threshold: a resumable upload under faults
        p.write_bytes(b"%PDF-1.4 " + os.urandom(700_000 if (i % 10 == 0 and k == 0) else 3000))
        ctx.dossiers.attach_file(ADMIN, d.code, p, component=f"TP{k}")
    ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.PROCESSING)
    ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.DONE)
    return d.code


@pytest.mark.slow
def test_faults_and_killed_uploader_exactly_once(tmp_path: Path) -> None:
    """The issue's proof: 200 dossiers × 3 files, random faults, the uploader SIGKILLed 10 times."""
    import random

    from sqlalchemy import select

    from desktop.audit import AuditLog
    from desktop.db.models import DigitizedFile, Dossier

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    srv = Server(tmp_path / "server", fault_rate=0.2, slow=0.4)
    try:
        ws = tmp_path / "ws"
        ws.mkdir()
        (ws / "settings.json").write_text(json.dumps({"dossier_url": srv.url, "extra": srv.extra(
            chunk_threshold=256 << 10, chunk_size=64 << 10)}), encoding="utf-8")
        ctx = AppContext(load_settings(ws))
        codes = [_proof_dossier(ctx, tmp_path / f"f{i}", i) for i in range(200)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        progress = []
        for k in range(10):
            p = subprocess.Popen([sys.executable, "-c", UPLOADER, str(ws), "120"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            assert p.stdout is not None
            p.stdout.readline()  # started (a loaded machine takes seconds to import): the kill lands in the sending
            if k >= 5:  # on a loaded machine the first send can take seconds: these kills land after one more job
                before, until = progress[-1] if progress else 0, time.monotonic() + 60
                while ctx.outbox.counts().get("done", 0) == before and time.monotonic() < until and p.poll() is None:
                    time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 3.0))  # some kills land before any send
            p.send_signal(signal.SIGKILL)
            p.wait()
            p.stdout.close()
            progress.append(ctx.outbox.counts().get("done", 0))
        r = subprocess.run([sys.executable, "-c", UPLOADER, str(ws), "180"], env=env, capture_output=True, text=True,
                           timeout=240)
        assert r.returncode == 0, r.stderr[-2000:]
        why = f"seed {seed}, done after each kill {progress}, {r.stdout}"
        assert ctx.outbox.counts() == {"done": 200 * 6}, why
        assert 0 < progress[-1] < 200 * 6, why  # the kills did land mid-way
        dump = srv.dump()
        held = {d["code"]: d for d in dump["dossiers"]}
        assert set(held) == set(codes), why
        with ctx.db.session() as s:
            local = sorted((c, h) for c, h in s.execute(select(Dossier.code, DigitizedFile.sha256).join(DigitizedFile)))
            assert AuditLog().verify(s) == []
        remote = sorted((c, f["sha256"]) for c, d in held.items() for f in d["files"])
        assert remote == local, why  # every file exactly once, hashes equal
        assert all(f["stored_sha256"] == f["sha256"] for d in held.values() for f in d["files"]), why
        for code, d in held.items():
            assert [st["status"] for st in d["status_history"]] == [4, 9], (code, why)
            # what arrived first at the server: the dossier, then its files, then the statuses in order
            assert [a.split(":")[0] for a in d["arrivals"]] == ["dossier", "file", "file", "file", "status", "status"]
            assert d["arrivals"][-2:] == ["status:4", "status:9"], (code, d["arrivals"], why)
        assert sum(u["state"] == "complete" for u in dump["uploads"]) == 20, why
        ctx.close()
    finally:
        srv.stop()
