"""Fees from the catalogue, no return until paid; return at the counter (ID or proxy), by post, online."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.context import AppContext
from desktop.db.models import DossierStatus
from desktop.kernel.errors import Conflict, InvalidInput
from tests.lifecycle.conftest import ADMIN, ID, PROC_FEE, SealDouble, make_pdf, receive

S = DossierStatus


def _done(ctx: AppContext, tmp: Path, **kw: object) -> str:
    code = receive(ctx, proc=PROC_FEE, **kw)
    ctx.lifecycle.process(ADMIN, code)
    ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp / f"kq-{code}.pdf"), SealDouble())
    return code


def test_fees_come_from_the_catalogue_and_block_the_return_until_paid(ctx: AppContext, tmp_path: Path) -> None:
    code = _done(ctx, tmp_path)
    fees = ctx.lifecycle.record(code)["fees"]
    assert [(f["name"], f["amount"], f["collection"], f["state"]) for f in fees] == [
        ("Lệ phí", 15000, "before", "waiting")]
    with pytest.raises(Conflict, match="15.000"):
        ctx.lifecycle.return_result(ADMIN, code, id_number=ID)
    with pytest.raises(InvalidInput, match="bitcoin"):
        ctx.lifecycle.pay_fees(ADMIN, code, "bitcoin")
    ctx.lifecycle.pay_fees(ADMIN, code, "transfer", "HD-0001234")
    fee = ctx.lifecycle.record(code)["fees"][0]
    assert (fee["state"], fee["method"], fee["receipt_ref"]) == ("paid", "transfer", "HD-0001234")
    with pytest.raises(Conflict, match="không có khoản phí nào"):
        ctx.lifecycle.pay_fees(ADMIN, code, "cash")
    assert ctx.lifecycle.return_result(ADMIN, code, id_number=ID).status == S.RESULT_RETURNED
    # the payment went to the portal too (a history row without a status change)
    assert [h.action for h in ctx.lifecycle.history(code)][-2:] == ["fee", "return"]


def test_an_exempt_fee_does_not_block(ctx: AppContext, tmp_path: Path) -> None:
    code = receive(ctx)  # the catalogue gives 0 VND: exempt
    assert ctx.lifecycle.record(code)["fees"][0]["collection"] == "exempt"


def test_financial_obligation_paid_goes_back_to_processing(ctx: AppContext) -> None:
    code = receive(ctx, proc=PROC_FEE)
    ctx.lifecycle.process(ADMIN, code)
    assert ctx.lifecycle.obligation(ADMIN, code).status == S.FINANCIAL_OBLIGATION
    assert ctx.lifecycle.pay_fees(ADMIN, code, "online", "VNPAY-1").status == S.PROCESSING  # type: ignore[union-attr]


def test_return_to_someone_whose_id_does_not_match_and_has_no_authorization_is_refused(
        ctx: AppContext, tmp_path: Path) -> None:
    code = _done(ctx, tmp_path)
    ctx.lifecycle.pay_fees(ADMIN, code, "cash")
    with pytest.raises(InvalidInput, match="không khớp người nộp hồ sơ"):
        ctx.lifecycle.return_result(ADMIN, code, id_number="079301239999")
    with pytest.raises(InvalidInput, match="CCCD"):
        ctx.lifecycle.return_result(ADMIN, code, id_number="")
    assert ctx.lifecycle.history(code)[-1].status == S.DONE
    # a proxy with an authorization letter: the letter is digitized into the dossier
    letter = make_pdf(tmp_path / "giay-uy-quyen.pdf", "Giay uy quyen")
    out = ctx.lifecycle.return_result(ADMIN, code, id_number="079301239999", recipient_name="Nguyễn Văn Bảo",
                                      proxy_file=letter)
    assert out.status == S.RESULT_RETURNED
    files = ctx.dossiers.files(code)
    assert [f.kind for f in files if f.filename == "giay-uy-quyen.pdf"] == ["authorization"]
    ret = ctx.lifecycle.record(code)["returns"][0]
    assert (ret["channel"], ret["recipient"]) == ("counter", "Nguyễn Văn Bảo")
    with pytest.raises(Conflict):
        ctx.lifecycle.return_result(ADMIN, code, id_number=ID)


def test_by_post_needs_the_address_taken_at_reception(ctx: AppContext, tmp_path: Path) -> None:
    code = _done(ctx, tmp_path)
    ctx.lifecycle.pay_fees(ADMIN, code, "cash")
    with pytest.raises(InvalidInput, match="địa chỉ"):
        ctx.lifecycle.return_result(ADMIN, code, channel="post")
    ctx.lifecycle.set_postal_address(ADMIN, code, {"name": "Nguyễn Thị Hồng Nhung", "address": "12 Lê Lợi, Quy Nhơn",
                                                   "phone": "0905123456"})
    out = ctx.lifecycle.return_result(ADMIN, code, channel="post")
    assert out.status == S.DONE and out.extra["handover_no"].startswith("BD-")
    listed = ctx.lifecycle.postal_list(out.extra["handover_no"])
    assert [(r["code"], r["address"], r["phone"], r["state"]) for r in listed] == [
        (code, "12 Lê Lợi, Quy Nhơn", "0905123456", "awaiting_post")]
    ctx.lifecycle.post_sent(ADMIN, code, "EB123456789VN")
    assert ctx.lifecycle.post_delivered(ADMIN, code).status == S.RESULT_RETURNED
    ret = ctx.lifecycle.record(code)["returns"][0]
    assert (ret["state"], ret["waybill"]) == ("delivered", "EB123456789VN") and ret["delivered_at"]


def test_postal_handover_list_prints(ctx: AppContext, tmp_path: Path) -> None:
    import subprocess

    from desktop.forms.postal import write_postal_list

    code = receive(ctx, postal_address={"name": "Trần Văn Cường", "address": "5 Nguyễn Huệ, Quy Nhơn"})
    ctx.lifecycle.process(ADMIN, code)
    ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), SealDouble())
    ctx.lifecycle.return_result(ADMIN, code, channel="post")
    out = write_postal_list(ctx.settings, ctx.lifecycle.postal_list(), tmp_path / "bd.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("DANH SÁCH BÀN GIAO KẾT QUẢ CHO BƯU ĐIỆN", code, "Trần Văn Cường", "5 Nguyễn Huệ", "Tổng số: 1"):
        assert expected in text
    from tests.pdfa_check import assert_pdfa

    assert_pdfa(out)


def test_online_return(ctx: AppContext, tmp_path: Path) -> None:
    code = receive(ctx, channel=2)
    ctx.lifecycle.process(ADMIN, code)
    ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), SealDouble())
    out = ctx.lifecycle.return_result(ADMIN, code, channel="online")
    assert out.status == S.RESULT_RETURNED
    assert "trực tuyến" in ctx.lifecycle.history(code)[-1].note
