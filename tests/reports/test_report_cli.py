"""``motcua report``: the JSON keys the issue lists, exports, and bad input as a message, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli.main import main
from tests.cli import ADMIN, ADMIN_PASSWORD

KEYS = {"key", "arrived", "served", "no_show", "wait_avg_s", "wait_p50_s", "wait_p90_s", "wait_max_s",
        "wait_over_15min_share", "service_avg_s", "service_p90_s", "service_over_30min_share", "wait_buckets"}


@pytest.fixture(autouse=True)
def _signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_USER", ADMIN)
    monkeypatch.setenv("MOTCUA_PASSWORD", ADMIN_PASSWORD)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_queue_json_has_the_listed_keys(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "queue", "issue", "--service", "TP")
    assert code == 0, out
    code, out, _ = run(capsys, "queue", "call-next", "--counter", "1")
    code, out, _ = run(capsys, "queue", "end", "--counter", "1")
    for by in ("service", "counter", "officer", "hour"):
        code, out, err = run(capsys, "report", "queue", "--by", by, "--json")
        assert code == 0, err
        data = json.loads(out)
        assert data["rows"] and set(data["rows"][0]) >= KEYS, data
        assert len(data["rows"][0]["wait_buckets"]) == 7 and data["total"]["served"] == 1


def test_empty_period_is_an_empty_report(data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "report", "queue", "--from", "2025-01-01", "--to", "2025-01-31", "--json")
    assert code == 0 and json.loads(out)["rows"] == []
    code, out, _ = run(capsys, "report", "dossiers", "--month", "2025-01", "--json")
    assert code == 0 and json.loads(out)["rows"] == [] and json.loads(out)["total"]["received"] == 0
    code, out, _ = run(capsys, "report", "late", "--month", "2025-01")
    assert code == 0 and "không có số liệu" in out
    code, out, _ = run(capsys, "report", "queue", "--from", "2025-01-01", "--xlsx", str(tmp_path / "q.xlsx"),
                       "--csv", str(tmp_path / "q.csv"))
    assert code == 0 and (tmp_path / "q.xlsx").stat().st_size > 0 and (tmp_path / "q.csv").read_text("utf-8-sig")
    code, out, _ = run(capsys, "report", "monthly", "--month", "2025-01", "-o", str(tmp_path / "m.pdf"))
    assert code == 0 and (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("argv", "message"), [
    (("report", "dossiers", "--month", "2026-13"), "không đúng dạng YYYY-MM"),
    (("report", "late", "--month", "13/2026"), "không đúng dạng YYYY-MM"),
    (("report", "queue", "--from", "2026-12-05", "--to", "2026-12-01"), "sau ngày kết thúc"),
    (("report", "queue", "--from", "2016-01-01", "--to", "2025-12-31"), "quá dài"),
    (("report", "queue", "--from", "2026-02-30"), "không hợp lệ"),
    (("report", "queue", "--by", "colour"), "--by “colour” không hợp lệ"),
    (("report", "dossiers", "--by", "hour"), "--by “hour” không hợp lệ"),
    (("report", "rate", "--ticket", "Z999", "--level", "satisfied"), "Không có số Z999"),
    (("report", "rate", "--ticket", "A001", "--level", "great"), "Mức hài lòng “great” không hợp lệ"),
])
def test_bad_input_is_a_clear_message(data_dir: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
                                      message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err + out and "Traceback" not in err + out
