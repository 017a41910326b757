"""``motcua self-test``: report what is present and working; non-zero if a required part is missing."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("self-test", help="check the database, OCR, token, card reader, scanner, dossier system")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.selftest import build_info, run_checks

    checks = run_checks(ctx.settings)
    failed_required = [c for c in checks if c.required and not c.ok]
    info = build_info()
    if args.json:
        print(json.dumps({"version": info["version"], "build": info, "ok": not failed_required,
                          "checks": [c.to_dict() for c in checks]}, ensure_ascii=False, indent=1))
    else:
        print(msg("motcua {v} ({k})", "motcua {v} ({k})", v=info["version"], k=info["kind"]))
        for c in checks:
            if c.ok:
                mark = "OK"
            elif c.required:
                mark = msg("LỖI", "FAIL")
            else:
                mark = msg("CHÚ Ý", "WARN")
            print(f"[{mark:^5}] {c.name}: {c.detail}")
            if not c.ok and c.fix:
                print(f"        → {c.fix}")
        print(msg("Kết quả: đạt." if not failed_required else "Kết quả: thiếu {n} thành phần bắt buộc.",
                  "Result: passed." if not failed_required else "Result: {n} required part(s) missing.",
                  n=len(failed_required)))
    return 1 if failed_required else 0
