"""The CCCD read from a live camera: frames in, the card out as soon as its QR is in view.

At reception the citizen holds the card under the document camera (or a webcam); the
officer sees the live picture and the fields fill in the moment the QR decodes, with no
button to press and no photo to take. This is the frame loop behind that, Qt-free: it reads
frames from anything shaped like ``cv2.VideoCapture`` (:class:`~scanning.sources.camera_source.FrameReader`),
hands a small copy of some of them to the screen for its preview, and looks for the QR in
each one it has time for.

Decoding is one zxing pass on a greyscale frame reduced to at most :data:`DECODE_SIDE`
pixels (a card's QR held at reading distance stays well above zxing's minimum module size
there), not the enlarge/equalize retries of a still photo: the next frame is the retry.
A QR that is in view but is not a valid CCCD (another QR, a damaged print) does not stop
the loop: its reason is reported with the next preview, so the officer can say "turn the
card over" or type the number. The loop ends with the card, when cancelled, when the
camera stops sending frames, or after ``timeout_s`` with nothing read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from desktop.kernel.errors import InvalidInput, MotcuaError
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken
from scanning.cccd import CitizenCard, parse_cccd
from scanning.sources.base import SourceUnavailable
from scanning.sources.camera_source import FrameReader

#: longest side of the greyscale frame the QR is looked for in
DECODE_SIDE = 1600
#: longest side of the preview handed to the screen
PREVIEW_SIDE = 640
#: previews per second at most (the screen repaints no faster than the officer can see)
PREVIEW_FPS = 12.0
#: how long the reason a QR in view is not a CCCD stays on the screen after it was last seen
PROBLEM_HOLD_S = 2.0


@dataclass(frozen=True)
class FrameLook:
    """What one frame showed: the card, or why a QR in view was not one ("" when none was)."""

    card: CitizenCard | None
    problem: str = ""


def _reduced(image: np.ndarray, side: int) -> np.ndarray:
    longest = max(image.shape[:2])
    if longest <= side:
        return image
    f = side / longest
    return cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def look_at_frame(frame: np.ndarray) -> FrameLook:
    """The CCCD whose QR is in ``frame`` (BGR or grey), if any."""
    import zxingcpp

    grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    texts = [r.text for r in zxingcpp.read_barcodes(_reduced(grey, DECODE_SIDE))
             if r.valid and r.format == zxingcpp.BarcodeFormat.QRCode]
    problem = ""
    for text in texts:
        try:
            return FrameLook(parse_cccd(text))
        except InvalidInput as exc:
            problem = exc.message
    return FrameLook(None, problem)


def preview_of(frame: np.ndarray) -> np.ndarray:
    """A small RGB copy for the screen (the frame itself is reused by the capture)."""
    small = _reduced(frame, PREVIEW_SIDE)
    if small.ndim == 2:
        return cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
    return cv2.cvtColor(small, cv2.COLOR_BGR2RGB)


def watch_for_card(reader: FrameReader, cancel: CancelToken,
                   on_preview: Callable[[np.ndarray, str], None] | None = None, *,
                   timeout_s: float = 120.0, clock: Callable[[], float] = time.monotonic) -> CitizenCard:
    """Read frames until a CCCD's QR decodes; ``on_preview(rgb, problem)`` sees some of them.

    Raises :class:`~desktop.kernel.tasks.Cancelled` when cancelled, :class:`SourceUnavailable` for a camera that
    does not open, and a :class:`MotcuaError` for one that stops sending frames or when
    ``timeout_s`` passes with no card (the camera is released in every case)."""
    try:
        if not reader.isOpened():
            raise SourceUnavailable(msg("Không mở được camera (đã rút ra hoặc chương trình khác đang dùng).",
                                        "Cannot open the camera (unplugged or used by another program)."))
        start = last_preview = clock()
        problem, problem_at = "", start
        while True:
            cancel.raise_if_cancelled()
            ok, frame = reader.read()
            if not ok or frame is None:
                raise MotcuaError(msg("Camera ngừng gửi hình; chưa đọc được thẻ.",
                                      "The camera stopped sending frames; no card was read."),
                                  hint=msg("Kiểm tra dây camera, hoặc đọc mã QR từ ảnh chụp.",
                                           "Check the camera's cable, or read the QR from a photo."))
            look = look_at_frame(frame)
            if look.card is not None:
                if on_preview is not None:
                    on_preview(preview_of(frame), "")
                return look.card
            now = clock()
            if look.problem:
                problem, problem_at = look.problem, now
            elif now - problem_at > PROBLEM_HOLD_S:  # the wrong QR was taken away
                problem = ""
            if on_preview is not None and now - last_preview >= 1.0 / PREVIEW_FPS:
                on_preview(preview_of(frame), problem)
                last_preview = now
            if now - start > timeout_s:
                raise MotcuaError(msg("Không thấy mã QR của thẻ CCCD sau {s} giây.",
                                      "No CCCD QR code seen in {s} seconds.", s=int(timeout_s)),
                                  hint=msg("Đưa mặt có mã QR của thẻ vào giữa khung hình, đủ sáng và không lóa.",
                                           "Hold the card's QR side in the middle of the picture, in good light, "
                                           "without glare."))
    finally:
        reader.release()
