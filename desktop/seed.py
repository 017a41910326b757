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
    from desktop.auth import hash_password
    from desktop.catalogue import seed_catalogue
    from desktop.queue.seed import seed_queue
    from desktop.workdays import seed_calendar

    with db.session() as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == settings.unit_code))
        if unit is None:
            s.add(OrgUnit(code=settings.unit_code, name=settings.extra.get("unit_name", "Bộ phận Một cửa")))
        if s.scalar(select(Officer.id).limit(1)) is None:
            # The first administrator; the password comes from the environment on a real
            # install (MOTCUA_ADMIN_PASSWORD) and must be changed at first sign-in.
            password = os.environ.get("MOTCUA_ADMIN_PASSWORD", "motcua-admin")
            s.add(Officer(username=DEMO_ADMIN, full_name="Quản trị hệ thống", role=Role.ADMIN.value,
                          password_hash=hash_password(password)))
        counts = {
            "calendar": seed_calendar(s),
            "catalogue": seed_catalogue(s),
            "queue": seed_queue(s),
        }
    if any(counts.values()):
        log.info("seeded %s", counts)
