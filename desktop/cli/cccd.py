"""``motcua cccd IMAGE``: read the QR of a chip citizen ID card and print it as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cccd", help="decode the QR of a chip citizen ID card (CCCD) in a scan or photo")
    p.add_argument("image", type=Path)
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from scanning.cccd import read_cccd

    print(json.dumps(read_cccd(args.image).to_dict(), ensure_ascii=False, indent=1))
    return 0
