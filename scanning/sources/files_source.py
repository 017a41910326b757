"""Pages imported from files: images, multi-page TIFFs and PDFs the citizen brought or e-mailed.

The same interface as a scanner, so the scan view treats "Nhập tệp" like any device: each
page is decoded (a PDF page rendered) and handed over on its own, keeps the resolution
stored in the file, and bad files are refused with the messages of
:mod:`scanning.images` — after the pages of the files before them were delivered.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken
from scanning.images import Page, list_pages, load_page
from scanning.sources.base import PAGE_SIZES_MM, Capabilities, ScanSettings, ScanSource, convert_mode

SUFFIXES = (".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".bmp", ".webp")


class FilesSource(ScanSource):
    kind = "files"

    def __init__(self, paths: Sequence[Path | str] = ()) -> None:
        super().__init__("files", msg("Nhập từ tệp ảnh/PDF", "Import image/PDF files"))
        self.paths = [Path(p) for p in paths]

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(("file",), False, (), ("color", "grey", "lineart"), tuple(PAGE_SIZES_MM))

    def check(self, settings: ScanSettings) -> ScanSettings:
        settings = settings.validated()
        if not self.paths:
            raise InvalidInput(msg("Chưa chọn tệp nào để nhập.", "No file was chosen to import."))
        return settings

    def _pages(self, settings: ScanSettings, cancel: CancelToken) -> Generator[Page, None, None]:
        for path in self.paths:
            cancel.raise_if_cancelled()
            for ref in list_pages([path]):
                page = load_page(ref)
                # keep the file's colour unless the officer asked for less (never invent colour)
                if settings.mode != "color":
                    page = Page(convert_mode(page.image, settings.mode), page.dpi, page.source)
                yield page
                cancel.raise_if_cancelled()
