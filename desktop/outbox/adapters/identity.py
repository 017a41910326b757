"""Who is sending: the workstation instance id and the dossier system's client secret.

The instance id is a random UUID kept in ``<data dir>/workstation-id`` (0600), made on
first use and never changed: every request to the dossier system carries it, so the
system can refuse a dossier code that another workstation (or this data directory before
it was wiped) already used. The client secret is never built in; it is looked up in the
environment, the settings, the operating system's keyring, then a file (the one the
bundled server writes at its first start, or any the administrator names).
"""

from __future__ import annotations

import contextlib
import json
import os
import unicodedata
import uuid
from pathlib import Path
from typing import Any

WORKSTATION_FILE = "workstation-id"
KEYRING_SERVICE = "motcua-dossier-system"


def workstation_id(data_dir: Path) -> str:
    """This data directory's instance id (created atomically: two first starts agree)."""
    path = data_dir / WORKSTATION_FILE
    with contextlib.suppress(FileNotFoundError):
        found = path.read_text(encoding="ascii").strip()
        if found:
            return found
    data_dir.mkdir(parents=True, exist_ok=True)
    made = f"ws-{uuid.uuid4()}"
    tmp = data_dir / f".{WORKSTATION_FILE}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(made + "\n")
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # fails if another process made one meanwhile: then that one counts
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    finally:
        tmp.unlink(missing_ok=True)
    return made


def _keyring_secret(client_id: str) -> str | None:
    try:
        import keyring  # optional: present where an administrator stores the secret there
    except ImportError:
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, client_id)
    except Exception:  # no usable backend (a headless session): the other sources apply
        return None
    return str(found) if found else None


def client_secret(extra: dict[str, Any], client_id: str) -> str | None:
    """The secret from ``MOTCUA_DOSSIER_CLIENT_SECRET``, ``client_secret``, the keyring or
    ``client_secret_file`` (plain text, or the bundled server's JSON), in that order."""
    if os.environ.get("MOTCUA_DOSSIER_CLIENT_SECRET"):
        return os.environ["MOTCUA_DOSSIER_CLIENT_SECRET"]
    if extra.get("client_secret"):
        return str(extra["client_secret"])
    found = _keyring_secret(client_id)
    if found:
        return found
    name = os.environ.get("MOTCUA_DOSSIER_CLIENT_SECRET_FILE") or extra.get("client_secret_file")
    if not name:
        return None
    try:
        text = Path(name).expanduser().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if text.startswith("{"):
        try:
            return str(json.loads(text)["client_secret"])
        except (ValueError, KeyError, TypeError):
            return None
    return text or None


def same_owner(stored: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether two versions of a dossier name the same citizen (the rule of both dossier
    systems the project ships: the folder adapter and the bundled server).

    The identity number decides when both have one (a corrected name is the same owner);
    otherwise the names, compared without case, accents or extra spaces ("Nguyen Van An"
    and "Nguyễn Văn An" are one person; "Trần Thị Bình" is another).
    """
    a, b = stored.get("owner") or {}, new.get("owner") or {}
    if a.get("id_number") and b.get("id_number"):
        return bool(a["id_number"] == b["id_number"])
    return _name_key(a.get("name")) == _name_key(b.get("name"))


def _name_key(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name or "")).replace("đ", "d").replace("Đ", "D")
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).casefold().split())
