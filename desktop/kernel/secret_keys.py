"""32-byte secret keys kept outside the database: in the operating system's keyring, or,
where no keyring exists (a headless Linux workstation), in a 0600 file of the private folder.

The audit chain's key (:mod:`desktop.audit_key`) and the database's encryption key
(:mod:`desktop.db.cipher`) are kept the same way; each says where its file lives and
whether a file is allowed at all.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from desktop.kernel.files import fsync_dir, fsync_file, private_dir

KEY_BYTES = 32


def from_keyring(service: str, name: str, *, create: bool) -> tuple[bytes | None, str]:
    """(the key, "") from the keyring — made there when ``create`` and none is kept — or
    (None, why) when there is no usable keyring; (None, "") when there is no key and
    ``create`` is false."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError as exc:
        return None, str(exc)
    try:
        stored = keyring.get_password(service, name)
        if stored:
            return bytes.fromhex(stored), ""
        if not create:
            return None, ""
        key = secrets.token_bytes(KEY_BYTES)
        keyring.set_password(service, name, key.hex())
        if keyring.get_password(service, name) != key.hex():  # a backend that keeps nothing
            raise KeyringError("the keyring did not keep the key")
        return key, ""
    except (KeyringError, RuntimeError, OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def read_key_file(path: Path) -> bytes:
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def new_key_file(path: Path) -> bytes:
    """A new random key written to ``path``, 0600 in a private folder, durably (a power cut
    leaves the old file or the whole new one, never half a key)."""
    private_dir(path.parent)
    key = secrets.token_bytes(KEY_BYTES)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex())
    fsync_file(tmp)
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return key


__all__ = ["KEY_BYTES", "from_keyring", "new_key_file", "read_key_file"]
