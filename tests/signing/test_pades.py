"""PAdES signing on a real SoftHSM2 token: levels, profiles, refusals; pdfsig checks the result."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from desktop.kernel.errors import InvalidInput, MotcuaError
from signing.appearance import MM
from signing.pades import PadesSigner, SignerIdentity, token_session
from signing.verify import verify_pdf
from tests.signing.hsm import ORG, PERSON, HsmToken
from tests.signing.pki import TestPKI

ISO_VN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")


@pytest.fixture
def session(hsm: HsmToken) -> Iterator[Any]:
    with token_session(hsm.module, hsm.label, hsm.pin) as s:
        yield s


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return " ".join(out.split())  # the stamp wraps long names


def _widget_rects(pdf: Path) -> list[tuple[int, list[float]]]:
    out = []
    with pikepdf.open(pdf) as doc:
        for i, page in enumerate(doc.pages):
            for annot in page.get("/Annots", []):
                if annot.get("/FT") == "/Sig" or "/Parent" in annot and annot.Parent.get("/FT") == "/Sig":
                    out.append((i, [float(v) for v in annot.Rect]))
    return out


def test_copy_profile_b_b(session: Any, make_pdf: Callable[..., Path], pdfsig: Callable[..., Any],
                          tmp_path: Path) -> None:
    src = make_pdf()
    out = tmp_path / "signed.pdf"
    res = PadesSigner(session, "01").sign(src, out, profile="copy")
    assert res.level == "B-B" and ISO_VN.fullmatch(res.signed_at)
    text = _text(out)
    assert "SAO Y" in text and "Quy Nhơn Đông" in text and ISO_VN.search(text), text
    ((page, rect),) = _widget_rects(out)
    assert page == 0 and rect[2] > 595 - 10 * MM and rect[3] > 842 - 10 * MM  # top-right of page 1
    (sig,) = pdfsig(out)
    assert sig["Signature Validation"] == "Signature is Valid."
    assert sig["Certificate Validation"] == "Certificate is Trusted."
    assert sig["Signature Type"] == "ETSI.CAdES.detached" and sig["Signing Hash Algorithm"] == "SHA-256"
    assert sig["coverage"] == "Total document signed"
    assert not list(tmp_path.glob(".*.part"))


def test_personal_then_copy_is_an_incremental_update(session: Any, make_pdf: Callable[..., Path],
                                                      pdfsig: Callable[..., Any], pki: TestPKI, tmp_path: Path) -> None:
    src = make_pdf()
    first, second = tmp_path / "p.pdf", tmp_path / "pc.pdf"
    PadesSigner(session, "05").sign(src, first, profile="personal",
                                    identity=SignerIdentity(position="Chuyên viên một cửa"))
    PadesSigner(session, "01").sign(first, second, profile="copy")
    assert second.read_bytes().startswith(first.read_bytes())  # the first signature's bytes are untouched
    text = _text(second)
    assert PERSON in text and "Chuyên viên một cửa" in text and "SAO Y" in text
    rects = dict(_widget_rects(second)[:1])
    assert rects[0][0] < 10 * MM  # personal: top-left
    sigs = pdfsig(second)
    assert [s["Signature Validation"] for s in sigs] == ["Signature is Valid."] * 2
    assert sigs[1]["coverage"] == "Total document signed"
    rep = verify_pdf(second, [pki.ca_pem])
    assert rep.ok and [s.signer.split(",")[0] for s in rep.signatures] == [f"Common Name: {PERSON}",
                                                                           f"Common Name: {ORG}"]


def test_seal_profile_draws_the_seal_at_real_size(session: Any, make_pdf: Callable[..., Path], tmp_path: Path,
                                                  pdfsig: Callable[..., Any]) -> None:
    src = make_pdf(pages=2)
    out = tmp_path / "result.pdf"
    PadesSigner(session, "01").sign(src, out, profile="seal", seal_mm=40)
    ((page, rect),) = _widget_rects(out)
    assert page == 1  # the seal profile goes on the last page
    with pikepdf.open(out) as doc:
        annot = next(a for a in doc.pages[1].Annots if "/AP" in a)
        ap = annot.AP.N
        data = ap.read_bytes().decode("latin-1")
        smasks = ["/SMask" in x for x in _xobjects(ap) if x.get("/Subtype") == "/Image"]
    assert smasks == [True]  # one image, the transparent PNG kept transparent
    side = 40 * MM
    m = re.search(r"q\s+([\d.]+) 0 0 ([\d.]+) 0 0 cm /Img", data)
    assert m and abs(float(m.group(1)) - side) < 1 and abs(float(m.group(2)) - side) < 1, data[:300]  # real size
    assert "Quy Nhơn Đông" in _text(out)
    assert pdfsig(out)[0]["Signature Validation"] == "Signature is Valid."


def _xobjects(stream: Any) -> Iterator[Any]:
    res = stream.get("/Resources", {})
    for x in res.get("/XObject", {}).values():
        yield x
        yield from _xobjects(x)


def test_b_t_and_b_lt(session: Any, make_pdf: Callable[..., Path], pki: TestPKI, tmp_path: Path,
                      pdfsig: Callable[..., Any]) -> None:
    src = make_pdf()
    bt, blt = tmp_path / "bt.pdf", tmp_path / "blt.pdf"
    before = dict(pki.requests)
    PadesSigner(session, "01", level="B-T", tsa_url=f"{pki.url}/tsa").sign(src, bt)
    PadesSigner(session, "01", level="B-LT", tsa_url=f"{pki.url}/tsa", trust_roots=[pki.ca_pem]).sign(src, blt)
    assert pki.requests["tsa"] >= before["tsa"] + 2
    rt = verify_pdf(bt, [pki.ca_pem]).signatures[0]
    assert rt.ok and rt.level == "B-T" and rt.timestamp_trusted and not rt.revocation_info
    rlt = verify_pdf(blt, [pki.ca_pem]).signatures[0]
    assert rlt.ok and rlt.level == "B-LT" and rlt.revocation_info and rlt.revocation_ok, rlt
    with pikepdf.open(blt) as doc:
        dss = doc.Root.DSS
        assert len(dss.get("/OCSPs", [])) + len(dss.get("/CRLs", [])) >= 1
    for f in (bt, blt):
        (s,) = pdfsig(f)
        assert s["Signature Validation"] == "Signature is Valid." and s["Certificate Validation"] == \
            "Certificate is Trusted."


def test_revoked_certificate_is_refused_at_b_lt(session: Any, make_pdf: Callable[..., Path], pki: TestPKI,
                                                hsm: HsmToken, tmp_path: Path) -> None:
    pki.revoke(hsm.certs["06"])
    out = tmp_path / "o.pdf"
    with pytest.raises(MotcuaError, match="thu hồi"):
        PadesSigner(session, "06", level="B-LT", tsa_url=f"{pki.url}/tsa", trust_roots=[pki.ca_pem]).sign(
            make_pdf(), out, profile="personal")
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize(("key_id", "words"), [("02", "hết hạn"), ("03", "chưa có hiệu lực"),
                                               ("04", "không dùng để ký"), ("7f", "Không có khóa")])
def test_unusable_certificates_are_refused(session: Any, key_id: str, words: str) -> None:
    with pytest.raises(MotcuaError, match=words):
        PadesSigner(session, key_id)


def test_bad_pdfs_are_refused_and_leave_nothing(session: Any, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    signer = PadesSigner(session, "01")
    enc = tmp_path / "enc.pdf"
    doc = pikepdf.new()
    doc.add_blank_page()
    doc.save(enc, encryption=pikepdf.Encryption(user="u", owner="o"))
    good = make_pdf().read_bytes()
    cases = {
        enc: "mật khẩu",
        tmp_path / "truncated.pdf": "không phải PDF hợp lệ",
        tmp_path / "garbage.pdf": "không phải PDF hợp lệ",
        tmp_path / "empty.pdf": "không phải PDF hợp lệ",
        tmp_path / "missing.pdf": "Không tìm thấy",
    }
    (tmp_path / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (tmp_path / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    (tmp_path / "empty.pdf").write_bytes(b"")
    out_dir = tmp_path / "out"
    for src, words in cases.items():
        with pytest.raises(InvalidInput, match=words):
            signer.sign(src, out_dir / src.name)
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_tsa_down_leaves_no_file(session: Any, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a loopback port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "o.pdf"
    with pytest.raises(MotcuaError, match="dấu thời gian"):
        PadesSigner(session, "01", level="B-T", tsa_url=f"http://127.0.0.1:{port}/tsa").sign(make_pdf(), out)
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


def test_level_needs_a_tsa(session: Any) -> None:
    with pytest.raises(InvalidInput, match="TSA"):
        PadesSigner(session, "01", level="B-T")
