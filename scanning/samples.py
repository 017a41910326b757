"""Sample pages for the demo, the tests and the benchmarks: Vietnamese administrative text
rendered at 300 dpi, optionally degraded like a scan (skew, noise, blur)."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
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


def render(lines: list[str] = TEXT, *, dpi: int = 300, width_mm: float = 210, height_mm: float = 150,
           size_pt: float = 12) -> np.ndarray:
    w, h = int(width_mm / 25.4 * dpi), int(height_mm / 25.4 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, int(size_pt / 72 * dpi))
    y = int(0.08 * h)
    for line in lines:
        draw.text((int(0.1 * w), y), line, font=font, fill=20)
        y += int(size_pt / 72 * dpi * 1.8)
    return np.asarray(img)


def degrade(page: np.ndarray, angle: float = 2.0, noise: float = 8.0, blur: int = 3, seed: int = 1) -> np.ndarray:
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(page, m, (w, h), borderValue=255, flags=cv2.INTER_CUBIC)
    out = cv2.GaussianBlur(out, (blur, blur), 0) if blur else out
    out = out + np.random.default_rng(seed).normal(0, noise, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)
