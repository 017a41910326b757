"""Scanned pages kept on disk as they arrive, so a closed or killed application loses none.

A dossier slot being scanned has a spool folder: each page is a lossless PNG written to a
temporary name, flushed and renamed (a page is there whole or not at all), and
``pages.json`` lists the pages in the officer's order with their resolution and turn. A
page written but not yet listed (killed between the two) is listed at the end on load, so
nothing scanned is dropped; a half-written temporary file is ignored. Once the slot's PDF
is made and attached, the spool is removed.

A whole-dossier feeder pass has a spool of its own beside the slots' (:func:`pass_spool`,
folder ``.pass``: no component code is made of a dot and letters only): the pages of the
pass in feeder order, removed once the pass is confirmed or replaced by a new one. Beside
them the pass keeps the officer's corrections of the proposed split (``sorting.json``: per
page name, the slot it was moved to or "left out"), rewritten whole and atomically at each
correction, so a restored pass comes back sorted as the officer left it; they go with the
folder. The folder's ``pass.id`` (made when the pass is first asked for it) tells one pass
from the next: a late write of the corrections of a pass already replaced must not land on
the new one, whose pages have the same names again.

The writes happen on the thread that produced the page (the scanner's or the importer's),
never the UI thread; the lock (one per folder) keeps the list consistent between that
thread and a worker that rewrites the order after the officer rearranges the pages.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from scanning.images import Page

MANIFEST = "pages.json"
#: the officer's corrections of a feeder pass's split
SORTING = "sorting.json"
#: the identity of the pass in the folder (a new one after each clear)
IDENT = "pass.id"

_locks_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _folder_lock(folder: Path) -> threading.Lock:
    """One lock per folder, shared by every PageSpool on it: the dialog opened again reads
    what the last one's worker is still writing."""
    key = os.path.abspath(folder)
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


@dataclass(frozen=True)
class SpooledPage:
    name: str
    dpi: float
    source: str
    #: clockwise quarter turns the officer applied after the scan (0, 90, 180, 270)
    turn: int = 0


@dataclass(frozen=True)
class PageMark:
    """The officer's correction of one page of a pass: the slot it was put in (None: among
    the unassigned), or left out of the dossier."""

    component: str | None
    left_out: bool = False


@dataclass(frozen=True)
class Sorting:
    """The corrections kept with a pass: ``revision`` grows with each correction."""

    revision: int
    marks: dict[str, PageMark]


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    # 0600: a scanned page is the citizen's paper
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class PageSpool:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = _folder_lock(folder)

    # --- writing ----------------------------------------------------------------------------

    def _entries(self) -> list[SpooledPage]:
        try:
            raw = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [SpooledPage(str(e["name"]), float(e.get("dpi", 300)), str(e.get("source", "")), int(e.get("turn", 0)))
                for e in raw if isinstance(e, dict) and "name" in e]

    def _write_entries(self, entries: Sequence[SpooledPage]) -> None:
        data = json.dumps([e.__dict__ for e in entries], ensure_ascii=False).encode("utf-8")
        _write_atomic(self.folder / MANIFEST, data)

    def save(self, page: Page) -> str:
        """Keep ``page`` (whole, flushed) and list it last; returns its name in the spool."""
        ok, png = cv2.imencode(".png", page.image)
        if not ok:
            raise OSError(f"could not encode page from {page.source}")
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            taken = {p.name for p in self.folder.glob("*.png")}
            n = len(taken) + 1
            while f"{n:06d}.png" in taken:
                n += 1
            name = f"{n:06d}.png"
            _write_atomic(self.folder / name, png.tobytes())
            entries = self._entries()
            entries.append(SpooledPage(name, page.dpi, page.source))
            self._write_entries(entries)
        return name

    def arrange(self, order: Sequence[tuple[str, int]]) -> None:
        """The officer's order and turns, as ``(name, turn)``; pages left out are deleted."""
        with self._lock:
            known = {e.name: e for e in self._entries()}
            kept = [SpooledPage(n, known[n].dpi, known[n].source, t % 360) for n, t in order if n in known]
            self._write_entries(kept)
            for gone in set(known) - {e.name for e in kept}:
                (self.folder / gone).unlink(missing_ok=True)

    def clear(self) -> None:
        with self._lock:
            shutil.rmtree(self.folder, ignore_errors=True)

    def ident(self) -> str:
        """The identity of the pass now in the folder ("" when there is none), made on the
        first call (a cleared folder lost it: the next pass gets another)."""
        with self._lock:
            if not self.folder.is_dir():
                return ""
            try:
                return (self.folder / IDENT).read_text(encoding="ascii").strip()
            except (OSError, ValueError):
                value = uuid.uuid4().hex
                _write_atomic(self.folder / IDENT, value.encode("ascii"))
                return value

    def keep_sorting(self, ident: str, revision: int, marks: Mapping[str, PageMark]) -> bool:
        """Keep the officer's corrections of pass ``ident`` (whole, flushed, renamed into place).

        Not written, and False, when the folder holds no pass or another one (confirmed or
        replaced meanwhile: the corrections went with it), or already a later revision (two
        writes of quick corrections that finish in the other order)."""
        with self._lock:
            if not ident or not self.folder.is_dir():
                return False
            try:
                if (self.folder / IDENT).read_text(encoding="ascii").strip() != ident:
                    return False
            except (OSError, ValueError):
                return False
            kept = self._sorting()
            if kept is not None and kept.revision >= revision:
                return False
            data = {"revision": revision,
                    "pages": {n: {"component": m.component, "left_out": m.left_out} for n, m in marks.items()}}
            _write_atomic(self.folder / SORTING, json.dumps(data, ensure_ascii=False).encode("utf-8"))
            return True

    def _sorting(self) -> Sorting | None:
        try:
            raw = json.loads((self.folder / SORTING).read_text(encoding="utf-8"))
            pages = raw["pages"]
            marks = {str(n): PageMark(None if m.get("component") is None else str(m["component"]),
                                      bool(m.get("left_out", False)))
                     for n, m in pages.items() if isinstance(m, dict)}
            return Sorting(int(raw["revision"]), marks)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # none kept, or unreadable: the pass is sorted afresh, as before

    def sorting(self) -> Sorting | None:
        """The corrections kept with the pass, if any."""
        with self._lock:
            return self._sorting()

    # --- reading ----------------------------------------------------------------------------

    def entries(self) -> list[SpooledPage]:
        """The pages in order, those written but not yet listed at the end."""
        with self._lock:
            listed = [e for e in self._entries() if (self.folder / e.name).is_file()]
            names = {e.name for e in listed}
            extra = sorted(p.name for p in self.folder.glob("[0-9]*.png") if p.name not in names) \
                if self.folder.is_dir() else []
            return listed + [SpooledPage(n, 300.0, "") for n in extra]

    def __len__(self) -> int:
        return len(self.entries())

    def load(self) -> Iterator[tuple[SpooledPage, Page]]:
        """Each page with its image as the officer left it (turn applied)."""
        for e in self.entries():
            image = cv2.imread(str(self.folder / e.name), cv2.IMREAD_UNCHANGED)
            if image is None:  # unreadable: left on disk for a look, not shown as a page
                continue
            if e.turn:
                image = np.ascontiguousarray(np.rot90(image, -(e.turn // 90)))
            yield e, Page(image, e.dpi, e.source or e.name)


def spool_root(files_dir: Path) -> Path:
    return files_dir / "spool"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text) or "_"


def slot_spool(files_dir: Path, dossier_code: str, component: str) -> PageSpool:
    """The spool of one dossier slot."""
    return PageSpool(spool_root(files_dir) / _safe(dossier_code) / _safe(component))


#: the folder of a dossier's whole feeder pass, beside its slots' folders
PASS = ".pass"


def pass_spool(files_dir: Path, dossier_code: str) -> PageSpool:
    """The spool of the dossier's whole-dossier feeder pass (not yet confirmed)."""
    return PageSpool(spool_root(files_dir) / _safe(dossier_code) / PASS)


def unfinished(files_dir: Path, dossier_code: str | None = None) -> list[tuple[str, str, int]]:
    """Slots with scanned pages not yet made into a PDF: ``(dossier folder, component folder,
    pages)``, for the page that reopens them after a restart; a feeder pass not yet confirmed
    is listed with the component folder :data:`PASS`."""
    root = spool_root(files_dir)
    out = []
    dossiers = [root / _safe(dossier_code)] if dossier_code else sorted(p for p in root.glob("*") if p.is_dir())
    for d in dossiers:
        for c in sorted(p for p in d.glob("*") if p.is_dir()):
            n = len(PageSpool(c))
            if n:
                out.append((d.name, c.name, n))
    return out


__all__ = ["PASS", "PageMark", "PageSpool", "Sorting", "SpooledPage", "pass_spool", "slot_spool", "spool_root", "unfinished"]
