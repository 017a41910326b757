"""The priority classes' labels on the queue screens (context "Priority"): the counter
panel's list and the kiosk's buttons show the same words, which are the core's labels
(:data:`desktop.queue.priority.LABELS`) in Qt's translation files."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.queue.priority import Priority
from ui.navigation import QT_TRANSLATE_NOOP

_SOURCES: dict[Priority, str] = {
    Priority.ELDERLY: QT_TRANSLATE_NOOP("Priority", "Elderly"),
    Priority.DISABILITY: QT_TRANSLATE_NOOP("Priority", "Person with a disability"),
    Priority.PREGNANT: QT_TRANSLATE_NOOP("Priority", "Pregnant"),
    Priority.CHILD_UNDER_6: QT_TRANSLATE_NOOP("Priority", "With a child under 6"),
    Priority.APPOINTMENT: QT_TRANSLATE_NOOP("Priority", "Appointment"),
    Priority.WALK_IN: QT_TRANSLATE_NOOP("Priority", "Walk-in"),
}


def priority_label(priority: str) -> str:
    """The class's label in the installed language (the raw value for an unknown one)."""
    try:
        source = _SOURCES[Priority(priority)]
    except ValueError:
        return priority
    return QCoreApplication.translate("Priority", source)
