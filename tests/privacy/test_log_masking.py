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


#: free texts nobody designed the filter for: an officer's note, a library's message, a reason
WRITTEN_AS_PEOPLE_WRITE = [
    ("Bà Lan nộp CCCD 079 301 234 567 hôm nay", "079 301 234 567"),
    ("số định danh: 079.301.234.567.", "079.301.234.567"),
    ("CCCD 0793-0123-4567 (đã kiểm tra)", "0793-0123-4567"),
    ("CMND cũ 123 456 789 của ông Tư", "123 456 789"),
    ("mã CCCD079301234567bị sai", "079301234567"),
    ("gọi lại (+84) 905 123 456 sau 17h", "905 123 456"),
    ("SĐT:0905.123.456, Zalo cùng số", "0905.123.456"),
]
#: numbers that are not a person's: a dossier code, timestamps, a sum of money, a port
NOT_PERSONAL = [
    "hồ sơ 000.00.06.H56-261207-0001 đã nộp",
    "mã biên nhận 261207000123 (12 chữ số, không bắt đầu bằng 0)",
    "token hết hạn lúc 1765108800, lần thử 202612071208",
    "lệ phí 150.000.000 đồng, tạm ứng 150000000đ, 1.150.000.000 VND",
    "kết nối 127.0.0.1:5432 sau 3000 ms",
]


@pytest.mark.parametrize(("text", "number"), WRITTEN_AS_PEOPLE_WRITE)
def test_id_numbers_and_phones_are_masked_however_they_are_written(real_logging: Path, text: str,
                                                                    number: str) -> None:
    """Before, a CCCD written in groups (spaces, dots, hyphens), a CMND in groups and a phone
    after (+84) reached the log whole: only an unbroken run of digits was recognised."""
    logging.getLogger("motcua.test").warning("ghi chú: %s", text)
    for h in logging.getLogger().handlers:
        h.flush()
    line = real_logging.read_text(encoding="utf-8").splitlines()[-1]
    digits = "".join(c for c in number if c.isdigit())
    assert number not in line and digits not in line, line
    assert digits[-3:] in line  # enough left to tell two apart


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_codes_timestamps_and_sums_are_not_masked(text: str) -> None:
    """Before, any 9–12-digit number was masked: a 12-digit receipt code, a Unix time or a
    fee in đồng lost its digits in the log, which made the log useless where it mattered."""
    assert mask(text) == text


def test_a_citizen_reference_is_not_masked_but_a_number_beside_it_is() -> None:
    """The audit's citizen reference is 16 hex characters; one holding a 9-digit run
    (ae6e091563624fa2) was read as a CMND and masked, and the audit lookup by it failed."""
    from desktop.kernel.redact import mask_numbers

    assert mask_numbers("ae6e091563624fa2") == "ae6e091563624fa2"
    assert mask_numbers("người nhận ae6e091563624fa2") == "người nhận ae6e091563624fa2"
    masked = mask_numbers("ae6e091563624fa2 CCCD 079301234567")
    assert masked.startswith("ae6e091563624fa2 CCCD ") and "079301234567" not in masked
    assert "091563624" not in mask_numbers("CMND 091563624")
