"""Qt adapter for :mod:`signing.readers`: reader and card events as Qt signals on the main thread.

The watcher thread calls :meth:`TokenMonitor.post` for every event; ``post`` only emits a
private signal, whose queued connection hands the event to the main thread, where the
public signals are emitted. Widgets therefore never run code on the watcher thread.

One monitor per application context (:func:`monitor_for`): the status bar and the
signing screen listen to the same watcher, and the context stops it at close.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from signing.readers import (
    CARD_INSERTED,
    CARD_REMOVED,
    READER_ADDED,
    READER_REMOVED,
    SERVICE_LOST,
    SERVICE_RESTORED,
    ReaderEvent,
    ReaderWatcher,
)

log = logging.getLogger(__name__)


class TokenMonitor(QObject):
    """Reader/card presence as signals. ``tokenInserted(reader, atr_hex)``, ``tokenRemoved(reader)``,
    ``readerAdded(reader)``, ``readerRemoved(reader)``, ``serviceLost(detail)``, ``serviceRestored()``.

    It also keeps the current picture (:attr:`readers`: reader → ATR hex or "" when
    empty; :attr:`service_ok`) for widgets created after the events went by.
    """

    tokenInserted = Signal(str, str)
    tokenRemoved = Signal(str)
    readerAdded = Signal(str)
    readerRemoved = Signal(str)
    serviceLost = Signal(str)
    serviceRestored = Signal()
    #: every event, after the specific signal (for widgets that redraw on any change)
    changed = Signal()
    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None, *, poll_s: float = 0.5, watcher: Any = None) -> None:
        super().__init__(parent)
        self.readers: dict[str, str] = {}
        self.service_ok: bool | None = None
        self.service_detail = ""
        self._posted.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._watcher = watcher if watcher is not None else ReaderWatcher(self.post, poll_s=poll_s)

    # --- life cycle -------------------------------------------------------------------

    def start(self) -> None:
        self._watcher.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop and join the watcher thread (application exit, test teardown)."""
        return bool(self._watcher.stop(timeout))

    @property
    def running(self) -> bool:
        return bool(getattr(self._watcher, "running", False))

    # --- events -----------------------------------------------------------------------

    def post(self, event: ReaderEvent) -> None:
        """Thread-safe: hand ``event`` to the main thread (called by the watcher thread)."""
        self._posted.emit(event)

    @Slot(object)
    def _dispatch(self, event: ReaderEvent) -> None:
        kind, reader = event.kind, event.reader
        if kind == READER_ADDED:
            self.readers.setdefault(reader, "")
            self.readerAdded.emit(reader)
        elif kind == READER_REMOVED:
            self.readers.pop(reader, None)
            self.readerRemoved.emit(reader)
        elif kind == CARD_INSERTED:
            self.readers[reader] = event.atr_hex
            self.tokenInserted.emit(reader, event.atr_hex)
        elif kind == CARD_REMOVED:
            if reader in self.readers:
                self.readers[reader] = ""
            self.tokenRemoved.emit(reader)
        elif kind == SERVICE_LOST:
            self.service_ok, self.service_detail = False, event.detail
            self.serviceLost.emit(event.detail)
        elif kind == SERVICE_RESTORED:
            self.service_ok, self.service_detail = True, ""
            self.serviceRestored.emit()
        else:
            log.warning("unknown reader event %r", kind)
            return
        if kind in (READER_ADDED, CARD_INSERTED) and self.service_ok is None:
            self.service_ok = True  # the first answer of the service is not a "restored"
        self.changed.emit()

    def cards(self) -> dict[str, str]:
        """Readers that hold a card now, with the card's ATR (hex)."""
        return {r: atr for r, atr in self.readers.items() if atr}


_monitors: weakref.WeakKeyDictionary[Any, TokenMonitor] = weakref.WeakKeyDictionary()


def monitor_for(ctx: Any) -> TokenMonitor:
    """The running monitor of this application context (created, started and registered
    for stopping at ``ctx.close()`` on first use)."""
    mon = _monitors.get(ctx)
    if mon is None:
        mon = TokenMonitor()
        mon.start()
        _monitors[ctx] = mon
        ctx.on_close("token monitor", mon.stop)
    return mon
