"""The result's Circular 01/2023 QR code and its validity (issue 12): stamped top-left of the
first page before the seal (or on a cover page in front when that corner has content), the
seal on a real SoftHSM2 token covering the stamped file, the validity in the citizen's store
(an expired result never reused), and the bad inputs refused before any token is touched."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pikepdf
import pytest
import zxingcpp
from PIL import Image
from reportlab.pdfgen import canvas

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import DossierStatus
from desktop.dossiers import sha256_file
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import set_language
from desktop.lifecycle.results import SealCheck, add_months, parse_validity
from desktop.workflow.signing import FileSealer, TokenChoice
from signing.verify import verify_pdf
from tests.lifecycle.conftest import ADMIN, ID, SealDouble, make_pdf, receive, vn
from tests.signing.conftest import _hsm_token, hsm, pki  # noqa: F401 - fixtures
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI

MARRIAGE = "1.004873"  # Giấy xác nhận tình trạng hôn nhân: the catalogue gives 6 months


def _token(hsm: HsmToken, pki: TestPKI) -> TokenChoice:  # noqa: F811
    return TokenChoice(module_path=hsm.module, token_label=hsm.label, key_id="01", trust=(pki.ca_pem,),
                       organization_cert=hsm.base / "cert-01.pem")


def _processing(ctx: AppContext, proc: str, at: str = "2026-11-02 08:00") -> str:
    code = receive(ctx, proc=proc, at=at)
    ctx.lifecycle.process(ADMIN, code, receiver="Lê Văn Tư", department="Phòng Tư pháp", allotted_hours=8)
    return code


def _qr(pdf: Path, tmp: Path, page: int = 1) -> dict:  # type: ignore[type-arg]
    """The QR decoded from the top-left of ``page`` rendered at 200 dpi, as a scanner would read it."""
    stem = tmp / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                    str(stem)], check=True)
    img = np.asarray(Image.open(f"{stem}.pgm").convert("L"))
    h, w = img.shape
    found = zxingcpp.read_barcodes(img[: h // 5, : w // 3], formats=zxingcpp.BarcodeFormat.QRCode)
    assert found, f"no QR code top-left of page {page}"
    return json.loads(found[0].text)  # type: ignore[no-any-return]


def _text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def _full_page(path: Path) -> Path:
    """A result whose letterhead fills the top-left corner: no room for the QR."""
    c = canvas.Canvas(str(path))
    c.setFillGray(0.3)
    c.rect(0, 742, 595, 100, stroke=0, fill=1)
    c.setFillGray(0)
    c.drawString(72, 700, "Giay xac nhan tinh trang hon nhan")
    c.save()
    return path


@dataclass
class NoToken:
    """A sealer that fails the test when it is reached: the input must be refused first."""

    calls: list[int] = field(default_factory=list)

    def seal_file(self, actor: Actor, file_id: int, *, valid_until: date | None = None) -> SealCheck:
        self.calls.append(file_id)
        raise AssertionError("the token was reached")


def test_the_sealed_result_carries_its_qr_with_the_catalogues_validity_and_the_seal_covers_it(
        ctx: AppContext, tmp_path: Path, hsm: HsmToken, pki: TestPKI) -> None:  # noqa: F811
    code = _processing(ctx, MARRIAGE)
    sealer = FileSealer(ctx.db, ctx.audit, ctx.outbox, _token(hsm, pki), hsm.pin)
    out = ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "xn.pdf", "Giay xac nhan"), sealer,
                                      at=vn("2026-11-05 09:30"))
    assert out.status == DossierStatus.DONE
    assert out.extra["valid_until"] == "2027-05-05" and out.extra["qr"] == "first_page"
    sealed = Path(out.extra["file"])
    qr = _qr(sealed, tmp_path)
    assert qr == {"ma_ho_so": code, "ma_tthc": MARRIAGE, "so_dinh_danh": ID,
                  "ten_giay_to": "Giấy xác nhận tình trạng hôn nhân", "loai": "ket_qua", "he_thong": "motcua",
                  "thoi_gian": "2026-11-05T09:30:00+07:00", "hieu_luc_den": "2027-05-05"}
    with pikepdf.open(sealed) as pdf:
        assert len(pdf.pages) == 1  # the corner was blank: no page added
    assert "Giay xac nhan" in _text(sealed, 1)
    report = verify_pdf(sealed, [pki.ca_pem], expected_cert=hsm.base / "cert-01.pem")
    assert report.ok, report.problems
    assert [s.coverage for s in report.signatures] == ["ENTIRE_FILE"]  # the QR is inside what was signed
    docs = ctx.store.list_for(ADMIN, ID, why="test")
    assert [(d.kind, d.valid_until, d.expired) for d in docs] == [("result", date(2027, 5, 5), False)]
    assert ctx.lifecycle.history(code)[-1].status == DossierStatus.DONE
    # the upload carries the validity: the embedded folder system's metadata of the result says it
    assert ctx.outbox.drain(ADMIN, timeout=60).get("parked", 0) == 0
    files = ctx.settings.data_dir / "dossier-system" / code / "files"
    [meta] = [m for m in (json.loads(p.read_text(encoding="utf-8")) for p in files.glob("*.json"))
              if m["kind"] == "result"]
    assert (meta["valid_until"], meta["sha256"]) == ("2027-05-05", sha256_file(sealed))


def test_an_expired_result_is_listed_as_such_and_never_reused(ctx: AppContext, tmp_path: Path, hsm: HsmToken,  # noqa: F811
                                                              pki: TestPKI) -> None:  # noqa: F811
    code = _processing(ctx, MARRIAGE, at="2026-11-02 08:00")
    sealer = FileSealer(ctx.db, ctx.audit, ctx.outbox, _token(hsm, pki), hsm.pin)
    ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "xn.pdf"), sealer, at=vn("2026-11-03 09:00"),
                                valid_until=date(2026, 11, 30))  # today is after it
    assert ctx.store.list_for(ADMIN, ID, why="test") == []
    [doc] = ctx.store.list_for(ADMIN, ID, why="test", include_expired=True)
    assert (doc.valid_until, doc.expired) == (date(2026, 11, 30), True)
    later = receive(ctx, proc="1.004884", at="2026-12-01 08:00")
    set_language("en")
    with pytest.raises(InvalidInput, match="expired on 30/11/2026"):
        ctx.store.reuse(ADMIN, later, "TK", doc.id)


def test_a_first_page_with_no_room_gets_a_cover_page_in_front_with_no_end_date(ctx: AppContext,
                                                                              tmp_path: Path) -> None:
    code = _processing(ctx, "1.004884")
    seal = SealDouble()
    out = ctx.lifecycle.attach_result(ADMIN, code, _full_page(tmp_path / "kq.pdf"), seal, valid_until=None,
                                      at=vn("2026-11-05 10:00"))
    assert out.extra["qr"] == "cover_page" and seal.valid_until == [None]
    stamped = Path(out.extra["file"])
    with pikepdf.open(stamped) as pdf:
        assert len(pdf.pages) == 2
    qr = _qr(stamped, tmp_path)
    assert (qr["ma_ho_so"], qr["hieu_luc_den"], qr["ten_giay_to"]) == (code, None, "Giấy khai sinh")
    assert "không thời hạn" in _text(stamped, 1)
    assert "Giay xac nhan tinh trang hon nhan" in _text(stamped, 2)  # the result itself, untouched, after it


def test_a_validity_before_the_results_date_is_refused_in_either_language(ctx: AppContext, tmp_path: Path) -> None:
    code = _processing(ctx, "1.004884")
    sealer = NoToken()
    for lang, words in (("vi", "trước ngày cấp kết quả 05/11/2026"), ("en", "before the result's date 05/11/2026")):
        set_language(lang)
        with pytest.raises(InvalidInput, match=words):
            ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), sealer,
                                        at=vn("2026-11-05 10:00"), valid_until=date(2026, 11, 4))
    assert sealer.calls == [] and ctx.dossiers.files(code) == []
    assert ctx.lifecycle.history(code)[-1].status == DossierStatus.PROCESSING


def _encrypted(path: Path) -> Path:
    with pikepdf.open(make_pdf(path.with_suffix(".plain.pdf"))) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="chu", user="", R=6))
    return path


def _damaged(path: Path) -> Path:
    data = make_pdf(path.with_suffix(".whole.pdf")).read_bytes()
    path.write_bytes(data[: len(data) // 3])  # a download cut short
    return path


def test_an_encrypted_or_damaged_result_is_refused_before_any_token(ctx: AppContext, tmp_path: Path) -> None:
    code = _processing(ctx, "1.004884")
    set_language("en")
    sealer = NoToken()
    for bad, words in ((_encrypted(tmp_path / "locked.pdf"), "encrypted"), (_damaged(tmp_path / "cut.pdf"), "damaged PDF")):
        with pytest.raises(InvalidInput, match=words):
            ctx.lifecycle.attach_result(ADMIN, code, bad, sealer)
    assert sealer.calls == [] and ctx.dossiers.files(code) == []
    results = ctx.settings.files_dir / "results"
    assert not results.exists() or not list(results.glob("*.pdf"))


def test_valid_until_parsing_and_months() -> None:
    assert parse_validity("none") is None and parse_validity("2027-05-05") == date(2027, 5, 5)
    set_language("en")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD, or none"):
        parse_validity("05/05/2027")
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 5), 6) == date(2027, 5, 5)


def test_the_catalogue_gives_a_default_in_months_and_refuses_one_that_is_not(ctx: AppContext) -> None:
    from desktop.catalogue import _validate

    assert (ctx.catalogue.get(MARRIAGE).result_valid_months, ctx.catalogue.get("1.004884").result_valid_months) \
        == (6, None)  # seeded from the bundled file
    for bad in ("6", 0, -1, 1.5, True):
        with pytest.raises(InvalidInput, match="result_valid_months"):
            _validate({"procedures": [{"code": "9.9", "name": "x", "days": 1, "components": [],
                                       "result_valid_months": bad}]}, "t.json")


def test_an_imported_validity_is_kept_and_is_the_default_of_the_result(ctx: AppContext, tmp_path: Path) -> None:
    """``catalogue import`` keeps ``result_valid_months`` in the database (it used to be read
    from the bundled file only): the imported value is exported, offered on the dossier page
    and taken by a result recorded without a validity; one dropped from the catalogue goes."""
    from desktop.catalogue import CATALOGUE_FILE

    doc = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    for p in doc["procedures"]:
        if p["code"] == "1.004884":
            p["result_valid_months"] = 12
        p.pop("result_valid_months", None) if p["code"] == MARRIAGE else None
    new = tmp_path / "catalogue-2027.json"
    new.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert ctx.catalogue.import_file(ADMIN, new) == 2
    assert ctx.catalogue.get("1.004884").to_dict()["result_valid_months"] == 12
    assert ctx.catalogue.get(MARRIAGE).result_valid_months is None
    code = _processing(ctx, "1.004884")
    assert ctx.workspace.page(code).result_valid_months == 12
    seal = SealDouble()
    out = ctx.lifecycle.attach_result(ADMIN, code, make_pdf(tmp_path / "kq.pdf"), seal, at=vn("2026-11-05 10:00"))
    assert out.extra["valid_until"] == "2027-11-05" and seal.valid_until == [date(2027, 11, 5)]
    assert _qr(Path(out.extra["file"]), tmp_path)["hieu_luc_den"] == "2027-11-05"

