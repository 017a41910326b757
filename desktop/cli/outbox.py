"""``motcua outbox``: list, retry and drain the uploads to the dossier system."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


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
    d = s.add_parser("drain", help="work until the outbox is empty (exit 0) or the timeout passes (exit 1, with reasons)")
    d.add_argument("--timeout", type=float, default=600.0, help="give up after this many seconds (default 600)")
    d.add_argument("--once", action="store_true", help="a single pass over the jobs due now")
    d.set_defaults(func=_drain)


def _list(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.outbox.models import OutboxState as S

    officer(args, ctx, Permission.UPLOAD)
    states = (S.PENDING, S.IN_FLIGHT, S.UNCONFIGURED, S.PARKED) + ((S.DONE,) if args.all else ())
    jobs = ctx.outbox.jobs(states)
    if args.json:
        print(json.dumps([j.to_dict() for j in jobs], ensure_ascii=False, indent=1))
        return 0
    for j in jobs:
        # a notice held for the configuration says so in the user's language, with what to set
        why = j.reason() if j.state == S.UNCONFIGURED else j.last_error
        print(f"{j.id:>6} {j.state:<12} {j.kind:<8} {j.dossier_code:<28} {j.attempts:>2}  {why[:160]}")
    print(msg("{n} việc.", "{n} job(s).", n=len(jobs)))
    return 0


def _retry(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.cli._signin import officer

    ctx.outbox.retry(officer(args, ctx), args.id)
    print(msg("Việc {i} sẽ được gửi lại.", "Job {i} will be sent again.", i=args.id))
    return 0


def _drain(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.cli._interrupt import stop_on_interrupt
    from desktop.cli._signin import officer
    from desktop.outbox.models import OutboxState as S
    from desktop.outbox.service import DrainReport

    actor = officer(args, ctx)
    # it may wait for backoffs up to --timeout (600 s): a script's background drain stops on kill -INT;
    # a job cut mid-upload keeps its lease and is taken over by the next uploader (the holder is gone)
    stop_on_interrupt()
    if args.once:
        r = ctx.outbox.drain(actor, timeout=args.timeout)
        report = DrainReport(r["delivered"], r["failed"], ctx.outbox.counts(), ctx.outbox.jobs())
    else:
        report = ctx.outbox.drain_until_empty(actor, args.timeout)
    c = report.counts
    print(msg("Đã gửi {d}, lỗi {f}; còn chờ {p}, tạm dừng {k}.", "Delivered {d}, failed {f}; pending {p}, parked {k}.",
              d=report.delivered, f=report.failed, p=c.get(S.PENDING, 0) + c.get(S.IN_FLIGHT, 0), k=c.get(S.PARKED, 0)))
    if c.get(S.WAITING):  # not the uploader's to send: the officer signs them (motcua dossier sign CODE)
        print(msg("{w} bản số hóa chờ ký số trước khi gửi (motcua dossier sign MÃ_HỒ_SƠ).",
                  "{w} digitized copies wait for their signature before upload (motcua dossier sign CODE).",
                  w=c[S.WAITING]))
    if c.get(S.UNCONFIGURED):  # nor these: they go by themselves once the mail server (SMS gateway) is set
        print(msg("{n} thông báo cho công dân chờ cấu hình máy chủ thư hoặc cổng SMS (motcua outbox list cho lý do).",
                  "{n} notice(s) to citizens wait for the mail server or SMS gateway to be configured (motcua outbox "
                  "list says why).", n=c[S.UNCONFIGURED]))
    if report.empty:
        return 0
    for j in report.left[:20]:
        print(f"  {j.id:>6} {j.kind:<8} {j.dossier_code or '-':<28} {j.reason()[:160]}")
    if len(report.left) > 20:
        print(msg("  … và {n} việc khác", "  … and {n} more", n=len(report.left) - 20))
    return 1
