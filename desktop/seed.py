"""First-run data: the unit of this workstation, an administrator, the calendar, the catalogue,
the default queue services and counters.

Every seeding step is idempotent and runs after each migration check, so a new release
that ships more catalogue entries or calendar years fills them in on the next start.
"""

from __future__ import annotations

import logging
import os

from sqlalchemy import select

from desktop.config import Settings
from desktop.db import Database
from desktop.db.models import Officer, OrgUnit, Role

log = logging.getLogger(__name__)

DEMO_ADMIN = "admin"


def ensure_seeded(db: Database, settings: Settings) -> None:
    from desktop.auth import BUILT_IN_ADMIN_PASSWORD, hash_password, password_problem
    from desktop.catalogue import seed_catalogue
    from desktop.queue.seed import seed_queue
    from desktop.workdays import seed_calendar

    with db.session() as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == settings.unit_code))
        if unit is None:
            s.add(OrgUnit(code=settings.unit_code, name=settings.extra.get("unit_name", "Bộ phận Một cửa")))
        if s.scalar(select(Officer.id).limit(1)) is None:
            # The first administrator. A password given by the installer (MOTCUA_ADMIN_PASSWORD)
            # counts as chosen; the built-in default is public and must be changed at the
            # first sign-in, as must a given one too weak to keep.
            chosen = os.environ.get("MOTCUA_ADMIN_PASSWORD", "")
            weak = bool(chosen) and password_problem(DEMO_ADMIN, chosen) is not None
            if weak:
                log.warning("MOTCUA_ADMIN_PASSWORD is too weak to keep: it must be changed at the first sign-in")
            s.add(Officer(username=DEMO_ADMIN, full_name="Quản trị hệ thống", role=Role.ADMIN.value,
                          password_hash=hash_password(chosen or BUILT_IN_ADMIN_PASSWORD),
                          must_change_password=not chosen or weak))
        counts = {
            "calendar": seed_calendar(s),
            "catalogue": seed_catalogue(s),
            "queue": seed_queue(s),
        }
    if any(counts.values()):
        log.info("seeded %s", counts)
