"""The seven forms for real dossiers: text (pdftotext), QR code top-left and barcode decoded, A5/A4,
PDF/A-2b declaration and embedded fonts, the place name from settings, admin templates."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
import zxingcpp
from PIL import Image

from desktop.config import load_settings
from desktop.context import AppContext
from desktop.forms.templates import BUILTIN, admin_path
from tests.lifecycle.conftest import ADMIN, ID, receive, vn

PLACE = "Quy Nhơn"


@pytest.fixture
def fctx(data_dir: Path) -> AppContext:
    settings = load_settings(data_dir)
    settings.extra["forms"] = {"place": PLACE, "agency": "UBND phường Quy Nhơn", "parent_agency": "UBND tỉnh Bình Định",
                               "help_line": "Bộ phận Một cửa, điện thoại 0256 3822 123"}
    settings.save()
    c = AppContext(load_settings(data_dir))
    yield c  # type: ignore[misc]
    c.close()


def _life(ctx: AppContext) -> tuple[str, str]:
    lc = ctx.lifecycle
    code = receive(ctx, at="2026-11-02 08:00", applicant_address="12 Lê Lợi, Quy Nhơn")
    lc.process(ADMIN, code, receiver="Lê Văn Tư", department="Phòng Tư pháp", allotted_hours=8, at=vn("2026-11-02 09:00"))
    lc.supplement(ADMIN, code, "Bản sao giấy khai sinh bị mờ", ["BS"], at=vn("2026-11-04 10:00"))
    lc.resume(ADMIN, code, at=vn("2026-11-09 14:00"))
    lc.extend(ADMIN, code, "Cần xác minh thông tin với nơi đăng ký cũ", vn("2026-11-20 16:00"), at=vn("2026-11-11 09:00"))
    lc.stop(ADMIN, code, "Người yêu cầu đề nghị dừng", at=vn("2026-11-12 09:00"))
    refused = receive(ctx, at="2026-11-02 09:00")
    lc.refuse(ADMIN, refused, "Hồ sơ không thuộc thẩm quyền giải quyết của UBND phường", at=vn("2026-11-02 09:10"))
    return code, refused


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _codes(pdf: Path, tmp: Path) -> tuple[dict, list[str]]:  # type: ignore[type-arg]
    stem = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(stem)],
                   check=True)
    page = np.asarray(Image.open(f"{stem}.png").convert("L"))
    h, w = page.shape
    qrs = zxingcpp.read_barcodes(page[: h // 5, : w // 3], formats=zxingcpp.BarcodeFormat.QRCode)
    assert qrs, "no QR code in the top-left corner"
    bars = zxingcpp.read_barcodes(page[: h // 2], formats=zxingcpp.BarcodeFormat.Code128)
    return json.loads(qrs[0].text), [b.text for b in bars]


def check_pdfa(pdf: Path) -> None:
    """PDF/A-2b for the independent validator (tests/pdfa_check.py) and, in detail, as pikepdf
    sees it: declaration, Info equal to XMP, output intent, every font embedded."""
    from tests.pdfa_check import assert_pdfa

    assert_pdfa(pdf)
    subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
    with pikepdf.open(pdf) as doc:
        meta = doc.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        # Info and XMP say the same (PDF/A requires it)
        assert str(doc.docinfo["/Title"]) == meta["dc:title"] and str(doc.docinfo["/Producer"]) == meta["pdf:Producer"]
        assert "+07'00'" in str(doc.docinfo["/CreationDate"]) and meta["xmp:CreateDate"].endswith("+07:00")
        intents = doc.Root.OutputIntents
        assert str(intents[0].S) == "/GTS_PDFA1" and intents[0].DestOutputProfile.N == 3
        assert "/ID" in doc.trailer and not doc.is_encrypted
        fonts = 0
        for page in doc.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                fonts += 1
                desc = font.get("/FontDescriptor")
                assert desc is not None and "/FontFile2" in desc, f"font {font.get('/BaseFont')} not embedded"
        assert fonts


def test_every_form_for_a_real_dossier(fctx: AppContext, tmp_path: Path) -> None:
    code, refused = _life(fctx)
    expected = {
        "01": ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Thị Hồng Nhung", "12 Lê Lợi, Quy Nhơn",
               "08 giờ 00 phút, ngày 02/11/2026", "5 ngày làm việc", "Bản sao giấy khai sinh"],
        "02": ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Bản sao giấy khai sinh bị mờ", "22 giờ 00 phút",
               "Bản sao giấy khai sinh hoặc giấy tờ",
               "0256 3822 123"],
        "04": ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Cần xác minh thông tin", "16 giờ 00 phút, ngày 20/11/2026",
               "10 giờ 00 phút, ngày 12/11/2026"],
        "05": ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Người yêu cầu đề nghị dừng", "Đang giải quyết"],
        "06": ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Phòng Tư pháp", "Lê Văn Tư",
               "09 giờ 00 phút, ngày 02/11/2026"],
    }
    for number, needles in [*expected.items(), ("03", ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                                                      "không thuộc thẩm quyền giải quyết"])]:
        dossier = refused if number == "03" else code
        out = fctx.forms.render(number, dossier, tmp_path / f"{number}.pdf", issued_at=vn("2026-11-12 10:00")).path
        text = _text(out)
        for needle in [*needles, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                       "UBND PHƯỜNG QUY NHƠN", f"{PLACE}, ngày 12 tháng 11 năm 2026", f"Mã hồ sơ: {dossier}"]:
            assert needle in " ".join(text.split()) or needle in text, (number, needle, text)
        qr, bars = _codes(out, tmp_path)
        assert (qr["ma_ho_so"], qr["ma_tthc"], qr["so_dinh_danh"], qr["mau_so"]) == (dossier, "1.004884", ID, number)
        assert qr["thoi_gian"] == "2026-11-12T10:00:00+07:00" and qr["he_thong"] == "motcua"
        assert dossier in bars, f"form {number}: barcode {bars}"
        if number == "01":
            assert qr["ngay_hen_tra"] == "2026-11-20"  # the due date in force (extended)
            assert qr["ten_giay_to"] == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
        with pikepdf.open(out) as doc:
            box = [float(x) for x in doc.pages[0].MediaBox]
            assert abs(box[2] - 419.5) < 1 and abs(box[3] - 595.3) < 1, "A5"
        check_pdfa(out)


def test_place_name_comes_from_the_settings(ctx: AppContext, tmp_path: Path) -> None:
    code = receive(ctx)
    out = ctx.forms.render("01", code, tmp_path / "blank.pdf", issued_at=vn("2026-11-02 08:05")).path
    assert "........................, ngày 02 tháng 11 năm 2026" in _text(out)  # not configured: dots to fill in
    ctx.settings.extra["forms"] = {"place": "Tuy Phước"}
    out = ctx.forms.render("01", code, tmp_path / "a.pdf", issued_at=vn("2026-11-02 08:05")).path
    assert "Tuy Phước, ngày 02 tháng 11 năm 2026" in _text(out)


def test_admin_template_wins_and_a_broken_one_falls_back_with_the_error_logged(
        fctx: AppContext, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    code = receive(fctx)
    doc = json.loads(BUILTIN.read_text(encoding="utf-8"))
    v = doc["forms"]["01"]["versions"][0]
    newer = json.loads(json.dumps(v))
    newer.update(version="2026.1", effective_date="2026-01-01", title="GIẤY TIẾP NHẬN (MẪU CỦA TỈNH)")
    doc["forms"]["01"]["versions"].append(newer)
    path = admin_path(fctx.settings.data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = fctx.forms.render("01", code, tmp_path / "admin.pdf", issued_at=vn("2026-11-02 08:05"))
    assert (r.source, r.version) == ("admin", "2026.1") and "MẪU CỦA TỈNH" in _text(r.path)
    old = fctx.forms.render("01", code, tmp_path / "old.pdf", issued_at=vn("2025-12-01 08:05"))
    assert old.version == "2025.1", "a document dated before the new version uses the old one"
    listed = {f["number"]: f for f in fctx.forms.list(vn("2026-11-02 08:00").date())}
    assert (listed["01"]["source"], listed["01"]["version"]) == ("admin", "2026.1")
    # the administrator breaks it: a placeholder that does not exist
    newer["texts"]["intro"] = "{agency} tiếp nhận hồ sơ của {ong_ba_khong_co}"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="desktop.forms.service"):
        r = fctx.forms.render("01", code, tmp_path / "fallback.pdf", issued_at=vn("2026-11-02 08:05"))
    assert (r.source, r.version) == ("builtin", "2025.1") and "ong_ba_khong_co" in r.fallback_reason
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in _text(r.path)
    assert any("does not render" in rec.getMessage() for rec in caplog.records)
    # and an unreadable file is ignored (logged) too
    path.write_text("{ not json", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert fctx.forms.render("01", code, tmp_path / "x.pdf").source == "builtin"
    assert any("cannot be read" in rec.getMessage() for rec in caplog.records)


def test_register_07_as_pdf_and_xlsx(fctx: AppContext, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    codes = [receive(fctx, at=f"2026-11-{d:02d} 08:00") for d in (2, 3, 30)]
    receive(fctx, at="2026-12-01 08:00")  # outside the period
    r = fctx.forms.register(vn("2026-11-01 00:00").date(), vn("2026-11-30 00:00").date(), tmp_path / "so.pdf")
    text = _text(r.path)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ ngày 01/11/2026 đến ngày 30/11/2026" in text
    assert all(c in text for c in codes) and text.count("000.00.00.H00-2612") == 0
    with pikepdf.open(r.path) as doc:
        box = [float(x) for x in doc.pages[0].MediaBox]
        assert box[2] > box[3] and abs(box[2] - 841.9) < 1, "A4 landscape"
    check_pdfa(r.path)
    x = fctx.forms.register(vn("2026-11-01 00:00").date(), vn("2026-11-30 00:00").date(), tmp_path / "so.xlsx")
    ws = load_workbook(x.path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "SỔ THEO DÕI HỒ SƠ" and rows[3][1] == "Mã hồ sơ"
    assert [row[1] for row in rows[4:-2]] == codes
    assert str(rows[-1][0]).startswith("Đầu chuỗi nhật ký kiểm toán: #")  # below the table: the audit head
    assert rows[4][4] == "Nguyễn Thị Hồng Nhung" and rows[4][6].strftime("%d/%m/%Y %H:%M") == "02/11/2026 08:00"


def test_receipt_module_renders_form_01(tmp_path: Path) -> None:
    from desktop.dossiers import DossierView
    from desktop.receipts import ReceiptInfo, write_receipt

    d = DossierView(1, "000.00.06.H56-231027-0001", "1.001193", "Đăng ký khai sinh", "Nguyễn Thị Hồng Nhung",
                    "079301234567", 1, 2, vn("2023-10-27 09:32"), vn("2023-11-03 09:32"), "lan", [("TK", "Tờ khai")])
    out = write_receipt(d, ReceiptInfo("UBND phường Quy Nhơn", place="Quy Nhơn", days=5), tmp_path / "r.pdf")
    assert "Quy Nhơn, ngày" in _text(out)
    check_pdfa(out)
    assert shutil.which("pdftotext")


def test_the_place_is_read_from_the_units_name_when_it_is_not_set(ctx: AppContext, tmp_path: Path) -> None:
    """The receipt said "........, ngày …" on every workstation set up with only its unit's name."""
    from desktop.forms.data import place_from_agency

    assert place_from_agency("UBND phường Quy Nhơn") == "Quy Nhơn"
    assert place_from_agency("Ủy ban nhân dân xã Tuy Phước") == "Tuy Phước"
    assert place_from_agency("Trung tâm Phục vụ hành chính công tỉnh Gia Lai") == "Gia Lai"
    assert place_from_agency("Bộ phận Một cửa") == ""
    code = receive(ctx)
    ctx.settings.extra["forms"] = {"agency": "UBND phường Quy Nhơn"}
    out = ctx.forms.render("01", code, tmp_path / "a.pdf", issued_at=vn("2026-11-02 08:05")).path
    assert "Quy Nhơn, ngày 02 tháng 11 năm 2026" in _text(out)
