"""Explicit checks of every request against the contract (docs/dossier-system.openapi.yaml).

Each check raises :class:`Invalid` with the HTTP status and the problem to answer; none
uses ``assert``, which ``python -O`` removes. JSON is parsed strictly: no ``NaN`` or
``Infinity``, no float that overflows (``1e400``), integers within 64 bits, bounded depth,
so no input can raise past the handler and leave a request without an answer.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

#: a JSON request body larger than this is refused (413) before it is read
MAX_JSON_BODY = 1 << 20
#: nesting deeper than any document of the contract (a dossier is 3 levels deep)
MAX_JSON_DEPTH = 16
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
#: the longest integer literal parsed at all
MAX_INT_DIGITS = 1000
#: the largest file an upload session may announce (the contract's ``maximum``)
MAX_UPLOAD_SIZE = 4 << 30
#: the longest header value the server reads (X-Filename, X-File-Meta)
MAX_HEADER_VALUE = 4096

SHA256 = re.compile(r"[0-9a-f]{64}")
#: visible ASCII without spaces: what every client can put in a header unchanged
MAX_KEY = 255
KEY = re.compile(rf"[!-~]{{1,{MAX_KEY}}}")
WORKSTATION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
CONTENT_LENGTH = re.compile(r"[0-9]{1,19}")
CONTENT_RANGE = re.compile(r"bytes ([0-9]{1,19})-([0-9]{1,19})/([0-9]{1,19})")
#: RFC 3339 date-time (what ``format: date-time`` means), checked again by datetime below
DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})")
#: RFC 3339 full-date (what ``format: date`` means), checked again by date below
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ID_NUMBER = re.compile(r"[0-9]{12}|[0-9]{9}|")
#: an organisation's tax code as the contract writes it: 10 digits, a branch "-001" … "-999" (the check
#: digit is the workstation's to verify at the counter, desktop.kernel.taxcode: a schema cannot say it)
TAX_CODE = re.compile(r"[0-9]{10}(?:-(?!000)[0-9]{3})?")
#: what ``urllib.parse.quote`` leaves of a name: unreserved characters, "/" and %XX escapes
FILENAME = re.compile(r"(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*")
MAX_CODE = 100
CODE = re.compile(rf"[A-Za-z0-9._-]{{1,{MAX_CODE}}}")
#: the longest reason given for a look-up of a citizen's documents
MAX_PURPOSE = 200
COPY_KINDS = frozenset({"original", "certified_copy", "copy", "original_or_certified_copy"})


class Invalid(Exception):
    """A request outside the contract: the status and problem body to answer with."""

    def __init__(self, status: int, error: str, description: str, **extra: Any) -> None:
        super().__init__(description)
        self.status, self.error, self.description, self.extra = status, error, description, extra

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.description, **self.extra}


def unprocessable(description: str) -> Invalid:
    return Invalid(422, "invalid_request", description)


# --- framing -------------------------------------------------------------------------------


def content_length(value: str | None, *, transfer_encoding: str | None) -> int:
    """The body's length from ``Content-Length`` (absent: no body); anything else is a 400."""
    if transfer_encoding:
        # every client of the contract knows its body's length; a chunked body cannot be bounded up front
        raise Invalid(400, "invalid_request", "Transfer-Encoding is not supported; send Content-Length")
    if value is None:
        return 0
    value = value.strip()
    if not CONTENT_LENGTH.fullmatch(value):
        raise Invalid(400, "invalid_request", "Content-Length must be a decimal number of bytes")
    return int(value)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


def _bounded_int(text: str) -> int:
    # before int(): a 5,000-digit number costs time and hits str→int limits. Longer than 64
    # bits is still JSON (an extra field may hold one); the contract's own integers are
    # checked against their int64 ranges below, and nothing stores an unchecked one
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"integer longer than {MAX_INT_DIGITS} digits")
    return int(text)


def _depth(doc: Any) -> int:
    """Nesting depth, without recursion (a deep document must not exhaust the stack here either)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest


def parse_json(body: bytes) -> Any:
    """A strict JSON document (UTF-8); a 400 for anything that is not one the contract can hold."""
    try:
        doc = json.loads(body.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite_float,
                         parse_int=_bounded_int)
    except RecursionError:
        raise Invalid(400, "invalid_json", f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise Invalid(400, "invalid_json", f"the body is not valid JSON: {exc}") from None
    if _depth(doc) > MAX_JSON_DEPTH:
        raise Invalid(400, "invalid_json", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return doc


# --- headers -------------------------------------------------------------------------------


def idempotency_key(value: str | None) -> str:
    if value is None or not value:
        raise Invalid(400, "idempotency_key_required", "Idempotency-Key header required")
    if not KEY.fullmatch(value):
        raise Invalid(400, "invalid_idempotency_key", "Idempotency-Key must be 1-255 visible ASCII characters")
    return value


def workstation(value: str | None) -> str:
    if value is None or not value:
        raise Invalid(400, "workstation_required", "X-Workstation-Id header required (the sending workstation)")
    if not WORKSTATION.fullmatch(value):
        raise Invalid(400, "invalid_workstation", "X-Workstation-Id must be 8-128 letters, digits or . _ : -")
    return value


def file_headers(filename: str | None, meta: str | None) -> tuple[str, dict[str, Any]]:
    """``X-Filename`` (URL-encoded) and ``X-File-Meta`` (a JSON object), both optional."""
    from urllib.parse import unquote

    if (filename and len(filename) > MAX_HEADER_VALUE) or (meta and len(meta) > MAX_HEADER_VALUE):
        raise Invalid(400, "invalid_request", f"X-Filename and X-File-Meta are at most {MAX_HEADER_VALUE} characters")
    if filename and not FILENAME.fullmatch(filename):
        raise Invalid(400, "invalid_request", "X-Filename must be URL-encoded")
    try:
        name = unquote(filename, errors="strict") if filename else ""
    except UnicodeDecodeError:
        raise Invalid(400, "invalid_request", "X-Filename must be URL-encoded UTF-8") from None
    if not meta:
        return name, {}
    try:
        doc = parse_json(meta.encode("latin-1"))
    except (Invalid, UnicodeEncodeError):
        doc = None
    if not isinstance(doc, dict):
        raise unprocessable("X-File-Meta must be a JSON object")
    replaces = doc.get("replaces")
    if replaces is not None and not (isinstance(replaces, str) and SHA256.fullmatch(replaces)):
        raise unprocessable("X-File-Meta replaces must be the SHA-256 (64 lowercase hex digits) of an earlier version")
    valid_until = doc.get("valid_until")
    if valid_until is not None and not _is_date(valid_until):
        raise unprocessable("X-File-Meta valid_until must be a date YYYY-MM-DD (the result's last valid day) or null")
    return name, doc


def _is_date(value: Any) -> bool:
    """An RFC 3339 full-date (``date.fromisoformat`` alone would also take ``20270505`` or ``2027-W01``)."""
    if not isinstance(value, str) or not DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def content_range(value: str | None, length: int) -> tuple[int, int, int]:
    """``bytes START-END/TOTAL`` that says the body's own length: (start, end, total).

    Whether it fits the session (TOTAL its size, START its offset) is the session's
    state, answered 409 with the offset by the caller.
    """
    m = CONTENT_RANGE.fullmatch((value or "").strip())
    if not m:
        raise Invalid(400, "invalid_range", "Content-Range bytes START-END/TOTAL required")
    start, end, total = (int(g) for g in m.groups())
    if end < start or end - start + 1 != length or end >= total:
        raise Invalid(400, "invalid_range", "Content-Range bytes START-END/TOTAL matching Content-Length required")
    return start, end, total


# --- documents -----------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string(doc: dict[str, Any], field: str, where: str, *, required: bool = False, nullable: bool = False) -> None:
    if field not in doc:
        if required:
            raise unprocessable(f"{where}{field} is required")
        return
    value = doc[field]
    if value is None and nullable:
        return
    if not isinstance(value, str):
        raise unprocessable(f"{where}{field} must be a string")


def _date_time(doc: dict[str, Any], field: str, *, required: bool = False, nullable: bool = False) -> None:
    _string(doc, field, "", required=required, nullable=nullable)
    value = doc.get(field)
    if value is None:
        return
    if not DATE_TIME.fullmatch(value):
        raise unprocessable(f"{field} must be an RFC 3339 date-time")
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise unprocessable(f"{field} must be an RFC 3339 date-time") from None


def _integer(doc: dict[str, Any], field: str, lo: int, hi: int, *, required: bool = True) -> None:
    if field not in doc:
        if required:
            raise unprocessable(f"{field} is required")
        return
    value = doc[field]
    if not _is_int(value) or not lo <= value <= hi:
        raise unprocessable(f"{field} must be an integer from {lo} to {hi}")


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise unprocessable(f"{what} must be a JSON object")
    return value


def dossier(doc: Any, code: str) -> dict[str, Any]:
    """The contract's ``Dossier``, with the code of the path."""
    doc = _object(doc, "the dossier")
    _string(doc, "code", "", required=True)
    if doc["code"] != code:
        raise unprocessable("the dossier's code differs from the code in the path")
    _string(doc, "procedure_code", "", required=True)
    for field in ("procedure_name", "field"):
        _string(doc, field, "", nullable=True)
    if "channel" not in doc or not _is_int(doc["channel"]) or doc["channel"] not in (1, 2, 3):
        raise unprocessable("channel must be 1, 2 or 3")
    _integer(doc, "status", 1, 10)
    if "owner" not in doc:
        raise unprocessable("owner is required")
    owner = _object(doc["owner"], "owner")
    for field in ("name", "address", "phone", "email", "id_number", "tax_code", "organisation"):
        _string(owner, field, "owner.", nullable=True)
    if owner.get("id_number") and not ID_NUMBER.fullmatch(owner["id_number"]):
        raise unprocessable("owner.id_number must have 12 or 9 digits")
    if owner.get("tax_code") and not TAX_CODE.fullmatch(owner["tax_code"]):
        raise unprocessable("owner.tax_code must be 10 digits, or 10 digits and -001 … -999")
    _date_time(doc, "received_at", required=True)
    _date_time(doc, "due_at", nullable=True)
    documents = doc.get("documents", [])
    if not isinstance(documents, list):
        raise unprocessable("documents must be an array")
    for item in documents:
        item = _object(item, "each document")
        for field in ("code", "name"):
            _string(item, field, "documents[].")
        if "copy_kind" in item and not (isinstance(item["copy_kind"], str) and item["copy_kind"] in COPY_KINDS):
            raise unprocessable(f"documents[].copy_kind must be one of {', '.join(sorted(COPY_KINDS))}")
        _integer(item, "quantity", INT64_MIN, INT64_MAX, required=False)
    return doc


def status(doc: Any) -> dict[str, Any]:
    """The contract's ``Status``."""
    doc = _object(doc, "the status")
    _integer(doc, "status", 1, 10)
    _integer(doc, "seq", 0, INT64_MAX)
    _date_time(doc, "at")
    _string(doc, "note", "")
    _string(doc, "action", "")
    if "portal" in doc and not isinstance(doc["portal"], dict):
        raise unprocessable("portal must be an object (the national portal's record of the dossier)")
    return doc


def anchor(doc: Any, workstation: str) -> dict[str, Any]:
    """An audit anchor: the chain head ``seq`` and ``hash`` (64 hex) of the workstation in the path."""
    doc = _object(doc, "the anchor")
    _integer(doc, "seq", 0, INT64_MAX)
    if not isinstance(doc.get("hash"), str) or not re.fullmatch(r"[0-9a-f]{64}", doc["hash"]):
        raise unprocessable("hash (64 lower-case hex digits) is required")
    if doc.get("workstation") != workstation:
        raise unprocessable("workstation must be the one named in the path")
    return doc


def upload(doc: Any) -> tuple[str, int]:
    """An upload session's ``sha256`` (64 lower-case hex) and ``size``."""
    doc = _object(doc, "the upload")
    if not isinstance(doc.get("sha256"), str) or not SHA256.fullmatch(doc["sha256"]):
        raise unprocessable("sha256 (64 lower-case hex digits) is required")
    _integer(doc, "size", 0, MAX_UPLOAD_SIZE)
    _string(doc, "filename", "")
    return doc["sha256"], doc["size"]


def code(value: str) -> str:
    """A dossier code from the path (what the contract's ``Code`` allows)."""
    if not CODE.fullmatch(value):
        raise unprocessable(f"a dossier code has 1 to {MAX_CODE} letters, digits, dots, dashes or underscores")
    return value


def id_number(value: str) -> str:
    """A citizen's ID number from the path: 12 digits (CCCD) or 9 (the old CMND)."""
    if not value or not ID_NUMBER.fullmatch(value):
        raise unprocessable("the citizen's ID number in the path must have 12 or 9 digits")
    return value


def document_id(value: str) -> str:
    if not CODE.fullmatch(value):
        raise unprocessable(f"a document id has 1 to {MAX_CODE} letters, digits, dots, dashes or underscores")
    return value


def purpose(values: list[str] | None) -> str:
    """Why the look-up is made (the dossier code, or a stated reason): required, once, 1-200 characters."""
    if not values or len(values) != 1 or not values[0].strip() or len(values[0]) > MAX_PURPOSE:
        raise unprocessable(f"purpose (why the citizen's documents are looked up, 1 to {MAX_PURPOSE} characters) "
                            "is required once")
    return values[0]


def sha256_path(value: str) -> str:
    if not SHA256.fullmatch(value):
        raise unprocessable("the file's SHA-256 in the path must be 64 lower-case hex digits")
    return value
