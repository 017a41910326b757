"""The per-workstation audit key, kept outside the database.

The key lives in the operating system's keyring (``keyring``: Windows Credential Manager,
macOS Keychain, Secret Service); where no keyring backend exists it falls back to a 0600
file in the private directory, and says so in the log and in self-test. A key file already
in use is kept, so the store never switches under an existing chain.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from desktop.config import Settings
from desktop.kernel.secret_keys import from_keyring, new_key_file, read_key_file

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
        return AuditKey(read_key_file(path), str(path))
    key, reason = from_keyring(SERVICE, f"audit-key-{instance}", create=create)
    if key is not None:
        return AuditKey(key, "keyring")
    if not create or not reason:  # nothing kept and nothing to make, or the keyring said "none"
        return None
    key = new_key_file(path)
    log.info("no OS keyring backend (%s): the audit key is kept in the 0600 file %s", reason[:200], path)
    return AuditKey(key, str(path))
