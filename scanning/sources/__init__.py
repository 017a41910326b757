"""Where pages come from: the registry of scanners, cameras and file import on this machine.

``list_sources()`` tells what can be used here and now (SANE devices on Linux, TWAIN
sources on Windows, cameras, file import); ``unavailable()`` tells which kinds cannot and
why, for the settings screen; ``open_source(id)`` gives a :class:`ScanSource` for an id from
the list (``sane:test:0``, ``twain:Canon DR-C225``, ``camera:0``, ``files``). A bare SANE
device name (``test:0``, ``fujitsu:fi-7160:1234``) is accepted too, as ``scanimage -d`` does.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.kernel.errors import NotFound
from desktop.kernel.i18n import msg
from scanning.sources.base import (
    MODES,
    PAGE_SIZES_MM,
    SOURCES,
    Capabilities,
    CoverOpen,
    DeviceBusy,
    DeviceFailed,
    DeviceLost,
    FeederEmpty,
    PaperJam,
    ScanError,
    ScanSettings,
    ScanSource,
    SourceUnavailable,
)

log = logging.getLogger(__name__)

__all__ = [
    "MODES", "PAGE_SIZES_MM", "SOURCES", "Capabilities", "CoverOpen", "DeviceBusy", "DeviceFailed", "DeviceLost",
    "FeederEmpty", "PaperJam", "ScanError", "ScanSettings", "ScanSource", "SourceUnavailable", "SourceInfo",
    "Discovery", "discover", "list_sources", "open_source", "unavailable",
]

KINDS = ("sane", "twain", "camera", "files")


@dataclass(frozen=True)
class SourceInfo:
    id: str
    name: str
    kind: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "kind": self.kind}


def _sane_sources(fresh: bool = False) -> list[ScanSource]:
    from scanning.sources.sane_source import SaneSource

    return list(SaneSource.list_devices(fresh=fresh))


def _twain_sources() -> list[ScanSource]:
    from scanning.sources.twain_source import list_twain_sources

    return list(list_twain_sources())


def _camera_sources() -> list[ScanSource]:
    from scanning.sources.camera_source import CameraSource, camera_indexes

    return [CameraSource(i) for i in camera_indexes()]


def _kind_available(kind: str) -> str | None:
    """Why a kind of source cannot work on this platform at all, or ``None``."""
    if kind == "twain":
        from scanning.sources.twain_source import unavailable_reason

        return unavailable_reason()
    if kind == "sane" and sys.platform == "win32":
        return msg("SANE không có trên Windows; dùng trình điều khiển TWAIN của máy quét.",
                   "SANE does not exist on Windows; use the scanner's TWAIN driver.")
    return None


def unavailable() -> dict[str, str]:
    """Kinds of source that cannot be used on this machine, with the reason."""
    reasons = {}
    for kind in ("sane", "twain"):
        reason = _kind_available(kind)
        if reason is None:
            try:
                (_sane_sources if kind == "sane" else _twain_sources)()
            except SourceUnavailable as exc:
                reason = exc.message
        if reason is not None:
            reasons[kind] = reason
    return reasons


@dataclass(frozen=True)
class Discovery:
    """The sources found, and for each kind that failed to enumerate, why (its message and hint)."""

    sources: list[ScanSource]
    problems: dict[str, str]


def discover(include_files: bool = True, *, fresh: bool = False) -> Discovery:
    """Every source usable now, and why a kind that should work could not be listed (e.g. the
    SANE probe crashed in a backend): the others are still listed. ``fresh`` skips the
    SANE probe's cache (a Refresh button)."""
    found: list[ScanSource] = []
    problems: dict[str, str] = {}
    listers: tuple[tuple[str, Callable[[], list[ScanSource]]], ...] = (
        ("sane", lambda: _sane_sources(fresh)), ("twain", _twain_sources), ("camera", _camera_sources))
    for kind, lister in listers:
        if _kind_available(kind) is not None:
            continue
        try:
            found.extend(lister())
        except SourceUnavailable as exc:
            log.info("no %s sources: %s", kind, exc.message)
            problems[kind] = str(exc)
    if include_files:
        from scanning.sources.files_source import FilesSource

        found.append(FilesSource())
    return Discovery(found, problems)


def list_sources(include_files: bool = True) -> list[ScanSource]:
    """Every source usable now. A kind that fails to enumerate is logged and skipped."""
    return discover(include_files).sources


def open_source(source_id: str, **kwargs: Any) -> ScanSource:
    """The source for ``source_id``; ``kwargs`` go to its constructor (``paths`` for files,
    ``parent_window`` for TWAIN, ``opener`` for a camera)."""
    kind, _, rest = source_id.partition(":")
    if kind == "files" or source_id == "files":
        from scanning.sources.files_source import FilesSource

        return FilesSource(kwargs.get("paths", ()))
    if kind == "twain":
        from scanning.sources.twain_source import TwainSource

        return TwainSource(rest, kwargs.get("parent_window"))
    if kind == "camera":
        from scanning.sources.camera_source import CameraSource

        try:
            index = int(rest or 0)
        except ValueError:
            raise NotFound(msg("Không có camera {c}.", "No camera {c}.", c=source_id)) from None
        return CameraSource(index, **kwargs)
    device = rest if kind == "sane" else source_id
    if not device:
        raise NotFound(msg("Chưa nêu tên máy quét.", "No scanner name was given."))
    reason = _kind_available("sane")
    if reason is not None:
        raise SourceUnavailable(reason)
    from scanning.sources.sane_source import SaneSource

    try:
        # vendor and model for the display name; opening every device is not needed for that
        listed = SaneSource.list_devices(with_options=False)
    except SourceUnavailable as exc:  # a probe that crashed in another backend: try the device itself
        log.info("SANE devices not listed: %s", exc.message)
        listed = []
    for src in listed:
        if src.device == device:
            return src
    # Not listed is not proof of absence (network scanners, devices hidden from discovery):
    # the open at scan time says whether it exists.
    return SaneSource(device)
