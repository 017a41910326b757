"""Page clean-up before OCR and archiving: greyscale, deskew, light denoise; blank detection.

The cleaned grey (or colour) page is what the PDF keeps; binarization is never applied
to the kept image. Deskew measures the angle of the text block from the dark pixels'
minimum-area rectangle (normalised to (-45°, 45°], the convention changed in OpenCV 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np


@dataclass
class CleanOptions:
    deskew: bool = True
    denoise: bool = True
    remove_blank: bool = True
    keep_colour: bool = False


@dataclass
class CleanResult:
    image: np.ndarray
    angle: float = 0.0
    is_blank: bool = False
    steps: list[str] = field(default_factory=list)


def to_grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def ink_ratio(grey: np.ndarray) -> float:
    """Share of dark pixels after Otsu thresholding, on a reduced copy for speed."""
    small = cv2.resize(grey, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA) if grey.shape[0] > 800 else grey
    _, bw = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if small.std() < 6:  # a uniform page: Otsu's threshold is meaningless
        return 0.0
    return float(np.count_nonzero(bw)) / bw.size


def skew_angle(grey: np.ndarray) -> float:
    small = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # join letters into text lines so the rectangle follows the lines, not single glyphs
    lines = cv2.dilate(bw, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 3)))
    contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    angles, weights = [], []
    for c in contours:
        (w, h) = cv2.minAreaRect(c)[1]
        if max(w, h) < 60:
            continue
        a = cv2.minAreaRect(c)[2]
        if w < h:
            a -= 90
        a = (a + 45) % 90 - 45  # into [-45, 45)
        angles.append(a)
        weights.append(max(w, h))
    if not angles:
        return 0.0
    return float(np.average(angles, weights=weights))


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = 255 if image.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=border)


def clean_page(image: np.ndarray, options: CleanOptions | None = None) -> CleanResult:
    opts = options or CleanOptions()
    steps = []
    out = image if (opts.keep_colour and image.ndim == 3) else to_grey(image)
    if out is not image:
        steps.append("grey")
    grey = to_grey(out)
    if opts.remove_blank and ink_ratio(grey) < 0.002:
        return CleanResult(out, 0.0, True, [*steps, "blank"])
    if opts.denoise:
        out = cv2.medianBlur(out, 3)
        steps.append("denoise")
    angle = 0.0
    if opts.deskew:
        angle = skew_angle(to_grey(out))
        if 0.1 < abs(angle) < 15:
            out = rotate(out, angle)
            steps.append(f"deskew {angle:+.2f}°")
    return CleanResult(out, angle, False, steps)
