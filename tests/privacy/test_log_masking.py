"""No CCCD number, phone or citizen's name in the log.

Before, a failed validation wrote the CCCD number typed at the counter into motcua.log, and
any log line naming an applicant kept the name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import logging_setup
from desktop.auth import Actor
from desktop.context import AppContext
from desktop.kernel.redact import PersonalDataFilter, forget_names, mask
from tests.cli import motcua

NAME, CCCD, PHONE = "Hoàng Thị Thu Trang", "079301234567", "0905 123 456"


@pytest.fixture
def real_logging(tmp_path: Path) -> Iterator[Path]:
    """The application's own logging setup, into a temporary folder, undone afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    logging_setup._configured = None
    log_file = logging_setup.setup_logging(tmp_path / "logs")
    yield log_file
    for h in root.handlers:
        if h not in before:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)
    logging_setup._configured = None
    forget_names()


def test_the_logging_setup_masks_cccd_phone_and_applicant_names(real_logging: Path, ctx: AppContext) -> None:
    ctx.dossiers.receive(Actor.cli(), procedure_code="1.001193", applicant_name=NAME)  # an applicant now
    assert all(any(isinstance(f, PersonalDataFilter) for f in h.filters)
               for h in logging.getLogger().handlers if getattr(h, "baseFilename", "") == str(real_logging))
    logging.getLogger("desktop.somewhere").warning("CCCD %s không hợp lệ cho %s, gọi %s", CCCD, NAME, PHONE)
    try:
        raise ValueError(f"bad id {CCCD} of {NAME}")
    except ValueError:
        logging.getLogger("desktop.elsewhere").exception("failed")
    for h in logging.getLogger().handlers:
        h.flush()
    text = real_logging.read_text(encoding="utf-8")
    assert "không hợp lệ" in text and "bad id" in text  # the lines are there ...
    for personal in (CCCD, NAME, PHONE, "Thu Trang"):
        assert personal not in text, personal  # ... without the personal data
    assert "*********567" in text and "H. T. T. T." in text  # enough left to tell two apart


def test_a_name_nobody_received_is_left_alone() -> None:
    assert mask("Trần Quốc Toản gửi 12 tệp") == "Trần Quốc Toản gửi 12 tệp"


def test_a_failed_validation_leaves_no_cccd_in_the_log(tmp_path: Path) -> None:
    typed = "07930123456"  # one digit short: refused, and it said so in the log with the number
    r = motcua(tmp_path, "dossier", "submit", "--procedure", "1.001193", "--owner", NAME, "--id-number", typed)
    assert r.returncode != 0 and typed in r.stderr  # the officer still sees what was wrong
    log = (tmp_path / "logs" / "motcua.log").read_text(encoding="utf-8")
    assert "failed" in log and typed not in log
