"""One pixel limit for every decode: PDF pages rendered at a size fitted to it (or refused
before any work), a page poppler fails to render is an error and never a dropped "blank",
and the CCCD reader refuses a decompression bomb from its header."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from desktop.kernel.errors import InvalidInput
from scanning import images
from scanning.cccd import read_cccd
from scanning.images import MAX_PIXELS, PageRef, list_pages, load_page, pdf_render_dpi
from scanning.pipeline import digitize
from scanning.samples import render


def _pdf(path: Path, w_pt: float, h_pt: float, rotate: int = 0) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(w_pt, h_pt))
    if rotate:
        pdf.pages[0].obj.Rotate = rotate
    pdf.save(path)
    return path


def _png_header_only(path: Path, w: int, h: int) -> Path:
    """A small PNG file that claims ``w``×``h`` pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress(b"\x00" * (w + 1) * 4)  # a few rows of a grey image; the rest is missing
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    return path


def test_a_200_inch_pdf_page_is_refused_before_any_work(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    Image.fromarray(render()).save(good, dpi=(300, 300))
    huge = _pdf(tmp_path / "huge.pdf", 14400, 14400)  # 200 × 200 inches, the largest PDF page
    with pytest.raises(InvalidInput, match="quá lớn") as info:
        digitize([good, huge], tmp_path / "out.pdf")
    assert "5080×5080 mm" in str(info.value)
    assert not (tmp_path / "out.pdf").exists()  # not a one-page PDF without the page


def test_a_large_page_is_rendered_within_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same arithmetic as a 5000-pt page under 120 MP, on a scale this machine renders quickly
    monkeypatch.setattr(images, "MAX_PIXELS", 4_000_000)
    big = _pdf(tmp_path / "big.pdf", 1000, 1400, rotate=90)
    (ref,) = list_pages([big])
    assert ref.pdf_dpi == pdf_render_dpi(1000, 1400) and 100 <= ref.pdf_dpi < 300
    page = load_page(ref)
    h, w = page.image.shape[:2]
    assert w * h <= 4_000_000 and page.dpi == ref.pdf_dpi
    assert w > h  # /Rotate 90 turns the portrait box landscape, as poppler renders it
    assert abs(w - 1400 / 72 * ref.pdf_dpi) <= 2
    monkeypatch.undo()
    # an A4 page keeps its 300 dpi
    assert pdf_render_dpi(595, 842) == 300
    # and 5000 pt under the real limit: ~157 dpi, under 120 MP
    dpi = pdf_render_dpi(5000, 5000)
    assert 150 < dpi < 160 and (5000 / 72 * dpi) ** 2 <= MAX_PIXELS


def test_a_page_that_fails_to_render_is_an_error_not_a_blank(tmp_path: Path) -> None:
    huge = _pdf(tmp_path / "huge.pdf", 14400, 14400)
    # what the old code did: 300 dpi whatever the box; poppler gives a 1×1 image and exit 0
    ref = PageRef(huge, 0, True, 300, (14400.0, 14400.0))
    with pytest.raises(InvalidInput, match="không dựng được"):
        load_page(ref)


def test_cccd_refuses_a_decompression_bomb_from_its_header(tmp_path: Path) -> None:
    bomb = _png_header_only(tmp_path / "bomb.png", 20000, 20000)
    assert bomb.stat().st_size < 10_000
    t0 = time.perf_counter()
    with pytest.raises(InvalidInput, match="quá lớn"):
        read_cccd(bomb)
    assert time.perf_counter() - t0 < 2
    with pytest.raises(InvalidInput, match="quá lớn"):
        list_pages([bomb])
