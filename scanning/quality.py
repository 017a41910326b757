"""Quality checks on a page with a reason the officer can act on."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from desktop.kernel.i18n import msg
from scanning.cleanup import CleanOptions, CleanResult, clean_page, has_text_line, reduce, to_grey

MIN_DPI = 200


@dataclass(frozen=True)
class QualityIssue:
    code: str
    severity: str  # warning | error
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message}


def check_edges() -> QualityIssue:
    """The page finder saw a page, but every outline of it would have cut text off, so the
    whole frame was kept (desk and all): the officer looks at the edges before keeping it."""
    return QualityIssue("check_edges", "warning", msg(
        "Không tách được trang khỏi nền mà không mất chữ: đã giữ nguyên khung ảnh, hãy kiểm tra các mép trang.",
        "The page could not be cut from its background without losing text: the whole frame was kept; "
        "check the page's edges."))


def check_quality(image: np.ndarray, dpi: float) -> list[QualityIssue]:
    grey = to_grey(image)
    issues = []
    if dpi and dpi < MIN_DPI:
        issues.append(QualityIssue("low_dpi", "error", msg(
            "Độ phân giải {d:.0f} dpi thấp hơn 200 dpi: quét lại ở 300 dpi.",
            "Resolution {d:.0f} dpi is below 200 dpi: scan again at 300 dpi.", d=dpi)))
    # judge the paper and the ink separately: a form with a few lines of text is mostly
    # white, which is not "too light"; faint ink is. Every other pixel keeps 3-px strokes.
    sample = grey[::2, ::2]
    paper = float(np.percentile(sample, 90))
    marks = sample[sample < paper - 40]
    ink = float(np.median(marks)) if marks.size else paper
    if marks.size < 0.001 * sample.size and not has_text_line(grey):  # one line of text is not blank
        issues.append(QualityIssue("blank", "warning", msg("Trang trắng: bỏ trang hoặc kiểm tra mặt quét.",
                                                           "Blank page: drop it or check the scanned side.")))
    elif paper < 110:
        issues.append(QualityIssue("too_dark", "warning", msg("Ảnh quá tối: giảm độ đậm hoặc tăng sáng.",
                                                              "Too dark: lower the contrast or add light.")))
    elif ink > 150:
        issues.append(QualityIssue("too_light", "warning", msg("Chữ quá nhạt: tăng độ đậm khi quét.",
                                                               "Text too faint: raise the contrast when scanning.")))
    small = reduce(grey, 0.5) if grey.shape[0] > 1200 else grey
    # sharpness where the text is: the white margins of a page with one line would make it "blurred"
    ys, xs = np.nonzero(small < paper - 40)
    if ys.size:
        pad = 8
        small = small[max(0, ys.min() - pad):ys.max() + pad + 1, max(0, xs.min() - pad):xs.max() + pad + 1]
    sharpness = float(cv2.Laplacian(small, cv2.CV_64F).var())
    if marks.size >= 0.001 * sample.size and sharpness < 60:
        issues.append(QualityIssue("blur", "warning", msg("Ảnh bị mờ (độ nét {s:.0f}): giữ giấy phẳng và quét lại.",
                                                          "Blurred (sharpness {s:.0f}): flatten the paper and scan again.",
                                                          s=sharpness)))
    h, w = grey.shape
    edge = max(4, min(h, w) // 200)
    borders = [grey[:edge], grey[-edge:], grey[:, :edge], grey[:, -edge:]]
    if any(float((b < 100).mean()) > 0.05 for b in borders) and marks.size >= 0.001 * sample.size:
        issues.append(QualityIssue("cut_off", "warning", msg("Có chữ sát mép ảnh: trang có thể bị cắt, đặt giấy lại.",
                                                             "Text touches an edge: the page may be cut off; realign it.")))
    return issues


def clean_and_check(image: np.ndarray, dpi: float, options: CleanOptions | None = None,
                    ) -> tuple[CleanResult, float, list[QualityIssue]]:
    """Clean a page and judge it: the cleaned result, its resolution and what is wrong.

    A photographed page gets its resolution from the paper it shows, not from the file
    (cameras write 72 dpi), and is judged on the page found in it, not on the table around
    it; any other page is judged as it came, before clean-up hides its faults."""
    result = clean_page(image, options)
    effective = result.dpi or dpi
    framed = any(s in result.steps for s in ("perspective", "crop"))
    issues = check_quality(result.image if framed else image, effective)
    if result.edges_unsure:
        issues.append(check_edges())
    return result, effective, issues
