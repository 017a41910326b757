"""Status-bar widget for the signing token: reader, card, certificate subject, days to expiry.

Reader and card come from the PC/SC monitor (:mod:`ui.token_monitor`) as they change;
the certificate comes from the configured PKCS#11 module
(``signing.tokens.TokenManager.list_tokens``), read again on the "token" pool whenever a
card comes or goes, when the service is back, and every hour (so the day count moves).
A certificate that expires within 30 days is shown in warning colours: getting a new
one from the CA takes days, and an expired certificate stops every signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from signing.policy import WARN_DAYS, pick_certificate
from ui.token_monitor import TokenMonitor, monitor_for
from ui.workers import Pool, Task, Workers

if TYPE_CHECKING:
    from desktop.context import AppContext
    from signing.tokens import CertInfo

REFRESH_MS = 3_600_000
OK_COLOR, WARN_COLOR, BAD_COLOR, DIM_COLOR = "#1b5e20", "#b45309", "#b00020", "#555"


def short_subject(cert: CertInfo) -> str:
    return cert.common_name or cert.subject


class TokenStatus(QWidget):
    """``TokenStatus(ctx, parent, workers=...)`` in the main window; tests pass ``monitor`` and ``list_tokens``."""

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None, *, workers: Workers,
                 monitor: TokenMonitor | None = None,
                 module_path: str | None = None, list_tokens: Callable[[], list[Any]] | None = None,
                 key_id: str | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.setObjectName("tokenStatus")
        self.monitor = monitor if monitor is not None else monitor_for(ctx)
        settings = getattr(ctx, "settings", None)
        self.module_path = module_path if module_path is not None else getattr(settings, "pkcs11_module", "") or ""
        conf = (getattr(settings, "extra", {}) or {}).get("signing", {}) if settings is not None else {}
        self.key_id = key_id if key_id is not None else conf.get("key_id")
        self._list_tokens = list_tokens
        self.tokens: list[Any] = []
        self.token_error = ""
        self._task: Task | None = None
        self._again = False

        self.reader_label = QLabel()
        self.reader_label.setObjectName("reader")
        self.cert_label = QLabel()
        self.cert_label.setObjectName("certificate")
        self.expiry_label = QLabel()
        self.expiry_label.setObjectName("expiry")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        for w in (self.reader_label, self.cert_label, self.expiry_label):
            lay.addWidget(w)

        m = self.monitor
        m.changed.connect(self._show_reader)
        m.tokenInserted.connect(self._card_changed)
        m.tokenRemoved.connect(self._card_changed)
        m.serviceRestored.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._show_reader()
        self._show_certificate()
        self.refresh()

    # --- reader and card (PC/SC) ----------------------------------------------------------

    @Slot()
    def _show_reader(self) -> None:
        m = self.monitor
        if m.service_ok is False:
            text, color = self.tr("○ Card service stopped"), BAD_COLOR
            tip = self.tr("The smart-card service (PC/SC) is not running: %1").replace("%1", m.service_detail)
        elif not m.readers:
            text, color = self.tr("○ No card reader"), DIM_COLOR
            tip = self.tr("Plug in the signing token (or its card reader).")
        else:
            cards = m.cards()
            if cards:
                reader = next(iter(cards))
                text, color = self.tr("● %1: card present").replace("%1", reader), OK_COLOR
                tip = "\n".join(self.tr("%1: card, ATR %2").replace("%1", r).replace("%2", a) for r, a in cards.items())
            else:
                reader = next(iter(m.readers))
                text, color = self.tr("○ %1: no card").replace("%1", reader), DIM_COLOR
                tip = "\n".join(m.readers)
        self.reader_label.setText(text)
        self.reader_label.setToolTip(tip)
        self.reader_label.setStyleSheet(f"color: {color};")

    @Slot(str)
    @Slot(str, str)
    def _card_changed(self, *_: str) -> None:
        self.refresh()

    # --- certificate (PKCS#11) -----------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Read the tokens again on the "token" pool (once more after a running read ends)."""
        if self._list_tokens is None and not self.module_path:
            self.tokens, self.token_error = [], ""
            self._show_certificate()
            return
        if self._task is not None:
            self._again = True
            return
        fn = self._list_tokens
        module = self.module_path

        def read(cancel: Any, progress: Any) -> list[Any]:
            if fn is not None:
                return fn()
            from signing.tokens import TokenManager

            return TokenManager(module).list_tokens()

        self._task = self.workers.submit(read, pool_name=Pool.TOKEN, name="token-status")
        self._task.succeeded.connect(self._tokens_read)
        self._task.failed.connect(self._tokens_failed)
        self._task.finished.connect(self._read_done)

    @Slot(object)
    def _tokens_read(self, tokens: list[Any]) -> None:
        self.tokens, self.token_error = list(tokens), ""
        self._show_certificate()

    @Slot(str)
    def _tokens_failed(self, message: str) -> None:
        self.tokens, self.token_error = [], message
        self._show_certificate()

    @Slot()
    def _read_done(self) -> None:
        self._task = None
        if self._again:
            self._again = False
            self.refresh()

    def _show_certificate(self) -> None:
        cert_l, exp_l = self.cert_label, self.expiry_label
        exp_l.setText("")
        exp_l.setToolTip("")
        if not self.module_path and self._list_tokens is None:
            cert_l.setText(self.tr("No token module set"))
            cert_l.setToolTip(self.tr("Choose the token's PKCS#11 library in Settings."))
            cert_l.setStyleSheet(f"color: {DIM_COLOR};")
            return
        if self.token_error:
            cert_l.setText(self.tr("Token error"))
            cert_l.setToolTip(self.token_error)
            cert_l.setStyleSheet(f"color: {BAD_COLOR};")
            return
        token, cert = pick_certificate(self.tokens, self.key_id)
        if token is None:
            cert_l.setText(self.tr("No token"))
            cert_l.setToolTip(self.tr("No token is visible through %1.").replace("%1", self.module_path))
            cert_l.setStyleSheet(f"color: {DIM_COLOR};")
            return
        if cert is None:
            cert_l.setText(self.tr("%1: no certificate").replace("%1", token.label))
            cert_l.setToolTip("")
            cert_l.setStyleSheet(f"color: {BAD_COLOR};")
            return
        cert_l.setText(short_subject(cert))
        cert_l.setToolTip(self.tr("Token %1 (serial %2)\nSubject: %3\nIssuer: %4\nValid %5 → %6\nCKA_ID %7")
                          .replace("%1", token.label).replace("%2", token.serial).replace("%3", cert.subject)
                          .replace("%4", cert.issuer).replace("%5", cert.not_before).replace("%6", cert.not_after)
                          .replace("%7", cert.key_id))
        cert_l.setStyleSheet("")
        days = int(cert.days_to_expiry)
        if days < 0:
            exp_l.setText(self.tr("⚠ expired %n day(s) ago", "", -days))
            color = BAD_COLOR
        elif days < WARN_DAYS:
            exp_l.setText(self.tr("⚠ expires in %n day(s)", "", days))
            exp_l.setToolTip(self.tr("Ask the certificate authority for a new certificate now."))
            color = WARN_COLOR
        else:
            exp_l.setText(self.tr("%n day(s) left", "", days))
            color = OK_COLOR
        exp_l.setStyleSheet(f"color: {color};{' font-weight: bold;' if days < WARN_DAYS else ''}")

    @property
    def warning(self) -> bool:
        """Whether the expiry is shown as a warning (under 30 days, or expired)."""
        _, cert = pick_certificate(self.tokens, self.key_id)
        return cert is not None and int(cert.days_to_expiry) < WARN_DAYS
