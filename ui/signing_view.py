"""The Signing screen: choose PDFs, profile, PAdES level and key; one PIN; batch with progress.

Work order on this screen:

1. PDFs are added to the queue (signed copies go next to them as ``<name>_signed.pdf``,
   or into a chosen folder).
2. Profile (copy / seal / personal, from ``signing.appearance.load_profiles``: the
   profiles an administrator edits), PAdES level (B-B / B-T / B-LT) and the key, chosen
   by its CKA_ID among the certificates of the tokens the PKCS#11 module shows.
3. "Sign" reads the token's PIN state on the "token" pool, asks the PIN once
   (:class:`ui.pin_dialog.PinDialog`), and runs ``desktop.workflow.signing.sign_loose_files`` on
   the same pool with a progress bar and Cancel: the role is checked there too, every signed
   file is verified at once (the table says "signed and verified" or why it does not verify),
   and each one is audited.

A card pulled out during a batch (reported by the PC/SC monitor) cancels the batch at
the next file: files already signed stay signed, the others stay in the queue, and the
screen names them. When the token's reader cannot be told apart from other readers (the
PKCS#11 slot does not name a PC/SC reader), any card removal stops the batch: stopping
one batch too many costs a click, signing on with a token that is gone costs errors.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.kernel.tasks import CancelToken
from desktop.workflow.signing import TokenChoice, may_sign_with
from signing.policy import SignBlock, pick_certificate, signing_block
from ui import file_dialogs
from ui.pin_dialog import PinDialog
from ui.token_monitor import TokenMonitor, monitor_for
from ui.workers import Pool, Task, Workers

log = logging.getLogger(__name__)

LEVELS = ("B-B", "B-T", "B-LT")
SIGNED_SUFFIX = "_signed"


class _AnyCancel(CancelToken):
    """Cancelled when either token is: the screen's (Cancel button, pulled card) or the
    worker's own (application exit)."""

    def __init__(self, first: CancelToken, second: CancelToken) -> None:
        super().__init__()
        self._first, self._second = first, second

    def cancel(self) -> None:
        self._first.cancel()

    @property
    def cancelled(self) -> bool:
        return self._first.cancelled or self._second.cancelled

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            from desktop.kernel.tasks import Cancelled

            raise Cancelled()


def output_for(path: Path, folder: Path | None) -> Path:
    """Where the signed copy of ``path`` goes: ``<folder or its folder>/<stem>_signed.pdf``."""
    return (folder or path.parent) / f"{path.stem}{SIGNED_SUFFIX}{path.suffix or '.pdf'}"


def reader_matches(slot_description: str, reader: str) -> bool:
    a, b = slot_description.strip().lower(), reader.strip().lower()
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


class SigningView(QWidget):
    def __init__(self, ctx: Any, actor: Any = None, parent: QWidget | None = None, *, workers: Workers,
                 monitor: TokenMonitor | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.setObjectName("signingView")
        self.ctx = ctx
        self.actor = actor
        self.monitor = monitor if monitor is not None else monitor_for(ctx)
        settings = ctx.settings
        self.module_path: str = settings.pkcs11_module or ""
        self.conf: dict[str, Any] = dict((settings.extra or {}).get("signing", {}))
        self.data_dir = Path(settings.data_dir)
        self.tokens: list[Any] = []
        self.profiles: dict[str, Any] = {}
        self.last_result: Any = None
        self.stopped_by_reader = ""
        self.pin_dialog: PinDialog | None = None
        self._tokens_task: Task | None = None
        self._state_task: Task | None = None
        self._batch_task: Task | None = None
        self._batch_cancel: CancelToken | None = None
        self._batch_token: Any = None
        self._tokens_again = False

        # --- files
        self.files = QListWidget()
        self.files.setObjectName("files")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.add_button = QPushButton(self.tr("Add PDFs…"))
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.clicked.connect(self.clear_files)
        self.output_edit = QLineEdit(str(self.conf.get("output_dir", "")))
        self.output_edit.setObjectName("outputFolder")
        self.output_edit.setPlaceholderText(self.tr("next to each original, as name_signed.pdf"))
        self.output_button = QPushButton(self.tr("Folder…"))
        self.output_button.clicked.connect(self.choose_output)
        self.db_note = QLabel(self.tr("Digitized files of dossiers are signed from the dossier screen "
                                      "(not available here yet)."))
        self.db_note.setWordWrap(True)
        self.db_note.setStyleSheet("color: #555;")
        file_buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.clear_button):
            file_buttons.addWidget(b)
        file_buttons.addStretch(1)
        out_row = QHBoxLayout()
        out_row.addWidget(QLabel(self.tr("Save signed files in:")))
        out_row.addWidget(self.output_edit, 1)
        out_row.addWidget(self.output_button)
        files_box = QGroupBox(self.tr("PDF files to sign"))
        fl = QVBoxLayout(files_box)
        fl.addWidget(self.files, 1)
        fl.addLayout(file_buttons)
        fl.addLayout(out_row)
        fl.addWidget(self.db_note)

        # --- options
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profile")
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("level")
        for lv, text in zip(LEVELS, (self.tr("B-B (basic)"), self.tr("B-T (with time-stamp)"),
                                     self.tr("B-LT (time-stamp and revocation data)")), strict=True):
            self.level_combo.addItem(text, lv)
        default_level = self.conf.get("level", "B-B")
        self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(default_level)))
        self.tsa_edit = QLineEdit(str(self.conf.get("tsa_url", "") or ""))
        self.tsa_edit.setObjectName("tsaUrl")
        self.tsa_edit.setPlaceholderText(self.tr("needed for B-T and B-LT"))
        self.organization_edit = QLineEdit(str(self.conf.get("organization", "")))
        self.organization_edit.setPlaceholderText(self.tr("from the certificate"))
        self.signer_edit = QLineEdit(str(getattr(actor, "full_name", "") or ""))
        self.position_edit = QLineEdit(str(self.conf.get("position", "")))
        self.token_combo = QComboBox()
        self.token_combo.setObjectName("token")
        self.key_combo = QComboBox()
        self.key_combo.setObjectName("key")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh_tokens)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_combo, 1)
        token_row.addWidget(self.refresh_button)
        self.token_note = QLabel()
        self.token_note.setObjectName("tokenNote")
        self.token_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Profile:"), self.profile_combo)
        form.addRow(self.tr("Level:"), self.level_combo)
        form.addRow(self.tr("Time-stamp server:"), self.tsa_edit)
        form.addRow(self.tr("Organization:"), self.organization_edit)
        form.addRow(self.tr("Signer (personal):"), self.signer_edit)
        form.addRow(self.tr("Position (personal):"), self.position_edit)
        form.addRow(self.tr("Token:"), token_row)
        form.addRow(self.tr("Certificate (CKA_ID):"), self.key_combo)
        form.addRow("", self.token_note)
        options_box = QGroupBox(self.tr("Signature"))
        options_box.setLayout(form)

        # --- run
        self.sign_button = QPushButton(self.tr("Sign"))
        self.sign_button.setObjectName("sign")
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self.start_signing)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        run_row = QHBoxLayout()
        run_row.addWidget(self.sign_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)

        self.results = QTableWidget(0, 3)
        self.results.setObjectName("results")
        self.results.setHorizontalHeaderLabels([self.tr("File"), self.tr("Result"), self.tr("Detail")])
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()

        top = QHBoxLayout()
        top.addWidget(files_box, 3)
        top.addWidget(options_box, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top, 3)
        lay.addLayout(run_row)
        lay.addWidget(self.message)
        lay.addWidget(self.results, 2)

        self.profile_combo.currentIndexChanged.connect(self._update_actions)
        self.level_combo.currentIndexChanged.connect(self._update_actions)
        self.tsa_edit.textChanged.connect(self._update_actions)
        self.token_combo.currentIndexChanged.connect(self._fill_keys)
        self.key_combo.currentIndexChanged.connect(self._update_actions)
        self.monitor.tokenRemoved.connect(self._card_removed)
        self.monitor.tokenInserted.connect(self._card_inserted)
        self.monitor.serviceRestored.connect(self.refresh_tokens)

        self._load_profiles()
        self.refresh_tokens()
        self._update_actions()

    # --- files ----------------------------------------------------------------------------

    def add_files(self, paths: list[Path | str]) -> None:
        have = set(self.file_paths())
        for p in paths:
            path = Path(p)
            if path in have:
                continue
            have.add(path)
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)
        self._update_actions()

    def file_paths(self) -> list[Path]:
        return [Path(self.files.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.files.count())]

    @Slot()
    def choose_files(self) -> None:
        names = file_dialogs.open_file_names(self, self.tr("Choose PDF files to sign"), self.ctx.settings,
                                             self.tr("PDF files (*.pdf)"))
        self.add_files([Path(n) for n in names])

    @Slot()
    def choose_output(self) -> None:
        folder = file_dialogs.existing_directory(self, self.tr("Folder for signed files"), self.ctx.settings,
                                                 Path(self.output_edit.text()) if self.output_edit.text() else None)
        if folder:
            self.output_edit.setText(folder)

    @Slot()
    def remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._update_actions()

    @Slot()
    def clear_files(self) -> None:
        self.files.clear()
        self._update_actions()

    # --- profiles and tokens -----------------------------------------------------------------

    def _load_profiles(self) -> None:
        from desktop.kernel.errors import MotcuaError
        from signing.appearance import load_profiles

        self.profile_combo.clear()
        try:
            self.profiles = load_profiles(self.data_dir)
        except MotcuaError as exc:
            self.profiles = {}
            self.message.setText(str(exc))
            return
        for name, prof in self.profiles.items():
            self.profile_combo.addItem(prof.label, name)
        default = self.conf.get("profile", "copy")
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(default)))

    @Slot()
    def refresh_tokens(self) -> None:
        """List tokens and certificates again on the "token" pool (no PIN needed)."""
        if not self.module_path:
            self.tokens = []
            self._fill_tokens()
            return
        if self._batch_task is not None:
            return  # the token is busy signing; the list is read again when the batch ends
        if self._tokens_task is not None:
            self._tokens_again = True
            return
        module = self.module_path

        def read(cancel: Any, progress: Any) -> list[Any]:
            from signing.tokens import TokenManager

            return TokenManager(module).list_tokens()

        self.token_note.setText(self.tr("Reading tokens…"))
        self._tokens_task = self.workers.submit(read, pool_name=Pool.TOKEN, name="signing-tokens")
        self._tokens_task.succeeded.connect(self._tokens_read)
        self._tokens_task.failed.connect(self._tokens_failed)
        self._tokens_task.finished.connect(self._tokens_done)

    @Slot(object)
    def _tokens_read(self, tokens: list[Any]) -> None:
        self.tokens = list(tokens)
        self._fill_tokens()

    @Slot(str)
    def _tokens_failed(self, message: str) -> None:
        self.tokens = []
        self._fill_tokens(message)

    @Slot()
    def _tokens_done(self) -> None:
        self._tokens_task = None
        if self._tokens_again:
            self._tokens_again = False
            self.refresh_tokens()

    def _fill_tokens(self, error: str = "") -> None:
        current = self.token_combo.currentData()
        self.token_combo.blockSignals(True)
        self.token_combo.clear()
        for i, t in enumerate(self.tokens):
            self.token_combo.addItem(f"{t.label} — {t.serial}" if t.serial else t.label, i)
        wanted = self.conf.get("token_label")
        idx = next((i for i, t in enumerate(self.tokens) if wanted and t.label == wanted), -1)
        if idx < 0 and current is not None and current < len(self.tokens):
            idx = current
        self.token_combo.setCurrentIndex(idx if idx >= 0 else (0 if self.tokens else -1))
        self.token_combo.blockSignals(False)
        if error:
            self.token_note.setText(error)
        elif not self.module_path:
            self.token_note.setText(self.tr("No PKCS#11 module is set: choose the token's library in Settings."))
        elif not self.tokens:
            self.token_note.setText(self.tr("No token found: plug in the signing token."))
        else:
            self.token_note.setText("")
        self._fill_keys()

    def selected_token(self) -> Any:
        i = self.token_combo.currentData()
        return self.tokens[i] if i is not None and 0 <= i < len(self.tokens) else None

    @Slot()
    def _fill_keys(self) -> None:
        token = self.selected_token()
        chosen = self.key_combo.currentData()  # the officer's choice survives a refresh of the list
        self.key_combo.blockSignals(True)
        self.key_combo.clear()
        if token is not None:
            for c in sorted(token.certificates, key=lambda c: c.key_id):  # a stable order, whatever the token's
                if "key_cert_sign" in c.key_usage:
                    continue  # the CA's certificate stored beside the key
                name = c.common_name or c.subject
                if c.days_to_expiry < 0:
                    extra = self.tr("expired")
                elif not c.can_sign:
                    extra = self.tr("not for signing")
                else:
                    extra = self.tr("%n day(s) left", "", c.days_to_expiry)
                self.key_combo.addItem(f"{name} · {c.key_id} · {extra}", c.key_id)
            _, best = pick_certificate([token], self.conf.get("key_id"))
            if chosen is not None and self.key_combo.findData(chosen) >= 0:
                self.key_combo.setCurrentIndex(self.key_combo.findData(chosen))
            elif best is not None:
                self.key_combo.setCurrentIndex(max(0, self.key_combo.findData(best.key_id)))
        self.key_combo.blockSignals(False)
        self._update_actions()

    def selected_certificate(self) -> Any:
        token, kid = self.selected_token(), self.key_combo.currentData()
        if token is None or kid is None:
            return None
        return next((c for c in token.certificates if c.key_id == kid), None)

    # --- actions --------------------------------------------------------------------------

    def blocking_reason(self) -> str:
        """Why "Sign" is disabled now ("" when it is allowed); the rules are signing.policy's."""
        if self._batch_task is not None or self._state_task is not None or self.pin_dialog is not None:
            return self.tr("Signing is in progress.")
        name = self.profile_combo.currentData()
        profile = self.profiles.get(name) if name else None
        block = signing_block(files=self.files.count(), profile=profile,
                              role_allowed=profile is not None and self.actor is not None and may_sign_with(self.actor, profile),
                              level=self.level_combo.currentData(), tsa_url=self.tsa_edit.text(),
                              module_path=self.module_path, token=self.selected_token(),
                              certificate=self.selected_certificate())
        texts = {
            SignBlock.NO_FILES: self.tr("Add the PDF files to sign."),
            SignBlock.NO_PROFILE: self.tr("No signature profile is available."),
            SignBlock.ROLE: self.tr("Your role may not sign with this profile."),
            SignBlock.NO_TSA: self.tr("B-T and B-LT need a time-stamp server address."),
            SignBlock.NO_MODULE: self.tr("No PKCS#11 module is set: choose the token's library in Settings."),
            SignBlock.NO_TOKEN: self.tr("No token found: plug in the signing token."),
            SignBlock.NO_CERTIFICATE: self.tr("Choose the certificate to sign with."),
            SignBlock.CERT_EXPIRED: self.tr("The chosen certificate has expired."),
            SignBlock.CERT_NOT_FOR_SIGNING: self.tr("The chosen certificate is not for signing."),
            SignBlock.TOKEN_LOCKED: self.tr("The token is PIN-locked; only its issuer can unlock it."),
        }
        return texts[block] if block is not None else ""

    @Slot()
    def _update_actions(self) -> None:
        reason = self.blocking_reason()
        busy = self._batch_task is not None or self._state_task is not None or self.pin_dialog is not None
        self.sign_button.setEnabled(not reason)
        self.sign_button.setToolTip(reason)
        for w in (self.add_button, self.remove_button, self.clear_button, self.profile_combo, self.level_combo,
                  self.token_combo, self.key_combo, self.refresh_button, self.output_button, self.output_edit):
            w.setEnabled(not busy)
        if reason and not busy and self.files.count() and not self.message.text():
            self.message.setText(reason)

    @Slot()
    def start_signing(self) -> None:
        """Read the token's PIN state, then ask the PIN (once for the batch)."""
        reason = self.blocking_reason()
        if reason:
            self.message.setText(reason)
            return
        token = self.selected_token()
        module, data_dir = self.module_path, self.data_dir

        def read_state(cancel: Any, progress: Any) -> Any:
            from signing.pin_policy import default_failures, token_pin_state

            return token_pin_state(module, token_label=token.label, serial=token.serial or None,
                                   failures=default_failures(data_dir))

        self.message.setText(self.tr("Checking the token…"))
        self._state_task = self.workers.submit(read_state, pool_name=Pool.TOKEN, name="pin-state")
        self._state_task.succeeded.connect(self._ask_pin)
        self._state_task.failed.connect(self._state_failed)
        self._state_task.finished.connect(self._state_done)
        self._update_actions()

    @Slot(object)
    def _ask_pin(self, state: Any) -> None:
        token = self.selected_token()
        if token is None:
            self.message.setText(self.tr("No token found: plug in the signing token."))
            return
        dlg = PinDialog(token.label, state, self)
        self.pin_dialog = dlg
        dlg.accepted.connect(self._pin_given)
        dlg.rejected.connect(self._pin_refused)
        if state.locked:
            self.message.setText(self.tr("The token is PIN-locked; only its issuer can unlock it."))
        else:
            self.message.setText("")
        dlg.open()

    @Slot(str)
    def _state_failed(self, message: str) -> None:
        self.message.setText(message)

    @Slot()
    def _state_done(self) -> None:
        self._state_task = None
        self._update_actions()

    @Slot()
    def _pin_refused(self) -> None:
        dlg, self.pin_dialog = self.pin_dialog, None
        if dlg is not None:
            dlg.take_pin()
            dlg.deleteLater()
        if not self.message.text():
            self.message.setText(self.tr("Signing cancelled: no PIN was given."))
        self._update_actions()

    @Slot()
    def _pin_given(self) -> None:
        dlg, self.pin_dialog = self.pin_dialog, None
        if dlg is None:
            return
        pin = dlg.take_pin()
        confirmed = dlg.confirmed_final_try
        dlg.deleteLater()
        if not pin:
            self._update_actions()
            return
        self._run_batch(pin, confirmed)

    def _run_batch(self, pin: str, confirm_final_try: bool) -> None:
        from signing.batch_signing import SignJob
        from signing.pades import SignerIdentity

        token, cert = self.selected_token(), self.selected_certificate()
        if token is None or cert is None:
            self.message.setText(self.tr("No token found: plug in the signing token."))
            return
        out_text = self.output_edit.text().strip()
        folder = Path(out_text) if out_text else None
        jobs = [SignJob(p, output_for(p, folder)) for p in self.file_paths()]
        identity = SignerIdentity(organization=self.organization_edit.text().strip(),
                                  signer=self.signer_edit.text().strip(), position=self.position_edit.text().strip())
        conf = self.conf
        choice = TokenChoice.from_settings(
            self.ctx.settings, module_path=self.module_path, token_label=token.label, serial=token.serial or None,
            key_id=cert.key_id, level=self.level_combo.currentData(), tsa_url=self.tsa_edit.text().strip() or None,
            identity=identity, seal_image=Path(conf["seal_image"]) if conf.get("seal_image") else None,
            seal_mm=conf.get("seal_mm"))
        profile: str = self.profile_combo.currentData()
        db, audit, actor, data_dir = self.ctx.db, self.ctx.audit, self.actor, self.data_dir
        stop = CancelToken()
        # the PIN lives in this one-slot box until the worker takes it out: nothing here keeps it
        box = [pin]
        del pin

        def run(cancel: CancelToken, progress: Any) -> Any:
            from desktop.workflow.signing import sign_loose_files
            from signing.pin_policy import default_failures

            secret = box.pop()
            try:
                return sign_loose_files(db, audit, actor, jobs, choice, secret, profile=profile, data_dir=data_dir,
                                        failures=default_failures(data_dir), confirm_final_try=confirm_final_try,
                                        cancel=_AnyCancel(stop, cancel), progress=progress)
            finally:
                del secret

        self.stopped_by_reader = ""
        self.last_result = None
        self._batch_cancel = stop
        self._batch_token = token
        self.results.setRowCount(0)
        self.progress.setRange(0, len(jobs))
        self.progress.setValue(0)
        self.progress.show()
        self.message.setText(self.tr("Signing %n file(s)…", "", len(jobs)))
        self._batch_task = self.workers.submit(run, pool_name=Pool.TOKEN, name="sign-batch")
        self._batch_task.progress.connect(self._progress)
        self._batch_task.succeeded.connect(self._batch_done)
        self._batch_task.failed.connect(self._batch_failed)
        self._batch_task.cancelled.connect(self._batch_cancelled)
        self._batch_task.finished.connect(self._batch_finished)
        self.cancel_button.setEnabled(True)
        self._update_actions()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if message and not self.stopped_by_reader:
            self.message.setText(message)

    @Slot()
    def cancel(self) -> None:
        if self._batch_cancel is not None:
            self._batch_cancel.cancel()
            self.message.setText(self.tr("Stopping after the current file…"))
        self.cancel_button.setEnabled(False)

    @property
    def reading_tokens(self) -> bool:
        """The token list is being read again (a card came or went): the shown tokens are replaced when it ends."""
        return self._tokens_task is not None

    @property
    def signing(self) -> bool:
        return self._batch_task is not None

    # --- card presence --------------------------------------------------------------------

    def _is_batch_reader(self, reader: str) -> bool:
        token = self._batch_token
        desc = str(getattr(token, "slot_description", "") or "")
        if reader_matches(desc, reader):
            return True
        known = set(self.monitor.readers) | {reader}
        # the token's slot names no PC/SC reader we know: we cannot rule this card out
        return not any(reader_matches(desc, r) for r in known)

    @Slot(str)
    def _card_removed(self, reader: str) -> None:
        if self._batch_cancel is not None and self._is_batch_reader(reader):
            self.stopped_by_reader = reader
            self._batch_cancel.cancel()
            self.cancel_button.setEnabled(False)
            self.message.setText(self.tr("The token was removed from %1: stopping; the remaining files stay "
                                         "unsigned.").replace("%1", reader))
            return
        if self._batch_task is None:
            self.refresh_tokens()

    @Slot(str, str)
    def _card_inserted(self, reader: str, atr: str) -> None:
        if self._batch_task is None:
            self.refresh_tokens()

    # --- results --------------------------------------------------------------------------

    @Slot(object)
    def _batch_done(self, result: Any) -> None:
        self.last_result = result
        labels = {"signed": self.tr("Signed and verified"), "failed": self.tr("Not signed (error)"),
                  "unsigned": self.tr("Left unsigned")}
        self.results.setRowCount(len(result.results))
        for row, r in enumerate(result.results):
            detail = r.output if r.status == "signed" else r.error
            label = labels.get(r.status, r.status)
            bad = r.status != "signed" or r.verified is False
            if r.status == "signed" and r.verified is False:
                label = self.tr("Signed, does NOT verify")
                detail = "; ".join(r.problems) or r.output
            for col, text in enumerate((Path(r.input).name, label, detail)):
                item = QTableWidgetItem(text)
                item.setToolTip(r.input if col == 0 else text)
                if col == 1 and bad:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.results.setItem(row, col, item)
        # signed files leave the queue; the rest stay for the next batch
        done = {Path(r.input) for r in result.results if r.status == "signed"}
        for i in reversed(range(self.files.count())):
            if Path(self.files.item(i).data(Qt.ItemDataRole.UserRole)) in done:
                self.files.takeItem(i)
        left = [Path(r.input).name for r in result.results if r.status != "signed"]
        signed = len(result.signed)
        if self.stopped_by_reader or result.token_gone:
            text = self.tr("Stopped: the token was removed. %1 file(s) signed; still unsigned: %2")
        elif result.cancelled:
            text = self.tr("Cancelled. %1 file(s) signed; still unsigned: %2")
        elif left:
            text = self.tr("%1 file(s) signed; not signed: %2")
        elif result.not_verified:
            text = self.tr("%1 file(s) signed, but %3 do not verify: check the trusted roots in the settings "
                           "and that the key is the organization's.").replace(
                "%3", str(len(result.not_verified)))
        else:
            text = self.tr("All %1 file(s) signed and verified.")
        self.message.setText(text.replace("%1", str(signed)).replace("%2", ", ".join(left)))

    @Slot(str)
    def _batch_failed(self, message: str) -> None:
        self.message.setText(message)

    @Slot()
    def _batch_cancelled(self) -> None:
        self.message.setText(self.tr("Signing was cancelled."))

    @Slot()
    def _batch_finished(self) -> None:
        self._batch_task = None
        self._batch_cancel = None
        self._batch_token = None
        self.cancel_button.setEnabled(False)
        self.progress.hide()
        self._update_actions()
        self.refresh_tokens()

