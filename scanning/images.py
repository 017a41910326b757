"""Loading pages from image files, multi-page TIFFs and PDFs, with clear errors for bad input.

Every page comes back as a numpy array (grey or BGR, as OpenCV uses) with its resolution.
A truncated JPEG, an empty file, a decompression bomb or a password-protected PDF is
refused with a message the officer can act on; nothing is half-read silently.

One pixel limit (:data:`MAX_PIXELS`) guards every decode, checked from the header before
any pixel is read (:func:`check_pixels`, :func:`open_guarded`, also used by the CCCD
reader). A PDF page is rendered at a resolution computed from its page box so that it
fits the limit (300 dpi, less for a large sheet, never below :data:`MIN_PDF_DPI`); a page
that would still not fit is refused before any work starts, and a page poppler renders
at the wrong size is an error, never a "blank" page.
"""

from __future__ import annotations

import math
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError

from desktop.kernel.errors import InvalidInput, require_readable_file
from desktop.kernel.i18n import msg
from scanning.leftovers import temp_prefix

MAX_PIXELS = 120_000_000  # an A0 page at 300 dpi is ~140 MP (rendered at 277 dpi); 20000² (400 MP) is refused
PDF_DPI = 300
MIN_PDF_DPI = 100  # below this body text is no longer readable: a sheet that needs less is refused
ImageFile.LOAD_TRUNCATED_IMAGES = False
# PIL only warns between 1× and 2× its limit; check_pixels refuses at 1×, this is the backstop
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass
class Page:
    image: np.ndarray
    dpi: float
    source: str


def _bad(path: Path, vi: str, en: str) -> InvalidInput:
    return InvalidInput(msg("Tệp {p}: " + vi, "File {p}: " + en, p=path.name))


def _too_large(name: str, width: int, height: int) -> InvalidInput:
    return InvalidInput(msg("Tệp {p}: ảnh quá lớn ({w}×{h} điểm ảnh, tối đa {m} triệu).",
                            "File {p}: image too large ({w}×{h} pixels, at most {m} million).",
                            p=name, w=width, h=height, m=MAX_PIXELS // 1_000_000))


def check_pixels(width: int, height: int, name: str) -> None:
    """Refuse an image of more than :data:`MAX_PIXELS` (or with no pixels) before decoding it."""
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise _too_large(name, width, height)


@contextmanager
def _explained(path: Path) -> Iterator[None]:
    """PIL's errors while opening or decoding ``path`` as the officer's messages."""
    try:
        yield
    except Image.DecompressionBombError:
        raise _bad(path, "ảnh quá lớn, có thể là tệp độc hại.", "image too large, possibly malicious.") from None
    except UnidentifiedImageError:
        raise _bad(path, "không phải ảnh hoặc PDF đọc được.", "not a readable image or PDF.") from None
    except (OSError, SyntaxError) as exc:
        raise _damaged(path, exc) from exc


def open_guarded(path: str | PathLike[str]) -> Image.Image:
    """``Image.open`` (header only) that refuses an oversized or unreadable image; the caller
    decodes (``load()``) and closes it."""
    p = Path(path)
    with _explained(p):
        img = Image.open(p)
    try:
        check_pixels(img.width, img.height, p.name)
    except InvalidInput:
        img.close()
        raise
    return img


def _from_pil(img: Image.Image) -> np.ndarray:
    if img.mode in ("1", "L", "I;16", "I"):
        return np.asarray(img.convert("L"))
    rgb = np.asarray(img.convert("RGB"))
    return np.ascontiguousarray(rgb[..., ::-1])  # RGB → BGR


def page_from_pil(img: Image.Image, dpi: float, source: str) -> Page:
    """A page from an image a scanner or camera driver handed over (PIL ``L``/``RGB``/...)."""
    return Page(_from_pil(img), float(dpi), source)


@dataclass(frozen=True)
class PageRef:
    """One page of an input file, found without decoding it (decoding happens in a worker)."""

    path: Path
    frame: int  # 0-based frame of a TIFF or page of a PDF
    is_pdf: bool
    pdf_dpi: float = PDF_DPI  # a PDF page's render resolution, fitted to the pixel limit
    pdf_size_pt: tuple[float, float] = (0.0, 0.0)  # its box as poppler renders it (after /Rotate)

    @property
    def source(self) -> str:
        return f"{self.path.name}#{self.frame + 1}"


def _image_refs(path: Path) -> list[PageRef]:
    with _explained(path), Image.open(path) as img:
        n = getattr(img, "n_frames", 1)
        for i in range(n):
            img.seek(i)
            check_pixels(img.width, img.height, path.name)
    return [PageRef(path, i, False) for i in range(n)]


def _damaged(path: Path, exc: BaseException) -> InvalidInput:
    return InvalidInput(msg("Tệp {p}: ảnh bị hỏng hoặc bị cắt cụt ({e}).", "File {p}: damaged or truncated image ({e}).",
                            p=path.name, e=exc))


def pdf_render_dpi(width_pt: float, height_pt: float) -> float:
    """The resolution to render a ``width_pt``×``height_pt`` page at: 300 dpi, or as much as
    fits :data:`MAX_PIXELS`; 0 when even :data:`MIN_PDF_DPI` would not fit."""
    if width_pt <= 0 or height_pt <= 0:
        return 0.0
    fit = math.sqrt(MAX_PIXELS / (width_pt / 72 * height_pt / 72)) * 0.995  # rounding of the pixel sizes
    dpi = min(float(PDF_DPI), math.floor(fit))
    return dpi if dpi >= MIN_PDF_DPI else 0.0


def _page_box(page: object) -> tuple[float, float]:
    """Width and height in points of a page's MediaBox as poppler renders it (turned by /Rotate)."""
    import pikepdf

    assert isinstance(page, pikepdf.Page)
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    w, h = abs(x1 - x0), abs(y1 - y0)
    rotate = int(page.obj.get("/Rotate", 0)) % 180
    return (h, w) if rotate else (w, h)


def _pdf_refs(path: Path) -> list[PageRef]:
    import pikepdf

    refs: list[PageRef] = []
    try:
        with pikepdf.open(path) as pdf:
            for i, page in enumerate(pdf.pages):
                w, h = _page_box(page)
                dpi = pdf_render_dpi(w, h)
                if not dpi:
                    raise InvalidInput(msg(
                        "Tệp {p}, trang {n}: trang PDF quá lớn ({w:.0f}×{h:.0f} mm); ở {d} dpi đã vượt giới hạn "
                        "{m} triệu điểm ảnh. Hãy in/xuất lại trang ở khổ nhỏ hơn.",
                        "File {p}, page {n}: PDF page too large ({w:.0f}×{h:.0f} mm); even at {d} dpi it exceeds "
                        "the limit of {m} million pixels. Export the page at a smaller size.",
                        p=path.name, n=i + 1, w=w / 72 * 25.4, h=h / 72 * 25.4, d=MIN_PDF_DPI,
                        m=MAX_PIXELS // 1_000_000))
                refs.append(PageRef(path, i, True, dpi, (w, h)))
    except pikepdf.PasswordError:
        raise _bad(path, "PDF có mật khẩu; hãy xin bản không khóa.", "password-protected PDF; ask for an unlocked copy.") \
            from None
    except pikepdf.PdfError as exc:
        raise InvalidInput(msg("Tệp {p}: PDF bị hỏng ({e}).", "File {p}: damaged PDF ({e}).", p=path.name,
                               e=exc)) from exc
    return refs


def list_pages(inputs: list[Path]) -> list[PageRef]:
    """Every page of the inputs, in order; refuses missing, empty, oversized, locked files."""
    refs: list[PageRef] = []
    for path in inputs:
        path = Path(path)
        require_readable_file(path)
        if path.stat().st_size == 0:
            raise _bad(path, "tệp rỗng (0 byte).", "empty file (0 bytes).")
        with open(path, "rb") as f:
            head = f.read(5)
        refs.extend(_pdf_refs(path) if head == b"%PDF-" else _image_refs(path))
    return refs


def _not_rendered(ref: PageRef, why: object) -> InvalidInput:
    return InvalidInput(msg("Tệp {p}, trang {n}: không dựng được trang PDF ({e}).",
                            "File {p}, page {n}: cannot render the PDF page ({e}).", p=ref.path.name,
                            n=ref.frame + 1, e=why))


def _render_pdf_page(ref: PageRef) -> Page:
    dpi = ref.pdf_dpi or PDF_DPI
    w_pt, h_pt = ref.pdf_size_pt
    with tempfile.TemporaryDirectory(prefix=temp_prefix("pdf")) as tmp:
        n = str(ref.frame + 1)
        r = subprocess.run(["pdftoppm", "-r", f"{dpi:g}", "-f", n, "-l", n, "-singlefile", "-png", str(ref.path),
                            f"{tmp}/p"], capture_output=True, text=True, timeout=120)
        out = Path(tmp) / "p.png"
        if r.returncode != 0 or not out.is_file():
            raise _not_rendered(ref, r.stderr.strip()[:200] or r.returncode)
        with open_guarded(out) as img:
            if w_pt and h_pt:
                # poppler answers an allocation it cannot make with a 1×1 image and exit 0:
                # a page of the wrong size is a failure, not a blank page
                want = (w_pt / 72 * dpi, h_pt / 72 * dpi)
                if abs(img.width - want[0]) > 2 + 0.01 * want[0] or abs(img.height - want[1]) > 2 + 0.01 * want[1]:
                    raise _not_rendered(ref, f"{img.width}×{img.height} px, expected {want[0]:.0f}×{want[1]:.0f}")
            img.load()
            return Page(_from_pil(img), float(dpi), ref.source)


def load_page(ref: PageRef) -> Page:
    """Decode one page (a PDF page is rendered with poppler at ``ref.pdf_dpi``, 300 dpi for
    ordinary paper sizes)."""
    if ref.is_pdf:
        return _render_pdf_page(ref)
    with _explained(ref.path), Image.open(ref.path) as img:
        img.seek(ref.frame)
        check_pixels(img.width, img.height, ref.path.name)
        img.load()
        dpi = img.info.get("dpi", (0, 0))[0] or 0
        return Page(_from_pil(img), float(round(dpi)), ref.source)  # PIL gives 299.9994


def load_pages(inputs: list[Path]) -> list[Page]:
    return [load_page(ref) for ref in list_pages(inputs)]
