"""``motcua audit``: verify the hash chain of the audit log (and a head printed on paper), list events."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import iso_vn

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="audit log: verify the chain, list events")
    s = p.add_subparsers(dest="audit_command", required=True)
    v = s.add_parser("verify", help="exit 0 if the chain is intact, 1 naming each edited or deleted row")
    v.add_argument("--offline", action="store_true", help="do not ask the dossier system for its anchor")
    v.add_argument("--head", metavar="SEQ:FINGERPRINT",
                   help="also check that the chain still holds this head, as printed on a register, report or "
                        "self-test (e.g. 1234:9f86d081884c7d65)")
    v.set_defaults(func=_verify)
    a = s.add_parser("anchor", help="send the chain head to the dossier system now (also done hourly by the outbox)")
    a.add_argument("--no-drain", action="store_true", help="only queue it")
    a.set_defaults(func=_anchor)
    ls = s.add_parser("list", help="the newest events")
    ls.add_argument("--limit", type=int, default=50)
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--citizen", metavar="ID_NUMBER",
                    help="only the events about this citizen (found by the keyed reference the log keeps "
                         "instead of the number): who looked at their data")
    ls.set_defaults(func=_list)


def _verify(args: argparse.Namespace, ctx: AppContext) -> int:
    from sqlalchemy import func, select

    from desktop.audit import parse_head
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.db.models import AuditEvent

    printed = parse_head(args.head) if args.head else None  # a typing mistake is said before anything else
    # Checked before the sign-in writes its own audit record: a new, properly keyed event
    # on top of a truncated log would re-key the head and hide the cut.
    anchors = [a for a in [ctx.outbox.local_anchor()] if a] if args.offline else ctx.outbox.anchors()
    with ctx.db.session() as s:
        problems = ctx.audit.verify(s, anchors)
        if printed is not None:
            problems += ctx.audit.verify_head(s, *printed)
        count = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
    officer(args, ctx, Permission.VIEW_REPORTS)  # then the result is shown to a supervisor only
    if not problems:
        print(msg("Nhật ký kiểm toán nguyên vẹn: {n} sự kiện.", "Audit log intact: {n} events.", n=count))
        if printed is not None:
            print(msg("Chuỗi vẫn chứa đầu chuỗi in trên giấy #{s}:{f}.",
                      "The chain still holds the printed head #{s}:{f}.", s=printed[0], f=printed[1]))
        newest = max(anchors, key=lambda a: a.seq, default=None)
        print(msg("Đối chiếu với mốc #{s} ({w}).", "Checked against the anchor #{s} ({w}).", s=newest.seq,
                  w=newest.source) if newest else
              msg("Chưa có mốc nào ngoài máy trạm: chạy “motcua audit anchor”.",
                  "No anchor outside the workstation yet: run “motcua audit anchor”."))
        return 0
    print(msg("Nhật ký kiểm toán đã bị thay đổi ({n} vấn đề):", "The audit log was tampered with ({n} problems):",
              n=len(problems)))
    for p in problems:
        print(f"  {p}")
    return 1


def head_line(ctx: AppContext) -> str:
    """The chain head as printed on reports: a supervisor can compare it with the dossier system's."""
    from desktop.audit import read_stamp

    return read_stamp(ctx.db).line()


def _anchor(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.UPLOAD)
    seq = ctx.outbox.queue_anchor()
    print(head_line(ctx))
    if not args.no_drain:
        ctx.outbox.drain(actor, timeout=60)
    anchor = ctx.outbox.local_anchor()
    if anchor is not None and (seq is None or anchor.seq >= seq):
        print(msg("Mốc #{s} đã ở hệ thống hồ sơ.", "Anchor #{s} is at the dossier system.", s=anchor.seq))
        return 0
    print(msg("Mốc đang chờ gửi trong hàng đợi.", "The anchor waits in the outbox."))
    return 1


def _list(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.VIEW_REPORTS)
    with ctx.db.session() as s:
        events = ctx.audit.citizen_events(s, args.citizen, args.limit) if args.citizen else \
            ctx.audit.recent(s, args.limit)
        rows = [
            {"seq": e.seq, "at": iso_vn(e.at), "actor": e.actor, "action": e.action,
             "entity": f"{e.entity_type}:{e.entity_id}", "data": e.data}
            for e in events
        ]
        if args.citizen:  # looking up a citizen's events is a look-up of that citizen too
            ctx.audit.record(s, actor=actor.audit_name, action="audit.citizen_list", entity_type="citizen",
                             entity_id=ctx.audit.citizen_ref(args.citizen), data={"found": len(rows)})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        if args.citizen:
            print(msg("Công dân {r}: {n} sự kiện.", "Citizen {r}: {n} events.", r=ctx.audit.citizen_ref(args.citizen),
                      n=len(rows)))
        for r in rows:
            print(f"{r['seq']:>6}  {r['at']}  {r['actor']:<16} {r['action']:<22} {r['entity']}")
    return 0
