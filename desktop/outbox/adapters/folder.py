"""The embedded default dossier system: a folder another process or person moves on.

Layout: ``<root>/<dossier code>/dossier.json``, ``files/<sha256>-<name>``, and
``status/<NNNNNN>.json``; audit anchors (a workstation's chain head) in
``<root>/_audit-anchors/<workstation>.json``, the newest only. Every write goes to a temporary name and is renamed into
place, so a reader never sees half a file; the idempotency key is part of the written
content, and writing the same job twice gives the same result (exactly once on disk).
Readers of the folder ignore names starting with a dot (work in progress).

A dossier folder belongs to the workstation that wrote it (``workstation_id`` in
``dossier.json``) and to its owner: a dossier with the same code from another workstation,
or naming another citizen, is refused (parked with that reason), never written over it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlparse

from desktop.kernel.i18n import msg
from desktop.outbox.adapters.base import DeliveryError, NationalDocument
from desktop.outbox.adapters.identity import same_owner


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in ".-_" else "_" for ch in name)[:120] or "file"


def _private_dirs(folder: Path, root: Path) -> None:
    """Create ``folder`` and the missing folders up to ``root`` as 0700 (the umask could widen them)."""
    missing = []
    p = folder
    while not p.is_dir():
        missing.append(p)
        if p == root or p.parent == p:
            break
        p = p.parent
    folder.mkdir(parents=True, exist_ok=True)
    for d in missing:
        if os.name == "posix":
            os.chmod(d, 0o700)


class FolderAdapter:
    def __init__(self, root: Path, *, workstation_id: str = "") -> None:
        self.root = root
        self.workstation_id = workstation_id

    @classmethod
    def from_url(cls, url: str, *, workstation_id: str = "") -> FolderAdapter:
        return cls(Path(unquote(urlparse(url).path)), workstation_id=workstation_id)

    def _held(self, code: str, dossier: dict[str, Any] | None = None) -> None:
        """Refuse to write into another workstation's (or, for ``dossier``, another citizen's) dossier."""
        try:
            stored = json.loads((self.root / _safe(code) / "dossier.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # nothing there yet (or unreadable: the write below says so)
        if not isinstance(stored, dict):
            return
        theirs = stored.get("workstation_id") or ""
        if theirs and self.workstation_id and theirs != self.workstation_id:
            raise DeliveryError(msg(
                "Thư mục hệ thống hồ sơ đã có hồ sơ {c} do một máy trạm khác gửi; hồ sơ đó không bị ghi đè. "
                "Mã hồ sơ bị trùng: kiểm tra trước khi gửi lại.",
                "The dossier-system folder already holds dossier {c} sent by another workstation; it is not "
                "overwritten. The dossier code is taken: check before sending again.", c=code), permanent=True)
        if dossier is not None and not same_owner(stored, dossier):
            raise DeliveryError(msg(
                "Thư mục hệ thống hồ sơ đã có hồ sơ {c} của một công dân khác; hồ sơ đó không bị ghi đè. "
                "Mã hồ sơ của máy trạm này có thể đã bắt đầu lại (cơ sở dữ liệu bị tạo lại?): kiểm tra trước khi gửi lại.",
                "The dossier-system folder already holds dossier {c} of another citizen; it is not overwritten. "
                "This workstation's dossier codes may have restarted (a recreated database?): check before "
                "sending again.", c=code), permanent=True)

    def _write(self, target: Path, write: Callable[[BinaryIO], object]) -> None:
        # One fixed temporary name per target: a write cut short (even by SIGKILL) leaves
        # ".<name>.part", which the retry of the same job truncates and renames into place.
        tmp = target.with_name(f".{target.name}.part")
        try:
            _private_dirs(target.parent, self.root)
            try:
                # 0600: the folder holds citizens' dossiers, whatever the process's umask
                with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
                    write(f)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        except OSError as exc:
            full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
            raise DeliveryError(
                msg("Không ghi được vào thư mục hệ thống hồ sơ {p}: {e}",
                    "Cannot write to the dossier-system folder {p}: {e}", p=target.parent,
                    e=msg("ổ đĩa đầy", "disk full") if full else exc.strerror or exc)) from exc

    def _json(self, target: Path, data: dict[str, Any]) -> None:
        body = json.dumps(data, ensure_ascii=False, indent=1, default=str).encode()
        self._write(target, lambda f: f.write(body))

    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        self._held(dossier["code"], dossier)
        written = {**dossier, "idempotency_key": key}
        if self.workstation_id:
            written["workstation_id"] = self.workstation_id
        self._json(self.root / _safe(dossier["code"]) / "dossier.json", written)

    def send_file(self, key: str, dossier_code: str, meta: dict[str, Any], path: Path) -> None:
        if not path.is_file():
            raise DeliveryError(msg("Tệp {p} đã bị xóa khỏi ổ đĩa trước khi gửi.",
                                    "File {p} was deleted from disk before upload.", p=path), permanent=True)
        self._held(dossier_code)
        folder = self.root / _safe(dossier_code) / "files"
        target = folder / f"{meta['sha256'][:16]}-{_safe(meta.get('filename') or path.name)}"
        if not target.exists():
            def copy(f: BinaryIO) -> None:
                h = hashlib.sha256()
                with open(path, "rb") as src:
                    for chunk in iter(lambda: src.read(1 << 20), b""):
                        h.update(chunk)
                        f.write(chunk)
                if h.hexdigest() != meta["sha256"]:
                    raise DeliveryError(msg("Tệp {p} đã bị thay đổi sau khi lưu (SHA-256 khác).",
                                            "File {p} changed after it was recorded (SHA-256 differs).", p=path),
                                        permanent=True)
            self._write(target, copy)
        self._json(target.with_name(target.name + ".json"), {**meta, "idempotency_key": key})
        if meta.get("replaces") and meta["replaces"] != meta["sha256"]:
            self._retire(folder, str(meta["replaces"]))

    def _retire(self, folder: Path, sha256: str) -> None:
        """The earlier version of a re-signed file leaves ``files/`` for ``files/replaced/``: the
        folder shows one copy per component, the history stays (a retry finds it moved already)."""
        try:
            for old in folder.glob(f"{sha256[:16]}-*"):
                if old.is_file():
                    _private_dirs(folder / "replaced", self.root)
                    os.replace(old, folder / "replaced" / old.name)
        except OSError as exc:  # retried: the new version is in place, the old one moves next time
            raise DeliveryError(msg("Không chuyển được bản cũ của tệp vào {p}: {e}",
                                    "Cannot move the earlier version of the file to {p}: {e}",
                                    p=folder / "replaced", e=exc.strerror or exc)) from exc

    def send_status(self, key: str, dossier_code: str, status: dict[str, Any]) -> None:
        self._held(dossier_code)
        self._json(self.root / _safe(dossier_code) / "status" / f"{status['seq']:06d}.json",
                   {**status, "idempotency_key": key})

    # --- the national store: a folder keeps none ---------------------------------------

    def lookup_documents(self, id_number: str, purpose: str) -> list[NationalDocument] | None:
        """None: a folder is no dossier system with a national store (only the local store is offered)."""
        return None

    def fetch_document(self, id_number: str, doc_id: str, dest: Path, purpose: str) -> None:
        raise DeliveryError(msg("Thư mục hệ thống hồ sơ không có kho dữ liệu quốc gia.",
                                "The dossier-system folder has no national document store."), permanent=True)

    def _anchor_path(self, workstation: str) -> Path:
        return self.root / "_audit-anchors" / f"{_safe(workstation)}.json"

    def fetch_anchor(self, workstation: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._anchor_path(workstation).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise DeliveryError(msg("Không đọc được mốc nhật ký kiểm toán: {e}", "Cannot read the audit anchor: {e}",
                                    e=exc)) from exc
        return data if isinstance(data, dict) else None

    def send_anchor(self, key: str, anchor: dict[str, Any]) -> None:
        old = self.fetch_anchor(str(anchor["workstation"]))
        if old is not None and int(old.get("seq", 0)) > int(anchor["seq"]):
            # the head never goes back: a lower one means the local chain was cut
            raise DeliveryError(msg("Mốc nhật ký kiểm toán lùi lại (#{n} sau #{o}): nhật ký đã bị cắt bớt?",
                                    "The audit anchor goes back (#{n} after #{o}): was the log truncated?",
                                    n=anchor["seq"], o=old.get("seq")), permanent=True)
        self._json(self._anchor_path(str(anchor["workstation"])), {**anchor, "idempotency_key": key})
