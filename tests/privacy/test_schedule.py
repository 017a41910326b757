"""The daily retention purge the application runs by itself (``desktop.privacy.schedule``).

Before, ``storage.retention_days`` only gave ``motcua privacy purge`` its default date:
unless someone ran the command, every closed dossier's personal data stayed for good.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import AuditEvent, Dossier, DossierStatus
from desktop.kernel.errors import PermissionDenied
from desktop.kernel.tasks import Cancelled, CancelToken
from desktop.kernel.timeutil import now_vn
from desktop.privacy.schedule import MARKER, last_purge, purge_due, scheduled_purge
from desktop.selftest import check_retention
from tests.outbox.exempt import exempt_components

ADMIN = Actor.cli()


def today() -> date:
    """Asked at each use (a constant taken at import went stale across midnight in Vietnam)."""
    return now_vn().date()


def _closed(ctx: AppContext, name: str) -> str:
    d = ctx.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=name,
                             applicant_id_number="079301234567", components=exempt_components(1))
    ctx.dossiers.set_status(ADMIN, d.code, DossierStatus.WITHDRAWN)
    ctx.outbox.drain(ADMIN)
    return d.code


def _name(ctx: AppContext, code: str) -> str:
    with ctx.db.session() as s:
        return s.scalars(select(Dossier.applicant_name).where(Dossier.code == code)).one()


def test_nothing_runs_without_a_retention_period(ctx: AppContext) -> None:
    code = _closed(ctx, "Phan Thị Thanh Tâm")
    ctx.settings.retention_days = 0
    assert not purge_due(ctx.settings)
    assert scheduled_purge(ctx.privacy, ctx.settings, today=today() + timedelta(days=400)) is None
    assert _name(ctx, code) == "Phan Thị Thanh Tâm" and last_purge(ctx.settings) is None


def test_purges_once_a_day_as_the_retention_actor(ctx: AppContext) -> None:
    code = _closed(ctx, "Phan Thị Thanh Tâm")
    ctx.settings.retention_days = 30
    day = today() + timedelta(days=20)
    report = scheduled_purge(ctx.privacy, ctx.settings, today=day)
    assert report is not None and report.items == []  # closed 20 days ago: kept
    assert _name(ctx, code) == "Phan Thị Thanh Tâm" and last_purge(ctx.settings) == day
    assert scheduled_purge(ctx.privacy, ctx.settings, today=day) is None  # done today

    later = today() + timedelta(days=31)
    assert purge_due(ctx.settings, later)
    report = scheduled_purge(ctx.privacy, ctx.settings, today=later)
    assert report is not None and [i.code for i in report.items] == [code]
    assert _name(ctx, code) == "" and last_purge(ctx.settings) == later
    with ctx.db.session() as s:
        actors = s.scalars(select(AuditEvent.actor).where(AuditEvent.action == "privacy.purge")).all()
        assert actors == ["retention"]
        assert not ctx.audit.verify(s)
    assert (ctx.settings.private_dir / MARKER).stat().st_mode & 0o077 == 0


def test_a_cancelled_or_failed_run_is_tried_again(ctx: AppContext) -> None:
    code = _closed(ctx, "Võ Văn Kiệt")
    ctx.settings.retention_days = 30
    later = today() + timedelta(days=31)
    token = CancelToken()
    token.cancel()  # the application closing while the purge runs
    with pytest.raises(Cancelled):
        scheduled_purge(ctx.privacy, ctx.settings, today=later, cancel=token)
    assert _name(ctx, code) == "Võ Văn Kiệt" and last_purge(ctx.settings) is None
    (ctx.settings.private_dir / MARKER).write_text("garbage", encoding="utf-8")
    assert purge_due(ctx.settings, later)  # a damaged marker does not stop the purge
    report = scheduled_purge(ctx.privacy, ctx.settings, today=later)
    assert report is not None and [i.code for i in report.items] == [code]


def test_the_retention_actor_can_do_nothing_else(ctx: AppContext) -> None:
    with pytest.raises(PermissionDenied):
        ctx.dossiers.receive(Actor.retention(), procedure_code="1.001193", applicant_name="X",
                             applicant_id_number="079301234567", components=exempt_components(1))
    with pytest.raises(PermissionDenied):
        ctx.outbox.drain(Actor.retention())


def test_self_test_says_when_the_purge_last_ran(ctx: AppContext) -> None:
    ctx.settings.retention_days = 0
    assert check_retention(ctx.settings) is None  # nothing asked for: nothing to check
    ctx.settings.retention_days = 30
    never = check_retention(ctx.settings)
    assert never is not None and not never.ok and not never.required
    scheduled_purge(ctx.privacy, ctx.settings, today=today())
    ran = check_retention(ctx.settings)
    assert ran is not None and ran.ok and today().isoformat() in ran.detail
    scheduled_purge(ctx.privacy, ctx.settings, today=today() - timedelta(days=5))  # a week-old run only
    stale = check_retention(ctx.settings)
    assert stale is not None and not stale.ok


def test_the_daily_purge_removes_old_national_store_copies(ctx: AppContext) -> None:
    """A copy taken from the national store for a reuse, used by no dossier: it goes with the
    scheduled purge once older than the retention period, as the retention actor."""
    from tests.privacy.test_purge import _national_copy

    copy = _national_copy(ctx, "unused")
    ctx.settings.retention_days = 30
    report = scheduled_purge(ctx.privacy, ctx.settings, today=today() + timedelta(days=20))
    assert report is not None and report.national_copies == [] and copy.exists()  # 20 days old: kept
    report = scheduled_purge(ctx.privacy, ctx.settings, today=today() + timedelta(days=31))
    assert report is not None and report.national_copies == [copy] and not copy.exists()
    with ctx.db.session() as s:
        actors = s.scalars(select(AuditEvent.actor).where(AuditEvent.action == "privacy.purge_national_copies"))
        assert list(actors) == ["retention"]
