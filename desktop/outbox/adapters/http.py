"""The HTTP adapter for an iGate-like dossier system (contract: docs/dossier-system.openapi.yaml).

OAuth2 client credentials, an ``Idempotency-Key`` on every request, SHA-256 checked by the
server, TLS verified (a CA bundle can be configured), a timeout on every call. A network
failure, a timeout, 5xx, 429 or an expired token is retried by the outbox; any other 4xx
can never succeed and parks the job with the server's reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from desktop.i18n import msg
from desktop.outbox.adapters.base import DeliveryError

RETRYABLE_4XX = {401, 408, 409, 425, 429}  # 409: the dossier may not have arrived yet


class HttpAdapter:
    def __init__(self, base_url: str, client_id: str, client_secret: str, *, ca_bundle: str | None = None,
                 timeout: float = 30.0) -> None:
        self.base = base_url.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        self.http = httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0), verify=ca_bundle or True)
        self._token: str | None = None

    def close(self) -> None:
        self.http.close()

    def _auth(self) -> str:
        if self._token is None:
            r = self._call("POST", "/oauth/token", auth=False, data={
                "grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret})
            try:
                self._token = r.json()["access_token"]
            except (ValueError, KeyError, TypeError) as exc:
                raise DeliveryError(msg("Máy chủ cấp token trả về dữ liệu lạ.", "The token endpoint answered garbage.")) from exc
        assert self._token is not None
        return self._token

    def _call(self, method: str, path: str, *, auth: bool = True, key: str | None = None, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", {}))
        if key:
            headers["Idempotency-Key"] = key
        if auth:
            headers["Authorization"] = f"Bearer {self._auth()}"
        try:
            r = self.http.request(method, self.base + path, headers=headers, **kw)
        except httpx.HTTPError as exc:
            raise DeliveryError(msg("Mất kết nối tới hệ thống hồ sơ ({e}).", "Lost the connection to the dossier system ({e}).",
                                    e=type(exc).__name__)) from exc
        if r.status_code == 401 and auth:
            self._token = None  # expired: a new one is fetched on the retry
        if r.status_code >= 400:
            reason = r.text[:300]
            raise DeliveryError(msg("Hệ thống hồ sơ trả lời HTTP {c}: {r}", "The dossier system answered HTTP {c}: {r}",
                                    c=r.status_code, r=reason),
                                permanent=400 <= r.status_code < 500 and r.status_code not in RETRYABLE_4XX)
        return r

    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        self._call("PUT", f"/api/dossiers/{quote(dossier['code'], safe='')}", key=key, json=dossier)

    def send_file(self, key: str, dossier_code: str, meta: dict[str, Any], path: Path) -> None:
        if not path.is_file():
            raise DeliveryError(msg("Tệp {p} đã bị xóa khỏi ổ đĩa trước khi gửi.",
                                    "File {p} was deleted from disk before upload.", p=path), permanent=True)
        body = path.read_bytes()
        self._call("PUT", f"/api/dossiers/{quote(dossier_code, safe='')}/files/{meta['sha256']}", key=key, content=body,
                   headers={"Content-Type": "application/pdf", "X-Filename": quote(meta.get("filename") or path.name),
                            "X-File-Meta": json.dumps({k: meta[k] for k in ("component_code", "kind", "digitized",
                                                                             "reusable", "signature_state") if k in meta})})

    def send_status(self, key: str, dossier_code: str, status: dict[str, Any]) -> None:
        self._call("POST", f"/api/dossiers/{quote(dossier_code, safe='')}/status", key=key, json=status)
