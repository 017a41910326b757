"""Page-finder survey: per photo condition, how often the page is found, the whole frame
kept, or content cut — outlines only, no OCR (seconds per case, not minutes).

    .venv/bin/python bench/desk_survey.py [--seeds 8] [--scale 0.55] [--set white|photo|sheets|all]

Cases come from tests/scanning/conditions.py. Per case, :func:`scanning.pagefind.search_page`
on the frame: *found* (an outline kept), *refused* (a page seen, every outline would cut
text: whole frame with "check the edges"), *none* (no outline: whole frame); *cut* counts
found outlines that leave a line end the camera saw outside (the one outcome never
acceptable); *loose* counts found outlines more than 15 % larger than the page (desk or a
sheet under kept, nothing lost).
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanning.pagefind import search_page  # noqa: E402
from tests.scanning.conditions import PHOTO, SECOND_SHEETS, WHITE_DESKS, inside, make_photo  # noqa: E402

SETS = {"white": [*WHITE_DESKS, "white_desk", "under_top_white", "under_turned"], "photo": list(PHOTO),
        "sheets": list(SECOND_SHEETS), "all": [*PHOTO, *SECOND_SHEETS, *WHITE_DESKS]}


def _one(name: str, seed: int, scale: float) -> tuple[str, str, bool, bool]:
    case = make_photo(name, seed, scale)
    found = search_page(case.image)
    if found.quad is None:
        return name, "refused" if found.cut_text else "none", False, False
    cut = any(v and not all(inside(found.quad, ends))
              for ends, v in zip(case.anchors_in_image(), case.visible(), strict=True))
    h, w = case.source.image.shape
    page = cv2.perspectiveTransform(np.array([[[0, 0], [w, 0], [w, h], [0, h]]], np.float32), case.homography)[0]
    fh, fw = case.image.shape[:2]
    clip = cv2.intersectConvexConvex(page, np.array([[0, 0], [fw, 0], [fw, fh], [0, fh]], np.float32))[0]
    loose = cv2.contourArea(found.quad.reshape(-1, 1, 2)) > 1.15 * clip
    return name, "found", cut, bool(loose)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--scale", type=float, default=0.55)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", choices=list(SETS), default="white")
    args = ap.parse_args()
    names = SETS[args.set]
    with ThreadPoolExecutor(args.workers) as pool:
        rows = list(pool.map(lambda a: _one(*a, args.scale), [(n, s) for n in names for s in range(args.seeds)]))
    print("| condition | found | refused | none | cut | loose |\n|---|---|---|---|---|---|")
    for name in names:
        mine = [r for r in rows if r[0] == name]
        count = {k: sum(r[1] == k for r in mine) for k in ("found", "refused", "none")}
        print(f"| {name} | {count['found']}/{len(mine)} | {count['refused']} | {count['none']} |"
              f" {sum(r[2] for r in mine)} | {sum(r[3] for r in mine)} |")


if __name__ == "__main__":
    main()
