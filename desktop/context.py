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
    from desktop.forms.service import FormService
    from desktop.lifecycle.service import LifecycleService
    from desktop.outbox.adapters.base import Adapter
    from desktop.outbox.service import Outbox
    from desktop.outbox.uploader import Uploader
    from desktop.privacy.purge import PrivacyService
    from desktop.queue.desk import QueueDesk
    from desktop.settings_service import SettingsService
    from desktop.store.service import DocumentStore
    from desktop.workdays import WorkCalendar
    from desktop.workflow.counter import CounterWork
    from desktop.workflow.favourites import CounterFavourites
    from desktop.workflow.form_desk import FormDesk
    from desktop.workflow.workspace import DossierWorkspace
    from scanning.page_pool import PagePool

log = logging.getLogger(__name__)


class AppContext:
    def __init__(self, settings: Settings, *, migrate: bool = True,
                 adapter_factory: Callable[[], Adapter] | None = None) -> None:
        """``adapter_factory`` replaces the dossier-system adapter the settings name (tests, tools)."""
        self.settings = settings
        self._auto_migrate = migrate
        self._adapter_factory = adapter_factory
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
        from desktop.db.conversion import convert_if_asked, record_conversion
        from desktop.db.storage import open_database

        # an encryption asked for in the Settings screen happens here, before the first connection
        converted = convert_if_asked(self.settings)
        # guarded (a vanished database is not recreated), migrated, seeded, backed up daily
        database = open_database(self.settings, migrate=self._auto_migrate, admin=False)
        self.on_close("db", database.dispose)
        log.info("database %s", database.display_url())
        if converted is not None:
            record_conversion(self.settings, database, _audit_log(self.settings, database), converted)
        return database

    @cached_property
    def audit(self) -> AuditLog:
        return _audit_log(self.settings, self.db)

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

        return Catalogue(self.db, self.audit)

    @cached_property
    def dossiers(self) -> DossierService:
        from desktop.dossiers import DossierService
        from desktop.lifecycle.service import reception_listener

        service = DossierService(self.db, self.audit, self.calendar, self.settings)
        service.add_listener(reception_listener)  # fees and due history, before the upload is queued
        service.add_listener(self.outbox.on_dossier_event)  # uploads are queued in the same transaction
        return service

    @cached_property
    def store(self) -> DocumentStore:
        """The citizen's document store; a reuse re-verifies against the signing trust anchors."""
        from pathlib import Path

        from desktop.store.service import DocumentStore

        trust = [Path(t) for t in self.settings.extra.get("signing", {}).get("trust", [])]
        # the national store through the outbox's adapter (its connection and token), where it has one
        return DocumentStore(self.db, self.audit, self.dossiers, trust, national=self.outbox.national_store,
                             keep_dir=self.settings.files_dir / "national-store")

    @cached_property
    def lifecycle(self) -> LifecycleService:
        from desktop.lifecycle.service import LifecycleService

        return LifecycleService(self.db, self.audit, self.calendar, self.settings, self.dossiers)

    @cached_property
    def forms(self) -> FormService:
        from desktop.forms.service import FormService

        return FormService(self.db, self.settings)

    @cached_property
    def form_desk(self) -> FormDesk:
        """Forms issued for a dossier: rendered, sealed as electronic forms, recorded."""
        from desktop.workflow.form_desk import FormDesk

        return FormDesk(self.db, self.audit, self.forms, self.dossiers, self.outbox)

    @cached_property
    def outbox(self) -> Outbox:
        from desktop.db.storage import instance_id
        from desktop.outbox.service import Outbox

        outbox = Outbox(self.db, self.audit, self.settings, adapter_factory=self._adapter_factory,
                        instance=instance_id(self.settings, self.db))
        self.on_close("outbox", outbox.close)  # its kept HTTP connection
        return outbox

    @cached_property
    def privacy(self) -> PrivacyService:
        """Retention of personal data: the purge of closed, delivered dossiers' local copies."""
        from desktop.privacy.purge import PrivacyService

        return PrivacyService(self.db, self.audit, self.settings)

    @cached_property
    def uploader(self) -> Uploader:
        """The background uploader; the application shell starts it (a CLI run drains itself)."""
        from desktop.outbox.uploader import Uploader
        from desktop.selftest import check_dossier_system

        uploader = Uploader(self.outbox, probe=lambda: check_dossier_system(self.settings).ok)
        self.on_close("uploader", uploader.stop)  # before the outbox's connection is closed
        return uploader

    @cached_property
    def settings_service(self) -> SettingsService:
        from desktop.settings_service import SettingsService

        return SettingsService(self.db, self.audit, self.settings)

    @cached_property
    def queue(self) -> QueueDesk:
        from desktop.queue.desk import QueueDesk

        return QueueDesk(self.db, self.audit)

    @cached_property
    def counter(self) -> CounterWork:
        """A dossier at the counter: receive, digitize, sign, finish (the application layer)."""
        from desktop.workflow.counter import CounterWork

        return CounterWork(self.db, self.audit, self.settings, self.dossiers, self.queue, self.outbox,
                           page_pool=self.started_page_pool, lifecycle=self.lifecycle)

    @cached_property
    def favourites(self) -> CounterFavourites:
        """The favourite procedures of this workstation's counter, and reception's list order."""
        from desktop.workflow.favourites import CounterFavourites

        return CounterFavourites(self.db, self.audit, self.settings, self.catalogue)

    @cached_property
    def workspace(self) -> DossierWorkspace:
        """The dossier list and page: reads, and edits checked against the version shown."""
        from desktop.workflow.workspace import DossierWorkspace

        return DossierWorkspace(self.db, self.audit, self.calendar, self.lifecycle)

    def started_page_pool(self) -> PagePool | None:
        """The warm page workers once something started them (``page_pool``), else None: a
        one-shot run makes its own, the scan screen's previews then run on its threads."""
        return self.__dict__.get("page_pool")

    @cached_property
    def page_pool(self) -> PagePool:
        """OCR page workers kept warm for the application's lifetime (one per core)."""
        from scanning.leftovers import sweep_parts
        from scanning.page_pool import PagePool

        sweep_parts([self.settings.files_dir])  # outputs a killed run left unfinished
        pool = PagePool()
        self.on_close("page_pool", pool.close)
        return pool


def _audit_log(settings: Settings, db: Database) -> AuditLog:
    from desktop.audit import AuditLog
    from desktop.audit_key import load_key
    from desktop.db.storage import instance_id

    # keyed with this workstation's key, kept outside the database (OS keyring or a 0600 file)
    key = load_key(settings, instance_id(settings, db))
    return AuditLog(key.key if key else None, shared=db.is_postgres)
