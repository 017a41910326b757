"""The pages of one component being scanned, as the officer arranges them before the PDF.

Plain Python behind the scan screen: pages arrive one by one (from a scanner, a camera or
imported files), each gets a clean-up preview and quality badges, and the officer
reorders, turns, deletes or re-scans pages. Nothing here touches the original image: a
turn is remembered as quarter turns and applied when the pages are handed to
:func:`scanning.pipeline.digitize_pages`. Every page has a stable ``key`` so a preview
computed in a worker lands on the right page even after the list changed meanwhile.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from desktop.errors import InvalidInput
from desktop.i18n import msg
from scanning.cleanup import CleanOptions, CleanResult, clean_page, rotate_quarter
from scanning.images import Page
from scanning.quality import QualityIssue, check_quality

_keys = itertools.count(1)


@dataclass
class BatchPage:
    page: Page
    key: int = field(default_factory=lambda: next(_keys))
    turns: int = 0  # degrees clockwise, a multiple of 90, chosen by the officer
    preview: CleanResult | None = None
    issues: list[QualityIssue] = field(default_factory=list)

    def image(self) -> np.ndarray:
        """The page as the officer turned it (before clean-up)."""
        return rotate_quarter(self.page.image, self.turns)

    @property
    def badges(self) -> list[str]:
        return [i.code for i in self.issues]


@dataclass
class Preview:
    """Clean-up and quality of one page, computed off the UI thread."""

    key: int
    turns: int
    result: CleanResult
    issues: list[QualityIssue]


def preview(page: BatchPage, options: CleanOptions | None = None) -> Preview:
    """What clean-up will make of ``page`` and what is wrong with it (runs in a worker)."""
    opts = options or CleanOptions()
    result = clean_page(page.image(), opts)
    framed = any(s in result.steps for s in ("perspective", "crop"))
    dpi = result.dpi or page.page.dpi
    return Preview(page.key, page.turns, result, check_quality(result.image if framed else page.image(), dpi))


class ScanBatch:
    def __init__(self) -> None:
        self.pages: list[BatchPage] = []

    def __len__(self) -> int:
        return len(self.pages)

    def _index(self, key: int) -> int:
        for i, p in enumerate(self.pages):
            if p.key == key:
                return i
        raise InvalidInput(msg("Trang không còn trong lô quét.", "The page is no longer in the batch."))

    def get(self, key: int) -> BatchPage:
        return self.pages[self._index(key)]

    def add(self, page: Page, at: int | None = None) -> BatchPage:
        item = BatchPage(page)
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
        item.preview, item.issues = None, []  # stale: to be recomputed
        return item

    def delete(self, key: int) -> None:
        del self.pages[self._index(key)]

    def replace(self, key: int, page: Page) -> BatchPage:
        """A re-scanned page takes the old one's place (and a new key)."""
        i = self._index(key)
        self.pages[i] = BatchPage(page)
        return self.pages[i]

    def apply(self, result: Preview) -> BatchPage | None:
        """Store a worker's preview, unless its page was deleted or turned meanwhile."""
        for p in self.pages:
            if p.key == result.key and p.turns == result.turns:
                p.preview, p.issues = result.result, result.issues
                return p
        return None

    def clear(self) -> None:
        self.pages.clear()

    def to_pages(self) -> list[Page]:
        """The pages, in order and turned, for digitizing."""
        if not self.pages:
            raise InvalidInput(msg("Chưa có trang nào được quét.", "No page has been scanned yet."))
        return [Page(p.image(), p.page.dpi, p.page.source) for p in self.pages]
