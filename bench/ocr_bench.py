"""OCR quality and digitize throughput against raw Tesseract (and OCRmyPDF), in one run.

    .venv/bin/python bench/ocr_bench.py [--pages 8] [--workers 2]

Builds its own sets from the Vietnamese documents of scanning/samples.py, rendered on A4
at 300 dpi: clean (DejaVu Serif); "legal" (clean, Liberation Serif, the administrative
texts with legal references, dates and enumerations of LEGAL_DOCUMENTS plus two forms);
"scan" (skewed 1–3°, noised, blurred, saved as a 200-dpi JPEG); and "photo"
(phone-photo-like: perspective, a table around the page, uneven light). The baseline is
``tesseract IMG - -l vie`` on the same files with OMP_THREAD_LIMIT=1 and as many processes
at a time as digitize has workers (the same core budget); ``-l vie+eng`` (the former
default) is read once for its CER and the words it strips of their marks. digitize is
measured with its page workers already running, as in the application, with and without
post-correction, and from a cold start, as one ``motcua digitize`` command. For every page
the bench also says whether motcua read it worse than raw Tesseract. OCRmyPDF is measured
too when its command is on PATH (``--ocrmypdf CMD`` to name it). Prints CER for each and
pages per minute with the ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from scanning.page_pool import PagePool  # noqa: E402
from scanning.pipeline import digitize  # noqa: E402
from scanning.samples import (  # noqa: E402
    DOCUMENTS,
    LEGAL_DOCUMENTS,
    LIBERATION_SERIF,
    phone_photo,
    render_a4,
    scan_200dpi,
)
from tests.scanning.test_digitize import cer  # noqa: E402
from tests.scanning.test_vietnamese import lost_marks  # noqa: E402

ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def raw_tesseract(path: Path, lang: str = "vie") -> str:
    out = subprocess.run(["tesseract", str(path), "-", "-l", lang], capture_output=True, text=True, env=ENV,
                         check=True).stdout
    return unicodedata.normalize("NFC", out)


def build_sets(tmp: Path, n: int) -> dict[str, list[tuple[Path, str]]]:
    names = list(DOCUMENTS)
    legal = {**LEGAL_DOCUMENTS, "kinh_doanh": DOCUMENTS["kinh_doanh"], "dat_dai": DOCUMENTS["dat_dai"]}
    sets: dict[str, list[tuple[Path, str]]] = {"clean": [], "legal": [], "scan": [], "photo": []}
    for i in range(n):
        lname = list(legal)[i % len(legal)]
        p = tmp / f"legal{i}.png"
        Image.fromarray(render_a4(legal[lname], font=LIBERATION_SERIF)).save(p, dpi=(300, 300))
        sets["legal"].append((p, "\n".join(legal[lname])))
        name = names[i % len(names)]
        page = render_a4(DOCUMENTS[name])
        truth = "\n".join(DOCUMENTS[name])
        p = tmp / f"clean{i}.png"
        Image.fromarray(page).save(p, dpi=(300, 300))
        sets["clean"].append((p, truth))
        p = tmp / f"scan{i}.jpg"
        p.write_bytes(scan_200dpi(page, angle=(1 + 2 * i / max(1, n - 1)) * (-1) ** i, seed=i))
        sets["scan"].append((p, truth))
        p = tmp / f"photo{i}.jpg"
        p.write_bytes(phone_photo(page, seed=i))
        sets["photo"].append((p, truth))
    return sets


def mean_cer(truths: list[str], texts: list[str]) -> float:
    return sum(cer(t, got) for t, got in zip(truths, texts, strict=True)) / len(truths)


def run_ocrmypdf(cmd: str, files: list[Path], out_dir: Path, workers: int) -> list[str]:
    def one(path: Path) -> str:
        out = out_dir / (path.stem + ".pdf")
        subprocess.run([cmd, "-l", "vie", "--output-type", "pdf", "--jobs", "1", "--optimize", "0",
                        "--image-dpi", "300", str(path), str(out)], capture_output=True, env=ENV, check=True)
        return subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, files))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=8, help="pages per set")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--rounds", type=int, default=2, help="repeat each measurement, keep the fastest (noisy machine)")
    ap.add_argument("--ocrmypdf", default=shutil.which("ocrmypdf"), help="OCRmyPDF command (default: from PATH)")
    args = ap.parse_args()
    workers = args.workers
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        sets = build_sets(tmp, args.pages)
        print(f"{args.pages} A4 pages per set ({len(DOCUMENTS)} documents), {workers} workers, OMP_THREAD_LIMIT=1")
        warm = PagePool(workers)  # as the application keeps it
        warm.warm_up()
        print(f"{'set':<7}{'raw CER':>9}{'vie+eng':>9}{'motcua':>9}{'no corr.':>10}{'raw p/min':>11}"
              f"{'motcua p/min':>14}{'ratio':>7}{'no corr. ratio':>16}")
        for name, items in sets.items():
            files = [p for p, _ in items]
            raw_s = ours_s = plain_s = cold_s = float("inf")
            for _ in range(args.rounds):  # alternate, so a busy moment hits every variant alike
                t0 = time.perf_counter()
                with ThreadPoolExecutor(workers) as pool:
                    raw_texts = list(pool.map(raw_tesseract, files))
                raw_s = min(raw_s, time.perf_counter() - t0)
                t1 = time.perf_counter()
                report = digitize(files, tmp / f"{name}.pdf", pool=warm)
                ours_s = min(ours_s, time.perf_counter() - t1)
                t1 = time.perf_counter()
                plain = digitize(files, tmp / f"{name}-plain.pdf", pool=warm, correct=False)
                plain_s = min(plain_s, time.perf_counter() - t1)
                t2 = time.perf_counter()
                digitize(files, tmp / f"{name}-cold.pdf", workers=workers)
                cold_s = min(cold_s, time.perf_counter() - t2)
            with ThreadPoolExecutor(workers) as pool:
                eng_texts = list(pool.map(lambda f: raw_tesseract(f, "vie+eng"), files))
            truths = [t for _, t in items]

            raw_cer, eng_cer = mean_cer(truths, raw_texts), mean_cer(truths, eng_texts)
            our_cer, plain_cer = mean_cer(truths, report.page_texts), mean_cer(truths, plain.page_texts)
            raw_ppm, our_ppm, plain_ppm = (len(files) / x * 60 for x in (raw_s, ours_s, plain_s))
            print(f"{name:<7}{raw_cer:>9.2%}{eng_cer:>9.2%}{our_cer:>9.2%}{plain_cer:>10.2%}{raw_ppm:>11.1f}"
                  f"{our_ppm:>14.1f}{our_ppm / raw_ppm:>7.2f}{plain_ppm / raw_ppm:>16.2f}")
            worse = [(f.name, round(cer(t, a), 4), round(cer(t, b), 4))
                     for f, t, a, b in zip(files, truths, report.page_texts, raw_texts, strict=True)
                     if cer(t, a) > cer(t, b)]
            print(f"{'':<7}pages worse than raw tesseract: {len(worse)} of {len(files)} {worse or ''}")
            lost = {w for t, got in zip(truths, report.page_texts, strict=True) for w in lost_marks(t, got)}
            lost_eng = {w for t, got in zip(truths, eng_texts, strict=True) for w in lost_marks(t, got)}
            print(f"{'':<7}words losing their marks: motcua {sorted(lost) or 0}; vie+eng {sorted(lost_eng) or 0}")
            cold_ppm = len(files) / cold_s * 60
            print(f"{'':<7}cold start (as one `motcua digitize` run, workers started for it): {cold_ppm:.1f} p/min, "
                  f"ratio {cold_ppm / raw_ppm:.2f}")
            print(f"{'':<7}digitize: {report.bytes_per_page // 1024} KB/page, timings {report.timings}")
            if args.ocrmypdf:
                (tmp / name).mkdir()
                t2 = time.perf_counter()
                omp_texts = run_ocrmypdf(args.ocrmypdf, files, tmp / name, workers)
                omp_s = time.perf_counter() - t2
                omp_cer = sum(cer(t, unicodedata.normalize("NFC", got)) for (_, t), got in zip(items, omp_texts, strict=True))
                omp_ppm = len(files) / omp_s * 60
                print(f"{'':<7}OCRmyPDF: CER {omp_cer / len(items):.2%}, {omp_ppm:.1f} p/min; "
                      f"motcua/OCRmyPDF {our_ppm / omp_ppm:.2f}")
        warm.close()
        if not args.ocrmypdf:
            print("OCRmyPDF: not on PATH (pip install ocrmypdf, apt-get install ghostscript), not measured")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
