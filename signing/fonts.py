"""A Times-compatible font with Vietnamese glyphs, prepared for pyHanko stamps.

pyHanko writes glyph widths as they are in the font; a 2048-units-per-em font comes out
letter-spaced, so the font is rescaled to 1000 units per em once and cached.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import platformdirs

from desktop.fonts import find_font


@cache
def stamp_font(style: str = "regular") -> Path:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = find_font(style)
    cache_dir = Path(platformdirs.user_cache_dir("motcua", appauthor=False)) / "fonts"
    target = cache_dir / f"{source.stem}-1000upem.ttf"
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        cache_dir.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(source))
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        tmp = target.with_suffix(".part")
        font.save(str(tmp))
        tmp.replace(target)
    return target
