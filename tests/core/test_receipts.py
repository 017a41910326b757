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
