"""``motcua dossier``: the headless path of the counter (also for batches of old results)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.kernel.errors import InvalidInput, require_readable_file
from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dossier", help="receive dossiers and attach their files")
    s = p.add_subparsers(dest="dossier_command", required=True)
    sb = s.add_parser("submit", help="record a dossier, attach files, queue the upload; prints the code")
    sb.add_argument("--procedure", required=True)
    sb.add_argument("--owner", required=True)
    sb.add_argument("--id-number", default="")
    sb.add_argument("--channel", type=int, default=1, choices=[1, 2, 3])
    sb.add_argument("--file", action="append", default=[], metavar="COMPONENT=PATH")
    sb.set_defaults(func=_submit)
    sh = s.add_parser("show", help="one dossier with its files")
    sh.add_argument("code")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=_show)
    se = s.add_parser("search", help="digitized files whose OCR text has these words (diacritics ignored)")
    se.add_argument("words", nargs="+")
    se.add_argument("--limit", type=int, default=50)
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=_search)


def _submit(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.RECEIVE_DOSSIER)
    files = []
    for spec in args.file:
        component, sep, path = spec.partition("=")
        if not sep or not component or not path:
            raise InvalidInput(msg("“{s}” phải có dạng THÀNH_PHẦN=ĐƯỜNG_DẪN.", "“{s}” must be COMPONENT=PATH.", s=spec))
        require_readable_file(path)
        files.append((component, Path(path)))
    d = ctx.dossiers.receive(actor, procedure_code=args.procedure, applicant_name=args.owner,
                             applicant_id_number=args.id_number, channel=args.channel)
    for component, path in files:
        ctx.dossiers.attach_file(actor, d.code, path, component=component)
    print(d.code)
    return 0


def _show(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    officer(args, ctx, Permission.RECEIVE_DOSSIER)  # the citizen's name and ID number
    d = ctx.dossiers.get(args.code)
    files = ctx.dossiers.files(args.code)
    if args.json:
        print(json.dumps({**d.to_dict(), "files": [f.__dict__ for f in files]}, ensure_ascii=False, indent=1))
        return 0
    for k, v in d.to_dict().items():
        if k != "components":
            print(f"{k:<20} {v}")
    for f in files:
        print(f"  {f.component_code or '-':<8} {f.filename} {f.sha256[:12]} {f.signature_state}")
    return 0


def _search(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    officer(args, ctx, Permission.RECEIVE_DOSSIER)  # OCR text of citizens' papers
    hits = ctx.dossiers.search_text(" ".join(args.words), limit=args.limit)
    if args.json:
        print(json.dumps([{**f.__dict__, "snippet": snip} for f, snip in hits], ensure_ascii=False, indent=1))
    for f, snip in [] if args.json else hits:
        print(f"{f.dossier_code}  {f.component_code or '-':<8} {f.filename}  …{snip}…")
    if not hits and not args.json:
        print(msg("Không tìm thấy.", "Nothing found."))
    return 0 if hits else 1
