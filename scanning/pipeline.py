"""Digitize: pages in, one searchable PDF/A out, with a report of quality and timings.

Order of work: list the pages (bad files are refused before any work starts) → per page,
in a worker process (one per core, see :mod:`scanning.page_pool`): decode, check
quality, clean, OCR + PDF page → assemble in page order → PDF/A-2b identification →
write atomically (temporary name, then rename). The kept page image is the cleaned
grey/colour image at its scan resolution and 100 % scale, JPEG-compressed.
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.kernel.errors import MotcuaError
from desktop.kernel.files import replace_durably
from desktop.kernel.i18n import current_language, msg
from desktop.kernel.tasks import CancelToken, ProgressFn, no_progress
from scanning.cleanup import CleanOptions
from scanning.images import Page, list_pages
from scanning.leftovers import temp_prefix
from scanning.ocr import DEFAULT_LANG
from scanning.page_pool import PagePool, default_workers
from scanning.page_work import PageJob, PageOutcome
from scanning.pdfa import make_pdfa, save_pdfa

__all__ = ["DigitizeReport", "PageReport", "default_workers", "digitize", "digitize_pages"]


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
    page_texts: list[str] = field(default_factory=list)

    @property
    def bytes_per_page(self) -> int:
        return self.bytes // self.pages if self.pages else 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("text")
        d.pop("page_texts")
        d["bytes_per_page"] = self.bytes_per_page
        return d


def digitize(inputs: list[Path], output: Path, *, clean: bool = True, lang: str = DEFAULT_LANG,
             options: CleanOptions | None = None, cancel: CancelToken | None = None,
             progress: ProgressFn = no_progress, workers: int | None = None,
             pool: PagePool | None = None, correct: bool = True) -> DigitizeReport:
    """One searchable PDF from image files, multi-page TIFFs and PDFs. ``correct``: post-correct
    the words Tesseract is unsure of (legal references, enumerations, numbers; bench/RESULTS.md)."""
    t0 = time.perf_counter()
    refs = list_pages([Path(p) for p in inputs])
    jobs = [dict(ref=r, source=r.source, correct=correct) for r in refs]
    return _run(jobs, output, clean, lang, options, cancel, progress, workers, pool, t0)


def digitize_pages(pages: list[Page], output: Path, *, clean: bool = True, lang: str = DEFAULT_LANG,
                   options: CleanOptions | None = None, cancel: CancelToken | None = None,
                   progress: ProgressFn = no_progress, workers: int | None = None,
                   pool: PagePool | None = None, correct: bool = True) -> DigitizeReport:
    """One searchable PDF from pages already in memory (from a scanner or the scan screen)."""
    jobs = [dict(image=p.image, dpi=p.dpi, source=p.source, correct=correct) for p in pages]
    return _run(jobs, output, clean, lang, options, cancel, progress, workers, pool, time.perf_counter())


def _run(jobs: list[dict[str, Any]], output: Path, clean: bool, lang: str, options: CleanOptions | None,
         cancel: CancelToken | None, progress: ProgressFn, workers: int | None, pool: PagePool | None,
         t0: float) -> DigitizeReport:
    if not jobs:
        raise MotcuaError(msg("Không có trang nào để số hóa.", "There are no pages to digitize."))
    cancel = cancel or CancelToken()
    cancel.raise_if_cancelled()
    opts = options or CleanOptions()
    own_pool = pool is None
    t_start = time.perf_counter()
    outcomes: dict[int, PageOutcome] = {}
    with tempfile.TemporaryDirectory(prefix=temp_prefix("digitize")) as tmp:
        work = pool or PagePool(min(workers or default_workers(), len(jobs)))
        try:
            t_pool = time.perf_counter() - t_start
            futures: dict[Future[PageOutcome], int] = {
                work.submit(PageJob(index=i, workdir=tmp, lang=lang, clean=clean, options=opts,
                                    language=current_language(), **spec)): i
                for i, spec in enumerate(jobs)}
            pending = set(futures)
            try:
                while pending:
                    finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    cancel.raise_if_cancelled()
                    for f in finished:
                        out = f.result()  # a worker's MotcuaError is raised here, as it is
                        outcomes[out.index] = out
                        progress(len(outcomes), len(jobs), out.source)
            except BaseException:
                for f in pending:
                    f.cancel()
                raise
        finally:
            if own_pool:
                work.close()
        t_ocr = time.perf_counter() - t_start
        kept = [outcomes[i] for i in sorted(outcomes) if outcomes[i].pdf]
        if not kept:
            raise MotcuaError(msg("Mọi trang đều trắng; không tạo PDF.", "Every page is blank; no PDF was made."))
        t3 = time.perf_counter()
        _assemble(kept, output)
        t_pdf = time.perf_counter() - t3
    reports = [PageReport(o.source, o.dpi, o.warnings, len("".join(o.text.split())), o.steps, o.blank)
               for o in (outcomes[i] for i in sorted(outcomes))]
    texts = [o.text for o in kept]
    per_page = {k: round(sum(o.seconds.get(k, 0.0) for o in outcomes.values()), 3)
                for k in ("load_s", "clean_s", "ocr_s")}
    # load_s/clean_s/ocr_s add up the workers' time (they overlap); pages_s is the wall time
    timings = {**per_page, "pool_start_s": round(t_pool, 3), "pages_s": round(t_ocr, 3), "pdf_s": round(t_pdf, 3),
               "total_s": round(time.perf_counter() - t0, 3)}
    return DigitizeReport(str(output), len(kept), sum(r.characters for r in reports), output.stat().st_size,
                          timings, reports, "\n\f".join(texts), texts)


def _assemble(pages: list[PageOutcome], output: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    for o in pages:
        assert o.pdf is not None
        with pikepdf.open(o.pdf) as part:
            pdf.pages.extend(part.pages)
    make_pdfa(pdf, title=output.stem, created=datetime.now())
    output.parent.mkdir(parents=True, exist_ok=True)
    part_path = output.with_name(f".{output.name}.part")
    try:
        save_pdfa(pdf, part_path)
        replace_durably(part_path, output, private=True)  # scans hold personal data
    finally:
        part_path.unlink(missing_ok=True)
