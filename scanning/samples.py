"""Sample pages for the demo, the tests and the benchmarks.

Vietnamese administrative text rendered at 300 dpi on A4 (or a smaller form), then
degraded the ways real inputs are: a flatbed scan (skew, noise, blur, JPEG at 200 dpi)
and a phone photo (perspective, a table around the page, uneven light, camera JPEG).
Several different documents are kept so that nothing is tuned to one text.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LIBERATION_SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"  # Times-like, as most decrees
TEXT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "Kính gửi: Ủy ban nhân dân phường Quy Nhơn",
    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hồng Nhung",
    "Nơi cư trú: số 12 đường Lê Lợi, tỉnh Gia Lai",
    "Quan hệ với người được khai sinh: mẹ đẻ",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây",
    "Ngày, tháng, năm sinh: mười lăm tháng tám năm hai nghìn",
]

# Other documents of a one-stop counter, so the bench and tests read more than one text.
DOCUMENTS: dict[str, list[str]] = {
    "khai_sinh": TEXT,
    "cu_tru": [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",
        "Kính gửi: Công an xã Tây Sơn, tỉnh Gia Lai",
        "Họ, chữ đệm và tên: Trần Văn Đức",
        "Ngày, tháng, năm sinh: 03/07/1985. Giới tính: Nam",
        "Số định danh cá nhân: 052085001234",
        "Số điện thoại liên hệ: 0912 345 678",
        "Nội dung đề nghị: đăng ký thường trú tại số 45 đường Trần Hưng Đạo",
        "Họ và tên chủ hộ: Trần Thị Lụa. Quan hệ với chủ hộ: con",
        "Ý kiến của chủ hộ: đồng ý cho đăng ký thường trú",
    ],
    "dat_dai": [
        "ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
        "Kính gửi: Văn phòng đăng ký đất đai tỉnh Gia Lai",
        "Người sử dụng đất: bà Lê Thị Ngọc Hương, sinh năm 1972",
        "Địa chỉ thường trú: thôn Phú Mỹ, xã Phù Cát, tỉnh Gia Lai",
        "Giấy chứng nhận số phát hành: DA 123456, vào sổ cấp số CH 00789",
        "Thửa đất số 215, tờ bản đồ số 18, diện tích 312,5 m²",
        "Nội dung biến động: tặng cho quyền sử dụng đất cho con là",
        "ông Phạm Quốc Bảo theo hợp đồng công chứng ngày 14/10/2026",
        "Lý do biến động: tặng cho. Tình trạng pháp lý: không tranh chấp",
        "Giấy tờ kèm theo: hợp đồng tặng cho, bản sao căn cước công dân",
    ],
    "kinh_doanh": [
        "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH",
        "Kính gửi: Phòng Tài chính - Kế hoạch",
        "Tôi là: Võ Minh Khánh, sinh ngày 21/12/1990, dân tộc Kinh",
        "Chỗ ở hiện tại: 8 Nguyễn Huệ, phường Quy Nhơn Nam",
        "Tên hộ kinh doanh: Cửa hàng tạp hóa Minh Khánh",
        "Ngành, nghề kinh doanh: bán lẻ lương thực, thực phẩm, đồ uống",
        "Vốn kinh doanh: 150.000.000 đồng (một trăm năm mươi triệu đồng)",
        "Số lượng lao động: 03 người. Điện thoại: 0256 3812 456",
        "Tôi cam kết chịu trách nhiệm về tính hợp pháp, chính xác",
        "và trung thực của nội dung đề nghị đăng ký trên đây.",
    ],
}


# Administrative prose as the issue found it misread (Liberation Serif, 300 dpi): legal
# references, dates and amounts, enumerations, and the words "vie+eng" stripped of marks.
LEGAL_DOCUMENTS: dict[str, list[str]] = {
    "nghi_quyet": [
        "Căn cứ Nghị quyết số 131/NQ-CP ngày 06 tháng 10 năm 2022 của Chính phủ",
        "về đẩy mạnh cải cách thủ tục hành chính và hiện đại hóa phương thức",
        "chỉ đạo, điều hành phục vụ người dân, doanh nghiệp; Nghị định số",
        "45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 về thực hiện thủ tục hành chính",
        "trên môi trường điện tử; Quyết định số 468/QĐ-TTg ngày 27/3/2021;",
        "Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh (QĐ-UBND),",
        "(i) nâng cao chất lượng giải quyết thủ tục hành chính cho người dân;",
        "(ii) ứng dụng công nghệ thông tin, sử dụng dịch vụ công trực tuyến;",
        "(iii) số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt 100%.",
        "Kinh phí thực hiện: 1.250.000.000 đồng, nguồn ngân sách năm 2026.",
    ],
    "quyet_dinh": [
        "ỦY BAN NHÂN DÂN TỈNH GIA LAI",
        "Số: 1024/QĐ-UBND ngày 15 tháng 11 năm 2026",
        "QUYẾT ĐỊNH về việc công bố danh mục thủ tục hành chính nội bộ",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Thông tư số 01/2023/TT-VPCP ngày 05 tháng 4 năm 2023;",
        "Điều 1. Công bố kèm theo Quyết định này 12 thủ tục hành chính mới.",
        "Điều 2. Giao Sở Nội vụ chủ trì, phối hợp nâng cấp hệ thống dùng chung,",
        "bảo đảm dữ liệu dân cư được kết nối, dần dần giảm giấy tờ nền tảng.",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký; lõi hệ thống do",
        "Trung tâm Phục vụ hành chính công quản lý, vận hành 24/7.",
    ],
}


def render(lines: list[str] = TEXT, *, dpi: int = 300, width_mm: float = 210, height_mm: float = 150,
           size_pt: float = 12, font: str = FONT, top_mm: float | None = None, left_mm: float | None = None) -> np.ndarray:
    """Grey page with ``lines`` in a serif font, left-aligned from the top margin."""
    w, h = int(width_mm / 25.4 * dpi), int(height_mm / 25.4 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    face = ImageFont.truetype(font, int(size_pt / 72 * dpi))
    y = int(0.08 * h) if height_mm < 200 else int(25 / 25.4 * dpi)
    if top_mm is not None:
        y = int(top_mm / 25.4 * dpi)
    x = int(0.1 * w) if left_mm is None else int(left_mm / 25.4 * dpi)
    for line in lines:
        draw.text((x, y), line, font=face, fill=20)
        y += int(size_pt / 72 * dpi * 1.8)
    return np.asarray(img)


def render_a4(lines: list[str], dpi: int = 300, font: str = FONT) -> np.ndarray:
    return render(lines, dpi=dpi, width_mm=210, height_mm=297, font=font)


def degrade(page: np.ndarray, angle: float = 2.0, noise: float = 8.0, blur: int = 3, seed: int = 1) -> np.ndarray:
    """A flatbed-like scan: rotated by ``angle``°, blurred, with Gaussian noise."""
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(page, m, (w, h), borderValue=255, flags=cv2.INTER_CUBIC)
    out = cv2.GaussianBlur(out, (blur, blur), 0) if blur else out
    out = out + np.random.default_rng(seed).normal(0, noise, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def jpeg_bytes(image: np.ndarray, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image if image.ndim == 2 else image[..., ::-1]).save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
    return buf.getvalue()


def scan_200dpi(page: np.ndarray, angle: float, seed: int, quality: int = 60) -> bytes:
    """The issue's degraded scan: skewed, noised, blurred, then a 200-dpi JPEG (from a 300-dpi page)."""
    out = degrade(page, angle=angle, noise=10.0, blur=3, seed=seed)
    small = cv2.resize(out, None, fx=2 / 3, fy=2 / 3, interpolation=cv2.INTER_AREA)
    return jpeg_bytes(small, quality, 200)


def phone_photo(page: np.ndarray, seed: int, page_px: int = 1800, quality: int = 85) -> bytes:
    """The page photographed on a desk: perspective, a dark table around it, uneven light.

    ``page_px`` is roughly how many pixels the page's width covers in the photo, which sets
    its effective resolution (1800 px over 210 mm ≈ 218 dpi)."""
    rng = np.random.default_rng(seed)
    h, w = page.shape
    scale = page_px / w
    pw, ph = page_px, int(h * scale)
    canvas_w, canvas_h = int(pw * 1.3), int(ph * 1.2)
    # table: dark wood-like texture
    table = cv2.GaussianBlur(rng.normal(70, 12, (canvas_h, canvas_w)).astype(np.float32), (0, 0), 6)
    ox, oy = (canvas_w - pw) / 2, (canvas_h - ph) / 2
    j = 0.05 * pw
    dst = np.array([[ox + rng.uniform(-j, j), oy + rng.uniform(-j, j)],
                    [ox + pw + rng.uniform(-j, j), oy + rng.uniform(-j, j)],
                    [ox + pw + rng.uniform(-j, j), oy + ph + rng.uniform(-j, j)],
                    [ox + rng.uniform(-j, j), oy + ph + rng.uniform(-j, j)]], dtype=np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page.astype(np.float32), m, (canvas_w, canvas_h), flags=cv2.INTER_AREA,
                                 borderValue=-1)
    mask = cv2.warpPerspective(np.ones_like(page, np.float32), m, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR)
    photo = warped * mask + table * (1 - mask)
    # light from one side and a soft shadow: multiply by a smooth field between ~0.55 and 1
    yy, xx = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
    ang = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(ang) * xx / canvas_w + np.sin(ang) * yy / canvas_h)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    cx, cy = rng.uniform(0.2, 0.8) * canvas_w, rng.uniform(0.2, 0.8) * canvas_h
    spot = np.exp(-(((xx - cx) / canvas_w) ** 2 + ((yy - cy) / canvas_h) ** 2) * 4)
    light = 0.55 + 0.3 * ramp + 0.15 * spot
    photo = photo * light
    photo = cv2.GaussianBlur(photo, (3, 3), 0.8) + rng.normal(0, 4, photo.shape)
    grey = np.clip(photo, 0, 255).astype(np.uint8)
    colour = cv2.merge([grey, np.clip(grey * 0.97, 0, 255).astype(np.uint8),
                        np.clip(grey * 1.03, 0, 255).astype(np.uint8)])  # a warm cast, as phone photos have
    return jpeg_bytes(colour, quality, 72)
