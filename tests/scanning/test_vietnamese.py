"""Vietnamese first: the default language keeps every word's marks, and clean-up never makes a
clean page read worse than no clean-up (Liberation Serif and DejaVu Serif, 300 dpi)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from PIL import Image

from scanning.ocr import DEFAULT_LANG
from scanning.pipeline import digitize
from scanning.samples import DOCUMENTS, FONT, LEGAL_DOCUMENTS, LIBERATION_SERIF, render_a4
from tests.scanning.test_digitize import cer


def fold(word: str) -> str:
    """The word without its Vietnamese marks (đ → d), as vie+eng misreads it."""
    base = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in base if not unicodedata.combining(c))


def lost_marks(truth: str, got: str) -> list[str]:
    """Words of ``truth`` with marks that come out of OCR only without them."""
    seen = set(got.split())
    return sorted({w for w in truth.split() if fold(w) != w and w not in seen and fold(w) in seen})


def _pages(tmp_path: Path) -> tuple[list[Path], list[str]]:
    docs = {**LEGAL_DOCUMENTS, "kinh_doanh": DOCUMENTS["kinh_doanh"], "cu_tru": DOCUMENTS["cu_tru"]}
    files, truths = [], []
    for font in (LIBERATION_SERIF, FONT):
        for name, lines in docs.items():
            p = tmp_path / f"{name}-{Path(font).stem}.png"
            Image.fromarray(render_a4(lines, font=font)).save(p, dpi=(300, 300))
            files.append(p)
            truths.append("\n".join(lines))
    return files, truths


def test_default_language_keeps_every_mark(tmp_path: Path) -> None:
    assert DEFAULT_LANG == "vie"
    files, truths = _pages(tmp_path)
    report = digitize(files, tmp_path / "out.pdf")  # the default language, as the officer gets it
    lost = {str(f.name): lost_marks(t, got) for f, t, got in zip(files, truths, report.page_texts, strict=True)}
    assert not any(lost.values()), lost
    assert all(got == unicodedata.normalize("NFC", got) for got in report.page_texts)
    assert max(cer(t, got) for t, got in zip(truths, report.page_texts, strict=True)) < 0.01


def test_clean_up_never_makes_a_clean_page_worse(tmp_path: Path) -> None:
    files, truths = _pages(tmp_path)
    cleaned = digitize(files, tmp_path / "clean.pdf")
    raw = digitize(files, tmp_path / "raw.pdf", clean=False)
    worse = [(f.name, cer(t, a), cer(t, b)) for f, t, a, b in
             zip(files, truths, cleaned.page_texts, raw.page_texts, strict=True) if cer(t, a) > cer(t, b)]
    assert not worse, worse
