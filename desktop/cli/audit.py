"""``motcua audit``: verify the hash chain of the audit log, show recent events."""

from __future__ import annotations

import argparse
import json

from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import iso_vn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="audit log: verify the chain, list events")
    s = p.add_subparsers(dest="audit_command", required=True)
    v = s.add_parser("verify", help="exit 0 if the chain is intact, 1 naming each edited or deleted row")
    v.set_defaults(func=_verify)
    ls = s.add_parser("list", help="the newest events")
    ls.add_argument("--limit", type=int, default=50)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)


def _verify(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    officer(args, ctx, Permission.VIEW_REPORTS)
    with ctx.db.session() as s:
        problems = ctx.audit.verify(s)
        from sqlalchemy import func, select

        from desktop.db.models import AuditEvent

        count = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
    if not problems:
        print(msg("Nhật ký kiểm toán nguyên vẹn: {n} sự kiện.", "Audit log intact: {n} events.", n=count))
        return 0
    print(msg("Nhật ký kiểm toán đã bị thay đổi ({n} vấn đề):", "The audit log was tampered with ({n} problems):",
              n=len(problems)))
    for p in problems:
        print(f"  {p}")
    return 1


def _list(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    officer(args, ctx, Permission.VIEW_REPORTS)
    with ctx.db.session() as s:
        rows = [
            {"seq": e.seq, "at": iso_vn(e.at), "actor": e.actor, "action": e.action,
             "entity": f"{e.entity_type}:{e.entity_id}", "data": e.data}
            for e in ctx.audit.recent(s, args.limit)
        ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r['seq']:>6}  {r['at']}  {r['actor']:<16} {r['action']:<22} {r['entity']}")
    return 0
