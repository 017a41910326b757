"""Scanners on Windows through TWAIN, with the ``twain`` package (pytwain 2.x).

THIS MODULE CANNOT RUN OR BE TESTED ON THE BUILD MACHINE: TWAIN needs Windows, a TWAIN Data
Source Manager (``twaindsm.dll``/``twain_32.dll``) and a vendor's Data Source, none of which
exist on Linux. It is written against pytwain's documented API (``SourceManager``,
``source_list``, ``open_source``, ``set_capability``, ``set_image_layout``,
``acquire_natively``, the ``twain.exceptions`` classes) and guarded so that on any other
platform it reports itself unavailable with a clear message; the tests check only that.
WIA-only devices are not covered: most counter scanners ship a TWAIN driver, and WIA would
need pywin32's COM bindings; use the scanner's TWAIN driver.

Notes for whoever validates it on Windows:
* TWAIN delivers images through the Windows message loop of the thread that opened the
  source manager; run the scan on one dedicated thread (the UI's ``scanner`` pool) and pass
  the main window's handle as ``parent_window`` (some drivers refuse a zero handle).
* Pages are handed to ``on_page`` from inside the transfer callback as each one arrives.
* Pages come as DIBs saved to a temporary BMP, read back with Pillow, and deleted.
* Cancelling raises ``twain.exceptions.CancelAll`` from the per-page callback, which ends
  the pending transfers (MSG_RESET) as the TWAIN specification requires.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Generator
from typing import Any

from desktop.kernel.i18n import msg
from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.images import Page, open_guarded, page_from_pil
from scanning.paper import MM_PER_INCH
from scanning.sources.base import (
    PAGE_SIZES_MM,
    STANDARD_RESOLUTIONS,
    Capabilities,
    OnPage,
    ScanError,
    ScanSettings,
    ScanSource,
    SourceUnavailable,
    device_busy,
    device_failed,
    device_lost,
    feeder_empty,
    paper_jam,
)

log = logging.getLogger(__name__)

def unavailable_reason() -> str | None:
    """Why TWAIN cannot be used here, or ``None`` if it can."""
    if sys.platform != "win32":
        return msg("TWAIN chỉ dùng được trên Windows; trên Linux hãy dùng máy quét qua SANE.",
                   "TWAIN works only on Windows; on Linux use the scanner through SANE.")
    try:
        import twain  # noqa: F401
    except ImportError:
        return msg("Chưa cài gói twain (pip install twain).", "The twain package is not installed (pip install twain).")
    return None


def _twain() -> Any:
    reason = unavailable_reason()
    if reason is not None:
        raise SourceUnavailable(reason)
    import twain

    return twain


def list_source_names(parent_window: Any = None) -> list[str]:
    twain = _twain()
    try:
        with twain.SourceManager(parent_window) as sm:
            return list(sm.source_list)
    except twain.exceptions.SMLoadFileFailed as exc:
        raise SourceUnavailable(msg("Không tìm thấy TWAIN Data Source Manager (twaindsm.dll): {e}.",
                                    "The TWAIN Data Source Manager (twaindsm.dll) was not found: {e}.", e=exc)) from exc


class TwainSource(ScanSource):
    kind = "twain"

    def __init__(self, product_name: str, parent_window: Any = None) -> None:
        super().__init__(f"twain:{product_name}", product_name)
        self.product_name = product_name
        self.parent_window = parent_window
        _twain()  # refuse early, with the reason, on a platform without TWAIN

    @property
    def capabilities(self) -> Capabilities:
        twain = _twain()
        with twain.SourceManager(self.parent_window) as sm, self._open(sm, twain) as src:
            feeds = ["flatbed"]
            duplex = False
            try:
                if self._supported(src, twain.CAP_FEEDERENABLED):
                    feeds.append("adf")
                duplex = bool(self._current(src, twain.CAP_DUPLEX))
            except twain.exceptions.TwainError:
                log.debug("TWAIN source %s does not report feeder/duplex", self.product_name, exc_info=True)
            resolutions = self._resolutions(src, twain)
            return Capabilities(tuple(feeds), duplex, resolutions, ("color", "grey", "lineart"), tuple(PAGE_SIZES_MM))

    @staticmethod
    def _supported(src: Any, cap: int) -> bool:
        try:
            src.get_capability(cap)
            return True
        except Exception:
            return False

    @staticmethod
    def _current(src: Any, cap: int) -> Any:
        _, value = src.get_capability_current(cap)
        return value

    @staticmethod
    def _resolutions(src: Any, twain: Any) -> tuple[int, ...]:
        try:
            value = src.get_capability(twain.ICAP_XRESOLUTION)
        except Exception:
            return STANDARD_RESOLUTIONS
        if isinstance(value, dict):  # a RANGE container
            lo, hi = float(value["MinValue"]), float(value["MaxValue"])
            return tuple(r for r in STANDARD_RESOLUTIONS if lo <= r <= hi)
        _, payload = value
        if isinstance(payload, tuple) and len(payload) == 3:  # an ENUMERATION: (current, default, values)
            return tuple(sorted({int(round(float(v))) for v in payload[2]}))
        return STANDARD_RESOLUTIONS

    def _open(self, sm: Any, twain: Any) -> Any:
        try:
            src = sm.open_source(self.product_name)
        except twain.exceptions.MaxConnectionsError as exc:
            raise device_busy(self.product_name) from exc
        except twain.exceptions.TwainError as exc:
            raise device_failed(self.product_name, 0, f"{type(exc).__name__} {exc}") from exc
        if src is None:
            raise device_failed(self.product_name, 0, msg("không mở được nguồn TWAIN", "the TWAIN source did not open"))
        return src

    def _configure(self, src: Any, twain: Any, settings: ScanSettings) -> None:
        pixel = {"color": twain.TWPT_RGB, "grey": twain.TWPT_GRAY, "lineart": twain.TWPT_BW}[settings.mode]
        src.set_capability(twain.ICAP_PIXELTYPE, twain.TWTY_UINT16, pixel)
        src.set_capability(twain.ICAP_UNITS, twain.TWTY_UINT16, twain.TWUN_INCHES)
        for cap in (twain.ICAP_XRESOLUTION, twain.ICAP_YRESOLUTION):
            # CheckStatus: the source rounded to its nearest resolution; image_info tells the real one
            with contextlib.suppress(twain.CheckStatus):
                src.set_capability(cap, twain.TWTY_FIX32, float(settings.resolution))
        use_feeder = settings.source == "adf" or settings.duplex
        if settings.source in ("adf", "flatbed") or settings.duplex:
            src.set_capability(twain.CAP_FEEDERENABLED, twain.TWTY_BOOL, use_feeder)
        if use_feeder:
            src.set_capability(twain.CAP_AUTOFEED, twain.TWTY_BOOL, True)
            try:
                if not self._current(src, twain.CAP_FEEDERLOADED):
                    raise feeder_empty(self.product_name)
            except twain.exceptions.TwainError:
                pass  # not every source reports paper presence; the transfer will tell
        if settings.duplex:
            src.set_capability(twain.CAP_DUPLEXENABLED, twain.TWTY_BOOL, True)
        src.set_capability(twain.CAP_XFERCOUNT, twain.TWTY_INT16, settings.max_pages or -1)
        if settings.page_size is not None:
            w, h = PAGE_SIZES_MM[settings.page_size]
            with contextlib.suppress(twain.CheckStatus):  # clipped to the device's area
                src.set_image_layout((0.0, 0.0, w / MM_PER_INCH, h / MM_PER_INCH))

    def scan(self, settings: ScanSettings | None = None, cancel: CancelToken | None = None,
             on_page: OnPage | None = None) -> list[Page]:
        # TWAIN pushes pages from inside its message loop, so they are handed on from the
        # per-page callback (live thumbnails) rather than through the generator of the base.
        settings = self.check(settings or ScanSettings())
        cancel = cancel or CancelToken()
        twain = _twain()
        pages: list[Page] = []
        dpi = [float(settings.resolution)]

        def before(info: dict[str, Any]) -> None:
            if cancel.cancelled:
                raise twain.exceptions.CancelAll()
            dpi[0] = float(info.get("XResolution") or settings.resolution)

        def after(image: Any, more: int) -> None:
            fd, path = tempfile.mkstemp(suffix=".bmp", prefix="motcua-twain-")
            os.close(fd)
            try:
                image.save(path)
                with open_guarded(path) as img:  # the same pixel limit as every other decode
                    img.load()
                    page = page_from_pil(img, dpi[0], f"{self.product_name}#{len(pages) + 1}")
            finally:
                image.close()
                os.unlink(path)
            pages.append(page)
            if on_page is not None:
                on_page(page)
            if cancel.cancelled or (settings.max_pages and len(pages) >= settings.max_pages):
                raise twain.exceptions.CancelAll()

        error: ScanError | None = None
        with twain.SourceManager(self.parent_window) as sm, self._open(sm, twain) as src:
            self._configure(src, twain, settings)
            try:
                src.acquire_natively(after=after, before=before, show_ui=False, modal=False)
            except twain.exceptions.DSTransferCancelled:
                pass  # the user pressed Cancel in the driver's own progress window
            except (twain.exceptions.PaperJam, twain.exceptions.PaperDoubleFeedError):
                error = paper_jam(self.product_name, len(pages))
            except twain.exceptions.CheckDeviceOnlineError as exc:
                error = device_lost(self.product_name, len(pages), type(exc).__name__)
            except twain.exceptions.MaxConnectionsError:
                error = device_busy(self.product_name, len(pages))
            except twain.exceptions.TwainError as exc:
                error = device_failed(self.product_name, len(pages), f"{type(exc).__name__} {exc}")
        if error is not None:
            error.pages = tuple(pages)
            raise error
        if cancel.cancelled:
            cancelled = Cancelled()
            cancelled.pages = tuple(pages)  # type: ignore[attr-defined]
            raise cancelled
        return pages

    def _pages(self, settings: ScanSettings, cancel: CancelToken) -> Generator[Page, None, None]:
        yield from self.scan(settings, cancel)


def list_twain_sources(parent_window: Any = None) -> list[TwainSource]:
    return [TwainSource(name, parent_window) for name in list_source_names(parent_window)]


__all__ = ["TwainSource", "list_twain_sources", "unavailable_reason", "SourceUnavailable"]
