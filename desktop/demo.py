"""Demo data and the headless demo: the counter's day run end to end on this machine.

``prepare_demo`` fills a workstation with a few officers and dossiers so every screen has
something to show; ``run_headless_demo`` walks one citizen through queue, reception,
digitizing, signing and upload, printing what each step did and how long it took.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from desktop.app import AppContext
from desktop.auth import Actor, AuthService
from desktop.db.models import Dossier, DossierStatus, Officer, Procedure, Role
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


def admin_actor(ctx: AppContext) -> Actor:
    with ctx.db.session() as s:
        officer = s.scalar(select(Officer).where(Officer.role == Role.ADMIN.value).order_by(Officer.id))
        assert officer is not None, "ensure_seeded creates the first administrator"
        return AuthService._actor(officer)


def prepare_demo(ctx: AppContext) -> Actor:
    """Officers, a handful of dossiers and the demo token (idempotent); returns the administrator."""
    if not ctx.settings.pkcs11_module:
        try:
            from signing.demo_token import ensure_demo_token

            # for this run only (not saved): the signing screen and status bar use the demo token
            ctx.settings.pkcs11_module = ensure_demo_token(ctx.settings.data_dir / "demo-token").module_path
        except Exception as exc:
            log.warning("demo token unavailable: %s", exc)
    admin = admin_actor(ctx)
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

    def __init__(self, out) -> None:  # type: ignore[no-untyped-def]
        self.out = out
        self.n = 0
        self.failures: list[str] = []

    def step(self, title: str):  # type: ignore[no-untyped-def]
        import time
        from contextlib import contextmanager

        from desktop.kernel.errors import MotcuaError

        @contextmanager
        def run():  # type: ignore[no-untyped-def]
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


def run_headless_demo(ctx: AppContext, out=None) -> int:  # type: ignore[no-untyped-def]
    """One citizen through the counter's core, printing each step; 0 when every step worked."""
    import sys

    from desktop.kernel.i18n import msg
    from desktop.kernel.timeutil import now_vn, to_vn
    from desktop.receipts import ReceiptInfo, write_receipt
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
        admin = prepare_demo(ctx)
        d.say(ctx.db.display_url())
        d.say(msg("{n} thủ tục trong danh mục", "{n} procedures in the catalogue", n=len(ctx.catalogue.all())))
    officer = next(a for a in ctx.auth.officers() if a.username == "lan")
    dossier = None
    ticket = None
    with d.step(msg("Lấy số ở kiosk và gọi số tại quầy 1", "Take a ticket at the kiosk and call it at counter 1")):
        ticket = ctx.queue.issue(admin, "TP")
        d.say(msg("Số {t}, {a} người chờ trước", "Ticket {t}, {a} waiting ahead", t=ticket.number, a=ticket.ahead))
        called = ctx.queue.call_next(officer, 1)
        if called is not None:
            d.say(msg("Mời công dân số {t} đến quầy số 1", "Ticket {t} to counter 1", t=called.number))
            ctx.queue.start(officer, 1)
    with d.step(msg("Tìm thủ tục “dang ky khai sinh” và tiếp nhận hồ sơ", "Find “dang ky khai sinh” and receive a dossier")):
        proc = ctx.catalogue.search("dang ky khai sinh")[0]
        d.say(f"{proc.code} — {proc.name}: {proc.days:g} " + msg("ngày làm việc", "working day(s)"))
        dossier = ctx.dossiers.receive(officer, procedure_code=proc.code, applicant_name="Nguyễn Thị Hồng Nhung",
                                       applicant_id_number="079301234567", applicant_address="12 Lê Lợi, Quy Nhơn")
        d.say(msg("Mã hồ sơ {c}; nhận lúc {r}; hẹn trả {h}", "Dossier {c}; received {r}; due {h}", c=dossier.code,
                  r=to_vn(dossier.received_at).strftime("%H:%M %d/%m/%Y"),
                  h=to_vn(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else "—"))
    if dossier is not None:
        with d.step(msg("In giấy tiếp nhận và hẹn trả kết quả", "Print the receipt")):
            path = write_receipt(dossier, ReceiptInfo("Bộ phận Một cửa (thử nghiệm)", officer_name=officer.full_name,
                                                      days=proc.days), ctx.settings.data_dir / "receipts" /
                                 f"{dossier.code}.pdf")
            d.say(str(path))
    signed = None
    if dossier is not None:
        with d.step(msg("Số hóa tờ khai: làm sạch, OCR tiếng Việt, PDF tìm kiếm được",
                        "Digitize the form: clean-up, Vietnamese OCR, searchable PDF")):
            import cv2

            from scanning.pipeline import digitize
            from scanning.samples import degrade, render

            work = ctx.settings.data_dir / "demo-scans"
            work.mkdir(parents=True, exist_ok=True)
            page = work / "to-khai.png"
            cv2.imwrite(str(page), degrade(render(), angle=2.0))
            rep = digitize([page], work / f"{dossier.code}-TK.pdf", lang="vie")
            d.say(msg("{p} trang, {c} ký tự, {b} KB/trang, {s:.1f} giây", "{p} page(s), {c} characters, {b} KB/page, {s:.1f} s",
                      p=rep.pages, c=rep.characters, b=rep.bytes_per_page // 1024, s=rep.timings["total_s"]))
            d.say("OCR: " + " ".join(rep.text.split())[:90] + "…")
            scanned = Path(rep.output)
        if token is not None:
            with d.step(msg("Ký số bản sao điện tử bằng token của cơ quan (thử nghiệm)",
                            "Sign the digitized copy with the organization's (demo) token")):
                from signing.pades import sign_pdf, token_session
                from signing.verify import verify_pdf

                with token_session(token.module_path, token.label, token.pin) as session:
                    signed = sign_pdf(session, scanned, scanned.with_name(scanned.stem + "-signed.pdf"),
                                      key_id=token.key_id, profile="copy")
                report = verify_pdf(signed, [token.ca_cert])
                d.say(msg("{f}: chữ ký {v}", "{f}: signature {v}", f=signed.name,
                          v=msg("hợp lệ", "valid") if report.ok else msg("KHÔNG hợp lệ", "NOT valid")))
                if not report.ok:
                    d.failures.append("verify")
                    signed = None
        with d.step(msg("Đính kèm bản số hóa vào hồ sơ và kết thúc lượt phục vụ",
                        "Attach the digitized copy to the dossier and end the visit")):
            f = ctx.dossiers.attach_file(officer, dossier.code, signed or scanned, component="TK", pages=rep.pages,
                                         ocr_text=rep.text, signature_state="verified" if signed else "unsigned")
            d.say(f"{f.filename} sha256={f.sha256[:16]}…")
            if ticket is not None:
                done = ctx.queue.end(officer, 1, dossier.code)
                d.say(msg("Số {t} xong, gắn hồ sơ {c}", "Ticket {t} done, linked to {c}", t=done.number, c=dossier.code))
        with d.step(msg("Gửi lên hệ thống hồ sơ (hàng đợi bền vững)", "Upload to the dossier system (durable outbox)")):
            r = ctx.outbox.drain(timeout=60)
            d.say(msg("Đã gửi {n} việc tới {u}", "Delivered {n} job(s) to {u}", n=r["delivered"],
                      u=ctx.settings.resolved_dossier_url()))
            if r.get("parked"):
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
