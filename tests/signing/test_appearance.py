"""Appearance profiles are data: an administrator's copy in the data dir wins; mistakes are named."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.kernel.errors import InvalidInput
from signing.appearance import (
    MM,
    PROFILES_FILE,
    StampValues,
    get_profile,
    load_profiles,
    stamp_box,
    stamp_text,
    text_width,
    wrap,
)

WHEN = datetime(2026, 11, 22, 2, 15, 3, tzinfo=UTC)


def test_shipped_profiles() -> None:
    p = load_profiles()
    assert set(p) >= {"copy", "seal", "personal"}
    assert p["copy"].corner == "top-right" and p["copy"].image is None and p["copy"].font_size == 10
    assert p["copy"].color == (0.0, 0.0, 0.0)
    assert p["personal"].corner == "top-left" and p["personal"].signer == "person"
    assert p["seal"].image is not None and p["seal"].image.is_file() and p["seal"].image_mm > 0
    text = stamp_text(p["copy"], StampValues(organization="UBND phường Quy Nhơn", time=WHEN))
    assert text.splitlines() == ["SAO Y", "UBND phường Quy Nhơn", "2026-11-22T09:15:03+07:00"]


def test_admin_copy_in_data_dir_wins(tmp_path: Path) -> None:
    data = json.loads(PROFILES_FILE.read_text(encoding="utf-8"))
    data["profiles"]["copy"]["copy_form"] = "SAO LỤC"
    data["profiles"]["copy"]["lines"] = ["{copy_form}", "{organization}", "Ngày {date}"]
    (tmp_path / "signing").mkdir()
    (tmp_path / "signing" / "profiles.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    prof = get_profile("copy", tmp_path)
    assert stamp_text(prof, StampValues(organization="X", time=WHEN)).splitlines() == ["SAO LỤC", "X",
                                                                                       "Ngày 22/11/2026"]
    assert get_profile("seal", tmp_path).image.is_file()  # type: ignore[union-attr]  # shipped image still found


def test_mistakes_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "signing"
    bad.mkdir()
    (bad / "profiles.json").write_text('{"profiles": {"copy": {"corner": "middle", "width_mm": 1, "height_mm": 1,'
                                       ' "lines": []}}}', encoding="utf-8")
    with pytest.raises(InvalidInput, match="copy"):
        load_profiles(tmp_path)
    (bad / "profiles.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="profiles.json"):
        load_profiles(tmp_path)
    with pytest.raises(InvalidInput, match="nope"):
        get_profile("nope")
    prof = load_profiles()["copy"]
    broken = type(prof)(**{**prof.__dict__, "lines": ("{unknown}",)})
    with pytest.raises(InvalidInput, match="unknown"):
        stamp_text(broken, StampValues())


def test_boxes_and_wrapping() -> None:
    a4 = (0.0, 0.0, 595.0, 842.0)
    p = load_profiles()
    x0, y0, x1, y1 = stamp_box(p["copy"], a4)
    assert abs((595 - x1) - p["copy"].margin_mm * MM) < 0.01 and abs((842 - y1) - p["copy"].margin_mm * MM) < 0.01
    x0, y0, x1, y1 = stamp_box(p["personal"], a4)
    assert abs(x0 - p["personal"].margin_mm * MM) < 0.01
    lines = wrap("Ủy ban nhân dân phường Quy Nhơn Đông (THỬ NGHIỆM)", 150, 10)
    assert len(lines) == 2 and all(text_width(line, 10) <= 150 for line in lines)
    assert text_width("SAO Y", 10) < text_width("SAO Y", 12)
