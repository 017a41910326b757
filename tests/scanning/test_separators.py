"""Separator sheets: the real PDF, rasterised and scanned, recognised and used to split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scanning.separators import ComponentRef, parse_payload, payload, read_separator
from scanning.split import PageRole, split_pages
from tests.scanning.dossiers import components, make_dossier, render_page, scan_like, separator_pages

PROC = "1.000894"  # kết hôn: TKKH, XNHN, GTTT


@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("condition", ["clean", "skew", "photocopy", "upside_down"])
def test_separator_read_in_every_condition(dpi: int, condition: str) -> None:
    pages = separator_pages(PROC, dpi)
    for i, (code, page) in enumerate(pages.items()):
        scanned = scan_like(page, dpi, np.random.default_rng(i), condition)
        mark = read_separator(scanned)
        assert mark is not None and (mark.procedure, mark.component) == (PROC, code), (condition, dpi, code)


def test_ordinary_page_and_cccd_like_qr_are_not_separators() -> None:
    page = render_page(("TỜ KHAI ĐĂNG KÝ KẾT HÔN",), ["Họ và tên: Trần Văn Đức"], 150,
                       "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", True)
    assert read_separator(page) is None
    assert parse_payload("052085001234|123456789|Trần Văn Đức|03071985|Nam|Gia Lai|01012021") is None
    assert parse_payload("MOTCUA-SEP2|1.000894|TK") is None  # a future format is not guessed at
    assert parse_payload(payload("1.000894", "TK")) is not None


def _seq(codes: list[str], dpi: int = 150) -> tuple[list[np.ndarray], list[str | None]]:
    """Separator + one title page per code; truth per sheet (None for a separator)."""
    seps = separator_pages(PROC, dpi)
    rng = np.random.default_rng(5)
    images: list[np.ndarray] = []
    truth: list[str | None] = []
    for code in codes:
        images.append(scan_like(seps[code], dpi, rng, "skew"))
        truth.append(None)
        images.append(scan_like(render_page((f"TRANG {code}",), ["nội dung"], dpi,
                                            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", False), dpi, rng, "clean"))
        truth.append(code)
    return images, truth


def test_whole_dossier_with_separators_duplex_backs_dropped() -> None:
    d = make_dossier(1, dpi=150)  # seed 1: kết hôn, duplex backs
    r = split_pages([s.image for s in d.with_separators], d.procedure, components(d.procedure))
    assert [s.kind for s in d.with_separators].count("back") > 0
    for p, s in zip(r.pages, d.with_separators, strict=True):
        if s.truth is None:
            assert p.role in (PageRole.SEPARATOR, PageRole.SEPARATOR_BACK)
        else:
            assert (p.role, p.component) == (PageRole.PAGE, s.truth)
    assert not r.warnings and not r.empty_components


def test_a_back_with_faint_writing_is_kept() -> None:
    images, _ = _seq(["TKKH"])
    back = np.full_like(images[0], 250)
    back[400:412, 200:900] = 120  # one faint line: not truly blank
    r = split_pages([images[0], back, images[1]], PROC, components(PROC))
    assert r.pages[1].role is PageRole.PAGE and r.pages[1].component == "TKKH"


def test_two_separators_in_a_row_report_an_empty_component() -> None:
    images, _ = _seq(["TKKH", "XNHN"])
    seq = [images[0], images[2], images[3]]  # TKKH's separator, then XNHN's at once
    r = split_pages(seq, PROC, components(PROC))
    assert r.empty_components == ["TKKH"]
    assert any("TKKH" in w for w in r.warnings)
    assert r.slots() == {"XNHN": [2]}


def test_separator_of_another_procedure_is_reported_not_used() -> None:
    images, _ = _seq(["TKKH"])
    other = separator_pages("1.000656", 150)["BTT"]  # khai tử's separator in a kết hôn dossier
    seq = [images[0], images[1], scan_like(other, 150, np.random.default_rng(3), "clean"), images[1]]
    r = split_pages(seq, PROC, components(PROC))
    assert r.pages[2].role is PageRole.FOREIGN_SEPARATOR
    assert any("1.000656" in w for w in r.warnings)
    # the page after the foreign sheet is not put into TKKH's slot: without text it stays unassigned
    assert r.slots() == {"TKKH": [1]} and r.unassigned() == [3]


def test_missing_separators_are_reported_when_expected() -> None:
    d = make_dossier(1, dpi=150)
    r = split_pages([s.image for s in d.pages], d.procedure, components(d.procedure), separators_expected=True)
    assert any("tờ phân cách" in w.lower() or "separator" in w.lower() for w in r.warnings)
    assert r.unassigned() == list(range(len(d.pages)))  # no text given: nothing guessed


def test_components_with_pipe_cannot_make_a_payload() -> None:
    with pytest.raises(ValueError):
        payload("1.0|x", "TK")
    assert ComponentRef("TK", "x").code == "TK"


def test_the_separator_sheets_are_pdfa(tmp_path: Path) -> None:
    """Before, plain reportlab output: no PDF/A identification, no output intent."""
    from scanning.separators import render_separators
    from tests.pdfa_check import assert_pdfa

    out = render_separators("1.001193", "Đăng ký khai sinh", [ComponentRef("TP1", "Tờ khai đăng ký khai sinh"),
                                                             ComponentRef("TP2", "Giấy chứng sinh")],
                            tmp_path / "sep.pdf")
    assert_pdfa(out)
