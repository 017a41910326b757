"""Passwords and permissions in the core: lockout, strength, forced change, built-in roles, entry points."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.audit import AuditLog
from desktop.auth import (
    AccountLocked,
    Actor,
    AuthService,
    Permission,
    password_problem,
    require,
)
from desktop.config import Settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent, CalendarDay, Officer, Role
from desktop.kernel.errors import InvalidInput, PermissionDenied
from desktop.kernel.timeutil import utcnow
from desktop.workdays import set_local_day, unset_local_day

ADMIN = Actor.cli()
GOOD = "Bàn-số-3-buổi-sáng"


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


def _count(ctx: AppContext, action: str) -> int:
    with ctx.db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)) or 0


def test_200_wrong_passwords_in_28_s_lock_the_account_and_the_right_one_waits(ctx: AppContext) -> None:
    ctx.auth.create_officer(ADMIN, username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER, password=GOOD)
    clock = Clock()
    auth = AuthService(ctx.db, ctx.audit, clock=clock)
    refused_locked = 0
    for i in range(200):  # the finding: 200 tries in 28 s, then success
        clock.now += timedelta(seconds=0.14)
        with pytest.raises((InvalidInput, AccountLocked)) as err:
            auth.sign_in("lan", f"doan-sai-{i}")
        refused_locked += isinstance(err.value, AccountLocked)
    checked = _count(ctx, "auth.sign_in_failed")
    assert checked <= 10, "a locked account must not even check the password"
    assert refused_locked == 200 - checked and _count(ctx, "auth.sign_in_locked") == refused_locked
    with pytest.raises(AccountLocked) as err:
        auth.sign_in("lan", GOOD)  # the right password, still during the lock
    assert "thử lại sau" in str(err.value)
    # persisted: another process (a new service over the same database) sees the same lock
    with pytest.raises(AccountLocked):
        AuthService(ctx.db, AuditLog(), clock=clock).sign_in("lan", GOOD)
    with ctx.db.session() as s:
        o = s.scalar(select(Officer).where(Officer.username == "lan"))
        assert o is not None and o.locked_until is not None
        clock.now = o.locked_until + timedelta(seconds=1)
    assert auth.sign_in("lan", GOOD).username == "lan"  # after the wait, and the count starts over
    with pytest.raises(InvalidInput):
        auth.sign_in("lan", "sai-mot-lan")


def test_unknown_user_is_audited_and_answers_like_a_wrong_password(ctx: AppContext) -> None:
    with pytest.raises(InvalidInput, match="Sai tên đăng nhập hoặc mật khẩu"):
        ctx.auth.sign_in("khong-co", GOOD)
    assert _count(ctx, "auth.sign_in_failed") == 1


def test_the_unknown_users_hash_costs_what_a_real_one_does() -> None:
    """The constant verified for an unknown name has the hasher's parameters: were argon2's
    defaults to change, a check against it would answer faster than one against a real hash."""
    from argon2 import extract_parameters

    from desktop import auth

    assert extract_parameters(auth._DUMMY_HASH) == extract_parameters(auth.hash_password("any-password-at-all"))
    assert not auth._hasher.check_needs_rehash(auth._DUMMY_HASH)


@pytest.mark.parametrize("weak", ["12345678", "short-1", "Mật khẩu 123", "lan.tran-2026", "PASSWORD123", "aaaaaaaaaaaa"])
def test_weak_passwords_are_refused(ctx: AppContext, weak: str) -> None:
    assert password_problem("lan.tran", weak) is not None
    with pytest.raises(InvalidInput):
        ctx.auth.create_officer(ADMIN, username="lan.tran", full_name="Lan", role=Role.COUNTER_OFFICER, password=weak)
    assert password_problem("lan.tran", GOOD) is None


def test_the_built_in_default_forces_a_change_and_a_given_one_counts_as_chosen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_ADMIN_PASSWORD", raising=False)
    c = AppContext(Settings(data_dir=tmp_path / "a"))
    try:
        admin = c.auth.sign_in("admin", "motcua-admin")
        assert admin.must_change_password
        with pytest.raises(PermissionDenied, match="đổi mật khẩu"):
            require(admin, Permission.MANAGE_OFFICERS)
        with pytest.raises(PermissionDenied):
            c.auth.create_officer(admin, username="eve", full_name="Eve", role=Role.ADMIN, password=GOOD)
        with pytest.raises(InvalidInput):
            c.auth.change_password("admin", "motcua-admin", "motcua-admin")
        changed = c.auth.change_password("admin", "motcua-admin", GOOD)
        assert not changed.must_change_password
        with pytest.raises(InvalidInput):
            c.auth.sign_in("admin", "motcua-admin")  # the public default no longer works
        require(c.auth.sign_in("admin", GOOD), Permission.MANAGE_OFFICERS)
        assert _count(c, "officer.password_change") == 1
    finally:
        c.close()
    monkeypatch.setenv("MOTCUA_ADMIN_PASSWORD", GOOD)
    c = AppContext(Settings(data_dir=tmp_path / "b"))
    try:
        assert not c.auth.sign_in("admin", GOOD).must_change_password
    finally:
        c.close()


def test_an_administrators_reset_unlocks_and_forces_a_change(ctx: AppContext) -> None:
    ctx.auth.create_officer(ADMIN, username="lan", full_name="Lan", role=Role.COUNTER_OFFICER, password=GOOD)
    for i in range(6):
        with pytest.raises((InvalidInput, AccountLocked)):
            ctx.auth.sign_in("lan", f"sai-{i}")
    ctx.auth.reset_password(ADMIN, "lan", "Tạm-thời-đổi-ngay-1")
    lan = ctx.auth.sign_in("lan", "Tạm-thời-đổi-ngay-1")
    assert lan.must_change_password
    counter = Actor(username="binh", role=Role.COUNTER_OFFICER)
    with pytest.raises(PermissionDenied):
        ctx.auth.reset_password(counter, "lan", GOOD)


def test_kiosk_and_board_are_restricted_built_in_roles(ctx: AppContext) -> None:
    kiosk, board = Actor.kiosk(), Actor.display_board()
    assert kiosk.can(Permission.ISSUE_TICKET) and board.can(Permission.VIEW_QUEUE)
    assert {p for p in Permission if kiosk.can(p)} == {Permission.ISSUE_TICKET}
    assert {p for p in Permission if board.can(p)} == {Permission.VIEW_QUEUE}
    for who in (kiosk, board):  # the kiosk used to run as a supervisor: calendar, queue management
        with pytest.raises(PermissionDenied), ctx.db.session() as s:
            set_local_day(s, date(2026, 1, 2), "holiday", actor=who, audit=ctx.audit)
    with pytest.raises(InvalidInput):
        ctx.auth.create_officer(ADMIN, username="k2", full_name="K", role=Role.KIOSK, password=GOOD)


def test_core_entry_points_check_permission_and_audit_in_the_same_transaction(ctx: AppContext, tmp_path: Path) -> None:
    counter = Actor(username="lan", role=Role.COUNTER_OFFICER)
    with pytest.raises(PermissionDenied), ctx.db.session() as s:
        set_local_day(s, date(2026, 1, 2), "holiday", actor=counter, audit=ctx.audit)
    with pytest.raises(PermissionDenied), ctx.db.session() as s:
        unset_local_day(s, date(2026, 1, 2), actor=counter, audit=ctx.audit)
    before = _count(ctx, "calendar.set")
    with pytest.raises(RuntimeError), ctx.db.session() as s:
        set_local_day(s, date(2026, 1, 2), "holiday", "Nghỉ", actor=ADMIN, audit=ctx.audit)
        raise RuntimeError("the caller's transaction fails")
    with ctx.db.session() as s:  # neither the day nor its audit record survived the rollback
        assert s.scalar(select(CalendarDay).where(CalendarDay.day == date(2026, 1, 2),
                                                  CalendarDay.source == "local")) is None
    assert _count(ctx, "calendar.set") == before
    with ctx.db.session() as s:
        set_local_day(s, date(2026, 1, 2), "holiday", "Nghỉ", actor=ADMIN, audit=ctx.audit)
    with ctx.db.session() as s:
        assert unset_local_day(s, date(2026, 1, 2), actor=ADMIN, audit=ctx.audit)
    assert _count(ctx, "calendar.set") == before + 1 and _count(ctx, "calendar.unset") == 1
    f = tmp_path / "cat.json"
    f.write_text(json.dumps({"procedures": []}), encoding="utf-8")
    with pytest.raises(PermissionDenied):
        ctx.catalogue.import_file(counter, f)
    with pytest.raises(PermissionDenied):
        ctx.outbox.drain(Actor.kiosk())
    with pytest.raises(PermissionDenied):
        ctx.outbox.drain(Actor.display_board())


def test_upgrade_forces_a_change_of_a_default_admin_password_already_in_use(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    from desktop.auth import hash_password
    from desktop.db import Database

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = db.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004_counter_sessions")  # an install from before this change
        for name, pw in (("admin", "motcua-admin"), ("lan", GOOD)):
            conn.execute(text("INSERT INTO officer (username, full_name, position, role, password_hash, active, "
                              "created_at) VALUES (:u, :u, '', 'admin', :h, 1, '2026-01-01 00:00:00')"),
                         {"u": name, "h": hash_password(pw)})
    db.migrate(backup=False)
    with db.session() as s:
        flags = {u: m for u, m in s.execute(select(Officer.username, Officer.must_change_password))}
    assert flags == {"admin": True, "lan": False}
    db.dispose()
