"""A geometric correction may never remove content (issue 13).

Seeded photos and scans from :mod:`tests.scanning.conditions` (one per condition here,
more in ``bench/capture_bench.py``): every text line of the source that the camera saw
must still be in the kept page — its two ends inside the outline that was kept, and its
anchor words in the OCR text (Tesseract ``vie``) — and the kept page must read no worse
than raw Tesseract on the same file. Frames are scaled down (about 3 MP) for speed.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from desktop.kernel.errors import MotcuaError
from scanning.cleanup import CleanResult, clean_page, rotate
from scanning.ocr import ocr_image
from scanning.pagefind import PageSearch, search_page, text_regions
from scanning.pipeline import digitize
from scanning.quality import clean_and_check
from tests.scanning.conditions import (
    BACKGROUNDS,
    CONDITIONS,
    SECOND_SHEETS,
    Case,
    anchors_read,
    inside,
    make_case,
    make_photo,
    raw_tesseract,
    source_page,
)
from tests.scanning.test_digitize import cer

SCALE = 0.55
#: two OCR runs of two different images of one page differ by a character or two
#: without either being worse: "never worse" is read as at most 0.5 % more CER
SAME = 0.005


@dataclass
class Outcome:
    case: Case
    result: CleanResult
    codes: list[str]
    raw: str
    ours: str


def _run(case: Case) -> Outcome:
    raw = raw_tesseract(case)
    result, dpi, issues = clean_and_check(case.image, case.dpi)
    ours = ocr_image(result.image, lang="vie", dpi=dpi or 300)
    return Outcome(case, result, [i.code for i in issues], raw, ours)


def _run_all(cases: list[Case]) -> list[Outcome]:
    with ThreadPoolExecutor(2) as pool:  # Tesseract runs as a child process: two at a time
        return list(pool.map(_run, cases))


def _check(o: Outcome) -> None:
    c, r = o.case, o.result
    seen = c.visible()
    if r.quad is not None:  # every line end the camera saw lies inside the outline kept
        for line, ends, vis in zip(c.source.lines, c.anchors_in_image(), seen, strict=True):
            assert not vis or all(inside(r.quad, ends)), (c.condition, c.seed, "cut off", line.text)
    raw_lines, our_lines = anchors_read(c.source.lines, o.raw), anchors_read(c.source.lines, o.ours)
    lost = [ln.text for ln, a, b in zip(c.source.lines, raw_lines, our_lines, strict=True) if a and not b]
    assert not lost, (c.condition, c.seed, "raw Tesseract reads these lines, the kept page does not", lost)
    raw_cer, our_cer = cer(c.truth, o.raw), cer(c.truth, o.ours)
    assert our_cer <= raw_cer + SAME, (c.condition, c.seed, f"CER {our_cer:.2%} vs raw {raw_cer:.2%}", r.steps)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    cases = [make_case(name, seed=1, scale=SCALE) for name in CONDITIONS]
    return {o.case.condition: o for o in _run_all(cases)}


#: known defects, left visible (strict: the day they pass, the mark must go). Gone:
#: second_page, whose outline was refused because the notch of desk where the sheet under
#: the page meets its edge read as print outside it (see test_a_sheet_under_the_page_...)
KNOWN: dict[str, str] = {}


@pytest.mark.parametrize("condition", [
    pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN[c], strict=True)) if c in KNOWN else c
    for c in CONDITIONS])
def test_kept_page_holds_every_line_and_reads_no_worse_than_raw(condition: str,
                                                                 outcomes: dict[str, Outcome]) -> None:
    o = outcomes[condition]
    _check(o)
    if o.case.kind == "photo" and condition not in ("any_rotation",):
        # a page the camera saw whole is read whole (a quarter-turned page is up to the
        # orientation step, which is not this test's business)
        read = anchors_read(o.case.source.lines, o.ours)
        assert all(r for r, v in zip(read, o.case.visible(), strict=True) if v), (condition, o.result.steps)


@pytest.fixture(scope="module")
def sheet_outcomes() -> dict[str, Outcome]:
    cases = [make_case(name, seed=1, scale=SCALE) for name in SECOND_SHEETS]
    return {o.case.condition: o for o in _run_all(cases)}


@pytest.mark.parametrize("condition", list(SECOND_SHEETS))
def test_a_sheet_under_the_page_costs_no_line(condition: str, sheet_outcomes: dict[str, Outcome]) -> None:
    """The second_page condition varied: the side the sheet under shows on, how far, desks
    dark, light, white and patterned, a bigger sheet all round, one turned, one running out
    of the frame, an A5 page on an A4 sheet, any rotation, a steep tilt. Read like the
    conditions above: every line kept and read, no worse than raw Tesseract."""
    o = sheet_outcomes[condition]
    _check(o)
    if condition != "under_any_rotation":  # a quarter turn is the orientation step's business
        read = anchors_read(o.case.source.lines, o.ours)
        assert all(r for r, v in zip(read, o.case.visible(), strict=True) if v), (condition, o.result.steps)


@pytest.mark.parametrize("desk", [70, 200])
@pytest.mark.parametrize("dx, dy", [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1)])
def test_the_notch_between_two_sheets_is_not_print(desk: int, dx: int, dy: int) -> None:
    """The root of the second_page defect, alone: where the sheet under the page shows along
    one side, the desk meets both sheets in a concave corner; the closing that estimates the
    paper under print bridges it, and the desk there read as a thin stroke on paper. It must
    not count as text, and the outline found must hold the whole page on top.

    Not asked yet: that it be the page alone. On a dark desk the outline of both sheets
    together has the clearer edge (the page's sides on the sheet under it step by a few
    per cent) and wins; nothing is cut, but the kept page shows a strip of the sheet under."""
    rng = np.random.default_rng(3)
    page = source_page(rng, "A5", 150).image
    h, w = page.shape
    frame = np.full((h + 400, w + 400), desk, np.float32) + rng.normal(0, 3, (h + 400, w + 400))
    x, y = 200, 200
    ux, uy = x + dx * 45, y + dy * 45
    frame[uy:uy + h, ux:ux + w] = 226 + rng.normal(0, 3, (h, w))
    frame[y:y + h, x:x + w] = page * (244 / 255) + rng.normal(0, 3, (h, w))
    img = np.clip(frame, 0, 255).astype(np.uint8)
    small = cv2.resize(img, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)  # the finder's own scale
    text = text_regions(small)
    outside = text.copy()
    outside[y // 2 + 2:(y + h) // 2 - 2, x // 2 + 2:(x + w) // 2 - 2] = 0
    assert int(outside.sum()) == 0, "desk or sheet taken for print outside the page"
    found = search_page(img)
    assert found.quad is not None and not found.cut_text
    corners = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)
    # the page's corners, 12 px in (the outline is drawn a little inside the paper's edge)
    assert all(inside(found.quad, corners + np.sign(corners.mean(0) - corners) * 12)), found.quad


#: (condition, seed) whose page is not cut out, left visible (strict, as KNOWN)
SHEETS_KNOWN = {
    # the cloth's light checks right beside the page, crossed by its thin dark stripes, read
    # as print on paper outside the page: every outline is refused, the whole frame kept
    ("under_bottom_cloth", 0): "cloth stripes beside the page read as print",
}


def _sheet_search(name: str, seed: int) -> tuple[Case, PageSearch]:
    case = make_case(name, seed, scale=SCALE)
    return case, search_page(case.image)


def test_the_page_on_a_sheet_is_cut_out_on_every_desk_and_side() -> None:
    """Outlines only (no OCR), seeds 0-1 of every variant: a sheet under the page is never
    taken for text, so the page is cut out (not kept whole with "check the edges"), on a
    desk darker than paper it is always found, and no outline cuts a line the camera saw.
    Before, the desk's notch between the two sheets read as print (the outline refused) and
    a page lying on a sheet of nearly the same white showed "no edge" on those sides."""
    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(lambda a: _sheet_search(*a), [(n, s) for n in SECOND_SHEETS for s in range(2)]))
    for case, search in found:
        key = (case.condition, case.seed)
        if key in SHEETS_KNOWN:
            assert search.cut_text, (key, "passes now: drop it from SHEETS_KNOWN")
            continue
        assert not search.cut_text, (key, f"refused, {search.lost:.2%} of the text outside")
        if PHOTO_DESK[case.condition] != "white":  # a white desk around white paper may show no edge
            assert search.quad is not None, (key, "page not found")
        if search.quad is not None:
            for line, ends, vis in zip(case.source.lines, case.anchors_in_image(), case.visible(), strict=True):
                assert not vis or all(inside(search.quad, ends)), (key, "cut off", line.text)


PHOTO_DESK = {name: c.background for name, c in SECOND_SHEETS.items()}


def test_page_on_a_light_grey_desk_lit_from_one_side_keeps_every_line() -> None:
    """The issue's defect: the page only a little brighter than the desk, light falling off
    across the frame. Otsu's split followed the light, not the paper, and the outline cut
    the end off every line (seed 0: two lines' ends outside it)."""
    outs = _run_all([make_case("light_grey", seed, scale=SCALE) for seed in range(3)])
    for o in outs:
        _check(o)
        assert "perspective" in o.result.steps or "crop" in o.result.steps, o.result.steps  # and it was found


def test_an_outline_that_would_cut_text_is_refused() -> None:
    """Two sheets side by side: whichever one an outline follows, the other's text is
    outside it. The whole frame is kept and the officer told to check the edges."""
    rng = np.random.default_rng(5)
    left, right = source_page(rng, "A5", 200).image, source_page(rng, "A5", 200).image
    h, w = left.shape
    frame = np.full((h + 200, 2 * w + 160, 3), 70, np.uint8)
    frame[100:100 + h, 40:40 + w] = left[..., None]
    frame[100:100 + h, 120 + w:120 + 2 * w] = right[..., None]
    result, _, issues = clean_and_check(frame, 72)
    assert result.image.shape[:2] == frame.shape[:2] and result.quad is None
    assert result.edges_unsure and "whole frame" in result.steps
    assert [i.code for i in issues if i.code == "check_edges"] == ["check_edges"]
    assert "mép" in issues[-1].message  # Vietnamese by default


def test_deskew_never_cuts_a_corner_off() -> None:
    page = np.full((400, 300), 255, np.uint8)
    cv2.rectangle(page, (0, 0), (40, 12), 0, -1)  # print right in the corner
    cv2.rectangle(page, (260, 388), (299, 399), 0, -1)
    turned = rotate(page, 5.0)
    assert turned.shape[0] > 400 and turned.shape[1] > 300
    assert int((turned < 128).sum()) >= int((page < 128).sum()) * 0.95
    middle = np.full((400, 300), 255, np.uint8)
    cv2.rectangle(middle, (100, 150), (200, 250), 0, -1)
    assert rotate(middle, 5.0).shape == (400, 300)  # nothing near a corner: size kept


def test_a_photo_without_a_page_is_never_cropped() -> None:
    rng = np.random.default_rng(9)
    for name in ("dark_wood", "cloth", "light_grey"):
        desk = np.clip(BACKGROUNDS[name](rng, 1500, 2000), 0, 255).astype(np.uint8)
        assert search_page(desk).quad is None, name
        assert clean_page(desk).quad is None, name


def test_upside_down_photo_is_kept_whole() -> None:
    case = make_photo("dark_wood", 4, scale=SCALE)
    flipped = case.image[::-1, ::-1].copy()
    result = clean_page(flipped)
    assert result.quad is not None
    h, w = flipped.shape[:2]
    ends = (w - 1 - case.anchors_in_image()[..., 0], h - 1 - case.anchors_in_image()[..., 1])
    pts = np.stack(ends, -1).reshape(-1, 2)
    assert all(inside(result.quad, pts))
    text = ocr_image(result.image, lang="vie", dpi=result.dpi or 300)
    assert all(anchors_read(case.source.lines, text)), result.steps


def test_degenerate_frames_get_a_clear_answer(tmp_path: Path) -> None:
    black = tmp_path / "black.png"
    Image.fromarray(np.zeros((1200, 900), np.uint8)).save(black)
    with pytest.raises(MotcuaError, match="trắng"):  # every page blank: no PDF, said so
        digitize([black], tmp_path / "b.pdf", lang="vie")
    for shape in ((1, 500), (500, 1), (1, 1), (3, 3000)):
        img = np.full(shape, 255, np.uint8)
        img[..., ::7] = 0
        result = clean_page(img)  # no exception, nothing cut (a quarter turn aside)
        assert result.quad is None and sorted(result.image.shape[:2]) >= sorted(shape)
    thin = tmp_path / "thin.png"
    Image.fromarray(np.full((2000, 1), 128, np.uint8)).save(thin)
    try:
        report = digitize([thin], tmp_path / "t.pdf", lang="vie")
    except MotcuaError as exc:  # refused with a message is as good as kept whole
        assert str(exc)
    else:
        assert report.pages == 1


#: (condition, seed) on a white desk whose page shows its edge all round and is still not
#: found, left visible (strict, as KNOWN): the barrier of the paper fill has a gap longer
#: than a neck the fill may be cut at, and no other cue proposes the page
WHITE_KNOWN = {("white_flat", 1), ("white_flat", 5)}


def _true_outline(case: Case) -> np.ndarray:
    h, w = case.source.image.shape
    corners = np.array([[[0, 0], [w, 0], [w, h], [0, h]]], np.float32)
    return cv2.perspectiveTransform(corners, case.homography)[0]


def test_a_page_on_a_white_desk_is_found_where_its_edge_shows() -> None:
    """White and near-white desks (issue 13 leftovers), seeds 0-7: wherever the page's own
    outline shows a brightness step all round (edge support 0.9 and more, as the finder
    measures it), the page is found, and no outline cuts a line the camera saw. A page of
    the desk's own white may stay unfound (the whole frame is kept, which loses nothing).
    Before, the paper fill ran through a gap of a few pixels in the faint edge onto the whole
    desk, and white_desk seeds 1 and 3 kept the whole frame."""
    from scanning.pagefind import WORK_PX, _shrink, edge_support

    names = [(n, s) for n in ("white_desk", "near_white_gradient", "white_flat", "white_phone_shadow")
             for s in range(8)]
    with ThreadPoolExecutor(2) as pool:
        cases = list(pool.map(lambda a: make_photo(a[0], a[1], scale=SCALE), names))
    shown = 0
    for case in cases:
        key = (case.condition, case.seed)
        found = search_page(case.image)
        small, f = _shrink(case.image, WORK_PX)
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        logimg = np.log1p(cv2.GaussianBlur(grey, (3, 3), 0).astype(np.float32))
        if edge_support(logimg, _true_outline(case) * f) >= 0.9:
            shown += 1
            if key in WHITE_KNOWN:
                assert found.quad is None, (key, "found now: drop it from WHITE_KNOWN")
            else:
                assert found.quad is not None, (key, "edge all round, page not found")
        if found.quad is not None:
            for line, ends, vis in zip(case.source.lines, case.anchors_in_image(), case.visible(), strict=True):
                assert not vis or all(inside(found.quad, ends)), (key, "cut off", line.text)
    assert shown >= 16, shown  # the test asks something of most cases


def test_small_print_is_not_median_filtered() -> None:
    """A phone's page at ~85 dpi (shadow seed 0, letters 11 px high): the 3×3 median erased
    its 1-2 px strokes and marks, CER 6.4 % where the same page unfiltered reads 0.5 %. A
    noisy 200-dpi scan (letters ~21 px) is still filtered."""
    case = make_photo("shadow", 0, scale=SCALE)
    result, dpi, _ = clean_and_check(case.image, case.dpi)
    assert "denoise" not in result.steps, result.steps
    assert cer(case.truth, ocr_image(result.image, lang="vie", dpi=dpi)) <= 0.01
    scan = make_case("scan_200", 1)
    assert "denoise" in clean_page(scan.image).steps


def test_a_page_on_a_tinted_white_desk_is_found_by_its_colour_step() -> None:
    """white_flat seed 7: paper and desk the same grey (no step in the brightness), but the
    desk's tint steps the red channel by a few per cent all round the page. The edge score
    read grey only and refused the paper fill's outline (edge 0.0); it now reads each side
    in the plane where it steps most, and the outline holds every line."""
    case = make_photo("white_flat", 7, scale=SCALE)
    found = search_page(case.image)
    assert found.quad is not None, found
    for ends, vis in zip(case.anchors_in_image(), case.visible(), strict=True):
        assert not vis or all(inside(found.quad, ends))
    true = _true_outline(case)
    assert cv2.contourArea(found.quad.reshape(-1, 1, 2)) <= 1.05 * cv2.contourArea(true.reshape(-1, 1, 2))
