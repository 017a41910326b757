"""Digitize: pages in, one searchable PDF out, with a report of quality and timings.

Order of work: load → per page, in parallel (one worker and one Tesseract process per
core): check quality, clean, OCR + PDF page → assemble in page order → write atomically. The kept page image is the cleaned
grey/colour image at its scan resolution and 100 % scale, JPEG-compressed.
"""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop.errors import MotcuaError
from desktop.i18n import msg
from desktop.tasks import CancelToken, ProgressFn, no_progress
from scanning.cleanup import CleanOptions, clean_page
from scanning.images import load_pages
from scanning.ocr import DEFAULT_LANG, nfc, run_tesseract, write_jpeg
from scanning.quality import check_quality


@dataclass
class PageReport:
    source: str
    dpi: float
    warnings: list[dict[str, str]]
    characters: int
    steps: list[str]
    dropped_blank: bool = False


@dataclass
class DigitizeReport:
    output: str
    pages: int
    characters: int
    bytes: int
    timings: dict[str, float]
    page_reports: list[PageReport] = field(default_factory=list)
    text: str = ""

    @property
    def bytes_per_page(self) -> int:
        return self.bytes // self.pages if self.pages else 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("text")
        d["bytes_per_page"] = self.bytes_per_page
        return d


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def digitize(inputs: list[Path], output: Path, *, clean: bool = True, lang: str = DEFAULT_LANG,
             options: CleanOptions | None = None, cancel: CancelToken | None = None,
             progress: ProgressFn = no_progress, workers: int | None = None) -> DigitizeReport:
    import pikepdf

    cancel = cancel or CancelToken()
    t0 = time.perf_counter()
    pages = load_pages([Path(p) for p in inputs])
    t_load = time.perf_counter() - t0
    if not pages:
        raise MotcuaError(msg("Không có trang nào để số hóa.", "There are no pages to digitize."))
    opts = options or CleanOptions()
    reports: list[PageReport | None] = [None] * len(pages)
    texts: dict[int, str] = {}
    clean_time = [0.0]
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="motcua-digitize-") as tmp:
        tmpdir = Path(tmp)

        def one(idx: int) -> int:
            # clean, check and OCR one page in the same worker, so clean-up overlaps OCR
            p = pages[idx]
            cancel.raise_if_cancelled()
            c0 = time.perf_counter()
            dpi = p.dpi or 300.0
            warnings = [q.to_dict() for q in check_quality(p.image, p.dpi)]
            result = clean_page(p.image, opts) if clean else None
            clean_time[0] += time.perf_counter() - c0
            blank = bool(result and result.is_blank and opts.remove_blank)
            reports[idx] = PageReport(p.source, dpi, warnings, 0, result.steps if result else [], blank)
            if blank:
                return idx
            src = tmpdir / f"p{idx:04d}.jpg"
            write_jpeg(result.image if result is not None else p.image, src, dpi)
            run_tesseract(src, tmpdir / f"p{idx:04d}", lang=lang, dpi=dpi, cancel=cancel)
            texts[idx] = nfc((tmpdir / f"p{idx:04d}.txt").read_text(encoding="utf-8"))
            return idx

        done = 0
        with ThreadPoolExecutor(max_workers=workers or default_workers(), thread_name_prefix="ocr") as pool:
            futures: set[Future[int]] = {pool.submit(one, i) for i in range(len(pages))}
            try:
                while futures:
                    finished, futures = wait(futures, timeout=0.5, return_when=FIRST_COMPLETED)
                    for f in finished:
                        idx = f.result()
                        done += 1
                        progress(done, len(pages), pages[idx].source)
            except BaseException:
                cancel.cancel()  # stop the other pages' Tesseract processes too
                for f in futures:
                    f.cancel()
                raise
        t_ocr = time.perf_counter() - t2
        kept = sorted(texts)
        if not kept:
            raise MotcuaError(msg("Mọi trang đều trắng; không tạo PDF.", "Every page is blank; no PDF was made."))
        t3 = time.perf_counter()
        pdf = pikepdf.new()
        for idx in kept:
            with pikepdf.open(tmpdir / f"p{idx:04d}.pdf") as part:
                pdf.pages.extend(part.pages)
            reports[idx].characters = len("".join(texts[idx].split()))  # type: ignore[union-attr]
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = output.stem
            meta["xmp:CreatorTool"] = "motcua"
        output.parent.mkdir(parents=True, exist_ok=True)
        part_path = output.with_name(f".{output.name}.part")
        try:
            pdf.save(part_path)
            os.replace(part_path, output)
        finally:
            part_path.unlink(missing_ok=True)
        t_pdf = time.perf_counter() - t3
    page_reports = [r for r in reports if r is not None]
    text = "\n\f".join(texts[i] for i in kept)
    # clean_s is time spent cleaning inside the OCR workers (it overlaps ocr_s)
    return DigitizeReport(str(output), len(kept), sum(r.characters for r in page_reports), output.stat().st_size,
                          {"load_s": round(t_load, 3), "clean_s": round(clean_time[0], 3), "ocr_s": round(t_ocr, 3),
                           "pdf_s": round(t_pdf, 3), "total_s": round(time.perf_counter() - t0, 3)}, page_reports,
                          text)
