"""Outbox screen: what waits, what is being sent, what is parked and why; retry; send now."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import AppContext
from desktop.auth import Actor
from desktop.kernel.timeutil import to_vn
from desktop.outbox.service import JobView
from ui import workers

REFRESH_MS = 5000


class OutboxView(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.jobs: list[JobView] = []
        self._drain: workers.Task | None = None
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
        self.send_button.clicked.connect(self.send_now)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button = QPushButton(self.tr("Retry selected"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.progress = QProgressBar()
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for w in (self.send_button, self.cancel_button, self.retry_button):
            buttons.addWidget(w)
        buttons.addWidget(self.progress, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.message)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def _submit(self, fn, on_success, pool_name: str = "db") -> workers.Task:  # type: ignore[no-untyped-def]
        return workers.run(fn, on_success=on_success, on_failure=self._failed, pool_name=pool_name, name="outbox")

    @Slot()
    def refresh(self) -> None:
        outbox = self.ctx.outbox
        self._submit(lambda c, p: (outbox.counts(), outbox.jobs()), self._show)

    @Slot(object)
    def _show(self, result: tuple[dict[str, int], list[JobView]]) -> None:
        counts, jobs = result
        self.jobs = jobs
        self.summary.setText(self.tr("Waiting %1 · sending %2 · parked %3 · delivered %4")
                             .replace("%1", str(counts.get("pending", 0))).replace("%2", str(counts.get("in_flight", 0)))
                             .replace("%3", str(counts.get("parked", 0))).replace("%4", str(counts.get("done", 0))))
        states = {"pending": self.tr("waiting"), "in_flight": self.tr("sending"), "parked": self.tr("parked")}
        kinds = {"dossier": self.tr("dossier"), "file": self.tr("file"), "status": self.tr("status")}
        self.table.setRowCount(len(jobs))
        for r, j in enumerate(jobs):
            reason = j.last_error if j.state == "parked" else (
                (j.last_error + " · " if j.last_error else "") + to_vn(j.next_attempt_at).strftime("%H:%M:%S"))
            for c, v in enumerate((str(j.id), j.dossier_code, kinds.get(j.kind, j.kind), states.get(j.state, j.state),
                                   str(j.attempts), reason)):
                item = QTableWidgetItem(v)
                if j.state == "parked":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(message)

    @Slot()
    def send_now(self) -> None:
        if self._drain is not None:
            return
        outbox, actor = self.ctx.outbox, self.actor
        self._drain = self._submit(lambda cancel, progress: outbox.drain(actor, timeout=300, cancel=cancel,
                                                                         progress=progress),
                                   self._drained, pool_name="general")
        self._drain.progress.connect(lambda d, t, m: self.progress.setFormat(f"{d} · {m}"))
        self._drain.cancelled.connect(lambda: self.message.setText(self.tr("Sending stopped.")))
        self._drain.finished.connect(self._drain_done)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.send_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

    @Slot()
    def cancel(self) -> None:
        if self._drain is not None:
            self._drain.cancel()

    @Slot(object)
    def _drained(self, result: dict[str, int]) -> None:
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Delivered %1, failed %2.").replace("%1", str(result["delivered"]))
                             .replace("%2", str(result["failed"])))

    @Slot()
    def _drain_done(self) -> None:
        self._drain = None
        self.progress.hide()
        self.send_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.refresh()

    @Slot()
    def retry_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        ids = [self.jobs[r].id for r in rows if self.jobs[r].state == "parked"]
        outbox, actor = self.ctx.outbox, self.actor
        self._submit(lambda c, p: [outbox.retry(actor, i) for i in ids], lambda _: self.refresh())
