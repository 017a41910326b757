"""``motcua ocr IMAGE``: print the recognized Vietnamese text (clean-up on by default)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ocr", help="recognize the text of an image (Vietnamese by default)")
    p.add_argument("image", type=Path)
    p.add_argument("--lang", dest="ocr_lang", default=None,  # scanning.ocr.DEFAULT_LANG (not imported here: it loads OpenCV)
                   help="Tesseract languages (default vie; vie+eng strips marks from some words)")
    p.add_argument("--no-clean", action="store_true", help="skip deskew and denoise")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from scanning.cleanup import clean_page
    from scanning.images import load_pages
    from scanning.ocr import DEFAULT_LANG, ocr_image

    texts = []
    for page in load_pages([args.image]):
        image = page.image if args.no_clean else clean_page(page.image).image
        texts.append(ocr_image(image, args.ocr_lang or DEFAULT_LANG, page.dpi or 300).strip())
    print("\n\f\n".join(texts))
    return 0
