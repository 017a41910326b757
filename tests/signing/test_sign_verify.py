"""Signing with a real SoftHSM2 token and verifying, checked independently by poppler's pdfsig.

Every test runs the CLI in a subprocess: SoftHSM2 reads its configuration once per process.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from tests.cli import motcua as run_motcua


def motcua(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_motcua(data, *args, stdin=stdin)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    data = tmp_path_factory.mktemp("ws")
    src = data / "ban-sao.pdf"
    c = canvas.Canvas(str(src))
    c.drawString(72, 720, "Giay khai sinh - ban so hoa")
    c.save()
    r = motcua(data, "sign", str(src), "-o", str(data / "signed.pdf"), "--demo-token", "--profile", "copy")
    assert r.returncode == 0, r.stderr
    r = motcua(data, "sign", str(data / "signed.pdf"), "-o", str(data / "twice.pdf"), "--demo-token", "--profile",
               "personal", "--signer", "Trần Thị Lan", "--position", "Chuyên viên")
    assert r.returncode == 0, r.stderr
    return data, data / "twice.pdf", data / "demo-token" / "demo-ca.pem"


def test_two_signatures_verify(signed: tuple[Path, Path, Path]) -> None:
    data, pdf, ca = signed
    r = motcua(data, "verify", str(pdf), "--trust", str(ca), "--json", "--signer",
               "UBND phường Quy Nhơn (THỬ NGHIỆM)")  # the signer's name exactly (a substring is refused)
    report = json.loads(r.stdout)
    assert r.returncode == 0 and report["valid"]
    assert [s["field"][:4] for s in report["signatures"]] == ["Copy", "Pers"]
    assert report["signatures"][1]["coverage"] == "ENTIRE_FILE"
    # the first signature is kept as it was: the second is an incremental update
    first = (data / "signed.pdf").read_bytes()
    assert pdf.read_bytes().startswith(first)


def test_untrusted_and_tampered_fail(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    data, pdf, ca = signed
    assert motcua(data, "verify", str(pdf)).returncode == 1  # no trust anchor given
    bad = tmp_path / "bad.pdf"
    raw = bytearray(pdf.read_bytes())
    i = raw.index(b"stream") + 12  # a byte inside the first (signed) content stream
    raw[i] ^= 0x01
    bad.write_bytes(bytes(raw))
    assert motcua(data, "verify", str(bad), "--trust", str(ca)).returncode == 1


def test_pdfsig_agrees(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    data, pdf, ca = signed
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "ca", "-t", "CT,C,C", "-i", str(ca)], check=True,
                   capture_output=True)
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(data / "signed.pdf")], capture_output=True,
                         text=True).stdout
    assert "Signature is Valid." in out and "Certificate is Trusted." in out
    out2 = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True).stdout
    assert out2.count("Signature is Valid.") == 2 and "Total document signed" in out2


def test_stamp_text_is_vietnamese(signed: tuple[Path, Path, Path]) -> None:
    _, pdf, _ = signed
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "SAO Y" in text and "Quy Nhơn" in text and "Trần Thị Lan" in text and "+07:00" in text


def test_bad_input(tmp_path: Path) -> None:
    enc = tmp_path / "enc.pdf"
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(enc, encryption=pikepdf.Encryption(user="u", owner="o"))
    r = motcua(tmp_path, "sign", str(enc), "-o", str(tmp_path / "o.pdf"), "--demo-token")
    assert r.returncode == 2 and "mật khẩu" in r.stderr and not (tmp_path / "o.pdf").exists()
    r = motcua(tmp_path, "sign", str(enc), "-o", str(tmp_path / "o.pdf"), "--pkcs11-module", "/nope.so",
               "--token-label", "X", "--key-id", "01", "--pin-stdin", stdin="1\n")
    assert r.returncode == 2 and "/nope.so" in r.stderr
    notlib = tmp_path / "fake.so"
    notlib.write_bytes(b"\x7fELF\x01\x01\x01" + b"\x00" * 100)  # a 32-bit ELF header, not loadable here
    r = motcua(tmp_path, "sign", str(enc), "-o", str(tmp_path / "o.pdf"), "--pkcs11-module", str(notlib),
               "--token-label", "X", "--key-id", "01", "--pin-stdin", stdin="1\n")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "PKCS#11" in r.stderr
    # wrong PIN against a real SoftHSM2 token
    motcua(tmp_path, "sign", str(enc), "-o", str(tmp_path / "o.pdf"), "--demo-token")  # creates the demo token
    env_conf = tmp_path / "demo-token" / "softhsm2.conf"
    r = run_motcua(tmp_path, "sign", str(enc), "-o", str(tmp_path / "o.pdf"), "--pkcs11-module",
                   "/usr/lib/softhsm/libsofthsm2.so", "--token-label", "MOTCUA-DEMO", "--key-id", "01",
                   "--pin-stdin", stdin="000000\n", timeout=120,
                   env={**__import__("os").environ, "SOFTHSM2_CONF": str(env_conf)})
    assert r.returncode == 2 and "Sai mã PIN" in r.stderr

    def attempt(pin: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return run_motcua(tmp_path, "sign", str(src), "-o", str(tmp_path / "ok.pdf"), "--pkcs11-module",
                          "/usr/lib/softhsm/libsofthsm2.so", "--token-label", "MOTCUA-DEMO", "--key-id", "01",
                          "--pin-stdin", "--trust", str(tmp_path / "demo-token" / "demo-ca.pem"), *extra,
                          stdin=pin + "\n", timeout=120,
                          env={**__import__("os").environ, "SOFTHSM2_CONF": str(env_conf)})

    src = tmp_path / "plain.pdf"
    doc = pikepdf.new()
    doc.add_blank_page()
    doc.save(src)
    assert "Sai mã PIN" in attempt("111111").stderr  # second failure, counted locally
    third = attempt("222222")
    assert third.returncode == 2 and "lần cuối" in third.stderr  # refused before trying
    ok = attempt("123456", "--confirm-final-try")
    assert ok.returncode == 0, ok.stderr
    assert attempt("123456").returncode == 0  # the count was reset by the good PIN


def test_tokens_lists_the_certificate_without_a_pin(tmp_path: Path) -> None:
    r = motcua(tmp_path, "tokens", "--demo-token", "--json")
    assert r.returncode == 0, r.stderr
    tokens = json.loads(r.stdout)
    demo = next(t for t in tokens if t["label"] == "MOTCUA-DEMO")
    cert = demo["certificates"][0]
    assert cert["key_id"] == "01" and "Quy Nhơn" in cert["subject"] and cert["days_to_expiry"] > 300
    assert "non_repudiation" in cert["key_usage"]
