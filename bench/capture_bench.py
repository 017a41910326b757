"""Capture geometry bench: CER per photo/scan condition next to raw Tesseract, in one run.

    .venv/bin/python bench/capture_bench.py [--seeds 3] [--scale 0.55] [--sheets]

Cases come from the seeded generator of tests/scanning/conditions.py (the property test
runs one seed per condition; this runs more). For each case the baseline is plain
``tesseract FILE - -l vie`` on the same JPEG file, measured in the same run; motcua's
reading is clean_and_check (page finder, light, orientation, deskew) then OCR with ``vie``.
Prints per condition the mean CER of both, the pages read worse than raw (by more than
0.5 %), the lines whose anchors raw Tesseract reads and motcua does not, and how many
pages were kept whole with "check the edges". ``--sheets`` runs the variants of a sheet
under the page (``SECOND_SHEETS``: side, offset, desk, size, turn, out of the frame) instead.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanning.ocr import ocr_image  # noqa: E402
from scanning.quality import clean_and_check  # noqa: E402
from tests.scanning.conditions import (  # noqa: E402
    CONDITIONS,
    SECOND_SHEETS,
    Case,
    anchors_read,
    make_case,
    raw_tesseract,
)
from tests.scanning.test_digitize import cer  # noqa: E402


def _one(case: Case) -> tuple[str, float, float, int, bool]:
    raw = raw_tesseract(case)
    result, dpi, issues = clean_and_check(case.image, case.dpi)
    ours = ocr_image(result.image, lang="vie", dpi=dpi or 300)
    lost = sum(a and not b for a, b in zip(anchors_read(case.source.lines, raw),
                                           anchors_read(case.source.lines, ours), strict=True))
    whole = any(i.code == "check_edges" for i in issues)
    return case.condition, cer(case.truth, raw), cer(case.truth, ours), lost, whole


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--scale", type=float, default=0.55)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sheets", action="store_true", help="the sheet-under-the-page variants")
    args = ap.parse_args()
    names = list(SECOND_SHEETS) if args.sheets else CONDITIONS
    cases = [make_case(c, s, scale=args.scale) for c in names for s in range(args.seeds)]
    with ThreadPoolExecutor(args.workers) as pool:
        rows = list(pool.map(_one, cases))
    print(f"{'condition':18} {'raw CER':>8} {'motcua':>8} {'worse':>6} {'lines lost':>10} {'whole':>6}")
    for name in names:
        mine = [r for r in rows if r[0] == name]
        raw = sum(r[1] for r in mine) / len(mine)
        ours = sum(r[2] for r in mine) / len(mine)
        worse = sum(r[2] > r[1] + 0.005 for r in mine)
        print(f"{name:18} {raw:8.2%} {ours:8.2%} {worse:>3}/{len(mine):<2} {sum(r[3] for r in mine):>10}"
              f" {sum(r[4] for r in mine):>6}")


if __name__ == "__main__":
    main()
