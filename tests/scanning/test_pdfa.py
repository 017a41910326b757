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
