"""``motcua verify``: check the signatures of a PDF; exit 0 only when every one is valid."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser("verify", help="check the signatures of a PDF; exit 0 only when all are valid")
    v.add_argument("file", type=Path)
    v.add_argument("--trust", action="append", type=Path, default=None,
                   help="trusted root certificate (PEM/DER); repeatable (default: settings)")
    v.add_argument("--signer", help="the signer's whole common name or organization name (not a part of it)")
    v.add_argument("--org-cert", type=Path, help="the organization's certificate: the signer must be exactly it")
    v.add_argument("--online", action="store_true", help="fetch missing chain/revocation data from the network")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from signing.verify import verify_pdf

    conf = dict(ctx.settings.extra.get("signing", {}))
    trust = args.trust if args.trust is not None else [Path(t) for t in conf.get("trust", [])]
    org_cert = args.org_cert or (Path(conf["organization_cert"]) if conf.get("organization_cert") else None)
    report = verify_pdf(args.file, trust, expected_signer=args.signer, expected_cert=org_cert,
                        allow_fetching=args.online)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return 0 if report.ok else 1
    if not report.signatures:
        print(msg("Tệp không có chữ ký số.", "The file has no digital signature."))
    if not trust:
        print(msg("Chưa có chứng thư gốc tin cậy (--trust hoặc cài đặt): không chữ ký nào được tin cậy.",
                  "No trusted root certificate (--trust or settings): no signature can be trusted."))
    yes, no = msg("có", "yes"), msg("không", "no")
    for s in report.signatures:
        state = msg("HỢP LỆ", "VALID") if s.ok else msg("KHÔNG HỢP LỆ", "NOT VALID")
        print(f"{s.field}: {state} — {s.signer}")
        print(msg("  mức {l}; toàn vẹn: {i}; chữ ký: {v}; tin cậy: {t}; phạm vi: {c}; dấu thời gian: {ts}; "
                  "dữ liệu thu hồi: {r}",
                  "  level {l}; intact: {i}; signature: {v}; trusted: {t}; coverage: {c}; time-stamp: {ts}; "
                  "revocation data: {r}",
                  l=s.level, i=yes if s.intact else no, v=yes if s.valid else no, t=yes if s.trusted else no,
                  c=s.coverage, ts=yes if s.timestamp_trusted else no, r=yes if s.revocation_info else no))
        for note in s.later_changes:
            print(f"  · {note}")
        for p in s.problems:
            print(f"  ! {p}")
    print(msg("Kết luận: {r}", "Result: {r}", r=msg("HỢP LỆ", "VALID") if report.ok else msg("KHÔNG HỢP LỆ", "NOT VALID")))
    return 0 if report.ok else 1
