"""Every transition from its allowed states, every refusal from the others, and who may do what."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.context import AppContext
from desktop.db.models import DossierStatus, Role
from desktop.kernel.errors import Conflict, InvalidInput, PermissionDenied
from desktop.lifecycle.machine import TRANSITIONS, Action, allowed, status_name
from tests.lifecycle.conftest import ADMIN, ID, Officers, SealDouble, bring_to, make_pdf, vn

S = DossierStatus


def perform(ctx: AppContext, code: str, action: Action, tmp: Path, actor=ADMIN):  # type: ignore[no-untyped-def]
    """``action`` on ``code`` with valid arguments."""
    lc = ctx.lifecycle
    calls = {
        Action.ACCEPT: lambda: lc.accept(actor, code),
        Action.REFUSE: lambda: lc.refuse(actor, code, "Không thuộc thẩm quyền"),
        Action.PROCESS: lambda: lc.process(actor, code, receiver="Lê Tư", department="Phòng Tư pháp"),
        Action.HANDOFF: lambda: lc.handoff(actor, code, receiver="Lãnh đạo", department="Lãnh đạo UBND"),
        Action.SUPPLEMENT: lambda: lc.supplement(actor, code, "Thiếu tờ khai", ["TK"]),
        Action.RESUME: lambda: lc.resume(actor, code),
        Action.EXTEND: lambda: lc.extend(actor, code, "Cần xác minh", vn("2030-01-07 08:00")),
        Action.OBLIGATION: lambda: lc.obligation(actor, code),
        Action.STOP: lambda: lc.stop(actor, code, "Dừng theo đề nghị"),
        Action.WITHDRAW: lambda: lc.withdraw(actor, code),
        Action.RESULT: lambda: lc.attach_result(actor, code, make_pdf(tmp / f"r-{code}.pdf"), SealDouble()),
        Action.RETURN: lambda: lc.return_result(actor, code, id_number=ID),
        Action.POST_HANDOVER: lambda: lc.return_result(actor, code, channel="post"),
        Action.POST_SENT: lambda: lc.post_sent(actor, code, "EB123456789VN"),
        Action.POST_DELIVERED: lambda: lc.post_delivered(actor, code),
    }
    return calls[action]()


GATED = [a for a in TRANSITIONS if a not in (Action.RECEIVE, Action.FEE_PAID)]
assert Action.FEE not in TRANSITIONS  # a history entry, not a transition


@pytest.mark.parametrize("status", list(S), ids=lambda s: f"s{int(s)}")
def test_every_action_not_allowed_from_a_status_is_refused_naming_the_status_and_the_allowed(
        ctx: AppContext, tmp_path: Path, status: DossierStatus) -> None:
    code = bring_to(ctx, status, tmp_path)
    names = [t.action.value for t in allowed(status)]
    refused = [a for a in GATED if status not in TRANSITIONS[a].sources]
    assert refused, "every status refuses something"
    history = len(ctx.lifecycle.history(code))
    for action in refused:
        with pytest.raises(Conflict) as err:
            perform(ctx, code, action, tmp_path)
        text = str(err.value)
        assert status_name(status) in text, text
        for n in names:
            assert n in text, (action, text)
        if not names:
            assert "không còn thao tác nào" in text
    assert len(ctx.lifecycle.history(code)) == history, "a refusal left no trace in the history"


TARGETS = [(s, a) for a in GATED for s in sorted(TRANSITIONS[a].sources)
           if a not in (Action.POST_SENT, Action.POST_DELIVERED)]


@pytest.mark.parametrize(("status", "action"), TARGETS, ids=lambda v: str(getattr(v, "value", v)))
def test_every_transition_from_every_allowed_status(ctx: AppContext, tmp_path: Path, status: DossierStatus,
                                                    action: Action) -> None:
    code = bring_to(ctx, status, tmp_path)
    out = perform(ctx, code, action, tmp_path)
    t = TRANSITIONS[action]
    assert out.status == (t.target if t.target is not None else status)
    assert out.form == t.form
    last = ctx.lifecycle.history(code)[-1]
    assert (last.status, last.action) == (out.status, action.value)


def test_postal_steps_in_order(ctx: AppContext, tmp_path: Path) -> None:
    code = bring_to(ctx, S.DONE, tmp_path)
    with pytest.raises(Conflict, match="không đúng thứ tự"):
        ctx.lifecycle.post_sent(ADMIN, code, "EB1VN")  # not handed over yet
    ctx.lifecycle.return_result(ADMIN, code, channel="post")
    with pytest.raises(Conflict, match="không đúng thứ tự"):
        ctx.lifecycle.post_delivered(ADMIN, code)  # not sent yet
    with pytest.raises(InvalidInput, match="vận đơn"):
        ctx.lifecycle.post_sent(ADMIN, code, "  ")
    assert ctx.lifecycle.post_sent(ADMIN, code, "EB123456789VN").status == S.DONE
    assert ctx.lifecycle.post_delivered(ADMIN, code).status == S.RESULT_RETURNED
    rows = ctx.lifecycle.postal_list()
    assert [(r["code"], r["state"], r["waybill"]) for r in rows] == [(code, "delivered", "EB123456789VN")]


def test_roles_are_checked_in_the_core(ctx: AppContext, officers: Officers, tmp_path: Path) -> None:
    code = bring_to(ctx, S.PROCESSING, tmp_path)
    for action in (Action.EXTEND, Action.STOP, Action.RESULT):  # decisions of the agency, not of the post
        assert Role.POSTAL_AGENT not in TRANSITIONS[action].roles
        with pytest.raises(PermissionDenied, match="Nhân viên bưu điện"):
            perform(ctx, code, action, tmp_path, officers.postal)
    with pytest.raises(PermissionDenied, match="Lãnh đạo"):
        perform(ctx, code, Action.SUPPLEMENT, tmp_path, officers.supervisor)
    assert perform(ctx, code, Action.EXTEND, tmp_path, officers.counter).status == S.PROCESSING
    assert [t.action for t in allowed(S.PROCESSING, officers.postal)] == [
        Action.HANDOFF, Action.SUPPLEMENT, Action.OBLIGATION, Action.WITHDRAW]


def test_bad_input_supplement_without_reason_and_unknown_component(ctx: AppContext, tmp_path: Path) -> None:
    code = bring_to(ctx, S.PROCESSING, tmp_path)
    with pytest.raises(InvalidInput, match="lý do"):
        ctx.lifecycle.supplement(ADMIN, code, "   ", ["TK"])
    with pytest.raises(InvalidInput, match="XYZ"):
        ctx.lifecycle.supplement(ADMIN, code, "Thiếu", ["XYZ"])
    with pytest.raises(InvalidInput, match="thành phần"):  # form 02 must say what to bring
        ctx.lifecycle.supplement(ADMIN, code, "Thiếu", ["  "])
    for fn in (lambda: ctx.lifecycle.refuse(ADMIN, code, ""), lambda: ctx.lifecycle.stop(ADMIN, code, "")):
        with pytest.raises((InvalidInput, Conflict)):
            fn()
    assert ctx.lifecycle.history(code)[-1].status == S.PROCESSING


def test_resuming_a_dossier_never_paused_is_refused(ctx: AppContext, tmp_path: Path) -> None:
    code = bring_to(ctx, S.PROCESSING, tmp_path)
    with pytest.raises(Conflict, match="không đang tạm dừng chờ bổ sung") as err:
        ctx.lifecycle.resume(ADMIN, code)
    assert status_name(S.PROCESSING) in str(err.value) and "supplement" in str(err.value)


def test_extension_to_a_date_before_today_is_refused(ctx: AppContext, tmp_path: Path) -> None:
    code = bring_to(ctx, S.PROCESSING, tmp_path)
    with pytest.raises(InvalidInput, match="đã qua"):
        ctx.lifecycle.extend(ADMIN, code, "Cần xác minh", vn("2020-01-01 08:00"))
    with pytest.raises(InvalidInput, match="lý do"):
        ctx.lifecycle.extend(ADMIN, code, "", vn("2030-01-01 08:00"))


def test_a_result_that_is_not_a_pdf_or_whose_signature_does_not_verify_is_not_recorded(
        ctx: AppContext, tmp_path: Path) -> None:
    code = bring_to(ctx, S.PROCESSING, tmp_path)
    fake = tmp_path / "ket-qua.pdf"
    fake.write_bytes(b"PK\x03\x04 a zip, not a PDF")
    sealer = SealDouble()
    with pytest.raises(InvalidInput, match="không phải tệp PDF"):
        ctx.lifecycle.attach_result(ADMIN, code, fake, sealer)
    assert sealer.sealed == [], "no token use for a file that is not a PDF"
    with pytest.raises(InvalidInput, match="không hợp lệ: Digest Mismatch"):
        ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), SealDouble(ok=False))
    assert ctx.lifecycle.history(code)[-1].status == S.PROCESSING
    assert [f for f in ctx.dossiers.files(code) if f.kind == "result"] == []
    assert not list((ctx.settings.files_dir / "results").glob("*")), "the rejected copy was removed"
    sealer = SealDouble()
    out = ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), sealer, digitized=True)
    rec = ctx.lifecycle.record(code)
    assert out.status == S.DONE and rec["results"][0]["digitized"] is True and rec["results"][0]["reusable"] is True
    # the seal went to the attached result (its recorded state, "verified", is test_cli's, with the real token)
    assert sealer.sealed == [next(f.id for f in ctx.dossiers.files(code) if f.kind == "result")]


def test_a_whole_life_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    from desktop.config import Settings
    from desktop.outbox.models import OutboxJob

    ctx = AppContext(Settings(data_dir=tmp_path / "pg", db_url=pg_url))
    try:
        code = bring_to(ctx, S.RESULT_RETURNED, tmp_path)
        assert [h.status for h in ctx.lifecycle.history(code)] == [2, 4, 9, 10]
        with ctx.db.session() as s:
            jobs = [(j.kind, (j.payload or {}).get("action")) for j in
                    s.query(OutboxJob).filter_by(dossier_code=code).order_by(OutboxJob.seq)]
        assert jobs == [("dossier", None), ("status", "process"), ("file", None), ("status", "result"),
                        ("status", "return")]
    finally:
        ctx.close()
