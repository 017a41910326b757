"""Reading the QR code of a chip citizen ID card (CCCD) in a scan or a phone photo.

The QR holds ``id12|old id9|full name|DOB ddmmyyyy|sex|address|issue date ddmmyyyy``;
a 6-field variant has no old ID. The 12-digit number encodes the province of birth
registration (3 digits), the century and sex (1 digit) and the year of birth (2 digits),
so the number and the printed fields check each other. The officer confirms what was read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from desktop.kernel.errors import InvalidInput, MotcuaError, require_readable_file
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import now_vn

if TYPE_CHECKING:
    from desktop.kernel.tasks import CancelToken
    from scanning.sources.base import Capabilities, ScanSource

# Province/city codes of the 12-digit personal identification number (Circular 59/2021/TT-BCA).
PROVINCE_CODES = frozenset({
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44,
    45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87,
    89, 91, 92, 93, 94, 95, 96,
})


@dataclass(frozen=True)
class CitizenCard:
    id_number: str
    old_id_number: str
    name: str
    birth_date: date
    sex: str  # "Nam" | "Nữ"
    address: str
    issue_date: date

    def to_dict(self) -> dict[str, str]:
        d = asdict(self)
        d["birth_date"] = self.birth_date.isoformat()
        d["issue_date"] = self.issue_date.isoformat()
        return d


def _date(text: str, what: str) -> date:
    t = text.strip()
    try:
        if len(t) != 8 or not t.isdigit():
            raise ValueError
        return date(int(t[4:]), int(t[2:4]), int(t[:2]))
    except ValueError:
        raise InvalidInput(msg("Mã QR không phải CCCD: {w} “{t}” không phải ngày ddmmyyyy.",
                               "The QR is not a CCCD: {w} “{t}” is not a ddmmyyyy date.", w=what, t=t)) from None


def _sex(text: str) -> str:
    t = unicodedata.normalize("NFC", text.strip()).lower()
    if t in ("nam", "male", "m"):
        return "Nam"
    if t in ("nữ", "nu", "female", "f"):
        return "Nữ"
    raise InvalidInput(msg("Mã QR không phải CCCD: giới tính “{t}” không rõ.", "The QR is not a CCCD: sex “{t}”?",
                           t=text))


def validate_id_number(number: str, birth: date | None = None, sex: str | None = None) -> None:
    """Raise InvalidInput if the 12 digits cannot be a personal identification number."""
    if len(number) != 12 or not number.isdigit():
        raise InvalidInput(msg("Số định danh “{n}” phải có đúng 12 chữ số.", "ID number “{n}” must have 12 digits.",
                               n=number))
    if int(number[:3]) not in PROVINCE_CODES:
        raise InvalidInput(msg("Số định danh “{n}”: mã tỉnh {p} không tồn tại.",
                               "ID number “{n}”: province code {p} does not exist.", n=number, p=number[:3]))
    gender_digit = int(number[3])
    century = 1900 + 100 * (gender_digit // 2)
    if birth is not None and (century + int(number[4:6]) != birth.year):
        raise InvalidInput(msg("Số định danh “{n}” không khớp năm sinh {y}.", "ID number “{n}” does not match birth year {y}.",
                               n=number, y=birth.year))
    if sex is not None and (gender_digit % 2 == 1) != (sex == "Nữ"):
        raise InvalidInput(msg("Số định danh “{n}” không khớp giới tính {s}.", "ID number “{n}” does not match sex {s}.",
                               n=number, s=sex))


def parse_cccd(text: str) -> CitizenCard:
    """Parse the QR text (7 fields, or 6 without the old ID), tolerant of stray spaces."""
    fields = [unicodedata.normalize("NFC", f).strip() for f in text.strip().strip("|").split("|")]
    if len(fields) == 7:
        number, old, name, dob, sex, address, issued = fields
    elif len(fields) == 6:
        number, name, dob, sex, address, issued = fields
        old = ""
    else:
        raise InvalidInput(msg("Mã QR không phải của thẻ CCCD ({n} trường, cần 6 hoặc 7).",
                               "The QR code is not a CCCD's ({n} fields, expected 6 or 7).", n=len(fields)))
    if old and (len(old) != 9 or not old.isdigit()):
        raise InvalidInput(msg("Số CMND cũ “{o}” phải có 9 chữ số.", "Old ID “{o}” must have 9 digits.", o=old))
    if not name:
        raise InvalidInput(msg("Mã QR không có họ tên.", "The QR has no name."))
    birth, issue = _date(dob, msg("ngày sinh", "birth date")), _date(issued, msg("ngày cấp", "issue date"))
    sex_ = _sex(sex)
    if issue < birth or issue > now_vn().date():  # the card's dates are Vietnam's, whatever the machine's zone
        raise InvalidInput(msg("Ngày cấp {i} không hợp lệ.", "Issue date {i} is not plausible.", i=issue.isoformat()))
    validate_id_number(number, birth, sex_)
    return CitizenCard(number, old, " ".join(name.split()), birth, sex_, " ".join(address.split()), issue)


def _load(path: Path) -> np.ndarray:
    import cv2
    from PIL import Image, UnidentifiedImageError

    from scanning.images import MAX_PIXELS, check_pixels

    require_readable_file(path)
    if path.stat().st_size == 0:
        raise InvalidInput(msg("Tệp ảnh {p} không tồn tại hoặc rỗng.", "Image file {p} is missing or empty.", p=path))
    # the pixel limit, from the header, before OpenCV allocates anything (a 1 MB PNG of
    # 32000² px otherwise takes 10 GB and two minutes)
    try:
        with Image.open(path) as header:
            check_pixels(header.width, header.height, path.name)
    except Image.DecompressionBombError:
        raise InvalidInput(msg("Tệp {p}: ảnh quá lớn (hơn {m} triệu điểm ảnh).",
                               "File {p}: image too large (over {m} million pixels).",
                               p=path.name, m=MAX_PIXELS // 1_000_000)) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        pass  # not an image PIL knows: OpenCV says below whether it can read it
    data = np.fromfile(str(path), dtype=np.uint8)  # works with Vietnamese file names on Windows too
    img = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise InvalidInput(msg("Không đọc được ảnh {p} (hỏng hoặc không phải ảnh).",
                               "Cannot read image {p} (damaged or not an image).", p=path))
    return img


def find_qr_texts(gray: np.ndarray) -> list[str]:
    """QR texts in the image; tries the image as it is, then enlarged and contrast-equalized."""
    import cv2
    import zxingcpp

    attempts = [gray]
    if max(gray.shape) < 1600:
        attempts.append(cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
    attempts.append(cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(gray))
    for img in attempts:
        found = [r.text for r in zxingcpp.read_barcodes(img)
                 if r.valid and r.format == zxingcpp.BarcodeFormat.QRCode]
        if found:
            return found
    ok, decoded, _, _ = cv2.QRCodeDetector().detectAndDecodeMulti(gray)
    return [t for t in decoded if t] if ok else []


def read_cccd(path: Path | str) -> CitizenCard:
    texts = find_qr_texts(_load(Path(path)))
    if not texts:
        raise MotcuaError(msg("Không tìm thấy mã QR trong ảnh {p}.", "No QR code found in {p}.", p=path),
                          hint=msg("Chụp lại mặt trước thẻ, đủ sáng, mã QR rõ nét và không bị lóa.",
                                   "Take the front of the card again: good light, QR sharp, no glare."))
    return _card(texts)


def card_scanner(sources: Sequence[ScanSource], capabilities: Mapping[str, Capabilities | None]) -> ScanSource | None:
    """The scanner to read a card on: the first one with a glass (a card does not go through
    a document feeder), else the first scanner at all; cameras and file import are not
    scanners (the camera has its own live reader)."""
    scanners = [s for s in sources if s.kind in ("sane", "twain")]
    for s in scanners:
        caps = capabilities.get(s.id)
        if caps is not None and "flatbed" in caps.sources:
            return s
    return scanners[0] if scanners else None


def scan_cccd_on(sources: Sequence[ScanSource], capabilities: Mapping[str, Capabilities | None],
                 problems: Mapping[str, str] | None = None, cancel: CancelToken | None = None) -> CitizenCard:
    """The card read on this workstation's card scanner (:func:`card_scanner`); ``problems``:
    why a kind of scanner could not be listed (the SANE probe crashed…), said when none is."""
    source = card_scanner(sources, capabilities)
    if source is None:
        why = "; ".join((problems or {}).values())
        raise MotcuaError(msg("Không thấy máy quét nào trên máy này.", "No scanner was found on this workstation.")
                          + (f" ({why})" if why else ""),
                          hint=msg("Bật và cắm máy quét rồi thử lại, hoặc đọc thẻ bằng camera hay tệp ảnh.",
                                   "Switch the scanner on and plug it in, then try again; or read the card with the "
                                   "camera or from an image file."))
    return scan_cccd(source, capabilities.get(source.id), cancel)


def scan_cccd(source: ScanSource, capabilities: Capabilities | None = None,
              cancel: CancelToken | None = None) -> CitizenCard:
    """Scan one page on ``source`` (its glass when it has one) and read the card's QR from it.

    Grey at 300 dpi: the QR of a card (about 2 cm) is then some 240 pixels across, which the
    decoder reads at once; colour would triple the transfer for nothing."""
    from scanning.sources.base import ScanSettings  # OpenCV with it: not at import (start-up time)

    flatbed = capabilities is not None and "flatbed" in capabilities.sources
    pages = source.scan(ScanSettings(source="flatbed" if flatbed else "auto", mode="grey", resolution=300,
                                     max_pages=1), cancel)
    if not pages:
        raise MotcuaError(msg("Máy quét {s} không trả về trang nào.", "The scanner {s} returned no page.", s=source.name),
                          hint=msg("Đặt thẻ lên mặt kính rồi quét lại.", "Put the card on the glass and scan again."))
    image = pages[0].image
    gray = image if image.ndim == 2 else _grey(image)
    texts = find_qr_texts(gray)
    if not texts:
        raise MotcuaError(msg("Không tìm thấy mã QR của thẻ CCCD trên trang vừa quét ({s}).",
                              "No CCCD QR code on the page just scanned ({s}).", s=source.name),
                          hint=msg("Úp mặt trước thẻ (mặt có mã QR) xuống mặt kính, đậy nắp rồi quét lại.",
                                   "Lay the card face down on the glass (the side with the QR), close the lid and "
                                   "scan again."))
    return _card(texts)


def _grey(image: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY if image.shape[2] == 3 else cv2.COLOR_RGBA2GRAY)


def _card(texts: list[str]) -> CitizenCard:
    """The first QR text that is a valid card; else the first one's reason."""
    errors = []
    for t in texts:
        try:
            return parse_cccd(t)
        except InvalidInput as exc:
            errors.append(exc)
    raise errors[0]
