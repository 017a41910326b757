"""Encryption asked for in the Settings screen (issue 14): saved as a request, carried out at the next start.

The running application holds its database, so saving only asks; the next context that opens
the database converts it before its first connection and audits it as the administrator who
asked. Real SQLCipher, the 0600 key file (this machine has no keyring backend).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.auth import Actor, Role
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db import conversion
from desktop.db.cipher import read_header_encrypted
from desktop.db.storage import backups
from desktop.kernel.errors import InvalidInput
from desktop.selftest import check_encryption
from tests.core.test_encryption import HOLDER, _plain_workstation, _rows

# a database is encrypted when it is made: these start without the seeded copy (tests/conftest.py)
pytestmark = pytest.mark.fresh_data_dir

ADMIN = Actor("hoa.admin", Role.ADMIN)


def _ask(data_dir: Path, *, encrypt: bool) -> None:
    """What the Settings screen does: save the same settings with the box (un)ticked."""
    ctx = AppContext(load_settings(data_dir))
    try:
        ctx.db  # noqa: B018 - the application is running: the file is open
        change = dataclasses.replace(ctx.settings_service.current(), encrypt_db=encrypt)
        ctx.settings_service.save(ADMIN, change)
        assert read_header_encrypted(ctx.db.sqlite_path) is (not encrypt)  # nothing converted under it
        with ctx.db.session() as s:  # and the running application goes on with its database
            assert s.connection().exec_driver_sql("SELECT count(*) FROM dossier").scalar_one() >= 0
    finally:
        ctx.close()


def _audit_actions(ctx: AppContext) -> list[tuple[str, str]]:
    with ctx.db.session() as s:
        return [(e.action, e.actor) for e in ctx.audit.recent(s)]


def _dossiers(ctx: AppContext) -> int:
    with ctx.db.session() as s:
        return int(s.connection().exec_driver_sql("SELECT count(*) FROM dossier").scalar_one())


def test_asked_in_settings_encrypted_at_the_next_start_and_audited_as_the_admin(data_dir: Path) -> None:
    rows = _plain_workstation(data_dir, 5)
    path = data_dir / "private" / "motcua.db"
    _ask(data_dir, encrypt=True)
    request = conversion.pending(load_settings(data_dir))
    assert request is not None and request.encrypt and request.by == "hoa.admin"
    assert read_header_encrypted(path) is False
    ctx = AppContext(load_settings(data_dir))  # the next start
    try:
        assert ctx.db.key is not None and read_header_encrypted(path) is True
        assert _rows(path, ctx.db.key) == rows
        assert ("db.encrypt", "hoa.admin") in _audit_actions(ctx)
        assert conversion.pending(ctx.settings) is None and ctx.settings.encrypt_db
        assert ctx.settings_service.current().encrypt_db
        assert all(read_header_encrypted(b) for b in backups(ctx.settings))  # no plain copy left
    finally:
        ctx.close()
    # and back the same way
    _ask(data_dir, encrypt=False)
    ctx = AppContext(load_settings(data_dir))
    try:
        assert ctx.db.key is None and read_header_encrypted(path) is False and _rows(path, None) == rows
        assert ("db.decrypt", "hoa.admin") in _audit_actions(ctx)
    finally:
        ctx.close()


def test_a_start_while_another_program_holds_the_file_converts_nothing_and_keeps_the_request(
        data_dir: Path) -> None:
    rows = _plain_workstation(data_dir, 2)
    path = data_dir / "private" / "motcua.db"
    _ask(data_dir, encrypt=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        ctx = AppContext(load_settings(data_dir))
        try:  # the application starts on its plain database, and says why it did not convert
            assert ctx.db.key is None and read_header_encrypted(path) is False
            assert _dossiers(ctx) == 2
            request = conversion.pending(ctx.settings)
            assert request is not None and request.encrypt and request.last_error
            told = check_encryption(ctx.settings)  # motcua self-test says so, with what to do
            assert told is not None and not told.ok and request.last_error in told.detail
        finally:
            ctx.close()
    finally:
        holder.kill()
        holder.wait()
    ctx = AppContext(load_settings(data_dir))  # the kiosk closed: the next start does it
    try:
        key = ctx.db.key
        assert read_header_encrypted(path) is True and _rows(path, key) == rows
        assert conversion.pending(ctx.settings) is None
    finally:
        ctx.close()


def test_a_conversion_that_fails_for_any_reason_leaves_the_application_starting(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only "in use": a full disk during the export (an OSError from the driver) must not
    keep the counter from starting on its plain database."""
    from desktop.db import cipher

    rows = _plain_workstation(data_dir, 2)
    _ask(data_dir, encrypt=True)

    def full_disk(*_a: object, **_k: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cipher, "convert", full_disk)
    ctx = AppContext(load_settings(data_dir))
    try:
        assert ctx.db.key is None and _dossiers(ctx) == 2
        request = conversion.pending(ctx.settings)
        assert request is not None and "No space left" in request.last_error
    finally:
        ctx.close()
    assert _rows(data_dir / "private" / "motcua.db", None) == rows


def test_ticked_then_unticked_before_a_restart_leaves_nothing_to_do(data_dir: Path) -> None:
    _plain_workstation(data_dir, 1)
    ctx = AppContext(load_settings(data_dir))
    try:
        service = ctx.settings_service
        service.save(ADMIN, dataclasses.replace(service.current(), encrypt_db=True))
        assert conversion.pending(ctx.settings) is not None and service.current().encrypt_db
        service.save(ADMIN, dataclasses.replace(service.current(), encrypt_db=False))
        assert conversion.pending(ctx.settings) is None and not service.current().encrypt_db
    finally:
        ctx.close()
    ctx = AppContext(load_settings(data_dir))
    try:
        assert ctx.db.key is None and read_header_encrypted(data_dir / "private" / "motcua.db") is False
    finally:
        ctx.close()


def test_a_damaged_request_is_no_request(data_dir: Path) -> None:
    _plain_workstation(data_dir, 1)
    (data_dir / "private" / conversion.REQUEST).write_text("{not json", encoding="utf-8")
    ctx = AppContext(load_settings(data_dir))
    try:
        assert ctx.db.key is None and _dossiers(ctx) == 1
    finally:
        ctx.close()


@pytest.mark.parametrize("days", [-1, 3651])
def test_a_retention_period_out_of_range_is_refused(ctx: AppContext, days: int) -> None:
    before = ctx.settings.retention_days
    with pytest.raises(InvalidInput, match="0"):
        ctx.settings_service.save(ADMIN, dataclasses.replace(ctx.settings_service.current(), retention_days=days))
    assert ctx.settings.retention_days == before


def test_a_retention_period_is_saved_and_audited(ctx: AppContext) -> None:
    ctx.settings_service.save(ADMIN, dataclasses.replace(ctx.settings_service.current(), retention_days=90))
    assert ctx.settings.retention_days == 90
    assert "retention_days = 90" in ctx.settings.config_path().read_text(encoding="utf-8")
    with ctx.db.session() as s:
        events = [e.data for e in ctx.audit.recent(s) if e.action == "settings.save"]
    assert events and any(d["retention_days"] == 90 for d in events)


def test_a_server_database_is_not_encrypted_by_the_application(ctx: AppContext) -> None:
    change = dataclasses.replace(ctx.settings_service.current(), db_url="postgresql+psycopg://centre/motcua",
                                 encrypt_db=True)
    with pytest.raises(InvalidInput, match="PostgreSQL"):
        ctx.settings_service.save(ADMIN, change)
    assert conversion.pending(ctx.settings) is None
