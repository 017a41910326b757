"""Loading pages from image files, multi-page TIFFs and PDFs, with clear errors for bad input.

Every page comes back as a numpy array (grey or BGR, as OpenCV uses) with its resolution.
A truncated JPEG, an empty file, a decompression bomb or a password-protected PDF is
refused with a message the officer can act on; nothing is half-read silently.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError

from desktop.kernel.errors import InvalidInput, require_readable_file
from desktop.kernel.i18n import msg
from scanning.leftovers import temp_prefix

MAX_PIXELS = 120_000_000  # an A0 page at 300 dpi is ~140 MP in colour; 20000² (400 MP) is refused
PDF_DPI = 300
ImageFile.LOAD_TRUNCATED_IMAGES = False
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass
class Page:
    image: np.ndarray
    dpi: float
    source: str


def _bad(path: Path, vi: str, en: str) -> InvalidInput:
    return InvalidInput(msg("Tệp {p}: " + vi, "File {p}: " + en, p=path.name))


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

    @property
    def source(self) -> str:
        return f"{self.path.name}#{self.frame + 1}"


def _image_refs(path: Path) -> list[PageRef]:
    try:
        with Image.open(path) as img:
            n = getattr(img, "n_frames", 1)
            for i in range(n):
                img.seek(i)
                if img.width * img.height > MAX_PIXELS:
                    raise _bad(path, f"ảnh quá lớn ({img.width}×{img.height} điểm ảnh).",
                               f"image too large ({img.width}×{img.height} pixels).")
    except Image.DecompressionBombError:
        raise _bad(path, "ảnh quá lớn, có thể là tệp độc hại.", "image too large, possibly malicious.") from None
    except UnidentifiedImageError:
        raise _bad(path, "không phải ảnh hoặc PDF đọc được.", "not a readable image or PDF.") from None
    except (OSError, SyntaxError) as exc:
        raise _damaged(path, exc) from exc
    return [PageRef(path, i, False) for i in range(n)]


def _damaged(path: Path, exc: BaseException) -> InvalidInput:
    return InvalidInput(msg("Tệp {p}: ảnh bị hỏng hoặc bị cắt cụt ({e}).", "File {p}: damaged or truncated image ({e}).",
                            p=path.name, e=exc))


def _pdf_refs(path: Path) -> list[PageRef]:
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
    except pikepdf.PasswordError:
        raise _bad(path, "PDF có mật khẩu; hãy xin bản không khóa.", "password-protected PDF; ask for an unlocked copy.") \
            from None
    except pikepdf.PdfError as exc:
        raise InvalidInput(msg("Tệp {p}: PDF bị hỏng ({e}).", "File {p}: damaged PDF ({e}).", p=path.name,
                               e=exc)) from exc
    return [PageRef(path, i, True) for i in range(count)]


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


def load_page(ref: PageRef) -> Page:
    """Decode one page (a PDF page is rendered at 300 dpi with poppler)."""
    if ref.is_pdf:
        with tempfile.TemporaryDirectory(prefix=temp_prefix("pdf")) as tmp:
            n = str(ref.frame + 1)
            r = subprocess.run(["pdftoppm", "-r", str(PDF_DPI), "-f", n, "-l", n, "-singlefile", "-png", str(ref.path),
                                f"{tmp}/p"], capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise InvalidInput(msg("Tệp {p}: không dựng được trang PDF ({e}).",
                                       "File {p}: cannot render PDF pages ({e}).", p=ref.path.name,
                                       e=r.stderr.strip()[:200]))
            with Image.open(f"{tmp}/p.png") as img:
                return Page(_from_pil(img), float(PDF_DPI), ref.source)
    try:
        with Image.open(ref.path) as img:
            img.seek(ref.frame)
            img.load()
            dpi = img.info.get("dpi", (0, 0))[0] or 0
            return Page(_from_pil(img), float(round(dpi)), ref.source)  # PIL gives 299.9994
    except Image.DecompressionBombError:
        raise _bad(ref.path, "ảnh quá lớn, có thể là tệp độc hại.", "image too large, possibly malicious.") from None
    except (OSError, SyntaxError) as exc:
        raise _damaged(ref.path, exc) from exc


def load_pages(inputs: list[Path]) -> list[Page]:
    return [load_page(ref) for ref in list_pages(inputs)]
