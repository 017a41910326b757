"""Fonts with every Vietnamese glyph, for PDFs made by reportlab (receipts, tickets, reports).

The rules for digitized copies ask for Times New Roman or a metric-compatible font;
Liberation Serif is that on Linux, Times New Roman itself on Windows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from desktop.kernel.errors import MotcuaError
from desktop.kernel.i18n import msg

#: the bundle ships Liberation Serif (installer/build.sh); a source checkout has no such folder
BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "fonts"

SERIF = {
    "regular": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
                str(BUNDLED / "LiberationSerif-Regular.ttf"),
                "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "C:/Windows/Fonts/times.ttf"),
    "bold": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
             "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
             str(BUNDLED / "LiberationSerif-Bold.ttf"),
             "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", "C:/Windows/Fonts/timesbd.ttf"),
    "italic": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
               "/usr/share/fonts/truetype/liberation/LiberationSerif-Italic.ttf",
               str(BUNDLED / "LiberationSerif-Italic.ttf"),
               "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf", "C:/Windows/Fonts/timesi.ttf"),
}


def find_font(style: str = "regular") -> Path:
    for candidate in SERIF[style]:
        if Path(candidate).exists():
            return Path(candidate)
    raise MotcuaError(msg("Không tìm thấy phông chữ tiếng Việt (Times New Roman/Liberation Serif).",
                          "No Vietnamese-capable font found (Times New Roman/Liberation Serif)."),
                      hint=msg("Cài gói fonts-liberation2.", "Install the fonts-liberation2 package."))


@cache
def register_reportlab_fonts() -> tuple[str, str, str]:
    """Register the serif family with reportlab once; returns (regular, bold, italic) names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = ("MotcuaSerif", "MotcuaSerif-Bold", "MotcuaSerif-Italic")
    for name, style in zip(names, ("regular", "bold", "italic"), strict=True):
        pdfmetrics.registerFont(TTFont(name, str(find_font(style))))
    pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[1])
    return names
