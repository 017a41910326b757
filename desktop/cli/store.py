"""``motcua store``: the document store of a citizen or an organisation (each look-up audited with its reason)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("store", help="the citizen's document store: what was digitized and signed once")
    s = p.add_subparsers(dest="store_cmd", required=True)
    ls = s.add_parser("list", help="a citizen's or an organisation's stored, still-valid documents (the look-up "
                                   "is audited); columns: id, type, name, number, issuer, issued on, valid until, "
                                   "state, dossier")
    who = ls.add_mutually_exclusive_group(required=True)
    who.add_argument("--id-number", help="the citizen's ID number (CCCD): their own documents")
    who.add_argument("--tax-code", help="the organisation's tax code (10 digits, or 10-3 for a branch): the "
                                        "documents of its dossiers")
    ls.add_argument("--why", default="", help="the reason recorded in the audit (default: a command-line look-up)")
    ls.add_argument("--all", action="store_true", help="include expired documents")
    ls.add_argument("--national", action="store_true",
                    help="look in the dossier system's national store instead, expired documents marked (reuse "
                         "with motcua dossier reuse CODE --component C --national-document ID)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)


def _list(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.kernel.i18n import msg

    actor = officer(args, ctx, Permission.RECEIVE_DOSSIER)
    why = args.why or msg("tra cứu bằng dòng lệnh", "command-line look-up")
    if args.tax_code is not None:
        if args.national:  # the national store's contract is per citizen
            print(msg("Kho dữ liệu quốc gia chỉ tra cứu theo số định danh của công dân.",
                      "The national store is looked up by a citizen's ID number only."), file=sys.stderr)
            return 2
        docs = ctx.store.list_for_organisation(actor, args.tax_code, why=why, include_expired=args.all)
    elif args.national:
        docs, reason = ctx.store.list_national(actor, args.id_number, why=why)
        if reason:  # not reachable, or none offered: said, and nothing listed
            print(reason, file=sys.stderr)
            if not args.json:
                return 1
    else:
        docs = ctx.store.list_for(actor, args.id_number, why=why, include_expired=args.all)
    if args.json:
        print(json.dumps([d.to_dict() for d in docs], ensure_ascii=False, indent=2))
        return 0
    if not docs:
        print(msg("Không có tài liệu còn hiệu lực trong kho.", "No still-valid document in the store."))
    for d in docs:
        issued = d.issued_on.strftime("%d/%m/%Y") if d.issued_on else "-"
        until = d.valid_until.strftime("%d/%m/%Y") if d.valid_until else msg("không thời hạn", "no end date")
        # an expired document is listed so the officer can tell the citizen why it is not reused
        state = msg("HẾT HIỆU LỰC, không dùng lại", "EXPIRED, not reusable") if d.expired else \
            msg("còn hiệu lực", "valid")
        print(f"{d.national_id or d.id}\t{d.doc_type}\t{d.doc_name}\t{d.number or '-'}\t{d.issuer or '-'}\t{issued}"
              f"\t{until}\t{state}\t{d.source_dossier}")
    return 0
