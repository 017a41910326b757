"""What every page source (SANE, TWAIN, camera, image files) offers, and how it fails.

A source describes itself (:class:`Capabilities`) and delivers pages one at a time as the
device produces them, so the scan view can show a thumbnail while the feeder is still
pulling paper. The contract of :meth:`ScanSource.scan`:

* ``on_page(page)`` is called for each page as soon as it is complete; a page once handed
  over belongs to the caller and is never taken back.
* A device failure part-way through a feed (paper jam, device unplugged, cover opened…)
  raises a :class:`ScanError` subclass whose message says what happened, how many pages
  were already delivered and what the officer should do; ``err.pages`` holds those pages.
* Cancelling the :class:`~desktop.kernel.tasks.CancelToken` stops the feed at the next page (a SANE
  device also aborts the page being read) and raises :class:`~desktop.kernel.tasks.Cancelled`.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Generator, Mapping
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np

from desktop.kernel.errors import InvalidInput, MotcuaError
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.images import Page
from scanning.paper import PAPER_MM

#: paper sizes an officer picks from, width × height in millimetres (portrait)
PAGE_SIZES_MM = PAPER_MM
MODES = ("color", "grey", "lineart")
#: "auto" leaves the device on the feed it is set to (or the only one it has)
SOURCES = ("auto", "flatbed", "adf", "camera", "file")
STANDARD_RESOLUTIONS = (75, 100, 150, 200, 240, 300, 400, 600, 1200)
MIN_RESOLUTION, MAX_RESOLUTION = 50, 1200

OnPage = Callable[[Page], None]


def page_size_name(name: str | None) -> str | None:
    """The canonical spelling of a page size (``a4`` → ``A4``), or ``None`` for the full area."""
    if name is None or name == "" or name.lower() in ("max", "full", "none"):
        return None
    for known in PAGE_SIZES_MM:
        if known.lower() == name.lower():
            return known
    raise InvalidInput(msg("Khổ giấy không hỗ trợ: {n} (chọn một trong {k}).", "Unsupported page size: {n} (choose one of {k}).",
                           n=name, k=", ".join(PAGE_SIZES_MM)))


@dataclass(frozen=True)
class Capabilities:
    """What a device can do, as the scan view and ``motcua scan --list`` show it."""

    sources: tuple[str, ...]  # "flatbed", "adf", "camera", "file"
    duplex: bool
    resolutions: tuple[int, ...]  # dpi values offered in the UI (empty: fixed by the input)
    modes: tuple[str, ...]  # of MODES
    page_sizes: tuple[str, ...]  # of PAGE_SIZES_MM that fit the scan area
    max_area_mm: tuple[float, float] | None = None
    #: device-specific option names that ``ScanSettings.options`` may set (SANE only)
    options: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ScanSettings:
    """What the officer asked for. Values are checked against the device's capabilities."""

    source: str = "auto"
    mode: str = "grey"
    resolution: int = 300
    page_size: str | None = "A4"
    duplex: bool = False
    #: stop after this many pages (``None``: until the feeder is empty)
    max_pages: int | None = None
    #: device-specific options by their driver name, e.g. ``{"swdeskew": "yes"}`` for SANE
    options: Mapping[str, str] = field(default_factory=dict)

    def validated(self) -> ScanSettings:
        """A copy with canonical spellings; :class:`InvalidInput` if a value cannot be used."""
        if self.source not in SOURCES:
            raise InvalidInput(msg("Nguồn giấy không hợp lệ: {s} (chọn một trong {k}).", "Invalid paper source: {s} (choose one of {k}).",
                                   s=self.source, k=", ".join(SOURCES)))
        if self.mode not in MODES:
            raise InvalidInput(msg("Chế độ màu không hợp lệ: {m} (chọn color, grey hoặc lineart).",
                                   "Invalid colour mode: {m} (choose color, grey or lineart).", m=self.mode))
        if not isinstance(self.resolution, int) or not MIN_RESOLUTION <= self.resolution <= MAX_RESOLUTION:
            raise InvalidInput(msg("Độ phân giải phải từ {a} đến {b} dpi (nhận được {r}).",
                                   "Resolution must be {a} to {b} dpi (got {r}).", a=MIN_RESOLUTION, b=MAX_RESOLUTION,
                                   r=self.resolution))
        if self.max_pages is not None and self.max_pages < 1:
            raise InvalidInput(msg("Số trang tối đa phải từ 1 trở lên.", "The page limit must be 1 or more."))
        if self.duplex and self.source not in ("auto", "adf"):
            raise InvalidInput(msg("Quét hai mặt chỉ dùng với khay nạp giấy (ADF).", "Duplex works only with the document feeder (ADF)."))
        return ScanSettings(self.source, self.mode, self.resolution, page_size_name(self.page_size), self.duplex,
                            self.max_pages, dict(self.options))


# --- errors ---------------------------------------------------------------------------------


class ScanError(MotcuaError):
    """A device problem during a scan. ``pages`` are the pages delivered before it happened."""

    code = "scan_error"

    def __init__(self, message: str, *, hint: str | None = None, delivered: int = 0) -> None:
        super().__init__(message, hint=hint)
        self.delivered = delivered
        self.pages: tuple[Page, ...] = ()


class DeviceLost(ScanError):
    code = "device_lost"


class PaperJam(ScanError):
    code = "paper_jam"


class FeederEmpty(ScanError):
    code = "feeder_empty"


class CoverOpen(ScanError):
    code = "cover_open"


class DeviceBusy(ScanError):
    code = "device_busy"


class SourceUnavailable(ScanError):
    """The kind of source cannot work on this machine (no driver, wrong platform, no device)."""

    code = "unavailable"


class DeviceFailed(ScanError):
    """Any other error the driver reported."""

    code = "device_error"


def _kept(delivered: int) -> str:
    if delivered == 0:
        return msg("Chưa có trang nào được quét.", "No page was scanned.")
    return msg("{n} trang đã quét được giữ lại.", "The {n} page(s) already scanned are kept.", n=delivered)


def device_lost(device: str, delivered: int, detail: str = "") -> DeviceLost:
    return DeviceLost(msg("Mất kết nối với máy quét {d} giữa chừng{x}. {k}", "Lost the connection to scanner {d} mid-feed{x}. {k}",
                          d=device, x=f" ({detail})" if detail else "", k=_kept(delivered)),
                      hint=msg("Kiểm tra cáp và nguồn điện của máy quét rồi quét tiếp các tờ còn lại.",
                               "Check the scanner's cable and power, then scan the remaining sheets."), delivered=delivered)


def paper_jam(device: str, delivered: int) -> PaperJam:
    return PaperJam(msg("Kẹt giấy trong khay nạp của máy quét {d}. {k}", "Paper jam in the feeder of scanner {d}. {k}",
                        d=device, k=_kept(delivered)),
                    hint=msg("Mở máy, gỡ tờ bị kẹt, rồi quét tiếp từ tờ đó.",
                             "Open the scanner, remove the jammed sheet, then scan again from that sheet."),
                    delivered=delivered)


def feeder_empty(device: str) -> FeederEmpty:
    return FeederEmpty(msg("Khay nạp giấy của máy quét {d} đang trống.", "The document feeder of scanner {d} is empty.", d=device),
                       hint=msg("Đặt giấy vào khay nạp (mặt cần quét theo hướng dẫn trên máy) rồi quét lại.",
                                "Put the sheets in the feeder (face as marked on the scanner) and scan again."))


def cover_open(device: str, delivered: int) -> CoverOpen:
    return CoverOpen(msg("Nắp máy quét {d} đang mở. {k}", "The cover of scanner {d} is open. {k}", d=device, k=_kept(delivered)),
                     hint=msg("Đóng nắp máy quét rồi quét lại.", "Close the scanner cover and scan again."), delivered=delivered)


def device_busy(device: str, delivered: int = 0) -> DeviceBusy:
    return DeviceBusy(msg("Máy quét {d} đang bận (một chương trình khác đang dùng).",
                          "Scanner {d} is busy (another program is using it).", d=device),
                      hint=msg("Đóng chương trình quét khác hoặc chờ nó quét xong, rồi thử lại.",
                               "Close the other scanning program or wait for it to finish, then try again."),
                      delivered=delivered)


def device_failed(device: str, delivered: int, detail: str) -> DeviceFailed:
    return DeviceFailed(msg("Máy quét {d} báo lỗi: {e}. {k}", "Scanner {d} reported an error: {e}. {k}",
                            d=device, e=detail, k=_kept(delivered)),
                        hint=msg("Tắt rồi bật lại máy quét; nếu vẫn lỗi, xem nhật ký.",
                                 "Switch the scanner off and on again; if it persists, see the log."), delivered=delivered)


# --- the interface ------------------------------------------------------------------------


def convert_mode(image: np.ndarray, mode: str) -> np.ndarray:
    """Bring a grey or BGR image to the colour mode asked for (for sources that cannot)."""
    if mode == "color":
        return image
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if mode == "grey":
        return grey
    _, bw = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return bw


class ScanSource(abc.ABC):
    """One place pages come from. Subclasses implement :meth:`_pages` and :attr:`capabilities`."""

    #: "sane", "twain", "camera", "files"
    kind: str = ""

    def __init__(self, source_id: str, name: str) -> None:
        self.id = source_id
        self.name = name

    @property
    @abc.abstractmethod
    def capabilities(self) -> Capabilities: ...

    @abc.abstractmethod
    def _pages(self, settings: ScanSettings, cancel: CancelToken) -> Generator[Page, None, None]:
        """Produce pages as the device delivers them; clean up the device in ``finally``.

        The caller may stop iterating early (page limit, a failing ``on_page``): the generator
        is then closed and its ``finally`` must stop the feed.
        """

    def check(self, settings: ScanSettings) -> ScanSettings:
        """Validate ``settings`` for this device; subclasses refine (e.g. duplex offered?)."""
        return settings.validated()

    def scan(self, settings: ScanSettings | None = None, cancel: CancelToken | None = None,
             on_page: OnPage | None = None) -> list[Page]:
        """Scan with ``settings``, calling ``on_page`` as each page arrives; return all pages."""
        settings = self.check(settings or ScanSettings())
        cancel = cancel or CancelToken()
        pages: list[Page] = []
        gen = self._pages(settings, cancel)
        try:
            for page in gen:
                pages.append(page)
                if on_page is not None:
                    on_page(page)
                if settings.max_pages is not None and len(pages) >= settings.max_pages:
                    break
                cancel.raise_if_cancelled()
        except ScanError as exc:
            exc.pages = tuple(pages)
            raise
        except Cancelled as exc:
            exc.pages = tuple(pages)  # type: ignore[attr-defined]
            raise
        finally:
            gen.close()
        return pages

    def describe(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "kind": self.kind}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id!r}>"
