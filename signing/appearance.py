"""Signature appearance profiles (copy, seal, personal) and their pyHanko stamp styles.

The profiles are data (``resources/signing/profiles.json``, overridable by a copy in
``<data dir>/signing/profiles.json``) because the rules on what a digitized copy, an
electronic result or an official's signature must show change by decree. The stamp
text uses a Times-compatible font with Vietnamese glyphs (:mod:`signing.fonts`); the
signing time is written by us in Vietnam time with its offset, since pyHanko's own
timestamp would be in the machine's zone.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import current_language, msg
from desktop.kernel.timeutil import iso_vn, to_vn

RESOURCE_DIR = Path(__file__).resolve().parent.parent / "resources" / "signing"
PROFILES_FILE = RESOURCE_DIR / "profiles.json"
MM = 72 / 25.4
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    signer: str  # "organization" or "person"
    page: int  # 1-based; -1 the last page
    corner: str
    width_mm: float
    height_mm: float
    margin_mm: float
    font_size: float
    color: tuple[float, float, float]
    lines: tuple[str, ...]
    copy_form: str = ""
    image: Path | None = None
    image_mm: float = 0.0


@dataclass(frozen=True)
class StampValues:
    organization: str = ""
    signer: str = ""
    position: str = ""
    copy_form: str = ""
    time: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _color(text: str) -> tuple[float, float, float]:
    t = text.lstrip("#")
    if len(t) != 6:
        raise ValueError(text)
    return (int(t[0:2], 16) / 255, int(t[2:4], 16) / 255, int(t[4:6], 16) / 255)


def profiles_path(data_dir: Path | None = None) -> Path:
    if data_dir is not None and (Path(data_dir) / "signing" / "profiles.json").is_file():
        return Path(data_dir) / "signing" / "profiles.json"
    return PROFILES_FILE


def load_profiles(data_dir: Path | None = None, path: Path | None = None) -> dict[str, Profile]:
    """Read and check the profiles; a mistake in the file is named, not crashed on."""
    path = path or profiles_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["profiles"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(msg("Không đọc được tệp kiểu chữ ký {p}: {e}", "Cannot read the signature profiles {p}: {e}",
                               p=path, e=exc)) from exc
    out: dict[str, Profile] = {}
    for name, spec in raw.items():
        try:
            label = spec.get("label", name)
            if isinstance(label, dict):
                label = label.get(current_language()) or label.get("vi") or name
            corner = spec.get("corner", "top-right")
            if corner not in CORNERS:
                raise ValueError(f"corner {corner!r}")
            image = spec.get("image")
            image_path = None
            if image:
                image_path = Path(image) if Path(image).is_absolute() else path.parent / image
                if not image_path.is_file() and path.parent != RESOURCE_DIR:
                    image_path = RESOURCE_DIR / image  # a data-dir profile may name a shipped image
            out[name] = Profile(name, str(label), spec.get("signer", "organization"), int(spec.get("page", 1)), corner,
                                float(spec["width_mm"]), float(spec["height_mm"]), float(spec.get("margin_mm", 8)),
                                float(spec.get("font_size", 10)), _color(spec.get("color", "#000000")),
                                tuple(spec["lines"]), spec.get("copy_form", ""), image_path,
                                float(spec.get("image_mm", 0)))
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput(msg("Kiểu chữ ký “{n}” trong {p} sai: {e}", "Signature profile “{n}” in {p} is wrong: {e}",
                                   n=name, p=path, e=exc)) from exc
    return out


def get_profile(name: str, data_dir: Path | None = None) -> Profile:
    profiles = load_profiles(data_dir)
    if name not in profiles:
        raise InvalidInput(msg("Không có kiểu chữ ký “{p}” (có: {all}).", "No signature profile “{p}” (known: {all}).",
                               p=name, all=", ".join(profiles)))
    return profiles[name]


def stamp_text(profile: Profile, values: StampValues) -> str:
    """The stamp's lines with the values filled in; empty lines are left out."""
    when = to_vn(values.time) if values.time else None
    params = {"copy_form": values.copy_form or profile.copy_form, "organization": values.organization,
              "signer": values.signer, "position": values.position,
              "time": iso_vn(when) if when else "", "date": when.strftime("%d/%m/%Y") if when else "",
              **values.extra}
    lines = []
    for line in profile.lines:
        try:
            text = line.format(**params)
        except (KeyError, IndexError, ValueError) as exc:
            raise InvalidInput(msg("Dòng “{l}” của kiểu chữ ký {p} dùng tên không có: {e}",
                                   "Line “{l}” of profile {p} uses an unknown name: {e}", l=line, p=profile.name,
                                   e=exc)) from exc
        if text.strip():
            lines.append(text)
    return "\n".join(lines)


def stamp_box(profile: Profile, page_box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The stamp rectangle (PDF points) in the profile's corner of a page box."""
    x0, y0, x1, y1 = page_box
    w, h, m = profile.width_mm * MM, profile.height_mm * MM, profile.margin_mm * MM
    w, h = min(w, x1 - x0 - 2 * m), min(h, y1 - y0 - 2 * m)  # a small page still gets a box inside it
    x = x1 - w - m if profile.corner.endswith("right") else x0 + m
    y = y1 - h - m if profile.corner.startswith("top") else y0 + m
    return (x, y, x + w, y + h)


PAD = 3.0  # points between the stamp's edge and its text
TEXT_MARGIN = 1  # pyHanko's own text box margin (its default of 10 pt wastes a narrow box)


@cache
def _metrics() -> tuple[dict[int, str], dict[str, int], int]:
    from fontTools.ttLib import TTFont

    from signing.fonts import stamp_font

    font = TTFont(str(stamp_font()), lazy=True)
    return dict(font.getBestCmap()), {g: adv for g, (adv, _) in font["hmtx"].metrics.items()}, \
        int(font["head"].unitsPerEm)


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in points in the stamp font (missing glyphs count as an em)."""
    cmap, advances, upem = _metrics()
    return sum(advances.get(cmap.get(ord(ch), ""), upem) for ch in text) * size / upem


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break each line at spaces so it fits ``width`` at ``size`` (a long word stays whole)."""
    out: list[str] = []
    for line in text.split("\n"):
        words, cur = line.split(" "), ""
        for w in words:
            trial = f"{cur} {w}" if cur else w
            if cur and text_width(trial, size) > width:
                out.append(cur)
                cur = w
            else:
                cur = trial
        out.append(cur)
    return out


def layout_stamp(profile: Profile, values: StampValues, page_box: tuple[float, float, float, float], *,
                 image: Path | None = None, image_mm: float | None = None
                 ) -> tuple[Any, tuple[float, float, float, float]]:
    """The pyHanko ``TextStampStyle`` and the box (points) for a profile on one page.

    Text keeps its size (the rules say 10 pt): long lines are wrapped to the box width,
    and the box grows away from its corner when the lines need more height.
    """
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    from signing.fonts import stamp_font

    size = profile.font_size
    leading = round(size * 1.2)  # pyHanko wants an integer leading
    img_path = image or profile.image
    side = (image_mm or profile.image_mm or 36) * MM if img_path else 0.0  # the seal's real width
    gap = 3 * MM if img_path else 0.0
    x0, y0, x1, y1 = stamp_box(profile, page_box)
    text_w = (x1 - x0) - side - gap - 2 * PAD - 2 * TEXT_MARGIN
    lines = wrap(stamp_text(profile, values), max(text_w, size * 4), size)
    need_h = len(lines) * leading + 2 * PAD + 2 * TEXT_MARGIN + size * 0.3
    pil = None
    if img_path:
        from PIL import Image

        if not Path(img_path).is_file():
            raise InvalidInput(msg("Không tìm thấy ảnh con dấu {p}.", "Seal image {p} not found.", p=img_path))
        with Image.open(img_path) as im:
            im.load()
            pil = im.convert("RGBA") if im.mode not in ("RGBA", "LA") else im.copy()
        need_h = max(need_h, side * pil.height / pil.width + 2 * PAD)
    extra = max(0.0, need_h - (y1 - y0))
    if profile.corner.startswith("top"):
        y0 = max(page_box[1], y0 - extra)
    else:
        y1 = min(page_box[3], y1 + extra)
    text = "\n".join(lines).replace("%", "%%")  # pyHanko interpolates %(...)s
    text_box = TextBoxStyle(font=GlyphAccumulatorFactory(str(stamp_font()), font_size=size),  # type: ignore[arg-type]
                            font_size=size, leading=leading, text_color=profile.color,  # type: ignore[arg-type]
                            box_layout_rule=layout.SimpleBoxLayoutRule(
                                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MAX,
                                margins=layout.Margins.uniform(TEXT_MARGIN)))
    inner = layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MIN,
        y_align=layout.AxisAlignment.ALIGN_MID if pil is not None else layout.AxisAlignment.ALIGN_MAX,
        margins=layout.Margins(left=int(PAD + side + gap), right=int(PAD), top=int(PAD), bottom=int(PAD)),
        inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT)
    if pil is None:
        return TextStampStyle(stamp_text=text, border_width=0, text_box_style=text_box,
                              inner_content_layout=inner), (x0, y0, x1, y1)
    from pyhanko.pdf_utils.images import PdfImage

    seal = PdfImage(pil, box=layout.BoxConstraints(width=side, height=side * pil.height / pil.width))
    style = TextStampStyle(
        stamp_text=text, border_width=0, text_box_style=text_box, inner_content_layout=inner,
        background=seal, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=int(PAD)), inner_content_scaling=layout.InnerScaling.NO_SCALING))
    return style, (x0, y0, x1, y1)


def make_sample_seal(path: Path, *, ring_text: str = "ỦY BAN NHÂN DÂN PHƯỜNG QUY NHƠN * THỬ NGHIỆM *",
                     centre_text: str = "MẪU", size_px: int = 600) -> Path:
    """Draw a sample red round seal (transparent PNG) for tests and the demo.

    A real organization scans its own seal; this one says "MẪU" (sample) in the middle.
    """
    from PIL import Image, ImageDraw, ImageFont

    red = (204, 0, 0, 255)
    img = Image.new("RGBA", (size_px, size_px), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = size_px / 2
    for r, w in ((c - 4, size_px // 60), (c - size_px * 0.16, size_px // 120), (c - size_px * 0.2, size_px // 120)):
        d.ellipse((c - r, c - r, c + r, c + r), outline=red, width=w)
    font_path = Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf")
    if not font_path.exists():
        from desktop.kernel.fonts import find_font

        font_path = find_font("bold")
    ring_font = ImageFont.truetype(str(font_path), int(size_px * 0.075))
    radius = c - size_px * 0.1
    step = 360 / len(ring_text)
    for i, ch in enumerate(ring_text):
        angle = -90 + i * step  # clockwise from the top
        glyph = Image.new("RGBA", (int(size_px * 0.12), int(size_px * 0.12)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=ring_font, fill=red, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        x = c + radius * math.cos(math.radians(angle)) - glyph.width / 2
        y = c + radius * math.sin(math.radians(angle)) - glyph.height / 2
        img.alpha_composite(glyph, (int(x), int(y)))
    star_r = size_px * 0.09
    pts = [(c + (star_r if k % 2 == 0 else star_r * 0.4) * math.cos(math.radians(-90 + k * 36)),
            c - size_px * 0.07 + (star_r if k % 2 == 0 else star_r * 0.4) * math.sin(math.radians(-90 + k * 36)))
           for k in range(10)]
    d.polygon(pts, fill=red)
    d.text((c, c + size_px * 0.1), centre_text, font=ImageFont.truetype(str(font_path), int(size_px * 0.1)),
           fill=red, anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, optimize=True)
    return path
