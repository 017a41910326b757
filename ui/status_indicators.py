"""Status-bar indicators: scanner, dossier system, uploads (the token and its reader have
their own widget, ui/token_status.py).

Scanner and dossier system are probed every minute on the "scanner" pool, which serializes
SANE use; the scanner only once, at start (probing SANE during a scan would disturb it).
The uploads label follows the background uploader as it works (sending, offline, how many
to send, waiting for a signature, parked); the backup label the daily backup
(ui/backup_schedule.py): when the newest was taken, a failure and its reason until a backup
works again, or that the centre's PostgreSQL is its administrator's to back up. Each label's
tooltip carries the detail and the fix.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.backups import BackupOutcome, BackupState
from desktop.context import AppContext
from desktop.outbox.uploader import UploaderState, UploaderStatus
from desktop.selftest import Check
from desktop.status import WorkstationStatus, workstation_status
from ui.backup_schedule import BackupSchedule
from ui.services import UploadStatus
from ui.workers import Pool, Task, Workers

REFRESH_MS = 60_000


class StatusIndicators(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, workers: Workers,
                 uploads: UploadStatus | None = None,
                 backups: BackupSchedule | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.ctx = ctx
        self.uploads = uploads
        self._task: Task | None = None
        self._scanner_probed = False
        self.labels = {key: QLabel() for key in ("scanner", "dossier_system", "outbox", "backup")}
        for key, label in self.labels.items():
            label.setObjectName(f"{key}_status")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for label in self.labels.values():
            label.setStyleSheet("padding: 0 6px;")
            lay.addWidget(label)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        if uploads is not None:
            uploads.changed.connect(self.show_uploads)
            self.show_uploads(uploads.current)
        self.labels["backup"].hide()  # until the schedule's first look
        if backups is not None:
            backups.changed.connect(self.show_backup)
            if backups.current is not None:
                self.show_backup(backups.current)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self._task is not None:
            return
        settings, db, probe = self.ctx.settings, self.ctx.db, not self._scanner_probed
        self._scanner_probed = True
        self._task = self.workers.submit(lambda cancel, progress: workstation_status(settings, db, probe_scanner=probe),
                                         pool_name=Pool.SCANNER, name="status")
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
        if self.uploads is None:  # no uploader in this process: the counts, as probed
            self.show_uploads(UploaderStatus(UploaderState.STOPPED, pending=st.outbox_pending,
                                             parked=st.outbox_parked))

    @Slot(object)
    def show_uploads(self, st: UploaderStatus) -> None:
        out = self.labels["outbox"]
        states = {UploaderState.SENDING: self.tr("sending"), UploaderState.OFFLINE: self.tr("offline"),
                  UploaderState.RETRYING: self.tr("retrying")}
        parts = [self.tr("Uploads: %1 to send").replace("%1", str(st.pending))]
        if st.waiting:
            parts.append(self.tr("%1 waiting for signature").replace("%1", str(st.waiting)))
        if st.parked:
            parts.append(self.tr("%1 parked").replace("%1", str(st.parked)))
        if st.state in states:
            parts.append(states[st.state])
        out.setText(" · ".join(parts))
        bad = st.parked or st.state == UploaderState.OFFLINE
        out.setStyleSheet(f"padding: 0 6px; color: {'#b00020' if bad else '#b45309' if st.waiting else '#333'};")
        tip = [self.tr("The outbox sends by itself while the application is open.")]
        if st.last_error:
            tip.append(st.last_error)
        if st.state == UploaderState.OFFLINE:
            tip.append(self.tr("The dossier system does not answer; nothing is lost, uploads go when it is back."))
        out.setToolTip("\n".join(tip))

    @Slot(object)
    def show_backup(self, outcome: BackupOutcome) -> None:
        label = self.labels["backup"]
        ok = outcome.state != BackupState.FAILED
        if outcome.state == BackupState.SERVER:
            text, tip = self.tr("Backup: by the centre"), outcome.detail
        elif not ok:
            text = self.tr("Backup failed")
            tip = "\n".join([outcome.detail, "→ " + self.tr("Tried again within the hour; the administrator can run "
                                                             "“motcua db backup” and “motcua db check”.")])
        else:
            when = outcome.at.strftime("%H:%M") if outcome.at is not None else ""
            text = self.tr("Backup %1").replace("%1", when).strip()
            tip = self.tr("Newest backup: %1. Backups are kept %2 days.").replace(
                "%1", str(outcome.path or "")).replace("%2", str(self.ctx.settings.backup_keep_days))
        label.setText(f"{'●' if ok else '○'} {text}")
        label.setStyleSheet(f"padding: 0 6px; color: {'#1b5e20' if ok else '#b00020'};")
        label.setToolTip(tip)
        label.show()
