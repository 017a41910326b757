"""Outbox screen: what is to be sent, what waits for a signature, what is parked and why.

The background uploader sends by itself (``desktop/outbox/uploader.py``); this screen
shows its state and the jobs, re-read whenever the uploader reports a change. "Send now"
makes backed-off jobs due and wakes the uploader; "Retry" gives a parked job another go.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.auth import Actor
from desktop.kernel.timeutil import to_vn
from desktop.outbox.models import JobKind, OutboxState
from desktop.outbox.service import JobView, Outbox
from desktop.outbox.uploader import UploaderState, UploaderStatus
from ui.services import UploadStatus
from ui.workers import Pool, Workers

#: a safety net: the uploader's reports refresh the screen as things change
REFRESH_MS = 30_000


class OutboxView(QWidget):
    def __init__(self, outbox: Outbox, uploads: UploadStatus, actor: Actor, parent: QWidget | None = None, *,
                 workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.outbox = outbox
        self.uploads = uploads
        self.actor = actor
        self.jobs: list[JobView] = []
        self._reading = False
        self._again = False
        self.state_label = QLabel()
        self.state_label.setObjectName("uploader_state")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet("font-size: 12pt;")
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Job"), self.tr("Dossier"), self.tr("Kind"), self.tr("State"),
                                              self.tr("Attempts"), self.tr("Reason / next attempt")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.send_button = QPushButton(self.tr("Send now"))
        self.send_button.setToolTip(self.tr("Try every job that is waiting out a retry delay now."))
        self.send_button.clicked.connect(self.send_now)
        self.retry_button = QPushButton(self.tr("Retry selected"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for w in (self.send_button, self.retry_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.state_label)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.message)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        uploads.changed.connect(self._uploader_changed)
        self._uploader_changed(uploads.current)

    @Slot(object)
    def _uploader_changed(self, st: UploaderStatus) -> None:
        names = {UploaderState.STARTING: self.tr("starting"), UploaderState.IDLE: self.tr("up to date"),
                 UploaderState.SENDING: self.tr("sending…"), UploaderState.RETRYING: self.tr("retrying after a failure"),
                 UploaderState.OFFLINE: self.tr("dossier system unreachable: uploads wait"),
                 UploaderState.STOPPED: self.tr("stopped")}
        self.state_label.setText(self.tr("Uploader: %1").replace("%1", names[st.state]))
        self.state_label.setToolTip(st.last_error)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-read counts and jobs on the db pool (one read at a time; a burst of reports coalesces)."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        outbox = self.outbox
        task = self.workers.run(lambda c, p: (outbox.counts(), outbox.jobs()), on_success=self._show,
                                on_failure=self._failed, pool_name=Pool.DB, name="outbox")
        task.finished.connect(self._read_done)

    @Slot()
    def _read_done(self) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.refresh()

    @Slot(object)
    def _show(self, result: tuple[dict[str, int], list[JobView]]) -> None:
        counts, jobs = result
        self.jobs = jobs
        self.summary.setText(self.tr("To send %1 · sending %2 · waiting for signature %3 · parked %4 · delivered %5")
                             .replace("%1", str(counts.get(OutboxState.PENDING, 0)))
                             .replace("%2", str(counts.get(OutboxState.IN_FLIGHT, 0)))
                             .replace("%3", str(counts.get(OutboxState.WAITING, 0)))
                             .replace("%4", str(counts.get(OutboxState.PARKED, 0)))
                             .replace("%5", str(counts.get(OutboxState.DONE, 0))))
        states = {OutboxState.PENDING: self.tr("to send"), OutboxState.IN_FLIGHT: self.tr("sending"),
                  OutboxState.WAITING: self.tr("waiting for signature"), OutboxState.PARKED: self.tr("parked"),
                  OutboxState.UNCONFIGURED: self.tr("waiting for configuration")}
        kinds = {JobKind.DOSSIER: self.tr("dossier"), JobKind.FILE: self.tr("file"), JobKind.STATUS: self.tr("status"),
                 JobKind.ANCHOR: self.tr("audit anchor"), JobKind.EMAIL: self.tr("e-mail to the citizen"),
                 JobKind.SMS: self.tr("SMS to the citizen")}
        self.table.setRowCount(len(jobs))
        for r, j in enumerate(jobs):
            if j.state in (OutboxState.PARKED, OutboxState.WAITING, OutboxState.UNCONFIGURED):
                reason = j.last_error
            else:
                reason = (j.last_error + " · " if j.last_error else "") + to_vn(j.next_attempt_at).strftime("%H:%M:%S")
            for c, v in enumerate((str(j.id), j.dossier_code, kinds.get(JobKind(j.kind), j.kind),
                                   states.get(OutboxState(j.state), j.state), str(j.attempts), reason)):
                item = QTableWidgetItem(v)
                if j.state == OutboxState.PARKED:
                    item.setForeground(Qt.GlobalColor.darkRed)
                elif j.state in (OutboxState.WAITING, OutboxState.UNCONFIGURED):
                    item.setForeground(Qt.GlobalColor.darkYellow)
                self.table.setItem(r, c, item)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(message)

    @Slot()
    def send_now(self) -> None:
        uploads = self.uploads
        self.workers.run(lambda c, p: uploads.send_now(), on_failure=self._failed, pool_name=Pool.DB, name="send now")
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Sending now."))

    @Slot()
    def retry_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        ids = [self.jobs[r].id for r in rows if self.jobs[r].state == OutboxState.PARKED]
        if not ids:
            self.message.setText(self.tr("Select a parked job to retry."))
            return
        outbox, actor, uploads = self.outbox, self.actor, self.uploads

        def retry(cancel: object, progress: object) -> None:
            for i in ids:
                outbox.retry(actor, i)
            uploads.uploader.wake()

        self.workers.run(retry, on_success=lambda _: self.refresh(), on_failure=self._failed, pool_name=Pool.DB,
                         name="retry")
