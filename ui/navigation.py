"""The areas of the main window, which role may open each, and the widget that fills it.

Each page class takes ``(ctx, actor, parent)``. Pages are imported and built the first
time they are opened, so start-up does not pay for screens the officer never uses.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.auth import Actor, Permission


@dataclass(frozen=True)
class Area:
    key: str
    title: str  # English source; translated in context "Navigation"
    permission: Permission
    factory: str  # "module:Class"
    icon: str = ""

    def load(self) -> type:
        module, _, cls = self.factory.partition(":")
        return getattr(importlib.import_module(module), cls)  # type: ignore[no-any-return]

    @property
    def installed(self) -> bool:
        """Whether this build ships the page's module (an optional area may be left out)."""
        try:
            return importlib.util.find_spec(self.factory.partition(":")[0]) is not None
        except ModuleNotFoundError:  # the parent package is not there either
            return False


AREAS: tuple[Area, ...] = (
    Area("counter", QT_TRANSLATE_NOOP("Navigation", "Counter"), Permission.SERVE_QUEUE,
         "ui.queue.counter_panel:CounterPanel"),
    Area("reception", QT_TRANSLATE_NOOP("Navigation", "Reception"), Permission.RECEIVE_DOSSIER,
         "ui.reception_view:ReceptionView"),
    Area("scanning", QT_TRANSLATE_NOOP("Navigation", "Scanning"), Permission.SCAN, "ui.scan_view:ScanView"),
    Area("signing", QT_TRANSLATE_NOOP("Navigation", "Signing"), Permission.SIGN_PERSONAL,
         "ui.signing_view:SigningView"),
    Area("queue", QT_TRANSLATE_NOOP("Navigation", "Queue"), Permission.MANAGE_QUEUE,
         "ui.queue.overview:QueueOverview"),
    Area("dashboard", QT_TRANSLATE_NOOP("Navigation", "Dashboard"), Permission.MANAGE_QUEUE,
         "ui.reports.dashboard:DashboardView"),
    Area("outbox", QT_TRANSLATE_NOOP("Navigation", "Outbox"), Permission.UPLOAD, "ui.outbox_view:OutboxView"),
    Area("reports", QT_TRANSLATE_NOOP("Navigation", "Reports"), Permission.VIEW_REPORTS,
         "ui.reports_view:ReportsView"),
    Area("settings", QT_TRANSLATE_NOOP("Navigation", "Settings"), Permission.MANAGE_SETTINGS,
         "ui.settings_view:SettingsView"),
)


def areas_for(actor: Actor) -> list[Area]:
    return [a for a in AREAS if actor.can(a.permission) and a.installed]
