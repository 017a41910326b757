"""The HTTP adapter for an iGate-like dossier system (contract: docs/dossier-system.openapi.yaml).

OAuth2 client credentials, an ``Idempotency-Key`` on every write, SHA-256 checked by the
server (and its answer checked against ours), TLS verified (a CA bundle can be
configured), a timeout on every call. A network failure, a timeout, 5xx, 429, a redirect,
an answer that does not follow the contract or an expired token is retried by the outbox;
any other 4xx can never succeed and parks the job with the server's reason. Every request
carries the workstation's instance id (``X-Workstation-Id``); a 409 ``dossier_code_taken``
(the code already holds another workstation's or another citizen's dossier) is parked
with that reason in the user's language, never retried into an overwrite.

Files above ``chunk_threshold`` go as a resumable upload session: the server keeps every
byte it received and reports its offset, so a broken connection costs a few hundred
kilobytes, not the file, and a killed uploader goes on where the server stopped.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from desktop.kernel.i18n import msg
from desktop.outbox.adapters.base import DeliveryError, NationalDocument, NationalStoreError

RETRYABLE_4XX = {401, 408, 409, 425, 429}  # 409: the dossier may not have arrived yet (not a taken code)
CHUNK_THRESHOLD = 4 << 20
CHUNK_SIZE = 1 << 20
#: consecutive failed chunk requests (without progress) before the job is handed back
RESUME_ATTEMPTS = 8
_PIECE = 64 << 10
#: a look-up in the national store is made while the citizen waits: a slow system is "not reachable"
LOOKUP_TIMEOUT = 8.0
#: the largest listing of one citizen's documents read (thousands of entries): a larger answer
#: is a broken or hostile server, and reading it would hold the counter's memory and time
MAX_LISTING = 4 << 20
#: the largest document file downloaded (the dossier system takes files up to 64 MiB whole)
MAX_DOCUMENT = 64 << 20
T = TypeVar("T")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _reason(r: httpx.Response) -> str:
    """The server's own words: the JSON error if there is one, else the start of the body."""
    try:
        body = r.json()
        if isinstance(body, dict) and body.get("error"):
            return " — ".join(str(body[k]) for k in ("error", "error_description") if body.get(k))[:300]
    except ValueError:
        pass
    return " ".join(r.text.split())[:200] or r.reason_phrase


def _error(r: httpx.Response) -> object:
    try:
        body = r.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


def _day(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("a date must be a string")
    return date.fromisoformat(value)


def _national(item: object) -> NationalDocument:
    """One listed document, checked against the contract (ValueError otherwise)."""
    if not isinstance(item, dict):
        raise ValueError("a document must be an object")
    text = {k: item.get(k) for k in ("id", "kind", "doc_type", "doc_name", "number", "issuer", "sha256",
                                     "source_dossier", "signature_state")}
    # the SHA-256 names the kept copy's file: nothing but hex may reach a path
    if not isinstance(text["id"], str) or not text["id"] or not isinstance(text["sha256"], str) \
            or not _HEX64.fullmatch(text["sha256"]) or not isinstance(item.get("size", 0), int):
        raise ValueError("id, sha256 and size are required")
    if any(v is not None and not isinstance(v, str) for v in text.values()):
        raise ValueError("text fields must be strings")
    s = {k: str(v or "") for k, v in text.items()}
    return NationalDocument(s["id"], s["kind"] or "component", s["doc_type"], s["doc_name"], s["number"], s["issuer"],
                            _day(item.get("issued_on")), _day(item.get("valid_until")), s["sha256"].lower(),
                            int(item.get("size") or 0), s["source_dossier"], s["signature_state"])


def _code_taken(r: httpx.Response) -> str:
    """The dossier system already holds this code for another dossier: said in the user's language."""
    body = r.json()
    code = str(body.get("code") or "?")
    if body.get("reason") == "owner":
        return msg("Hệ thống hồ sơ đã có hồ sơ {c} của một công dân khác; hồ sơ đó không bị ghi đè. "
                   "Mã hồ sơ của máy trạm này có thể đã bắt đầu lại (cơ sở dữ liệu bị tạo lại?): "
                   "kiểm tra trước khi gửi lại.",
                   "The dossier system already holds dossier {c} of another citizen; it is not overwritten. "
                   "This workstation's dossier codes may have restarted (a recreated database?): "
                   "check before sending again.", c=code)
    return msg("Hệ thống hồ sơ đã có hồ sơ {c} do một máy trạm khác gửi; hồ sơ đó không bị ghi đè. "
               "Mã hồ sơ bị trùng (máy trạm cài lại hoặc cùng mã đơn vị?): kiểm tra trước khi gửi lại.",
               "The dossier system already holds dossier {c} sent by another workstation; it is not overwritten. "
               "The dossier code is taken (a reinstalled workstation, or the same unit code?): "
               "check before sending again.", c=code)


class HttpAdapter:
    def __init__(self, base_url: str, client_id: str, client_secret: str | None, *, workstation_id: str,
                 ca_bundle: str | None = None, timeout: float = 30.0, chunk_threshold: int = CHUNK_THRESHOLD,
                 chunk_size: int = CHUNK_SIZE, lookup_timeout: float = LOOKUP_TIMEOUT) -> None:
        self.base = base_url.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        #: sent with every request: the dossier system refuses a code another workstation holds
        self.workstation_id = workstation_id
        self.http = httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0), verify=ca_bundle or True)
        self._token: str | None = None
        #: seconds a national-store look-up or download may take in all (the citizen waits)
        self.lookup_timeout = lookup_timeout
        self.chunk_threshold, self.chunk_size = chunk_threshold, max(_PIECE, chunk_size)
        #: file bytes handed to the network in upload chunks (to show what resuming saves)
        self.chunk_bytes_sent = 0

    def close(self) -> None:
        self.http.close()

    def _auth(self) -> str:
        if self._token is None:
            if not self.client_secret:  # a setting to fix; the jobs wait with this reason meanwhile
                raise DeliveryError(msg(
                    "Chưa cấu hình khóa bí mật của hệ thống hồ sơ: đặt MOTCUA_DOSSIER_CLIENT_SECRET, "
                    "dossier_system.client_secret hoặc dossier_system.client_secret_file (tệp máy chủ hồ sơ ghi ra).",
                    "No dossier-system client secret is configured: set MOTCUA_DOSSIER_CLIENT_SECRET, "
                    "dossier_system.client_secret or dossier_system.client_secret_file (the file the server writes)."))
            r = self._call("POST", "/oauth/token", auth=False, data={
                "grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret})
            try:
                token = r.json()["access_token"]
            except (ValueError, KeyError, TypeError):
                token = None
            if not isinstance(token, str) or not token:
                raise DeliveryError(msg("Máy chủ cấp token trả về dữ liệu lạ.", "The token endpoint answered garbage."))
            self._token = token
        return self._token

    def _call(self, method: str, path: str, *, auth: bool = True, key: str | None = None,
              accept: tuple[int, ...] = (), **kw: Any) -> httpx.Response:
        headers = {"X-Workstation-Id": self.workstation_id, **kw.pop("headers", {})}
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
        if r.status_code in accept or 200 <= r.status_code < 300:
            return r
        if r.status_code == 409 and _error(r) == "dossier_code_taken":
            raise DeliveryError(_code_taken(r), permanent=True)  # never overwritten: waiting changes nothing
        if 300 <= r.status_code < 400:  # not followed: a write must reach the address configured
            raise DeliveryError(msg("Hệ thống hồ sơ chuyển hướng (HTTP {c} tới {t}); kiểm tra địa chỉ đã cấu hình.",
                                    "The dossier system redirected (HTTP {c} to {t}); check the configured address.",
                                    c=r.status_code, t=r.headers.get("Location", "?")))
        raise DeliveryError(msg("Hệ thống hồ sơ trả lời HTTP {c}: {r}", "The dossier system answered HTTP {c}: {r}",
                                c=r.status_code, r=_reason(r)),
                            permanent=400 <= r.status_code < 500 and r.status_code not in RETRYABLE_4XX)

    @staticmethod
    def _answer(r: httpx.Response, field: str, kind: type[T], expected: object = None) -> T:
        """A field of a JSON answer; anything else is an answer outside the contract (retried)."""
        try:
            value = r.json()[field]
            ok = isinstance(value, kind) and not isinstance(value, bool) and (expected is None or value == expected)
        except (ValueError, KeyError, TypeError):
            ok, value = False, None
        if not ok:
            raise DeliveryError(msg("Hệ thống hồ sơ trả lời không đúng giao thức ({m} {p}: “{f}” {v}); sẽ thử lại.",
                                    "The dossier system's answer does not follow the contract ({m} {p}: “{f}” {v}); "
                                    "will retry.", m=r.request.method, p=r.request.url.path, f=field,
                                    v=msg("sai", "wrong") if value is not None else msg("thiếu", "missing")))
        return value

    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        r = self._call("PUT", f"/api/dossiers/{quote(dossier['code'], safe='')}", key=key, json=dossier)
        self._answer(r, "code", str, dossier["code"])

    def _file_headers(self, meta: dict[str, Any], path: Path) -> dict[str, str]:
        return {"X-Filename": quote(meta.get("filename") or path.name),
                "X-File-Meta": json.dumps({k: meta[k] for k in ("component_code", "kind", "digitized", "reusable",
                                                                 "reused", "signature_state", "replaces",
                                                                 "valid_until")
                                                       if k in meta})}

    def send_file(self, key: str, dossier_code: str, meta: dict[str, Any], path: Path) -> None:
        try:
            size = path.stat().st_size
            if size > self.chunk_threshold:
                return self._send_chunked(key, dossier_code, meta, path, size)
            body = path.read_bytes()
        except FileNotFoundError:
            raise DeliveryError(msg("Tệp {p} đã bị xóa khỏi ổ đĩa trước khi gửi.",
                                    "File {p} was deleted from disk before upload.", p=path), permanent=True) from None
        except OSError as exc:
            raise DeliveryError(msg("Không đọc được tệp {p}: {e}", "Cannot read file {p}: {e}", p=path,
                                    e=exc.strerror or exc)) from exc
        r = self._call("PUT", f"/api/dossiers/{quote(dossier_code, safe='')}/files/{meta['sha256']}", key=key,
                       content=body, headers={"Content-Type": "application/pdf", **self._file_headers(meta, path)})
        self._answer(r, "sha256", str, meta["sha256"])

    # --- resumable upload ---------------------------------------------------------------

    def _counted(self, data: bytes) -> Iterator[bytes]:
        for i in range(0, len(data), _PIECE):
            piece = data[i:i + _PIECE]
            self.chunk_bytes_sent += len(piece)
            yield piece

    def _send_chunked(self, key: str, dossier_code: str, meta: dict[str, Any], path: Path, size: int) -> None:
        """Upload session: create (or find) it, PUT chunks from the server's offset, complete."""
        # its own key: a key names one request (method, path, body), and complete uses the job's
        r = self._call("POST", f"/api/dossiers/{quote(dossier_code, safe='')}/uploads", key=f"{key}:session",
                       json={"sha256": meta["sha256"], "size": size, "filename": meta.get("filename") or path.name})
        upload = quote(self._answer(r, "upload_id", str), safe="")
        offset: int | None = self._answer(r, "offset", int)
        failures = 0
        with open(path, "rb") as f:
            while True:
                try:
                    if offset is None:  # after a failure: where did the server get to?
                        offset = self._answer(self._call("GET", f"/api/uploads/{upload}"), "offset", int)
                    if offset >= size:
                        break
                    end = min(offset + self.chunk_size, size)
                    f.seek(offset)
                    data = f.read(end - offset)
                    if len(data) != end - offset:
                        raise DeliveryError(msg("Tệp {p} đã bị thay đổi trong khi gửi.", "File {p} changed while it was sent.",
                                                p=path), permanent=True)
                    r = self._call("PUT", f"/api/uploads/{upload}", accept=(409,), content=self._counted(data),
                                   headers={"Content-Type": "application/octet-stream", "Content-Length": str(len(data)),
                                            "Content-Range": f"bytes {offset}-{end - 1}/{size}"})
                    new = self._answer(r, "offset", int)
                    if r.status_code == 409:  # someone else's offset (a stale lease, a cut we saw late)
                        failures += 1
                    elif new <= offset:
                        raise DeliveryError(msg("Hệ thống hồ sơ không nhận thêm dữ liệu tệp.",
                                                "The dossier system took no more of the file."))
                    else:
                        failures = 0
                    offset = new
                except DeliveryError as exc:
                    if exc.permanent:
                        raise
                    failures += 1
                    offset = None
                    if failures > RESUME_ATTEMPTS:
                        raise
                    time.sleep(min(2.0, 0.05 * 2 ** failures))
                if failures > RESUME_ATTEMPTS:
                    raise DeliveryError(msg("Tải lên {p} không tiến triển; sẽ thử lại sau.",
                                            "Upload of {p} makes no progress; will retry later.", p=path))
        r = self._call("POST", f"/api/uploads/{upload}/complete", key=key, headers=self._file_headers(meta, path))
        self._answer(r, "sha256", str, meta["sha256"])

    def send_status(self, key: str, dossier_code: str, status: dict[str, Any]) -> None:
        r = self._call("POST", f"/api/dossiers/{quote(dossier_code, safe='')}/status", key=key, json=status)
        self._answer(r, "status", int, status["status"])

    def send_anchor(self, key: str, anchor: dict[str, Any]) -> None:
        """The audit chain head of this workstation; the server keeps the newest and refuses one that goes back."""
        r = self._call("PUT", f"/api/audit-anchors/{quote(str(anchor['workstation']), safe='')}", key=key,
                       json=anchor)
        self._answer(r, "seq", int, anchor["seq"])

    def fetch_anchor(self, workstation: str) -> dict[str, Any] | None:
        r = self._call("GET", f"/api/audit-anchors/{quote(workstation, safe='')}", accept=(404,))
        if r.status_code == 404:
            return None
        data = r.json()
        return data if isinstance(data, dict) else None

    # --- the national store (reads: each names the citizen and says why) ------------------

    def _citizen(self, id_number: str) -> str:
        return f"/api/citizens/{quote(id_number, safe='')}/documents"

    def _national_get(self, path: str, purpose: str, limit: int, sink: Callable[[bytes], object]) -> None:
        """GET from the national store, the body handed to ``sink`` piece by piece, at most
        ``limit`` bytes; every way it can go wrong is a :class:`NationalStoreError` that says
        which, in the user's language (the counter shows it beside the local offers).

        A 401 is asked again once with a new token (an expired one is routine); refused again,
        or a 403, is the workstation's credentials, which only an administrator can fix."""
        for attempt in (1, 2):
            deadline = time.monotonic() + self.lookup_timeout
            headers = {"X-Workstation-Id": self.workstation_id, "Authorization": f"Bearer {self._auth()}"}
            timeout = httpx.Timeout(self.lookup_timeout, connect=min(4.0, self.lookup_timeout))
            try:
                with self.http.stream("GET", self.base + path, params={"purpose": purpose}, headers=headers,
                                      timeout=timeout) as r:
                    if r.status_code == 401 and attempt == 1:
                        self._token = None
                        continue
                    self._national_status(r)
                    declared = r.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise self._too_large(limit)
                    got = 0
                    for piece in r.iter_bytes():
                        got += len(piece)
                        if got > limit:
                            raise self._too_large(limit)
                        if time.monotonic() > deadline:  # a server that trickles bytes is as slow as a silent one
                            raise httpx.ReadTimeout("the answer took too long", request=r.request)
                        sink(piece)
                return
            except httpx.TimeoutException as exc:
                raise NationalStoreError(msg(
                    "Kho dữ liệu quốc gia không trả lời trong {s:g} giây; thử lại sau.",
                    "The national store did not answer within {s:g} seconds; try again later.",
                    s=self.lookup_timeout), kind="timeout") from exc
            except httpx.HTTPError as exc:
                raise NationalStoreError(msg("Không kết nối được kho dữ liệu quốc gia ({e}).",
                                             "Could not connect to the national store ({e}).",
                                             e=type(exc).__name__), kind="connection") from exc
        raise AssertionError("unreachable: the second 401 is raised by _national_status")

    @staticmethod
    def _too_large(limit: int) -> NationalStoreError:
        return NationalStoreError(msg("Câu trả lời của kho dữ liệu quốc gia quá lớn (hơn {n} MiB); không đọc tiếp.",
                                      "The national store's answer is too large (over {n} MiB); it was not read.",
                                      n=limit >> 20), kind="too_large")

    @staticmethod
    def _national_status(r: httpx.Response) -> None:
        """Nothing for a 2xx; else the error that says what the status means (the body is small or unread)."""
        c = r.status_code
        if 200 <= c < 300:
            return
        if c in (401, 403):
            raise NationalStoreError(msg(
                "Kho dữ liệu quốc gia từ chối thông tin xác thực của máy trạm này (HTTP {c}): quản trị viên cần "
                "kiểm tra khóa bí mật của máy trạm và quyền tra cứu tài liệu của nó.",
                "The national store refused this workstation's credentials (HTTP {c}): an administrator needs "
                "to check the workstation's client secret and its right to look documents up.", c=c),
                kind="credentials")
        if c >= 500:
            raise NationalStoreError(msg("Kho dữ liệu quốc gia đang gặp lỗi (HTTP {c}); thử lại sau.",
                                         "The national store has a fault on its side (HTTP {c}); try again later.",
                                         c=c), kind="server")
        if c == 404:
            raise NationalStoreError(msg("Kho dữ liệu quốc gia không có tài liệu này của công dân.",
                                         "The national store has no such document of this citizen."), kind="not_found")
        r.read()  # a refusal's JSON is small (the server's words)
        raise NationalStoreError(msg("Kho dữ liệu quốc gia trả lời HTTP {c}: {r}",
                                     "The national store answered HTTP {c}: {r}", c=c, r=_reason(r)), kind="refused")

    def lookup_documents(self, id_number: str, purpose: str) -> list[NationalDocument] | None:
        """That citizen's signed documents in the national store; :class:`NationalStoreError` when
        it cannot be reached, refuses, is too slow or answers outside the contract (or too much).

        Number, issuer and dates are optional (a contract-0.3 server sends none)."""
        body = bytearray()
        self._national_get(self._citizen(id_number), purpose, MAX_LISTING, body.extend)
        try:
            data = json.loads(bytes(body))
        except ValueError as exc:  # the parser's own words (line, column) mean nothing at the counter
            raise NationalStoreError(msg("Câu trả lời của kho dữ liệu quốc gia không phải JSON hợp lệ (bị cắt hoặc "
                                         "hỏng); thử lại sau.",
                                         "The national store's answer is not valid JSON (cut off or garbled); "
                                         "try again later."), kind="malformed") from exc
        try:
            if not isinstance(data, dict) or data.get("id_number") != id_number \
                    or not isinstance(data.get("documents"), list):
                raise ValueError("not this citizen's list")
            return [_national(item) for item in data["documents"]]
        except ValueError as exc:
            raise NationalStoreError(msg("Kho dữ liệu quốc gia trả lời không đúng giao thức ({e}).",
                                         "The national store's answer does not follow the contract ({e}).",
                                         e=str(exc)[:200]), kind="malformed") from exc

    def fetch_document(self, id_number: str, doc_id: str, dest: Path, purpose: str) -> None:
        """The signed file, written to ``dest`` whole or not at all (its hash is the caller's to check)."""
        tmp = dest.with_name(f".{dest.name}.part")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
                self._national_get(f"{self._citizen(id_number)}/{quote(doc_id, safe='')}/file", purpose,
                                   MAX_DOCUMENT, f.write)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, dest)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DeliveryError(msg("Không ghi được tài liệu tải về vào {p}: {e}",
                                    "Cannot write the downloaded document to {p}: {e}", p=dest,
                                    e=exc.strerror or exc)) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)  # never a half file beside the kept copies
            raise
