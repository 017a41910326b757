"""The areas of the main window, which role may open each, and how its page is built.

Each area names a builder ``(services, actor, parent) -> QWidget`` that hands the page the
services it uses through its constructor (the worker pools, the shared queue
notifications, the token monitor, the uploader's status). Pages are imported and built the first time they are
opened, so start-up does not pay for screens the officer never uses.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP as _QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

from desktop.auth import Actor, Permission

if TYPE_CHECKING:
    from ui.services import UiServices

Builder = Callable[["UiServices", Actor, QWidget | None], QWidget]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark ``text`` for translation in ``context`` (translated later, where it is shown)."""
    return str(_QT_TRANSLATE_NOOP(context, text))


@dataclass(frozen=True)
class Area:
    key: str
    title: str  # English source; translated in context "Navigation"
    permission: Permission
    module: str  # the page's module: an optional area may be left out of a build
    build: Builder

    @property
    def installed(self) -> bool:
        """Whether this build ships the page's module."""
        try:
            return importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:  # the parent package is not there either
            return False


def _counter(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.queue.counter_panel import CounterPanel

    return CounterPanel(s.ctx, actor, parent, workers=s.workers, live=s.queue_live)


def _reception(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.reception_view import ReceptionView

    return ReceptionView(s.ctx, actor, parent, workers=s.workers)


def _dossiers(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.dossiers.area import DossiersArea

    return DossiersArea(s.ctx, actor, parent, workers=s.workers, uploads=s.uploads)


def _scanning(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.scan_view import ScanView

    return ScanView(s.ctx, actor, parent, workers=s.workers)


def _signing(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.signing_view import SigningView

    return SigningView(s.ctx, actor, parent, workers=s.workers, monitor=s.token_monitor)


def _queue(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.queue.overview import QueueOverview

    return QueueOverview(s.ctx, actor, parent, workers=s.workers, live=s.queue_live)


def _dashboard(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.reports.dashboard import DashboardView

    return DashboardView(s.ctx, actor, parent, workers=s.workers)


def _outbox(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.outbox_view import OutboxView

    return OutboxView(s.ctx.outbox, s.uploads, actor, parent, workers=s.workers)


def _reports(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.reports_view import ReportsView

    return ReportsView(s.ctx, actor, parent, workers=s.workers)


def _settings(s: UiServices, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.settings_view import SettingsView

    return SettingsView(s.ctx, actor, parent, workers=s.workers)


AREAS: tuple[Area, ...] = (
    Area("counter", QT_TRANSLATE_NOOP("Navigation", "Counter"), Permission.SERVE_QUEUE, "ui.queue.counter_panel",
         _counter),
    Area("reception", QT_TRANSLATE_NOOP("Navigation", "Reception"), Permission.RECEIVE_DOSSIER, "ui.reception_view",
         _reception),
    Area("dossiers", QT_TRANSLATE_NOOP("Navigation", "Dossiers"), Permission.RECEIVE_DOSSIER, "ui.dossiers.area",
         _dossiers),
    Area("scanning", QT_TRANSLATE_NOOP("Navigation", "Scanning"), Permission.SCAN, "ui.scan_view", _scanning),
    Area("signing", QT_TRANSLATE_NOOP("Navigation", "Signing"), Permission.SIGN_PERSONAL, "ui.signing_view",
         _signing),
    Area("queue", QT_TRANSLATE_NOOP("Navigation", "Queue"), Permission.MANAGE_QUEUE, "ui.queue.overview", _queue),
    Area("dashboard", QT_TRANSLATE_NOOP("Navigation", "Dashboard"), Permission.MANAGE_QUEUE, "ui.reports.dashboard",
         _dashboard),
    Area("outbox", QT_TRANSLATE_NOOP("Navigation", "Outbox"), Permission.UPLOAD, "ui.outbox_view", _outbox),
    Area("reports", QT_TRANSLATE_NOOP("Navigation", "Reports"), Permission.VIEW_REPORTS, "ui.reports_view", _reports),
    Area("settings", QT_TRANSLATE_NOOP("Navigation", "Settings"), Permission.MANAGE_SETTINGS, "ui.settings_view",
         _settings),
)


def areas_for(actor: Actor) -> list[Area]:
    return [a for a in AREAS if actor.can(a.permission) and a.installed]
