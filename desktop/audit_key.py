"""The per-workstation audit key, kept outside the database.

The key lives in the operating system's keyring (``keyring``: Windows Credential Manager,
macOS Keychain, Secret Service); where no keyring backend exists it falls back to a 0600
file in the private directory, and says so in the log and in self-test. A key file already
in use is kept, so the store never switches under an existing chain.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from desktop.config import Settings

log = logging.getLogger(__name__)
SERVICE = "motcua"


@dataclass(frozen=True)
class AuditKey:
    key: bytes
    #: "keyring" or the path of the fallback file
    store: str

    @property
    def in_keyring(self) -> bool:
        return self.store == "keyring"


def _file(settings: Settings, instance: str) -> Path:
    return settings.key_dir / f"audit-{instance}.key"


def load_key(settings: Settings, instance: str, *, create: bool = True) -> AuditKey | None:
    """This database instance's key: from the key file if one exists, else the keyring, else a new one."""
    path = _file(settings, instance)
    if path.is_file():
        return AuditKey(bytes.fromhex(path.read_text(encoding="ascii").strip()), str(path))
    name = f"audit-key-{instance}"
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            stored = keyring.get_password(SERVICE, name)
            if stored:
                return AuditKey(bytes.fromhex(stored), "keyring")
            if not create:
                return None
            key = secrets.token_bytes(32)
            keyring.set_password(SERVICE, name, key.hex())
            log.info("audit key of %s created in the OS keyring (%s)", instance, keyring.get_keyring().__class__.__name__)
            return AuditKey(key, "keyring")
        except (KeyringError, RuntimeError, OSError, ValueError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
    except ImportError as exc:
        reason = str(exc)
    if not create:
        return None
    from desktop.kernel.files import private_dir

    private_dir(path.parent)
    key = secrets.token_bytes(32)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex())
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    log.info("no OS keyring backend (%s): the audit key is kept in the 0600 file %s", reason[:200], path)
    return AuditKey(key, str(path))
