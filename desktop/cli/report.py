"""``motcua report``: queue, dossier, late-list, satisfaction and session reports; the monthly PDF.

Every table prints as text, or as JSON with ``--json``, and can be written to XLSX
(``--xlsx``) and CSV (``--csv``). The text, the JSON (``audit_head``) and the XLSX carry the
audit chain head the report was made at (``motcua audit verify --head`` checks it later); the
CSV stays a bare table for the programs that read it. Bad periods (``2026-13``, ``--from`` after ``--to``, ten
years) get a clear message and exit code 2.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.kernel.errors import InvalidInput, NotFound
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


def _outputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="also write the table to an Excel file")
    p.add_argument("--csv", type=Path, metavar="OUT.csv", help="also write the table to a CSV file")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="reports for supervisors (queue, dossiers, late list, monthly PDF)")
    s = p.add_subparsers(dest="report_command", required=True)
    q = s.add_parser("queue", help="arrived, served, no-shows, wait and service percentiles")
    q.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day (Vietnam date; default today)")
    q.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day, inclusive (default: --from)")
    q.add_argument("--by", default="service", help="service | counter | officer | hour | day | week | month")
    _outputs(q)
    q.set_defaults(func=_queue)
    for name, helptext, func in (("dossiers", "received, on time, late, digitization per officer or unit", _dossiers),
                                 ("indicators", "the same as 'dossiers' (kept for older scripts)", _dossiers)):
        d = s.add_parser(name, help=helptext)
        d.add_argument("--month", help="YYYY-MM (default: this month)")
        d.add_argument("--by", default="officer", help="officer | unit")
        _outputs(d)
        d.set_defaults(func=func)
    late = s.add_parser("late", help="the late dossiers with their officers, as the province publishes them")
    late.add_argument("--month", help="YYYY-MM (default: this month)")
    _outputs(late)
    late.set_defaults(func=_late)
    sat = s.add_parser("satisfaction", help="citizens' ratings per officer (SIPAS levels)")
    sat.add_argument("--month", help="YYYY-MM (default: this month)")
    _outputs(sat)
    sat.set_defaults(func=_satisfaction)
    ses = s.add_parser("sessions", help="open, paused, busy and idle time per counter session")
    ses.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
    ses.add_argument("--to", dest="last", metavar="YYYY-MM-DD")
    _outputs(ses)
    ses.set_defaults(func=_sessions)
    m = s.add_parser("monthly", help="the monthly report as a PDF/A-2b (Vietnamese)")
    m.add_argument("--month", required=True, help="YYYY-MM")
    m.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    m.set_defaults(func=_monthly)
    r = s.add_parser("rate", help="record a citizen's rating of a served ticket")
    r.add_argument("--ticket", required=True, help="ticket number, e.g. A012 (today's, unless --day)")
    r.add_argument("--day", metavar="YYYY-MM-DD", help="the ticket's day (default today)")
    r.add_argument("--level", required=True, help="not_satisfied | satisfied | very_satisfied")
    r.add_argument("--reason", default="")
    r.set_defaults(func=_rate)


def _emit(args: argparse.Namespace, ctx: AppContext, data: dict[str, Any], tables: list[Any]) -> None:
    from desktop.audit import read_stamp
    from desktop.reports.export import write_csv, write_xlsx

    head = read_stamp(ctx.db)
    if args.xlsx:
        write_xlsx(tables, args.xlsx, note=head.line())
    if args.csv:
        write_csv(tables[0], args.csv)
    if args.json:
        print(json.dumps({**data, "audit_head": head.to_dict()}, ensure_ascii=False, indent=1))
        return
    for t in tables:
        _print_table(t)
    print(head.line())


def _print_table(t: Any) -> None:
    print(t.title)
    if not t.rows:
        print(msg("  (không có số liệu trong khoảng thời gian này)", "  (no data in this period)"))
        return
    cells = [[str(c) for c in t.columns], *[["–" if c is None else str(c) for c in r] for r in t.rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(t.columns))]
    for r in cells:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))


def _actor(args: argparse.Namespace, ctx: Any) -> Any:
    """The signed-in officer; what they may see (their units, or only their own figures) is
    decided in the core (desktop/reports/scope.py)."""
    from desktop.cli._signin import officer

    return officer(args, ctx)


def _queue(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.reports.export import queue_table
    from desktop.reports.period import parse_range
    from desktop.reports.queue import GROUPINGS, queue_report

    period = parse_range(args.first, args.last)
    if args.by not in GROUPINGS or args.by == "total":
        raise InvalidInput(msg("--by “{b}” không hợp lệ (chọn: {all}).", "--by “{b}” is not valid (choose: {all}).",
                               b=args.by, all=", ".join(g for g in GROUPINGS if g != "total")))
    report = queue_report(ctx.db, _actor(args, ctx), period, args.by)
    _emit(args, ctx, report.to_dict(), [queue_table(report)])
    return 0


def _dossiers(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.reports.dossiers import dossier_report
    from desktop.reports.export import dossier_table
    from desktop.reports.period import parse_month

    if args.by not in ("officer", "unit"):
        raise InvalidInput(msg("--by “{b}” không hợp lệ (officer hoặc unit).", "--by “{b}” is not valid (officer or unit).",
                               b=args.by))
    report = dossier_report(ctx.db, _actor(args, ctx), parse_month(args.month), args.by)
    _emit(args, ctx, report.to_dict(), [dossier_table(report)])
    return 0


def _late(args: argparse.Namespace, ctx: AppContext) -> int:
    from dataclasses import asdict

    from desktop.reports.dossiers import late_list
    from desktop.reports.export import late_table
    from desktop.reports.period import parse_month

    period = parse_month(args.month)
    lines = late_list(ctx.db, _actor(args, ctx), period, calendar=ctx.calendar)
    _emit(args, ctx, {"period": period.to_dict(), "late": [asdict(x) for x in lines], "count": len(lines)},
          [late_table(lines, period.label)])
    return 0


def _satisfaction(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.reports.export import satisfaction_table
    from desktop.reports.period import parse_month
    from desktop.reports.satisfaction import satisfaction_report

    report = satisfaction_report(ctx.db, _actor(args, ctx), parse_month(args.month))
    _emit(args, ctx, report.to_dict(), [satisfaction_table(report)])
    return 0


def _sessions(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.reports.export import sessions_table
    from desktop.reports.period import parse_range
    from desktop.reports.queue import session_report

    period = parse_range(args.first, args.last)
    rows = session_report(ctx.db, _actor(args, ctx), period)
    _emit(args, ctx, {"period": period.to_dict(), "sessions": [r.to_dict() for r in rows]},
          [sessions_table(rows, period.label)])
    return 0


def _monthly(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.reports.monthly_pdf import write_monthly_report
    from desktop.reports.period import parse_month

    period = parse_month(args.month)
    out = write_monthly_report(ctx.db, _actor(args, ctx), period, args.output, calendar=ctx.calendar,
                               centre=ctx.settings.unit_code)
    print(msg("Đã ghi báo cáo tháng {p} vào {o}", "Wrote the monthly report for {p} to {o}", p=period.label, o=out))
    return 0


def _rate(args: argparse.Namespace, ctx: AppContext) -> int:
    from sqlalchemy import select

    from desktop.kernel.timeutil import now_vn
    from desktop.queue.models import Ticket
    from desktop.reports.period import parse_date
    from desktop.reports.satisfaction import level_name, parse_level, rate

    level = parse_level(args.level)
    day = (parse_date(args.day, "--day") if args.day else now_vn().date()).strftime("%Y%m%d")
    actor = _actor(args, ctx)  # before the lookup: whether a ticket exists is the centre's data too
    with ctx.db.session() as s:
        tid = s.scalar(select(Ticket.id).where(Ticket.day == day, Ticket.number == args.ticket.strip().upper()))
    if tid is None:
        raise NotFound(msg("Không có số {t} trong ngày {d}.", "No ticket {t} on {d}.", t=args.ticket, d=day))
    view = rate(ctx.db, actor, tid, level, args.reason)
    print(msg("Đã ghi đánh giá “{l}” cho số {t}.", "Recorded “{l}” for ticket {t}.", l=level_name(view.level),
              t=view.ticket))
    return 0
