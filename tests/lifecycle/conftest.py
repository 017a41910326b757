"""A workstation with officers of each role, dossiers brought to any status, and a seal double.

The seal double stands in for the organization's token only in the in-process tests of
the state machine (SoftHSM2 is per process); the real token path (sign in place with the
seal profile, verify) is tested through the CLI in test_cli.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Dossier, DossierStatus, Role
from desktop.kernel.timeutil import VN_TZ
from desktop.lifecycle.results import SealCheck

ADMIN = Actor.cli()
ID = "079301234567"
PROC_5 = "1.004884"  # Đăng ký lại khai sinh: 5 working days, no fee
PROC_FEE = "1.004859"  # 3 working days, a 15,000 VND fee


def vn(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VN_TZ)


@dataclass
class Officers:
    counter: Actor
    postal: Actor
    supervisor: Actor


@pytest.fixture
def officers(ctx: AppContext) -> Officers:
    mk = ctx.auth.create_officer
    return Officers(mk(ADMIN, username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER, password="Mật-khẩu-thử-2026"),
                    mk(ADMIN, username="bd", full_name="Phạm Bưu", role=Role.POSTAL_AGENT, password="Mật-khẩu-thử-2026"),
                    mk(ADMIN, username="ld", full_name="Lê Đạo", role=Role.SUPERVISOR, password="Mật-khẩu-thử-2026"))


@dataclass
class SealDouble:
    """TEST DOUBLE for the organization's token (the real one, desktop.workflow.signing.FileSealer,
    runs in test_cli.py): says whether the seal verified, and leaves the file's state alone."""

    ok: bool = True
    sealed: list[int] = field(default_factory=list)
    valid_until: list[date | None] = field(default_factory=list)

    def seal_file(self, actor: Actor, file_id: int, *, valid_until: date | None = None) -> SealCheck:
        self.sealed.append(file_id)
        self.valid_until.append(valid_until)
        return SealCheck(self.ok, "UBND phường Quy Nhơn", [] if self.ok else ["Digest Mismatch"])


def make_pdf(path: Path, text: str = "Giấy khai sinh") -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(72, 720, text.encode("ascii", "ignore").decode())
    c.save()
    return path


def receive(ctx: AppContext, actor: Actor = ADMIN, *, proc: str = PROC_5, at: str = "2026-11-02 08:00",
            **kw: object) -> str:
    return ctx.dossiers.receive(actor, procedure_code=proc, applicant_name="Nguyễn Thị Hồng Nhung",
                                applicant_id_number=ID, received_at=vn(at), **kw).code  # type: ignore[arg-type]


def bring_to(ctx: AppContext, status: DossierStatus, tmp: Path) -> str:
    """A dossier in ``status``, reached through the lifecycle (status 1 is set directly: online
    dossiers come from the portal, which is not part of this workstation)."""
    lc = ctx.lifecycle
    code = receive(ctx, postal_address={"name": "Nguyễn Thị Hồng Nhung", "address": "12 Lê Lợi, Quy Nhơn"})
    S = DossierStatus
    if status == S.NEW:
        with ctx.db.session() as s:
            d = s.query(Dossier).filter_by(code=code).one()
            d.status = S.NEW.value
        return code
    if status == S.NOT_RECEIVED:
        lc.refuse(ADMIN, code, "Không thuộc thẩm quyền")
    if status in (S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION, S.STOPPED, S.DONE,
                  S.RESULT_RETURNED):
        lc.process(ADMIN, code, receiver="Lê Văn Tư", department="Phòng Tư pháp", allotted_hours=16)
    if status == S.SUPPLEMENT_REQUESTED:
        lc.supplement(ADMIN, code, "Thiếu giấy chứng sinh", ["BS"])
    if status == S.FINANCIAL_OBLIGATION:
        lc.obligation(ADMIN, code)
    if status == S.WITHDRAWN:
        lc.withdraw(ADMIN, code)
    if status == S.STOPPED:
        lc.stop(ADMIN, code, "Công dân đề nghị dừng")
    if status in (S.DONE, S.RESULT_RETURNED):
        lc.attach_result(ADMIN, code, make_pdf(tmp / f"kq-{code}.pdf"), SealDouble())
    if status == S.RESULT_RETURNED:
        lc.return_result(ADMIN, code, id_number=ID)
    assert ctx.lifecycle.history(code)[-1].status == status
    return code
