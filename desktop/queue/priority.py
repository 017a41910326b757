"""Priority classes of a queue ticket, their calling order and their labels in both languages.

The law on serving citizens puts the elderly, people with disabilities, pregnant women
and people with a child under 6 ahead of the walk-in queue; an on-time appointment also
goes ahead (:mod:`desktop.queue.appointments`). Tickets store the value as text, so a
class added here needs no migration; the order below is the calling order.
"""

from __future__ import annotations

import enum

from desktop.kernel.i18n import msg


class Priority(enum.StrEnum):
    ELDERLY = "elderly"
    DISABILITY = "disability"
    PREGNANT = "pregnant"
    CHILD_UNDER_6 = "child_under_6"
    APPOINTMENT = "appointment"
    WALK_IN = "walk_in"


#: the calling order: a lower index is called first, then the earliest issued
ORDER: tuple[Priority, ...] = tuple(Priority)

#: the classes' values as tickets store them, in the calling order
PRIORITIES: tuple[str, ...] = tuple(p.value for p in ORDER)

#: what a citizen can claim at the kiosk (an appointment is given at check-in)
KIOSK_CLASSES: tuple[Priority, ...] = (Priority.ELDERLY, Priority.DISABILITY, Priority.PREGNANT,
                                       Priority.CHILD_UNDER_6)

#: (Vietnamese, English) of each class; the Qt screens carry the same texts in their .ts files
LABELS: dict[Priority, tuple[str, str]] = {
    Priority.ELDERLY: ("Người cao tuổi", "Elderly"),
    Priority.DISABILITY: ("Người khuyết tật", "Person with a disability"),
    Priority.PREGNANT: ("Phụ nữ mang thai", "Pregnant"),
    Priority.CHILD_UNDER_6: ("Người đưa trẻ em dưới 6 tuổi", "With a child under 6"),
    Priority.APPOINTMENT: ("Đặt lịch hẹn", "Appointment"),
    Priority.WALK_IN: ("Khách vãng lai", "Walk-in"),
}


def label(priority: str) -> str:
    """The class's label in the current language (the raw value for an unknown one)."""
    try:
        vi, en = LABELS[Priority(priority)]
    except ValueError:
        return priority
    return msg(vi, en)


def ticket_line(priority: str) -> str:
    """What the printed ticket says (the tickets are Vietnamese): empty for a walk-in."""
    try:
        p = Priority(priority)
    except ValueError:
        return ""
    return "" if p == Priority.WALK_IN else f"Ưu tiên: {LABELS[p][0]}"
