"""The command line signs in: data commands need an officer, local utilities none.

Before, every command ran as an administrator (``Actor.cli()``) for any OS user.
"""

from __future__ import annotations

import argparse
import os
import re
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from desktop.cli.main import build_parser, main
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import CliSession, Officer
from tests.cli import ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]

#: needs a signed-in officer: a sample invocation of each
SIGNED_IN: dict[str, list[str]] = {
    "audit verify": [], "audit list": [],
    "calendar set": ["2026-01-02", "--kind", "holiday"], "calendar unset": ["2026-01-02"],
    "catalogue import": ["x.json"],
    # a counter's shared list, audited under the officer's name
    "catalogue favourite add": ["1.001193"], "catalogue favourite remove": ["1.001193"],
    "db migrate": [],
    "dossier submit": ["--procedure", "1.001193", "--owner", "Nguyễn Văn An"], "dossier show": ["X"],
    "dossier search": ["khai", "sinh"],
    "officer add": ["eve", "--name", "Eve", "--role", "admin"], "officer list": [], "officer passwd": ["lan"],
    "outbox list": [], "outbox retry": ["1"], "outbox drain": [],
    "queue issue": ["--service", "TP"], "queue call-next": ["--counter", "1"], "queue start": ["--counter", "1"],
    "queue end": ["--counter", "1"], "queue skip": ["--counter", "1"], "queue recall": ["A001", "--counter", "1"],
    "queue transfer": ["--counter", "1", "--service", "TP"], "queue import-appointments": ["a.csv"],
    "queue check-in": ["X"], "queue session": ["open", "--counter", "1"], "queue status": [],
    "report indicators": [], "report queue": [], "report dossiers": ["--month", "2026-11"],
    "report late": ["--month", "2026-11"], "report monthly": ["--month", "2026-11", "-o", "m.pdf"],
    "report satisfaction": ["--month", "2026-11"], "report sessions": [],
    "report rate": ["--ticket", "A001", "--level", "satisfied"],
    "sign": ["in.pdf", "-o", "out.pdf", "--demo-token"],
    "audit anchor": [], "db backup": [], "db encrypt": [], "db decrypt": [], "db key": [],
    "dossier list": [], "dossier sign": ["X", "--demo-token"],
    "dossier supplement": ["X", "--reason", "r"], "dossier resume": ["X"], "dossier process": ["X"],
    "dossier handoff": ["X", "--to", "Trần Văn B", "--department", "Phòng Tư pháp"],
    "dossier refuse": ["X", "--reason", "r"], "dossier extend": ["X", "--reason", "r", "--new-due", "2031-01-02 08:00"],
    "dossier stop": ["X", "--reason", "r"], "dossier withdraw": ["X"],
    "dossier fee": ["X", "--paid", "--method", "cash"], "dossier result": ["X", "--file", "r.pdf", "--demo-token"],
    "dossier return": ["X", "--id-number", "079301234567"], "dossier post list": [],
    "dossier post sent": ["X", "--waybill", "W1"], "dossier post delivered": ["X"],
    "dossier notify": ["X", "--form", "04"],
    "forms render": ["01", "--dossier", "X", "-o", "f.pdf"],
    "forms register": ["--from", "2026-01-01", "--to", "2026-01-31", "-o", "r.pdf"],
    # the citizen's document store: each look-up is personal data, audited under the officer's name
    "store list": ["--id-number", "079301234567"],
    "dossier reuse": ["X", "--component", "C1", "--document", "1"],
    # deletes citizens' data: an administrator, audited under the officer's name
    "privacy purge": ["--before", "2026-01-01", "--dry-run"],
}
#: local utilities (no database, or only public reference data) and the screens with their own sign-in
LOCAL = {"calendar due", "calendar holidays", "catalogue list", "catalogue search", "catalogue show", "cccd",
         # which procedures a counter lists first: codes and names, nobody's personal data
         "catalogue favourite list",
         "digitize", "ocr", "scan", "tokens", "verify", "self-test", "dossier-server", "db status", "login", "logout",
         "forms list",
         # the OS account that owns the private data directory (0700): they must work when the
         # database is damaged or gone, when nobody can sign in
         "db check", "db init", "db restore",
         # the workstation's settings files: the OS account's (user file) or the machine
         # administrator's (system file); secrets go to that account's keyring
         "config show", "config check", "config set", "config unset",
         # the centre's PostgreSQL: the administrator's database role is the authority
         "db init-centre"}
OWN_SIGN_IN = {"demo": "signs itself in on a demo workstation only"}
#: the window commands (ui.cli adds them): each has its own sign-in
WINDOWS = {"gui": "login dialog", "kiosk": "Role.KIOSK", "display-board": "Role.DISPLAY_BOARD",
           "rating-screen": "Role.KIOSK (the citizen rates, anonymously to the officer)"}


def _leaves(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {prefix.strip()}
    out: set[str] = set()
    for name, p in subs[0].choices.items():
        out |= _leaves(p, f"{prefix} {name}")
    return out


def test_every_command_is_classified() -> None:
    from ui.cli import WINDOW_COMMANDS

    assert _leaves(build_parser()) == set(SIGNED_IN) | LOCAL | set(OWN_SIGN_IN)
    assert _leaves(build_parser(WINDOW_COMMANDS)) - _leaves(build_parser()) == set(WINDOWS)


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for var in ("MOTCUA_USER", "MOTCUA_PASSWORD", "MOTCUA_NEW_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115 - closed with the test process
    return tmp_path / "data"


def _run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def test_data_commands_refuse_without_sign_in(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command, extra in SIGNED_IN.items():
        assert _run(fresh, *command.split(), *extra) == 3, command
        err = capsys.readouterr().err
        assert "cần cán bộ đăng nhập" in err and "motcua login" in err, (command, err)
    assert _run(fresh, "calendar", "due", "--received", "2025-11-28 16:00", "--days", "1") == 0
    assert _run(fresh, "catalogue", "list", "--json") == 0


def test_wrong_password_and_role_checks_as_in_the_window(fresh: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MOTCUA_USER", "admin")
    monkeypatch.setenv("MOTCUA_PASSWORD", "doan-bua")
    assert _run(fresh, "officer", "list") == 2 and "Sai tên đăng nhập" in capsys.readouterr().err
    monkeypatch.setenv("MOTCUA_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("MOTCUA_NEW_PASSWORD", "Quầy-số-một-buổi-sáng")
    assert _run(fresh, "officer", "add", "lan", "--name", "Trần Thị Lan", "--role", "counter_officer") == 0
    monkeypatch.delenv("MOTCUA_NEW_PASSWORD")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("Quầy-số-một-buổi-sáng\n"))
    monkeypatch.delenv("MOTCUA_PASSWORD")
    # a counter officer, password from stdin: may issue a ticket, may not edit the calendar
    assert _run(fresh, "--user", "lan", "calendar", "set", "2026-01-02", "--kind", "holiday") == 3
    assert "không được phép" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("Quầy-số-một-buổi-sáng\n"))
    assert _run(fresh, "--user", "lan", "queue", "issue", "--service", "TP") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "A001"


def test_cli_lockout_refuses_the_right_password(fresh: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MOTCUA_USER", "admin")
    ctx = AppContext(load_settings(fresh))
    try:
        for i in range(9):  # each lock is waited out (moved into the past), as a patient guesser would
            monkeypatch.setenv("MOTCUA_PASSWORD", f"sai-{i}")
            assert _run(fresh, "audit", "list") == 2
            if i < 8:
                with ctx.db.session() as s:
                    s.execute(update(Officer).where(Officer.username == "admin")
                              .values(locked_until=None))
        with ctx.db.session() as s:
            o = s.scalar(select(Officer).where(Officer.username == "admin"))
            assert o is not None and o.failed_sign_ins == 9 and o.locked_until is not None
            assert o.locked_until - ctx.auth.clock() > timedelta(seconds=10)  # 16 s after the ninth
        capsys.readouterr()
        monkeypatch.setenv("MOTCUA_PASSWORD", ADMIN_PASSWORD)
        assert _run(fresh, "audit", "list") == 3
        assert "tạm khóa" in capsys.readouterr().err
    finally:
        ctx.close()


def test_login_session_is_0600_expires_and_ends_with_logout(fresh: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MOTCUA_PASSWORD", ADMIN_PASSWORD)
    assert _run(fresh, "login", "admin", "--hours", "1") == 0
    monkeypatch.delenv("MOTCUA_PASSWORD")
    files = list((tmp_path / "state" / "motcua" / "sessions").glob("*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    token = __import__("json").loads(files[0].read_text())["token"]
    assert _run(fresh, "officer", "list") == 0
    ctx = AppContext(load_settings(fresh))
    try:
        with ctx.db.session() as s:  # only the token's hash is in the database
            assert s.scalar(select(CliSession.token_hash)) != token
            assert token not in repr(list(s.execute(select(CliSession.__table__))))
        files[0].chmod(0o644)
        assert _run(fresh, "officer", "list") == 3 and "không an toàn" in capsys.readouterr().err
        files[0].chmod(0o600)
        with ctx.db.session() as s:
            s.execute(update(CliSession).values(expires_at=ctx.auth.clock() - timedelta(seconds=1)))
        assert _run(fresh, "officer", "list") == 3 and "hết hạn" in capsys.readouterr().err
        assert not files[0].exists()  # the dead session's file is gone
        monkeypatch.setenv("MOTCUA_PASSWORD", ADMIN_PASSWORD)
        assert _run(fresh, "login", "admin") == 0
        monkeypatch.delenv("MOTCUA_PASSWORD")
        assert _run(fresh, "logout") == 0
        with ctx.db.session() as s:
            assert s.scalar(select(CliSession.id)) is None
        assert _run(fresh, "officer", "list") == 3
    finally:
        ctx.close()


def test_built_in_default_password_must_be_changed_first(fresh: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("MOTCUA_ADMIN_PASSWORD")
    monkeypatch.setenv("MOTCUA_USER", "admin")
    monkeypatch.setenv("MOTCUA_PASSWORD", "motcua-admin")
    assert _run(fresh, "officer", "list") == 3 and "đổi mật khẩu" in capsys.readouterr().err
    assert _run(fresh, "login") == 3
    monkeypatch.setenv("MOTCUA_NEW_PASSWORD", "12345678")
    assert _run(fresh, "officer", "passwd") == 2 and "ký tự" in capsys.readouterr().err
    monkeypatch.setenv("MOTCUA_NEW_PASSWORD", "Quản-trị-mới-2026")
    assert _run(fresh, "officer", "passwd") == 0
    monkeypatch.setenv("MOTCUA_PASSWORD", "Quản-trị-mới-2026")
    assert _run(fresh, "officer", "list") == 0


def test_the_demo_signs_itself_in_only_on_a_demo_workstation(fresh: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.demo import DEMO_MARKER, demo_admin
    from desktop.kernel.errors import Conflict

    monkeypatch.delenv("MOTCUA_ADMIN_PASSWORD")
    ctx = AppContext(load_settings(fresh))
    try:
        admin = demo_admin(ctx)
        assert admin.username == "admin" and not admin.must_change_password
        marker = fresh / DEMO_MARKER
        assert stat.S_IMODE(marker.stat().st_mode) == 0o600
        with pytest.raises(Exception, match="Sai"):
            ctx.auth.sign_in("admin", "motcua-admin")  # the public default is gone
        assert demo_admin(ctx).username == "admin"  # again, with the password it chose
    finally:
        ctx.close()
    real = fresh.parent / "real"
    monkeypatch.setenv("MOTCUA_ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("MOTCUA_USER", "admin")
    monkeypatch.setenv("MOTCUA_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("MOTCUA_NEW_PASSWORD", "Quầy-số-một-buổi-sáng")
    assert _run(real, "officer", "add", "lan", "--name", "Lan", "--role", "counter_officer") == 0
    ctx = AppContext(load_settings(real))
    try:
        with pytest.raises(Conflict, match="dữ liệu thật"):
            demo_admin(ctx)  # never fills a workstation that has real accounts
    finally:
        ctx.close()


def test_no_entry_point_acts_as_the_test_administrator() -> None:
    found = [str(p.relative_to(ROOT)) for d in ("desktop", "ui") for p in (ROOT / d).rglob("*.py")
             if re.search(r"Actor\.cli\(\)|Actor\([^)]*Role\.(ADMIN|SUPERVISOR)", p.read_text(encoding="utf-8"))
             and p.name != "auth.py"]
    assert found == []
