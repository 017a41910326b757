"""Scanner profiles: defaults, saving per workstation, and refusing bad files with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.config import Settings
from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.kernel.i18n import set_language
from scanning.profiles import CLEANUP_SWITCHES, DEFAULT_PROFILES, ProfileStore, ScanProfile, profiles_path


def test_defaults_when_the_workstation_has_none(settings: Settings) -> None:
    store = ProfileStore(settings.data_dir)
    assert not store.path.exists()
    profiles = store.load()
    assert profiles == list(DEFAULT_PROFILES)
    duplex = store.get("A4 xám 300 dpi 2 mặt")
    assert duplex == store.get("a4 grey 300 dpi duplex") == store.get("a4-grey-300-duplex")
    s = duplex.scan_settings(max_pages=20)
    assert (s.source, s.mode, s.resolution, s.page_size, s.duplex, s.max_pages) == ("adf", "grey", 300, "A4", True, 20)
    assert set(duplex.cleanup()) == set(CLEANUP_SWITCHES) and duplex.cleanup()["deskew"] is True
    set_language("en")
    assert duplex.label == "A4 grey 300 dpi duplex"


def test_saved_in_the_data_dir_and_read_back(settings: Settings) -> None:
    store = ProfileStore(settings.data_dir)
    mine = ScanProfile("giay-khai-sinh", "  Giấy khai sinh màu  ", "Birth certificate colour", source="flatbed", mode="color",
                       resolution=400, page_size="a5", denoise=False, illumination=True)
    stored = store.upsert(mine)
    assert stored.name == "Giấy khai sinh màu" and stored.page_size == "A5"
    assert store.path == profiles_path(settings.data_dir) == settings.data_dir / "scanning" / "profiles.json"
    raw = json.loads(store.path.read_text(encoding="utf-8"))
    assert raw["version"] == 1 and "Giấy khai sinh màu" in store.path.read_text(encoding="utf-8")  # readable UTF-8
    again = ProfileStore(settings.data_dir)
    assert again.get("giay-khai-sinh") == stored and len(again.load()) == len(DEFAULT_PROFILES) + 1
    store.delete("giay-khai-sinh")
    assert [p.id for p in store.load()] == [p.id for p in DEFAULT_PROFILES]
    with pytest.raises(NotFound, match="giay-khai-sinh"):
        store.delete("giay-khai-sinh")


def test_the_last_profile_cannot_be_deleted(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path)
    store.save([DEFAULT_PROFILES[0]])
    with pytest.raises(Conflict, match="ít nhất một"):
        store.delete(DEFAULT_PROFILES[0].id)


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "JSON hỏng"),
    ('{"profiles": {}}', "danh sách \"profiles\""),
    ('{"version": 9, "profiles": []}', "phiên bản 9"),
    ('{"profiles": []}', "trống"),
    ('{"profiles": [{"id": "a", "name": "A", "colour": "red"}]}', "trường không biết: colour"),
    ('{"profiles": [{"name": "A"}]}', "thiếu trường id"),
    ('{"profiles": [{"id": "A B", "name": "A"}]}', "mã 'A B' không hợp lệ"),
    ('{"profiles": [{"id": "a", "name": " "}]}', "tên không được để trống"),
    ('{"profiles": [{"id": "a", "name": "A", "mode": "sepia"}]}', "chế độ màu 'sepia'"),
    ('{"profiles": [{"id": "a", "name": "A", "resolution": 5000}]}', "độ phân giải"),
    ('{"profiles": [{"id": "a", "name": "A", "resolution": true}]}', "độ phân giải"),
    ('{"profiles": [{"id": "a", "name": "A", "page_size": "B5"}]}', "Khổ giấy không hỗ trợ: B5"),
    ('{"profiles": [{"id": "a", "name": "A", "deskew": "yes"}]}', "deskew phải là true hoặc false"),
    ('{"profiles": [{"id": "a", "name": "A", "source": "flatbed", "duplex": true}]}', "hai mặt"),
    ('{"profiles": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}', "trùng"),
])
def test_bad_profile_files_are_refused_with_the_reason(tmp_path: Path, content: str, words: str) -> None:
    path = profiles_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        ProfileStore(tmp_path).load()
    assert words in str(info.value) and str(path) in str(info.value)


def test_unknown_profile_lists_the_available_ones(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="a4-grey-300-duplex"):
        ProfileStore(tmp_path).get("không có")
    with pytest.raises(InvalidInput, match="độ phân giải"):
        ProfileStore(tmp_path).upsert(ScanProfile("x", "X", resolution=10))
