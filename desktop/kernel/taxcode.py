"""An organisation's tax code (mã số thuế): its form and its check digit.

An enterprise or other organisation has 10 digits N1…N10; a branch or dependent unit the
parent's 10 digits, a dash and a 3-digit sequence number 001–999 ("0100109106-001"). N10 is
a check digit over the first nine (the rule of the tax registration system, Decision
75/1998/QĐ-TTg, kept by the later circulars)::

    N10 = 10 - (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 + 3·N9) mod 11

A remainder of 0 would need a check digit of 10: such codes are never issued. (Some web
pages write ``11 - …``; the published codes of Vinamilk, Viettel, FPT, Vietcombank, Vingroup
and Petrolimex all follow ``10 - …``, see ``tests/test_taxcode.py``.)

A mistyped digit is caught at the counter, before the dossier is filed under another
organisation's code and its documents offered to the wrong one.
"""

from __future__ import annotations

import re

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_FORM = re.compile(r"([0-9]{10})(?:-([0-9]{3}))?")


def check_digit(first_nine: str) -> int | None:
    """The check digit of the nine digits, or None when no code with them can be issued."""
    digit = 10 - sum(int(n) * w for n, w in zip(first_nine, WEIGHTS, strict=True)) % 11
    return None if digit == 10 else digit


def normalize_tax_code(value: str) -> str:
    """``value`` as it is stored ("0100109106" or "0100109106-001"), spaces and dots the
    officer typed between the groups removed; "" for "". Raises :class:`InvalidInput`, naming
    the field, when the form or the check digit is wrong."""
    code = re.sub(r"[\s.]", "", value or "")
    if not code:
        return ""
    if len(code) == 13 and code.isdigit():  # the branch written without its dash
        code = f"{code[:10]}-{code[10:]}"
    m = _FORM.fullmatch(code)
    if m is None:
        raise InvalidInput(msg("Mã số thuế của tổ chức “{v}” không đúng dạng: cần 10 chữ số, hoặc 10 chữ số, "
                               "dấu “-” và 3 chữ số của chi nhánh.",
                               "The organisation's tax code “{v}” has the wrong form: 10 digits, or 10 digits, "
                               "“-” and the branch's 3 digits.", v=value.strip()))
    base, branch = m.group(1), m.group(2)
    if check_digit(base[:9]) != int(base[9]):
        raise InvalidInput(msg("Mã số thuế của tổ chức “{v}” sai chữ số kiểm tra (chữ số thứ 10): hãy xem lại "
                               "từng chữ số trên giấy chứng nhận đăng ký.",
                               "The organisation's tax code “{v}” has a wrong check digit (the 10th digit): "
                               "check each digit against the registration certificate.", v=value.strip()))
    if branch == "000":
        raise InvalidInput(msg("Mã số thuế của tổ chức “{v}”: số chi nhánh bắt đầu từ 001.",
                               "The organisation's tax code “{v}”: branch numbers start at 001.", v=value.strip()))
    return code
