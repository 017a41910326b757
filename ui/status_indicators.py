"""Status-bar indicators: scanner, dossier system, outbox (the token and its reader have
their own widget, ui/token_status.py).

Refreshed every minute on the "scanner" pool, which serializes SANE use; the scanner is
probed only once, at start (probing SANE during a scan would disturb it). Each label's tooltip
carries the detail and the fix.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.app import AppContext
from desktop.selftest import Check
from desktop.status import WorkstationStatus, workstation_status
from ui import workers

REFRESH_MS = 60_000


class StatusIndicators(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._task: workers.Task | None = None
        self._scanner_probed = False
        self.labels = {key: QLabel() for key in ("scanner", "dossier_system", "outbox")}
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for label in self.labels.values():
            label.setStyleSheet("padding: 0 6px;")
            lay.addWidget(label)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self._task is not None:
            return
        settings, db, probe = self.ctx.settings, self.ctx.db, not self._scanner_probed
        self._scanner_probed = True
        self._task = workers.submit(lambda cancel, progress: workstation_status(settings, db, probe_scanner=probe),
                                    pool_name="scanner", name="status")
        self._task.succeeded.connect(self._show)
        self._task.finished.connect(self._done)

    @Slot()
    def _done(self) -> None:
        self._task = None

    def _set(self, key: str, title: str, check: Check) -> None:
        label = self.labels[key]
        label.setText(f"{'●' if check.ok else '○'} {title}")
        label.setStyleSheet(f"padding: 0 6px; color: {'#1b5e20' if check.ok else '#b00020'};")
        label.setToolTip(check.detail + (f"\n→ {check.fix}" if check.fix and not check.ok else ""))

    @Slot(object)
    def _show(self, st: WorkstationStatus) -> None:
        if st.scanner is not None:
            self._set("scanner", self.tr("Scanner"), st.scanner)
        self._set("dossier_system", self.tr("Dossier system"), st.dossier_system)
        out = self.labels["outbox"]
        out.setText(self.tr("Outbox: %1 waiting, %2 parked").replace("%1", str(st.outbox_pending))
                    .replace("%2", str(st.outbox_parked)))
        out.setStyleSheet(f"padding: 0 6px; color: {'#b00020' if st.outbox_parked else '#333'};")
