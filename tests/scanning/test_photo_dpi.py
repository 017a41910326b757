"""A photo kept whole is read at a resolution from its print, not the camera's 72 dpi.

When no outline of the page is found (a page of the desk's own white), the PDF page had
the frame's size at 72 dpi (a 12 MP frame: 42 × 56 in) and Tesseract was told so. The
resolution now comes from the height of the print (see scanning.quality.text_dpi).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from scanning.quality import clean_and_check
from tests.scanning.conditions import SIZES_MM, Case, make_photo


def _page_dpi(case: Case) -> float:
    """The resolution the page really has in the frame: its area in pixels over its area
    in square inches."""
    h, w = case.source.image.shape
    quad = cv2.perspectiveTransform(np.array([[[0, 0], [w, 0], [w, h], [0, h]]], np.float32), case.homography)[0]
    wmm, hmm = SIZES_MM[str(case.params["paper"])]
    return float(np.sqrt(cv2.contourArea(quad) / (wmm / 25.4 * hmm / 25.4)))


# white_flat seeds 3 and 7 were kept whole until edges were read in colour: now found
@pytest.mark.parametrize("name, seed", [("white_phone_shadow", 5), ("white_phone_shadow", 0), ("white_phone_shadow", 7)])
def test_a_photo_kept_whole_gets_the_resolution_of_its_print(name: str, seed: int) -> None:
    """Frames scaled 0.55 and full size (the page at ~100 and ~200 dpi): within a third of
    the page's real resolution, so the PDF page is about the size of paper and desk."""
    for scale in (0.55, 1.0):
        case = make_photo(name, seed, scale=scale)
        result, dpi, _ = clean_and_check(case.image, case.dpi)
        assert result.quad is None, "found: this test is about the whole frame"
        truth = _page_dpi(case)
        assert 0.67 * truth <= dpi <= 1.5 * truth, (name, seed, scale, dpi, truth)
        inches = max(case.image.shape[:2]) / dpi
        assert 5 <= inches <= 30, inches


def test_a_scan_keeps_the_resolution_its_file_gives() -> None:
    """Only a camera's 72 dpi is replaced: a scanner's file is right about its resolution."""
    page = np.full((1200, 900), 250, np.uint8)
    for y in range(100, 1100, 60):
        cv2.putText(page, "ho ten nguoi yeu cau dang ky", (60, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 2)
    _, dpi, _ = clean_and_check(page, 300)
    assert dpi == 300
