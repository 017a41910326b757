"""``motcua queue``: issue and call tickets, end a service, counter sessions, the queue's figures.

``issue`` and ``call-next`` print the ticket number (e.g. ``A012``) as their last line.
``status --json`` prints ``{"services": [...], "counters": [...]}``; each counter has its
session state and today's open/paused/busy/idle seconds and tickets served.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from desktop.kernel.i18n import msg
from desktop.queue.priority import Priority

if TYPE_CHECKING:
    from desktop.auth import Actor
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queue", help="queue tickets and counters")
    s = p.add_subparsers(dest="queue_command", required=True)
    i = s.add_parser("issue", help="issue a ticket")
    i.add_argument("--service", required=True)
    i.add_argument("--priority", default=Priority.WALK_IN.value, choices=[p.value for p in Priority])
    i.set_defaults(func=_issue)
    for name, helptext in (("call-next", "call the next ticket to a counter"), ("start", "start serving"),
                           ("end", "end the current service"), ("skip", "the called citizen did not come")):
        c = s.add_parser(name, help=helptext)
        c.add_argument("--counter", required=True, type=int)
        if name == "end":
            c.add_argument("--dossier", default="", help="dossier code received during the visit")
        c.set_defaults(func=_counter_action, action=name)
    r = s.add_parser("recall", help="call a ticket again (also a no-show)")
    r.add_argument("ticket")
    r.add_argument("--counter", required=True, type=int)
    r.set_defaults(func=_recall)
    t = s.add_parser("transfer", help="send the current ticket to another service")
    t.add_argument("--counter", required=True, type=int)
    t.add_argument("--service", required=True)
    t.set_defaults(func=_transfer)
    ia = s.add_parser("import-appointments", help="import online bookings (CSV or JSON: code, service, slot, name, phone)")
    ia.add_argument("file")
    ia.set_defaults(func=_import)
    ci = s.add_parser("check-in", help="a booked citizen arrives: issue the ticket (ahead of walk-ins if on time)")
    ci.add_argument("code")
    ci.set_defaults(func=_check_in)
    se = s.add_parser("session", help="an officer signs in at a counter, pauses, resumes, signs out")
    se.add_argument("session_action", choices=["open", "pause", "resume", "close"])
    se.add_argument("--counter", required=True, type=int)
    se.add_argument("--officer", default=None, help="login of the officer (open; default: whoever runs it)")
    se.add_argument("--reason", default="", help="why the counter pauses (pause: required)")
    se.set_defaults(func=_session)
    st = s.add_parser("status", help="waiting per service, longest wait, served today, averages")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=_status)


def _actor(args: argparse.Namespace, ctx: AppContext) -> Actor:
    from desktop.cli._signin import officer

    return officer(args, ctx)  # each queue service checks its own permission


def _issue(args: argparse.Namespace, ctx: AppContext) -> int:
    t = ctx.queue.issue(_actor(args, ctx), args.service, args.priority)
    print(msg("Dịch vụ {s}; {a} người đang chờ trước.", "Service {s}; {a} waiting ahead.", s=t.service, a=t.ahead))
    print(t.number)
    return 0


def _counter_action(args: argparse.Namespace, ctx: AppContext) -> int:
    q, actor = ctx.queue, _actor(args, ctx)
    if args.action == "call-next":
        t = q.call_next(actor, args.counter)
        if t is None:
            print(msg("Không còn ai chờ cho quầy {n}.", "Nobody is waiting for counter {n}.", n=args.counter))
            return 1
        print(msg("Mời công dân số {t} đến quầy số {n}", "Ticket {t} to counter {n}", t=t.number, n=args.counter))
    elif args.action == "start":
        t = q.start(actor, args.counter)
    elif args.action == "end":
        t = q.end(actor, args.counter, args.dossier)
    else:
        t = q.skip(actor, args.counter)
    print(t.number)
    return 0


def _recall(args: argparse.Namespace, ctx: AppContext) -> int:
    print(ctx.queue.recall(_actor(args, ctx), args.ticket, args.counter).number)
    return 0


def _transfer(args: argparse.Namespace, ctx: AppContext) -> int:
    print(ctx.queue.transfer(_actor(args, ctx), args.counter, args.service).number)
    return 0


def _import(args: argparse.Namespace, ctx: AppContext) -> int:
    from pathlib import Path

    from desktop.queue.appointments import import_appointments

    n = import_appointments(ctx.queue, _actor(args, ctx), Path(args.file))
    print(msg("Đã nhập {n} lịch hẹn mới.", "Imported {n} new appointment(s).", n=n))
    return 0


def _check_in(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.queue.appointments import check_in

    r = check_in(ctx.queue, _actor(args, ctx), args.code)
    if not r.on_time:
        print(msg("Không đúng khung giờ hẹn: xếp hàng như khách vãng lai.", "Outside the booked slot: queued as a walk-in."))
    print(r.ticket.number)
    return 0


def _session(args: argparse.Namespace, ctx: AppContext) -> int:
    q, actor, n = ctx.queue, _actor(args, ctx), args.counter
    if args.session_action == "open":
        v = q.open_session(actor, n, args.officer)
        print(msg("Quầy {n}: đã mở phiên làm việc{o}.", "Counter {n}: session opened{o}.", n=n,
                  o=f" ({v.officer})" if v.officer else ""))
    elif args.session_action == "pause":
        q.pause_session(actor, n, args.reason)
        print(msg("Quầy {n}: tạm dừng ({r}).", "Counter {n}: paused ({r}).", n=n, r=" ".join(args.reason.split())))
    elif args.session_action == "resume":
        q.resume_session(actor, n)
        print(msg("Quầy {n}: tiếp tục phục vụ.", "Counter {n}: resumed.", n=n))
    else:
        q.close_session(actor, n)
        print(msg("Quầy {n}: đã đóng phiên làm việc.", "Counter {n}: session closed.", n=n))
    return 0


def _fmt(seconds: int | None) -> str:
    return "-" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"


def _status(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.queue.figures import status_dicts

    officer(args, ctx, Permission.VIEW_QUEUE)  # counters show who serves
    rows = ctx.queue.status()
    counters = ctx.queue.counter_figures()
    if args.json:
        print(json.dumps({"services": status_dicts(rows), "counters": [asdict(c) for c in counters]},
                         ensure_ascii=False, indent=1))
        return 0
    print(f"{msg('Dịch vụ', 'Service'):<40}{msg('Chờ', 'Wait.'):>6}{msg('Lâu nhất', 'Longest'):>10}"
          f"{msg('Đã phục vụ', 'Served'):>12}{msg('TB chờ', 'Avg wait'):>10}{msg('TB phục vụ', 'Avg serv.'):>12}")
    for r in rows:
        print(f"{(r.code + ' ' + r.name)[:39]:<40}{r.waiting:>6}{_fmt(r.longest_wait_s):>10}{r.served_today:>12}"
              f"{_fmt(r.avg_wait_s):>10}{_fmt(r.avg_service_s):>12}")
    print()
    print(f"{msg('Quầy', 'Counter'):<30}{msg('Trạng thái', 'State'):>12}{msg('Mở', 'Open'):>9}"
          f"{msg('Tạm dừng', 'Paused'):>10}{msg('Rảnh', 'Idle'):>9}{msg('Đã phục vụ', 'Served'):>12}")
    states = {"open": msg("mở", "open"), "paused": msg("tạm dừng", "paused"), "closed": msg("đóng", "closed")}
    for c in counters:
        who = f"{c.name} ({c.officer})" if c.officer else c.name
        print(f"{who[:29]:<30}{states.get(c.state, c.state):>12}{_fmt(c.open_s):>9}{_fmt(c.paused_s):>10}"
              f"{_fmt(c.idle_s):>9}{c.served:>12}")
    return 0
