"""One feeder pass for the whole dossier: slot accuracy with and without separator sheets.

Generated dossiers (tests/scanning/dossiers.py: 5 procedures, 3-8 components each, four
fonts, some pages photocopied or skewed, separators sometimes upside down or with a blank
duplex back, shuffled component order). A *build* set (its own seeds) is split without
separators; every page the classifier got wrong is "corrected by the officer", which
teaches the centre's LearnedTitles table. The *evaluation* set (other seeds, never seen
while building) is then split with separators (QR only, no OCR) and without (real
Tesseract ``vie`` on the top 40 % of each page, where titles are, read straight as the
application reads it: :func:`scanning.split.title_text`). ``--why`` prints each page put in
a wrong slot or left unassigned, with its reason and the text read.

    .venv/bin/python -m bench.split_bench --quick      # 40 + 10 dossiers at 150 dpi
    .venv/bin/python -m bench.split_bench              # 60 + 20 dossiers at 150-300 dpi
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from scanning.classify import LearnedTitles, title_lines
from scanning.split import PageRole, SplitResult, split_pages, title_text
from tests.scanning.dossiers import KINDS, Dossier, Sheet, components, make_dossier


def _ocr(sheets: list[Sheet], dpi: int) -> list[str]:
    return [title_text(s.image, dpi) for s in sheets]


def _classify(d: Dossier, texts: list[str], learned: LearnedTitles) -> SplitResult:
    return split_pages([s.image for s in d.pages], d.procedure, components(d.procedure),
                       ocr=lambda i: texts[i], learned=learned)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--eval", type=int, default=None)
    ap.add_argument("--build", type=int, default=None)
    ap.add_argument("--why", action="store_true", help="print each page not in its slot, with the reason")
    args = ap.parse_args()
    n_eval = args.eval or (40 if args.quick else 60)
    n_build = args.build or (10 if args.quick else 20)
    dpi = 150 if args.quick else None
    learned = LearnedTitles()
    t0 = time.perf_counter()
    learned_from = 0
    for seed in range(10_000, 10_000 + n_build):
        d = make_dossier(seed, dpi)
        texts = _ocr(d.pages, d.dpi)
        r = _classify(d, texts, learned)
        for p, s in zip(r.pages, d.pages, strict=True):
            if p.component != s.truth and s.kind == "title":  # the officer drags it; the centre learns
                lines = title_lines(texts[p.index])
                if lines:
                    learned.learn(KINDS[s.truth or ""].name, lines[0])
                    learned_from += 1
    t_build = time.perf_counter() - t0
    print(f"build: {n_build} dossiers, {learned_from} corrections learned, {len(learned.entries)} phrases "
          f"({t_build:.0f} s)")

    sep_ok = sep_pages = dropped_ok = dropped = 0
    cls_ok = cls_pages = base_ok = 0
    corrections: list[int] = []
    unassigned = wrong_assigned = 0
    t_sep = t_ocr = t_cls = 0.0
    comps_total = pages_total = 0
    for seed in range(n_eval):
        d = make_dossier(seed, dpi)
        comps_total += len(d.order)
        pages_total += len(d.pages)
        t = time.perf_counter()
        r = split_pages([s.image for s in d.with_separators], d.procedure, components(d.procedure),
                        separators_expected=True)
        t_sep += time.perf_counter() - t
        for p, s in zip(r.pages, d.with_separators, strict=True):
            if s.truth is None:
                dropped += 1
                dropped_ok += p.role is not PageRole.PAGE
            else:
                sep_pages += 1
                sep_ok += p.role is PageRole.PAGE and p.component == s.truth
        t = time.perf_counter()
        texts = _ocr(d.pages, d.dpi)
        t_ocr += time.perf_counter() - t
        t = time.perf_counter()
        r = _classify(d, texts, learned)
        t_cls += time.perf_counter() - t
        base = _classify(d, texts, LearnedTitles())
        wrong = 0
        for p, b, s in zip(r.pages, base.pages, d.pages, strict=True):
            cls_pages += 1
            cls_ok += p.component == s.truth
            base_ok += b.component == s.truth
            if p.component != s.truth:
                wrong += 1
                if args.why:
                    print(f"  dossier {seed} ({d.procedure}, {d.dpi} dpi) page {p.index + 1} ({s.kind}, {s.condition}): "
                          f"{s.truth} → {p.component or 'unassigned'} ({p.confidence:.0%}): {p.reason}\n"
                          f"    read: {texts[p.index][:200]!r}")
                unassigned += p.component is None
                wrong_assigned += p.component is not None
        corrections.append(wrong)
    print("measured under load (2 shared cores)")
    print(f"eval: {n_eval} dossiers, {comps_total} components, {pages_total} pages (+ separators/backs)")
    print(f"with separators: {sep_ok}/{sep_pages} pages in the right slot = {sep_ok / sep_pages:.1%}; "
          f"separator sheets and blank backs not kept: {dropped_ok}/{dropped}")
    print(f"without separators (classifier + learned table): {cls_ok}/{cls_pages} = {cls_ok / cls_pages:.1%}; "
          f"wrong: {wrong_assigned} assigned to a wrong slot, {unassigned} left unassigned")
    print(f"without separators, rules only (no learned table): {base_ok}/{cls_pages} = {base_ok / cls_pages:.1%}")
    print(f"officer corrections per dossier: mean {np.mean(corrections):.2f}, max {max(corrections)}, "
          f"dossiers with none: {sum(c == 0 for c in corrections)}/{n_eval}")
    print(f"compute per dossier: separators (QR) {t_sep / n_eval * 1000:.0f} ms; "
          f"OCR of page tops {t_ocr / n_eval:.2f} s + classify {t_cls / n_eval * 1000:.1f} ms")
    # the feeder time itself cannot be measured here (no ADF): a model with stated figures
    ppm, start_s, slot_s = 20.0, 6.0, 4.0
    whole = start_s + (pages_total + 2 * comps_total) / n_eval * 60 / ppm + t_sep / n_eval
    each = comps_total / n_eval * (start_s + slot_s) + pages_total / n_eval * 60 / ppm
    print(f"model ({ppm:.0f} ppm feeder, {start_s:.0f} s per scan start, {slot_s:.0f} s to pick a slot): "
          f"whole pass with separators {whole:.0f} s per dossier vs component by component {each:.0f} s "
          f"(ratio {each / whole:.2f})")


if __name__ == "__main__":
    main()
