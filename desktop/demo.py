"""Demo data and the headless demo: the counter's day run end to end on this machine.

``prepare_demo`` fills a workstation with a few officers and dossiers so every screen has
something to show; ``run_headless_demo`` walks one citizen through queue, reception,
digitizing, signing and upload, printing what each step did and how long it took.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from desktop.app import AppContext
from desktop.auth import Actor, AuthService
from desktop.db.models import Dossier, DossierStatus, Officer, Procedure, Role
from desktop.timeutil import utcnow

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
    """Officers and a handful of dossiers (idempotent); returns the administrator."""
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

        from desktop.errors import MotcuaError

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
