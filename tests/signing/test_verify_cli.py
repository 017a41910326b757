"""``motcua sign`` / ``verify`` end to end in subprocesses, and what verification refuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from signing.pades import PadesSigner, token_session
from signing.verify import verify_pdf
from tests.signing.conftest import motcua
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI


def test_sign_and_verify_commands(hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    src, out = make_pdf(), tmp_path / "signed.pdf"
    env = {**hsm.env(), "MY_PIN": hsm.pin}
    r = motcua(env, tmp_path, "sign", str(src), "-o", str(out), "--profile", "copy", "--pkcs11-module", hsm.module,
               "--token-label", hsm.label, "--key-id", "01", "--pin-env", "MY_PIN", "--level", "B-LT",
               "--tsa", f"{pki.url}/tsa", "--trust", str(pki.ca_pem))
    assert r.returncode == 0, r.stderr
    assert hsm.pin not in r.stdout + r.stderr
    r = motcua(env, tmp_path, "verify", str(out), "--trust", str(pki.ca_pem), "--json",
               "--org-cert", str(hsm.base / "cert-01.pem"))
    rep = json.loads(r.stdout)
    assert r.returncode == 0 and rep["valid"] and rep["signatures"][0]["level"] == "B-LT"
    r = motcua(env, tmp_path, "verify", str(out), "--trust", str(pki.ca_pem))
    assert r.returncode == 0 and "HỢP LỆ" in r.stdout
    # signer is not the configured organization certificate
    r = motcua(env, tmp_path, "verify", str(out), "--trust", str(pki.ca_pem), "--org-cert",
               str(hsm.base / "cert-05.pem"))
    assert r.returncode == 1 and "không phải chứng thư của cơ quan" in r.stdout
    # no trust anchor: not valid
    r = motcua(env, tmp_path, "verify", str(out))
    assert r.returncode == 1


def test_batch_command_with_pin_on_stdin(hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path],
                                        tmp_path: Path) -> None:
    files = [make_pdf(f"f{i}.pdf") for i in range(3)]
    out = tmp_path / "out"
    out.mkdir()
    r = motcua(hsm.env(), tmp_path, "sign", *map(str, files), "-o", str(out), "--profile", "personal",
               "--pkcs11-module", hsm.module, "--token-serial", hsm.serial, "--key-id", "05", "--position",
               "Công chức", "--pin-stdin", "--json", "--trust", str(pki.ca_pem), stdin=hsm.pin + "\n")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["not_verified"] == 0 and all(f["verified"] for f in res["results"])
    assert res["signed"] == 3 and sorted(p.name for p in out.iterdir()) == ["f0.pdf", "f1.pdf", "f2.pdf"]


def test_cli_refusals(hsm: HsmToken, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    src = make_pdf()
    base = ["sign", str(src), "-o", str(tmp_path / "o.pdf"), "--pkcs11-module", hsm.module, "--token-label",
            hsm.label, "--pin-stdin"]
    r = motcua(hsm.env(), tmp_path, *base, "--key-id", "02", stdin=hsm.pin + "\n")
    assert r.returncode == 2 and "hết hạn" in r.stderr and "Traceback" not in r.stderr
    r = motcua(hsm.env(), tmp_path, "--lang", "en", *base, "--key-id", "04", stdin=hsm.pin + "\n")
    assert r.returncode == 2 and "not for signing" in r.stderr
    r = motcua(hsm.env(), tmp_path, *base, "--key-id", "01", stdin="000000\n")
    assert r.returncode == 2 and "Sai mã PIN" in r.stderr
    r = motcua(hsm.env(), tmp_path, *base, "--key-id", "01", "--level", "B-T", stdin=hsm.pin + "\n")
    assert r.returncode == 2 and "TSA" in r.stderr
    r = motcua(hsm.env(), tmp_path, "sign", str(src), "-o", str(tmp_path / "o.pdf"), "--pkcs11-module",
               "/nonexistent/libeToken.so", "--pin-stdin", stdin="1\n")
    assert r.returncode == 2 and "không tìm thấy tệp" in r.stderr
    assert not (tmp_path / "o.pdf").exists()
    # signed, but no trusted root to verify it against: said, and not a success
    r = motcua(hsm.env(), tmp_path, *base, "--key-id", "01", stdin=hsm.pin + "\n")
    assert r.returncode == 1 and "KHÔNG kiểm tra được" in r.stderr and (tmp_path / "o.pdf").exists()


def test_changes_after_signing_are_caught(hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path],
                                          tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    out = tmp_path / "s.pdf"
    with token_session(hsm.module, hsm.label, hsm.pin) as s:
        PadesSigner(s, "01").sign(make_pdf(), out)
    # an incremental update that replaces the page's content after signing
    changed = tmp_path / "changed.pdf"
    with open(out, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        page_ref = w.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        page["/Contents"] = w.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 600 Td (FORGED) Tj ET"))
        w.update_container(page)
        with open(changed, "wb") as o:
            w.write(o)
    rep = verify_pdf(changed, [pki.ca_pem])
    sig = rep.signatures[0]
    assert not rep.ok and sig.intact and sig.modified_after and "sửa sau khi ký" in " ".join(sig.problems)
    # a flipped byte inside the signed range
    raw = bytearray(out.read_bytes())
    i = raw.index(b"stream") + 12
    raw[i] ^= 0x01
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(raw))
    rep = verify_pdf(bad, [pki.ca_pem])
    assert not rep.ok and not rep.signatures[0].intact
    # unsigned file: not valid
    assert not verify_pdf(make_pdf("plain.pdf"), [pki.ca_pem]).ok


def test_verify_refuses_unreadable_files(hsm: HsmToken, pki: TestPKI, tmp_path: Path) -> None:
    import pikepdf

    enc = tmp_path / "enc.pdf"
    doc = pikepdf.new()
    doc.add_blank_page()
    doc.save(enc, encryption=pikepdf.Encryption(user="u", owner="o"))
    r = motcua(hsm.env(), tmp_path, "verify", str(enc), "--trust", str(pki.ca_pem))
    assert r.returncode == 2 and "mã hóa" in r.stderr
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    r = motcua(hsm.env(), tmp_path, "verify", str(junk), "--trust", str(pki.ca_pem))
    assert r.returncode == 2 and "không phải PDF" in r.stderr and "Traceback" not in r.stderr
