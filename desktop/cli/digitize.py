"""``motcua digitize IN... -o OUT.pdf [--json]``: one searchable PDF from images and PDFs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("digitize", help="make one searchable PDF (page images + OCR text) from images/PDFs")
    p.add_argument("inputs", nargs="+", type=Path)
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("--lang", dest="ocr_lang", default=None,  # scanning.ocr.DEFAULT_LANG (not imported here: it loads OpenCV)
                   help="Tesseract languages (default vie; vie+eng strips marks from some words)")
    p.add_argument("--no-clean", action="store_true")
    p.add_argument("--keep-blank", action="store_true", help="keep blank pages")
    p.add_argument("--profile", help="scanner profile whose clean-up switches to use (see motcua scan --profiles)")
    p.add_argument("--colour", action="store_true", help="keep colour pages in colour (default: grey)")
    p.add_argument("--workers", type=int, help="parallel OCR processes (default: one per core)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from scanning.cleanup import CleanOptions
    from scanning.ocr import DEFAULT_LANG
    from scanning.pipeline import digitize

    def progress(done: int, total: int, message: str = "") -> None:
        if not args.json:
            print(msg("  trang {d}/{t} {m}", "  page {d}/{t} {m}", d=done, t=total, m=message), file=sys.stderr)

    switches: dict[str, bool] = {}
    paper = "A4"
    if args.profile:
        from scanning.profiles import ProfileStore

        prof = ProfileStore(ctx.settings.data_dir).get(args.profile)
        switches, paper = prof.cleanup(), prof.page_size or "A4"
    if args.keep_blank:
        switches["remove_blank"] = False
    options = CleanOptions(**switches, keep_colour=args.colour, paper=paper)
    from pathlib import Path

    from scanning.leftovers import sweep_parts

    sweep_parts([Path(args.output).parent])  # a .part a killed run left beside the output
    report = digitize(args.inputs, args.output, clean=not args.no_clean, lang=args.ocr_lang or DEFAULT_LANG, options=options,
                      progress=progress, workers=args.workers)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(msg("{o}: {p} trang, {c} ký tự, {b} KB/trang, {s:.1f} giây", "{o}: {p} page(s), {c} characters, {b} KB/page, {s:.1f} s",
              o=report.output, p=report.pages, c=report.characters, b=report.bytes_per_page // 1024,
              s=report.timings["total_s"]))
    for r in report.page_reports:
        for w in r.warnings:
            print(f"  {r.source}: {w['message']}")
        if r.dropped_blank:
            print(msg("  {s}: trang trắng, đã bỏ", "  {s}: blank page, dropped", s=r.source))
    return 0
