"""Schemathesis hooks for the dossier-system contract (loaded with ``SCHEMATHESIS_HOOKS``).

Three rules of the contract join parts of requests, which a JSON schema cannot say: the
dossier's ``code`` is the code in the path, a whole file's path names the SHA-256 of its
body, and an ``Idempotency-Key`` names one request. Before each call these hooks make the
generated parts agree where they are valid on their own (schemathesis then re-checks
whether the case is schema-valid), so a rejected valid case is a real finding; what a
case breaks on purpose is left broken. PDF bodies are sent as raw bytes.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

import schemathesis
from schemathesis.transport.serialization import serialize_binary

schemathesis.serializer.alias("application/pdf", "application/octet-stream")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEY = re.compile(r"[!-~]{1,255}")
_RANGE = re.compile(r"bytes [0-9]+-[0-9]+/[0-9]+")


@schemathesis.hook
def before_call(ctx: Any, case: Any, kwargs: dict[str, Any]) -> None:
    path, method = case.operation.path, case.operation.method.upper()
    params = case.path_parameters or {}
    headers = case.headers
    if headers and isinstance(headers.get("Idempotency-Key"), str) and _KEY.fullmatch(headers["Idempotency-Key"]):
        headers["Idempotency-Key"] = f"st-{uuid.uuid4()}"  # a fresh key for every request
    if method == "PUT" and path == "/api/dossiers/{code}" and isinstance(case.body, dict) \
            and isinstance(case.body.get("code"), str) and isinstance(params.get("code"), str):
        case.body["code"] = params["code"]
    if method == "PUT" and path == "/api/dossiers/{code}/files/{sha256}" and _SHA256.fullmatch(str(params.get("sha256", ""))):
        params["sha256"] = hashlib.sha256(serialize_binary(case.body)).hexdigest()
    if method == "PUT" and path == "/api/uploads/{id}" and headers and _RANGE.fullmatch(headers.get("Content-Range", "")):
        # a chunk whose range says its own length; whether it fits the session is the server's to say (409)
        data = serialize_binary(case.body) or b"x"
        case.body = data
        headers["Content-Range"] = f"bytes 0-{len(data) - 1}/{len(data)}"
