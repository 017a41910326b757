"""A document camera or webcam as a page source, through OpenCV's ``VideoCapture``.

A camera has no resolution in dots per inch and no feeder: each page is one still, chosen
as the sharpest of a few frames (a hand or the counter shakes), after a warm-up that lets
auto-exposure settle. Its dpi is estimated from the paper size the officer chose, assuming
the sheet fills the frame; perspective and illumination correction are clean-up steps
(switched on in the camera profile), not done here. With ``max_pages`` > 1 the source
takes one page every ``interval_s`` seconds, so the officer turns pages under the camera.

Not tested with a real camera on the build machine (it has none): the tests drive the
frame → page logic with a synthetic frame reader that stands in for ``cv2.VideoCapture``.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Callable, Generator
from typing import Protocol

import cv2
import numpy as np

from desktop.kernel.i18n import msg
from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.images import Page
from scanning.paper import dpi_filling
from scanning.sources.base import (
    PAGE_SIZES_MM,
    Capabilities,
    ScanSettings,
    ScanSource,
    SourceUnavailable,
    convert_mode,
    device_lost,
)

#: ask for the largest frame the camera has; drivers fall back to the nearest they support
WANT_FRAME = (3840, 2160)


class FrameReader(Protocol):
    """The part of ``cv2.VideoCapture`` this source uses."""

    def isOpened(self) -> bool: ...  # noqa: N802 - OpenCV's name

    def read(self) -> tuple[bool, np.ndarray | None]: ...

    def set(self, prop: int, value: float) -> bool: ...

    def release(self) -> None: ...


def sharpness(image: np.ndarray) -> float:
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def estimate_dpi(frame: np.ndarray, page_size: str | None) -> float:
    """Dots per inch if the sheet fills the frame (long side to long side)."""
    return round(dpi_filling(frame, page_size or "A4") or 0.0, 1)


def frame_to_page(frame: np.ndarray, settings: ScanSettings, source: str) -> Page:
    """One camera frame (BGR) as a page in the colour mode asked for."""
    if frame is None or frame.size == 0:
        raise ValueError("empty frame")
    if frame.ndim == 3 and frame.shape[2] == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    image = convert_mode(np.ascontiguousarray(frame), settings.mode)
    return Page(image, estimate_dpi(frame, settings.page_size), source)


def camera_indexes() -> list[int]:
    """Cameras worth offering. On Linux the video nodes tell without opening a device."""
    if sys.platform.startswith("linux"):
        found = []
        for node in sorted(glob.glob("/dev/video[0-9]*")):
            try:
                found.append(int(node.removeprefix("/dev/video")))
            except ValueError:
                continue
        return found
    indexes = []
    for i in range(2):  # opening is the only way to know elsewhere; keep it short
        cap = cv2.VideoCapture(i)
        try:
            if cap.isOpened():
                indexes.append(i)
        finally:
            cap.release()
    return indexes


class CameraSource(ScanSource):
    kind = "camera"

    def __init__(self, index: int = 0, opener: Callable[[], FrameReader] | None = None, *, warmup_frames: int = 8,
                 candidates: int = 4, interval_s: float = 2.0) -> None:
        super().__init__(f"camera:{index}", msg("Camera {i}", "Camera {i}", i=index))
        self.index = index
        self._opener = opener or (lambda: cv2.VideoCapture(index))
        self.warmup_frames, self.candidates, self.interval_s = warmup_frames, candidates, interval_s

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(("camera",), False, (), ("color", "grey", "lineart"), tuple(PAGE_SIZES_MM))

    def _read(self, cap: FrameReader, delivered: int) -> np.ndarray:
        ok, frame = cap.read()
        if not ok or frame is None:
            raise device_lost(self.name, delivered, msg("camera ngừng gửi hình", "the camera stopped sending frames"))
        return frame

    def _pages(self, settings: ScanSettings, cancel: CancelToken) -> Generator[Page, None, None]:
        cap = self._opener()
        try:
            if not cap.isOpened():
                raise SourceUnavailable(msg("Không mở được camera {i} (đã rút ra hoặc chương trình khác đang dùng).",
                                            "Cannot open camera {i} (unplugged or used by another program).", i=self.index))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, WANT_FRAME[0])
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, WANT_FRAME[1])
            for _ in range(self.warmup_frames):
                self._read(cap, 0)
            delivered = 0
            limit = settings.max_pages or 1
            while delivered < limit:
                cancel.raise_if_cancelled()
                frames = [self._read(cap, delivered) for _ in range(max(1, self.candidates))]
                best = max(frames, key=sharpness)
                delivered += 1
                yield frame_to_page(best, settings, f"camera{self.index}#{delivered}")
                if delivered < limit and cancel.wait(self.interval_s):
                    raise Cancelled()
        finally:
            cap.release()
