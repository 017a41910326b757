"""Smart-card readers and cards seen through PC/SC, as plain events (no Qt).

A signing token is a smart card (often inside a USB stick that is its own reader). The
:class:`ReaderWatcher` thread asks the PC/SC service (pcscd on Linux, the Smart Card
service on Windows) which readers exist and whether a card is in each, and turns every
change into a :class:`ReaderEvent`: reader added/removed, card inserted (with its ATR)
/removed, service lost/back.

The service can stop under us (pcscd is restarted by an update, socket-activated and
idle-exited, or simply not installed yet): then the watcher reports ``service_lost``
once, forgets what it knew (every known card and reader is reported removed), and tries
again with a growing delay; when the service answers again it reports
``service_restored`` and the readers and cards present at that moment. It never dies of
a PC/SC error; only :meth:`ReaderWatcher.stop` ends it.

The low-level ``smartcard.scard`` API is used (not ``CardMonitor``) because it reports
errors as return codes we can act on and lets :meth:`stop` wake the thread at once
(``SCardCancel``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from desktop.kernel.i18n import msg

log = logging.getLogger(__name__)

READER_ADDED = "reader_added"
READER_REMOVED = "reader_removed"
CARD_INSERTED = "card_inserted"
CARD_REMOVED = "card_removed"
SERVICE_LOST = "service_lost"
SERVICE_RESTORED = "service_restored"

#: the pseudo reader whose state changes when a reader is plugged or unplugged
PNP_READER = "\\\\?PnP?\\Notification"

# PC/SC return codes (winscard.h); kept here so the module imports without pyscard
SCARD_S_SUCCESS = 0x0
SCARD_E_CANCELLED = 0x80100002
SCARD_E_INVALID_HANDLE = 0x80100003
SCARD_E_UNKNOWN_READER = 0x80100009
SCARD_E_TIMEOUT = 0x8010000A
SCARD_E_READER_UNAVAILABLE = 0x80100017
SCARD_E_NO_SERVICE = 0x8010001D
SCARD_E_SERVICE_STOPPED = 0x8010001E
SCARD_E_NO_READERS_AVAILABLE = 0x8010002E


def _u32(code: int) -> int:
    return code & 0xFFFFFFFF  # pyscard returns negative ints for codes on some platforms


@dataclass(frozen=True)
class ReaderEvent:
    """One change seen on the PC/SC side. ``atr`` is the card's ATR (card_inserted only)."""

    kind: str
    reader: str = ""
    atr: bytes = b""
    detail: str = ""

    @property
    def atr_hex(self) -> str:
        return self.atr.hex(" ").upper()


EventCallback = Callable[[ReaderEvent], None]


class PcscUnavailable(Exception):
    """The PC/SC service did not answer (not running, stopped, or pyscard missing)."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code


def _scard() -> Any:
    from smartcard import scard

    return scard


#: what the officer reads for the PC/SC codes they meet (pcsc-lite's own texts are English)
_PCSC_TEXTS: dict[int, tuple[str, str]] = {
    SCARD_E_NO_SERVICE: ("Dịch vụ thẻ thông minh không chạy", "The smart-card service is not running"),
    SCARD_E_SERVICE_STOPPED: ("Dịch vụ thẻ thông minh đã dừng", "The smart-card service was stopped"),
    SCARD_E_NO_READERS_AVAILABLE: ("Không thấy đầu đọc thẻ nào", "No card reader found"),
    SCARD_E_READER_UNAVAILABLE: ("Đầu đọc thẻ không dùng được (đã rút ra?)", "The card reader is unavailable (unplugged?)"),
    SCARD_E_UNKNOWN_READER: ("Đầu đọc thẻ không còn nữa", "The card reader is no longer there"),
    SCARD_E_TIMEOUT: ("Hết thời gian chờ dịch vụ thẻ", "The smart-card service timed out"),
    SCARD_E_INVALID_HANDLE: ("Kết nối với dịch vụ thẻ đã mất", "The connection to the smart-card service was lost"),
    SCARD_E_CANCELLED: ("Đã hủy", "Cancelled"),
    0x80100069: ("Thẻ đã bị rút ra", "The card was removed"),  # SCARD_W_REMOVED_CARD
    0x80100068: ("Thẻ đã bị khởi động lại", "The card was reset"),  # SCARD_W_RESET_CARD
    0x80100066: ("Thẻ không phản hồi", "The card does not respond"),  # SCARD_W_UNRESPONSIVE_CARD
    0x8010000B: ("Thẻ đang được chương trình khác dùng", "The card is in use by another program"),  # SHARING_VIOLATION
}


def _error_text(code: int) -> str:
    """The officer's words for a PC/SC code, with the code for support; pcsc-lite's English
    text goes to the log only (it leaked into the Vietnamese status bar before)."""
    c = _u32(code)
    with suppress(Exception):  # only for the log
        log.debug("PC/SC 0x%08X: %s", c, _scard().SCardGetErrorMessage(code).strip())
    vi, en = _PCSC_TEXTS.get(c, ("Lỗi dịch vụ thẻ thông minh", "Smart-card service error"))
    return msg("{t} (0x{c:08X})", "{t} (0x{c:08X})", t=msg(vi, en), c=c)


def _establish() -> Any:
    scard = _scard()
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if _u32(hr) != SCARD_S_SUCCESS:
        raise PcscUnavailable(_u32(hr), _error_text(hr))
    return ctx


def _release(ctx: Any) -> None:
    with suppress(Exception):  # a context of a dead service cannot be released
        _scard().SCardReleaseContext(ctx)


def _list_readers(ctx: Any) -> list[str]:
    hr, readers = _scard().SCardListReaders(ctx, [])
    code = _u32(hr)
    if code == SCARD_E_NO_READERS_AVAILABLE:
        return []
    if code != SCARD_S_SUCCESS:
        raise PcscUnavailable(code, _error_text(hr))
    return list(readers)


def list_readers() -> list[str]:
    """The readers the PC/SC service lists now; :class:`PcscUnavailable` if it does not answer."""
    try:
        ctx = _establish()
    except ImportError as exc:
        raise PcscUnavailable(0, msg("Chưa cài thư viện pyscard ({e}).", "The pyscard library is missing ({e}).",
                                     e=exc)) from exc
    try:
        return _list_readers(ctx)
    finally:
        _release(ctx)


def pcsc_status() -> tuple[bool, str]:
    """For ``motcua self-test``: is the PC/SC service reachable, and which readers it lists."""
    try:
        readers = list_readers()
    except PcscUnavailable as exc:
        if exc.code in (SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED):
            return False, msg("Dịch vụ thẻ thông minh (PC/SC, pcscd) không chạy: {e}",
                              "The smart-card service (PC/SC, pcscd) is not running: {e}", e=str(exc))
        return False, msg("Không kết nối được dịch vụ PC/SC: {e}", "Cannot reach the PC/SC service: {e}", e=str(exc))
    if not readers:
        return True, msg("PC/SC đang chạy; chưa có đầu đọc nào (hãy cắm token).",
                         "PC/SC is running; no readers yet (plug in the token).")
    return True, msg("PC/SC đang chạy; {n} đầu đọc: {r}", "PC/SC is running; {n} reader(s): {r}",
                     n=len(readers), r=", ".join(readers))


class ReaderWatcher:
    """Watch readers and cards in a thread of its own and call ``callback`` for each change.

    ``callback`` runs on the watcher thread; it must be quick and must not block (the Qt
    adapter only posts the event to the main thread). ``poll_s`` bounds how long one
    wait lasts, so readers are re-listed even where PnP notification is missing.
    """

    def __init__(self, callback: EventCallback, *, poll_s: float = 0.5, backoff_min_s: float = 0.25,
                 backoff_max_s: float = 5.0, name: str = "pcsc-watcher") -> None:
        self._callback = callback
        self.poll_s = poll_s
        self.backoff_min_s = backoff_min_s
        self.backoff_max_s = backoff_max_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._ctx: Any = None
        self._thread: threading.Thread | None = None
        self._name = name
        # what we last reported: reader -> ATR of the card in it (None: no card)
        self._known: dict[str, bytes | None] = {}
        self._service_up: bool | None = None  # None: not asked yet
        self._reader_states: dict[str, int] = {}

    # --- public -------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the thread to end, wake it, and wait for it. True when it has ended."""
        self._stop.set()
        with self._lock:
            ctx = self._ctx
        if ctx is not None:
            with suppress(Exception):  # the thread wakes on its timeout anyway
                _scard().SCardCancel(ctx)  # wakes a blocked SCardGetStatusChange at once
        t = self._thread
        if t is None:
            return True
        t.join(timeout)
        if t.is_alive():
            return False
        self._thread = None
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def service_up(self) -> bool | None:
        return self._service_up

    def snapshot(self) -> dict[str, bytes | None]:
        """Readers reported so far and the ATR of the card in each (None: empty)."""
        with self._lock:
            return dict(self._known)

    # --- thread -------------------------------------------------------------------

    def _emit(self, event: ReaderEvent) -> None:
        try:
            self._callback(event)
        except Exception:  # a broken listener must not end the watcher
            log.exception("reader event listener failed on %s", event.kind)

    def _run(self) -> None:
        delay = self.backoff_min_s
        while not self._stop.is_set():
            try:
                ctx = _establish()
            except (PcscUnavailable, ImportError) as exc:
                self._lost(str(exc) if isinstance(exc, PcscUnavailable)
                           else msg("Chưa cài thư viện pyscard ({e}).", "The pyscard library is missing ({e}).", e=exc))
                # backoff: a stopped service must not cost a busy loop; stop() cuts the wait short
                self._stop.wait(delay)
                delay = min(delay * 2, self.backoff_max_s)
                continue
            delay = self.backoff_min_s
            with self._lock:
                self._ctx = ctx
            try:
                if self._service_up is not True:
                    was_lost = self._service_up is False
                    self._service_up = True
                    if was_lost:
                        log.info("PC/SC service is back")
                        self._emit(ReaderEvent(SERVICE_RESTORED))
                self._watch(ctx)
            except PcscUnavailable as exc:
                log.info("PC/SC context failed: %s", exc)
                # the context died (service restarted or stopped): try a new one right away;
                # only a failing SCardEstablishContext counts as the service being lost
            finally:
                with self._lock:
                    self._ctx = None
                _release(ctx)
        log.debug("reader watcher stopped")

    def _lost(self, detail: str) -> None:
        if self._service_up is False:
            return
        self._service_up = False
        log.warning("PC/SC service unavailable: %s", detail)
        self._emit(ReaderEvent(SERVICE_LOST, detail=detail))
        for reader in list(self._known):
            self._forget(reader)

    def _forget(self, reader: str) -> None:
        with self._lock:
            atr = self._known.pop(reader, None)
        self._reader_states.pop(reader, None)
        if atr is not None:
            self._emit(ReaderEvent(CARD_REMOVED, reader))
        self._emit(ReaderEvent(READER_REMOVED, reader))

    def _sync_readers(self, ctx: Any) -> list[str]:
        readers = _list_readers(ctx)
        for gone in [r for r in self._known if r not in readers]:
            self._forget(gone)
        for new in readers:
            if new not in self._known:
                with self._lock:
                    self._known[new] = None
                self._reader_states[new] = 0  # SCARD_STATE_UNAWARE: the first wait answers at once
                self._emit(ReaderEvent(READER_ADDED, new))
        return readers

    def _card(self, reader: str, state: int, atr: bytes) -> None:
        scard = _scard()
        if state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_IGNORE):
            return  # the reader went away; the next listing reports it
        present = bool(state & scard.SCARD_STATE_PRESENT)
        before = self._known.get(reader)
        if present and before is None:
            with self._lock:
                self._known[reader] = atr
            self._emit(ReaderEvent(CARD_INSERTED, reader, atr))
        elif present and before is not None and atr and atr != before:
            # a card swapped between two waits: report it as a removal and an insertion
            with self._lock:
                self._known[reader] = atr
            self._emit(ReaderEvent(CARD_REMOVED, reader))
            self._emit(ReaderEvent(CARD_INSERTED, reader, atr))
        elif not present and before is not None:
            with self._lock:
                self._known[reader] = None
            self._emit(ReaderEvent(CARD_REMOVED, reader))

    def _watch(self, ctx: Any) -> None:
        scard = _scard()
        pnp_state = 0
        timeout_ms = max(1, int(self.poll_s * 1000))
        while not self._stop.is_set():
            readers = self._sync_readers(ctx)
            states = [(r, self._reader_states.get(r, 0)) for r in readers]
            states.append((PNP_READER, pnp_state))
            hr, new_states = scard.SCardGetStatusChange(ctx, timeout_ms, states)
            code = _u32(hr)
            if code in (SCARD_E_TIMEOUT, SCARD_E_CANCELLED):
                continue
            if code in (SCARD_E_UNKNOWN_READER, SCARD_E_READER_UNAVAILABLE):
                # a reader vanished between listing and waiting; re-list, but do not spin
                self._stop.wait(0.05)
                continue
            if code != SCARD_S_SUCCESS:
                raise PcscUnavailable(code, _error_text(hr))
            for reader, event_state, atr in new_states:
                clean = event_state & ~scard.SCARD_STATE_CHANGED
                if reader == PNP_READER:
                    pnp_state = clean
                    continue
                self._reader_states[reader] = clean
                self._card(reader, event_state, bytes(atr or b""))
