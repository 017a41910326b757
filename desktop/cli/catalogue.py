"""``motcua catalogue``: list, search (diacritics optional), show and import procedures, and
the favourite procedures of a counter (``favourite add|remove|list``), which reception lists first."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli._backup import add_no_backup, backup_first
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from collections.abc import Iterable

    from desktop.catalogue import ProcedureInfo
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalogue", help="procedure catalogue (TTHC)")
    s = p.add_subparsers(dest="catalogue_command", required=True)
    ls = s.add_parser("list", help="every procedure")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    se = s.add_parser("search", help='search names and codes, e.g. "dang ky khai sinh"')
    se.add_argument("query")
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=_search)
    sh = s.add_parser("show", help="one procedure with its components")
    sh.add_argument("code")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=_show)
    im = s.add_parser("import", help="load a new catalogue version (JSON)")
    im.add_argument("file", type=Path)
    add_no_backup(im)
    im.set_defaults(func=_import)
    fa = s.add_parser("favourite", help="the favourite procedures of a counter (reception lists them first)")
    fs = fa.add_subparsers(dest="favourite_command", required=True)
    for name, helptext, func in (("add", "mark a procedure as a favourite of the counter", _favourite_add),
                                 ("remove", "unmark a favourite procedure", _favourite_remove)):
        f = fs.add_parser(name, help=helptext)
        f.add_argument("code")
        f.add_argument("--counter", type=int, help="a counter number (default: this workstation's counter)")
        f.set_defaults(func=func)
    fl = fs.add_parser("list", help="the counter's favourite procedures")
    fl.add_argument("--counter", type=int, help="a counter number (default: this workstation's counter)")
    fl.add_argument("--json", action="store_true")
    fl.set_defaults(func=_favourite_list)


def _print(procs: Iterable[ProcedureInfo], as_json: bool) -> int:
    if as_json:
        print(json.dumps([p.to_dict() for p in procs], ensure_ascii=False, indent=1))
        return 0
    for p in procs:
        print(f"{p.code:<10} {p.days:>4g} {msg('ngày', 'days'):<5} {p.name}")
    return 0


def _list(args: argparse.Namespace, ctx: AppContext) -> int:
    return _print(ctx.catalogue.all(), args.json)


def _search(args: argparse.Namespace, ctx: AppContext) -> int:
    found = ctx.catalogue.search(args.query)
    if not found and not args.json:
        print(msg("Không tìm thấy thủ tục nào khớp “{q}”.", "No procedure matches “{q}”.", q=args.query))
        return 1
    return _print(found, args.json)


def _show(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.catalogue import IMPORTED

    p = ctx.catalogue.get(args.code)
    if args.json:
        print(json.dumps(p.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(f"{p.code} — {p.name}")
    print(msg("Lĩnh vực: {f}; cấp: {l}; thời hạn: {d:g} ngày làm việc", "Field: {f}; level: {l}; time: {d:g} working days",
              f=p.field, l=p.level, d=p.days))
    if p.result_valid_months:
        print(msg("Kết quả có hiệu lực {m} tháng kể từ ngày cấp", "The result is valid {m} month(s) from its date",
                  m=p.result_valid_months))
    if p.source.startswith(IMPORTED):
        print(msg("Theo danh mục đã nhập (phiên bản {v}); danh mục kèm phần mềm không ghi đè.",
                  "From an imported catalogue (version {v}); the bundled catalogue does not overwrite it.",
                  v=p.source.removeprefix(IMPORTED).strip()))
    for i, c in enumerate(p.components, 1):
        flags = ("*" if c.required else " ") + ("S" if c.must_digitize else " ")
        print(f"  {i:>2}. [{flags}] {c.name} ({c.copy_kind} × {c.quantity})")
    return 0


def _import(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.EDIT_CATALOGUE)
    # a new version replaces procedures, components and fees that dossiers refer to
    backup_first(args, ctx.settings, ctx.db, "before-catalogue-import")
    n = ctx.catalogue.import_file(actor, args.file)
    print(msg("Đã cập nhật {n} thủ tục.", "Updated {n} procedure(s).", n=n))
    return 0


def _favourite_add(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.RECEIVE_DOSSIER)
    place = ctx.favourites.place(args.counter)
    if ctx.favourites.add(actor, args.code, place):
        print(msg("Đã thêm {c} vào thủ tục yêu thích của quầy {q}.", "Added {c} to the favourites of counter {q}.",
                  c=args.code, q=place.label))
    else:
        print(msg("{c} đã là thủ tục yêu thích của quầy {q}.", "{c} already is a favourite of counter {q}.",
                  c=args.code, q=place.label))
    return 0


def _favourite_remove(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer

    actor = officer(args, ctx, Permission.RECEIVE_DOSSIER)
    place = ctx.favourites.place(args.counter)
    if ctx.favourites.remove(actor, args.code, place):
        print(msg("Đã bỏ {c} khỏi thủ tục yêu thích của quầy {q}.", "Removed {c} from the favourites of counter {q}.",
                  c=args.code, q=place.label))
        return 0
    print(msg("{c} không phải thủ tục yêu thích của quầy {q}.", "{c} is not a favourite of counter {q}.",
              c=args.code, q=place.label))
    return 1


def _favourite_list(args: argparse.Namespace, ctx: AppContext) -> int:
    place = ctx.favourites.place(args.counter)
    entries = ctx.favourites.entries(place)
    if args.json:
        print(json.dumps({"unit": place.unit_code, "counter": place.counter,
                          "favourites": [{"code": e.code, "name": e.name, "in_catalogue": e.name is not None}
                                         for e in entries]}, ensure_ascii=False, indent=1))
        return 0
    if not entries:
        print(msg("Quầy {q} chưa có thủ tục yêu thích.", "Counter {q} has no favourite procedures.", q=place.label))
    for e in entries:
        name = e.name if e.name is not None else msg("(không còn trong danh mục)", "(no longer in the catalogue)")
        print(f"{e.code:<10} {name}")
    return 0
