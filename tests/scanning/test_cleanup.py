"""Clean-up on pages it has never seen tuned for: orientation, photos, low-resolution JPEG
scans, uneven light, PDF/A identification, cancelling mid-way."""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pytest
from PIL import Image

from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.cleanup import (
    CleanOptions,
    clean_page,
    detect_orientation,
    find_page,
    flatten_illumination,
    rotate_quarter,
    uneven_light,
)
from scanning.pipeline import digitize
from scanning.samples import DOCUMENTS, phone_photo, render, render_a4, scan_200dpi
from tests.scanning.test_digitize import cer


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_orientation_is_read_from_the_text(name: str) -> None:
    for page in (render_a4(DOCUMENTS[name]), render(DOCUMENTS[name])):
        for turn in (0, 90, 180, 270):
            turned = rotate_quarter(page, turn)
            fix = detect_orientation(turned)
            assert (turn + fix) % 360 == 0, (turn, fix)


def test_orientation_leaves_a_page_without_text_alone() -> None:
    rng = np.random.default_rng(3)
    speckles = np.full((1200, 900), 255, np.uint8)
    speckles[rng.integers(0, 1200, 400), rng.integers(0, 900, 400)] = 0
    assert detect_orientation(speckles) == 0


def test_photo_is_straightened_and_gets_its_paper_resolution() -> None:
    page = render_a4(DOCUMENTS["dat_dai"])
    photo = cv2.imdecode(np.frombuffer(phone_photo(page, seed=11), np.uint8), cv2.IMREAD_COLOR)
    quad = find_page(photo)
    assert quad is not None
    result = clean_page(photo)
    assert "perspective" in result.steps and result.dpi is not None
    h, w = result.image.shape[:2]
    assert abs(h / w - 297 / 210) < 0.02  # A4 proportions restored
    assert 190 < result.dpi < 240  # the page spans ~1800 px of the photo
    # a flatbed scan (white all round) is not mistaken for a photo
    assert find_page(page) is None and "perspective" not in clean_page(page).steps


def test_uneven_light_is_flattened() -> None:
    page = render_a4(DOCUMENTS["kinh_doanh"]).astype(np.float32)
    ramp = np.linspace(0.55, 1.0, page.shape[1], dtype=np.float32)[None, :]
    shaded = np.clip(page * ramp, 0, 255).astype(np.uint8)
    assert uneven_light(shaded) > 60
    assert uneven_light(flatten_illumination(shaded)) < 15
    assert "light" in clean_page(shaded).steps
    assert "light" not in clean_page(page.astype(np.uint8)).steps


def test_switches_of_a_profile_are_honoured() -> None:
    photo = cv2.imdecode(np.frombuffer(phone_photo(render_a4(DOCUMENTS["cu_tru"]), seed=2), np.uint8),
                         cv2.IMREAD_COLOR)
    off = CleanOptions(perspective=False, auto_crop=False, illumination=False, orientation=False, deskew=False,
                       denoise=False)
    result = clean_page(photo, off)
    assert result.steps == ["grey"] and result.image.shape == photo.shape[:2]
    assert clean_page(photo, CleanOptions(keep_colour=True)).image.ndim == 3


def test_degraded_scans_and_photos_read_within_one_percent(tmp_path: Path) -> None:
    files, truths = [], []
    for i, name in enumerate(DOCUMENTS):
        page = render_a4(DOCUMENTS[name])
        scan = tmp_path / f"scan{i}.jpg"
        scan.write_bytes(scan_200dpi(page, angle=2.5 * (-1) ** i, seed=20 + i))
        photo = tmp_path / f"photo{i}.jpg"
        photo.write_bytes(phone_photo(rotate_quarter(page, 180) if i == 1 else page, seed=30 + i))
        files += [scan, photo]
        truths += ["\n".join(DOCUMENTS[name])] * 2
    report = digitize(files, tmp_path / "out.pdf", lang="vie")
    errors = [cer(t, got) for t, got in zip(truths, report.page_texts, strict=True)]
    assert max(errors) < 0.01, errors
    assert any("rotate 180°" in r.steps for r in report.page_reports)
    assert {r.dpi for r in report.page_reports[::2]} == {200.0}  # the JPEG's own 200 dpi
    assert all(r.warnings == [] for r in report.page_reports), [r.warnings for r in report.page_reports]


def test_low_resolution_photo_is_flagged(tmp_path: Path) -> None:
    photo = tmp_path / "far.jpg"
    photo.write_bytes(phone_photo(render_a4(DOCUMENTS["khai_sinh"]), seed=5, page_px=1100))
    report = digitize([photo], tmp_path / "far.pdf", lang="vie")
    page = report.page_reports[0]
    assert page.dpi < 200 and [w["code"] for w in page.warnings] == ["low_dpi"]


def test_output_declares_pdfa_2b(tmp_path: Path) -> None:
    src = tmp_path / "p.png"
    Image.fromarray(render()).save(src, dpi=(300, 300))
    out = tmp_path / "pdfa.pdf"
    digitize([src], out, lang="vie")
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
        assert str(pdf.docinfo["/Title"]) == "pdfa"
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def test_cancel_in_the_middle_keeps_nothing(tmp_path: Path) -> None:
    src = tmp_path / "p.png"
    Image.fromarray(render_a4(DOCUMENTS["cu_tru"])).save(src, dpi=(300, 300))
    token = CancelToken()
    seen: list[int] = []

    def progress(done: int, total: int, message: str = "") -> None:
        seen.append(done)
        token.cancel()

    with pytest.raises(Cancelled):
        digitize([src] * 8, tmp_path / "c.pdf", cancel=token, progress=progress, workers=2)
    assert seen and seen[-1] < 8
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*part"))


def test_quality_judges_paper_and_ink_not_the_average() -> None:
    from scanning.quality import check_quality

    form = render_a4(DOCUMENTS["khai_sinh"])  # mostly white paper, a few lines: fine
    assert check_quality(form, 300) == []
    faint = (255 - (255 - form.astype(np.int16)) // 4).astype(np.uint8)  # ink at ~195
    assert [q.code for q in check_quality(faint, 300)] == ["too_light"]
    dark = (form.astype(np.float32) * 0.35).astype(np.uint8)  # paper at ~90
    assert "too_dark" in [q.code for q in check_quality(dark, 300)]
