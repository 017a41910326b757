"""An organisation's tax code at reception: its form, branch suffix and check digit, checked on
the published codes of well-known companies (their registration certificates and invoices)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.kernel.errors import InvalidInput
from desktop.kernel.taxcode import check_digit, normalize_tax_code

#: published tax codes: Vinamilk, Viettel, FPT, Vietcombank, Vingroup, Petrolimex (check digit 0)
PUBLISHED = ("0300588569", "0100109106", "0101248141", "0100112437", "0101245486", "0100107370")


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_pass(code: str) -> None:
    assert normalize_tax_code(code) == code


def test_every_wrong_tenth_digit_is_refused_naming_the_field() -> None:
    for code in PUBLISHED:
        for digit in "0123456789":
            if digit == code[9]:
                continue
            with pytest.raises(InvalidInput) as e:
                normalize_tax_code(code[:9] + digit)
            text = str(e.value)
            assert ("tax code" in text and "check digit" in text) or ("mã số thuế" in text.lower() and
                                                                      "chữ số kiểm tra" in text), text


def test_the_rule_is_ten_minus_not_eleven_minus() -> None:
    # Vinamilk's weighted sum is 375 ≡ 1 (mod 11): 10 - 1 = 9 is its digit; "11 - 1" would call it invalid
    assert check_digit("030058856") == 9
    assert check_digit("010010737") == 0  # Petrolimex: remainder 10
    assert check_digit("000000000") is None  # remainder 0 needs a 10: never issued


def test_branch_suffix_spaces_and_dots() -> None:
    assert normalize_tax_code("0100109106-001") == "0100109106-001"
    assert normalize_tax_code("0100109106001") == "0100109106-001"  # typed without its dash
    assert normalize_tax_code(" 0100 109 106 - 012 ") == "0100109106-012"
    assert normalize_tax_code("0300.588.569") == "0300588569"
    assert normalize_tax_code("  ") == ""
    for bad in ("0100109106-000", "0100109107-001", "010010910", "01001091060", "0100109106-01", "01001O9106"):
        with pytest.raises(InvalidInput):
            normalize_tax_code(bad)


def test_reception_stores_the_organisation_and_refuses_a_wrong_code(tmp_path: Path) -> None:
    ctx = AppContext(load_settings(tmp_path / "ws"))
    try:
        admin = Actor.cli()
        d = ctx.dossiers.receive(admin, procedure_code="2.001035", applicant_name="Lê Thị Mai",
                                 applicant_id_number="001190012345", organisation_tax_code="0300 588 569-002",
                                 organisation_name="  Công ty CP Sữa   Việt Nam ")
        got = ctx.dossiers.get(d.code)
        assert (got.tax_code, got.organisation) == ("0300588569-002", "Công ty CP Sữa Việt Nam")
        assert got.to_dict()["tax_code"] == "0300588569-002"
        # the receipt (form 01) as the counter prints it, from the database: the organisation and its tax code
        out = ctx.forms.render("01", d.code, tmp_path / "01.pdf").path
        text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        assert "Tên tổ chức: Công ty CP Sữa Việt Nam Mã số thuế: 0300588569-002" in text
        with pytest.raises(InvalidInput, match="0300588568"):
            ctx.dossiers.receive(admin, procedure_code="2.001035", applicant_name="Lê Thị Mai",
                                 organisation_tax_code="0300588568", organisation_name="Vinamilk")
        with pytest.raises(InvalidInput):  # a name without its tax code cannot be filed under it
            ctx.dossiers.receive(admin, procedure_code="2.001035", applicant_name="Lê Thị Mai",
                                 organisation_name="Vinamilk")
        with pytest.raises(InvalidInput):
            ctx.dossiers.receive(admin, procedure_code="2.001035", applicant_name="Lê Thị Mai",
                                 organisation_tax_code="0300588569")
        assert ctx.dossiers.get(d.code).code == d.code
    finally:
        ctx.close()
