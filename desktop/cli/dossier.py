"""``motcua dossier``: reception and the whole life of a dossier from the command line.

Every lifecycle command goes through :class:`desktop.lifecycle.service.LifecycleService`,
so the same checks apply as at the counter: a wrong state or a wrong person ends with a
non-zero exit and the reason. Commands that produce a form print its path as their last
line. Each runs as the officer signed in on the command line (``--user`` or
``motcua login``), with that officer's role.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.kernel.errors import InvalidInput, require_readable_file
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn

if TYPE_CHECKING:
    from desktop.context import AppContext


def _form_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, help="where to write the form (default: data dir/forms/issued/CODE/)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dossier", help="receive dossiers, follow their lifecycle, return results")
    s = p.add_subparsers(dest="dossier_command", required=True)
    sb = s.add_parser("submit", help="record a dossier, attach files, queue the upload; prints the code")
    sb.add_argument("--procedure", required=True)
    sb.add_argument("--owner", required=True)
    sb.add_argument("--id-number", default="")
    sb.add_argument("--channel", type=int, default=1, choices=[1, 2, 3])
    sb.add_argument("--file", action="append", default=[], metavar="COMPONENT=PATH")
    sb.add_argument("--postal-address", default="", help="where the result is to be posted (channel 3)")
    sb.add_argument("--phone", default="")
    sb.add_argument("--email", default="", help="the citizen's e-mail: forms such as 04 are sent to it")
    sb.add_argument("--tax-code", default="", help="the organisation the applicant acts for: its tax code (10 "
                                                   "digits, or 10-3 for a branch); its documents go to its store")
    sb.add_argument("--organisation", default="", help="that organisation's name (with --tax-code)")
    sb.set_defaults(func=_submit)

    ls = s.add_parser("list", help="dossiers, by status; --late: late against the legal due date")
    ls.add_argument("--status", type=int, choices=range(1, 11), metavar="N")
    ls.add_argument("--late", action="store_true")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)

    sh = s.add_parser("show", help="one dossier: status, due date, history, components and files")
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

    ru = s.add_parser("reuse", help="fill a component from the citizen's document store (no new scan); the "
                                    "stored signature is verified again first")
    ru.add_argument("code")
    ru.add_argument("--component", required=True, help="the component's code (or name)")
    which = ru.add_mutually_exclusive_group(required=True)
    which.add_argument("--document", type=int, help="the stored document's id (motcua store list)")
    which.add_argument("--national-document", metavar="ID",
                       help="a document of the dossier system's national store (motcua store list --national): "
                            "downloaded, its hash and signature checked, kept in the local store")
    ru.set_defaults(func=_reuse)

    se = s.add_parser("search", help="digitized files whose OCR text has these words (diacritics ignored)")
    se.add_argument("words", nargs="+")
    se.add_argument("--limit", type=int, default=50)
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=_search)

    def cmd(name: str, help_: str, func: Any, *, reason: bool = False, form: bool = False) -> argparse.ArgumentParser:
        c = s.add_parser(name, help=help_)
        c.add_argument("code")
        if reason:
            c.add_argument("--reason", default="", help="the reason (required)")
        if form:
            _form_option(c)
        c.set_defaults(func=func)
        return c

    sp = cmd("supplement", "request a supplement (form 02); the clock stops", _supplement, reason=True, form=True)
    sp.add_argument("--component", action="append", default=[], metavar="C", help="component to supplement")
    cmd("resume", "the complete dossier is back; the remaining working time continues", _resume)
    pr = cmd("process", "send for processing (first row of the control sheet, form 06)", _process, form=True)
    pr.add_argument("--to", default="", help="who receives the dossier")
    pr.add_argument("--department", default="", help="processing department")
    pr.add_argument("--hours", type=float, help="working hours allotted to the step")
    ho = cmd("handoff", "hand the dossier on during processing (a row of the control sheet, form 06)", _handoff,
             form=True)
    ho.add_argument("--to", required=True, help="who receives the dossier")
    ho.add_argument("--department", required=True, help="the receiver's department or agency")
    ho.add_argument("--hours", type=float, help="working hours allotted to the step")
    ho.add_argument("--note", default="", help="what the receiver is to do")
    cmd("refuse", "refuse to receive (form 03)", _refuse, reason=True, form=True)
    ex = cmd("extend", "apologize and set a new due date (form 04)", _extend, reason=True, form=True)
    ex.add_argument("--new-due", required=True, metavar="YYYY-MM-DD HH:MM")
    cmd("stop", "stop processing (form 05)", _stop, reason=True, form=True)
    cmd("withdraw", "the citizen withdraws the dossier", _withdraw)
    fe = cmd("fee", "record the payment of the dossier's fees", _fee)
    fe.add_argument("--paid", action="store_true", required=True)
    fe.add_argument("--method", required=True, choices=["cash", "transfer", "online"])
    fe.add_argument("--receipt", default="", help="receipt reference (e-receipt number)")
    rs = cmd("result", "attach the result PDF, sealed with the organization's token and verified", _result)
    rs.add_argument("--file", required=True, type=Path)
    rs.add_argument("--digitized", action="store_true", help="a paper result digitized (default: electronic)")
    rs.add_argument("--not-reusable", action="store_true")
    rs.add_argument("--valid-until", metavar="YYYY-MM-DD|none",
                    help="the last day the result is valid, or none for no end date (default: the catalogue's "
                         "result_valid_months for the procedure, else no end date); it goes into the result's QR "
                         "code and the citizen's store")
    add_token_options(rs, profile="seal")
    rt = cmd("return", "return the result: at the counter (ID checked), by post or online", _return)
    rt.add_argument("--id-number", default="", help="the recipient's CCCD number (counter)")
    rt.add_argument("--name", default="", help="the recipient's name, if a proxy")
    rt.add_argument("--proxy-file", type=Path, nargs="+", metavar="FILE",
                    help="the proxy's authorization letter: its PDF, or photos/scans of its pages (digitized first)")
    rt.add_argument("--channel", default="counter", choices=["counter", "post", "online"])
    no = s.add_parser("notify", help="send an issued form (01-05) to the citizen by e-mail, and SMS where a "
                                     "gateway is configured; queued in the outbox (form 04 goes by itself)")
    no.add_argument("code")
    no.add_argument("--form", required=True, metavar="NN", help="the form's number (01 … 05)")
    no.set_defaults(func=_notify)
    po = s.add_parser("post", help="the postal agent's list: print it, record waybills and deliveries")
    ps = po.add_subparsers(dest="post_command", required=True)
    pl = ps.add_parser("list", help="dossiers handed to the post (printable with -o LIST.pdf)")
    pl.add_argument("--handover", help="one handover list number (BD-YYMMDD)")
    pl.add_argument("-o", "--output", type=Path)
    pl.add_argument("--json", action="store_true")
    pl.set_defaults(func=_post_list)
    pst = ps.add_parser("sent", help="the post took the result: its waybill number")
    pst.add_argument("code")
    pst.add_argument("--waybill", required=True)
    pst.set_defaults(func=_post_sent)
    pdl = ps.add_parser("delivered", help="the post delivered the result (status 10)")
    pdl.add_argument("code")
    pdl.set_defaults(func=_post_delivered)


def _reuse(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.SCAN)
    if args.national_document:
        file_id = ctx.store.reuse_national(actor, args.code, args.component, args.national_document)
    else:
        file_id = ctx.store.reuse(actor, args.code, args.component, args.document)
    print(msg("Đã dùng lại tài liệu {d} cho thành phần {c} (tệp {f}).",
              "Reused document {d} for component {c} (file {f}).", d=args.document or args.national_document,
              c=args.component, f=file_id))
    return 0


def _actor(args: argparse.Namespace, ctx: Any) -> Any:
    """The officer signed in on the command line (``--user`` or ``motcua login``); each
    lifecycle step checks that officer's role itself."""
    from desktop.cli._signin import officer

    return officer(args, ctx)


def _vn(dt: Any) -> str | None:
    return to_vn(dt).strftime("%Y-%m-%d %H:%M") if dt else None


def _form(args: argparse.Namespace, ctx: Any, outcome: Any) -> int:
    """Print what happened, then the form's path as the last line."""
    from desktop.lifecycle.machine import status_name

    print(msg("Hồ sơ {c}: {s}; hạn {d}", "Dossier {c}: {s}; due {d}", c=outcome.code, s=status_name(outcome.status),
              d=_vn(outcome.due_at) or "—"))
    if outcome.form is None:
        return 0
    r = ctx.form_desk.issue(_actor(args, ctx), outcome.form, outcome.code, out=getattr(args, "output", None))
    if r.fallback_reason:
        print(msg("Mẫu của quản trị viên lỗi, dùng mẫu có sẵn: {e}", "The administrator's template is broken, the "
                  "built-in one was used: {e}", e=r.fallback_reason))
    _print_notices(r.notices)
    print(r.path)
    return 0


def _print_notices(notices: tuple[tuple[str, str], ...]) -> None:
    for channel, to in notices:
        print(msg("Đã xếp hàng gửi cho công dân qua {c}: {t} (motcua outbox drain gửi ngay)",
                  "Queued to the citizen by {c}: {t} (motcua outbox drain sends it now)",
                  c="e-mail" if channel == "email" else "SMS", t=to))


def _notify(args: argparse.Namespace, ctx: Any) -> int:
    _print_notices(ctx.form_desk.notify(_actor(args, ctx), args.code, args.form))
    return 0


def _submit(args: argparse.Namespace, ctx: Any) -> int:
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
    postal = {"name": args.owner, "address": args.postal_address, "phone": args.phone} if args.postal_address else None
    # one transaction: a failed attach leaves no dossier behind (nor its queued upload)
    d = ctx.dossiers.submit(actor, files, procedure_code=args.procedure, applicant_name=args.owner,
                            applicant_id_number=args.id_number, channel=args.channel, applicant_phone=args.phone,
                            applicant_email=args.email, organisation_tax_code=args.tax_code,
                            organisation_name=args.organisation, postal_address=postal)
    print(d.code)
    return 0


def _list(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    officer(args, ctx, Permission.RECEIVE_DOSSIER)  # citizens' names
    rows = ctx.lifecycle.listing(status=args.status, late=args.late)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        print(f"{r.code}  {r.status:>2}  {_vn(r.due_at) or '—':<16}  {msg('TRỄ', 'LATE') if r.late else '    ':<4}  {r.applicant_name}")
    return 0


def _sign(args: argparse.Namespace, ctx: AppContext) -> int:
    import sys

    from desktop.cli._signin import officer
    from desktop.cli.sign import token_choice
    from signing.pin_policy import default_failures

    actor = officer(args, ctx)
    todo = ctx.counter.files_to_sign(args.code)  # NotFound for a wrong code, before asking a PIN
    if not todo:
        print(msg("Hồ sơ {c} không còn bản số hóa nào chưa ký.", "Dossier {c} has no unsigned digitized copy left.",
                  c=args.code))
        return 0
    choice, pin = token_choice(args, ctx)

    def progress(done: int, total: int, message: str = "") -> None:
        if not args.json:
            print(f"[{done}/{total}] {message}", file=sys.stderr)

    done = ctx.counter.sign_dossier(actor, args.code, choice, pin, profile=args.profile,
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


def show_dict(ctx: Any, code: str) -> dict[str, Any]:
    d = ctx.dossiers.get(code)
    files = ctx.dossiers.files(code)
    rec = ctx.lifecycle.record(code)
    by_comp: dict[str, list[dict[str, Any]]] = {}
    for f in files:
        by_comp.setdefault(f.component_code, []).append(f.__dict__)
    out = d.to_dict()
    out.update(
        status=int(d.status), due_at=_vn(d.due_at), received_at=_vn(d.received_at),
        legal_due_at=rec["legal_due_at"][:16].replace("T", " ") if rec["legal_due_at"] else None,
        history=[h.to_dict() for h in ctx.lifecycle.history(code)],
        components=[{"code": c, "name": n, "files": by_comp.get(c, [])} for c, n in d.components],
        files=[f.__dict__ for f in files], fees=rec["fees"], due_changes=rec["due_changes"],
        process_log=rec["process_log"], results=rec["results"], returns=rec["returns"],
        allowed=[t.action.value for t in ctx.lifecycle.allowed_actions(code)])
    return out


def _show(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    officer(args, ctx, Permission.RECEIVE_DOSSIER)  # the citizen's name and ID number
    data = show_dict(ctx, args.code)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1, default=str))
        return 0
    for k in ("code", "procedure_code", "procedure_name", "applicant_name", "status", "received_at", "due_at",
              "legal_due_at", "officer"):
        print(f"{k:<20} {data[k]}")
    print(msg("Lịch sử:", "History:"))
    for h in data["history"]:
        print(f"  {h['at']}  {h['status']:>2}  {h['action']:<14} {h['note']}")
    for f in data["files"]:
        print(f"  {f['component_code'] or '-':<8} {f['filename']} {f['sha256'][:12]} {f['signature_state']}")
    print(msg("Được phép: {a}", "Allowed: {a}", a=", ".join(data["allowed"]) or "—"))
    return 0


def _search(args: argparse.Namespace, ctx: Any) -> int:
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


def _supplement(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.supplement(_actor(args, ctx), args.code, args.reason, args.component))


def _resume(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.resume(_actor(args, ctx), args.code))


def _process(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.process(_actor(args, ctx), args.code, receiver=args.to,
                                                  department=args.department, allotted_hours=args.hours))


def _handoff(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.handoff(_actor(args, ctx), args.code, receiver=args.to,
                                                  department=args.department, allotted_hours=args.hours,
                                                  note=args.note))


def _refuse(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.refuse(_actor(args, ctx), args.code, args.reason))


def _extend(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.workdays import parse_local_datetime

    new_due = parse_local_datetime(args.new_due)
    return _form(args, ctx, ctx.lifecycle.extend(_actor(args, ctx), args.code, args.reason, new_due))


def _stop(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.stop(_actor(args, ctx), args.code, args.reason))


def _withdraw(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.withdraw(_actor(args, ctx), args.code))


def _fee(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.pay_fees(_actor(args, ctx), args.code, args.method, args.receipt))


def _sealer(args: argparse.Namespace, ctx: Any) -> Any:
    """The organization's token as the lifecycle's sealer: the one signing path for dossier files."""
    from desktop.cli.sign import token_choice
    from desktop.workflow.signing import FileSealer
    from signing.pin_policy import default_failures

    choice, pin = token_choice(args, ctx)
    if not choice.trust:
        raise InvalidInput(msg("Cần chứng thư gốc tin cậy (--trust) để kiểm tra chữ ký của kết quả.",
                               "A trusted root certificate (--trust) is needed to verify the result's signature."))
    return FileSealer(ctx.db, ctx.audit, ctx.outbox, choice, pin, profile=args.profile, data_dir=ctx.settings.data_dir,
                      failures=default_failures(ctx.settings.data_dir), confirm_final_try=args.confirm_final_try)


def _result(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.forms.result_qr import check_result_pdf
    from desktop.lifecycle.results import FROM_CATALOGUE, Validity, check_is_pdf, parse_validity

    actor = _actor(args, ctx)
    valid: Validity = FROM_CATALOGUE if args.valid_until is None else parse_validity(args.valid_until)
    check_is_pdf(args.file)  # before asking for a PIN
    check_result_pdf(args.file)
    outcome = ctx.lifecycle.attach_result(actor, args.code, args.file, _sealer(args, ctx), digitized=args.digitized,
                                          reusable=not args.not_reusable, valid_until=valid)
    _form(args, ctx, outcome)
    print(outcome.extra["file"])
    return 0


def _return(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.workflow.counter import is_one_pdf

    actor, pages = _actor(args, ctx), args.proxy_file or []
    letter = (pages[0] if is_one_pdf(pages) else ctx.counter.digitize_letter(args.code, pages,
                                                                                    id_number=args.id_number or "")) \
        if pages else None
    outcome = ctx.lifecycle.return_result(actor, args.code, channel=args.channel, id_number=args.id_number,
                                          recipient_name=args.name, proxy_file=letter)
    _form(args, ctx, outcome)
    if outcome.extra.get("handover_no"):
        print(msg("Danh sách chuyển bưu điện: {h}", "Postal handover list: {h}", h=outcome.extra["handover_no"]))
    return 0


def _post_list(args: argparse.Namespace, ctx: Any) -> int:
    _actor(args, ctx)  # names and addresses of citizens
    rows = ctx.lifecycle.postal_list(args.handover)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    else:
        for r in rows:
            print(f"{r['handover_no']}  {r['code']}  {r['state']:<14} {r['waybill'] or '—':<14} {r['recipient']}, "
                  f"{r['address']}")
    if args.output:
        from desktop.forms.postal import write_postal_list

        print(write_postal_list(ctx.settings, rows, args.output))
    return 0


def _post_sent(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.post_sent(_actor(args, ctx), args.code, args.waybill))


def _post_delivered(args: argparse.Namespace, ctx: Any) -> int:
    return _form(args, ctx, ctx.lifecycle.post_delivered(_actor(args, ctx), args.code))
