"""``motcua calendar``: due dates in working time, the holiday list, local overrides."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calendar", help="working-day calendar and legal due dates")
    s = p.add_subparsers(dest="calendar_command", required=True)
    due = s.add_parser("due", help="due date-time of a dossier (prints YYYY-MM-DD HH:MM)")
    due.add_argument("--received", required=True, help='reception time "YYYY-MM-DD HH:MM" (Vietnam time)')
    due.add_argument("--days", required=True, type=float, help="legal processing time in working days")
    due.set_defaults(func=_due)
    hol = s.add_parser("holidays", help="holidays, days off and swapped working days")
    hol.add_argument("--year", type=int)
    hol.add_argument("--json", action="store_true")
    hol.set_defaults(func=_holidays)
    st = s.add_parser("set", help="a local override for one day")
    st.add_argument("day", help="YYYY-MM-DD")
    st.add_argument("--kind", required=True, choices=["holiday", "off", "working"])
    st.add_argument("--name", default="")
    st.set_defaults(func=_set)
    un = s.add_parser("unset", help="remove the local override of one day")
    un.add_argument("day", help="YYYY-MM-DD")
    un.set_defaults(func=_unset)


def _due(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.kernel.errors import InvalidInput
    from desktop.workdays import parse_local_datetime

    received = parse_local_datetime(args.received)
    if args.days < 0 or args.days != args.days:
        raise InvalidInput(msg("Số ngày làm việc phải là số không âm.", "The number of working days must be >= 0."))
    due = ctx.calendar.due(received, args.days)
    assert due is not None  # only an open pause (none here) leaves the due date unknown
    print(due.strftime("%Y-%m-%d %H:%M"))
    return 0


def _holidays(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.workdays import list_days

    with ctx.db.session() as s:
        days = list_days(s, args.year)
    if args.json:
        print(json.dumps([{"day": d.day.isoformat(), "kind": d.kind, "name": d.name, "source": d.source}
                          for d in days], ensure_ascii=False, indent=1))
        return 0
    labels = {"holiday": msg("nghỉ lễ", "holiday"), "off": msg("nghỉ bù", "day off"),
              "working": msg("làm bù", "working day")}
    for d in days:
        print(f"{d.day:%Y-%m-%d} {d.day:%a}  {labels[d.kind]:<10} {d.name}  [{d.source}]")
    return 0


def _set(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.workdays import parse_day, set_local_day

    actor = officer(args, ctx, Permission.EDIT_CALENDAR)
    day = parse_day(args.day)
    with ctx.db.session() as s:
        set_local_day(s, day, args.kind, args.name, actor=actor, audit=ctx.audit)
    print(msg("Đã đặt {d}: {k}.", "Set {d}: {k}.", d=day.isoformat(), k=args.kind))
    return 0


def _unset(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.workdays import parse_day, unset_local_day

    actor = officer(args, ctx, Permission.EDIT_CALENDAR)
    day = parse_day(args.day)
    with ctx.db.session() as s:
        removed = unset_local_day(s, day, actor=actor, audit=ctx.audit)
    print(msg("Đã bỏ ghi đè ngày {d}." if removed else "Ngày {d} không có ghi đè cục bộ.",
              "Removed the override of {d}." if removed else "{d} has no local override.", d=day.isoformat()))
    return 0
