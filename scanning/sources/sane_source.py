"""Scanners on Linux (and macOS) through SANE, with python-sane.

Each operation runs inside its own ``sane_init``/``sane_exit`` under one process-wide lock:
SANE is not thread-safe, and a hot-plugged scanner is only seen by a fresh session. An
automatic document feeder is read page by page (``sane_start`` + read to end-of-frame, no
cancel in between) until the backend says "no more documents"; the device is cancelled and
closed whatever happens. Backends name their feeds and modes freely ("ADF Duplex",
"Automatic Document Feeder(left aligned,Duplex)", "Grayscale", "True Gray"…), so the names are
matched by keyword here rather than by the SANE standard values alone.

Listing devices is not done in this process: :func:`probe_devices` asks a child process
(scanning.sources.sane_probe), because ``sane_get_devices`` loads every backend of
``dll.conf`` and some abort the process from C. Scanning opens only the named device's
backend and stays here; opening a device of an aborting backend (``pixma``) under the same
condition aborts too (checked), which the probe cannot prevent.

Tested for real against SANE's ``test`` backend (``test:0``), which also simulates an ADF of
ten sheets and every status code the errors below are made from.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from desktop.kernel.errors import InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.images import Page, page_from_pil
from scanning.sources.base import (
    PAGE_SIZES_MM,
    STANDARD_RESOLUTIONS,
    Capabilities,
    ScanError,
    ScanSettings,
    ScanSource,
    SourceUnavailable,
    cover_open,
    device_busy,
    device_failed,
    device_lost,
    feeder_empty,
    paper_jam,
)

if TYPE_CHECKING:
    from scanning.sources.sane_probe import ProbeResult

log = logging.getLogger(__name__)

#: what ``sane_strstatus`` returns for each status python-sane raises (SANE 1.0/1.1 codes);
#: python-sane only passes that text on, so the status is recovered from it.
STATUS_TEXT = {
    "Operation not supported": "UNSUPPORTED",
    "Operation was canceled": "CANCELLED",
    "Operation was cancelled": "CANCELLED",
    "Device busy": "DEVICE_BUSY",
    "Invalid argument": "INVAL",
    "End of file reached": "EOF",
    "Document feeder jammed": "JAMMED",
    "Document feeder out of documents": "NO_DOCS",
    "Scanner cover is open": "COVER_OPEN",
    "Error during device I/O": "IO_ERROR",
    "Out of memory": "NO_MEM",
    "Access to resource has been denied": "ACCESS_DENIED",
    "Lamp not ready, please retry": "WARMING_UP",
    "Scanner mechanism locked for service": "HW_LOCKED",
}
def one_sided_hint() -> str:
    """What to do when a two-sided profile meets a one-sided scanner."""
    return msg("Chọn một cấu hình quét 1 mặt (ví dụ \"A4 xám 300 dpi 1 mặt\") hoặc bỏ chọn \"Hai mặt\" "
               "(dòng lệnh: --no-duplex), rồi quét lại.",
               "Choose a one-sided scan profile (e.g. \"A4 grey 300 dpi single-sided\") or untick \"Both sides\" "
               "(command line: --no-duplex), then scan again.")


AREA_SLACK_MM = 3.0  # an "A4" flatbed often reports 215.9 × 296.9 mm: still offer A4

_lock = threading.RLock()
_depth = 0


def missing_sane(detail: object) -> SourceUnavailable:
    return SourceUnavailable(msg("Chưa cài thư viện SANE (python-sane): {e}.", "The SANE library (python-sane) is missing: {e}.",
                                 e=detail), hint=msg("Cài gói libsane1 và sane-utils.", "Install libsane1 and sane-utils."))


def sane_failed(detail: object) -> SourceUnavailable:
    return SourceUnavailable(msg("Không khởi động được SANE: {e}.", "SANE could not start: {e}.", e=detail))


def _sane() -> Any:
    try:
        import sane
    except ImportError as exc:  # the wheel needs libsane at build and run time
        raise missing_sane(exc) from exc
    return sane


def probe_devices(*, fresh: bool = False, with_options: bool = True) -> ProbeResult:
    """The devices SANE sees, found by a child process (see scanning.sources.sane_probe: some
    backends abort the process that lists devices). Under the session lock, as every SANE call
    here: the child opening a device this process is scanning with would find it busy."""
    from scanning.sources.sane_probe import probe

    with _lock:
        return probe(fresh=fresh, with_options=with_options)


@contextmanager
def sane_session() -> Iterator[Any]:
    """``sane_init`` … ``sane_exit`` around a block, re-entrant, one thread at a time."""
    global _depth
    with _lock:
        sane = _sane()
        if _depth == 0:
            try:
                sane.init()
            except Exception as exc:
                raise sane_failed(exc) from exc
        _depth += 1
        try:
            yield sane
        finally:
            _depth -= 1
            if _depth == 0:
                sane.exit()


def status_of(exc: BaseException) -> str:
    """The SANE status name (``JAMMED``, ``NO_DOCS``…) behind a python-sane error, or ``""``."""
    return STATUS_TEXT.get(str(exc).strip(), "")


# --- choosing option values from what a backend offers -------------------------------------


def feed_of(value: str) -> str:
    """``flatbed`` or ``adf`` for a backend's source name (``""`` if it is neither, e.g. film)."""
    v = value.lower()
    if any(k in v for k in ("adf", "feeder", "automatic document", "duplex")):
        return "adf"
    if any(k in v for k in ("flatbed", "platen", "normal", "glass")):
        return "flatbed"
    return ""


def is_duplex_source(value: str) -> bool:
    return "duplex" in value.lower()


def is_back_only(value: str) -> bool:
    v = value.lower()
    return "back" in v and "duplex" not in v


def choose_source(values: Sequence[str], want: str, duplex: bool) -> str | None:
    """The backend's source value for ``want`` (``flatbed``/``adf``), or ``None`` if not offered."""
    fits = [v for v in values if feed_of(v) == want and not is_back_only(v)]
    if want == "adf":
        fits = [v for v in fits if is_duplex_source(v) == duplex] or ([] if duplex else fits)
    return fits[0] if fits else None


def mode_of(value: str) -> str:
    v = value.lower()
    if any(k in v for k in ("color", "colour", "rgb")):
        return "color"
    if "gray" in v or "grey" in v:
        return "grey"
    if any(k in v for k in ("lineart", "line art", "binary", "black & white", "black and white", "monochrome")):
        return "lineart"
    return ""


def choose_mode(values: Sequence[str], want: str) -> str | None:
    return next((v for v in values if mode_of(v) == want), None)


def resolutions_from(constraint: Any) -> tuple[int, ...]:
    if isinstance(constraint, tuple) and len(constraint) == 3:
        lo, hi = float(constraint[0]), float(constraint[1])
        return tuple(r for r in STANDARD_RESOLUTIONS if lo <= r <= hi)
    if isinstance(constraint, list):
        return tuple(sorted({int(round(float(r))) for r in constraint}))
    return STANDARD_RESOLUTIONS


def nearest_resolution(constraint: Any, want: int) -> float:
    if isinstance(constraint, tuple) and len(constraint) == 3:
        return float(min(max(want, constraint[0]), constraint[1]))
    if isinstance(constraint, list) and constraint:
        return float(min(constraint, key=lambda r: abs(float(r) - want)))
    return float(want)


def _range_max(opt: Any) -> float | None:
    c = getattr(opt, "constraint", None)
    if isinstance(c, tuple) and len(c) == 3:
        return float(c[1])
    if isinstance(c, list) and c:
        return float(max(c))
    return None


def _active(dev: Any, name: str) -> Any | None:
    opt = dev.opt.get(name)
    return opt if opt is not None and opt.is_active() else None


def _settable(dev: Any, name: str) -> Any | None:
    opt = _active(dev, name)
    return opt if opt is not None and opt.is_settable() else None


def capabilities_of(dev: Any) -> Capabilities:
    """Read what an open python-sane device offers."""
    src = _active(dev, "source")
    values = list(src.constraint) if src is not None and isinstance(src.constraint, list) else []
    feeds = tuple(dict.fromkeys(f for f in (feed_of(v) for v in values) if f)) or ("flatbed",)
    duplex = any(is_duplex_source(v) for v in values) or _settable(dev, "duplex") is not None
    adf_mode = _active(dev, "adf_mode")
    if adf_mode is not None and isinstance(adf_mode.constraint, list):
        duplex = duplex or any(is_duplex_source(v) for v in adf_mode.constraint)
    mode = _active(dev, "mode")
    modes = tuple(dict.fromkeys(m for m in (mode_of(v) for v in (mode.constraint if mode is not None and
                                                                  isinstance(mode.constraint, list) else [])) if m))
    res = _active(dev, "resolution")
    resolutions = resolutions_from(res.constraint) if res is not None else ()
    bx, by = _active(dev, "br_x"), _active(dev, "br_y")
    area = (_range_max(bx), _range_max(by)) if bx is not None and by is not None else (None, None)
    max_area = (area[0], area[1]) if area[0] is not None and area[1] is not None else None
    sizes = tuple(n for n, (w, h) in PAGE_SIZES_MM.items()
                  if max_area is None or (w <= max_area[0] + AREA_SLACK_MM and h <= max_area[1] + AREA_SLACK_MM))
    import _sane

    options = tuple(sorted(o.name for o in dev.opt.values()
                           if o.name and o.is_active() and o.is_settable() and o.type != _sane.TYPE_BUTTON))
    return Capabilities(feeds, duplex, resolutions, modes or ("grey",), sizes, max_area, options)


def _coerce(opt: Any, raw: str) -> Any:
    """A command-line string as the value type a SANE option wants."""
    import _sane

    text = str(raw).strip()
    if opt.type == _sane.TYPE_BOOL:
        if text.lower() in ("1", "yes", "true", "on", "có"):
            return 1
        if text.lower() in ("0", "no", "false", "off", "không"):
            return 0
        raise ValueError(text)
    if opt.type == _sane.TYPE_INT:
        return int(float(text))
    if opt.type == _sane.TYPE_FIXED:
        return float(text)
    return text


class SaneSource(ScanSource):
    """One SANE device, e.g. ``sane:fujitsu:fi-7160:12345`` or ``sane:test:0``."""

    kind = "sane"

    def __init__(self, device: str, vendor: str = "", model: str = "", dev_type: str = "") -> None:
        label = " ".join(p for p in (vendor, model) if p and p.lower() != "noname") or device
        super().__init__(f"sane:{device}", f"{label} ({device})" if label != device else device)
        self.device = device
        self.vendor, self.model, self.dev_type = vendor, model, dev_type
        self._caps: Capabilities | None = None

    # -- discovery ---------------------------------------------------------------------------

    @classmethod
    def list_devices(cls, *, fresh: bool = False, with_options: bool = True) -> list[SaneSource]:
        """The devices SANE sees (with their capabilities unless ``with_options`` is false),
        found by a probe in a child process (see :func:`probe_devices`)."""
        found = []
        for d in probe_devices(fresh=fresh, with_options=with_options).devices:
            src = cls(d.name, d.vendor, d.model, d.type)
            src._caps = d.capabilities  # None (device busy in the probe): read at first use
            found.append(src)
        return found

    def _open(self, sane: Any) -> Any:
        try:
            return sane.open(self.device)
        except Exception as exc:
            status = status_of(exc)
            if status == "DEVICE_BUSY":
                raise device_busy(self.device) from exc
            if status == "ACCESS_DENIED":
                raise device_failed(self.device, 0, msg("không có quyền dùng thiết bị (thêm người dùng vào nhóm scanner)",
                                                        "no permission to use the device (add the user to the scanner group)")) from exc
            raise NotFound(msg("Không tìm thấy máy quét {d} ({e}).", "Scanner {d} not found ({e}).", d=self.device, e=exc),
                           hint=msg("Kiểm tra máy quét đã cắm và bật; `motcua scan --list` liệt kê các máy thấy được.",
                                    "Check the scanner is plugged in and on; `motcua scan --list` lists the devices seen.")) \
                from exc

    @property
    def capabilities(self) -> Capabilities:
        if self._caps is None:
            with sane_session() as sane:
                dev = self._open(sane)
                try:
                    self._caps = capabilities_of(dev)
                finally:
                    dev.close()
        return self._caps

    def check(self, settings: ScanSettings) -> ScanSettings:
        settings = settings.validated()
        caps = self.capabilities
        if settings.source in ("flatbed", "adf") and settings.source not in caps.sources:
            raise InvalidInput(msg("Máy quét {d} không có {s} (có: {k}).", "Scanner {d} has no {s} (it has: {k}).",
                                   d=self.device, s=settings.source, k=", ".join(caps.sources)))
        if settings.duplex and not caps.duplex:
            raise InvalidInput(msg("Máy quét {d} không quét được hai mặt.", "Scanner {d} cannot scan both sides (no duplex).",
                                   d=self.device), hint=one_sided_hint())
        if settings.mode not in caps.modes:
            raise InvalidInput(msg("Máy quét {d} không có chế độ {m} (có: {k}).", "Scanner {d} has no {m} mode (it has: {k}).",
                                   d=self.device, m=settings.mode, k=", ".join(caps.modes)))
        return settings

    # -- scanning ----------------------------------------------------------------------------

    def _set(self, dev: Any, name: str, value: Any) -> None:
        try:
            setattr(dev, name, value)
        except Exception as exc:
            raise InvalidInput(msg("Máy quét {d} không nhận giá trị {v} cho {n}: {e}.", "Scanner {d} refused {v} for {n}: {e}.",
                                   d=self.device, v=value, n=name, e=exc)) from exc

    def _configure(self, dev: Any, settings: ScanSettings) -> bool:
        """Apply ``settings``; return True when the pages come from the feeder."""
        adf = False
        src = _settable(dev, "source")
        if src is not None and isinstance(src.constraint, list):
            want = settings.source
            if want == "auto":
                want = "adf" if settings.duplex else (feed_of(dev.source) or "flatbed")
            value = choose_source(src.constraint, want, settings.duplex)
            if value is None:
                if settings.duplex and choose_source(src.constraint, want, False) is not None \
                        and _settable(dev, "duplex") is None and _settable(dev, "adf_mode") is None:
                    raise InvalidInput(msg("Máy quét {d} không quét được hai mặt.", "Scanner {d} cannot scan both sides.",
                                           d=self.device), hint=one_sided_hint())
                value = choose_source(src.constraint, want, False)
            if value is None:
                raise InvalidInput(msg("Máy quét {d} không có {s}.", "Scanner {d} has no {s}.", d=self.device, s=want))
            self._set(dev, "source", value)
            adf = feed_of(value) == "adf"
        elif settings.source == "adf":
            raise InvalidInput(msg("Máy quét {d} không có khay nạp giấy.", "Scanner {d} has no document feeder.", d=self.device))
        if adf and settings.duplex and not is_duplex_source(dev.source):
            if _settable(dev, "duplex") is not None:
                self._set(dev, "duplex", 1)
            elif (am := _settable(dev, "adf_mode")) is not None:
                self._set(dev, "adf_mode", next(v for v in am.constraint if is_duplex_source(v)))
        mode = _settable(dev, "mode")
        if mode is not None and isinstance(mode.constraint, list):
            value = choose_mode(mode.constraint, settings.mode)
            if value is None:
                raise InvalidInput(msg("Máy quét {d} không có chế độ {m}.", "Scanner {d} has no {m} mode.", d=self.device,
                                       m=settings.mode))
            self._set(dev, "mode", value)
        depth = _settable(dev, "depth")
        if depth is not None and settings.mode != "lineart" and isinstance(depth.constraint, list) and 8 in depth.constraint:
            self._set(dev, "depth", 8)  # 16-bit samples would double the data for nothing a page needs
        res = _settable(dev, "resolution")
        if res is not None:
            self._set(dev, "resolution", nearest_resolution(res.constraint, settings.resolution))
        self._set_area(dev, settings)
        for name, raw in settings.options.items():
            opt = _settable(dev, name.replace("-", "_"))
            if opt is None:
                raise InvalidInput(msg("Máy quét {d} không có tùy chọn {n}.", "Scanner {d} has no option {n}.", d=self.device,
                                       n=name))
            try:
                value = _coerce(opt, raw)
            except ValueError:
                raise InvalidInput(msg("Giá trị {v} không hợp lệ cho tùy chọn {n}.", "Invalid value {v} for option {n}.",
                                       v=raw, n=name)) from None
            self._set(dev, opt.py_name, value)
        return adf

    def _set_area(self, dev: Any, settings: ScanSettings) -> None:
        if settings.page_size is None:
            w, h = float("inf"), float("inf")
        else:
            w, h = PAGE_SIZES_MM[settings.page_size]
        for name in ("tl_x", "tl_y"):
            if _settable(dev, name) is not None:
                self._set(dev, name, 0.0)
        # sheet-fed backends (fujitsu, canon_dr…) also want the paper size to centre the sheet
        for name, value in (("page_width", w), ("page_height", h), ("br_x", w), ("br_y", h)):
            opt = _settable(dev, name)
            if opt is None:
                continue
            top = _range_max(opt)
            clipped = value if top is None else min(value, top)
            if clipped != value and settings.page_size is not None:
                log.info("%s: %s %.1f mm clipped to the device's %.1f mm", self.device, name, value, clipped)
            if clipped != float("inf"):
                self._set(dev, name, float(clipped))

    def _pages(self, settings: ScanSettings, cancel: CancelToken) -> Generator[Page, None, None]:
        with sane_session() as sane:
            dev = self._open(sane)
            try:
                yield from self._feed(dev, settings, cancel)
            finally:
                try:
                    dev.cancel()  # stops the feeder when the caller had enough pages
                except Exception:
                    log.debug("sane_cancel after the scan failed", exc_info=True)
                dev.close()

    def _feed(self, dev: Any, settings: ScanSettings, cancel: CancelToken) -> Generator[Page, None, None]:
        adf = self._configure(dev, settings)
        dpi = float(dev.resolution) if _active(dev, "resolution") is not None else float(settings.resolution)
        aborted = False

        def progress(*_: int) -> None:
            # Called by python-sane for every line read. It must never raise (an exception here
            # crashes the interpreter inside _sane.snap); a cancel is passed to the backend,
            # whose next read then ends with SANE_STATUS_CANCELLED.
            nonlocal aborted
            try:
                if not aborted and cancel.cancelled:
                    aborted = True
                    dev.cancel()
            except BaseException:  # see above: nothing may escape
                pass

        delivered = 0
        while True:
            cancel.raise_if_cancelled()
            try:
                dev.start()
                image = dev.snap(no_cancel=adf, progress=progress)
            except ScanError:
                raise
            except Exception as exc:
                status = status_of(exc)
                if status == "NO_DOCS":
                    if delivered == 0:
                        raise feeder_empty(self.device) from exc
                    return
                if cancel.cancelled:
                    # after a stop request any error is the stop: besides CANCELLED, a read that
                    # Ctrl+C interrupted (EINTR) ends as "no data" in the test backend and others
                    raise Cancelled() from exc
                raise self._error(status, exc, delivered) from exc
            delivered += 1
            yield page_from_pil(image, dpi, f"{self.device}#{delivered}")
            if not adf:
                return

    def _error(self, status: str, exc: BaseException, delivered: int) -> ScanError:
        if status == "JAMMED":
            return paper_jam(self.device, delivered)
        if status == "COVER_OPEN":
            return cover_open(self.device, delivered)
        if status == "DEVICE_BUSY":
            return device_busy(self.device, delivered)
        if status in ("IO_ERROR", "INVAL", "EOF", "CANCELLED"):
            # an unplugged USB scanner shows up as an I/O error (or, with some backends, as an
            # invalid handle or a cancel nobody asked for)
            return device_lost(self.device, delivered, str(exc))
        return device_failed(self.device, delivered, str(exc))
