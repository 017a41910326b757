"""Which printer a job goes to: the workstation's setting (``printers.receipts``,
``printers.tickets``) against the printers installed here, and what the officer is told when
the named one is not there (Qt-free: the screens ask Qt for the installed names, ``motcua
config check`` asks the operating system).

The rule is one function, :func:`choose_printer`, so the print preview, the kiosk and the
check cannot disagree. Printer names are matched without regard to case, as CUPS and Windows
both treat them (``xp-80c`` and ``XP-80C`` are one queue), and the installed spelling is the
one handed to the printing system.
"""

from __future__ import annotations

import enum
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.kernel.i18n import msg

log = logging.getLogger(__name__)

#: setting key of each kind of print job (the names ``motcua config`` and the IT admin use)
RECEIPTS_KEY = "printers.receipts"
TICKETS_KEY = "printers.tickets"
#: ``lpstat`` answers a local scheduler at once; a hung one must not hang ``config check``
LPSTAT_TIMEOUT_S = 5.0


class PrinterState(enum.StrEnum):
    """How the printer of a job was found."""

    #: the setting names an installed printer: the job goes to it
    CONFIGURED = "configured"
    #: the setting is empty: the system's default printer, as any program would use
    SYSTEM_DEFAULT = "system_default"
    #: the setting names a printer that is not installed here
    MISSING = "missing"
    #: nothing is set and no printer is installed at all
    NONE = "none"


@dataclass(frozen=True)
class PrinterChoice:
    state: PrinterState
    #: the installed printer to select, as the system spells it; "" leaves the system's default
    printer: str
    #: what the setting says (stripped), "" when unset
    configured: str
    #: the setting's key, named in the message
    key: str

    @property
    def usable(self) -> bool:
        """A printer exists to send the job to (the named one, or the default when none is named)."""
        return self.state in (PrinterState.CONFIGURED, PrinterState.SYSTEM_DEFAULT)

    def problem(self) -> str:
        """What the officer is told when the named printer is missing ("" otherwise)."""
        if self.state != PrinterState.MISSING:
            return ""
        return missing_message(self.key, self.configured)


def choose_printer(configured: str, installed: Iterable[str], key: str = RECEIPTS_KEY) -> PrinterChoice:
    """The printer for a job given the setting's value and the installed printers' names."""
    wanted = configured.strip()
    names = [n for n in installed if n]
    if wanted:
        found = next((n for n in names if n.casefold() == wanted.casefold()), None)
        if found is not None:
            return PrinterChoice(PrinterState.CONFIGURED, found, wanted, key)
        return PrinterChoice(PrinterState.MISSING, "", wanted, key)
    return PrinterChoice(PrinterState.SYSTEM_DEFAULT if names else PrinterState.NONE, "", "", key)


def roll_page(width_mm: float, height_mm: float, sizes: Iterable[tuple[float, float]],
              tolerance_mm: float = 1.0) -> tuple[float, float] | None:
    """The paper of a roll printer to print a ``width_mm`` × ``height_mm`` slip on: among the
    device's sizes (width, height in mm, portrait), the shortest of the slip's width that holds
    it. None when there is none: the caller asks for a custom size, or keeps the device's own.
    An 80 mm printer lists its roll as 80 × 200 mm, 80 × 297 mm…, rarely the ticket's 80 × 76,
    and Qt, given a size the device lacks, falls back to its default (an A4 sheet, seen)."""
    fitting = [(w, h) for w, h in sizes if abs(w - width_mm) <= tolerance_mm and h + tolerance_mm >= height_mm]
    return min(fitting, key=lambda s: s[1]) if fitting else None


def missing_message(key: str, name: str) -> str:
    return msg("Máy in “{p}” ({k}) chưa được cài trên máy này: cài máy in đó, hoặc chọn máy in khác trong Cài đặt "
               "(“motcua config set {k} TÊN”)",
               "The printer “{p}” ({k}) is not installed on this workstation: install it, or choose another printer "
               "in Settings (“motcua config set {k} NAME”)", p=name, k=key)


def installed_printers() -> list[str] | None:
    """The printers installed here, asked of the operating system without Qt; None when it
    cannot be told (no CUPS client, its scheduler not running)."""
    if sys.platform == "win32":
        return _windows_printers()
    return _cups_printers()


def _cups_printers() -> list[str] | None:
    # ``lpstat -e`` lists the destinations, one a line, as the CUPS library that Qt uses sees
    # them (the same CUPS_SERVER, client.conf and lpoptions): what the screens will offer.
    # It prints nothing and exits 0 when no scheduler answers, so ``-r`` says which it is.
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return None
    try:
        done = subprocess.run([lpstat, "-r", "-e"], capture_output=True, text=True, timeout=LPSTAT_TIMEOUT_S,
                              env={**os.environ, "LC_ALL": "C"}, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("lpstat -r -e: %s", exc)
        return None
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if not lines or lines[0] != "scheduler is running":
        log.info("lpstat -r -e: %s %s", " ".join(lines[:1]), done.stderr.strip())
        return None
    return [line for line in lines[1:] if line.lower() != "no destinations added."]


def _windows_printers() -> list[str] | None:
    # the spooler's own registry (no pywin32 in the bundle): local printers and this user's
    # connections to shared ones, the names Qt's Windows print support lists too
    if sys.platform != "win32":
        return None
    import winreg

    names: list[str] = []
    places = ((winreg.HKEY_LOCAL_MACHINE, r"SYSTEM\CurrentControlSet\Control\Print\Printers"),
              (winreg.HKEY_CURRENT_USER, r"Printers\Connections"))
    try:
        for root, path in places:
            try:
                key = winreg.OpenKey(root, path)
            except FileNotFoundError:
                continue
            with key:
                count = winreg.QueryInfoKey(key)[0]
                for i in range(count):
                    name = winreg.EnumKey(key, i)
                    # a connection is kept as ",,server,printer"; Windows names it \\server\printer
                    names.append("\\\\" + "\\".join(name.strip(",").split(",")) if name.startswith(",,") else name)
    except OSError as exc:
        log.warning("printers in the registry: %s", exc)
        return None
    return names


def check_printers(configured: dict[str, str], installed: list[str] | None) -> list[str]:
    """The ``config check`` lines for the printer settings (key → configured name)."""
    named = {k: v.strip() for k, v in configured.items() if v.strip()}
    if not named:
        return []
    if installed is None:
        return [msg("Không kiểm tra được máy in ({k}): hệ thống in (CUPS) không trả lời; chạy “lpstat -e” hoặc "
                    "khởi động dịch vụ cups",
                    "Cannot check the printers ({k}): the printing system (CUPS) does not answer; run “lpstat -e” "
                    "or start the cups service", k=", ".join(named))]
    return [c.problem() for c in (choose_printer(v, installed, k) for k, v in named.items()) if c.problem()]
