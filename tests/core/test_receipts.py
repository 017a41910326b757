"""The receipt PDF: Vietnamese text survives extraction, the QR in the top-left decodes."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image

from desktop.dossiers import DossierView
from desktop.kernel.timeutil import VN_TZ
from desktop.receipts import ReceiptInfo, write_receipt


def _dossier() -> DossierView:
    return DossierView(1, "000.00.06.H56-231027-0001", "1.001193", "Đăng ký khai sinh", "Nguyễn Thị Hồng Nhung",
                       "079301234567", 1, 2, datetime(2023, 10, 27, 9, 32, tzinfo=VN_TZ),
                       datetime(2023, 11, 3, 9, 32, tzinfo=VN_TZ), "lan",
                       [("TP1", "Tờ khai đăng ký khai sinh"), ("TP2", "Giấy chứng sinh")])


def test_receipt_text_and_qr(tmp_path: Path) -> None:
    out = write_receipt(_dossier(), ReceiptInfo("UBND phường Quy Nhơn", officer_name="Trần Thị Lan", days=5),
                        tmp_path / "r" / "receipt.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Thị Hồng Nhung", "Tờ khai đăng ký khai sinh",
                     "09 giờ 32 phút, ngày 27/10/2023", "09 giờ 32 phút, ngày 03/11/2023", "5 ngày làm việc"):
        assert expected in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(out), str(tmp_path / "page")], check=True)
    page = np.asarray(Image.open(tmp_path / "page.png").convert("L"))
    h, w = page.shape
    results = zxingcpp.read_barcodes(page[: h // 4, : w // 3])  # top-left corner only
    assert results, "no QR code in the top-left corner"
    payload = json.loads(results[0].text)
    assert payload["ma_ho_so"] == "000.00.06.H56-231027-0001"
    assert payload["ma_tthc"] == "1.001193"
    assert payload["so_dinh_danh"] == "079301234567"
    assert payload["ngay_hen_tra"] == "2023-11-03"
    assert not list(out.parent.glob(".receipt-*")), "temporary file left behind"


def test_an_organisations_receipt_names_it_with_its_tax_code_on_one_page(tmp_path: Path) -> None:
    """The applicant acts for an organisation: form 01 prints its name and tax code (Mã số
    thuế) under the representative's ID number, and a long name still fits the one A5 page."""
    import dataclasses

    import pikepdf

    name = "Công ty Cổ phần Đầu tư Xây dựng và Phát triển Hạ tầng Kỹ thuật Đô thị Bình Định Thương mại Dịch vụ"
    d = dataclasses.replace(_dossier(), tax_code="0300588569-002", organisation=name,
                            components=[(f"TP{i}", f"Thành phần hồ sơ số {i} của tổ chức") for i in range(1, 7)])
    out = write_receipt(d, ReceiptInfo("UBND phường Quy Nhơn", officer_name="Trần Thị Lan", days=5,
                                       applicant_address="12 Lê Lợi, Quy Nhơn", applicant_phone="0905123456"),
                        tmp_path / "receipt.pdf")
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert f"Tên tổ chức: {name} Mã số thuế: 0300588569-002" in text
    assert "Ông/Bà Nguyễn Thị Hồng Nhung" in text and "Thành phần hồ sơ số 6 của tổ chức" in text
    own = write_receipt(_dossier(), ReceiptInfo("UBND phường Quy Nhơn"), tmp_path / "own.pdf")
    assert "Mã số thuế" not in subprocess.run(["pdftotext", str(own), "-"], capture_output=True, text=True,
                                              check=True).stdout  # a citizen's own dossier: no such line
