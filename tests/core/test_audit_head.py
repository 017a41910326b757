"""The audit chain head on what the centre prints and keeps, and ``motcua audit verify --head`` (issue 14).

Before: the register, the monthly report, the reports and the self-test said nothing of the
chain, and a chain rewritten by someone holding the workstation's key (every hash and MAC
recomputed), or cut back with the head re-keyed, passed ``motcua audit verify`` when no anchor
had reached the dossier system yet. Now each page carries ``#SEQ:FINGERPRINT`` and
``verify --head`` checks that the chain still holds it. Each tampering is plain SQL on the
file, as in tests/core/test_audit_keyed.py, whose helper recomputes the hashes (and here the MACs).
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.kernel.timeutil import now_vn
from desktop.reports.monthly_pdf import write_monthly_report
from desktop.reports.period import month_period
from tests.cli import motcua
from tests.core.test_audit_keyed import _rehash_from

ADMIN = Actor.cli()
PRINTED = re.compile(r"Đầu chuỗi nhật ký kiểm toán: #(\d+):([0-9a-f]{16}) lúc \d\d:\d\d \d\d/\d\d/\d{4}")


@dataclass
class Printed:
    data: Path
    db: Path
    key: bytes
    #: the head as read back from the printed register
    seq: int
    fingerprint: str

    @property
    def ref(self) -> str:
        return f"{self.seq}:{self.fingerprint}"


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _receive(ctx: AppContext, n: int) -> None:
    for i in range(n):
        ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=f"Nguyễn Văn {i}")


def _verify(p: Printed, *extra: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    # --offline: no anchor was ever sent, which is the case the printed head covers
    return motcua(p.data, "--lang", lang, "audit", "verify", "--offline", *extra)


@pytest.fixture
def printed(tmp_path: Path) -> Printed:
    """A workstation whose register was printed after 4 dossiers; 3 more came after; no anchor sent."""
    data = tmp_path / "ws"
    ctx = AppContext(load_settings(data))
    try:
        _receive(ctx, 4)
        today = now_vn().date()
        reg = ctx.forms.register(today.replace(day=1), today, tmp_path / "so.pdf").path
        with ctx.db.session() as s:
            seq, digest = ctx.audit.head(s)
        _receive(ctx, 3)
        key, db = ctx.audit.key, ctx.db.sqlite_path
    finally:
        ctx.close()
    assert key is not None and db is not None
    found = PRINTED.findall(_text(reg))
    assert found and set(found) == {(str(seq), digest[:16])}, found  # on every page, the head it was made at
    return Printed(data, db, key, seq, digest[:16])


def test_the_register_pdf_and_xlsx_carry_the_head(tmp_path: Path) -> None:
    ctx = AppContext(load_settings(tmp_path / "ws"))
    try:
        _receive(ctx, 70)  # two pages at least: each one carries the head
        today = now_vn().date()
        with ctx.db.session() as s:
            seq, digest = ctx.audit.head(s)
        pdf = ctx.forms.register(today.replace(day=1), today, tmp_path / "so.pdf").path
        xlsx = ctx.forms.register(today.replace(day=1), today, tmp_path / "so.xlsx").path
    finally:
        ctx.close()
    pages = _text(pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert PRINTED.findall(page) == [(str(seq), digest[:16])], page[-400:]
    last = [r for r in load_workbook(xlsx).active.iter_rows(values_only=True) if r and r[0]][-1]
    assert PRINTED.fullmatch(str(last[0])) and f"#{seq}:{digest[:16]}" in str(last[0])


def test_the_monthly_report_carries_the_head_on_every_page(tmp_path: Path) -> None:
    ctx = AppContext(load_settings(tmp_path / "ws"))
    try:
        _receive(ctx, 3)
        with ctx.db.session() as s:
            seq, digest = ctx.audit.head(s)
        today = now_vn().date()
        out = write_monthly_report(ctx.db, ADMIN, month_period(today.year, today.month), tmp_path / "m.pdf",
                                   centre="TTPVHCC")
    finally:
        ctx.close()
    pages = [p for p in _text(out).split("\f") if p.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert PRINTED.findall(page) == [(str(seq), digest[:16])], page[-400:]


def test_the_reports_and_the_self_test_carry_the_head(tmp_path: Path) -> None:
    from desktop.selftest import check_audit_head

    data = tmp_path / "ws"
    ctx = AppContext(load_settings(data))
    try:
        _receive(ctx, 2)
        with ctx.db.session() as s:
            seq, digest = ctx.audit.head(s)
        check = check_audit_head(ctx.settings)
    finally:
        ctx.close()
    assert check is not None and check.ok and f"#{seq}:{digest[:16]}" in check.detail
    assert f"motcua audit verify --head {seq}:{digest[:16]}" in check.detail
    # the sign-in of each command below adds events after the head read: compare with the newest then
    r = motcua(data, "--lang", "en", "report", "dossiers", "--xlsx", str(tmp_path / "r.xlsx"))
    assert r.returncode == 0, r.stderr
    shown = re.findall(r"Audit chain head: #(\d+):([0-9a-f]{16}) at ", r.stdout)
    assert len(shown) == 1 and int(shown[0][0]) > seq
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert [c for (c,) in sheet.iter_rows(min_col=1, max_col=1, values_only=True) if c][-1].startswith(
        f"Audit chain head: #{shown[0][0]}:{shown[0][1]}")
    r = motcua(data, "report", "queue", "--json")
    head = json.loads(r.stdout)["audit_head"]
    assert head["seq"] > int(shown[0][0]) and len(head["fingerprint"]) == 16 and head["at"]
    # what was shown checks out against the chain
    assert motcua(data, "--lang", "en", "audit", "verify", "--head", f"{shown[0][0]}:{shown[0][1]}").returncode == 0


def test_verify_head_passes_on_the_untouched_chain(printed: Printed) -> None:
    r = _verify(printed, "--head", printed.ref)
    assert r.returncode == 0 and f"still holds the printed head #{printed.ref}" in r.stdout, r.stdout + r.stderr
    r = _verify(printed, "--head", f"#{printed.seq}:{printed.fingerprint.upper()}")  # as printed, in capitals
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_rewrite_with_the_key_passes_verify_but_not_the_printed_head(printed: Printed) -> None:
    with sqlite3.connect(printed.db) as conn:
        conn.execute("UPDATE audit_event SET actor = 'someone-else' WHERE seq = 2")
        _rehash_from(conn, 2, printed.key)
    assert _verify(printed).returncode == 0  # keyed and anchor-less: nothing else can tell
    r = _verify(printed, "--head", printed.ref)
    assert r.returncode == 1 and f"#{printed.seq}: event #{printed.seq} now has the fingerprint" in r.stdout, r.stdout
    assert "the chain was rewritten" in r.stdout
    r = _verify(printed, "--head", printed.ref, lang="vi")
    assert r.returncode == 1 and "chuỗi đã bị viết lại" in r.stdout, r.stdout


def test_a_rewrite_after_the_printed_head_leaves_it_standing(printed: Printed) -> None:
    """The page vouches for the events up to its head, not for those that came after it."""
    with sqlite3.connect(printed.db) as conn:
        conn.execute("UPDATE audit_event SET actor = 'someone-else' WHERE seq = ?", (printed.seq + 1,))
        _rehash_from(conn, printed.seq + 1, printed.key)
    r = _verify(printed, "--head", printed.ref)
    assert r.returncode == 0, r.stdout


def test_a_truncation_below_the_printed_head_is_caught(printed: Printed) -> None:
    with sqlite3.connect(printed.db) as conn:
        conn.execute("DELETE FROM audit_event WHERE seq >= ?", (printed.seq - 1,))
        _rehash_from(conn, printed.seq - 1, printed.key)  # the head moved back and re-keyed
    r = _verify(printed, "--head", printed.ref)
    assert r.returncode == 1 and f"the chain now ends at #{printed.seq - 2}" in r.stdout, r.stdout
    assert "(truncated)" in r.stdout
    r = _verify(printed, "--head", printed.ref, lang="vi")
    assert r.returncode == 1 and "chuỗi bị cắt" in r.stdout, r.stdout
    assert _verify(printed).returncode == 0  # keyed and anchor-less: nothing else can tell
    # the sign-ins of the two commands filled #3 and #4 again: the event at the printed
    # number is now another one, which is said too
    r = _verify(printed, "--head", printed.ref, lang="vi")
    assert r.returncode == 1 and "chuỗi đã bị viết lại" in r.stdout, r.stdout


def test_a_wiped_chain_is_caught(printed: Printed) -> None:
    with sqlite3.connect(printed.db) as conn:
        conn.execute("DELETE FROM audit_event")
        conn.execute("DELETE FROM audit_head")
    r = _verify(printed, "--head", printed.ref)
    assert r.returncode == 1 and "the chain now ends at #0" in r.stdout, r.stdout


def test_an_edit_below_the_head_without_rehashing_is_caught_by_the_chain(printed: Printed) -> None:
    """The event at the head still has its hash, but the events before it no longer hash into it."""
    with sqlite3.connect(printed.db) as conn:
        conn.execute("UPDATE audit_event SET actor = 'someone-else' WHERE seq = 2")
    r = _verify(printed, "--head", printed.ref)
    assert r.returncode == 1 and "#2: edited" in r.stdout, r.stdout


@pytest.mark.parametrize("bad", ["12", "x:9f86d081884c7d65", "12:xyz", "12:9f86"])
def test_a_head_that_is_not_one_is_said_plainly(printed: Printed, bad: str) -> None:
    r = _verify(printed, "--head", bad)
    assert r.returncode == 2 and "is not a printed chain head: SEQ:FINGERPRINT is needed" in r.stderr, r.stderr


def test_the_head_of_an_empty_log(tmp_path: Path) -> None:
    from desktop.audit import AuditLog
    from desktop.db import Database

    db = Database(f"sqlite:///{tmp_path / 'e.db'}")
    db.migrate()
    try:
        with db.session() as s:
            log = AuditLog(b"k" * 32)
            stamp = log.stamp(s)
            assert (stamp.seq, stamp.ref) == (0, "0:" + "0" * 16) and stamp.at.date() <= date.today()
            assert log.verify_head(s, 0, "0" * 16) == [] and log.verify_head(s, 0, "1" * 16)
            assert log.verify_head(s, 1, "0" * 16)  # nothing was ever written at #1
    finally:
        db.dispose()
