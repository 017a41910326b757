"""Digitize: deskew, Vietnamese OCR, a searchable PDF poppler and qpdf accept, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from desktop.kernel.errors import InvalidInput
from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.cleanup import clean_page, skew_angle
from scanning.pipeline import digitize
from scanning.quality import check_quality
from scanning.samples import TEXT, degrade, render


def cer(expected: str, got: str) -> float:
    a, b = " ".join(expected.split()), " ".join(got.split())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(1, len(a))


def test_deskew_finds_the_angle() -> None:
    for angle in (-3.0, 1.5, 2.5):
        # the correction is the opposite rotation of the skew
        assert skew_angle(degrade(render(), angle=angle)) == pytest.approx(-angle, abs=0.3)
    assert clean_page(degrade(render(), angle=2.0)).steps[-1].startswith("deskew")


def test_quality_reasons() -> None:
    assert [q.code for q in check_quality(render(), 300)] == []
    assert "low_dpi" in [q.code for q in check_quality(render(), 150)]
    assert "blank" in [q.code for q in check_quality(np.full((800, 600), 255, np.uint8), 300)]
    assert "blur" in [q.code for q in check_quality(cv2.GaussianBlur(render(), (31, 31), 0), 300)]


def test_searchable_pdf_with_vietnamese_text(tmp_path: Path) -> None:
    pages = []
    for i, angle in enumerate((2.0, -1.5)):
        p = tmp_path / f"trang{i}.png"
        Image.fromarray(degrade(render(), angle=angle, seed=i)).save(p, dpi=(300, 300))
        pages.append(p)
    blank = tmp_path / "blank.png"
    Image.fromarray(np.full((1000, 800), 250, np.uint8)).save(blank, dpi=(300, 300))
    seen: list[int] = []
    report = digitize([*pages, blank], tmp_path / "out" / "hồ sơ.pdf", progress=lambda d, t, m="": seen.append(d))
    assert report.pages == 2 and report.page_reports[-1].dropped_blank and seen[-1] == 3  # progress counts every page
    out = Path(report.output)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    body = "\n".join(TEXT[3:])  # the body lines (the bold capitals are harder and tested less strictly)
    got = unicodedata.normalize("NFC", text)
    assert cer(body, got[got.index("Kính"):got.index("nghìn") + 5]) < 0.02
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout
    assert " jpeg " in images and " 300 " in images  # page image kept at scan resolution, JPEG
    assert report.bytes_per_page < 600_000


def test_bad_input_is_refused_clearly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInput, match="rỗng"):
        digitize([empty], tmp_path / "x.pdf")
    good = tmp_path / "good.jpg"
    cv2.imwrite(str(good), render())
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    with pytest.raises(InvalidInput, match="hỏng hoặc bị cắt cụt"):
        digitize([truncated], tmp_path / "x.pdf")
    huge = tmp_path / "huge.png"
    Image.new("L", (20000, 20000), 255).save(huge)
    with pytest.raises(InvalidInput, match="quá lớn"):
        digitize([huge], tmp_path / "x.pdf")
    import pikepdf

    locked = tmp_path / "locked.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(locked, encryption=pikepdf.Encryption(user="mat-khau", owner="chu"))
    with pytest.raises(InvalidInput, match="mật khẩu"):
        digitize([locked], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_cancel_stops_and_leaves_no_file(tmp_path: Path) -> None:
    p = tmp_path / "a.png"
    cv2.imwrite(str(p), render())
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        digitize([p, p, p], tmp_path / "c.pdf", cancel=token)
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*part"))


def test_cli_ocr_and_digitize_json(tmp_path: Path) -> None:
    p = tmp_path / "a.png"
    Image.fromarray(degrade(render())).save(p, dpi=(300, 300))
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "ocr", str(p)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Nguyễn Thị Hồng Nhung" in r.stdout
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "digitize", str(p), "-o",
                        str(tmp_path / "o.pdf"), "--json"], capture_output=True, text=True, timeout=120)
    data = json.loads(r.stdout)
    assert data["pages"] == 1 and data["characters"] > 200 and "ocr_s" in data["timings"]
