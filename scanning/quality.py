"""Quality checks on a page with a reason the officer can act on."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from desktop.kernel.i18n import msg
from scanning.cleanup import CleanOptions, CleanResult, clean_page, has_text_line, reduce, to_grey
from scanning.pagefind import text_regions

MIN_DPI = 200
#: a camera's file says 72 dpi (some 96): not a resolution of the page. A file that says
#: nothing (0) is left to the caller's default, 300 dpi, as before
CAMERA_DPI = 96
#: body text of an administrative page is set at 12-14 pt; the median height of its glyphs
#: (what the page finder takes for print: letters, marks apart) is about 0.7 of the size
#: (0.52-0.82 over the generated photos of tests/scanning/conditions.py)
BODY_PT = 12.0
GLYPH_OF_SIZE = 0.7
#: the frame a phone takes holds a card at least (5 in along the long side) and at most a
#: large sheet with desk around it (30 in): the bounds of an estimate from the text
FRAME_INCHES = (5.0, 30.0)


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


def text_dpi(image: np.ndarray) -> float | None:
    """The resolution a photo is read at when no page outline gives it: from the height of
    its print, taken for body text, within what a phone's frame can show (FRAME_INCHES).
    None when there is too little print to tell (a dozen marks)."""
    grey = to_grey(image)
    f = min(1.0, 2000 / max(grey.shape[:2]))
    small = reduce(grey, f) if f < 1 else grey
    marks = text_regions(small)
    _, _, stats, _ = cv2.connectedComponentsWithStats(marks, connectivity=8)
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    glyphs = h[(h >= 3) & (w >= 2)]
    if len(glyphs) < 12:
        return None
    dpi = float(np.median(glyphs)) / f / (GLYPH_OF_SIZE * BODY_PT / 72)
    longest = max(grey.shape[:2])
    return float(np.clip(dpi, longest / FRAME_INCHES[1], longest / FRAME_INCHES[0]))


def clean_and_check(image: np.ndarray, dpi: float, options: CleanOptions | None = None,
                    ) -> tuple[CleanResult, float, list[QualityIssue]]:
    """Clean a page and judge it: the cleaned result, its resolution and what is wrong.

    A photographed page gets its resolution from the paper it shows, not from the file
    (cameras write 72 dpi), and is judged on the page found in it, not on the table around
    it; any other page is judged as it came, before clean-up hides its faults. A photo kept
    whole (no outline found or every one refused) gets a resolution from its print
    (:func:`text_dpi`): read at the camera's 72 dpi, a 12 MP frame was a 42 × 56 in page
    in the PDF, and Tesseract was told its text was several times the size it is."""
    result = clean_page(image, options)
    if result.dpi is None and result.quad is None and 0 < dpi <= CAMERA_DPI:
        result.dpi = text_dpi(image)
        if result.dpi is not None:
            result.steps.append(f"dpi {result.dpi:.0f} from the text")
    effective = result.dpi or dpi
    framed = any(s in result.steps for s in ("perspective", "crop"))
    issues = check_quality(result.image if framed else image, effective)
    if result.edges_unsure:
        issues.append(check_edges())
    return result, effective, issues
