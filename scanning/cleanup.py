"""Page clean-up before OCR and archiving, each step switchable per scanner profile.

Steps, in order: find the page (auto-crop a flatbed scan's margins, or straighten a photo
by its four corners), flatten uneven light, greyscale, blank detection, orientation
(0/90/180/270), light denoise, deskew. The cleaned grey (or colour) page is what the PDF
keeps; binarization is only ever used to measure, never applied to the kept image.

Deskew measures the angle of the text block from the dark pixels' minimum-area rectangle
(normalised to (-45°, 45°], the convention changed in OpenCV 5). Orientation is read from
the text itself: lines run along the axis with the deepest gaps between them, and Latin
script (Vietnamese even more, with its marks) carries more ink above the x-height band
than below it, which tells upright from upside down without a second OCR pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from scanning.ocr import osd_orientation, reading_confidence
from scanning.pagefind import find_page, search_page
from scanning.paper import MM_PER_INCH, SHAPES_MM, dpi_filling

__all__ = ["CleanOptions", "CleanResult", "clean_page", "find_page", "straighten_page"]


@dataclass
class CleanOptions:
    deskew: bool = True
    denoise: bool = True
    remove_blank: bool = True
    keep_colour: bool = False
    orientation: bool = True
    auto_crop: bool = True
    perspective: bool = True
    illumination: bool = True
    paper: str = "A4"  # used to give a photographed page its effective resolution


@dataclass
class CleanResult:
    image: np.ndarray
    angle: float = 0.0
    is_blank: bool = False
    steps: list[str] = field(default_factory=list)
    rotation: int = 0  # quarter turns applied, in degrees clockwise
    dpi: float | None = None  # effective resolution when the page was found in a photo
    quad: np.ndarray | None = None  # the outline kept (TL TR BR BL, input pixels); None: whole frame
    edges_unsure: bool = False  # a page was seen but cutting it out would lose text: whole frame kept


def to_grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def reduce(image: np.ndarray, f: float) -> np.ndarray:
    """``image`` scaled by ``f`` with area averaging, never to zero pixels (a 1-pixel-wide
    frame stays one pixel wide instead of failing in OpenCV)."""
    h, w = image.shape[:2]
    return cv2.resize(image, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)


def _shrink(grey: np.ndarray, longest: int) -> tuple[np.ndarray, float]:
    """A copy at most about ``longest`` pixels long, reduced by a whole factor (OpenCV's
    fast path for area averaging), and that factor as a scale."""
    k = -(-max(grey.shape[:2]) // longest)
    if k <= 1:
        return grey, 1.0
    f = 1.0 / k
    return reduce(grey, f), f


def ink_ratio(grey: np.ndarray) -> float:
    """Share of dark pixels after Otsu thresholding, on a reduced copy for speed."""
    small = reduce(grey, 0.25) if grey.shape[0] > 800 else grey
    if small.std() < 6:  # a uniform page: Otsu's threshold is meaningless
        return 0.0
    _, bw = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return float(np.count_nonzero(bw)) / bw.size


def has_text_line(grey: np.ndarray) -> bool:
    """Whether the page shows at least one line of character-sized marks (five or more in a
    row, across or down). A page with a single line of text (a signature page, a date) has
    too little ink for :func:`ink_ratio` to tell it from a blank one; speckles and dust are
    not in rows, and paper noise is not dark enough to count (Otsu would split it)."""
    small, _ = _shrink(grey, 1200)
    paper = float(np.percentile(small[::4, ::4], 90))
    bw = (small < paper - 50).astype(np.uint8)
    if not bw.any():
        return False
    n, _, stats, centres = cv2.connectedComponentsWithStats(bw.astype(np.uint8), connectivity=8)
    w, h, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    glyph = (np.maximum(w, h) >= 4) & (np.maximum(w, h) <= 80) & (area >= 6) & (area <= 0.95 * w * h)
    pts, size = centres[1:][glyph], np.maximum(w, h)[glyph].astype(np.float64)
    if len(pts) < 5:
        return False
    if len(pts) > 3000:  # far more marks than any blank side shows
        return True
    for along, across in ((0, 1), (1, 0)):
        for i in range(len(pts)):
            row = np.nonzero(np.abs(pts[:, across] - pts[i, across]) < 0.6 * size[i])[0]
            if len(row) < 5:
                continue
            xs = np.sort(pts[row, along])
            close = np.diff(xs) < 3 * size[i]
            run = best = 0
            for c in close:
                run = run + 1 if c else 0
                best = max(best, run)
            if best >= 4:
                return True
    return False



# --- finding the page (scanning.pagefind) and straightening it -----------------------------

def _is_axis_aligned(quad: np.ndarray, tol_px: float) -> bool:
    tl, tr, br, bl = quad
    return (abs(tl[1] - tr[1]) < tol_px and abs(bl[1] - br[1]) < tol_px and abs(tl[0] - bl[0]) < tol_px
            and abs(tr[0] - br[0]) < tol_px)


def paper_shape(w: float, h: float, preferred: str | None) -> str | None:
    """The known sheet or card whose proportions the outline has (within 6 %, foreshortening
    included), the profile's paper first: A4 and A5 look alike, an ID card does not."""
    ratio = max(w, h) / max(1.0, min(w, h))
    fits = {name: abs(ratio / (max(mm) / min(mm)) - 1) for name, mm in SHAPES_MM.items()}
    if preferred in fits and fits[preferred] < 0.06:
        return preferred
    name = min(fits, key=lambda n: fits[n])
    return name if fits[name] < 0.04 else None


def straighten_page(image: np.ndarray, quad: np.ndarray, paper: str | None = "A4") -> tuple[np.ndarray, bool]:
    """Crop (when the page sits square) or warp the page to a rectangle. Returns the page
    and whether a perspective warp was needed."""
    tl, tr, br, bl = quad
    w = float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    h = float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    if _is_axis_aligned(quad, max(4.0, 0.004 * max(image.shape[:2]))):
        x0, y0 = int(max(0, min(tl[0], bl[0]))), int(max(0, min(tl[1], tr[1])))
        x1, y1 = int(np.ceil(max(tr[0], br[0]))), int(np.ceil(max(bl[1], br[1])))
        return np.ascontiguousarray(image[y0:y1, x0:x1]), False
    shape = paper_shape(w, h, paper)
    if shape is not None:
        # foreshortening squeezes one side: restore the sheet's real proportions
        pw, ph = SHAPES_MM[shape]
        ratio = max(pw, ph) / min(pw, ph)
        if h >= w:
            h = w * ratio
        else:
            w = h * ratio
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad, dst)
    border = 255 if image.ndim == 2 else (255, 255, 255)
    return cv2.warpPerspective(image, m, (int(round(w)), int(round(h))), flags=cv2.INTER_CUBIC,
                               borderValue=border), True


def page_dpi(page: np.ndarray, paper: str | None) -> float | None:
    """Effective resolution of a straightened page: from the sheet its proportions show
    (an ID card is not an A4 page, whatever the profile says), else from the profile's."""
    h, w = page.shape[:2]
    shape = paper_shape(w, h, paper)
    if shape is None:
        return dpi_filling(page, paper)
    return max(h, w) / (max(SHAPES_MM[shape]) / MM_PER_INCH)


# --- light, noise, orientation, skew ------------------------------------------------------

def background(grey: np.ndarray) -> np.ndarray:
    """The paper's brightness under the text, estimated at low resolution."""
    small, f = _shrink(grey, 600)
    k = max(9, int(min(small.shape) / 25) | 1)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bg = cv2.medianBlur(bg, k if k <= 255 else 255)
    return cv2.resize(bg, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)


def uneven_light(grey: np.ndarray) -> float:
    """Spread of the paper's brightness (grey levels between the 5th and 95th percentile)."""
    small, _ = _shrink(grey, 300)
    bg = background(small)
    lo, hi = np.percentile(bg, (5, 95))
    return float(hi - lo)


def flatten_illumination(image: np.ndarray) -> np.ndarray:
    """Divide by the estimated background so the paper is evenly white."""
    channels = [image] if image.ndim == 2 else list(cv2.split(image))
    out = []
    for ch in channels:
        bg = background(ch).astype(np.float32)
        out.append(np.clip(ch.astype(np.float32) * (245.0 / np.maximum(bg, 1.0)), 0, 255).astype(np.uint8))
    return out[0] if len(out) == 1 else cv2.merge(out)


def _binary(grey: np.ndarray, longest: int) -> np.ndarray:
    small, _ = _shrink(grey, longest)
    _, bw = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return bw


def _gap_share(profile: np.ndarray) -> float:
    """Share of near-empty rows between the first and last inked row."""
    nz: np.ndarray = np.nonzero(profile > 0.02 * profile.max())[0] if profile.max() else np.array([], int)
    if len(nz) < 10:
        return 0.0
    inner = profile[nz[0]:nz[-1] + 1]
    return float((inner < 0.05 * profile.max()).mean())


def _upside_down_score(bw: np.ndarray) -> tuple[float, int]:
    """Ink above the x-height band minus ink below it, over all text lines (>0: upright)."""
    rows = bw.sum(1).astype(np.float64)
    above = below = 0.0
    lines = 0
    for start, end in _ink_bands(rows):
        band = rows[start:end]
        if len(band) < 6:
            continue
        core = np.nonzero(band >= 0.5 * band.max())[0]
        above += band[:core[0]].sum()
        below += band[core[-1] + 1:].sum()
        lines += 1
    total = above + below
    return ((above - below) / total if total else 0.0), lines


def _ink_bands(rows: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of rows holding more than 5 % of the fullest row's ink:
    the text lines when the text runs along the rows."""
    if not rows.max():
        return []
    on = np.concatenate(([0], (rows > 0.05 * rows.max()).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(on))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _line_shape(bw: np.ndarray) -> tuple[float, int]:
    """If the text ran along the rows of ``bw``: the median length-to-height of its lines
    (the inked extent of each band of rows over the band's height) and how many there are.

    A real line of text is many times longer than high; read across the wrong axis, the
    "lines" are single letters (about as long as high). This is what tells a sparse page's
    one line from the many thin columns of letters it also shows."""
    aspects = []
    for start, end in _ink_bands(bw.sum(1).astype(np.float64)):
        if end - start < 3:
            continue
        cols = np.nonzero(bw[start:end].any(0))[0]
        aspects.append((cols[-1] - cols[0] + 1) / (end - start))
    return (float(np.median(aspects)) if aspects else 0.0), len(aspects)


OrientationOracle = Callable[[np.ndarray], "tuple[int, float] | None"]
ReadingOracle = Callable[[np.ndarray, "tuple[int, ...]"], "dict[int, float] | None"]
OSD_MIN_CONF = 1.5  # Tesseract OSD confidence to accept its turn on a page the layout cannot settle
#: below this, an OSD turn is checked by reading the page both ways (a shadowed whole frame
#: got 180° at 1.59); clear answers on sparse pages are 3–20
OSD_SURE_CONF = 4.0
READ_MARGIN = 10.0  # mean word confidence points the turned page must gain to be turned


def layout_orientation(grey: np.ndarray) -> tuple[int, bool, bool]:
    """The quarter turn the text layout suggests, whether the axis (lines across or down) is
    certain, and whether up/down is. Nothing is certain on a page with one line."""
    small, _ = _shrink(grey, 1200)
    angle = skew_angle(small)  # a skewed scan smears the bands the up/down test reads
    if 0.1 < abs(angle) < 15:
        small = rotate(small, angle)
    bw = _binary(small, 1200)
    rows_gap, cols_gap = _gap_share(bw.sum(1)), _gap_share(bw.sum(0))
    turn = 90 if cols_gap > rows_gap * 1.5 and cols_gap > 0.15 else 0
    if turn == 90:
        bw = np.ascontiguousarray(np.rot90(bw, -1))
    # the lines found must look like lines (many times longer than high): one line across
    # the page shows, down the page, many gaps between letters, "lines" as long as high
    aspect, bands = _line_shape(bw)
    axis_sure = max(rows_gap, cols_gap) >= 0.15 and bands >= 2 and aspect >= 5
    score, lines = _upside_down_score(bw)
    if lines >= 2 and score < -0.15:
        turn = (turn + 180) % 360
    # a few lines or a weak asymmetry could be chance: only many lines settle up and down
    updown_sure = lines >= 3 and abs(score) >= 0.15
    return turn, axis_sure, updown_sure


def detect_orientation(grey: np.ndarray, second_opinion: OrientationOracle | None = None,
                       reading: ReadingOracle | None = None) -> int:
    """Clockwise quarter turn (0, 90, 180, 270) that makes the text upright; 0 when unsure.

    The text layout decides when it is conclusive (most pages: many lines). Otherwise a
    second opinion is asked (default: Tesseract's OSD on a reduced copy) and taken only
    when confident and consistent with what the layout is sure of; else the page is left
    as it is (a sparse portrait page was turned sideways by the layout guess alone). A
    barely confident 180° is checked by reading the page both ways (default: Tesseract's
    word confidence): the turn is made only if the turned page reads clearly better."""
    bw = _binary(grey, 1200)
    if bw.mean() < 0.0005:  # next to no ink: nothing to read the orientation from
        return 0
    turn, axis_sure, updown_sure = layout_orientation(grey)
    if axis_sure and updown_sure:
        return turn
    oracle = second_opinion or osd_orientation
    answer = oracle(grey)
    if answer is None or answer[1] < OSD_MIN_CONF:
        return 0
    osd_turn = answer[0] % 360
    if axis_sure and osd_turn % 180 != turn % 180:
        return 0  # the two disagree on the axis: leave it
    if osd_turn == 180 and answer[1] < OSD_SURE_CONF:
        # only up/down is settled by reading: Tesseract finds sideways lines by itself and
        # reads a quarter-turned page as confidently as an upright one
        read = (reading or reading_confidence)(grey, (0, 180))
        if read is None or read[180] < read[0] + READ_MARGIN:
            return 0
    return osd_turn


SPECKLE_MIN = 0.3  # grey levels; a rendered page ~0.03, a 200-dpi JPEG scan ~0.7, σ 8 noise ~3
#: letters (median height of the print's marks, pixels) below which the 3×3 median is not
#: applied: photos at 75-160 dpi show 10-14 px, scans at 150-300 dpi 16-29 px
MEDIAN_MIN_LETTER = 15.0


def letter_height(grey: np.ndarray) -> float:
    """Median height in pixels of the dark marks (Otsu) at least 3 px high: the size of the
    print as the page holds it, whatever resolution the file claims. 0 on a blank page."""
    if grey.size == 0 or grey.std() < 6:
        return 0.0
    _, bw = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    heights = heights[(heights >= 3) & (heights < grey.shape[0] // 4)]
    return float(np.median(heights)) if len(heights) else 0.0


def speckle_level(grey: np.ndarray, smooth: np.ndarray) -> float:
    """Mean change the 3×3 median makes on the paper (not the ink): the page's pixel noise."""
    paper = smooth > 180
    return float(cv2.absdiff(grey, smooth)[paper].mean()) if paper.any() else 0.0


def rotate_quarter(image: np.ndarray, degrees_cw: int) -> np.ndarray:
    k = {0: 0, 90: -1, 180: 2, 270: 1}[degrees_cw % 360]
    return np.ascontiguousarray(np.rot90(image, k)) if k else image


def skew_angle(grey: np.ndarray) -> float:
    small = reduce(grey, 0.5)
    _, bw = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # join letters into text lines so the rectangle follows the lines, not single glyphs
    lines = cv2.dilate(bw, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 3)))
    contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    angles, weights = [], []
    for c in contours:
        rect = cv2.minAreaRect(c)
        (w, h) = rect[1]
        if max(w, h) < 60 or max(w, h) > 0.9 * max(bw.shape):  # skip glyphs and page borders
            continue
        a = rect[2]
        if w < h:
            a -= 90
        a = (a + 45) % 90 - 45  # into [-45, 45)
        angles.append(a)
        weights.append(max(w, h))
    if not angles:
        return 0.0
    return float(np.average(angles, weights=weights))


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """Turn by ``angle``° about the centre. The frame keeps its size unless that would cut
    print off at a corner; then it grows (white) to hold the whole turned page."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = 255 if image.ndim == 2 else (255, 255, 255)
    box = _ink_box(to_grey(image))
    if box is not None:
        x0, y0, x1, y1 = box
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], np.float64) @ m.T
        if corners.min() < 0 or corners[:, 0].max() > w - 1 or corners[:, 1].max() > h - 1:
            c, s = abs(m[0, 0]), abs(m[0, 1])
            nw, nh = int(np.ceil(w * c + h * s)), int(np.ceil(w * s + h * c))
            m[0, 2] += (nw - w) / 2
            m[1, 2] += (nh - h) / 2
            w, h = nw, nh
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=border)


def _ink_box(grey: np.ndarray) -> tuple[float, float, float, float] | None:
    """Bounding box (full-size pixels) of the dark marks, from a reduced Otsu mask."""
    small, f = _shrink(grey, 800)
    if small.size == 0 or small.std() < 6:
        return None
    _, bw = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    pts = cv2.findNonZero(bw)
    if pts is None:
        return None
    x, y, bw_, bh = cv2.boundingRect(pts)
    return (x / f, y / f, (x + bw_) / f, (y + bh) / f)


def clean_page(image: np.ndarray, options: CleanOptions | None = None) -> CleanResult:
    opts = options or CleanOptions()
    steps: list[str] = []
    out = image
    dpi: float | None = None
    kept: np.ndarray | None = None
    unsure = False
    if opts.auto_crop or opts.perspective:
        found = search_page(out)
        unsure = found.cut_text  # every outline would cut text off: keep the whole frame
        if found.quad is not None:
            page, warped = straighten_page(out, found.quad, opts.paper)
            if warped and opts.perspective:
                out, dpi, kept = page, page_dpi(page, opts.paper), found.quad
                steps.append("perspective")
            elif not warped and opts.auto_crop:
                out, kept = page, found.quad
                steps.append("crop")
        if unsure:
            steps.append("whole frame")
    if not (opts.keep_colour and out.ndim == 3):
        out = to_grey(out)
        if image.ndim == 3:
            steps.append("grey")
    if opts.illumination and uneven_light(to_grey(out)) > 30:
        out = flatten_illumination(out)
        steps.append("light")
    grey = to_grey(out)
    if opts.remove_blank and ink_ratio(grey) < 0.002 and not has_text_line(grey):
        return CleanResult(out, 0.0, True, [*steps, "blank"], dpi=dpi, quad=kept, edges_unsure=unsure)
    turn = 0
    if opts.orientation:
        turn = detect_orientation(grey)
        if turn:
            out = rotate_quarter(out, turn)
            steps.append(f"rotate {turn}°")
    if opts.denoise:
        smooth = cv2.medianBlur(out, 3)
        # only a noisy page: on a clean one the median thins strokes and costs marks (kể→kế);
        # and only print large enough for a 3×3 window: on letters 10-14 px high (a phone's
        # page at 75-160 dpi) strokes are 1-2 px and a mark is a dot of 2, which the median
        # erases (issue 13, shadow seed 0: CER 6.4 % with it, 0.5 % without; any_rotation
        # 14 % and 11 % with it, 1.8 % and 2.6 % without)
        if (speckle_level(to_grey(out), to_grey(smooth)) > SPECKLE_MIN
                and letter_height(to_grey(out)) >= MEDIAN_MIN_LETTER):
            out = smooth
            steps.append("denoise")
    angle = 0.0
    if opts.deskew:
        angle = skew_angle(to_grey(out))
        if 0.1 < abs(angle) < 15:
            out = rotate(out, angle)
            steps.append(f"deskew {angle:+.2f}°")
    return CleanResult(out, angle, False, steps, turn, dpi, kept, unsure)
