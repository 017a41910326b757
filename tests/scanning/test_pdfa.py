"""Digitized copies are PDF/A-2b for an independent validator (tests/pdfa_check.py), and the
helper itself fails a PDF that is not."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pytest
from PIL import Image

from scanning.cleanup import CleanOptions
from scanning.images import Page
from scanning.pipeline import digitize, digitize_pages
from scanning.samples import DOCUMENTS, phone_photo, render, render_a4, scan_200dpi
from tests.pdfa_check import assert_pdfa, pdfa_failures


def test_helper_rejects_a_plain_pdf(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(plain)
    assert any("Identification" in p or "Metadata" in p for p in pdfa_failures(plain))
    with pytest.raises(AssertionError, match="not PDF/A-2b"):
        assert_pdfa(plain)


def test_digitized_copies_are_pdfa_2b(tmp_path: Path) -> None:
    grey = tmp_path / "grey.png"
    Image.fromarray(render_a4(DOCUMENTS["cu_tru"])).save(grey, dpi=(300, 300))
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(scan_200dpi(render_a4(DOCUMENTS["dat_dai"]), angle=2.0, seed=4))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(phone_photo(render_a4(DOCUMENTS["kinh_doanh"]), seed=8))
    out = tmp_path / "hồ sơ.pdf"
    digitize([grey, scan, photo], out, lang="vie")
    assert_pdfa(out)
    colour = tmp_path / "colour.pdf"
    digitize([photo], colour, lang="vie", options=CleanOptions(keep_colour=True))
    assert_pdfa(colour)


def test_pages_from_a_scanner_are_pdfa_2b(tmp_path: Path) -> None:
    bgr = cv2.cvtColor(render(), cv2.COLOR_GRAY2BGR)
    pages = [Page(render(), 300.0, "scanner#1"), Page(bgr, 300.0, "scanner#2"),
             Page(np.full((600, 400), 255, np.uint8), 300.0, "scanner#3")]
    out = tmp_path / "scan.pdf"
    report = digitize_pages(pages, out, lang="vie")
    assert report.pages == 2
    assert_pdfa(out)


def test_no_stream_ends_in_cr_for_a_strict_validator(tmp_path: Path) -> None:
    """Seen once in the suite: two digitized copies failed [PDFA2B-STREAM-LENGTH-001]. A stream
    whose raw data ends in CR reads as CR-LF before ``endstream``, its /Length one byte too long
    for the validator; about one compressed stream in 256 ends so."""
    import io
    import zlib
    from datetime import datetime

    from scanning.pdfa import make_pdfa, save_pdfa

    def content(n: int) -> bytes:
        return b"q Q\n%" + str(n).encode() * 3 + b"\n"

    n = next(n for n in range(100_000) if zlib.compress(content(n), 6).endswith(b"\r"))
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(zlib.compress(content(n), 6), Filter=pikepdf.Name.FlateDecode)
    # and an unfiltered stream ending in CR (as a text layer rewritten without compression)
    form = pikepdf.Stream(pdf, b"q Q\r", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 1, 1])
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=pdf.make_indirect(form)))
    make_pdfa(pdf, title="cr", created=datetime(2026, 12, 4, 19, 0))
    bare = tmp_path / "bare.pdf"
    pdf.save(bare, compress_streams=False)
    assert any("STREAM-LENGTH" in p for p in pdfa_failures(bare))  # the validator's finding, reproduced
    fixed = tmp_path / "fixed.pdf"
    save_pdfa(pdf, fixed, compress_streams=False)
    assert_pdfa(fixed)
    with pikepdf.open(fixed) as back:
        assert back.pages[0].Contents.read_bytes().rstrip() == content(n).rstrip()  # the same operators
    buf = io.BytesIO()
    save_pdfa(pdf, buf)  # the forms write to memory
    assert buf.getvalue().startswith(b"%PDF")
