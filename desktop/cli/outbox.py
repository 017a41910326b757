"""``motcua outbox``: list, retry and drain the uploads to the dossier system."""

from __future__ import annotations

import argparse
import json

from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("outbox", help="uploads waiting for the dossier system")
    s = p.add_subparsers(dest="outbox_command", required=True)
    ls = s.add_parser("list", help="pending, in flight and parked jobs")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--all", action="store_true", help="include delivered jobs")
    ls.set_defaults(func=_list)
    r = s.add_parser("retry", help="retry a parked job now")
    r.add_argument("id", type=int)
    r.set_defaults(func=_retry)
    d = s.add_parser("drain", help="deliver every due job")
    d.add_argument("--timeout", type=float, help="stop after this many seconds")
    d.set_defaults(func=_drain)


def _list(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    officer(args, ctx, Permission.UPLOAD)
    states = ("pending", "in_flight", "parked", "done") if args.all else ("pending", "in_flight", "parked")
    jobs = ctx.outbox.jobs(states)
    if args.json:
        print(json.dumps([j.to_dict() for j in jobs], ensure_ascii=False, indent=1))
        return 0
    for j in jobs:
        print(f"{j.id:>6} {j.state:<9} {j.kind:<8} {j.dossier_code:<28} {j.attempts:>2}  {j.last_error[:80]}")
    print(msg("{n} việc.", "{n} job(s).", n=len(jobs)))
    return 0


def _retry(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.cli._signin import officer

    ctx.outbox.retry(officer(args, ctx), args.id)
    print(msg("Việc {i} sẽ được gửi lại.", "Job {i} will be sent again.", i=args.id))
    return 0


def _drain(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.cli._signin import officer

    r = ctx.outbox.drain(officer(args, ctx), timeout=args.timeout)
    print(msg("Đã gửi {d}, lỗi {f}; còn chờ {p}, tạm dừng {k}.", "Delivered {d}, failed {f}; pending {p}, parked {k}.",
              d=r["delivered"], f=r["failed"], p=r.get("pending", 0) + r.get("in_flight", 0), k=r.get("parked", 0)))
    return 0 if not r.get("parked") else 1
