"""Satisfaction ratings (linked to the visit, once, anonymous to the officer), exports, the monthly PDF."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import select

from desktop.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desktop.queue.models import Ticket
from desktop.reports.dashboard import dashboard
from desktop.reports.export import queue_table, write_csv, write_xlsx
from desktop.reports.models import SatisfactionLevel
from desktop.reports.monthly_pdf import write_monthly_report
from desktop.reports.period import Period, month_period
from desktop.reports.queue import queue_report
from desktop.reports.satisfaction import last_served_ticket, rate, rating_list, satisfaction_report
from tests.reports.conftest import ADMIN, KIOSK, World, play_day

DAY = Period(date(2026, 12, 2), date(2026, 12, 2))


def _tid(w: World, number: str) -> int:
    with w.db.session() as s:
        tid = s.scalar(select(Ticket.id).where(Ticket.number == number))
        assert tid is not None
        return int(tid)


def test_ratings_are_linked_to_the_visit_and_shared_per_officer(world: World) -> None:
    play_day(world)
    now = world.clock.now
    v = rate(world.db, KIOSK, _tid(world, "A001"), "very_satisfied", now=now)
    assert (v.ticket, v.counter_id, v.officer_id) == ("A001", 1, world.lan.officer_id)
    assert rate(world.db, KIOSK, _tid(world, "A002"), SatisfactionLevel.SATISFIED, now=now).dossier_code == \
        "000.00.06.H56-261202-0001"
    rate(world.db, KIOSK, _tid(world, "A004"), "not_satisfied", "chờ lâu", now=now)
    rate(world.db, KIOSK, _tid(world, "B002"), "satisfied", now=now)
    with pytest.raises(Conflict, match="đã được đánh giá"):
        rate(world.db, KIOSK, _tid(world, "A001"), "satisfied", now=now)
    with pytest.raises(Conflict, match="chưa được phục vụ"):
        rate(world.db, KIOSK, _tid(world, "A003"), "satisfied", now=now)  # a no-show
    with pytest.raises(InvalidInput, match="phải gắn với một số thứ tự"):
        rate(world.db, KIOSK, None, "satisfied", now=now)  # a rating without a ticket
    with pytest.raises(NotFound):
        rate(world.db, KIOSK, 999999, "satisfied", now=now)
    with pytest.raises(InvalidInput, match="Mức hài lòng"):
        rate(world.db, KIOSK, _tid(world, "A005"), "5 stars", now=now)
    r = satisfaction_report(world.db, ADMIN, DAY)
    rows = {x.key: x for x in r.rows}
    lan = rows["lan"]
    assert (lan.ratings, lan.not_satisfied, lan.satisfied, lan.very_satisfied) == (3, 1, 1, 1)
    assert lan.satisfied_or_better_share == round(2 / 3, 4)
    assert rows["minh"].satisfied_share == 1.0 and r.total.ratings == 4
    # anonymous to the officer: own shares only, never the list
    own = satisfaction_report(world.db, world.lan, DAY)
    assert [x.key for x in own.rows] == ["lan"]
    with pytest.raises(PermissionDenied, match="ẩn danh"):
        rating_list(world.db, world.lan, DAY)
    reasons = rating_list(world.db, world.sup_a, DAY, level="not_satisfied")
    assert [(x.officer, x.reason) for x in reasons] == [("lan", "chờ lâu")]


def test_the_rating_screen_finds_the_visit_just_served(world: World) -> None:
    play_day(world)
    assert last_served_ticket(world.db, 1, world.clock.now) == (_tid(world, "A005"), "A005")
    rate(world.db, KIOSK, _tid(world, "A005"), "satisfied", now=world.clock.now)
    assert last_served_ticket(world.db, 1, world.clock.now) == (_tid(world, "A004"), "A004")
    world.clock.at(60 + 31)
    assert last_served_ticket(world.db, 1, world.clock.now) is None  # too long ago: nobody is there


def test_dashboard_live_figures(world: World) -> None:
    play_day(world)
    world.clock.at(81)
    world.desk.issue(KIOSK, "TP")
    world.clock.at(91)
    d = dashboard(world.db, world.sup_top, now=world.clock.now)
    by = {x.code: x for x in d.services}
    assert (by["TP"].waiting, by["TP"].longest_wait_s, by["TP"].served_today) == (1, 600, 5)
    assert (by["KD"].waiting, by["KD"].longest_wait_s) == (1, 86 * 60)  # C001 since 08:05
    assert (d.waiting_now, d.longest_wait_s, d.served_today) == (2, 86 * 60, 6)
    assert (d.counters_open, d.counters_paused, d.counters_closed) == (1, 0, 4)
    assert d.wait_avg_today_s == 1020
    with pytest.raises(PermissionDenied):
        dashboard(world.db, world.lan)


def test_exports_csv_and_xlsx(world: World, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    play_day(world)
    t = queue_table(queue_report(world.db, ADMIN, DAY, "service", now=world.clock.now))
    rows = list(csv.reader(write_csv(t, tmp_path / "q.csv").open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["Nhóm", "Đến", "Đã phục vụ"] and rows[-1][:4] == ["Tổng", "8", "6", "1"]
    ws = load_workbook(write_xlsx([t], tmp_path / "q.xlsx"))["queue"]
    assert ws["A1"].value.startswith("Hàng đợi") and ws["A3"].value == "DD" and ws.cell(6, 7).value == 630


def test_monthly_pdf_is_pdfa_with_vietnamese_text(world: World, tmp_path: Path) -> None:
    """PDF/A-2b for the independent validator (tests/pdfa_check.py), and its fonts, pages and
    text as pikepdf, qpdf and poppler see them."""
    import subprocess

    from tests.pdfa_check import assert_pdfa

    play_day(world)
    out = write_monthly_report(world.db, ADMIN, month_period(2026, 12), tmp_path / "m.pdf", centre="TTPVHCC",
                               as_of=world.clock.now)
    assert_pdfa(out)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) >= 2
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        fonts = set()
        for page in pdf.pages:
            for _, f in page.Resources.get("/Font", {}).items():
                fonts.add(str(f.BaseFont))
                desc = f.get("/FontDescriptor") or f.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in desc, f"font {f.BaseFont} is not embedded"
        assert not any("Helvetica" in x or "Times-Roman" in x for x in fonts), fonts
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "BÁO CÁO THÁNG 12/2026" in text and "Thời gian chờ trung bình" in text and "17:00" in text
    assert "Danh sách hồ sơ trễ hạn" in text
