"""PIN safety before each login: read the token's flags, count failures locally too.

Many tokens lock after 3 wrong PINs and only their issuer can unlock them. Before a login
the token's flags are read: "count low" gives a warning, "final try" needs the officer's
explicit confirmation, "locked" refuses. Some tokens never set these flags, so failures
are also counted here, per token serial, in a small file of the data directory (the
count, never the PIN).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.kernel.errors import MotcuaError
from desktop.kernel.files import replace_durably
from desktop.kernel.i18n import msg
from signing.tokens import pkcs11_error, token_serial

TYPICAL_TRIES = 3


class FinalTryNeedsConfirmation(MotcuaError):
    """The next wrong PIN may lock the token: ask the officer before trying."""


class TokenLocked(MotcuaError):
    """The token refuses every PIN; only its issuer can unlock it."""


@dataclass(frozen=True)
class PinState:
    count_low: bool
    final_try: bool
    locked: bool
    local_failures: int

    @property
    def tries_left(self) -> int | None:
        """A best guess for the PIN dialog: 0 locked, 1 final try, else from the local count."""
        if self.locked:
            return 0
        if self.final_try:
            return 1
        if self.local_failures:
            return max(1, TYPICAL_TRIES - self.local_failures)
        return None  # the token does not say; most allow 3 (some 5, 10 or 15)

    @property
    def warning(self) -> str:
        if self.count_low or self.local_failures:
            return msg("Đã nhập sai PIN {n} lần; token có thể bị khóa sau vài lần sai nữa.",
                       "{n} wrong PIN attempt(s) so far; the token may lock after a few more.",
                       n=max(1, self.local_failures))
        return ""


class PinFailures:
    """Local failure counts per token serial (a JSON file; written atomically)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, int]:
        try:
            return {str(k): int(v) for k, v in json.loads(self.path.read_text(encoding="utf-8")).items()}
        except (OSError, ValueError):
            return {}

    def _save(self, data: dict[str, int]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        replace_durably(tmp, self.path)

    def count(self, serial: str) -> int:
        return self._load().get(serial, 0)

    def failed(self, serial: str) -> int:
        data = self._load()
        data[serial] = data.get(serial, 0) + 1
        self._save(data)
        return data[serial]

    def succeeded(self, serial: str) -> None:
        data = self._load()
        if data.pop(serial, None) is not None:
            self._save(data)


def pin_state(token: Any, failures: PinFailures | None) -> PinState:
    from pkcs11 import TokenFlag

    flags = token.flags
    local = failures.count(token_serial(token)) if failures else 0
    return PinState(bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
                    bool(flags & TokenFlag.USER_PIN_FINAL_TRY) or local >= TYPICAL_TRIES - 1,
                    bool(flags & TokenFlag.USER_PIN_LOCKED), local)


def check_before_login(token: Any, failures: PinFailures | None, *, confirm_final_try: bool = False) -> PinState:
    """Read the flags (and the local count) and decide: warn, ask for confirmation, or refuse."""
    state = pin_state(token, failures)
    if state.locked:
        raise TokenLocked(msg("Token “{l}” đã bị khóa PIN; chỉ đơn vị cấp token mở khóa được.",
                              "Token “{l}” is PIN-locked; only its issuer can unlock it.", l=token.label))
    if state.final_try and not confirm_final_try:
        raise FinalTryNeedsConfirmation(msg("Lần nhập PIN tiếp theo có thể là lần cuối trước khi token bị khóa. "
                                            "Hãy xác nhận trước khi thử.",
                                            "The next PIN attempt may be the last before the token locks. "
                                            "Confirm before trying."))
    return state


def login(token: Any, pin: str, failures: PinFailures | None, *, confirm_final_try: bool = False) -> Any:
    """Check the PIN state, then open a logged-in session; count a wrong PIN locally.

    The PIN is handed to the token and not kept: the caller drops its reference right
    after this returns (one login per batch).
    """
    import pkcs11.exceptions as p11e

    check_before_login(token, failures, confirm_final_try=confirm_final_try)
    serial = token_serial(token)
    try:
        session = token.open(user_pin=pin)
    except (p11e.PinIncorrect, p11e.PinInvalid, p11e.PinLenRange) as exc:
        if failures is not None:
            failures.failed(serial)
        raise pkcs11_error(exc) from exc
    except p11e.PinLocked as exc:
        raise TokenLocked(msg("Token “{l}” đã bị khóa PIN; chỉ đơn vị cấp token mở khóa được.",
                              "Token “{l}” is PIN-locked; only its issuer can unlock it.", l=token.label)) from exc
    except p11e.PKCS11Error as exc:
        raise pkcs11_error(exc) from exc
    if failures is not None:
        failures.succeeded(serial)
    return session


def default_failures(data_dir: Path) -> PinFailures:
    """The failure counts of this workstation (``<data dir>/signing/pin_failures.json``)."""
    return PinFailures(Path(data_dir) / "signing" / "pin_failures.json")


def token_pin_state(module_path: str, *, token_label: str | None = None, serial: str | None = None,
                    failures: PinFailures | None = None) -> PinState:
    """The PIN state of a plugged token, for the PIN dialog (tries left, warnings) before login."""
    from signing.tokens import TokenManager

    return pin_state(TokenManager(module_path).get_token(label=token_label, serial=serial), failures)
