"""OCR quality and digitize throughput against raw Tesseract, measured in one run.

    .venv/bin/python bench/ocr_bench.py [--pages 8]

Builds its own set: the Vietnamese form text of tests/scanning/pages.py rendered at
300 dpi, clean and degraded (skew 1–3°, noise, blur). Baseline: ``tesseract IMG - -l vie``
on the same files, two processes at a time with OMP_THREAD_LIMIT=1 (the same core budget
as digitize). Prints CER for both and pages per minute with the ratio.
"""

from __future__ import annotations

import argparse
import os
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

from scanning.pipeline import digitize  # noqa: E402
from scanning.samples import TEXT, degrade, render  # noqa: E402
from tests.scanning.test_digitize import cer  # noqa: E402


def raw_tesseract(path: Path) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run(["tesseract", str(path), "-", "-l", "vie"], capture_output=True, text=True, env=env,
                         check=True).stdout
    return unicodedata.normalize("NFC", out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=8)
    args = ap.parse_args()
    expected = "\n".join(TEXT)
    with tempfile.TemporaryDirectory() as tmp:
        sets: dict[str, list[Path]] = {"clean": [], "degraded": []}
        for i in range(args.pages):
            for name, img in (("clean", render()), ("degraded", degrade(render(), angle=1 + 2 * i / max(1, args.pages - 1),
                                                                         seed=i))):
                p = Path(tmp) / f"{name}{i}.png"
                Image.fromarray(img).save(p, dpi=(300, 300))
                sets[name].append(p)
        workers = os.cpu_count() or 2
        print(f"{args.pages} pages per set, A5-landscape form text at 300 dpi, {workers} workers")
        print(f"{'set':<10}{'raw CER':>9}{'motcua CER':>12}{'raw p/min':>11}{'motcua p/min':>14}{'ratio':>7}")
        for name, files in sets.items():
            t0 = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                raw_texts = list(pool.map(raw_tesseract, files))
            raw_s = time.perf_counter() - t0
            t1 = time.perf_counter()
            report = digitize(files, Path(tmp) / f"{name}.pdf", lang="vie", workers=workers)
            ours_s = time.perf_counter() - t1
            ours_texts = report.text.split("\n\f")
            raw_cer = sum(cer(expected, t) for t in raw_texts) / len(files)
            our_cer = sum(cer(expected, t) for t in ours_texts) / len(files)
            raw_ppm, our_ppm = len(files) / raw_s * 60, len(files) / ours_s * 60
            print(f"{name:<10}{raw_cer:>9.2%}{our_cer:>12.2%}{raw_ppm:>11.1f}{our_ppm:>14.1f}{our_ppm / raw_ppm:>7.2f}")
            print(f"{'':<10}digitize: {report.bytes_per_page // 1024} KB/page, timings {report.timings}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
