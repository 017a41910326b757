"""PIN policy: token flags and the local failure count decide before any login.

``FlagToken`` is a test double of a token's flags: SoftHSM2 never sets count-low, final
try or locked, so those states cannot be produced with the real token here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pkcs11 import TokenFlag

from desktop.kernel.errors import MotcuaError
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


def test_lockout_with_a_locking_token_double(tmp_path: Path) -> None:
    """TEST DOUBLE: LockingTokenDouble sets count-low / final-try / locked like hardware does."""
    from signing.pin_policy import TokenLocked, login, pin_state
    from tests.signing.doubles import LockingTokenDouble

    tok = LockingTokenDouble("1234", max_tries=3)
    f = PinFailures(tmp_path / "pins.json")
    assert pin_state(tok, f).tries_left is None
    with pytest.raises(MotcuaError, match="Sai mã PIN"):
        login(tok, "0000", f)
    state = pin_state(tok, f)
    assert state.count_low and not state.final_try and state.warning and state.tries_left == 2
    with pytest.raises(MotcuaError, match="Sai mã PIN"):
        login(tok, "1111", f)
    assert pin_state(tok, f).final_try and pin_state(tok, f).tries_left == 1
    with pytest.raises(FinalTryNeedsConfirmation):
        login(tok, "1234", f)  # even the right PIN waits for the officer's confirmation
    assert tok.failures == 2  # refused before the token was asked
    with pytest.raises(TokenLocked):
        login(tok, "2222", f, confirm_final_try=True)  # the confirmed last try was wrong: locked
    assert pin_state(tok, f).locked and pin_state(tok, f).tries_left == 0
    with pytest.raises(TokenLocked, match="khóa"):
        login(tok, "1234", f, confirm_final_try=True)  # refused without trying
    assert tok.failures == 3


def test_right_pin_on_the_final_try_resets(tmp_path: Path) -> None:
    from signing.pin_policy import login, pin_state
    from tests.signing.doubles import LockingTokenDouble

    tok = LockingTokenDouble("1234", max_tries=3)
    f = PinFailures(tmp_path / "pins.json")
    for bad in ("1", "2"):
        with pytest.raises(MotcuaError):
            login(tok, bad, f)
    login(tok, "1234", f, confirm_final_try=True).close()
    st = pin_state(tok, f)
    assert not (st.count_low or st.final_try or st.locked) and st.local_failures == 0


def test_wrong_pin_on_softhsm_is_counted_per_serial(hsm, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from signing.pin_policy import login, token_pin_state
    from signing.tokens import TokenManager

    f = PinFailures(tmp_path / "pins.json")
    token = TokenManager(hsm.module).get_token(label=hsm.label)
    with pytest.raises(MotcuaError, match="Sai mã PIN"):
        login(token, "999999", f)
    assert token_pin_state(hsm.module, token_label=hsm.label, failures=f).local_failures == 1
    assert f.count(hsm.serial) == 1 and hsm.pin not in (tmp_path / "pins.json").read_text()
    login(token, hsm.pin, f).close()
    assert f.count(hsm.serial) == 0
