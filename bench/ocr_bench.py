"""OCR quality and digitize throughput against raw Tesseract (and OCRmyPDF), in one run.

    .venv/bin/python bench/ocr_bench.py [--pages 8] [--workers 2]

Builds its own sets from the Vietnamese documents of scanning/samples.py, rendered on A4
at 300 dpi: clean; "scan" (skewed 1–3°, noised, blurred, saved as a 200-dpi JPEG); and
"photo" (phone-photo-like: perspective, a table around the page, uneven light). The
baseline is ``tesseract IMG - -l vie`` on the same files with OMP_THREAD_LIMIT=1 and as
many processes at a time as digitize has workers (the same core budget). digitize is
measured with its page workers already running, as in the application, and from a cold
start, as one ``motcua digitize`` command. OCRmyPDF is
measured too when its command is on PATH (``--ocrmypdf CMD`` to name it). Prints CER
for each and pages per minute with the ratios.
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
from scanning.samples import DOCUMENTS, phone_photo, render_a4, scan_200dpi  # noqa: E402
from tests.scanning.test_digitize import cer  # noqa: E402

ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def raw_tesseract(path: Path) -> str:
    out = subprocess.run(["tesseract", str(path), "-", "-l", "vie"], capture_output=True, text=True, env=ENV,
                         check=True).stdout
    return unicodedata.normalize("NFC", out)


def build_sets(tmp: Path, n: int) -> dict[str, list[tuple[Path, str]]]:
    names = list(DOCUMENTS)
    sets: dict[str, list[tuple[Path, str]]] = {"clean": [], "scan": [], "photo": []}
    for i in range(n):
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
        print(f"{'set':<7}{'raw CER':>9}{'motcua CER':>12}{'raw p/min':>11}{'motcua p/min':>14}{'ratio':>7}")
        for name, items in sets.items():
            files = [p for p, _ in items]
            raw_s = ours_s = cold_s = float("inf")
            for _ in range(args.rounds):  # alternate, so a busy moment hits every variant alike
                t0 = time.perf_counter()
                with ThreadPoolExecutor(workers) as pool:
                    raw_texts = list(pool.map(raw_tesseract, files))
                raw_s = min(raw_s, time.perf_counter() - t0)
                t1 = time.perf_counter()
                report = digitize(files, tmp / f"{name}.pdf", lang="vie", pool=warm)
                ours_s = min(ours_s, time.perf_counter() - t1)
                t2 = time.perf_counter()
                digitize(files, tmp / f"{name}-cold.pdf", lang="vie", workers=workers)
                cold_s = min(cold_s, time.perf_counter() - t2)
            raw_cer = sum(cer(t, got) for (_, t), got in zip(items, raw_texts, strict=True)) / len(items)
            our_cer = sum(cer(t, got) for (_, t), got in zip(items, report.page_texts, strict=True)) / len(items)
            raw_ppm, our_ppm = len(files) / raw_s * 60, len(files) / ours_s * 60
            print(f"{name:<7}{raw_cer:>9.2%}{our_cer:>12.2%}{raw_ppm:>11.1f}{our_ppm:>14.1f}{our_ppm / raw_ppm:>7.2f}")
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
