"""Real PC/SC for tests: a pcscd we start (and can stop and restart), vsmartcard's virtual
reader (vpcd, loaded by pcscd from /etc/reader.conf.d/vpcd) and virtual cards in it.

* :class:`Pcscd` starts ``pcscd --foreground --info`` (as root; it owns /run/pcscd). Only
  one pcscd can run on a machine, so a file lock serializes test sessions that need it;
  a pcscd already running when we hold the lock is reused as it is (and stopped like
  ours when a test stops the service; the one we start afterwards is ours and is stopped
  at the end).
* :class:`Vicc` is vsmartcard's own card emulator (``vicc -t iso7816``): starting it is
  inserting a card into "Virtual PCD 00 00", killing it is pulling the card out. vicc
  exits when pcscd goes away.
* :class:`VpcdCard` is our own small client of the vpcd socket protocol with any ATR and
  any slot; with ``reconnect=True`` it comes back after a pcscd restart, as a card left
  in a USB token does.

vpcd listens on ports 35963 and 35964, inside Linux's ephemeral range: a client socket of
any other test (a PostgreSQL pool, an HTTP client) that the kernel gave one of those local
ports keeps vpcd from binding it, and pcscd then comes up without the virtual readers (a
full CI run failed so). :func:`reserve_vpcd_ports` takes them out of the ephemeral range for
the test session.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

RUN_DIR = Path("/run/pcscd")
COMM = RUN_DIR / "pcscd.comm"
PID_FILE = RUN_DIR / "pcscd.pid"
LOCK_FILE = Path("/tmp/motcua-tests-pcscd.lock")
VPCD_PORT = 0x8C7B  # 35963, slot n listens on VPCD_PORT + n
VPCD_PORTS = (VPCD_PORT, VPCD_PORT + 1)  # the two slots of /etc/reader.conf.d/vpcd
RESERVED_PORTS = Path("/proc/sys/net/ipv4/ip_local_reserved_ports")
READER_0, READER_1 = "Virtual PCD 00 00", "Virtual PCD 00 01"
VICC_PATH = "/usr/bin/vicc"
VICC_PYTHONPATH = "/usr/lib/python3/site-packages/virtualsmartcard"
# the Python running the tests has pycryptodome, which vicc needs
VENV_PYTHON = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "python")


def wait_until(pred, timeout: float = 10.0, step: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return bool(pred())


def _pid_alive(pid: int) -> bool:
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (OSError, IndexError):
        state = ""
    return comm == "pcscd" and state != "Z"


def running_pcscd_pid() -> int | None:
    try:
        pid = int(PID_FILE.read_text().strip(" \n\0"))  # pcscd writes "PID\n\0"
    except (OSError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def _ranges(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.replace("\n", "").split(","):
        if part.strip():
            lo, _, hi = part.strip().partition("-")
            out.append((int(lo), int(hi or lo)))
    return out


def reserve_vpcd_ports(path: Path = RESERVED_PORTS) -> Callable[[], None] | None:
    """Keep the kernel from handing vpcd's ports to client sockets; returns how to undo it, or
    None when there is nothing to undo (already reserved, or not root / no such setting)."""
    try:
        before = path.read_text().strip()
        ranges = _ranges(before)
    except (OSError, ValueError):
        return None
    if all(any(lo <= port <= hi for lo, hi in ranges) for port in VPCD_PORTS):
        return None
    wanted = ",".join(filter(None, [before, f"{VPCD_PORTS[0]}-{VPCD_PORTS[-1]}"]))
    try:
        path.write_text(wanted + "\n")
    except OSError:
        return None

    def undo() -> None:
        with contextlib.suppress(OSError):
            path.write_text(before + "\n")

    return undo


def _port_holders() -> str:
    """Who holds vpcd's ports, as ``ss`` shows it ("" when no one or no ss)."""
    ss = shutil.which("ss")
    if ss is None:
        return ""
    filt = " or ".join(f"sport = :{p}" for p in VPCD_PORTS)
    run = subprocess.run([ss, "-Htanp", filt], capture_output=True, text=True, check=False)
    return run.stdout.strip()


class Pcscd:
    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock_fd: int | None = None
        self._log: IO[bytes] | None = None
        self.reused = False
        self.starts = 0

    @staticmethod
    def available() -> bool:
        return (shutil.which("pcscd") is not None or Path("/usr/sbin/pcscd").exists()) and os.geteuid() == 0

    def acquire(self, timeout: float = 300.0) -> None:
        fd = os.open(LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o666)
        end = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > end:
                    os.close(fd)
                    raise RuntimeError("another test session holds the pcscd lock") from None
                time.sleep(0.2)
        self._lock_fd = fd

    def release(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    @property
    def running(self) -> bool:
        return (self.proc is not None and self.proc.poll() is None) or running_pcscd_pid() is not None

    def start(self, timeout: float = 15.0) -> Pcscd:
        if self.running:
            if self.proc is None:
                self.reused = True  # someone else's pcscd: use it as it is
        else:
            exe = shutil.which("pcscd") or "/usr/sbin/pcscd"
            self.starts += 1
            self._log = open(self.log_dir / f"pcscd-{self.starts}.log", "wb")  # noqa: SIM115 - closed in stop()
            self.proc = subprocess.Popen([exe, "--foreground", "--info"], stdout=self._log, stderr=subprocess.STDOUT)
        if not wait_until(self._ready, timeout):
            raise RuntimeError(f"pcscd did not come up with {READER_0!r}; see {self.log_dir}\n"
                               f"{self._log_tail()}\nvpcd's ports: {_port_holders() or 'free'}")
        return self

    def _log_tail(self, lines: int = 15) -> str:
        try:
            text = (self.log_dir / f"pcscd-{self.starts}.log").read_text(errors="replace")
        except OSError:
            return "(no log of ours: a pcscd already running was used)"
        return "\n".join(text.splitlines()[-lines:])

    def _ready(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"pcscd exited with {self.proc.returncode}; see {self.log_dir}")
        if not COMM.exists():
            return False
        from signing.readers import PcscUnavailable, list_readers

        try:
            return READER_0 in list_readers()
        except PcscUnavailable:
            return False

    def stop(self) -> None:
        """Stop the running pcscd (ours, or the one we reused) and wait until it is gone."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(5)
            self.proc = None
        else:
            pid = running_pcscd_pid()
            if pid is not None:
                os.kill(pid, signal.SIGTERM)
                if not wait_until(lambda: not _pid_alive(pid), 10):
                    os.kill(pid, signal.SIGKILL)
                    wait_until(lambda: not _pid_alive(pid), 5)
        if self._log is not None:
            self._log.close()
            self._log = None
        wait_until(lambda: not COMM.exists(), 5)

    def close(self) -> None:
        """End of session: stop what we started; leave a reused pcscd running."""
        try:
            if self.proc is not None:
                self.stop()
        finally:
            self.release()


class Vicc:
    """vsmartcard's ``vicc -t iso7816``: a card in "Virtual PCD 00 00" while it runs."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        return Path(VICC_PATH).exists() and Path(VICC_PYTHONPATH).is_dir()

    def insert(self) -> None:
        env = {**os.environ, "PYTHONPATH": VICC_PYTHONPATH}
        self.proc = subprocess.Popen([VENV_PYTHON, VICC_PATH, "-t", "iso7816"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def remove(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(10)
            self.proc = None


class VpcdCard:
    """A card speaking the vpcd protocol: 2-byte big-endian length, then the payload; a
    1-byte payload is a control (0 off, 1 on, 2 reset, 4 send ATR), anything else an APDU
    (answered with 6D00, "instruction not supported")."""

    def __init__(self, atr: bytes, slot: int = 0, *, reconnect: bool = False) -> None:
        self.atr = atr
        self.port = VPCD_PORT + slot
        self.reconnect = reconnect
        self._stop = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        self.connections = 0

    def insert(self) -> VpcdCard:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"vpcd-card-{self.port}", daemon=True)
        self._thread.start()
        if not self.connected.wait(10):
            raise RuntimeError(f"could not reach vpcd on port {self.port}")
        return self

    def remove(self) -> None:
        self._stop.set()
        sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def _recv(self, sock: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("vpcd closed the connection")
            data += chunk
        return data

    def _send(self, sock: socket.socket, payload: bytes) -> None:
        sock.sendall(struct.pack(">H", len(payload)) + payload)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sock = socket.create_connection(("127.0.0.1", self.port), timeout=1)
            except OSError:
                if not self.reconnect and self.connections:
                    return
                self._stop.wait(0.2)
                continue
            sock.settimeout(None)
            self._sock = sock
            self.connections += 1
            self.connected.set()
            try:
                while not self._stop.is_set():
                    (size,) = struct.unpack(">H", self._recv(sock, 2))
                    msg = self._recv(sock, size)
                    if size == 1:
                        if msg[0] == 4:
                            self._send(sock, self.atr)
                        # power off / on / reset need no answer
                    else:
                        self._send(sock, b"\x6d\x00")
            except (OSError, ConnectionError):
                pass
            finally:
                self.connected.clear()
                self._sock = None
                sock.close()
            if not self.reconnect:
                return
