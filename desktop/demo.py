"""Demo data and the headless demo: the counter's day run end to end on this machine.

``prepare_demo`` fills a workstation with a few officers and dossiers so every screen has
something to show; ``run_headless_demo`` walks one citizen through queue, reception,
digitizing, signing and upload, printing what each step did and how long it took.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import TextIO

from sqlalchemy import func, select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Dossier, DossierStatus, Officer, Procedure, Role
from desktop.kernel.errors import Conflict
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import utcnow

log = logging.getLogger(__name__)

DEMO_OFFICERS = (
    ("lan", "Trần Thị Lan", Role.COUNTER_OFFICER, "Chuyên viên Văn phòng UBND"),
    ("binh.bd", "Lê Văn Bình", Role.POSTAL_AGENT, "Nhân viên Bưu điện tỉnh"),
    ("hoa.ld", "Phạm Thị Hoa", Role.SUPERVISOR, "Phó Giám đốc Trung tâm"),
)
DEMO_PASSWORD = "motcua-demo"
APPLICANTS = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Thu Hương", "Võ Minh Đức",
              "Đặng Thị Ánh Tuyết")


#: marks a data directory the demo may fill; holds the admin password the demo chose (0600)
DEMO_MARKER = "demo-workstation.json"


def _fresh(ctx: AppContext) -> bool:
    """Nothing but what the first start seeds: one administrator, no dossier."""
    with ctx.db.session() as s:
        officers = s.scalar(select(func.count()).select_from(Officer)) or 0
        dossiers = s.scalar(select(func.count()).select_from(Dossier)) or 0
    return officers <= 1 and dossiers == 0


def demo_admin(ctx: AppContext, sign_in: Callable[[], Actor] | None = None) -> Actor:
    """The administrator, signed in, on a demo workstation; refuses any other workstation.

    A brand-new data directory becomes a demo workstation: if the seeded ``admin`` still has
    the public built-in password, the demo changes it to a random one of its own, kept in
    a 0600 file beside the data, and signs in with it, so no public password stays usable.
    A workstation with real data is never filled with demo officers and dossiers.
    """
    from desktop.auth import BUILT_IN_ADMIN_PASSWORD, check_password
    from desktop.seed import DEMO_ADMIN

    marker = ctx.settings.data_dir / DEMO_MARKER
    if not marker.is_file():
        if not _fresh(ctx):
            raise Conflict(msg("Máy trạm này đã có dữ liệu thật: bản chạy thử không ghi vào đây.",
                               "This workstation has real data: the demo does not write into it."),
                           hint=msg("Chạy thử trên một thư mục trống: motcua --data-dir THƯ_MỤC_MỚI demo",
                                    "Run the demo on an empty folder: motcua --data-dir NEW_FOLDER demo"))
        with ctx.db.session() as s:
            stored = s.scalar(select(Officer.password_hash).where(Officer.username == DEMO_ADMIN))
        chosen = ""
        if stored is not None and check_password(stored, BUILT_IN_ADMIN_PASSWORD):
            chosen = secrets.token_urlsafe(18)
            ctx.auth.change_password(DEMO_ADMIN, BUILT_IN_ADMIN_PASSWORD, chosen)
        ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"admin_password": chosen}, f)
    try:
        chosen = str(json.loads(marker.read_text(encoding="utf-8")).get("admin_password") or "")
    except (OSError, ValueError, AttributeError):
        chosen = ""
    if chosen:
        return ctx.auth.sign_in(DEMO_ADMIN, chosen)
    if os.environ.get("MOTCUA_ADMIN_PASSWORD"):
        return ctx.auth.sign_in(DEMO_ADMIN, os.environ["MOTCUA_ADMIN_PASSWORD"])
    if sign_in is None:
        raise Conflict(msg("Cần đăng nhập quản trị viên để chạy thử.", "The demo needs a signed-in administrator."))
    return sign_in()


def prepare_demo(ctx: AppContext, admin: Actor | None = None) -> Actor:
    """Officers, a handful of dossiers and the demo token (idempotent); returns the administrator."""
    if not ctx.settings.pkcs11_module:
        try:
            from signing.demo_token import ensure_demo_token

            # for this run only (not saved): the signing screen, the dossier page's "Sign the
            # dossier" and the status bar use the demo token, its key and its test CA
            token = ensure_demo_token(ctx.settings.data_dir / "demo-token")
            ctx.settings.pkcs11_module = token.module_path
            conf = ctx.settings.extra.setdefault("signing", {})
            conf.setdefault("token_label", token.label)
            conf.setdefault("key_id", token.key_id)
            conf.setdefault("trust", [str(token.ca_cert)])
            conf.setdefault("organization_cert", str(token.cert))
        except Exception as exc:
            log.warning("demo token unavailable: %s", exc)
    admin = admin or demo_admin(ctx)
    existing = {a.username for a in ctx.auth.officers()}
    for username, name, role, position in DEMO_OFFICERS:
        if username not in existing:
            ctx.auth.create_officer(admin, username=username, full_name=name, role=role, password=DEMO_PASSWORD,
                                    position=position)
    with ctx.db.session() as s:
        have = s.scalar(select(func.count()).select_from(Dossier)) or 0
        codes = list(s.scalars(select(Procedure.code).order_by(Procedure.id).limit(len(APPLICANTS))))
    if have == 0 and codes:
        officers = {a.username: a for a in ctx.auth.officers()}
        now = utcnow()
        for i, applicant in enumerate(APPLICANTS):
            who = officers["lan" if i % 2 == 0 else "binh.bd"]
            d = ctx.dossiers.receive(who, procedure_code=codes[i % len(codes)], applicant_name=applicant,
                                     applicant_id_number=f"0792010{i:05d}", received_at=now - timedelta(days=i, hours=2),
                                     channel=3 if who.role == Role.POSTAL_AGENT else 1)
            if i % 3 == 0:
                ctx.dossiers.set_status(who, d.code, DossierStatus.PROCESSING)
    return admin


class DemoLog:
    """Prints numbered steps with their duration; collects failures without stopping the demo."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.n = 0
        self.failures: list[str] = []

    def step(self, title: str) -> AbstractContextManager[DemoLog]:
        import time
        from contextlib import contextmanager

        from desktop.kernel.errors import MotcuaError

        @contextmanager
        def run() -> Iterator[DemoLog]:
            self.n += 1
            print(f"\n[{self.n}] {title}", file=self.out, flush=True)
            t0 = time.perf_counter()
            try:
                yield self
            except MotcuaError as exc:
                self.failures.append(f"{title}: {exc}")
                print(f"    ✗ {exc}", file=self.out)
            except Exception as exc:  # the demo reports and goes on; the log has the traceback
                log.exception("demo step %s failed", title)
                self.failures.append(f"{title}: {type(exc).__name__}: {exc}")
                print(f"    ✗ {type(exc).__name__}: {exc}", file=self.out)
            finally:
                print(f"    ({time.perf_counter() - t0:.2f} s)", file=self.out, flush=True)

        return run()

    def say(self, text: str) -> None:
        print(f"    {text}", file=self.out, flush=True)


def run_headless_demo(ctx: AppContext, out: TextIO | None = None, admin: Actor | None = None) -> int:
    """One citizen through the counter's core, printing each step; 0 when every step worked."""
    import sys

    from desktop.kernel.i18n import msg
    from desktop.kernel.timeutil import now_vn, to_vn
    from desktop.receipts import receipt_info, write_receipt
    from desktop.reports.dossiers import dossier_report
    from desktop.selftest import run_checks

    out = out or sys.stdout
    d = DemoLog(out)
    print(msg("motcua — chạy thử không giao diện trên {p}", "motcua — headless demo on {p}",
              p=ctx.settings.data_dir), file=out)
    token = None
    try:
        from signing.demo_token import ensure_demo_token

        # before anything loads the PKCS#11 module: SoftHSM2 reads its configuration once
        token = ensure_demo_token(ctx.settings.data_dir / "demo-token")
    except Exception as exc:
        log.warning("demo token unavailable: %s", exc)
    with d.step(msg("Kiểm tra máy trạm", "Workstation check")):
        for c in run_checks(ctx.settings):
            d.say(f"{'✓' if c.ok else ('✗' if c.required else '!')} {c.name}: {c.detail}")
    with d.step(msg("Cơ sở dữ liệu, danh mục, lịch làm việc", "Database, catalogue, calendar")):
        admin = prepare_demo(ctx, admin)
        d.say(ctx.db.display_url())
        d.say(msg("{n} thủ tục trong danh mục", "{n} procedures in the catalogue", n=len(ctx.catalogue.all())))
    officer = next(a for a in ctx.auth.officers() if a.username == "lan")
    dossier = None
    called = None
    with d.step(msg("Lấy số ở kiosk và gọi số tại quầy 1", "Take a ticket at the kiosk and call it at counter 1")):
        ticket = ctx.queue.issue(admin, "TP")
        d.say(msg("Số {t}, {a} người chờ trước", "Ticket {t}, {a} waiting ahead", t=ticket.number, a=ticket.ahead))
        called = ctx.queue.call_next(officer, 1)
        if called is not None:
            d.say(msg("Mời công dân số {t} đến quầy số 1", "Ticket {t} to counter 1", t=called.number))
            ctx.queue.start(officer, 1)
    with d.step(msg("Tìm thủ tục “dang ky khai sinh” và tiếp nhận hồ sơ cho số vừa gọi",
                    "Find “dang ky khai sinh” and receive a dossier for the called ticket")):
        proc = ctx.catalogue.search("dang ky khai sinh")[0]
        d.say(f"{proc.code} — {proc.name}: {proc.days:g} " + msg("ngày làm việc", "working day(s)"))
        dossier = ctx.counter.receive(officer, procedure_code=proc.code, applicant_name="Nguyễn Thị Hồng Nhung",
                                      applicant_id_number="079301234567", applicant_address="12 Lê Lợi, Quy Nhơn",
                                      ticket_id=called.id if called is not None else None)
        d.say(msg("Mã hồ sơ {c}; nhận lúc {r}; hẹn trả {h}", "Dossier {c}; received {r}; due {h}", c=dossier.code,
                  r=to_vn(dossier.received_at).strftime("%H:%M %d/%m/%Y"),
                  h=to_vn(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else "—"))
    if dossier is not None:
        with d.step(msg("In giấy tiếp nhận và hẹn trả kết quả", "Print the receipt")):
            info = receipt_info(ctx.settings, officer_name=officer.full_name, days=proc.days,
                                applicant_address="12 Lê Lợi, Quy Nhơn")
            path = write_receipt(dossier, info, ctx.settings.data_dir / "receipts" / f"{dossier.code}.pdf")
            d.say(str(path))
    if dossier is not None:
        with d.step(msg("Số hóa tờ khai vào thành phần TK: làm sạch, OCR tiếng Việt, PDF tìm kiếm được",
                        "Digitize the form into component TK: clean-up, Vietnamese OCR, searchable PDF")):
            import cv2

            from scanning.samples import degrade, render

            work = ctx.settings.data_dir / "demo-scans"
            work.mkdir(parents=True, exist_ok=True)
            page = work / "to-khai.png"
            cv2.imwrite(str(page), degrade(render(), angle=2.0))
            done = ctx.counter.digitize_component(officer, dossier.code, "TK", files=[page], lang="vie")
            rep = done.report
            d.say(msg("{p} trang, {c} ký tự, {b} KB/trang, {s:.1f} giây", "{p} page(s), {c} characters, {b} KB/page, {s:.1f} s",
                      p=rep.pages, c=rep.characters, b=rep.bytes_per_page // 1024, s=rep.timings["total_s"]))
            d.say("OCR: " + " ".join(rep.text.split())[:90] + "…")
            d.say(msg("Chờ ký số trước khi gửi: {f}", "Waiting for its signature before upload: {f}",
                      f=done.file.filename))
        if token is not None:
            with d.step(msg("Ký số hồ sơ bằng token của cơ quan (thử nghiệm), kiểm tra từng chữ ký",
                            "Sign the dossier with the organization's (demo) token, verify each signature")):
                from desktop.workflow.signing import TokenChoice

                choice = TokenChoice.from_settings(ctx.settings, module_path=token.module_path,
                                                   token_label=token.label, key_id=token.key_id,
                                                   trust=(token.ca_cert,), organization_cert=token.cert)
                signing = ctx.counter.sign_dossier(officer, dossier.code, choice, token.pin)
                for outcome in signing.outcomes:
                    d.say(msg("{f}: chữ ký {v}", "{f}: signature {v}", f=outcome.filename,
                              v=msg("hợp lệ", "valid") if outcome.state == "verified" else outcome.state))
                if not signing.ok:
                    d.failures.append("sign")
        if called is not None:
            with d.step(msg("Kết thúc lượt phục vụ (số đã gắn với hồ sơ)", "End the visit (the ticket carries the dossier)")):
                finished = ctx.counter.finish(officer, 1)
                d.say(msg("Số {t} xong, gắn hồ sơ {c}", "Ticket {t} done, linked to {c}", t=finished.number,
                          c=dossier.code))
        with d.step(msg("Tải lên hệ thống hồ sơ: bộ gửi nền tự gửi, không cần bấm",
                        "Upload to the dossier system: the background uploader sends by itself")):
            import time

            from desktop.outbox.models import OutboxState as S

            ctx.uploader.start()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                counts = ctx.outbox.counts()
                if not counts.get(S.PENDING) and not counts.get(S.IN_FLIGHT):
                    break
                time.sleep(0.1)
            counts = ctx.outbox.counts()
            d.say(msg("Đã gửi {n} việc tới {u}; còn chờ {p}, chờ ký {w}, dừng {k}",
                      "Delivered {n} job(s) to {u}; {p} to send, {w} waiting for a signature, {k} parked",
                      n=counts.get(S.DONE, 0), u=ctx.settings.resolved_dossier_url(),
                      p=counts.get(S.PENDING, 0) + counts.get(S.IN_FLIGHT, 0), w=counts.get(S.WAITING, 0),
                      k=counts.get(S.PARKED, 0)))
            if counts.get(S.PARKED) or counts.get(S.PENDING) or counts.get(S.IN_FLIGHT):
                d.failures.append("outbox")
    with d.step(msg("Hàng đợi hôm nay", "Today's queue")):
        for st in ctx.queue.status():
            if st.waiting or st.served_today:
                d.say(msg("{c} {n}: chờ {w}, đã phục vụ {s}", "{c} {n}: waiting {w}, served {s}", c=st.code, n=st.name,
                          w=st.waiting, s=st.served_today))
    with d.step(msg("Hạn giải quyết qua kỳ nghỉ Tết 2026", "Due date across the 2026 Tết holiday")):
        from desktop.workdays import parse_local_datetime

        due = ctx.calendar.due(parse_local_datetime("2026-02-13 16:00"), 1)
        d.say(msg("Nhận 16:00 13/02/2026, 1 ngày làm việc → {h}", "Received 16:00 13/02/2026, 1 working day → {h}",
                  h=to_vn(due).strftime("%H:%M %d/%m/%Y") if due else "—"))
    with d.step(msg("Chỉ số tháng này theo cán bộ", "This month's indicators per officer")):
        today = now_vn().date()
        from desktop.reports.period import month_period

        indicators = dossier_report(ctx.db, admin, month_period(today.year, today.month))
        for o in indicators.rows:
            d.say(msg("{o}: {n} hồ sơ, trễ {l}", "{o}: {n} dossiers, {l} late", o=o.key, n=o.received, l=o.late))
    with d.step(msg("Kiểm tra chuỗi nhật ký kiểm toán", "Verify the audit chain")):
        with ctx.db.session() as s:
            problems = ctx.audit.verify(s)
            count = len(ctx.audit.recent(s, 100000))
        d.say(msg("{n} sự kiện, nguyên vẹn" if not problems else "{n} sự kiện, CÓ SAI LỆCH",
                  "{n} events, intact" if not problems else "{n} events, TAMPERED", n=count))
        if problems:
            d.failures.append("audit")
    print("\n" + (msg("Hoàn tất: mọi bước đều thành công.", "Done: every step worked.") if not d.failures else
                  msg("Hoàn tất với {n} bước lỗi.", "Done with {n} failed step(s).", n=len(d.failures))), file=out)
    return 0 if not d.failures else 1
