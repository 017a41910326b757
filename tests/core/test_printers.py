"""Which printer a job goes to (desktop.printers), without Qt: the setting against the installed
printers, and ``motcua config check`` asking the session's real CUPS scheduler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.config import check_settings
from desktop.kernel.i18n import set_language
from desktop.printers import (
    RECEIPTS_KEY,
    TICKETS_KEY,
    PrinterState,
    check_printers,
    choose_printer,
    installed_printers,
    roll_page,
)
from tests.cups import CupsServer


def test_a_named_installed_printer_is_chosen_in_the_systems_spelling() -> None:
    c = choose_printer(" xp-80c ", ["HP_LaserJet", "XP-80C"], TICKETS_KEY)
    assert (c.state, c.printer, c.configured, c.usable, c.problem()) == (PrinterState.CONFIGURED, "XP-80C", "xp-80c",
                                                                          True, "")


def test_a_named_printer_not_installed_is_missing_and_says_which_and_where() -> None:
    set_language("en")
    c = choose_printer("XP-80C", ["HP_LaserJet"], TICKETS_KEY)
    assert c.state == PrinterState.MISSING and c.printer == "" and not c.usable
    assert "“XP-80C”" in c.problem() and "printers.tickets" in c.problem() and "not installed" in c.problem()
    set_language("vi")
    assert "chưa được cài" in c.problem() and "printers.tickets" in c.problem()
    assert choose_printer("XP-80C", [], TICKETS_KEY).state == PrinterState.MISSING


def test_no_setting_means_the_systems_default_if_there_is_a_printer() -> None:
    assert choose_printer("", ["HP_LaserJet"]).state == PrinterState.SYSTEM_DEFAULT
    assert choose_printer("  ", ["HP_LaserJet"]).printer == ""  # Qt's default is left selected
    none = choose_printer("", [])
    assert none.state == PrinterState.NONE and not none.usable and none.problem() == ""


def test_check_printers_names_each_missing_one_and_says_when_it_cannot_tell() -> None:
    set_language("en")
    assert check_printers({RECEIPTS_KEY: "", TICKETS_KEY: ""}, None) == []  # nothing set: nothing to check
    lines = check_printers({RECEIPTS_KEY: "HP", TICKETS_KEY: "XP-80C"}, ["hp"])
    assert len(lines) == 1 and "XP-80C" in lines[0] and TICKETS_KEY in lines[0]
    unknown = check_printers({TICKETS_KEY: "XP-80C"}, None)
    assert len(unknown) == 1 and "Cannot check" in unknown[0] and TICKETS_KEY in unknown[0]


def test_without_a_scheduler_the_printers_are_unknown_not_none(tmp_path: Path) -> None:
    # a child process: the CUPS library keeps the first server it was given for its process
    env = {**os.environ, "CUPS_SERVER": str(tmp_path / "nobody.sock")}
    code = "from desktop.printers import installed_printers; print(installed_printers())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "None"


def test_installed_printers_and_config_check_see_the_real_queues(cups_server: CupsServer,
                                                                 printer_queue: tuple[str, Path],
                                                                 settings) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    name, _out = printer_queue
    assert installed_printers() == [name]
    settings.receipt_printer = name.upper()  # CUPS names are not case-sensitive
    settings.ticket_printer = "XP-80C"
    problems = check_settings(settings)
    assert [p for p in problems if "printer" in p] == [
        "The printer “XP-80C” (printers.tickets) is not installed on this workstation: install it, or choose another "
        "printer in Settings (“motcua config set printers.tickets NAME”)"]
    cups_server.remove_queue(name)
    assert installed_printers() == []  # "No destinations added.": an answer, not an unknown


def test_a_ticket_goes_on_the_shortest_roll_length_of_its_width() -> None:
    sizes = [(210.0, 297.0), (80.0, 297.0), (80.0, 200.0), (58.0, 100.0), (79.6, 75.8), (80.0, 60.0)]
    assert roll_page(80, 76, sizes) == (79.6, 75.8)  # within a millimetre: the PPD's points rounded
    assert roll_page(80, 76, sizes[:4]) == (80.0, 200.0)
    assert roll_page(80, 76, [(210.0, 297.0), (80.0, 60.0)]) is None  # too short, or another width
