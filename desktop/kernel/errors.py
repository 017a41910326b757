"""Exceptions whose message is meant for the person at the counter.

Anything raised as :class:`MotcuaError` carries a message that is already in the
user's language (see :mod:`desktop.kernel.i18n`) and is shown as it is, without a traceback.
Every other exception is a bug: it is logged with its traceback to the log file and
the user sees a short generic message.
"""

from __future__ import annotations


class MotcuaError(Exception):
    """An error the user can act on; ``str(err)`` is the localized message."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class NotFound(MotcuaError):
    """A named thing (procedure, service, counter, dossier, ...) does not exist."""


class InvalidInput(MotcuaError):
    """Input from the user or a file that cannot be used as given."""


class PermissionDenied(MotcuaError):
    """The signed-in user's role does not allow the action."""

    exit_code = 3


class Conflict(MotcuaError):
    """The action does not fit the current state (e.g. ending a ticket never called)."""
