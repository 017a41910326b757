"""The whole life of a dossier through ``motcua`` (real processes, the SoftHSM2 demo token, the
bundled dossier server): exit codes and reasons, form paths printed last, and the server
holding the status history, in order, with the portal's fields."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli import signed_in_env
from tests.lifecycle.conftest import make_pdf
from tests.outbox.test_http import Server

ROOT = Path(__file__).resolve().parents[2]
ID = "079301234567"


class Cli:
    def __init__(self, data: Path, dossier_url: str, secret: str = "") -> None:
        self.env = signed_in_env({**os.environ, "MOTCUA_DATA_DIR": str(data), "MOTCUA_DOSSIER_URL": dossier_url,
                                  "MOTCUA_DOSSIER_CLIENT_SECRET": secret})
        self.env.pop("MOTCUA_LANG", None)

    def __call__(self, *args: str, ok: bool = True, as_user: tuple[str, str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
        env = self.env if as_user is None else {**self.env, "MOTCUA_USER": as_user[0], "MOTCUA_PASSWORD": as_user[1]}
        r = subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT,
                           env=env, timeout=120)
        if ok:
            assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r

    def last(self, *args: str) -> str:
        return self(*args).stdout.strip().splitlines()[-1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "server")
    yield s
    s.stop()


def _other_ca(path: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA khác (không tin cậy)")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=9))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_whole_life_through_the_cli_reaches_the_dossier_server_in_order(tmp_path: Path, server: Server) -> None:
    cli = Cli(tmp_path / "data", server.url, server.secret)
    code = cli.last("dossier", "submit", "--procedure", "1.004859", "--owner", "Nguyễn Thị Hồng Nhung",
                    "--id-number", ID)
    r = subprocess.run([sys.executable, "-m", "desktop", "officer", "add", "bd", "--name", "Phạm Bưu", "--role",
                        "postal_agent", "--password-stdin"], input="buu-dien-123\n", capture_output=True, text=True,
                       cwd=ROOT, env=cli.env, timeout=120)
    assert r.returncode == 0, r.stderr
    # wrong state: nothing to resume; the reason names the status and what is allowed
    r = cli("dossier", "resume", code, ok=False)
    assert r.returncode == 2 and "2 Đã tiếp nhận" in r.stderr and "process" in r.stderr
    out = cli("dossier", "process", code, "--to", "Lê Văn Tư", "--department", "Phòng Tư pháp", "--hours", "8")
    assert out.stdout.strip().splitlines()[-1].endswith(".pdf") and Path(out.stdout.strip().splitlines()[-1]).is_file()
    r = cli("dossier", "handoff", code, "--to", "Chủ tịch UBND", "--department", "Lãnh đạo UBND", "--hours", "0",
            ok=False)
    assert r.returncode == 2 and "giờ làm việc" in r.stderr
    cli("dossier", "handoff", code, "--to", "Chủ tịch UBND", "--department", "Lãnh đạo UBND", "--hours", "4",
        "--note", "Ký duyệt")
    r = cli("dossier", "supplement", code, "--reason", "", ok=False)
    assert r.returncode == 2 and "lý do" in r.stderr
    form02 = cli.last("dossier", "supplement", code, "--reason", "Thiếu bản chụp CCCD", "--component", "TK")
    assert Path(form02).is_file() and "/02-" in form02
    cli("dossier", "resume", code)
    r = cli("dossier", "extend", code, "--reason", "Xác minh", "--new-due", "2020-01-01 08:00", ok=False)
    assert r.returncode == 2 and "đã qua" in r.stderr
    # wrong person: a postal agent may not extend (a decision of the agency)
    r = cli("dossier", "extend", code, "--reason", "Cần xác minh", "--new-due", "2031-06-02 16:00",
            as_user=("bd", "buu-dien-123"), ok=False)
    assert r.returncode == 3 and "Nhân viên bưu điện" in r.stderr
    form04 = cli.last("dossier", "extend", code, "--reason", "Cần xác minh", "--new-due", "2031-06-02 16:00")
    assert "/04-" in form04
    # a result that is not a PDF, then one whose signature does not verify (untrusted CA)
    notpdf = tmp_path / "ket-qua.pdf"
    notpdf.write_text("not a pdf")
    r = cli("dossier", "result", code, "--file", str(notpdf), "--demo-token", ok=False)
    assert r.returncode == 2 and "không phải tệp PDF" in r.stderr
    result = make_pdf(tmp_path / "giay-xac-nhan.pdf")
    r = cli("dossier", "result", code, "--file", str(result), "--demo-token", "--trust",
            str(_other_ca(tmp_path / "other-ca.pem")), ok=False)
    assert r.returncode == 2 and "không hợp lệ" in r.stderr, r.stderr
    r = cli("dossier", "result", code, "--file", str(result), "--demo-token", "--valid-until", "2020-01-01", ok=False)
    assert r.returncode == 2 and "trước ngày cấp kết quả" in r.stderr, r.stderr
    signed = cli.last("dossier", "result", code, "--file", str(result), "--demo-token", "--valid-until", "2032-01-31")
    from tests.lifecycle.test_result_qr import _qr

    qr = _qr(Path(signed), tmp_path)
    assert (qr["ma_ho_so"], qr["so_dinh_danh"], qr["hieu_luc_den"]) == (code, ID, "2032-01-31")
    check = cli("verify", signed, "--trust", str(tmp_path / "data" / "demo-token" / "demo-ca.pem"))
    assert check.returncode == 0
    # a fee is due: no return until paid; the wrong person is refused
    r = cli("dossier", "return", code, "--id-number", ID, ok=False)
    assert r.returncode == 2 and "chưa nộp" in r.stderr
    cli("dossier", "fee", code, "--paid", "--method", "cash", "--receipt", "BL-000123")
    r = cli("dossier", "return", code, "--id-number", "079301239999", ok=False)
    assert r.returncode == 2 and "không khớp" in r.stderr
    # ... unless they bring the applicant's authorization letter: photographed, digitized first
    import cv2

    from scanning.samples import render_a4

    photo = tmp_path / "uy-quyen.jpg"
    cv2.imwrite(str(photo), render_a4(["GIẤY ỦY QUYỀN", "nhận kết quả hồ sơ " + code], dpi=150))
    cli("dossier", "return", code, "--id-number", "079301239999", "--name", "Lê Văn Ủy", "--proxy-file", str(photo))
    shown = json.loads(cli("dossier", "show", code, "--json").stdout)
    letters = [f for f in shown["files"] if f["kind"] == "authorization"]
    assert len(letters) == 1 and letters[0]["filename"].endswith(".pdf"), shown["files"]
    shown = json.loads(cli("dossier", "show", code, "--json").stdout)
    assert shown["code"] == code and shown["status"] == 10 and shown["due_at"] == "2031-06-02 16:00"
    assert [h["status"] for h in shown["history"]] == [2, 4, 4, 5, 4, 4, 9, 9, 10]
    assert all(len(h["at"]) == 16 for h in shown["history"])
    assert [c["code"] for c in shown["components"]][:2] == ["TK", "CC"] and shown["components"][0]["files"] == []
    assert shown["results"][0]["signature_state"] == "verified"
    # everything reaches the dossier system, in order, with the portal's fields
    drained = cli("outbox", "drain", "--timeout", "60")
    assert "parked" not in drained.stdout or '"parked": 0' in drained.stdout
    dump = next(d for d in server.dump()["dossiers"] if d["code"] == code)
    history = dump["status_history"]
    assert [h["status"] for h in history] == [4, 4, 5, 4, 4, 9, 9, 10]
    assert [h["detail"]["action"] for h in history] == ["process", "handoff", "supplement", "resume", "extend",
                                                        "result", "fee", "return"]
    last = history[-1]["detail"]["portal"]
    assert last["supplement_history"][0]["previous_due"] and last["supplement_history"][0]["new_due"]
    assert last["fees"][0]["state"] == "paid" and last["fees"][0]["receipt_ref"] == "BL-000123"
    assert last["process_log"][0]["department"] == "Phòng Tư pháp"
    assert (last["process_log"][1]["department"], last["process_log"][1]["receiver"]) == ("Lãnh đạo UBND",
                                                                                          "Chủ tịch UBND")
    assert last["results"][0]["signature_state"] == "verified" and last["results"][0]["digitized"] is False
    assert last["results"][0]["valid_until"] == "2032-01-31"
    # the sealed result's upload carried its validity: the server shows it on the file
    assert [f["valid_until"] for f in dump["files"] if f.get("kind") == "result"] == ["2032-01-31"]
    assert [c["kind"] for c in last["due_changes"]] == ["receive", "supplement", "resume", "extend"]
    assert any(f.startswith("file:") for f in dump["arrivals"]), "the signed result was uploaded"


def test_forms_commands(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "data", (tmp_path / "dossier-system").as_uri())
    listed = json.loads(cli("forms", "list", "--json").stdout)
    assert [f["number"] for f in listed] == ["01", "02", "03", "04", "05", "06", "07"]
    tk = make_pdf(tmp_path / "to-khai.pdf")
    code = cli.last("dossier", "submit", "--procedure", "1.001193", "--owner", "Trần Văn Cường", "--id-number", ID,
                    "--file", f"TK={tk}")
    shown = json.loads(cli("dossier", "show", code, "--json").stdout)
    assert [f["filename"] for f in shown["components"][0]["files"]] == ["to-khai.pdf"]
    assert shown["history"] == [{**shown["history"][0], "status": 2}] and shown["allowed"][:2] == ["refuse", "process"]
    out = tmp_path / "phieu" / "01.pdf"
    assert cli.last("forms", "render", "1", "--dossier", code, "-o", str(out)) == str(out) and out.is_file()
    signed = tmp_path / "phieu" / "01-signed.pdf"
    assert cli.last("forms", "render", "01", "--dossier", code, "-o", str(signed), "--sign", "--demo-token") == str(signed)
    assert cli("verify", str(signed), "--trust", str(tmp_path / "data" / "demo-token" / "demo-ca.pem")).returncode == 0
    r = cli("forms", "render", "09", "--dossier", code, "-o", str(out), ok=False)
    assert r.returncode == 2 and "01 … 07" in r.stderr
    from desktop.kernel.timeutil import now_vn

    today = now_vn().date().isoformat()  # the register's days are Vietnam's
    xlsx = tmp_path / "so.xlsx"
    assert cli.last("forms", "register", "--from", today, "--to", today, "-o", str(xlsx)) == str(xlsx)
    r = cli("forms", "register", "--from", today, "--to", today, "-o", str(tmp_path / "so.doc"), ok=False)
    assert r.returncode == 2
    listed = json.loads(cli("dossier", "list", "--status", "2", "--json").stdout)
    assert [d["code"] for d in listed] == [code]
    assert json.loads(cli("dossier", "list", "--late", "--json").stdout) == []
