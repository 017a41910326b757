"""The lifecycle actions of the dossier page: the transitions the core machine allows in the
dossier's current state for this officer (:func:`desktop.lifecycle.machine.allowed`), one
button with a keyboard shortcut each.

Each asks what its transition needs (a reason, a new due date, a payment method, an ID
number) and calls the same :class:`desktop.lifecycle.service.LifecycleService` method as
``motcua dossier``, on a worker; the core's refusal (no reason, a date before today, an ID
that does not match) is shown as it is, in the officer's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QPushButton, QWidget

from desktop.lifecycle.machine import Action, allowed
from ui.flow_layout import FlowLayout

#: the transitions offered on the page, with their keys (the others stay in the CLI for now)
KEYS: dict[Action, str] = {
    Action.SUPPLEMENT: "Ctrl+Shift+B", Action.RESUME: "Ctrl+Shift+U", Action.PROCESS: "Ctrl+Shift+P",
    Action.EXTEND: "Ctrl+Shift+G", Action.REFUSE: "Ctrl+Shift+F", Action.STOP: "Ctrl+Shift+D",
    Action.RETURN: "Ctrl+Shift+T",
}


class DossierActions(QWidget):
    """A row of buttons for the allowed transitions of the page's dossier."""

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.page = page
        self.buttons: dict[Action, QPushButton] = {}
        lay = FlowLayout(self)  # wraps: which actions show depends on the status and the role
        lay.setContentsMargins(0, 0, 0, 0)
        names = {Action.SUPPLEMENT: self.tr("Request a supplement…"), Action.RESUME: self.tr("Supplement back"),
                 Action.PROCESS: self.tr("Send for processing"), Action.EXTEND: self.tr("Extend…"),
                 Action.REFUSE: self.tr("Refuse…"), Action.STOP: self.tr("Stop…"),
                 Action.RETURN: self.tr("Return the result…")}
        for action, key in KEYS.items():
            b = QPushButton(f"{names[action]} ({key})")
            b.setObjectName(f"action_{action.value}")
            b.setShortcut(QKeySequence(key))
            b.clicked.connect(lambda _c=False, a=action: self.trigger(a))
            b.hide()
            lay.addWidget(b)
            self.buttons[action] = b

    def update_for(self, status: int) -> None:
        """Show only what the machine allows now for this officer."""
        ok = {t.action for t in allowed(status, self.page.actor)}
        for action, b in self.buttons.items():
            b.setVisible(action in ok)

    def _ask(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def trigger(self, action: Action) -> None:
        page = self.page
        lc = page.workspace.lifecycle
        if lc is None or page.page is None or page.busy() or not self.buttons[action].isVisible():
            return
        actor, code = page.actor, page.code
        call: Callable[[], Any]
        if action in (Action.SUPPLEMENT, Action.REFUSE, Action.STOP):
            reason = self._ask(self.tr("Reason"), self.tr("Reason (required):"))
            if reason is None:
                return
            fn = {Action.SUPPLEMENT: lc.supplement, Action.REFUSE: lc.refuse, Action.STOP: lc.stop}[action]
            call = lambda: fn(actor, code, reason)  # noqa: E731
        elif action == Action.EXTEND:
            reason = self._ask(self.tr("Extend"), self.tr("Reason (required):"))
            if reason is None:
                return
            new_due = self._ask(self.tr("Extend"), self.tr("New due date (YYYY-MM-DD HH:MM):"))
            if new_due is None:
                return

            def call() -> Any:
                from desktop.workdays import parse_local_datetime

                return lc.extend(actor, code, reason, parse_local_datetime(new_due))
        elif action == Action.RETURN:
            id_number = self._ask(self.tr("Return the result"), self.tr("The recipient's ID number (CCCD):"))
            if id_number is None:
                return
            call = lambda: lc.return_result(actor, code, id_number=id_number)  # noqa: E731
        elif action == Action.RESUME:
            call = lambda: lc.resume(actor, code)  # noqa: E731
        else:
            call = lambda: lc.process(actor, code)  # noqa: E731
        from ui import workers

        task = workers.submit(lambda c, p: call(), pool_name=workers.Pool.DB, name=f"lifecycle {action.value}")
        task.succeeded.connect(lambda _o: page._say(self.tr("Done.")))
        page._start(task, "")


__all__ = ["KEYS", "DossierActions"]
