"""Finding the page in a photo, and refusing any outline that would cut text off.

Several cues propose an outline, none is trusted alone:

* brightness: Otsu's split of the frame (a white page on a dark desk);
* continuity of the paper's colour: a flood fill from the paper around the text, which
  follows a soft light gradient or shadow but stops at the step where the page ends (a
  light grey desk lit from one side defeats any single threshold, not this);
* edges: Canny on the logarithm of the brightness (light multiplies, so its gradient
  disappears in the log), closed into outlines;
* the extent of the text itself: what looks like print on paper (thin dark strokes on a
  smooth bright ground, enclosed by that ground: a patch of desk bridged between two
  sheets touches the desk it belongs to), measured on the whole frame before anything is cut.

Each outline is scored by the step (in grey, or in the colour channel where a side steps
most: a tinted desk) found across its four sides (sides lying
on the frame's border, where a page leaves the frame, are not asked for one; a side lying
on another sheet of nearly the same white counts by a faint step it shows all along). An outline
is only ever accepted if it holds every text region of the frame; when the best outlines
would each cut some off, the caller keeps the whole frame and tells the officer to check
the edges. All work is done on a copy about 1000 px long.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_PX = 1000
#: share of the text regions an outline may leave outside (JPEG specks, not words)
MAX_LOST = 0.002
#: share of a mark's surroundings that may touch a dark region larger than a word (the
#: desk, the frame's border) for the mark still to count as print: JPEG ringing, a letter
#: touching a rule
MAX_FOREIGN = 0.1
#: an outline needs a brightness step on at least this share of its sides' length
MIN_EDGE = 0.55
#: a faint step (log brightness) counts where a side shows it the same way on this share
#: of its length: a sheet on a sheet of nearly the same white (see ``_steps``)
FAINT = 0.015
FAINT_SHARE = 0.9
#: how far inside the paper's edge an outline is drawn (work pixels): a margin's sliver
#: lost, never print, and no dark line of desk left along the kept page's side
INSET = 1.5


@dataclass
class PageSearch:
    quad: np.ndarray | None  # TL TR BR BL, full-size pixels; None: keep the whole frame
    cue: str = ""  # which cue proposed the chosen outline
    edge: float = 0.0  # its edge support, 0..1
    cut_text: bool = False  # a page was seen, but every outline of it would cut text off
    lost: float = 0.0  # share of the text the best refused outline would have cut


def _shrink(image: np.ndarray, longest: int) -> tuple[np.ndarray, float]:
    k = -(-max(image.shape[:2]) // longest)
    if k <= 1:
        return image, 1.0
    f = 1.0 / k
    h, w = image.shape[:2]
    return cv2.resize(image, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA), f


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(pts, np.float32).reshape(-1, 2)
    c = pts.mean(0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise on screen (y grows downward), from the left
    s = pts.sum(1)
    start = int(np.argmin(s))
    return np.roll(pts, -start, axis=0).astype(np.float32)


def _odd(n: float) -> int:
    return max(3, int(n) | 1)


def text_regions(grey: np.ndarray) -> np.ndarray:
    return _print_and_paper(grey)[0]


def _print_and_paper(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mask (uint8 0/1) of what looks like print on paper: thin strokes clearly darker than
    a smooth, bright ground close around them. Wood grain, cloth patterns and shadow edges
    are thick, or lie on a textured ground, and are left out."""
    h, w = grey.shape
    k = _odd(max(h, w) / 45)
    g = cv2.GaussianBlur(grey, (3, 3), 0).astype(np.float32)
    bg = cv2.morphologyEx(g, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    ratio = g / np.maximum(bg, 1.0)
    # the ground must be paper-bright for its surroundings (a dark desk is not, however
    # it is lit); compared with the brightest ground nearby, so shade and gradients pass
    near = cv2.dilate(bg, cv2.getStructuringElement(cv2.MORPH_RECT, (_odd(max(h, w) / 6),) * 2))
    ink = ((ratio < 0.78) & (bg > 0.45 * near) & (bg > 40)).astype(np.uint8)
    t = max(3, k // 4)
    thick = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (t, t)))
    ink[cv2.dilate(thick, np.ones((3, 3), np.uint8)) > 0] = 0
    # the ground around print is paper: apart from the ink, it is as bright as its closing
    ground = (1 - ink).astype(np.float32)
    dev = np.clip(1.0 - ratio, 0, 1) * ground
    win = (2 * k + 1, 2 * k + 1)
    rough = cv2.blur(dev, win) / np.maximum(cv2.blur(ground, win), 1e-3)
    smooth = (rough < 0.05).astype(np.uint8)
    ink &= smooth
    ink = _enclosed_by_paper(ink, ((ratio < 0.78) | (bg <= 0.45 * near) | (bg <= 40)).astype(np.uint8), k)
    # print comes in words: drop lone specks
    words = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, k // 3), max(3, k // 3))))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(words, connectivity=8)
    keep = np.zeros(n, np.uint8)
    big = stats[:, cv2.CC_STAT_AREA] >= max(12, k * k // 3)
    keep[1:] = big[1:]
    return ink & keep[labels], smooth


def _enclosed_by_paper(ink: np.ndarray, dark: np.ndarray, k: int) -> np.ndarray:
    """The marks of ``ink`` that paper surrounds. Print lies on the sheet: what touches a
    stroke from outside is paper, more print, or the rest of its own letter. A patch of
    desk that the closing bridged (the notch where a sheet under the page meets the page's
    edge, a cloth's stripes along it, a sliver of desk between a sheet and the frame's
    border) also looks like a thin dark stroke on bright ground, but it touches the dark
    desk it belongs to; counted as text, it made every outline of the page "cut text" and
    the whole frame, desk and second sheet and all, was kept (issue 13, second_page).

    ``dark`` is everything dark that is not print (too thick, too rough, or no paper-bright
    ground); only its regions larger than a word (``k`` × ``k``) count against a mark, so a
    bold letter's thick strokes, left out of ``ink``, do not take its thin ones with them.
    Beyond the frame counts as dark: a mark's only visible ground must be paper."""
    n, labels = cv2.connectedComponents(ink, connectivity=8)
    if n <= 1:
        return ink
    _, regions, stats, _ = cv2.connectedComponentsWithStats((dark & (1 - ink)).astype(np.uint8), connectivity=8)
    large = stats[:, cv2.CC_STAT_AREA] >= k * k
    large[0] = False
    foreign = np.pad(large[regions], 1, constant_values=True)
    # each pixel beside a mark takes the mark's label (the largest among its neighbours)
    grown = cv2.dilate(np.pad(labels, 1).astype(np.float32), np.ones((3, 3), np.uint8)).astype(np.int32)
    ring = (np.pad(ink, 1) == 0) & (grown > 0)
    around = np.bincount(grown[ring], minlength=n)
    touching = np.bincount(grown[ring & foreign], minlength=n)
    keep = touching <= MAX_FOREIGN * np.maximum(around, 1)
    keep[0] = False
    return ink & keep[labels].astype(np.uint8)


def lost_share(text: np.ndarray, quad: np.ndarray) -> float:
    """Share of the text (by ink, whole words: a word counts as lost when most of it lies
    outside) that ``quad`` leaves out."""
    total = int(text.sum())
    if total == 0:
        return 0.0
    k = _odd(max(text.shape) / 45)
    words = cv2.dilate(text, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, k // 3),) * 2))
    n, labels = cv2.connectedComponents(words, connectivity=8)
    inside = np.zeros_like(text)
    cv2.fillConvexPoly(inside, np.round(quad).astype(np.int32), 1)
    ink_all = np.bincount(labels[text > 0], minlength=n)
    ink_out = np.bincount(labels[(text > 0) & (inside == 0)], minlength=n)
    lost = ink_out[1:] > 0.5 * np.maximum(ink_all[1:], 1)
    return float(ink_all[1:][lost].sum()) / total


def _smooth_share(smooth: np.ndarray, quad: np.ndarray) -> float:
    inside = np.zeros_like(smooth)
    cv2.fillConvexPoly(inside, np.round(quad).astype(np.int32), 1)
    n = int(inside.sum())
    return float(int((smooth & inside).sum())) / n if n else 0.0


def _steps(step: np.ndarray) -> np.ndarray:
    """Which samples along one side (log brightness inside minus outside) cross a page's
    edge: a step of 5 %, or a faint one (FAINT) that the whole side shows the same way.

    A sheet lying on another sheet of nearly the same white steps by 2-4 % where it lies on
    it (no 5 % anywhere); every side of it that lies on the sheet under it read as "no
    edge", so the page on top was refused, and nothing was found on a light desk. A line
    drawn through paper or desk never shows one direction on 90 % of its length: noise,
    print and grain go both ways, and the light's gradient is far below FAINT over 2 d."""
    hit = np.abs(step) > 0.05
    way = 1.0 if float(np.median(step)) >= 0 else -1.0
    faint = way * step > FAINT
    return hit | faint if faint.mean() >= FAINT_SHARE else hit


def edge_support(logimg: np.ndarray, quad: np.ndarray) -> float:
    """Share of the outline's length (sides on the frame's border left out) across which
    the brightness steps (:func:`_steps`) — a page's edge, not a line drawn through paper.

    ``logimg`` is one plane (grey) or several stacked (grey and the colour channels, see
    :func:`_log_planes`); each side counts in the plane where it steps most. On a white desk
    of its own tint (warm or cool by a few per cent) the grey of paper and desk may differ
    by 1-2 % while one channel steps by 3-4 % all along the page: read in grey only, such a
    page had no edge and was never found (issue 13 leftovers: white_flat, white_phone_shadow)."""
    planes = logimg[..., None] if logimg.ndim == 2 else logimg
    h, w = planes.shape[:2]
    d = max(2.0, max(h, w) / 250)
    border = max(3.0, max(h, w) / 150)
    centre = quad.mean(0)
    hits = total = 0
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        v = b - a
        length = float(np.hypot(*v))
        if length < 1:
            continue
        nrm = np.array([-v[1], v[0]]) / length
        if np.dot(nrm, (a + b) / 2 - centre) < 0:
            nrm = -nrm  # outward
        ts = np.linspace(0.08, 0.92, 40)
        pts = a[None, :] + ts[:, None] * v[None, :]
        inn, out = pts - d * nrm, pts + d * nrm
        ok = ((out[:, 0] >= 0) & (out[:, 0] <= w - 1) & (out[:, 1] >= 0) & (out[:, 1] <= h - 1)
              & (inn[:, 0] >= 0) & (inn[:, 0] <= w - 1) & (inn[:, 1] >= 0) & (inn[:, 1] <= h - 1))
        on_border = ((pts[:, 0] < border) | (pts[:, 0] > w - 1 - border) | (pts[:, 1] < border)
                     | (pts[:, 1] > h - 1 - border))
        ok &= ~on_border
        if ok.sum() < 4:
            continue
        gi = planes[inn[ok, 1].round().astype(int), inn[ok, 0].round().astype(int)]
        go = planes[out[ok, 1].round().astype(int), out[ok, 0].round().astype(int)]
        hits += max(int(_steps(gi[:, c] - go[:, c]).sum()) for c in range(planes.shape[2])) * 40 // len(ts)
        total += int(ok.sum()) * 40 // len(ts)
    return hits / total if total >= 40 else 0.0


def _log_planes(colour: np.ndarray, logimg: np.ndarray) -> np.ndarray:
    """The log brightness and the log of each colour channel, stacked (h × w × 4), each
    blurred as ``logimg`` is; a grey frame gives its one plane."""
    if colour.ndim == 2 or np.array_equal(colour[..., 0], colour[..., 2]):
        return logimg
    chans = np.log1p(cv2.GaussianBlur(colour, (3, 3), 0).astype(np.float32))
    return np.dstack([logimg, chans])


def _quad_of(contour: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """Four corners for a page's outline: its polygon when it has four, else the page's
    sides fitted as lines (a corner out of the frame is where two sides meet, outside),
    else the smallest rectangle around it (never smaller than the outline)."""
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in (0.015, 0.025, 0.04):
        poly = cv2.approxPolyDP(hull, eps * peri, True).reshape(-1, 2).astype(np.float32)
        if len(poly) == 4:
            return order_corners(poly)
    h, w = shape[:2]
    poly = cv2.approxPolyDP(hull, 0.01 * peri, True).reshape(-1, 2).astype(np.float32)
    if 5 <= len(poly) <= 8:
        # the sides that are not the frame's border, longest four, in order around the hull
        b = 3.0
        sides = []
        for i in range(len(poly)):
            p, q = poly[i], poly[(i + 1) % len(poly)]
            on_frame = ((p[0] < b and q[0] < b) or (p[0] > w - 1 - b and q[0] > w - 1 - b)
                        or (p[1] < b and q[1] < b) or (p[1] > h - 1 - b and q[1] > h - 1 - b))
            if not on_frame:
                sides.append((float(np.hypot(*(q - p))), i, p, q))
        if len(sides) >= 4:
            best = sorted(sorted(sides, reverse=True)[:4], key=lambda s: s[1])
            corners = []
            for j in range(4):
                _, _, p1, q1 = best[j - 1]
                _, _, p2, q2 = best[j]
                x = _intersect(p1, q1, p2, q2)
                if x is None:
                    break
                corners.append(x)
            if len(corners) == 4:
                quad = order_corners(np.array(corners))
                diag = float(np.hypot(w, h))
                if cv2.isContourConvex(quad.reshape(-1, 1, 2)) and np.all(np.abs(quad - [w / 2, h / 2]) < diag):
                    return quad
    return order_corners(cv2.boxPoints(cv2.minAreaRect(contour)))


def _intersect(p1: np.ndarray, q1: np.ndarray, p2: np.ndarray, q2: np.ndarray) -> np.ndarray | None:
    d1, d2 = q1 - p1, q2 - p2
    den = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(den) < 1e-6 * (np.hypot(*d1) * np.hypot(*d2)):
        return None
    t = ((p2[0] - p1[0]) * d2[1] - (p2[1] - p1[1]) * d2[0]) / den
    return p1 + t * d1


def _from_mask(mask: np.ndarray) -> np.ndarray | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    if not 0.08 < cv2.contourArea(c) / mask.size < 0.985:
        return None
    return _quad_of(c, mask.shape)


def _otsu(grey: np.ndarray) -> np.ndarray | None:
    blur = cv2.GaussianBlur(grey, (5, 5), 0)
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    k = max(5, grey.shape[1] // 40)
    bw = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return _from_mask(bw)


def _paper_fill(colour: np.ndarray, text: np.ndarray, step: float) -> np.ndarray | None:
    """The connected paper around the text: a flood fill on a text-free copy that may not
    cross a sharp brightness step (``step`` in log units per pixel, the page's edge), so a
    soft gradient or a shadow's blurred edge passes and the page's border does not."""
    h, w = colour.shape[:2]
    k = _odd(max(h, w) / 45)
    flat = cv2.morphologyEx(colour, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    flat = cv2.medianBlur(flat, 5)
    ys, xs = np.nonzero(cv2.dilate(text, np.ones((k, k), np.uint8)) & (1 - text))
    if len(xs) == 0:
        return None
    # seed on the paper right around the words, nearest the middle of the text
    i = int(np.argmin(np.hypot(xs - np.median(xs), ys - np.median(ys))))
    lg = np.log1p(flat.astype(np.float32))
    barrier = np.zeros((h, w), np.uint8)
    for c in range(3):
        gx = cv2.Sobel(lg[..., c], cv2.CV_32F, 1, 0) / 8
        gy = cv2.Sobel(lg[..., c], cv2.CV_32F, 0, 1) / 8
        barrier |= (cv2.magnitude(gx, gy) > step).astype(np.uint8)
    mask = np.zeros((h + 2, w + 2), np.uint8)
    mask[1:-1, 1:-1] = cv2.dilate(barrier, np.ones((3, 3), np.uint8))
    sx, sy = int(xs[i]), int(ys[i])
    if mask[sy + 1, sx + 1]:
        return None
    diff = (3.0,) * 3
    cv2.floodFill(flat, mask, (sx, sy), (0, 0, 0), diff, diff, 4 | cv2.FLOODFILL_MASK_ONLY | (128 << 8))
    region = (mask[1:-1, 1:-1] == 128).astype(np.uint8) * 255
    region = _cut_necks(region, sx, sy, max(3, k // 2))
    region = cv2.morphologyEx(region, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return _from_mask(region)


def _cut_necks(region: np.ndarray, sx: int, sy: int, r: int) -> np.ndarray:
    """The part of ``region`` around the seed once narrow passages (under 2 ``r`` wide) are
    cut: eroded, the seed's component kept, grown back within the region.

    On a white desk the page's edge is a faint step that the barrier follows all round but
    for a pixel or two where noise dips under the threshold; the fill ran through that gap
    over the whole desk and the page was never proposed (issue 13 leftovers: white_desk).
    A page is far wider than any such gap, so only the desk beyond it is lost."""
    ker = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    core = cv2.erode(region, ker)
    n, labels = cv2.connectedComponents(core, connectivity=4)
    if n <= 2:
        return region
    own = int(labels[sy, sx])
    if own == 0:  # the seed lies within r of the barrier: the largest part
        sizes = np.bincount(labels.ravel(), minlength=n)
        sizes[0] = 0
        own = int(np.argmax(sizes))
    # grown back by r·√2: a right-angled corner of the page lies that far from the eroded
    # core (grown back by r, the corners came back rounded and the sides fitted skew)
    g = int(np.ceil(r * 1.42))
    back = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * g + 1, 2 * g + 1))
    return cv2.dilate((labels == own).astype(np.uint8) * 255, back) & region


def _edges(logimg: np.ndarray) -> np.ndarray | None:
    g = cv2.normalize(cv2.GaussianBlur(logimg, (0, 0), 1.5), None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    mag = cv2.magnitude(cv2.Sobel(g, cv2.CV_32F, 1, 0), cv2.Sobel(g, cv2.CV_32F, 0, 1))
    hi = float(np.percentile(mag, 97))
    e = cv2.Canny(g, 0.4 * hi, hi, L2gradient=True)
    e = cv2.dilate(e, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(e, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=lambda c: cv2.contourArea(cv2.convexHull(c)))
    if not 0.08 < cv2.contourArea(cv2.convexHull(c)) / e.size < 0.985:
        return None
    return _quad_of(cv2.convexHull(c), e.shape)


def refine(logimg: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Each side moved (by up to 3 px, along its normal) onto the strongest brightness step
    near it, then INSET pixels inward: the outline of a region is a pixel or two off the
    paper's real edge, and a sliver of dark desk along a side reads as a cut-off page.
    ``logimg`` may stack colour planes (:func:`_log_planes`): the step is read in the
    plane where it is strongest, so a tinted desk's edge draws the side too."""
    planes = logimg[..., None] if logimg.ndim == 2 else logimg
    h, w = planes.shape[:2]
    centre = quad.mean(0)
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        v = b - a
        length = float(np.hypot(*v))
        if length < 1:
            return quad
        nrm = np.array([-v[1], v[0]]) / length
        if np.dot(nrm, (a + b) / 2 - centre) < 0:
            nrm = -nrm
        pts = a[None, :] + np.linspace(0.1, 0.9, 60)[:, None] * v[None, :]
        best, best_off = -1.0, 0.0
        for off in np.arange(-3.0, 3.01, 0.5):
            p = pts + off * nrm
            inn, out = p - 1.0 * nrm, p + 1.0 * nrm
            ok = ((np.minimum(inn, out) >= 0).all(1) & (np.maximum(inn[:, 0], out[:, 0]) <= w - 1)
                  & (np.maximum(inn[:, 1], out[:, 1]) <= h - 1))
            if ok.sum() < 10:
                continue
            gi = planes[inn[ok, 1].round().astype(int), inn[ok, 0].round().astype(int)]
            go = planes[out[ok, 1].round().astype(int), out[ok, 0].round().astype(int)]
            step = float(np.median(np.abs(gi - go), axis=0).max())
            if step > best + 1e-3:
                best, best_off = step, off
        # a faint step is an edge too: a page on a sheet of nearly the same white
        shift = ((best_off if best > FAINT else 0.0) - INSET) * nrm
        lines.append((a + shift, b + shift))
    corners = []
    for i in range(4):
        x = _intersect(*lines[i - 1], *lines[i])
        if x is None:
            return quad
        corners.append(x)
    out = order_corners(np.array(corners))
    return out if float(np.abs(out - quad).max()) < 6 else quad


def search_page(image: np.ndarray) -> PageSearch:
    """The page's outline in a frame, or None for the whole frame (see the module)."""
    if min(image.shape[:2]) < 32:
        return PageSearch(None)
    small, f = _shrink(image, WORK_PX)
    colour = small if small.ndim == 3 else cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    grey = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
    logimg = np.log1p(cv2.GaussianBlur(grey, (3, 3), 0).astype(np.float32))
    planes = _log_planes(colour, logimg)
    text, smooth = _print_and_paper(grey)
    proposals: list[tuple[str, np.ndarray | None]] = [("brightness", _otsu(grey)), ("edges", _edges(logimg))]
    if text.any():
        # the lowest step stops where a page lies on a sheet of nearly the same white,
        # whose edge the others cross as if it were a soft gradient
        proposals += [("paper", _paper_fill(colour, text, s)) for s in (0.04, 0.02, 0.01)]
    best: PageSearch | None = None
    best_area = 1.0
    refused: PageSearch | None = None
    for cue, quad in proposals:
        if quad is None:
            continue
        area = cv2.contourArea(quad.reshape(-1, 1, 2)) / grey.size
        if area < 0.08:
            continue
        edge = edge_support(planes, quad)
        refined = refine(planes, quad)
        # a fill that stopped a pixel or two short of a faint edge straddles it only once
        # moved onto it: that may rescue the outline, the ranking stays on it as drawn
        if max(edge, edge_support(planes, refined)) < MIN_EDGE:
            continue
        quad = refined
        if _smooth_share(smooth, quad) < 0.6:  # wood grain or cloth, not a sheet of paper
            continue
        lost = lost_share(text, quad)
        if lost > MAX_LOST:
            if refused is None or edge > refused.edge:
                refused = PageSearch(None, cue, edge, True, lost)
            continue
        # the clearest edge wins; between two as clear, the tighter outline
        if best is None or edge > best.edge + 0.02 or (abs(edge - best.edge) <= 0.02 and area < best_area):
            # small-image pixel centres to full-size ones
            best, best_area = PageSearch((quad + 0.5) / f - 0.5, cue, edge), area
    if best is not None:
        return best
    return refused or PageSearch(None)


def find_page(image: np.ndarray) -> np.ndarray | None:
    """The page's four corners (float32, TL TR BR BL, full-size pixels), or None when no
    outline is both clearly a page's edge and holds all the text."""
    return search_page(image).quad
