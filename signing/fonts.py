"""A Times-compatible font with Vietnamese glyphs, prepared for pyHanko stamps.

pyHanko writes glyph widths as they are in the font; a 2048-units-per-em font comes out
letter-spaced, so the font is rescaled to 1000 units per em. It is also cut down to
Latin + Vietnamese (about 400 glyphs of 2,600): pyHanko parses the whole font for every
signature, and the smaller file halves the time of a visible stamp. The result is
cached per source font and rebuilt when the source changes.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

import platformdirs

from desktop.kernel.files import replace_durably
from desktop.kernel.fonts import find_font

#: Basic Latin, Latin-1, Latin Extended-A/B (Đ đ Ơ ơ Ư ư Ĩ ĩ Ũ ũ), combining tones,
#: Latin Extended Additional (ạ ả ấ ... ỹ), general punctuation, ₫ and №
VIETNAMESE_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x17F), (0x1A0, 0x1B0), (0x300, 0x323), (0x1EA0, 0x1EF9),
    (0x2010, 0x2044), (0x20AB, 0x20AB), (0x20AC, 0x20AC), (0x2116, 0x2116),
)
_LOCK = threading.Lock()


def _cache_dir() -> Path:
    return Path(os.environ.get("MOTCUA_FONT_CACHE") or platformdirs.user_cache_dir("motcua", appauthor=False)) / "fonts"


@cache
def stamp_font(style: str = "regular") -> Path:
    """The stamp font file (rescaled to 1000 upem and subset), built once and cached."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = find_font(style)
    target = _cache_dir() / f"{source.stem}-vi-1000upem.ttf"
    with _LOCK:
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(source))
        options = subset.Options()
        options.layout_features = ["*"]  # keep mark positioning for stacked Vietnamese tones
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.drop_tables += ["FFTM"]  # FontForge timestamps: not needed, and fontTools warns about them
        sub = subset.Subsetter(options)
        sub.populate(unicodes=[u for lo, hi in VIETNAMESE_RANGES for u in range(lo, hi + 1)])
        sub.subset(font)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
        font.save(str(tmp))
        replace_durably(tmp, target)  # atomic: a parallel process sees the old or the new file, never half
    return target
