"""``motcua privacy purge``: delete local copies of closed, delivered dossiers' personal data."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING

from desktop.cli._backup import add_no_backup, backup_first
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(msg("ngày không hợp lệ (YYYY-MM-DD): {t}", "not a date (YYYY-MM-DD): {t}",
                                             t=text)) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("privacy", help="personal data kept on this workstation (docs/PRIVACY.md)")
    s = p.add_subparsers(dest="privacy_command", required=True)
    pu = s.add_parser("purge", help="delete local copies of personal data of dossiers closed before DATE and "
                                    "fully delivered (files, receipts, the applicant's fields); audited")
    pu.add_argument("--before", type=_date, metavar="YYYY-MM-DD",
                    help="dossiers closed before this day (default: today minus storage.retention_days)")
    pu.add_argument("--dry-run", action="store_true", help="say what would go, change nothing")
    pu.add_argument("--json", action="store_true")
    add_no_backup(pu)
    pu.set_defaults(func=_purge)


def _purge(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.privacy.purge import cutoff

    actor = officer(args, ctx, Permission.PURGE_PERSONAL_DATA)
    if not args.dry_run:  # the purged fields and files are gone for good: a copy first
        backup_first(args, ctx.settings, ctx.db, "before-purge")
    report = ctx.privacy.purge(actor, cutoff(ctx.settings, args.before), dry_run=args.dry_run)
    if args.json:
        print(json.dumps({"before": report.before.isoformat(), "dry_run": report.dry_run,
                          "dossiers": [i.to_dict() for i in report.items], "undelivered": report.undelivered,
                          "bookings": report.appointments,
                          "national_copies": [str(p) for p in report.national_copies]},
                         ensure_ascii=False, indent=1))
        return 0
    for item in report.items:
        print(f"{item.code}: " + msg("{f} trường, {n} tệp/thư mục", "{f} field(s), {n} file(s)/folder(s)",
                                     f=len(item.fields), n=len(item.paths)))
        for path in item.paths:
            print(f"    - {path}")
        for path, why in item.kept:
            print(f"    = {path} ({why})")
    if report.undelivered:
        print(msg("Chưa xóa (còn việc gửi chưa xong): {c}", "Not purged (uploads not delivered yet): {c}",
                  c=", ".join(report.undelivered)))
    if report.appointments:
        print(msg("Lịch hẹn trực tuyến đã qua: {n} lịch hẹn mất họ tên và số điện thoại.",
                  "Past online bookings: {n} booking(s) lose the name and phone.", n=report.appointments))
    if report.national_copies:
        print(msg("Bản sao lấy từ kho dữ liệu quốc gia không hồ sơ nào còn dùng: {n} bản.",
                  "Copies taken from the national store that no kept dossier uses: {n}.",
                  n=len(report.national_copies)))
        for path in report.national_copies:
            print(f"    - {path}")
    if report.dry_run:
        print(msg("Chạy thử: {n} hồ sơ sẽ được xóa dữ liệu cá nhân (đóng trước {d}); chưa thay đổi gì.",
                  "Dry run: {n} dossier(s) would lose their personal data (closed before {d}); nothing changed.",
                  n=len(report.items), d=report.before.isoformat()))
    else:
        print(msg("Đã xóa dữ liệu cá nhân của {n} hồ sơ đóng trước {d}.",
                  "Purged the personal data of {n} dossier(s) closed before {d}.",
                  n=len(report.items), d=report.before.isoformat()))
    return 0
