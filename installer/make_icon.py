"""Draw the application icon (PNG sizes for Linux, ICO for Windows) with Pillow at build time.

The icon is generated rather than committed as a binary: a blue rounded square with a white
counter-ticket number, readable from 16 to 256 pixels.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def draw(size: int) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = max(1, size // 16)
    d.rounded_rectangle((pad, pad, size - pad, size - pad), radius=size // 5, fill=(0, 90, 170, 255))
    try:
        font: ImageFont.ImageFont | ImageFont.FreeTypeFont = ImageFont.truetype(FONT, int(size * 0.42))
    except OSError:
        font = ImageFont.load_default()
    d.text((size / 2, size / 2), "1C", fill=(255, 255, 255, 255), font=font, anchor="mm")
    return img


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for size in (48, 128, 256):
        draw(size).save(out / f"motcua-{size}.png")
    draw(256).save(out / "motcua.png")
    draw(256).save(out / "motcua.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    # NSIS needs an uncompressed-BMP-based ICO of the classic sizes for the installer itself
    draw(48).save(out / "installer.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
