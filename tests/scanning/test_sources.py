"""Page sources: SANE for real on the ``test`` device; files; camera and TWAIN as far as possible here.

SANE: listing, grey and colour pages at 150/300 dpi, paper sizes, a ten-sheet ADF read page
by page, every mapped status made by the real backend mid-feed, a busy device, cancel
between pages and in the middle of a page. Camera: no camera on this machine — the frame →
page logic runs on a synthetic frame reader standing in for ``cv2.VideoCapture``. TWAIN:
Windows only — here it must say it is unavailable, clearly.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from desktop.kernel.errors import InvalidInput, NotFound
from desktop.kernel.i18n import set_language
from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.images import Page
from scanning.samples import render
from scanning.sources import (
    CoverOpen,
    DeviceBusy,
    DeviceLost,
    FeederEmpty,
    PaperJam,
    ScanError,
    ScanSettings,
    SourceUnavailable,
    list_sources,
    open_source,
    unavailable,
)
from scanning.sources.camera_source import CameraSource, estimate_dpi, sharpness
from scanning.sources.files_source import FilesSource
from scanning.sources.sane_source import STATUS_TEXT, choose_mode, choose_source, feed_of, sane_session
from tests.scanning.sane_device import DEVICE, FULL_AREA_MM, arm_fault_in_process, use_sane_test_device

PATTERN = {"test-picture": "Color pattern"}


@pytest.fixture
def sane_dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    use_sane_test_device(tmp_path, monkeypatch)
    return DEVICE


def px(mm: float, dpi: int) -> int:
    return int(mm / 25.4 * dpi)  # the backend truncates


# --- SANE -------------------------------------------------------------------------------------


def test_status_texts_are_what_libsane_says() -> None:
    # python-sane passes on only sane_strstatus(); the mapping must match the library's words
    lib = ctypes.CDLL(ctypes.util.find_library("sane") or "libsane.so.1")
    lib.sane_strstatus.restype = ctypes.c_char_p
    names = ["GOOD", "UNSUPPORTED", "CANCELLED", "DEVICE_BUSY", "INVAL", "EOF", "JAMMED", "NO_DOCS", "COVER_OPEN",
             "IO_ERROR", "NO_MEM", "ACCESS_DENIED"]
    for code, name in enumerate(names[1:], start=1):
        assert STATUS_TEXT[lib.sane_strstatus(code).decode()] == name


def test_lists_the_test_device_with_its_capabilities(sane_dev: str) -> None:
    sources = {s.id: s for s in list_sources()}
    assert f"sane:{sane_dev}" in sources and "sane:test:1" in sources and "files" in sources
    src = sources[f"sane:{sane_dev}"]
    assert "frontend-tester" in src.name
    caps = src.capabilities
    assert caps.sources == ("flatbed", "adf") and caps.duplex is False
    assert set(caps.modes) == {"grey", "color"}
    assert {150, 300, 600} <= set(caps.resolutions)
    assert caps.max_area_mm == (FULL_AREA_MM, FULL_AREA_MM)
    assert caps.page_sizes == ()  # 200 × 200 mm holds none of A4/A5/Letter/Legal whole
    assert "read-return-value" in caps.options and "button" not in caps.options


@pytest.mark.parametrize("mode", ["grey", "color"])
@pytest.mark.parametrize("dpi", [150, 300])
def test_flatbed_page_grey_and_colour(sane_dev: str, mode: str, dpi: int) -> None:
    src = open_source(sane_dev)
    t = time.monotonic()
    pages = src.scan(ScanSettings(source="flatbed", mode=mode, resolution=dpi, page_size=None, options=PATTERN))
    elapsed = time.monotonic() - t
    assert len(pages) == 1
    page = pages[0]
    side = px(FULL_AREA_MM, dpi)
    assert page.dpi == dpi and page.source == f"{sane_dev}#1"
    if mode == "grey":
        assert page.image.shape == (side, side) and page.image.dtype == np.uint8
        assert page.image.std() > 20  # the pattern, not a blank page
    else:
        assert page.image.shape == (side, side, 3)
        b, g, r = (page.image[..., i].astype(int) for i in range(3))
        assert np.abs(b - r).mean() > 20 and np.abs(g - r).mean() > 20  # real colours, in BGR order
    print(f"\n{mode} {dpi} dpi flatbed page {side}×{side}: {elapsed:.2f} s")


def test_page_size_sets_the_scan_area_and_is_clipped_to_the_device(sane_dev: str) -> None:
    src = open_source(sane_dev)
    a5 = src.scan(ScanSettings(source="flatbed", resolution=100, page_size="a5"))[0]
    assert a5.image.shape == (px(FULL_AREA_MM, 100), px(148, 100))  # 148 wide; 210 tall clipped to 200
    a4 = src.scan(ScanSettings(source="flatbed", resolution=100, page_size="A4"))[0]
    assert a4.image.shape == (px(200, 100), px(200, 100))


def test_adf_delivers_pages_live_until_the_feeder_is_empty(sane_dev: str) -> None:
    src = open_source(f"sane:{sane_dev}")
    seen: list[tuple[int, float]] = []
    # each page is slowed by the backend itself (read-delay), so live delivery is measurable
    opts = {**PATTERN, "read-delay": "yes", "read-delay-duration": "20000"}
    t = time.monotonic()
    pages = src.scan(ScanSettings(source="adf", mode="grey", resolution=75, page_size=None, options=opts),
                     on_page=lambda p: seen.append((int(p.source.rsplit("#", 1)[1]), time.monotonic())))
    end = time.monotonic()
    assert len(pages) == 10 and [n for n, _ in seen] == list(range(1, 11))
    per_page = (end - t) / 10
    assert seen[0][1] - t < 2 * per_page  # the first page arrived long before the feed ended
    assert end - seen[0][1] > 7 * per_page


def test_page_limit_stops_the_feeder_and_frees_the_device(sane_dev: str) -> None:
    src = open_source(sane_dev)
    assert len(src.scan(ScanSettings(source="adf", resolution=75, max_pages=3))) == 3
    assert len(src.scan(ScanSettings(source="flatbed", resolution=75))) == 1  # not left busy


@pytest.mark.parametrize(("status", "error", "words"), [
    ("SANE_STATUS_JAMMED", PaperJam, "Kẹt giấy"),
    ("SANE_STATUS_COVER_OPEN", CoverOpen, "Nắp máy quét"),
    ("SANE_STATUS_IO_ERROR", DeviceLost, "Mất kết nối"),
    ("SANE_STATUS_DEVICE_BUSY", DeviceBusy, "đang bận"),
])
def test_failure_mid_feed_keeps_the_pages_delivered(sane_dev: str, monkeypatch: pytest.MonkeyPatch, status: str,
                                                    error: type[ScanError], words: str) -> None:
    arm_fault_in_process(monkeypatch, after_pages=3, status=status)
    delivered: list[Page] = []
    with pytest.raises(error) as info:
        open_source(sane_dev).scan(ScanSettings(source="adf", resolution=75), on_page=delivered.append)
    err = info.value
    assert len(delivered) == 3 and len(err.pages) == 3 and err.delivered == 3
    assert words in str(err)
    if error is not DeviceBusy:
        assert "3 trang đã quét được giữ lại" in str(err)
    assert err.hint  # what to do next


def test_failure_messages_in_english(sane_dev: str, monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("en")
    arm_fault_in_process(monkeypatch, after_pages=2, status="SANE_STATUS_JAMMED")
    with pytest.raises(PaperJam, match=r"Paper jam in the feeder of scanner test:0\. The 2 page\(s\) already scanned are kept"):
        open_source(sane_dev).scan(ScanSettings(source="adf", resolution=75))


def test_empty_feeder_at_the_first_page(sane_dev: str, monkeypatch: pytest.MonkeyPatch) -> None:
    arm_fault_in_process(monkeypatch, after_pages=0, status="SANE_STATUS_NO_DOCS")
    with pytest.raises(FeederEmpty, match="Khay nạp giấy.*trống") as info:
        open_source(sane_dev).scan(ScanSettings(source="adf", resolution=75))
    assert info.value.pages == () and "Đặt giấy vào khay" in (info.value.hint or "")


def test_cover_open_at_the_first_page(sane_dev: str, monkeypatch: pytest.MonkeyPatch) -> None:
    arm_fault_in_process(monkeypatch, after_pages=0, status="SANE_STATUS_COVER_OPEN")
    with pytest.raises(CoverOpen) as info:
        open_source(sane_dev).scan(ScanSettings(source="flatbed", resolution=75))
    assert info.value.pages == () and "Chưa có trang nào" in str(info.value)


def test_device_held_by_someone_else_is_busy(sane_dev: str) -> None:
    with sane_session() as sane:
        holder = sane.open(sane_dev)
        try:
            with pytest.raises(DeviceBusy, match="đang bận"):
                open_source(sane_dev).scan(ScanSettings(source="flatbed", resolution=75))
        finally:
            holder.close()


def test_cancel_between_pages(sane_dev: str) -> None:
    token = CancelToken()
    got: list[Page] = []

    def on_page(page: Page) -> None:
        got.append(page)
        if len(got) == 2:
            token.cancel()

    with pytest.raises(Cancelled) as info:
        open_source(sane_dev).scan(ScanSettings(source="adf", resolution=75), token, on_page)
    assert len(got) == 2 and len(info.value.pages) == 2  # type: ignore[attr-defined]
    assert len(open_source(sane_dev).scan(ScanSettings(source="flatbed", resolution=75))) == 1


def test_cancel_in_the_middle_of_a_page(sane_dev: str) -> None:
    # 300 dpi, 20 ms per read of 32 KiB: one page takes ~1.1 s at the backend's pace
    opts = {"read-delay": "yes", "read-delay-duration": "20000"}
    token = CancelToken()
    timer = threading.Timer(0.3, token.cancel)
    t = time.monotonic()
    timer.start()
    try:
        with pytest.raises(Cancelled):
            open_source(sane_dev).scan(ScanSettings(source="adf", resolution=300, page_size=None, options=opts), token)
    finally:
        timer.join()
    assert time.monotonic() - t < 0.8  # the page being read was aborted, not finished


def test_unknown_device_option_and_duplex_are_refused_clearly(sane_dev: str) -> None:
    src = open_source(sane_dev)
    with pytest.raises(InvalidInput, match="không có tùy chọn no-such-option"):
        src.scan(ScanSettings(source="flatbed", options={"no-such-option": "1"}))
    with pytest.raises(InvalidInput, match="hai mặt"):
        src.scan(ScanSettings(source="adf", duplex=True))
    with pytest.raises(InvalidInput, match="lineart"):
        src.scan(ScanSettings(source="flatbed", mode="lineart"))
    with pytest.raises(NotFound, match="Không tìm thấy máy quét test:9"):
        open_source("test:9").scan(ScanSettings())


def test_backend_names_for_feeds_and_modes() -> None:
    # source and mode names as real backends spell them (fujitsu, epson2, airscan, brother4)
    fujitsu = ["ADF Front", "ADF Back", "ADF Duplex"]
    assert choose_source(fujitsu, "adf", False) == "ADF Front"
    assert choose_source(fujitsu, "adf", True) == "ADF Duplex"
    assert choose_source(fujitsu, "flatbed", False) is None
    epson = ["Flatbed", "Automatic Document Feeder"]
    assert choose_source(epson, "adf", False) == "Automatic Document Feeder"
    assert choose_source(epson, "adf", True) is None  # epson2 does duplex through its adf-mode option
    airscan = ["Flatbed", "ADF", "ADF Duplex"]
    assert choose_source(airscan, "flatbed", False) == "Flatbed" and choose_source(airscan, "adf", True) == "ADF Duplex"
    brother = ["FlatBed", "Automatic Document Feeder(left aligned)", "Automatic Document Feeder(left aligned,Duplex)"]
    assert choose_source(brother, "adf", True) == brother[2] and choose_source(brother, "adf", False) == brother[1]
    assert feed_of("Transparency Unit") == ""
    assert choose_mode(["Lineart", "Halftone", "Gray", "Color"], "grey") == "Gray"
    assert choose_mode(["Black & White", "True Gray", "24bit Color[Fast]"], "color") == "24bit Color[Fast]"
    assert choose_mode(["Black & White", "True Gray"], "lineart") == "Black & White"


def test_settings_are_validated() -> None:
    with pytest.raises(InvalidInput, match="Độ phân giải"):
        ScanSettings(resolution=5000).validated()
    with pytest.raises(InvalidInput, match="Khổ giấy"):
        ScanSettings(page_size="B5").validated()
    with pytest.raises(InvalidInput, match="hai mặt"):
        ScanSettings(source="flatbed", duplex=True).validated()
    assert ScanSettings(page_size="letter").validated().page_size == "Letter"


# --- files ------------------------------------------------------------------------------------


def test_files_source_delivers_tiff_and_pdf_pages_one_by_one(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    tif = tmp_path / "ho-so.tif"
    frames = [Image.fromarray(render()).convert("RGB") for _ in range(3)]
    frames[0].save(tif, save_all=True, append_images=frames[1:], dpi=(300, 300), compression="tiff_lzw")
    pdf = tmp_path / "giay-to.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    for i in range(2):
        c.drawString(72, 720, f"trang {i + 1}")
        c.showPage()
    c.save()
    got: list[str] = []
    pages = FilesSource([tif, pdf]).scan(ScanSettings(source="file", mode="grey"), on_page=lambda p: got.append(p.source))
    assert got == ["ho-so.tif#1", "ho-so.tif#2", "ho-so.tif#3", "giay-to.pdf#1", "giay-to.pdf#2"]
    assert all(p.image.ndim == 2 and p.dpi == 300 for p in pages)
    colour = open_source("files", paths=[pdf]).scan(ScanSettings(source="file", mode="color", max_pages=1))
    assert len(colour) == 1 and colour[0].image.ndim == 3


def test_files_source_refuses_a_bad_file_after_delivering_the_good_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    Image.fromarray(render()).save(good, dpi=(200, 200))
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg at all")
    got: list[Page] = []
    with pytest.raises(InvalidInput, match="bad.jpg"):
        FilesSource([good, bad]).scan(ScanSettings(source="file"), on_page=got.append)
    assert len(got) == 1 and got[0].dpi == 200
    with pytest.raises(InvalidInput, match="Chưa chọn tệp"):
        FilesSource().scan()


# --- camera (synthetic frames: no camera on the build machine) ---------------------------------


class SyntheticCamera:
    """Stands in for cv2.VideoCapture: a 1920×1080 frame of a page on a dark desk, every other
    frame blurred (motion), then "unplugged" after ``frames_before_unplug`` reads."""

    def __init__(self, frames_before_unplug: int | None = None, opened: bool = True) -> None:
        page = cv2.cvtColor(render(), cv2.COLOR_GRAY2BGR)
        page[..., 2] = np.clip(page[..., 2].astype(int) + 40, 0, 255)  # a warm cast, so colour is real
        page = cv2.resize(page, (1080 * page.shape[1] // page.shape[0], 1080))
        self.sharp = np.full((1080, 1920, 3), 40, np.uint8)
        x = (1920 - page.shape[1]) // 2
        self.sharp[:, x:x + page.shape[1]] = page
        self.blurred = cv2.GaussianBlur(self.sharp, (21, 21), 0)
        self.reads = 0
        self.unplug_after = frames_before_unplug
        self.opened = opened
        self.released = False
        self.props: dict[int, float] = {}

    def isOpened(self) -> bool:  # noqa: N802
        return self.opened

    def set(self, prop: int, value: float) -> bool:
        self.props[prop] = value
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        self.reads += 1
        if self.unplug_after is not None and self.reads > self.unplug_after:
            return False, None
        return True, (self.sharp if self.reads % 2 == 0 else self.blurred).copy()

    def release(self) -> None:
        self.released = True


def test_camera_frame_becomes_the_sharpest_page_with_estimated_dpi() -> None:
    cam = SyntheticCamera()
    src = CameraSource(0, opener=lambda: cam, warmup_frames=3, candidates=4)
    pages = src.scan(ScanSettings(source="camera", mode="color", page_size="A4"))
    assert len(pages) == 1 and cam.released
    page = pages[0]
    assert page.image.shape == cam.sharp.shape
    assert sharpness(page.image) == pytest.approx(sharpness(cam.sharp))  # not a blurred frame
    assert page.dpi == estimate_dpi(cam.sharp, "A4") == pytest.approx(1920 / (297 / 25.4), abs=0.1)
    assert cam.props[cv2.CAP_PROP_FRAME_WIDTH] == 3840  # asked for the largest frame
    grey = CameraSource(0, opener=SyntheticCamera, warmup_frames=0).scan(ScanSettings(source="camera", mode="grey"))
    assert grey[0].image.ndim == 2


def test_camera_pages_in_sequence_unplug_and_not_opened() -> None:
    src = CameraSource(1, opener=SyntheticCamera, warmup_frames=1, candidates=2, interval_s=0.01)
    assert [p.source for p in src.scan(ScanSettings(source="camera", max_pages=3))] == ["camera1#1", "camera1#2", "camera1#3"]
    unplugging = CameraSource(0, opener=lambda: SyntheticCamera(frames_before_unplug=6), warmup_frames=2, candidates=2,
                              interval_s=0.01)
    got: list[Page] = []
    with pytest.raises(DeviceLost, match="2 trang đã quét được giữ lại") as info:
        unplugging.scan(ScanSettings(source="camera", max_pages=5), on_page=got.append)
    assert len(got) == 2 and len(info.value.pages) == 2
    with pytest.raises(SourceUnavailable, match="Không mở được camera 0"):
        CameraSource(0, opener=lambda: SyntheticCamera(opened=False)).scan(ScanSettings(source="camera"))
    token = CancelToken()
    slow = CameraSource(0, opener=SyntheticCamera, warmup_frames=0, interval_s=30)
    with pytest.raises(Cancelled):
        slow.scan(ScanSettings(source="camera", max_pages=2), token, on_page=lambda p: token.cancel())


# --- TWAIN (Windows only) -----------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="checks the behaviour off Windows")
def test_twain_reports_itself_unavailable_off_windows(sane_dev: str) -> None:
    from scanning.sources.twain_source import unavailable_reason

    assert "chỉ dùng được trên Windows" in (unavailable_reason() or "")
    with pytest.raises(SourceUnavailable, match="TWAIN chỉ dùng được trên Windows"):
        open_source("twain:Canon DR-C225")
    assert "twain" in unavailable() and "sane" not in unavailable()
    assert not [s for s in list_sources() if s.kind == "twain"]
    set_language("en")
    with pytest.raises(SourceUnavailable, match="TWAIN works only on Windows"):
        open_source("twain:Canon DR-C225")


def test_registry_refuses_unknown_cameras() -> None:
    with pytest.raises(NotFound, match="camera:abc"):
        open_source("camera:abc")


def test_duplex_on_a_one_sided_scanner_says_what_to_do(sane_dev: str) -> None:
    # issue 11: the message said what (no duplex) but not what to do
    with pytest.raises(InvalidInput) as info:
        open_source(sane_dev).scan(ScanSettings(source="adf", resolution=75, duplex=True))
    assert "hai mặt" in str(info.value)
    assert "1 mặt" in (info.value.hint or "") and "--no-duplex" in (info.value.hint or "")


@pytest.mark.parametrize("status", ["SANE_STATUS_IO_ERROR", "SANE_STATUS_INVAL"])
def test_a_read_error_mid_feed_closes_the_device(sane_dev: str, monkeypatch: pytest.MonkeyPatch, status: str) -> None:
    """An unplugged scanner (I/O error, or an invalid handle) must not leave the device open:
    once it did, and the next scan hung on the still-open handle."""
    import sane

    opened: list[object] = []
    closed: list[object] = []
    real_open, real_close = sane.open, sane.SaneDev.close

    def spy_open(name: str) -> object:
        dev = real_open(name)
        opened.append(dev)
        return dev

    def spy_close(dev: object) -> None:
        closed.append(dev)
        real_close(dev)

    monkeypatch.setattr(sane, "open", spy_open)
    monkeypatch.setattr(sane.SaneDev, "close", spy_close)
    arm_fault_in_process(monkeypatch, after_pages=2, status=status)
    with pytest.raises(DeviceLost) as info:
        open_source(sane_dev).scan(ScanSettings(source="adf", resolution=75))
    assert len(info.value.pages) == 2 and "2 trang đã quét được giữ lại" in str(info.value)
    assert opened and closed == opened  # every handle opened for the scan is closed
    done = threading.Event()
    result: list[int] = []

    def again() -> None:
        result.append(len(open_source(sane_dev).scan(ScanSettings(source="flatbed", resolution=75))))
        done.set()

    threading.Thread(target=again, daemon=True).start()
    assert done.wait(30), "the next scan hung after the read error"
    assert result == [1]
