"""The catalogue: seeded from data, searched without diacritics, updated by import."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.catalogue import CATALOGUE_FILE, fold
from desktop.context import AppContext
from desktop.kernel.errors import InvalidInput, NotFound
from tests.cli import motcua


def test_fold() -> None:
    assert fold("  Đăng ký  KHAI SINH ") == "dang ky khai sinh"
    assert fold("Chứng thực bản sao") == "chung thuc ban sao"


def test_seeded_with_real_procedures(ctx: AppContext) -> None:
    procs = ctx.catalogue.all()
    assert len(procs) >= 15
    codes = {p.code for p in procs}
    assert {"1.001193", "1.000894", "1.000656"} <= codes
    assert all(p.components and p.days > 0 for p in procs)


def test_search_ignores_diacritics_and_case(ctx: AppContext) -> None:
    names = [p.name for p in ctx.catalogue.search("dang ky khai sinh")]
    assert "Đăng ký khai sinh" in names
    assert [p.code for p in ctx.catalogue.search("1.001193")] == ["1.001193"]
    assert ctx.catalogue.search("KẾT HÔN")[0].code == "1.000894"
    assert ctx.catalogue.search("khong co thu tuc nay") == []


def test_unknown_code_is_a_clear_error(ctx: AppContext) -> None:
    with pytest.raises(NotFound, match="9.999"):
        ctx.catalogue.get("9.999")


def test_import_updates_without_losing_components(ctx: AppContext, tmp_path: Path) -> None:
    doc = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    birth = next(p for p in doc["procedures"] if p["code"] == "1.001193")
    birth["name"] = "Đăng ký khai sinh (sửa đổi)"
    birth["components"].append({"code": "MOI", "name": "Giấy tờ mới", "copy_kind": "copy"})
    f = tmp_path / "v2.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert ctx.catalogue.import_file(Actor.cli(), f) == 1
    p = ctx.catalogue.get("1.001193")
    assert p.name.endswith("(sửa đổi)") and p.components[-1].code == "MOI"
    assert ctx.catalogue.import_file(Actor.cli(), f) == 0
    f.write_text('{"procedures": [{"code": "x"}]}', encoding="utf-8")
    with pytest.raises(InvalidInput):
        ctx.catalogue.import_file(Actor.cli(), f)


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return motcua(data_dir, *args, timeout=120)


def test_cli_due_list_and_errors(tmp_path: Path) -> None:
    r = _cli(tmp_path, "calendar", "due", "--received", "2023-10-27 09:32", "--days", "5")
    assert r.returncode == 0 and r.stdout == "2023-11-03 09:32\n"
    r = _cli(tmp_path, "catalogue", "list", "--json")
    data = json.loads(r.stdout)
    assert len(data) >= 15 and {"code", "name", "days", "components"} <= set(data[0])
    r = _cli(tmp_path, "calendar", "due", "--received", "2023-02-30 09:32", "--days", "5")
    assert r.returncode == 2 and "không hợp lệ" in r.stderr and "Traceback" not in r.stderr
    r = _cli(tmp_path, "--lang", "en", "catalogue", "show", "0.000")
    assert r.returncode == 2 and "No procedure with code" in r.stderr
    r = _cli(tmp_path, "calendar", "set", "2025-12-01", "--kind", "holiday", "--name", "Nghỉ địa phương")
    assert r.returncode == 0
    r = _cli(tmp_path, "calendar", "due", "--received", "2025-11-28 16:00", "--days", "1")
    assert r.stdout == "2025-12-02 16:00\n"
    r = _cli(tmp_path, "audit", "verify")
    assert r.returncode == 0


def test_cli_favourites_of_a_counter(tmp_path: Path) -> None:
    r = _cli(tmp_path, "catalogue", "favourite", "add", "1.004884")
    assert r.returncode == 0 and "1.004884" in r.stdout, r.stderr
    r = _cli(tmp_path, "catalogue", "favourite", "add", "2.000884", "--counter", "2")
    assert r.returncode == 0, r.stderr
    assert _cli(tmp_path, "catalogue", "favourite", "add", "1.004884").returncode == 0  # already: said, not an error
    r = _cli(tmp_path, "catalogue", "favourite", "list", "--json")
    data = json.loads(r.stdout)
    assert data["counter"] == "1" and [f["code"] for f in data["favourites"]] == ["1.004884"]
    assert data["favourites"][0]["name"] == "Đăng ký lại khai sinh" and data["favourites"][0]["in_catalogue"]
    r = _cli(tmp_path, "catalogue", "favourite", "list", "--counter", "2")
    assert r.returncode == 0 and r.stdout.startswith("2.000884") and "Chứng thực chữ ký" in r.stdout
    r = _cli(tmp_path, "--lang", "en", "catalogue", "favourite", "add", "0.000")
    assert r.returncode == 2 and "No procedure with code" in r.stderr
    r = _cli(tmp_path, "--lang", "en", "catalogue", "favourite", "list", "--counter", "99")
    assert r.returncode == 2 and "No counter number 99" in r.stderr
    assert _cli(tmp_path, "catalogue", "favourite", "remove", "1.004884").returncode == 0
    assert _cli(tmp_path, "catalogue", "favourite", "remove", "1.004884").returncode == 1
    r = _cli(tmp_path, "--lang", "en", "catalogue", "favourite", "list")
    assert "no favourite procedures" in r.stdout
    r = _cli(tmp_path, "audit", "list")
    assert r.stdout.count("favourite.add") == 2 and r.stdout.count("favourite.remove") == 1, r.stdout
