"""PIN policy: token flags and the local failure count decide before any login.

``FlagToken`` is a test double of a token's flags: SoftHSM2 never sets count-low, final
try or locked, so those states cannot be produced with the real token here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pkcs11 import TokenFlag

from desktop.errors import MotcuaError
from signing.pin_policy import FinalTryNeedsConfirmation, PinFailures, check_before_login


@dataclass
class FlagToken:
    flags: int
    serial: str = "S1"
    label: str = "ORG"


def test_flags(tmp_path: Path) -> None:
    f = PinFailures(tmp_path / "pins.json")
    assert check_before_login(FlagToken(0), f).warning == ""
    assert check_before_login(FlagToken(TokenFlag.USER_PIN_COUNT_LOW), f).warning
    with pytest.raises(FinalTryNeedsConfirmation):
        check_before_login(FlagToken(TokenFlag.USER_PIN_FINAL_TRY), f)
    check_before_login(FlagToken(TokenFlag.USER_PIN_FINAL_TRY), f, confirm_final_try=True)
    with pytest.raises(MotcuaError, match="khóa"):
        check_before_login(FlagToken(TokenFlag.USER_PIN_LOCKED), f, confirm_final_try=True)


def test_local_count_when_the_token_sets_no_flags(tmp_path: Path) -> None:
    f = PinFailures(tmp_path / "pins.json")
    f.failed("S1")
    assert check_before_login(FlagToken(0), f).local_failures == 1
    f.failed("S1")
    with pytest.raises(FinalTryNeedsConfirmation):
        check_before_login(FlagToken(0), f)
    assert check_before_login(FlagToken(0, serial="S2"), f).local_failures == 0  # per token
    f.succeeded("S1")
    assert check_before_login(FlagToken(0), f).local_failures == 0
    assert "123456" not in (tmp_path / "pins.json").read_text()
