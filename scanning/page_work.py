"""One page's whole job, run in a worker process: decode, check, clean, OCR, PDF page.

Doing the clean-up in the same process as the OCR keeps the Python work off the GIL of
the caller (the UI's process) and lets it overlap the other workers' Tesseract. The job
and its outcome are plain picklable data; a :class:`~desktop.kernel.errors.MotcuaError` raised
here reaches the caller as it is, with its message in the caller's language.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop.kernel.i18n import set_language
from scanning.cleanup import CleanOptions
from scanning.images import Page, PageRef, load_page
from scanning.ocr import Recognizer, write_jpeg
from scanning.quality import check_quality, clean_and_check


@dataclass
class PageJob:
    index: int
    workdir: str
    lang: str
    clean: bool
    options: CleanOptions
    language: str  # of the messages, vi or en
    ref: PageRef | None = None  # a page of a file, decoded in the worker
    image: np.ndarray | None = None  # or a page already in memory (from a scanner)
    dpi: float = 0.0
    source: str = ""
    correct: bool = True  # post-correct Tesseract's unsure words (scanning.postcorrect)


@dataclass
class PageOutcome:
    index: int
    source: str
    dpi: float
    warnings: list[dict[str, str]]
    steps: list[str]
    blank: bool
    text: str = ""
    pdf: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)


_recognizer: Recognizer | None = None


def recognizer() -> Recognizer:
    global _recognizer
    if _recognizer is None:
        _recognizer = Recognizer()
    return _recognizer


def run_page(job: PageJob) -> PageOutcome:
    set_language(job.language)
    t0 = time.perf_counter()
    if job.ref is not None:
        page = load_page(job.ref)
    else:
        assert job.image is not None
        page = Page(job.image, job.dpi, job.source)
    t1 = time.perf_counter()
    if job.clean:
        result, dpi, issues = clean_and_check(page.image, page.dpi, job.options)
    else:
        result, dpi, issues = None, page.dpi, check_quality(page.image, page.dpi)
    dpi = dpi or 300.0
    warnings = [q.to_dict() for q in issues]
    t2 = time.perf_counter()
    outcome = PageOutcome(job.index, page.source, dpi, warnings, result.steps if result else [],
                          bool(result and result.is_blank and job.options.remove_blank))
    if not outcome.blank:
        image = result.image if result is not None else page.image
        src = Path(job.workdir) / f"p{job.index:04d}.jpg"
        write_jpeg(image, src, dpi)
        base = Path(job.workdir) / f"p{job.index:04d}"
        outcome.text = recognizer().page_pdf(src, base, lang=job.lang, dpi=dpi, correct=job.correct)
        outcome.pdf = str(base.with_suffix(".pdf"))
    t3 = time.perf_counter()
    outcome.seconds = {"load_s": t1 - t0, "clean_s": t2 - t1, "ocr_s": t3 - t2}
    return outcome
