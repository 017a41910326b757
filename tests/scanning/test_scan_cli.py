"""``motcua scan`` run for real (``python -m desktop scan``) against SANE's test device.

Each run is a subprocess with its own data directory and a SANE configuration that has only
the test backend. Faults mid-feed are made by the test device itself (tests/scanning/
sane_device.py), so the command's real error path writes, keeps and reports the pages.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.scanning.sane_device import fault_env, write_sane_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, data_dir: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "SANE_"))}
    e.update(SANE_CONFIG_DIR=str(write_sane_config(tmp_path)), MOTCUA_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return e


def motcua(env: dict[str, str], *args: str, extra: dict[str, str] | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, env={**env, **(extra or {})},
                          capture_output=True, text=True, timeout=timeout)


def pages_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_list_shows_the_test_device_and_why_twain_is_missing(env: dict[str, str]) -> None:
    r = motcua(env, "scan", "--list", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    dev = next(s for s in data["sources"] if s["id"] == "sane:test:0")
    assert dev["kind"] == "sane" and "frontend-tester" in dev["name"]
    assert dev["capabilities"]["sources"] == ["flatbed", "adf"] and 300 in dev["capabilities"]["resolutions"]
    assert "Windows" in data["unavailable"]["twain"]
    text = motcua(env, "scan", "--list")
    assert "sane:test:0" in text.stdout and "nguồn giấy: flatbed, adf" in text.stdout
    assert "200 × 200 mm" in text.stdout


def test_adf_pages_are_written_with_their_resolution_one_line_each(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = motcua(env, "scan", "--device", "test:0", "-o", str(out), "--source", "adf", "--mode", "grey",
               "--resolution", "150", "--pages", "4", "--page-size", "max", "--option", "test-picture=Grid")
    assert r.returncode == 0, r.stderr
    assert pages_in(out) == [f"page-000{i}.png" for i in range(1, 5)]
    lines = r.stdout.strip().splitlines()
    assert [ln.split(":")[0] for ln in lines[:4]] == ["trang 1", "trang 2", "trang 3", "trang 4"]
    assert lines[-1].startswith("Xong: 4 trang")
    with Image.open(out / "page-0001.png") as img:
        assert img.mode == "L" and img.size == (1181, 1181)
        assert round(img.info["dpi"][0]) == 150
        assert img.getextrema() == (0, 255)  # the grid, not a blank page


def test_colour_tiff_from_the_flatbed_as_json(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "colour"
    r = motcua(env, "scan", "--device", "sane:test:0", "-o", str(out), "--source", "flatbed", "--mode", "color",
               "--resolution", "300", "--format", "tiff", "--option", "test-picture=Color pattern", "--json")
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert events[0]["page"] == 1 and events[0]["mode"] == "color" and events[0]["dpi"] == 300
    assert events[-1] == {"done": True, "pages": 1, "dir": str(out)}
    with Image.open(out / "page-0001.tif") as img:
        assert img.mode == "RGB" and round(img.info["dpi"][0]) == 300 and img.size == (2362, 2362)


def test_paper_jam_mid_feed_keeps_written_pages_and_fails(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "jam"
    r = motcua(env, "scan", "--device", "test:0", "-o", str(out), "--source", "adf", "--resolution", "75",
               extra=fault_env(tmp_path, after_pages=3, status="SANE_STATUS_JAMMED"))
    assert r.returncode == 2
    assert pages_in(out) == ["page-0001.png", "page-0002.png", "page-0003.png"]
    assert len(r.stdout.strip().splitlines()) == 3
    assert "Kẹt giấy" in r.stderr and "3 trang đã quét được giữ lại" in r.stderr and "gỡ tờ bị kẹt" in r.stderr
    # the officer clears the jam and scans the rest: numbering goes on after the kept pages
    again = motcua(env, "scan", "--device", "test:0", "-o", str(out), "--source", "adf", "--resolution", "75", "--pages", "2")
    assert again.returncode == 0, again.stderr
    assert pages_in(out)[-2:] == ["page-0004.png", "page-0005.png"]


def test_device_lost_mid_feed_in_english_json(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "lost"
    r = motcua(env, "--lang", "en", "scan", "--device", "test:0", "-o", str(out), "--source", "adf", "--resolution", "75",
               "--json", extra=fault_env(tmp_path, after_pages=2, status="SANE_STATUS_IO_ERROR"))
    assert r.returncode == 2
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert [e.get("page") for e in events[:2]] == [1, 2]
    assert events[-1]["code"] == "device_lost" and events[-1]["pages"] == 2
    assert "Lost the connection to scanner test:0 mid-feed" in r.stderr and "2 page(s) already scanned are kept" in r.stderr
    assert pages_in(out) == ["page-0001.png", "page-0002.png"]


def test_ctrl_c_mid_feed_stops_and_keeps_the_pages(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "stop"
    # the backend delays each 32 KiB read by 40 ms: a 75 dpi page takes ~0.5 s
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "scan", "--device", "test:0", "-o", str(out), "--source", "adf",
                             "--resolution", "75", "--page-size", "max", "--option", "read-delay=yes",
                             "--option", "read-delay-duration=40000"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        second = proc.stdout.readline()
        assert first.startswith("trang 1") and second.startswith("trang 2")
        t = time.monotonic()
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert time.monotonic() - t < 5
    kept = pages_in(out)
    assert 2 <= len(kept) < 10 and "Đã dừng theo yêu cầu" in err
    assert f"{len(kept)} trang đã lưu" in err


def test_profile_from_the_workstation_and_bad_input(env: dict[str, str], tmp_path: Path, data_dir: Path) -> None:
    (data_dir / "scanning").mkdir()
    profile = {"id": "ho-so-mau", "name": "Hồ sơ màu 100 dpi", "name_en": "Colour file 100 dpi", "source": "flatbed",
               "mode": "color", "resolution": 100, "page_size": "A5", "duplex": False}
    (data_dir / "scanning" / "profiles.json").write_text(json.dumps({"version": 1, "profiles": [profile]}), encoding="utf-8")
    out = tmp_path / "p"
    r = motcua(env, "scan", "--device", "test:0", "-o", str(out), "--profile", "hồ sơ màu 100 dpi", "--json")
    assert r.returncode == 0, r.stderr
    page = json.loads(r.stdout.splitlines()[0])
    assert page["mode"] == "color" and page["dpi"] == 100 and page["width"] == 582  # A5 width, 148 mm
    listed = motcua(env, "scan", "--profiles")
    assert "ho-so-mau" in listed.stdout and "a4-grey-300-duplex" not in listed.stdout
    missing = motcua(env, "scan", "--device", "test:0", "-o", str(out), "--profile", "khong-co")
    assert missing.returncode == 2 and "Không có cấu hình quét khong-co" in missing.stderr
    (data_dir / "scanning" / "profiles.json").write_text('{"version": 1, "profiles": [{"id": "x", "name": "X", '
                                                         '"resolution": "300"}]}', encoding="utf-8")
    bad = motcua(env, "scan", "--device", "test:0", "-o", str(out), "--profile", "x")
    assert bad.returncode == 2 and "profiles.json #1" in bad.stderr and "độ phân giải" in bad.stderr
    unknown = motcua(env, "scan", "--device", "test:7", "-o", str(out))
    assert unknown.returncode == 2 and "Không tìm thấy máy quét test:7" in unknown.stderr
    no_out = motcua(env, "scan", "--device", "test:0")
    assert no_out.returncode == 2 and "-o" in no_out.stderr


def test_files_import_through_the_same_command(env: dict[str, str], tmp_path: Path) -> None:
    src = tmp_path / "in.tif"
    frames = [Image.new("L", (400, 500), v) for v in (30, 120, 220)]
    frames[0].save(src, save_all=True, append_images=frames[1:], dpi=(200, 200))
    out = tmp_path / "imported"
    r = motcua(env, "scan", "--device", "files", "--input", str(src), "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    assert pages_in(out) == ["page-0001.png", "page-0002.png", "page-0003.png"]
    with Image.open(out / "page-0002.png") as img:
        assert img.getpixel((10, 10)) == 120 and round(img.info["dpi"][0]) == 200
