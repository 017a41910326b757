"""Finding SANE devices without risking the application: the probe runs in a child process.

``sane_get_devices`` loads every backend of ``dll.conf``, and a backend that aborts in C
(see :mod:`scanning.sane_child` for the ones found) takes the whole process with it — on a
counter workstation, opening the scan screen closed the application. So discovery
(``sane_init``, ``sane_get_devices`` and reading each device's options) runs in a spawned
child (spawn, never fork: the application has Qt, OpenCV and worker threads) with a timeout.
If the child dies (a signal, a non-zero exit) or hangs, :class:`ProbeFailed` says what
happened, in both languages; the application, file import and the other sources go on.

A spawned child starts its own interpreter with a fresh descriptor table, which also removes
the cause found here (descriptors past ``FD_SETSIZE`` in a long-lived process).

The result is cached for :data:`CACHE_S` per SANE configuration, so a scan screen opened
again soon does not pay for a process start; a refresh asks for a fresh probe. A failure is
cached the same way: a crashing backend is not re-run at every open, and Refresh retries.
"""

from __future__ import annotations

import importlib.util
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.kernel.i18n import msg
from scanning.sane_child import FAULT_ENV
from scanning.sane_child import probe as child_probe
from scanning.sources.base import Capabilities, SourceUnavailable

log = logging.getLogger(__name__)

#: seconds the child may take; the full Debian dll.conf needs about 3.5 s with no scanner
#: (epson2, magicolor and pixma wait for network answers), a USB scanner's options a few more
PROBE_TIMEOUT_S = 30.0
#: how long a probe's answer is reused without asking (a refresh always asks)
CACHE_S = 60.0
#: seconds the child gets for sane_exit once it has answered, before it is killed
EXIT_WAIT_S = 5.0


class ProbeFailed(SourceUnavailable):
    """The probe's child process died, hung or answered nonsense."""

    code = "probe_failed"


@dataclass(frozen=True)
class ProbedDevice:
    name: str
    vendor: str
    model: str
    type: str
    #: ``None`` when the options were not read or the device could not be opened
    capabilities: Capabilities | None = None
    #: why the device could not be opened in the probe (busy, no permission…)
    error: str = ""


@dataclass(frozen=True)
class ProbeResult:
    devices: tuple[ProbedDevice, ...]
    with_options: bool
    seconds: float


_HINT = ("Bỏ trình điều khiển (backend) gây lỗi khỏi /etc/sane.d/dll.conf (ví dụ pixma, epson2, dell1600n_net nếu "
         "không dùng máy quét mạng của hãng đó), rồi bấm \"Làm mới\". Vẫn nhập được tệp ảnh/PDF.",
         "Disable the failing backend in /etc/sane.d/dll.conf (e.g. pixma, epson2, dell1600n_net if no network scanner "
         "of that make is used), then press Refresh. Importing image/PDF files still works.")


def _died(exitcode: int) -> ProbeFailed:
    if exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
        return ProbeFailed(msg("Việc tìm máy quét bị dừng đột ngột: một trình điều khiển SANE làm tiến trình dò tìm "
                               "chết ({s}). Ứng dụng vẫn chạy bình thường.",
                               "The scanner search crashed: a SANE driver killed the probe process ({s}). "
                               "The application keeps running.", s=how), hint=msg(*_HINT))
    return ProbeFailed(msg("Việc tìm máy quét thất bại: tiến trình dò tìm SANE thoát với mã {c}. Ứng dụng vẫn chạy "
                           "bình thường.", "The scanner search failed: the SANE probe process exited with code {c}. "
                           "The application keeps running.", c=exitcode), hint=msg(*_HINT))


def _timed_out(seconds: float) -> ProbeFailed:
    return ProbeFailed(msg("Việc tìm máy quét quá {n} giây chưa xong (một trình điều khiển SANE bị treo) nên đã "
                           "dừng. Ứng dụng vẫn chạy bình thường.",
                           "The scanner search took over {n} s (a SANE driver hung) and was stopped. "
                           "The application keeps running.", n=f"{seconds:g}"), hint=msg(*_HINT))


class ChildFailed(Exception):
    """The child ended without an answer: ``exitcode`` (``None``: still running at ``timeout``)."""

    def __init__(self, exitcode: int | None, timeout: float) -> None:
        super().__init__(exitcode, timeout)
        self.exitcode, self.timeout = exitcode, timeout

    def for_people(self) -> ProbeFailed:
        """What to tell the officer, in the language of the moment (a cached failure is told again)."""
        return _timed_out(self.timeout) if self.exitcode is None else _died(self.exitcode)


def run_child(with_options: bool, timeout: float) -> Any:
    """Run :func:`scanning.sane_child.probe` in a spawned process and return what it sent;
    :class:`ChildFailed` if it died or hung."""
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=child_probe, args=(sender, with_options), name="sane-probe", daemon=True)
    proc.start()
    sender.close()  # the child holds the only writer: its death shows as end-of-file here
    try:
        deadline = time.monotonic() + timeout
        if not multiprocessing.connection.wait([receiver], timeout):
            raise ChildFailed(None, timeout)
        try:
            answer = receiver.recv()
        except (EOFError, OSError):
            proc.join(max(0.0, deadline - time.monotonic()))
            raise ChildFailed(proc.exitcode, timeout) from None
        except Exception:  # an answer that does not unpickle: parse() calls it malformed
            log.warning("SANE probe's answer could not be read", exc_info=True)
            answer = None
        # sane_exit runs after the answer: the answer is not held back long for it
        proc.join(min(EXIT_WAIT_S, max(0.0, deadline - time.monotonic())))
        if proc.exitcode is None:
            log.warning("SANE probe answered but did not exit (sane_exit hung): killed")
        elif proc.exitcode != 0:  # the answer is complete; a crash in sane_exit is only logged
            log.warning("SANE probe exited with %s after answering", proc.exitcode)
        return answer
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
            proc.join(5)


class _Option:
    """One option descriptor as the child sent it, with python-sane's ``Option`` tests."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.name = str(raw["name"] or "")
        self.py_name = str(raw["py_name"] or "")
        self.type = int(raw["type"])
        self.cap = int(raw["cap"])
        constraint = raw.get("constraint")
        self.constraint = constraint if constraint is None or isinstance(constraint, (tuple, list)) else None

    def is_active(self) -> bool:
        import _sane

        return bool(_sane.OPTION_IS_ACTIVE(self.cap))

    def is_settable(self) -> bool:
        import _sane

        return bool(_sane.OPTION_IS_SETTABLE(self.cap))


class _Described:
    """Enough of an open device for :func:`capabilities_of`: its options."""

    def __init__(self, options: list[Mapping[str, Any]]) -> None:
        self.opt = {o.py_name: o for o in map(_Option, options)}


def parse(answer: Any, with_options: bool) -> tuple[ProbedDevice, ...]:
    """The devices in the child's answer; :class:`SourceUnavailable` for the errors it reports."""
    from scanning.sources.sane_source import capabilities_of, missing_sane, sane_failed

    if not isinstance(answer, dict):
        raise ProbeFailed(msg("Tiến trình dò tìm SANE trả lời không đúng dạng.", "The SANE probe sent a malformed answer."))
    error = answer.get("error")
    if error == "missing":
        raise missing_sane(answer.get("detail", ""))
    if error is not None:
        raise sane_failed(str(answer.get("detail", error)))
    devices = []
    try:
        for entry in answer["devices"]:
            caps = None
            if with_options and entry.get("options") is not None:
                caps = capabilities_of(_Described(entry["options"]))
            devices.append(ProbedDevice(str(entry["name"]), str(entry["vendor"]), str(entry["model"]),
                                        str(entry["type"]), caps, str(entry.get("error", ""))))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProbeFailed(msg("Tiến trình dò tìm SANE trả lời không đúng dạng ({e}).",
                              "The SANE probe sent a malformed answer ({e}).", e=exc)) from exc
    return tuple(devices)


# --- the cache ------------------------------------------------------------------------------

_cache_lock = threading.Lock()
#: per configuration: when, and the result or the cause of the failure (the child's answer or
#: ChildFailed), from which the message is made again in the language of the moment
_cache: dict[tuple[str, ...], tuple[float, ProbeResult | ChildFailed | Any]] = {}
#: replaceable in tests that must not start a process
runner: Callable[[bool, float], Any] = run_child


def _key() -> tuple[str, ...]:
    # another SANE configuration is another set of backends (the tests switch between them)
    return (os.environ.get("SANE_CONFIG_DIR", ""), os.environ.get(FAULT_ENV, ""))


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _failure(cause: Any, with_options: bool) -> SourceUnavailable:
    if isinstance(cause, ChildFailed):
        return cause.for_people()
    try:
        parse(cause, with_options)
    except SourceUnavailable as exc:
        return exc
    return ProbeFailed(msg("Tiến trình dò tìm SANE trả lời không đúng dạng.", "The SANE probe sent a malformed answer."))


def probe(*, fresh: bool = False, with_options: bool = True, timeout: float = PROBE_TIMEOUT_S) -> ProbeResult:
    """The SANE devices here, from the cache or a new child; :class:`SourceUnavailable` (or
    :class:`ProbeFailed`) when SANE cannot tell. Callers serialize through the SANE session lock."""
    key = _key()
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and not fresh and time.monotonic() - cached[0] < CACHE_S:
        value = cached[1]
        if not isinstance(value, ProbeResult):
            raise _failure(value, with_options)
        if value.with_options or not with_options:
            return value
    if importlib.util.find_spec("sane") is None:  # no process start to learn that
        from scanning.sources.sane_source import missing_sane

        raise missing_sane("No module named 'sane'")
    started = time.monotonic()
    outcome: ProbeResult | ChildFailed | Any
    error: SourceUnavailable | None = None
    try:
        outcome = answer = runner(with_options, timeout)
        outcome = ProbeResult(parse(answer, with_options), with_options, time.monotonic() - started)
    except ChildFailed as exc:
        outcome, error = exc, exc.for_people()
    except SourceUnavailable as exc:  # outcome stays the answer that says so
        error = exc
    with _cache_lock:
        _cache[key] = (time.monotonic(), outcome)
    if error is not None:
        log.warning("SANE probe failed: %s", error.message)
        raise error
    assert isinstance(outcome, ProbeResult)
    return outcome
