"""SMS to the citizen through the centre's gateway: one generic HTTP POST (httpx).

Each Vietnamese provider has its own API; the centre puts a small relay (or the provider's
generic endpoint) at ``sms.url``. The request is::

    POST <sms.url>
    Authorization: Bearer <sms.token>        (the keyring: ``motcua config set sms.token -``)
    Idempotency-Key: <the outbox job's key>
    Content-Type: application/json
    {"to": "84912345678", "text": "...", "encoding": "gsm7" | "ucs2", "parts": 1,
     "request_id": "<the same key>"}

Any 2xx is delivered. 408, 429 and 5xx (and no answer) are retried with the outbox's
backoff; any other 4xx is permanent and parks the job with the gateway's words (a wrong
number, a text the brand name does not allow, a token refused).
"""

from __future__ import annotations

from typing import Any

import httpx

from desktop.config import Settings, get_secret
from desktop.kernel.i18n import msg
from desktop.outbox.adapters.base import DeliveryError

TIMEOUT = 15.0


def configuration_problem(settings: Settings) -> str:
    """Why an SMS cannot be sent with these settings ("" when it can)."""
    if not settings.sms_url:
        return msg("Chưa cấu hình cổng SMS (sms.url): tin nhắn sẽ được gửi khi có cấu hình.",
                   "No SMS gateway is configured (sms.url): the message goes once it is.")
    return ""


class SmsGateway:
    def __init__(self, url: str, token: str | None, *, timeout: float = TIMEOUT) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> SmsGateway:
        return cls(settings.sms_url, get_secret("sms.token"))

    def send(self, key: str, payload: dict[str, Any]) -> None:
        if not self.url:
            raise DeliveryError(msg("Chưa cấu hình cổng SMS (sms.url): tin nhắn sẽ được gửi khi có cấu hình.",
                                    "No SMS gateway is configured (sms.url): the message goes once it is."))
        headers = {"Idempotency-Key": key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = {"to": payload["to"], "text": payload["text"], "encoding": payload.get("encoding", "gsm7"),
                "parts": payload.get("parts", 1), "request_id": key}
        try:
            r = httpx.post(self.url, json=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(msg("Cổng SMS không trả lời: {e}", "The SMS gateway does not answer: {e}",
                                    e=f"{type(exc).__name__}: {exc}"[:200])) from exc
        if r.is_success:
            return
        words = " ".join(r.text.split())[:200]
        raise DeliveryError(msg("Cổng SMS từ chối tin nhắn tới {a}: HTTP {c} {w}",
                                "The SMS gateway refused the message to {a}: HTTP {c} {w}",
                                a=payload["to"], c=r.status_code, w=words),
                            permanent=400 <= r.status_code < 500 and r.status_code not in (408, 429))


__all__ = ["SmsGateway", "configuration_problem"]
