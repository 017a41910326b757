"""Scanner profiles: named presets such as "A4 xám 300 dpi 2 mặt" an officer picks in one click.

A profile fixes how the sheets are scanned (feed, colour mode, resolution, paper size,
duplex) and which clean-up steps run afterwards (plain switches; the pipeline maps them to
its clean-up options). Profiles belong to a workstation — the scanner next to it decides
what makes sense — and are kept in ``<data dir>/scanning/profiles.json``. Without that file
the built-in defaults apply; a file that cannot be used is refused with the reason and
the place, never half-read.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.kernel.files import replace_durably
from desktop.kernel.i18n import msg
from scanning.sources.base import MAX_RESOLUTION, MIN_RESOLUTION, MODES, SOURCES, ScanSettings, page_size_name

PROFILES_FILE = Path("scanning") / "profiles.json"
FORMAT_VERSION = 1
CLEANUP_SWITCHES = ("deskew", "orientation", "auto_crop", "perspective", "illumination", "denoise", "remove_blank")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class ScanProfile:
    id: str
    name: str  # Vietnamese, as the officer sees it
    name_en: str = ""
    source: str = "adf"
    mode: str = "grey"
    resolution: int = 300
    page_size: str | None = "A4"
    duplex: bool = False
    deskew: bool = True
    orientation: bool = True
    auto_crop: bool = True
    perspective: bool = False
    illumination: bool = False
    denoise: bool = True
    remove_blank: bool = True

    @property
    def label(self) -> str:
        return msg(self.name, self.name_en or self.name)

    def scan_settings(self, max_pages: int | None = None) -> ScanSettings:
        return ScanSettings(source=self.source, mode=self.mode, resolution=self.resolution, page_size=self.page_size,
                            duplex=self.duplex, max_pages=max_pages)

    def cleanup(self) -> dict[str, bool]:
        """The clean-up switches, by name, for the pipeline."""
        return {k: bool(getattr(self, k)) for k in CLEANUP_SWITCHES}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, where: str = "") -> ScanProfile:
        """Build and validate a profile; errors name the profile, the field and what is wrong."""
        at = f"{where}: " if where else ""
        if not isinstance(data, dict):
            raise InvalidInput(msg("{w}mỗi cấu hình quét phải là một đối tượng JSON.", "{w}each scan profile must be a JSON object.",
                                   w=at))
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise InvalidInput(msg("{w}trường không biết: {u} (các trường: {k}).", "{w}unknown field(s): {u} (fields: {k}).",
                                   w=at, u=", ".join(unknown), k=", ".join(known)))
        for required in ("id", "name"):
            if required not in data:
                raise InvalidInput(msg("{w}thiếu trường {f}.", "{w}missing field {f}.", w=at, f=required))
        for key, value in data.items():
            expected = known[key].default if key not in ("id", "name") else ""
            if isinstance(expected, bool) and not isinstance(value, bool):
                raise InvalidInput(msg("{w}{f} phải là true hoặc false (nhận được {v!r}).", "{w}{f} must be true or false (got {v!r}).",
                                       w=at, f=key, v=value))
        profile = cls(**data)
        return profile.validated(where)

    def validated(self, where: str = "") -> ScanProfile:
        at = f"{where}: " if where else msg("Cấu hình quét {i}: ", "Scan profile {i}: ", i=self.id)

        def bad(vi: str, en: str, **kw: object) -> InvalidInput:
            return InvalidInput(at + msg(vi, en, **kw))

        if not isinstance(self.id, str) or not _ID.match(self.id):
            raise bad("mã {v!r} không hợp lệ (chữ thường không dấu, số và '-').",
                      "id {v!r} is invalid (lower-case letters, digits and '-').", v=self.id)
        if not isinstance(self.name, str) or not self.name.strip():
            raise bad("tên không được để trống.", "the name must not be empty.")
        if not isinstance(self.name_en, str):
            raise bad("name_en phải là chuỗi.", "name_en must be a string.")
        if self.source not in SOURCES:
            raise bad("nguồn {v!r} không hợp lệ (chọn một trong {k}).", "source {v!r} is invalid (choose one of {k}).",
                      v=self.source, k=", ".join(SOURCES))
        if self.mode not in MODES:
            raise bad("chế độ màu {v!r} không hợp lệ (chọn color, grey hoặc lineart).",
                      "colour mode {v!r} is invalid (choose color, grey or lineart).", v=self.mode)
        if isinstance(self.resolution, bool) or not isinstance(self.resolution, int) \
                or not MIN_RESOLUTION <= self.resolution <= MAX_RESOLUTION:
            raise bad("độ phân giải phải là số nguyên từ {a} đến {b} dpi (nhận được {v!r}).",
                      "resolution must be a whole number from {a} to {b} dpi (got {v!r}).", a=MIN_RESOLUTION,
                      b=MAX_RESOLUTION, v=self.resolution)
        if self.page_size is not None and not isinstance(self.page_size, str):
            raise bad("khổ giấy phải là chuỗi hoặc null.", "page_size must be a string or null.")
        try:
            size = page_size_name(self.page_size)
        except InvalidInput as exc:
            raise InvalidInput(at + exc.message) from None
        if self.duplex and self.source not in ("adf", "auto"):
            raise bad("quét hai mặt chỉ dùng với khay nạp giấy (source = adf).",
                      "duplex works only with the document feeder (source = adf).")
        return replace(self, name=self.name.strip(), name_en=self.name_en.strip(), page_size=size)


DEFAULT_PROFILES: tuple[ScanProfile, ...] = (
    ScanProfile("a4-grey-300-duplex", "A4 xám 300 dpi 2 mặt", "A4 grey 300 dpi duplex", source="adf", duplex=True),
    ScanProfile("a4-grey-300", "A4 xám 300 dpi 1 mặt", "A4 grey 300 dpi single-sided", source="adf"),
    ScanProfile("a4-color-300-flatbed", "A4 màu 300 dpi mặt kính", "A4 colour 300 dpi flatbed", source="flatbed",
                mode="color", remove_blank=False),
    ScanProfile("id-card-color-600", "CCCD/giấy tờ nhỏ màu 600 dpi", "ID card / small document colour 600 dpi",
                source="flatbed", mode="color", resolution=600, page_size="A5", remove_blank=False),
    ScanProfile("camera-a4", "Chụp camera A4", "Camera capture A4", source="camera", mode="color", perspective=True,
                illumination=True, remove_blank=False),
)


def profiles_path(data_dir: Path) -> Path:
    return Path(data_dir) / PROFILES_FILE


class ProfileStore:
    """The profiles of one workstation (``<data dir>/scanning/profiles.json``)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = profiles_path(data_dir)

    def load(self) -> list[ScanProfile]:
        if not self.path.is_file():
            return list(DEFAULT_PROFILES)
        where = str(self.path)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise InvalidInput(msg("{w}: tệp không phải UTF-8.", "{w}: the file is not UTF-8.", w=where)) from None
        except ValueError as exc:
            raise InvalidInput(msg("{w}: JSON hỏng ({e}).", "{w}: damaged JSON ({e}).", w=where, e=exc)) from None
        if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
            raise InvalidInput(msg("{w}: cần một đối tượng có danh sách \"profiles\".", "{w}: expected an object with a \"profiles\" list.",
                                   w=where))
        if data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
            raise InvalidInput(msg("{w}: phiên bản {v} chưa hỗ trợ (cần {n}).", "{w}: version {v} is not supported (expected {n}).",
                                   w=where, v=data.get("version"), n=FORMAT_VERSION))
        profiles = [ScanProfile.from_dict(item, f"{where} #{i + 1}") for i, item in enumerate(data["profiles"])]
        _check_unique(profiles, where)
        return profiles

    def save(self, profiles: list[ScanProfile]) -> Path:
        checked = [p.validated() for p in profiles]
        _check_unique(checked, str(self.path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        body = {"version": FORMAT_VERSION, "profiles": [p.to_dict() for p in checked]}
        tmp.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
        replace_durably(tmp, self.path)  # a crash mid-write leaves the previous file whole
        return self.path

    def get(self, key: str) -> ScanProfile:
        """A profile by id or by its Vietnamese or English name (case-insensitive)."""
        profiles = self.load()
        wanted = key.strip().casefold()
        for p in profiles:
            if wanted in (p.id, p.name.casefold(), (p.name_en or p.name).casefold()):
                return p
        raise NotFound(msg("Không có cấu hình quét {k} (có: {a}).", "No scan profile {k} (available: {a}).", k=key,
                           a=", ".join(p.id for p in profiles)))

    def upsert(self, profile: ScanProfile) -> ScanProfile:
        profile = profile.validated()
        profiles = [p for p in self.load() if p.id != profile.id]
        profiles.append(profile)
        self.save(profiles)
        return profile

    def delete(self, profile_id: str) -> None:
        profiles = self.load()
        kept = [p for p in profiles if p.id != profile_id]
        if len(kept) == len(profiles):
            raise NotFound(msg("Không có cấu hình quét {k}.", "No scan profile {k}.", k=profile_id))
        if not kept:
            raise Conflict(msg("Phải giữ lại ít nhất một cấu hình quét.", "At least one scan profile must remain."))
        self.save(kept)


def _check_unique(profiles: list[ScanProfile], where: str) -> None:
    seen: dict[str, str] = {}
    for p in profiles:
        for key in {p.id, p.name.casefold()}:
            if key in seen:
                raise InvalidInput(msg("{w}: cấu hình quét trùng mã hoặc tên: {k}.", "{w}: duplicate scan profile id or name: {k}.",
                                       w=where, k=key))
            seen[key] = p.id
    if not profiles:
        raise InvalidInput(msg("{w}: danh sách cấu hình quét trống.", "{w}: the list of scan profiles is empty.", w=where))
