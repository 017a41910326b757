"""The lifecycle steps of the dossier page: what the core offers in the dossier's current
state for this officer (:func:`desktop.workflow.workspace.offered`: the machine's
transitions, the postal steps in order, a payment while a fee is due), one button with a
keyboard shortcut each.

Each asks what its step needs (a reason, a new due date, the recipient's ID or a proxy's
letter, how the fee was paid, a waybill, the result's PDF and the token's PIN) and calls
the same :class:`desktop.lifecycle.service.LifecycleService` method as ``motcua dossier``,
on a worker; the core's refusal (no reason, a date before today, an ID that does not
match, a fee unpaid) is shown as it is, in the officer's language. A step that produces a
form (02 for a supplement, 03 a refusal…) opens its print preview.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton, QWidget

from desktop.lifecycle.machine import Action
from desktop.lifecycle.results import FROM_CATALOGUE, Validity
from desktop.workflow.counter import is_one_pdf
from desktop.workflow.workspace import PAY, Channel, DossierPage, offered
from ui.flow_layout import FlowLayout
from ui.workers import Pool

if TYPE_CHECKING:
    from ui.dossiers.dialogs import ReturnAnswer
    from ui.dossiers.page_view import DossierPageView

#: the steps offered on the page, with their keys
KEYS: dict[Action, str] = {
    Action.ACCEPT: "Ctrl+Shift+A", Action.SUPPLEMENT: "Ctrl+Shift+B", Action.RESUME: "Ctrl+Shift+U",
    Action.PROCESS: "Ctrl+Shift+P", Action.HANDOFF: "Ctrl+Shift+O", Action.EXTEND: "Ctrl+Shift+G", Action.REFUSE: "Ctrl+Shift+F",
    Action.STOP: "Ctrl+Shift+D", PAY: "Ctrl+Shift+L", Action.RESULT: "Ctrl+Shift+K", Action.RETURN: "Ctrl+Shift+T",
    Action.POST_HANDOVER: "Ctrl+Shift+H", Action.POST_SENT: "Ctrl+Shift+V", Action.POST_DELIVERED: "Ctrl+Shift+N",
}


class DossierActions(QWidget):
    """A row of buttons for the steps the page's dossier allows now."""

    def __init__(self, page: DossierPageView) -> None:
        super().__init__(page)
        self.page = page
        self.workers = page.workers
        self.buttons: dict[Action, QPushButton] = {}
        lay = FlowLayout(self)  # wraps: which actions show depends on the status and the role
        lay.setContentsMargins(0, 0, 0, 0)
        names = {Action.ACCEPT: self.tr("Accept the online dossier"),
                 Action.SUPPLEMENT: self.tr("Request a supplement…"), Action.RESUME: self.tr("Supplement back"),
                 Action.PROCESS: self.tr("Send for processing…"), Action.HANDOFF: self.tr("Hand off…"),
                 Action.EXTEND: self.tr("Extend…"),
                 Action.REFUSE: self.tr("Refuse…"), Action.STOP: self.tr("Stop…"), PAY: self.tr("Fee paid…"),
                 Action.RESULT: self.tr("Attach the signed result…"), Action.RETURN: self.tr("Return the result…"),
                 Action.POST_HANDOVER: self.tr("Hand to the post"), Action.POST_SENT: self.tr("Sent by post…"),
                 Action.POST_DELIVERED: self.tr("Delivered by post")}
        for action, key in KEYS.items():
            b = QPushButton(f"{names[action]} ({key})")
            b.setObjectName(f"action_{action.value}")
            b.setShortcut(QKeySequence(key))
            b.clicked.connect(lambda _c=False, a=action: self.trigger(a))
            b.hide()
            lay.addWidget(b)
            self.buttons[action] = b

    def update_for(self, page: DossierPage | None) -> None:
        """Show only what the core offers now for this officer (:func:`offered`)."""
        ok = set(offered(page, self.page.actor)) if page is not None else set()
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
        actor, code, shown = page.actor, page.code, page.page
        call: Callable[[], Any]
        done = self.tr("Done.")
        if action == Action.SUPPLEMENT:
            from desktop.workflow.flow import SlotState
            from ui.dossiers.dialogs import SupplementDialog, answered

            def flagged(s: Any) -> bool:  # a required one not brought, or a copy whose signature failed
                return (s.state == SlotState.NOT_BROUGHT and s.spec.required) or s.state == SlotState.INVALID

            sup = SupplementDialog(self, [(s.code, s.spec.name, flagged(s)) for s in shown.progress.slots])
            if not answered(sup):
                return
            want = sup.answer()
            call = lambda: lc.supplement(actor, code, want.reason, want.components)  # noqa: E731
        elif action in (Action.REFUSE, Action.STOP):
            reason = self._ask(self.tr("Reason"), self.tr("Reason (required):"))
            if reason is None:
                return
            fn, why = (lc.refuse if action == Action.REFUSE else lc.stop), reason  # why: str, for the closure
            call = lambda: fn(actor, code, why)  # noqa: E731
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
        elif action in (Action.PROCESS, Action.HANDOFF):
            from ui.dossiers.dialogs import HandoffDialog, answered

            ho = HandoffDialog(self, shown.departments, first=action == Action.PROCESS)
            if not answered(ho):
                return
            h = ho.answer()
            step = lc.process if action == Action.PROCESS else lc.handoff
            call = lambda: step(actor, code, receiver=h.receiver, department=h.department,  # noqa: E731
                                allotted_hours=h.hours, note=h.note)
            done = self.tr("Handed to %1.").replace("%1", h.department or self.tr("the processing department"))
        elif action == Action.RETURN:
            from ui.dossiers.dialogs import ReturnDialog, answered

            dlg = ReturnDialog(self, page.settings, shown.applicant_name, shown.applicant_id_number,
                               workers=page.workers)
            if not answered(dlg):
                return
            a = dlg.answer()
            done = self.tr("Result returned.")
            if a.proxy_files and not is_one_pdf(a.proxy_files):
                self._return_with_letter_pages(a, done)
                return
            letter = a.proxy_files[0] if a.proxy_files else None
            call = lambda: lc.return_result(actor, code, channel=a.channel, id_number=a.id_number,  # noqa: E731
                                            recipient_name=a.recipient_name, proxy_file=letter)
        elif action == PAY:
            from ui.dossiers.dialogs import FeeDialog, answered

            fee = FeeDialog(self, shown.fees_due)
            if not answered(fee):
                return
            f = fee.answer()
            call = lambda: lc.pay_fees(actor, code, f.method, f.receipt_ref)  # noqa: E731
            done = self.tr("Payment recorded.")
        elif action == Action.POST_HANDOVER:
            call = lambda: lc.return_result(actor, code, channel="post")  # noqa: E731
            done = self.tr("On the postal handover list.")
        elif action == Action.POST_SENT:
            waybill = self._ask(self.tr("Sent by post"), self.tr("The post's waybill number:"))
            if waybill is None:
                return
            call = lambda: lc.post_sent(actor, code, waybill)  # noqa: E731
        elif action == Action.POST_DELIVERED:
            if QMessageBox.question(self, self.tr("Delivered by post"),
                                    self.tr("Did the post report dossier %1 delivered?").replace("%1", code)) \
                    != QMessageBox.StandardButton.Yes:
                return
            call = lambda: lc.post_delivered(actor, code)  # noqa: E731
        elif action == Action.RESULT:
            self.attach_result()
            return
        elif action == Action.RESUME:
            call = lambda: lc.resume(actor, code)  # noqa: E731
        elif action == Action.ACCEPT:
            call = lambda: lc.accept(actor, code)  # noqa: E731
        else:
            return  # a step the page offers no button for
        self._step(call, done, action.value)

    def _step(self, call: Callable[[], Any], done: str, name: str) -> None:

        task = self.workers.submit(lambda c, p: call(), pool_name=Pool.DB, name=f"lifecycle {name}")
        task.succeeded.connect(lambda outcome, text=done: self._done(outcome, text))
        self.page._start(task, "")

    def _return_with_letter_pages(self, a: ReturnAnswer, done: str) -> None:
        """The letter's photos or scans are digitized first (OCR: off the database worker),
        then the result is returned with the PDF they make; a failed OCR returns nothing."""

        page = self.page
        actor, code, counter, lc = page.actor, page.code, page.counter, page.workspace.lifecycle
        if lc is None:  # trigger() checked it; the return's dialog ran in between
            return
        dossiers = counter.dossiers
        task = self.workers.submit(lambda c, p: counter.digitize_letter(code, a.proxy_files, id_number=a.id_number,
                                                                   cancel=c, progress=p),
                                   pool_name=Pool.GENERAL, name="authorization letter")

        def digitized(letter: Path) -> None:
            def call() -> Any:
                try:
                    return lc.return_result(actor, code, channel=a.channel, id_number=a.id_number,
                                            recipient_name=a.recipient_name, proxy_file=letter)
                except BaseException:  # refused: the PDF made for it goes, unless the dossier kept it
                    if not any(Path(f.path) == letter.resolve() for f in dossiers.files(code)):
                        letter.unlink(missing_ok=True)
                    raise

            self._step(call, done, "return")

        task.succeeded.connect(digitized)
        page._start(task, self.tr("Digitizing the authorization letter…"))

    def _done(self, outcome: Any, text: str) -> None:
        page = self.page
        page._say(text)
        form = getattr(outcome, "form", None)
        if not form:
            return
        # the slip this step produces: printed for the citizen at the counter; a citizen who
        # filed online is not here, so theirs goes sealed through the dossier system (one PIN)
        online = page.page is not None and page.page.channel == Channel.ONLINE
        page.issue_form(form, seal=online and page.may_seal(), step_done=text)

    def attach_result(self) -> None:
        """The result: an electronic PDF sealed as it is, or the paper result's scans
        digitized first (capture path, OCR) and counted as digitized; one PIN entry."""
        from desktop.kernel.timeutil import now_vn
        from desktop.lifecycle.results import add_months
        from ui.dossiers.dialogs import ResultDialog, answered
        from ui.file_dialogs import open_file_names

        page = self.page
        names = open_file_names(self, self.tr("The result: its electronic PDF, or the scans of the paper result"),
                                page.settings, self.tr("PDF and images (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"))
        if not names:
            return
        paths = [Path(n) for n in names]
        images = len(paths) > 1 or any(p.suffix.lower() != ".pdf" for p in paths)
        today = now_vn().date()
        months = page.page.result_valid_months if page.page is not None else None  # the catalogue's, as imported
        dlg = ResultDialog(self, default=add_months(today, months) if months else None, ask_scanned=not images,
                           today=today)
        if not answered(dlg):
            return
        a = dlg.answer()
        self.attach_result_file(paths, scanned=images or a.scanned, valid_until=a.valid_until)

    def attach_result_file(self, files: list[Path], *, scanned: bool = False,
                           valid_until: Validity = FROM_CATALOGUE) -> None:
        """Seal ``files[0]`` as the electronic result, or, when ``scanned``, digitize the
        paper result's scans first; both after the one PIN entry, in one task, so a PIN
        left unasked leaves no half-made PDF of the citizen's result behind."""
        page = self.page
        counter, actor, code = page.counter, page.actor, page.code

        def run(choice: Any, pin: str, confirmed: bool, failures: Any, cancel: Any, progress: Any) -> Any:
            pdf = counter.digitize_result(code, files, cancel=cancel, progress=progress) if scanned else files[0]
            try:
                return counter.attach_result(actor, code, pdf, choice, pin, digitized=scanned, failures=failures,
                                             confirm_final_try=confirmed, valid_until=valid_until)
            finally:
                if scanned:  # made for this; the dossier keeps its own copy of the result
                    pdf.unlink(missing_ok=True)

        page.with_token(run, self.tr("Digitizing the paper result…") if scanned else self.tr("Sealing the result…"),
                        lambda _o: page._say(self.tr("Result sealed and verified; the dossier is done.")))


__all__ = ["KEYS", "DossierActions"]
