"""Saving the workstation's settings: permission, validation, audit and file in one go."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.auth import Actor, Role
from desktop.config import load_settings, read_config
from desktop.context import AppContext
from desktop.db.models import AuditEvent
from desktop.kernel.errors import InvalidInput, PermissionDenied
from desktop.settings_service import SettingsChange

ADMIN = Actor.cli()


def _change(ctx: AppContext, **kw: str) -> SettingsChange:
    return SettingsChange(**{**ctx.settings_service.current().__dict__, **kw})


def _audits(ctx: AppContext) -> list[AuditEvent]:
    with ctx.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "settings.save")))


def test_saved_audited_and_read_back(ctx: AppContext) -> None:
    path = ctx.settings_service.save(ADMIN, _change(ctx, unit_code=" 000.00.06.H56 ", language="en",
                                                   db_url="postgresql+psycopg://u@db.local/motcua"))
    assert read_config(path)["workstation"]["unit"] == "000.00.06.H56"
    assert ctx.settings.unit_code == "000.00.06.H56" and ctx.settings.language == "en"
    assert load_settings(ctx.settings.data_dir).unit_code == "000.00.06.H56"
    (event,) = _audits(ctx)
    assert event.data["unit_code"] == "000.00.06.H56" and event.data["db_url"] == "db.local/motcua"


def test_an_officer_may_not(ctx: AppContext) -> None:
    with pytest.raises(PermissionDenied):
        ctx.settings_service.save(Actor("lan", Role.COUNTER_OFFICER), _change(ctx, unit_code="X"))
    assert _audits(ctx) == []


@pytest.mark.parametrize("bad", [dict(language="fr"), dict(unit_code="  "), dict(dossier_url="ftp://x"),
                                 dict(db_url="motcua.db"),
                                 # a secret never goes into the settings file: the keyring holds it
                                 dict(db_url="postgresql+psycopg://u:secret@db.local/motcua")])
def test_bad_values_change_nothing(ctx: AppContext, bad: dict[str, str]) -> None:
    before = ctx.settings_service.current()
    with pytest.raises(InvalidInput):
        ctx.settings_service.save(ADMIN, _change(ctx, **bad))
    assert ctx.settings_service.current() == before and _audits(ctx) == []


def test_a_failed_write_leaves_no_audit_record(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.config import Settings

    def full_disk(self: Settings) -> Path:
        raise OSError(28, "No space left on device")

    before = ctx.settings_service.current()
    monkeypatch.setattr(Settings, "save", full_disk)
    with pytest.raises(OSError):
        ctx.settings_service.save(ADMIN, _change(ctx, unit_code="000.00.06.H56"))
    assert ctx.settings_service.current() == before and _audits(ctx) == []
