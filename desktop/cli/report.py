"""``motcua report``: supervisor indicators per officer for a month."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="indicators for supervisors")
    s = p.add_subparsers(dest="report_command", required=True)
    i = s.add_parser("indicators", help="received, late, digitization and signed results per officer")
    i.add_argument("--month", help="YYYY-MM (default: this month)")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=_indicators)


def _fmt(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1f}%"


def _indicators(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.kernel.timeutil import now_vn
    from desktop.reports import dossier_indicators, month_bounds

    if args.month:
        try:
            m = datetime.strptime(args.month, "%Y-%m")
        except ValueError:
            raise InvalidInput(msg("Tháng “{m}” không đúng dạng YYYY-MM.", "Month “{m}” is not in the form YYYY-MM.",
                                   m=args.month)) from None
        year, month = m.year, m.month
    else:
        year, month = now_vn().year, now_vn().month
    report = dossier_indicators(ctx.db, officer(args, ctx, Permission.VIEW_REPORTS), *month_bounds(year, month))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(msg("Chỉ số tháng {m:02d}/{y}", "Indicators for {m:02d}/{y}", m=month, y=year))
    head = msg("Cán bộ", "Officer")
    print(f"{head:<18}{'HS':>6}{msg('Trễ', 'Late'):>6}{msg('Số hóa TP', 'Comp. dig.'):>12}"
          f"{msg('Số hóa KQ', 'Result dig.'):>12}{msg('KQ ký số', 'Signed res.'):>12}")
    for o in [*report.officers, report.total]:
        print(f"{o.officer:<18}{o.received:>6}{o.late:>6}{_fmt(o.digitization_rate):>12}"
              f"{_fmt(o.result_digitization_rate):>12}{o.results_signed:>12}")
    from desktop.cli.audit import head_line

    print(head_line(ctx))  # compared with the dossier system's anchor, it shows a rewritten log
    return 0
