"""Paper sizes the counter works with, and the resolution a page has if it fills a sheet.

One table for the scanner settings (scan area), the camera (resolution of a frame) and
the clean-up (proportions and effective resolution of a photographed page).
"""

from __future__ import annotations

import numpy as np

MM_PER_INCH = 25.4

#: width × height in millimetres, portrait
PAPER_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
}

#: the shapes a photographed page can have (proportions and size): the papers and the
#: ID-1 card (citizen identity card, driving licence), which is never a scan area
SHAPES_MM: dict[str, tuple[float, float]] = {**PAPER_MM, "ID-1": (53.98, 85.6)}


def dpi_filling(image: np.ndarray, paper: str | None) -> float | None:
    """Dots per inch of ``image`` if it shows exactly one sheet of ``paper`` (long side to
    long side); None for an unknown paper size."""
    if paper not in PAPER_MM:
        return None
    return max(image.shape[:2]) / (max(PAPER_MM[paper]) / MM_PER_INCH)
