"""``verify`` says what changed after signing, and ``--signer`` matches the whole name.

Before, an incremental update of the metadata, or bytes appended after ``%%EOF``, left the
file "valid" with nothing said; and ``--signer "Sở"`` matched any name containing "Sở".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from signing.pades import PadesSigner, token_session
from signing.verify import verify_pdf
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI


def _signed(hsm: HsmToken, make_pdf: Callable[..., Path], tmp_path: Path) -> Path:
    out = tmp_path / "s.pdf"
    with token_session(hsm.module, hsm.label, hsm.pin) as s:
        PadesSigner(s, "01").sign(make_pdf(), out)
    return out


def _metadata_update(src: Path, dst: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with open(src, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        info = generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("Bản đã sửa"),
                                         generic.NameObject("/Author"): generic.TextStringObject("Người khác")})
        w.set_info(info)
        with open(dst, "wb") as o:
            w.write(o)


def test_later_changes_are_reported(hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path],
                                    tmp_path: Path) -> None:
    out = _signed(hsm, make_pdf, tmp_path)
    clean = verify_pdf(out, [pki.ca_pem])
    assert clean.ok and clean.signatures[0].later_changes == []
    meta = tmp_path / "meta.pdf"
    _metadata_update(out, meta)
    rep = verify_pdf(meta, [pki.ca_pem])
    sig = rep.signatures[0]
    print(sig)
    assert sig.later_changes, "an incremental update after signing must be reported"
    assert not rep.ok and any("thông tin mô tả" in p and "sau khi ký" in p for p in sig.problems)
    tail = tmp_path / "tail.pdf"
    tail.write_bytes(out.read_bytes() + b"\n% hidden payload\n" + b"x" * 500)
    rep = verify_pdf(tail, [pki.ca_pem])
    sig = rep.signatures[0]
    print(sig)
    assert not rep.ok and any("byte" in p and "%%EOF" in p for p in sig.problems)


def test_signer_must_match_the_whole_name(hsm: HsmToken, pki: TestPKI, make_pdf: Callable[..., Path],
                                          tmp_path: Path) -> None:
    out = _signed(hsm, make_pdf, tmp_path)
    signer = verify_pdf(out, [pki.ca_pem]).signatures[0].signer
    cn = signer.split("Common Name: ", 1)[1].split(", ")[0] if "Common Name: " in signer else signer
    assert len(cn) > 6
    assert verify_pdf(out, [pki.ca_pem], expected_signer=cn).ok
    assert verify_pdf(out, [pki.ca_pem], expected_signer="  " + cn.upper() + " ").ok  # case and spaces aside
    for part in (cn[:5], cn[3:], "Ủy ban"):  # a part of the name used to be enough
        rep = verify_pdf(out, [pki.ca_pem], expected_signer=part)
        assert not rep.ok and rep.signatures[0].expected_signer is False, part
