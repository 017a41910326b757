"""Form templates as versioned data: the built-in file and an administrator's copy that wins.

A template version is chosen by the date of the document (the newest whose effective
date is on or before it). An administrator's file that cannot be read is ignored with the
error logged; a version that does not render is caught by the renderer, which then uses
the built-in version (:mod:`desktop.forms.service`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop.kernel.errors import NotFound
from desktop.kernel.i18n import msg

log = logging.getLogger(__name__)
BUILTIN = Path(__file__).resolve().parent.parent.parent / "resources" / "forms" / "forms.json"
NUMBERS = ("01", "02", "03", "04", "05", "06", "07")


@dataclass(frozen=True)
class Template:
    number: str
    version: str
    effective_date: date
    layout: str
    paper: str
    name: str
    title: str
    texts: dict[str, str]
    common: dict[str, str]
    source: str  # "builtin" | "admin"

    def text(self, key: str, **values: Any) -> str:
        """The text ``key`` with its ``{placeholders}`` filled (a missing one raises KeyError)."""
        return self.texts[key].format(**values)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "version": self.version, "effective_date": self.effective_date.isoformat(),
                "layout": self.layout, "paper": self.paper, "name": self.name, "title": self.title,
                "source": self.source}


@dataclass
class TemplateSet:
    source: str
    common: dict[str, str]
    forms: dict[str, list[Template]] = field(default_factory=dict)

    def pick(self, number: str, on: date) -> Template | None:
        versions = [t for t in self.forms.get(number, []) if t.effective_date <= on]
        return max(versions, key=lambda t: t.effective_date) if versions else None


def parse(doc: Any, source: str) -> TemplateSet:
    if not isinstance(doc, dict) or not isinstance(doc.get("forms"), dict):
        raise ValueError("no “forms” object")
    common = {str(k): str(v) for k, v in (doc.get("common") or {}).items()}
    out = TemplateSet(source, common)
    for number, entry in doc["forms"].items():
        for v in entry.get("versions", []):
            out.forms.setdefault(str(number), []).append(Template(
                str(number), str(v["version"]), date.fromisoformat(v["effective_date"]), str(v["layout"]),
                str(v.get("paper", "A5")), str(v["name"]), str(v["title"]),
                {str(k): str(t) for k, t in (v.get("texts") or {}).items()}, common, source))
    return out


def admin_path(data_dir: Path) -> Path:
    return data_dir / "forms" / "forms.json"


def load_builtin() -> TemplateSet:
    return parse(json.loads(BUILTIN.read_text(encoding="utf-8")), "builtin")


def load_admin(data_dir: Path) -> TemplateSet | None:
    """The administrator's templates, or None (none there, or unreadable: logged)."""
    path = admin_path(data_dir)
    if not path.is_file():
        return None
    try:
        return parse(json.loads(path.read_text(encoding="utf-8")), "admin")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.error("form templates %s cannot be read, the built-in ones are used: %s", path, exc)
        return None


def choose(number: str, on: date, data_dir: Path | None) -> list[Template]:
    """Templates to try for form ``number`` on ``on``, best first: the admin's, then the built-in."""
    if number not in NUMBERS:
        raise NotFound(msg("Không có mẫu số “{n}” (01 … 07).", "No form number “{n}” (01 … 07).", n=number))
    out = []
    admin = load_admin(data_dir) if data_dir is not None else None
    if admin is not None and (t := admin.pick(number, on)) is not None:
        out.append(t)
    builtin = load_builtin().pick(number, on) or min(load_builtin().forms[number], key=lambda t: t.effective_date)
    out.append(builtin)
    return out
