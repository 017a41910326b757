"""What an administrator imports outlives the next start, and a new release still brings its
new procedures and its corrections to the rows the application set itself."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

import desktop.catalogue as catalogue
from desktop.auth import Actor
from desktop.catalogue import CATALOGUE_FILE
from desktop.config import Settings
from desktop.context import AppContext
from tests.cli import motcua

BIRTH, OTHER = "1.001193", "1.000894"  # khai sinh, and a procedure the import leaves out


def _bundled() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return doc


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _one(doc: dict[str, Any], code: str) -> dict[str, Any]:
    item: dict[str, Any] = next(p for p in doc["procedures"] if p["code"] == code)
    return item


def _centre_import(ctx: AppContext, tmp_path: Path) -> None:
    """The centre's catalogue: khai sinh renamed, 2 days instead of the bundle's, a fee,
    a 12-month validity and one more component; nothing else in the file."""
    doc = _bundled()
    birth = _one(doc, BIRTH)
    birth.update(name="Đăng ký khai sinh (danh mục của tỉnh)", days=2, result_valid_months=12,
                 fees=[{"name": "Lệ phí", "amount": 8000}])
    birth["components"].append({"code": "TINH", "name": "Tờ khai theo mẫu của tỉnh", "copy_kind": "original"})
    doc.update(version="TINH-2026.12", procedures=[birth])
    assert ctx.catalogue.import_file(Actor.cli(), _write(tmp_path / "tinh.json", doc)) == 1


def _assert_centre_birth(ctx: AppContext) -> None:
    p = ctx.catalogue.get(BIRTH)
    assert p.name == "Đăng ký khai sinh (danh mục của tỉnh)", p.name
    assert p.days == 2 and p.result_valid_months == 12 and p.fees == [{"name": "Lệ phí", "amount": 8000}]
    assert p.components[-1].code == "TINH"


def test_an_imported_catalogue_outlives_the_next_start(settings: Settings, tmp_path: Path) -> None:
    ctx = AppContext(settings)
    try:
        assert _one(_bundled(), BIRTH)["days"] != 2  # else the test could not see a revert
        _centre_import(ctx, tmp_path)
        _assert_centre_birth(ctx)
    finally:
        ctx.close()
    again = AppContext(settings)  # the next start seeds again
    try:
        _assert_centre_birth(again)
        assert again.catalogue.get(BIRTH).source == "import TINH-2026.12"
        assert again.catalogue.get(OTHER).source.startswith("bundled ")
    finally:
        again.close()


def test_a_new_release_brings_its_procedures_but_not_over_an_import(
        settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    ctx = AppContext(settings)
    try:
        _centre_import(ctx, tmp_path)
    finally:
        ctx.close()
    release = _bundled()
    release["version"] = "2099.01"
    _one(release, BIRTH)["name"] = "Đăng ký khai sinh (bản mới của phần mềm)"
    _one(release, OTHER)["name"] = _one(release, OTHER)["name"] + " (sửa trong bản mới)"
    release["procedures"].append({"code": "9.000001", "name": "Thủ tục mới của bản phát hành", "days": 3,
                                  "components": [{"code": "TK", "name": "Tờ khai"}]})
    monkeypatch.setattr(catalogue, "CATALOGUE_FILE", _write(tmp_path / "release.json", release))
    caplog.set_level(logging.INFO, logger="desktop.catalogue")
    upgraded = AppContext(settings)
    try:
        _assert_centre_birth(upgraded)
        assert upgraded.catalogue.get(BIRTH).source == "import TINH-2026.12"
        other = upgraded.catalogue.get(OTHER)
        assert other.name.endswith("(sửa trong bản mới)") and other.source == "bundled 2099.01"
        assert upgraded.catalogue.get("9.000001").source == "bundled 2099.01"
    finally:
        upgraded.close()
    assert any(BIRTH in r.getMessage() and "kept as imported" in r.getMessage() for r in caplog.records)


def test_catalogue_show_says_the_row_is_imported(data_dir: Path, tmp_path: Path) -> None:
    doc = _bundled()
    doc.update(version="TINH-2026.12", procedures=[_one(doc, BIRTH)])
    f = _write(tmp_path / "tinh.json", doc)
    run = motcua(data_dir, "catalogue", "import", str(f), "--no-backup", timeout=120)
    assert run.returncode == 0, run.stderr
    shown = motcua(data_dir, "catalogue", "show", BIRTH, timeout=120)
    assert shown.returncode == 0 and "danh mục đã nhập (phiên bản TINH-2026.12)" in shown.stdout, shown.stdout
