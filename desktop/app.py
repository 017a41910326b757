"""The composition root: settings in, services out, each built once and closed in reverse.

Nothing else in the code base constructs services or reads global state; the CLI, the
Qt application and the tests all go through :class:`AppContext`. Services are built on
first use (a CLI command that only reads an image never opens the database), in a fixed
dependency order, and every one that holds a resource registers its cleanup.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from desktop.config import Settings, load_settings

if TYPE_CHECKING:
    from desktop.audit import AuditLog
    from desktop.auth import AuthService
    from desktop.catalogue import Catalogue
    from desktop.db import Database
    from desktop.dossiers import DossierService
    from desktop.outbox.service import Outbox
    from desktop.queue.service import QueueDesk
    from desktop.workdays import WorkCalendar
    from scanning.page_pool import PagePool

log = logging.getLogger(__name__)


class AppContext:
    def __init__(self, settings: Settings, *, migrate: bool = True) -> None:
        self.settings = settings
        self._auto_migrate = migrate
        self._cleanups: list[tuple[str, Callable[[], Any]]] = []

    @classmethod
    def from_cli(cls, args: argparse.Namespace) -> AppContext:
        return cls(load_settings(getattr(args, "data_dir", None), db_url=getattr(args, "db_url", None)))

    def on_close(self, name: str, fn: Callable[[], Any]) -> None:
        self._cleanups.append((name, fn))

    def close(self) -> None:
        while self._cleanups:
            name, fn = self._cleanups.pop()
            try:
                fn()
            except Exception:  # one failing cleanup must not keep the others from running
                log.exception("cleanup of %s failed", name)

    # --- services, in dependency order ----------------------------------------------

    @cached_property
    def db(self) -> Database:
        from desktop.db import Database
        from desktop.seed import ensure_seeded

        database = Database(self.settings.resolved_db_url())
        self.on_close("db", database.dispose)
        log.info("database %s", database.display_url())
        if self._auto_migrate:
            database.migrate(admin=False)  # an older PostgreSQL schema is the administrator's to upgrade
            ensure_seeded(database, self.settings)
        return database

    @cached_property
    def audit(self) -> AuditLog:
        from desktop.audit import AuditLog

        return AuditLog()

    @cached_property
    def auth(self) -> AuthService:
        from desktop.auth import AuthService

        return AuthService(self.db, self.audit)

    @cached_property
    def calendar(self) -> WorkCalendar:
        from desktop.workdays import WorkCalendar

        return WorkCalendar.from_database(self.db)

    @cached_property
    def catalogue(self) -> Catalogue:
        from desktop.catalogue import Catalogue

        return Catalogue(self.db)

    @cached_property
    def dossiers(self) -> DossierService:
        from desktop.dossiers import DossierService

        service = DossierService(self.db, self.audit, self.calendar, self.settings)
        service.add_listener(self.outbox.on_dossier_event)  # uploads are queued in the same transaction
        return service

    @cached_property
    def outbox(self) -> Outbox:
        from desktop.outbox.service import Outbox

        outbox = Outbox(self.db, self.audit, self.settings)
        self.on_close("outbox", outbox.close)  # its kept HTTP connection
        return outbox

    @cached_property
    def queue(self) -> QueueDesk:
        from desktop.queue.service import QueueDesk

        return QueueDesk(self.db, self.audit)

    @cached_property
    def page_pool(self) -> PagePool:
        """OCR page workers kept warm for the application's lifetime (one per core)."""
        from scanning.page_pool import PagePool

        pool = PagePool()
        self.on_close("page_pool", pool.close)
        return pool
