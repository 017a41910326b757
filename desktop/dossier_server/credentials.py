"""The bundled server's client credentials and access tokens (OAuth2 client credentials).

No secret is written in the code: the first start generates one and keeps it in
``<data>/client-credentials.json`` (mode 0600), printed once. A workstation reads it from
its settings, the environment, the keyring or that file
(``dossier_system.client_secret_file``); see ``desktop/outbox/adapters/identity.py``.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CLIENT_ID = "motcua"
CREDENTIALS_FILE = "client-credentials.json"
TOKEN_TTL = 300
#: RFC 6750 ``Bearer b64token``: the scheme (any case), one or more spaces, the token
_BEARER = re.compile(r"[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*)")


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str

    @classmethod
    def load_or_create(cls, data: Path) -> tuple[Credentials, bool]:
        """The server's credentials, generated on first use; True when this call created them."""
        path = data / CREDENTIALS_FILE
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(stored["client_id"]), str(stored["client_secret"])), False
        except FileNotFoundError:
            pass
        data.mkdir(parents=True, exist_ok=True)
        made = cls(CLIENT_ID, secrets.token_urlsafe(32))
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"client_id": made.client_id, "client_secret": made.client_secret}, f)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # never replaces credentials another process created meanwhile
        except FileExistsError:
            return cls.load_or_create(data)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return made, True

    def accepts(self, client_id: str, client_secret: str) -> bool:
        # both compared in constant time: the answer's timing says nothing about the secret
        same_id = hmac.compare_digest(client_id.encode(), self.client_id.encode())
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode()) and same_id


class Tokens:
    """Access tokens handed out and when they expire (in memory: a restart signs everyone out)."""

    def __init__(self, ttl: float = TOKEN_TTL) -> None:
        self.ttl = ttl
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> str:
        token = secrets.token_urlsafe(24)
        now = time.time()
        with self._lock:
            self._expiry = {t: e for t, e in self._expiry.items() if e > now}  # forget the expired ones
            self._expiry[token] = now + self.ttl
        return token

    def valid(self, authorization: str | None) -> bool:
        """Whether an ``Authorization`` header carries a live bearer token (nothing else is one)."""
        m = _BEARER.fullmatch((authorization or "").strip())
        if not m:
            return False
        with self._lock:
            expiry = self._expiry.get(m.group(1))
        return expiry is not None and expiry >= time.time()
