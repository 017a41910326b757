"""``motcua forms``: the seven forms of Circular 03/2025 — list, render one for a dossier, the register."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forms", help="forms 01–07 of Circular 03/2025: list, render, register")
    s = p.add_subparsers(dest="forms_command", required=True)
    ls = s.add_parser("list", help="forms with the template version in use (the administrator's, if any)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    rd = s.add_parser("render", help="render form N (01–06) for a dossier; prints the path")
    rd.add_argument("number")
    rd.add_argument("--dossier", required=True)
    rd.add_argument("-o", "--output", required=True, type=Path)
    rd.add_argument("--sign", action="store_true",
                    help="sign the electronic form with the organization's token (seal profile), then verify it")
    from desktop.cli.sign import add_token_options

    add_token_options(rd, profile="seal")
    rd.set_defaults(func=_render)
    rg = s.add_parser("register", help="form 07, the dossier register, as .pdf or .xlsx; prints the path")
    rg.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    rg.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    rg.add_argument("--unit", help="unit code (default: every unit)")
    rg.add_argument("--status", type=int, choices=range(1, 11), metavar="N")
    rg.add_argument("-o", "--output", required=True, type=Path)
    rg.set_defaults(func=_register)


def _list(args: argparse.Namespace, ctx: Any) -> int:
    forms = ctx.forms.list()
    if args.json:
        print(json.dumps(forms, ensure_ascii=False, indent=1))
        return 0
    for f in forms:
        print(f"{f['number']}  {f['paper']}  {f['version']:<8} {f['effective_date']}  {f['source']:<8} {f['name']}")
    return 0


def _render(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.RECEIVE_DOSSIER)  # a form carries the citizen's data
    seal = None
    if args.sign:
        from desktop.cli.sign import token_choice
        from desktop.workflow.form_desk import Seal
        from signing.pin_policy import default_failures

        choice, pin = token_choice(args, ctx)
        seal = Seal(choice, pin, profile=args.profile, failures=default_failures(ctx.settings.data_dir),
                    confirm_final_try=args.confirm_final_try)
    r = ctx.form_desk.issue(actor, args.number, args.dossier, out=args.output, seal=seal)
    if r.fallback_reason:
        print(msg("Mẫu của quản trị viên lỗi, dùng mẫu có sẵn: {e}",
                  "The administrator's template is broken, the built-in one was used: {e}", e=r.fallback_reason))
    from desktop.cli.dossier import _print_notices

    _print_notices(r.notices)
    print(r.path)
    return 0


def _register(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.RECEIVE_DOSSIER)  # the register lists citizens
    from desktop.workdays import parse_day

    print(ctx.form_desk.register(actor, parse_day(args.date_from), parse_day(args.date_to), args.output,
                                 unit_code=args.unit, status=args.status))
    return 0
