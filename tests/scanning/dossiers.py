"""A seeded generator of whole paper dossiers, as fed once through the feeder.

Five procedures of 3-8 components (names as the national catalogue writes them); each
component is a document with a printed title (national forms, certificates, a CCCD card,
a power of attorney whose title differs from the component's name) and 0-2 continuation
pages that have no title. Pages are rendered in one of four fonts at 150-300 dpi and
scanned the way :data:`tests.scanning.conditions.SCAN` describes (platen, skew, blur,
noise, JPEG), some photocopied (grey, contrast lost, toner speckles). The separator
sheets are the real PDF of :func:`scanning.separators.render_separators`, rasterised
with pdftoppm and scanned the same way, some upside down, some with a blank duplex back.
Used by tests/scanning/test_split.py and bench/split_bench.py.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from scanning.separators import ComponentRef, render_separators
from tests.scanning.conditions import FONTS, SCAN

BOLD = {
    FONTS[0]: "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    FONTS[1]: "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    FONTS[2]: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    FONTS[3]: "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
}
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


@dataclass(frozen=True)
class Kind:
    name: str  # the component's name in the procedure
    titles: tuple[tuple[str, ...], ...]  # printed title variants (a title may wrap over lines)
    pages: tuple[int, int]  # continuation pages, min..max
    motto: bool = True
    card: bool = False


KINDS: dict[str, Kind] = {
    "TKKS": Kind("Tờ khai đăng ký khai sinh theo mẫu", (("TỜ KHAI ĐĂNG KÝ KHAI SINH",),), (0, 1)),
    "GCS": Kind("Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận về việc sinh",
                (("GIẤY CHỨNG SINH",),), (0, 0), motto=True),
    "GTTT": Kind("Giấy tờ tùy thân của người đi đăng ký (xuất trình)", (("CĂN CƯỚC CÔNG DÂN",),
                 ("CĂN CƯỚC",)), (0, 0), motto=True, card=True),
    "TKKH": Kind("Tờ khai đăng ký kết hôn theo mẫu", (("TỜ KHAI ĐĂNG KÝ KẾT HÔN",),), (0, 1)),
    "XNHN": Kind("Giấy xác nhận tình trạng hôn nhân", (("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",),), (0, 0)),
    "TKCT": Kind("Tờ khai thay đổi thông tin cư trú", (("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",),), (0, 1)),
    "BHYT": Kind("Tờ khai tham gia bảo hiểm y tế (mẫu TK1-TS)",
                 (("TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN", "BẢO HIỂM XÃ HỘI, BẢO HIỂM Y TẾ"),), (0, 1)),
    "DDK": Kind("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất",
                (("ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI,", "TÀI SẢN GẮN LIỀN VỚI ĐẤT"),), (0, 1)),
    "GCN": Kind("Giấy chứng nhận quyền sử dụng đất (bản sao)",
                (("GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở", "VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"),),
                (1, 2)),
    "HD": Kind("Hợp đồng tặng cho quyền sử dụng đất (bản sao công chứng)",
               (("HỢP ĐỒNG TẶNG CHO QUYỀN SỬ DỤNG ĐẤT",),), (1, 2)),
    # the printed title is not the component's name: only a learned correction finds it
    "UQ": Kind("Văn bản ủy quyền (nếu có)", (("GIẤY ỦY QUYỀN",),), (0, 1)),
    "BTT": Kind("Giấy báo tử hoặc giấy tờ thay giấy báo tử", (("GIẤY BÁO TỬ",),), (0, 0)),
    "GKS": Kind("Giấy khai sinh của người nhận thừa kế (bản sao)", (("GIẤY KHAI SINH",), ("BẢN SAO GIẤY KHAI SINH",)),
                (0, 0)),
    "DNHKD": Kind("Giấy đề nghị đăng ký hộ kinh doanh", (("GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH",),), (0, 1)),
    "HDT": Kind("Hợp đồng thuê địa điểm kinh doanh", (("HỢP ĐỒNG THUÊ ĐỊA ĐIỂM KINH DOANH",),), (1, 2)),
    "TKKT": Kind("Tờ khai đăng ký khai tử theo mẫu", (("TỜ KHAI ĐĂNG KÝ KHAI TỬ",),), (0, 0)),
}

PROCEDURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "2.000986": ("Liên thông đăng ký khai sinh, thường trú, cấp thẻ BHYT", ("TKKS", "GCS", "GTTT", "TKCT", "BHYT")),
    "1.000894": ("Đăng ký kết hôn", ("TKKH", "XNHN", "GTTT")),
    "1.003003": ("Đăng ký biến động quyền sử dụng đất do thừa kế, tặng cho",
                 ("DDK", "GCN", "HD", "GTTT", "UQ", "BTT", "GKS", "XNHN")),
    "2.000720": ("Đăng ký thành lập hộ kinh doanh", ("DNHKD", "GTTT", "HDT", "UQ")),
    "1.000656": ("Đăng ký khai tử", ("TKKT", "BTT", "GTTT", "UQ")),
}

NAMES = ["Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lê Thị Ngọc Hương", "Phạm Quốc Bảo", "Võ Minh Khánh",
         "Đặng Thu Trang", "Huỳnh Văn Lộc", "Bùi Thị Yến"]
BODY = [
    "Họ, chữ đệm, tên người yêu cầu: {name}",
    "Nơi cư trú: số {n} đường Lê Lợi, phường Quy Nhơn, tỉnh Gia Lai",
    "Ngày, tháng, năm sinh: {d:02d}/{m:02d}/19{y:02d}. Giới tính: {sex}",
    "Số định danh cá nhân: 0520{y:02d}00{n:04d}",
    "Số điện thoại liên hệ: 0912 345 {n:03d}",
    "Tôi cam đoan những nội dung khai trên đây là đúng sự thật",
    "và chịu trách nhiệm trước pháp luật về cam đoan của mình.",
    "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định.",
    "Làm tại Quy Nhơn, ngày {d:02d} tháng {m:02d} năm 2026",
    "Thửa đất số {n}, tờ bản đồ số {m}, diện tích {d}2,5 m²",
    "Các bên cùng thống nhất thực hiện đúng các điều khoản đã thỏa thuận.",
    "Giấy này có giá trị kể từ ngày ký đến khi hoàn thành công việc.",
]
CARD = ["SOCIALIST REPUBLIC OF VIET NAM", "Citizen Identity Card", "Số / No.: 0520{y:02d}00{n:04d}",
        "Họ và tên / Full name: {name}", "Ngày sinh / Date of birth: {d:02d}/{m:02d}/19{y:02d}",
        "Quê quán / Place of origin: Gia Lai", "Có giá trị đến / Date of expiry: {d:02d}/{m:02d}/2041"]


def components(procedure: str) -> list[ComponentRef]:
    return [ComponentRef(c, KINDS[c].name) for c in PROCEDURES[procedure][1]]


@dataclass
class Sheet:
    image: np.ndarray
    truth: str | None  # the component a kept page belongs to; None for separator sheets/backs
    kind: str  # page | title | continuation | separator | back
    condition: str = "clean"


@dataclass
class Dossier:
    seed: int
    procedure: str
    order: list[str]  # components in the order they were fed
    dpi: int
    pages: list[Sheet] = field(default_factory=list)  # the dossier without separators
    with_separators: list[Sheet] = field(default_factory=list)


def _fill(line: str, rng: np.random.Generator) -> str:
    return line.format(name=NAMES[int(rng.integers(len(NAMES)))], n=int(rng.integers(1, 999)),
                       d=int(rng.integers(1, 28)), m=int(rng.integers(1, 12)), y=int(rng.integers(50, 99)),
                       sex=["Nam", "Nữ"][int(rng.integers(2))])


def render_page(title: tuple[str, ...] | None, body: list[str], dpi: int, font: str, motto: bool) -> np.ndarray:
    w, h = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    px = dpi / 72
    regular = ImageFont.truetype(font, round(12.5 * px))
    bold = ImageFont.truetype(BOLD[font], round(13 * px))
    big = ImageFont.truetype(BOLD[font], round(15 * px))
    y = round(20 / 25.4 * dpi)
    if title is not None:
        if motto:
            for line, face in zip(MOTTO, (bold, regular), strict=True):
                tw = draw.textlength(line, font=face)
                draw.text(((w - tw) / 2, y), line, font=face, fill=20)
                y += round(22 * px)
            y += round(12 * px)
        for line in title:
            tw = draw.textlength(line, font=big)
            draw.text(((w - tw) / 2, y), line, font=big, fill=15)
            y += round(24 * px)
        y += round(10 * px)
    x = round(25 / 25.4 * dpi)
    for line in body:
        draw.text((x, y), line, font=regular, fill=20)
        y += round(22 * px)
    return np.asarray(img)


def scan_like(page: np.ndarray, dpi: int, rng: np.random.Generator, condition: str) -> np.ndarray:
    """The platen model of conditions.make_scan (skew, blur, noise, JPEG), plus a photocopy look."""
    c = SCAN["scan_skew_5" if condition == "skew" else "scan_300"]
    h, w = page.shape
    src = page.astype(np.float32)
    if condition == "photocopy":  # a copy of a copy: grey paper, heavier strokes, toner speckles
        src = cv2.erode(src, np.ones((2, 2), np.uint8))
        src = 70 + src * 0.62
        speck = rng.random(src.shape) < 0.0015
        src[speck] = 40
    if condition == "upside_down":
        src = src[::-1, ::-1].copy()
    angle = float(rng.uniform(-c.skew, c.skew)) if condition in ("skew", "photocopy", "upside_down") else \
        float(rng.uniform(-0.7, 0.7))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    lid = float(rng.uniform(242, 252))
    out = cv2.warpAffine(src, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=lid)
    sigma = float(rng.uniform(*c.blur))
    if sigma > 0.05:
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    out = out + rng.normal(0, float(rng.uniform(*c.noise)), out.shape)
    img = np.clip(out, 0, 255).astype(np.uint8)
    q = int(rng.integers(c.jpeg[0], c.jpeg[1] + 1))
    ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    assert ok
    return cv2.imdecode(enc, cv2.IMREAD_GRAYSCALE)


@cache
def separator_pages(procedure: str, dpi: int, other_name: str = "") -> dict[str, np.ndarray]:
    """The procedure's real separator PDF, rasterised: component code → grey page."""
    comps = components(procedure)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_separators(procedure, other_name or PROCEDURES[procedure][0], comps, Path(tmp) / "sep.pdf")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(Path(tmp) / "p")], check=True)
        files = sorted(Path(tmp).glob("p-*.png"))
        return {c.code: cv2.imread(str(f), cv2.IMREAD_GRAYSCALE) for c, f in zip(comps, files, strict=True)}


def _condition(rng: np.random.Generator) -> str:
    r = rng.random()
    return "photocopy" if r < 0.2 else "skew" if r < 0.45 else "clean"


def make_dossier(seed: int, dpi: int | None = None) -> Dossier:
    rng = np.random.default_rng([seed, 17])
    procedure = list(PROCEDURES)[seed % len(PROCEDURES)]
    comps = list(PROCEDURES[procedure][1])
    k = int(rng.integers(3, len(comps) + 1))
    order = [comps[i] for i in rng.permutation(len(comps))[:k]]
    dpi = dpi or int(rng.choice([150, 200, 300]))
    d = Dossier(seed, procedure, order, dpi)
    seps = separator_pages(procedure, dpi)
    duplex = bool(rng.random() < 0.4)
    for code in order:
        kind = KINDS[code]
        font = FONTS[int(rng.integers(len(FONTS)))]
        title = kind.titles[int(rng.integers(len(kind.titles)))]
        source = CARD if kind.card else BODY
        n_body = len(CARD) if kind.card else int(rng.integers(5, 9))
        lines = source if kind.card else [BODY[int(i)] for i in rng.choice(len(BODY), n_body, replace=False)]
        body = [_fill(x, rng) for x in lines]
        sheets = [(render_page(title, body, dpi, font, kind.motto), "title")]
        for _ in range(int(rng.integers(kind.pages[0], kind.pages[1] + 1))):
            more = [_fill(BODY[int(i)], rng) for i in rng.choice(len(BODY), int(rng.integers(6, 11)), replace=False)]
            sheets.append((render_page(None, more, dpi, font, False), "continuation"))
        cond = _condition(rng)
        scanned = [Sheet(scan_like(img, dpi, rng, cond), code, role, cond) for img, role in sheets]
        sep_cond = "upside_down" if rng.random() < 0.25 else _condition(rng)
        d.with_separators.append(Sheet(scan_like(seps[code], dpi, rng, sep_cond), None, "separator", sep_cond))
        if duplex:
            blank = np.full_like(seps[code], 255)
            d.with_separators.append(Sheet(scan_like(blank, dpi, rng, "clean"), None, "back"))
        d.with_separators.extend(scanned)
        d.pages.extend(scanned)
    return d
