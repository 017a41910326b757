"""What the dossier page offers (desktop.workflow.workspace.offered): the machine's
transitions narrowed by what the machine does not see — the postal steps in order, the
post only with an address, one return per result — and a payment while a fee is due."""

from __future__ import annotations

from pathlib import Path

from desktop.context import AppContext
from desktop.db.models import DossierStatus
from desktop.lifecycle.machine import Action
from desktop.workflow.workspace import PAY, offered
from tests.lifecycle.conftest import (  # noqa: F401
    ADMIN,
    ID,
    PROC_FEE,
    Officers,
    SealDouble,
    bring_to,
    make_pdf,
    officers,
    receive,
)

A = Action


def test_the_postal_steps_come_in_their_order(ctx: AppContext, tmp_path: Path) -> None:
    code = bring_to(ctx, DossierStatus.DONE, tmp_path)  # registered a postal address at reception
    ws, lc = ctx.workspace, ctx.lifecycle
    first = offered(ws.page(code), ADMIN)
    assert A.RETURN in first and A.POST_HANDOVER in first
    assert A.POST_SENT not in first and A.POST_DELIVERED not in first
    lc.return_result(ADMIN, code, channel="post")
    handed = offered(ws.page(code), ADMIN)
    assert A.POST_SENT in handed and A.RETURN not in handed and A.POST_HANDOVER not in handed
    assert A.POST_DELIVERED not in handed
    lc.post_sent(ADMIN, code, "EB123456789VN")
    sent = offered(ws.page(code), ADMIN)
    assert A.POST_DELIVERED in sent and A.POST_SENT not in sent
    lc.post_delivered(ADMIN, code)
    assert offered(ws.page(code), ADMIN) == []


def test_no_post_without_an_address(ctx: AppContext, tmp_path: Path) -> None:
    code = receive(ctx)
    lc = ctx.lifecycle
    lc.process(ADMIN, code)
    lc.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), SealDouble())
    now = offered(ctx.workspace.page(code), ADMIN)
    assert A.RETURN in now and A.POST_HANDOVER not in now


def test_a_payment_is_offered_while_a_fee_is_due(ctx: AppContext, tmp_path: Path, officers: Officers) -> None:  # noqa: F811
    code = receive(ctx, proc=PROC_FEE)
    page = ctx.workspace.page(code)
    assert page.fees_due > 0
    assert PAY in offered(page, officers.counter)
    assert PAY not in offered(page, officers.supervisor), "a supervisor does not take money"
    ctx.lifecycle.pay_fees(ADMIN, code, "cash", "BL-1")
    page = ctx.workspace.page(code)
    assert page.fees_due == 0 and PAY not in offered(page, officers.counter)


def test_the_financial_obligation_ends_with_the_payment(ctx: AppContext, tmp_path: Path) -> None:
    code = bring_to(ctx, DossierStatus.FINANCIAL_OBLIGATION, tmp_path)
    acts = offered(ctx.workspace.page(code), ADMIN)
    assert A.FEE_PAID not in acts and acts.count(PAY) == 1


def test_no_time_left_is_shown_once_the_result_is_ready(ctx: AppContext, tmp_path: Path) -> None:
    code = bring_to(ctx, DossierStatus.PROCESSING, tmp_path)
    assert ctx.workspace.page(code).remaining_minutes is not None
    ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), SealDouble())
    assert ctx.workspace.page(code).remaining_minutes is None, "the clock stopped at the result"


def test_the_history_shows_each_due_date_change_with_both_dates(ctx: AppContext, tmp_path: Path) -> None:
    from datetime import timedelta

    from desktop.kernel.timeutil import to_vn, utcnow

    code = bring_to(ctx, DossierStatus.PROCESSING, tmp_path)
    before = ctx.dossiers.get(code).due_at
    assert before is not None
    new = (utcnow() + timedelta(days=9)).replace(second=0, microsecond=0)
    ctx.lifecycle.extend(ADMIN, code, "Cần xác minh thực địa", new)
    changes = [h for h in ctx.workspace.page(code).history if h.what == "due.change"]
    assert [h.detail for h in changes] == [f"{to_vn(before):%d/%m/%Y %H:%M} → {to_vn(new):%d/%m/%Y %H:%M}"]
