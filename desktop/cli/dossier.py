"""``motcua dossier``: the headless path of the counter (also for batches of old results)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.kernel.errors import InvalidInput
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
    sg = s.add_parser("sign", help="sign every digitized copy of the dossier not yet signed (in place), verify "
                                   "and record each; their uploads then go")
    sg.add_argument("code")
    from desktop.cli.sign import add_token_options

    add_token_options(sg)
    sg.add_argument("--json", action="store_true", help="print the outcome per file as JSON")
    sg.set_defaults(func=_sign)
    se = s.add_parser("search", help="digitized files whose OCR text has these words (diacritics ignored)")
    se.add_argument("words", nargs="+")
    se.add_argument("--limit", type=int, default=50)
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=_search)


def _submit(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.auth import Actor

    files = []
    for spec in args.file:
        component, sep, path = spec.partition("=")
        if not sep or not component or not path:
            raise InvalidInput(msg("“{s}” phải có dạng THÀNH_PHẦN=ĐƯỜNG_DẪN.", "“{s}” must be COMPONENT=PATH.", s=spec))
        if not Path(path).is_file():
            raise InvalidInput(msg("Không tìm thấy tệp {p}.", "File {p} not found.", p=path))
        files.append((component, Path(path)))
    actor = Actor.cli()
    d = ctx.dossiers.receive(actor, procedure_code=args.procedure, applicant_name=args.owner,
                             applicant_id_number=args.id_number, channel=args.channel)
    for component, path in files:
        ctx.dossiers.attach_file(actor, d.code, path, component=component)
    print(d.code)
    return 0


def _show(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
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


def _sign(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    import sys

    from desktop.auth import Actor
    from desktop.cli.sign import token_choice
    from signing.pin_policy import default_failures

    todo = ctx.counter.files_to_sign(args.code)  # NotFound for a wrong code, before asking a PIN
    if not todo:
        print(msg("Hồ sơ {c} không còn bản số hóa nào chưa ký.", "Dossier {c} has no unsigned digitized copy left.",
                  c=args.code))
        return 0
    choice, pin = token_choice(args, ctx)

    def progress(done: int, total: int, message: str = "") -> None:
        if not args.json:
            print(f"[{done}/{total}] {message}", file=sys.stderr)

    done = ctx.counter.sign_dossier(Actor.cli(), args.code, choice, pin, profile=args.profile,
                                    failures=default_failures(ctx.settings.data_dir),
                                    confirm_final_try=args.confirm_final_try, progress=progress)
    del pin
    if args.json:
        print(json.dumps([{"file_id": o.file_id, "filename": o.filename, "state": o.state.value, "error": o.error,
                           "problems": o.problems} for o in done.outcomes], ensure_ascii=False, indent=1))
    else:
        for o in done.outcomes:
            if o.state == "verified":
                print(msg("Đã ký và kiểm tra: {f}", "Signed and verified: {f}", f=o.filename))
            elif o.state == "invalid":
                print(msg("Đã ký nhưng chữ ký KHÔNG hợp lệ: {f} ({p})", "Signed but the signature is NOT valid: {f} ({p})",
                          f=o.filename, p="; ".join(o.problems)), file=sys.stderr)
            else:
                print(msg("Chưa ký: {f} {e}", "Left unsigned: {f} {e}", f=o.filename, e=o.error), file=sys.stderr)
        if done.result.error:
            print(msg("Lỗi: {m}", "Error: {m}", m=done.result.error), file=sys.stderr)
    return 0 if done.ok else 1


def _search(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    hits = ctx.dossiers.search_text(" ".join(args.words), limit=args.limit)
    if args.json:
        print(json.dumps([{**f.__dict__, "snippet": snip} for f, snip in hits], ensure_ascii=False, indent=1))
    for f, snip in [] if args.json else hits:
        print(f"{f.dossier_code}  {f.component_code or '-':<8} {f.filename}  …{snip}…")
    if not hits and not args.json:
        print(msg("Không tìm thấy.", "Nothing found."))
    return 0 if hits else 1
