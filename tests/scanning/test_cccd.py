"""CCCD QR: decoding from generated card scans and photos, parsing, validation, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Generator
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from desktop.kernel.errors import InvalidInput, MotcuaError
from desktop.kernel.tasks import CancelToken
from scanning.cccd import card_scanner, parse_cccd, read_cccd, scan_cccd, validate_id_number
from scanning.images import Page
from scanning.sources.base import Capabilities, ScanSettings, ScanSource

SEVEN = "079190234567|025123456|Nguyễn Thị Hồng Nhung|15081990|Nữ|12 Lê Lợi, Phường Quy Nhơn, Gia Lai|01072021"
SIX = "001089012345|Trần Văn Bình|02031989|Nam|Số 5 ngõ 12, Phường Ba Đình, Hà Nội|10102022"


def card_image(text: str, *, photo: bool = False) -> np.ndarray:
    qr = np.asarray(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=6))
    card = np.full((640, 1010), 235, np.uint8)  # an ID-1 card at ~300 dpi, light grey
    cv2.putText(card, "CAN CUOC CONG DAN", (330, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 40, 3)
    h, w = qr.shape[:2]
    card[40:40 + h, 1010 - 40 - w:1010 - 40] = qr if qr.ndim == 2 else qr[..., 0]
    if not photo:
        return card
    # a phone photo: on a table, tilted in perspective, uneven light, noise and blur
    canvas = np.full((1200, 1600), 90, np.uint8)
    src = np.float32([[0, 0], [1010, 0], [1010, 640], [0, 640]])
    dst = np.float32([[260, 230], [1330, 180], [1390, 900], [200, 960]])
    warped = cv2.warpPerspective(card, cv2.getPerspectiveTransform(src, dst), (1600, 1200),
                                 dst=canvas, borderMode=cv2.BORDER_TRANSPARENT)
    light = np.tile(np.linspace(0.65, 1.1, 1600), (1200, 1))
    noisy = warped * light + np.random.default_rng(1).normal(0, 6, warped.shape)
    return cv2.GaussianBlur(np.clip(noisy, 0, 255).astype(np.uint8), (3, 3), 0)


def test_parse_seven_and_six_fields() -> None:
    c = parse_cccd("  " + SEVEN.replace("|Nữ|", "| Nữ |") + "\n")
    assert c.id_number == "079190234567" and c.old_id_number == "025123456"
    assert c.name == "Nguyễn Thị Hồng Nhung" and c.birth_date == date(1990, 8, 15) and c.sex == "Nữ"
    assert c.issue_date == date(2021, 7, 1)
    c6 = parse_cccd(SIX)
    assert c6.old_id_number == "" and c6.sex == "Nam" and c6.birth_date.year == 1989


@pytest.mark.parametrize("bad", [
    SEVEN.replace("079190234567", "07919023456"),   # 11 digits
    SEVEN.replace("079190234567", "099190234567"),  # no province 099
    SEVEN.replace("079190234567", "079090234567"),  # century/sex digit says male
    SEVEN.replace("079190234567", "079191234567"),  # year 1991, not 1990
    SEVEN.replace("15081990", "31021990"),          # no such date
    "https://dichvucong.gov.vn",                     # a QR, but not a CCCD
])
def test_bad_cards_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        parse_cccd(bad)


def test_2000s_birth_year_digit() -> None:
    validate_id_number("001205000123", date(2005, 1, 1), "Nam")
    with pytest.raises(InvalidInput):
        validate_id_number("001205000123", date(1905, 1, 1), "Nam")


@pytest.mark.parametrize("photo", [False, True])
def test_read_from_scan_and_photo(tmp_path: Path, photo: bool) -> None:
    path = tmp_path / f"thẻ-{photo}.png"
    cv2.imencode(".png", card_image(SEVEN, photo=photo))[1].tofile(str(path))
    assert read_cccd(path).id_number == "079190234567"


def test_no_qr_and_broken_file(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((400, 600), 255, np.uint8))
    with pytest.raises(MotcuaError, match="Không tìm thấy mã QR"):
        read_cccd(blank)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    with pytest.raises(InvalidInput, match="Không đọc được ảnh"):
        read_cccd(broken)
    with pytest.raises(InvalidInput, match="Không tìm thấy .*missing.png"):
        read_cccd(tmp_path / "missing.png")


def test_cli_prints_json(tmp_path: Path) -> None:
    path = tmp_path / "card.png"
    cv2.imwrite(str(path), card_image(SIX))
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "cccd", str(path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["name"] == "Trần Văn Bình"


class _GlassWithCard(ScanSource):
    """A flatbed that delivers an A4 glass with ``card`` lying face down near a corner, as a
    scanner hands it over (SANE's test device cannot hold a card: its pages are patterns)."""

    kind = "sane"

    def __init__(self, card: np.ndarray, *, colour: bool = False) -> None:
        super().__init__("sane:glass:0", "Glass 0")
        self.card, self.colour = card, colour
        self.asked: list[ScanSettings] = []

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(("flatbed", "adf"), False, (150, 300), ("color", "grey"), ("A4",))

    def _pages(self, settings: ScanSettings, cancel: CancelToken) -> Generator[Page, None, None]:
        self.asked.append(settings)
        glass = np.full((3508, 2480), 250, np.uint8)  # A4 at 300 dpi, the lid's white
        h, w = self.card.shape
        glass[120:120 + h, 150:150 + w] = self.card
        yield Page(cv2.cvtColor(glass, cv2.COLOR_GRAY2RGB) if self.colour else glass, 300.0, self.id)


@pytest.mark.parametrize("colour", [False, True])
def test_the_card_is_read_from_the_scanner_glass(colour: bool) -> None:
    glass = _GlassWithCard(card_image(SEVEN), colour=colour)
    card = scan_cccd(glass, glass.capabilities)
    assert card.id_number == "079190234567" and card.name == "Nguyễn Thị Hồng Nhung"
    # one page, from the glass (a card does not go through the feeder), grey at 300 dpi
    assert [(s.source, s.max_pages, s.mode, s.resolution) for s in glass.asked] == [("flatbed", 1, "grey", 300)]


def test_a_scan_with_no_card_says_how_to_lay_it_on_the_real_test_scanner() -> None:
    """SANE's test device (real driver, its test pattern page): no QR, and the message says
    how to put the card on the glass, in the officer's language."""
    from scanning.sources import open_source

    source = open_source("sane:test:0")
    with pytest.raises(MotcuaError, match="Không tìm thấy mã QR của thẻ CCCD") as err:
        scan_cccd(source, source.capabilities)
    assert "Úp mặt trước thẻ" in (err.value.hint or "")


def test_the_card_scanner_is_one_with_a_glass() -> None:
    from scanning.sources.files_source import FilesSource

    class _Feeder(_GlassWithCard):
        @property
        def capabilities(self) -> Capabilities:
            return Capabilities(("adf",), True, (300,), ("grey",), ("A4",))

    feeder, glass, files = _Feeder(card_image(SEVEN)), _GlassWithCard(card_image(SEVEN)), FilesSource()
    feeder.id = "sane:feeder:0"
    caps = {s.id: s.capabilities for s in (feeder, glass, files)}
    assert card_scanner([files, feeder, glass], caps) is glass
    assert card_scanner([files, feeder], caps) is feeder  # no glass: the feeder is still a scanner
    assert card_scanner([files, feeder], {"sane:feeder:0": None}) is feeder  # busy: capabilities unknown
    assert card_scanner([files], caps) is None
