"""The CCCD read from a live camera (issue 11, "identify"): frames through real OpenCV video capture.

There is no camera on the build machine. ``cv2.VideoCapture`` opened on a video file is the
same class, decoder and read loop the application uses on ``/dev/video0``: the frames come
from an MJPEG file written here (a desk, then the card moved into view, at the sizes and on
the backgrounds a counter has) instead of from a sensor. What cannot be tested here is a
real sensor's exposure and focus.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from desktop.kernel.errors import MotcuaError
from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.cccd_live import PREVIEW_SIDE, look_at_frame, watch_for_card
from scanning.sources.base import SourceUnavailable
from tests.scanning.test_cccd import SEVEN, card_image

FRAME = (1080, 1920)


def _desk(light: bool, rng: np.random.Generator) -> np.ndarray:
    base = 215 if light else 60  # a light laminate counter or a dark one
    desk = np.full((*FRAME, 3), base, np.uint8)
    grain = rng.normal(0, 5, desk.shape)
    return np.clip(desk + grain, 0, 255).astype(np.uint8)


def _with_card(desk: np.ndarray, card: np.ndarray, *, width: int, at: tuple[int, int], tilt: float) -> np.ndarray:
    """The card (grey) laid on the desk at ``at``, ``width`` pixels wide, turned by ``tilt`` degrees."""
    h = int(card.shape[0] * width / card.shape[1])
    small = cv2.resize(card, (width, h), interpolation=cv2.INTER_AREA)
    pad = int(0.3 * width)
    holder = np.full((h + 2 * pad, width + 2 * pad), 0, np.uint8)
    mask = np.zeros_like(holder)
    holder[pad:pad + h, pad:pad + width] = small
    mask[pad:pad + h, pad:pad + width] = 255
    m = cv2.getRotationMatrix2D((holder.shape[1] / 2, holder.shape[0] / 2), tilt, 1.0)
    holder = cv2.warpAffine(holder, m, holder.shape[::-1])
    mask = cv2.warpAffine(mask, m, mask.shape[::-1])
    out = desk.copy()
    y, x = at
    region = out[y:y + holder.shape[0], x:x + holder.shape[1]]
    sel = mask[:region.shape[0], :region.shape[1]] > 127
    region[sel] = holder[:region.shape[0], :region.shape[1]][sel][:, None]
    return out


def _video(path: Path, frames: list[np.ndarray]) -> Path:
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (FRAME[1], FRAME[0]))
    assert out.isOpened()
    for f in frames:
        out.write(f)
    out.release()
    return path


@pytest.mark.parametrize(("light", "width", "at", "tilt"), [
    (True, 700, (250, 600), 0.0),     # light counter, card in the middle
    (False, 700, (250, 600), 0.0),    # dark counter
    (True, 460, (600, 1300), 12.0),   # small, in a corner, turned
    (True, 1100, (60, 300), -7.0),    # held close to the camera
    (False, 560, (100, 80), 25.0),    # far left, turned a lot
])
def test_the_card_is_read_the_moment_it_comes_into_view(tmp_path: Path, light: bool, width: int,
                                                        at: tuple[int, int], tilt: float) -> None:
    rng = np.random.default_rng(width)
    desk = _desk(light, rng)
    card = card_image(SEVEN)
    shown = _with_card(desk, card, width=width, at=at, tilt=tilt)
    path = _video(tmp_path / "counter.avi", [desk] * 12 + [shown] * 6)
    previews: list[tuple[np.ndarray, str]] = []
    got = watch_for_card(cv2.VideoCapture(str(path)), CancelToken(), lambda img, why: previews.append((img, why)),
                         clock=iter(range(10_000)).__next__)
    assert got.id_number == "079190234567" and got.name == "Nguyễn Thị Hồng Nhung"
    assert len(previews) >= 12  # the desk was shown while waiting, and the frame with the card last
    assert all(max(img.shape[:2]) <= PREVIEW_SIDE and img.shape[2] == 3 for img, _ in previews)


def test_another_qr_is_told_and_the_end_of_the_frames_is_an_error(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    desk = _desk(True, rng)
    other = np.asarray(zxingcpp.create_barcode("https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
                                               zxingcpp.BarcodeFormat.QRCode).to_image(scale=8))
    shown = _with_card(desk, other, width=420, at=(300, 700), tilt=0.0)
    assert look_at_frame(shown).card is None and look_at_frame(shown).problem
    path = _video(tmp_path / "other.avi", [shown] * 8)
    previews: list[str] = []
    with pytest.raises(MotcuaError) as info:
        watch_for_card(cv2.VideoCapture(str(path)), CancelToken(), lambda img, why: previews.append(why),
                       clock=iter(range(10_000)).__next__)
    assert "stopped sending" in info.value.message or "ngừng gửi" in info.value.message
    assert previews and all(previews)  # the officer saw why the QR in view was not taken


class _Reader:
    """A camera that opens (or not) and sends the same desk frame forever."""

    def __init__(self, opened: bool = True) -> None:
        self.opened, self.reads, self.released = opened, 0, False
        self.frame = _desk(True, np.random.default_rng(0))

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self.opened

    def read(self) -> tuple[bool, np.ndarray | None]:
        self.reads += 1
        return True, self.frame

    def set(self, prop: int, value: float) -> bool:
        return True

    def release(self) -> None:
        self.released = True


def test_closing_the_window_stops_the_loop_and_releases_the_camera() -> None:
    cancel, reader = CancelToken(), _Reader()

    def preview(_img: np.ndarray, _why: str) -> None:
        if reader.reads >= 5:
            cancel.cancel()

    with pytest.raises(Cancelled):
        watch_for_card(reader, cancel, preview, clock=iter(range(10_000)).__next__)
    assert reader.released and reader.reads < 10


def test_a_camera_that_does_not_open_or_shows_no_card_says_so() -> None:
    closed = _Reader(opened=False)
    with pytest.raises(SourceUnavailable):
        watch_for_card(closed, CancelToken())
    assert closed.released
    idle = _Reader()
    with pytest.raises(MotcuaError, match="120"):
        watch_for_card(idle, CancelToken(), clock=iter(range(0, 10_000, 10)).__next__)
    assert idle.released
