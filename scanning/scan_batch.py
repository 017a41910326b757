"""The pages of one component being scanned, as the officer arranges them before the PDF.

Plain Python behind the scan screen: pages arrive one by one (from a scanner, a camera or
imported files), each gets a clean-up preview and quality badges, and the officer
reorders, turns, deletes or re-scans pages. Nothing here touches the original image: a
turn is remembered as quarter turns and applied when the pages are handed to
:func:`scanning.pipeline.digitize_pages`. Every page has a stable ``key`` so a preview
computed in a worker lands on the right page even after the list changed meanwhile.
The batch also remembers the clean-up options its previews are made with: when the
officer changes the profile, every page's preview is stale and a preview made with the old
options is refused, so what the screen shows is what goes into the PDF.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import cv2
import numpy as np

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from scanning.cleanup import CleanOptions, rotate_quarter
from scanning.images import Page
from scanning.quality import QualityIssue, clean_and_check

_keys = itertools.count(1)
THUMB_PX = 420  # longest side of the pictures the screen shows; made off the UI thread


def thumbnail(image: np.ndarray, longest: int = THUMB_PX) -> np.ndarray:
    h, w = image.shape[:2]
    k = max(1, -(-max(h, w) // longest))  # a whole factor: OpenCV's fast area path
    if k == 1:
        return image
    return cv2.resize(image, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)


@dataclass
class BatchPage:
    page: Page
    key: int = field(default_factory=lambda: next(_keys))
    turns: int = 0  # degrees clockwise, a multiple of 90, chosen by the officer
    steps: list[str] | None = None  # what clean-up will do; None until the preview is back
    issues: list[QualityIssue] = field(default_factory=list)
    thumb: np.ndarray | None = None  # small copy of the page as delivered (unturned)
    after_thumb: np.ndarray | None = None  # small copy of the cleaned page

    def image(self) -> np.ndarray:
        """The page as the officer turned it (before clean-up)."""
        return rotate_quarter(self.page.image, self.turns)

    def small(self) -> np.ndarray:
        """A small copy of the page as turned, for the screen."""
        if self.thumb is None:
            self.thumb = thumbnail(self.page.image)
        return rotate_quarter(self.thumb, self.turns)

    @property
    def badges(self) -> list[str]:
        return [i.code for i in self.issues]


@dataclass
class Preview:
    """Clean-up and quality of one page, computed off the UI thread."""

    key: int
    turns: int
    steps: list[str]
    issues: list[QualityIssue]
    after_thumb: np.ndarray
    #: the clean-up options this preview was made with (None: the defaults)
    options: CleanOptions | None = None


def preview(page: BatchPage, options: CleanOptions | None = None) -> Preview:
    """What clean-up will make of ``page`` and what is wrong with it (runs in a worker)."""
    return preview_image(page.key, page.turns, page.image(), page.page.dpi, options)


def cleaned_image(page: BatchPage, options: CleanOptions | None = None) -> np.ndarray:
    """The page as the PDF will get it, at full resolution (a zoomed "after" preview; a worker)."""
    return clean_and_check(page.image(), page.page.dpi, options)[0].image


def preview_image(key: int, turns: int, image: np.ndarray, dpi: float,
                  options: CleanOptions | None = None) -> Preview:
    """:func:`preview` of a page's (turned) image: plain data in and out, so it can run in a
    page worker process (``PagePool.call``), off the caller's GIL."""
    result, _, issues = clean_and_check(image, dpi, options)
    return Preview(key, turns, result.steps, issues, thumbnail(result.image), options)


class ScanBatch:
    def __init__(self) -> None:
        self.pages: list[BatchPage] = []
        #: the options the PDF will be made with; previews made with others are stale
        self.options: CleanOptions | None = None

    def set_options(self, options: CleanOptions | None) -> list[int]:
        """Clean with ``options`` from now on; returns the keys of the pages whose preview
        must be made again (all of them when the options changed, none otherwise)."""
        if options == self.options:
            return []
        self.options = options
        for p in self.pages:
            p.steps, p.issues, p.after_thumb = None, [], None
        return [p.key for p in self.pages]

    def __len__(self) -> int:
        return len(self.pages)

    def _index(self, key: int) -> int:
        for i, p in enumerate(self.pages):
            if p.key == key:
                return i
        raise InvalidInput(msg("Trang không còn trong lô quét.", "The page is no longer in the batch."))

    def get(self, key: int) -> BatchPage:
        return self.pages[self._index(key)]

    def add(self, page: Page, at: int | None = None, thumb: np.ndarray | None = None) -> BatchPage:
        item = BatchPage(page, thumb=thumb)
        self.pages.insert(len(self.pages) if at is None else at, item)
        return item

    def move(self, key: int, to: int) -> None:
        item = self.pages.pop(self._index(key))
        self.pages.insert(max(0, min(to, len(self.pages))), item)

    def order(self, keys: list[int]) -> None:
        """Take the order the officer dragged the thumbnails into."""
        if sorted(keys) != sorted(p.key for p in self.pages):
            raise InvalidInput(msg("Thứ tự trang không khớp với lô quét.", "The page order does not match the batch."))
        by_key = {p.key: p for p in self.pages}
        self.pages = [by_key[k] for k in keys]

    def rotate(self, key: int, degrees_cw: int) -> BatchPage:
        item = self.get(key)
        item.turns = (item.turns + degrees_cw) % 360
        item.steps, item.issues, item.after_thumb = None, [], None  # stale: to be recomputed
        return item

    def delete(self, key: int) -> None:
        del self.pages[self._index(key)]

    def replace(self, key: int, page: Page, thumb: np.ndarray | None = None) -> BatchPage:
        """A re-scanned page takes the old one's place (and a new key)."""
        i = self._index(key)
        self.pages[i] = BatchPage(page, thumb=thumb)
        return self.pages[i]

    def apply(self, result: Preview) -> BatchPage | None:
        """Store a worker's preview, unless its page was deleted or turned meanwhile, or the
        clean-up options changed since it was asked for."""
        if result.options != self.options:
            return None
        for p in self.pages:
            if p.key == result.key and p.turns == result.turns:
                p.steps, p.issues, p.after_thumb = result.steps, result.issues, result.after_thumb
                return p
        return None

    def clear(self) -> None:
        self.pages.clear()

    def to_pages(self) -> list[Page]:
        """The pages, in order and turned, for digitizing."""
        if not self.pages:
            raise InvalidInput(msg("Chưa có trang nào được quét.", "No page has been scanned yet."))
        return [Page(p.image(), p.page.dpi, p.page.source) for p in self.pages]
