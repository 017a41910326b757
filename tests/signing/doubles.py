"""TEST DOUBLES for states a SoftHSM2 token cannot reach (kept under tests/, never installed).

* :class:`LockingTokenDouble` — a token that counts wrong PINs and sets the PKCS#11
  flags "count low", "final try" and "locked" like a hardware token does; SoftHSM2 never
  locks a PIN, so lock-out handling cannot be exercised on it.
* :class:`PullAfter` — wraps a real PKCS#11 session and raises ``DeviceRemoved`` after N
  signatures, as a token pulled out mid-batch does. (The tests also close the real
  session under the batch, which gives the module's own error.)

The signing-ui tests and screenshots may use them too; each use must say it is a double.
"""

from __future__ import annotations

from typing import Any


class LockingTokenDouble:
    """A stand-in for ``pkcs11.Token`` with a PIN that locks after ``max_tries`` failures."""

    def __init__(self, pin: str, *, max_tries: int = 3, label: str = "DOUBLE-LOCKING", serial: str = "DBL0001",
                 session_factory: Any = None) -> None:
        self._pin = pin
        self.max_tries = max_tries
        self.failures = 0
        self.label = label
        self.serial = serial.encode()
        self.manufacturer_id = "motcua test double"
        self.model = "LockingTokenDouble"
        self._session_factory = session_factory

    @property
    def flags(self) -> int:
        from pkcs11 import TokenFlag

        f = int(TokenFlag.TOKEN_INITIALIZED | TokenFlag.USER_PIN_INITIALIZED | TokenFlag.LOGIN_REQUIRED)
        left = self.max_tries - self.failures
        if left <= 0:
            return f | int(TokenFlag.USER_PIN_LOCKED)
        if left == 1:
            f |= int(TokenFlag.USER_PIN_FINAL_TRY)
        if self.failures:
            f |= int(TokenFlag.USER_PIN_COUNT_LOW)
        return f

    def open(self, user_pin: str | None = None, rw: bool = False, **_: Any) -> Any:
        import pkcs11.exceptions as p11e

        if user_pin is None:
            return self._session_factory() if self._session_factory else _NullSession()
        if self.failures >= self.max_tries:
            raise p11e.PinLocked()
        if user_pin != self._pin:
            self.failures += 1
            raise p11e.PinLocked() if self.failures >= self.max_tries else p11e.PinIncorrect()
        self.failures = 0
        return self._session_factory() if self._session_factory else _NullSession()


class _NullSession:
    def close(self) -> None:
        pass

    def __enter__(self) -> _NullSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PullAfter:
    """Forward everything to a real session; after ``n`` private-key signatures raise
    ``DeviceRemoved`` from every call, as a pulled token does (TEST DOUBLE)."""

    def __init__(self, session: Any, n: int) -> None:
        self._session = session
        self._left = n
        self.pulled = False

    def _check(self) -> None:
        import pkcs11.exceptions as p11e

        if self.pulled:
            raise p11e.DeviceRemoved()

    def get_key(self, *args: Any, **kwargs: Any) -> Any:
        self._check()
        key = self._session.get_key(*args, **kwargs)
        return _CountingKey(key, self) if kwargs.get("object_class") is not None and "PRIVATE" in str(
            kwargs.get("object_class")) else key

    def get_objects(self, *args: Any, **kwargs: Any) -> Any:
        self._check()
        from pkcs11 import Attribute, ObjectClass

        for obj in self._session.get_objects(*args, **kwargs):
            try:
                is_private = obj[Attribute.CLASS] == ObjectClass.PRIVATE_KEY
            except Exception:  # noqa: BLE001 - attribute not readable: not a key
                is_private = False
            yield _CountingKey(obj, self) if is_private else obj

    def _signed(self) -> None:
        import pkcs11.exceptions as p11e

        self._check()
        self._left -= 1
        if self._left < 0:
            self.pulled = True
            raise p11e.DeviceRemoved()

    def __getattr__(self, name: str) -> Any:
        self._check()
        return getattr(self._session, name)


class _CountingKey:
    def __init__(self, key: Any, owner: PullAfter) -> None:
        self._key = key
        self._owner = owner

    def sign(self, *args: Any, **kwargs: Any) -> Any:
        self._owner._signed()
        return self._key.sign(*args, **kwargs)

    def __getitem__(self, item: Any) -> Any:
        return self._key[item]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._key, name)
