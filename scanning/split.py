"""One feeder pass for the whole dossier: the page sequence split into component slots.

With separator sheets, each separator starts its component's slot and is not kept; the
blank back of a duplex separator is dropped (only if truly blank). A separator of another
procedure, two separators in a row (an empty component) and a separator naming no
component of the procedure are reported, never silently used. Without separators — or
for pages before the first one — each page is classified from its OCR text
(:mod:`scanning.classify`). Every page gets a slot (or none: unassigned), a confidence and
a reason; the officer confirms or corrects the proposal before anything is signed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from desktop.kernel.i18n import msg
from scanning.classify import Classifier, LearnedTitles, PageGuess
from scanning.separators import ComponentRef, SeparatorMark, is_blank, read_separator

#: share of the page read for classifying: the titles sit in the top part
TITLE_AREA = 0.4


def title_text(image: np.ndarray, dpi: float) -> str:
    """The OCR text of the top of a page, where a form's or certificate's title is, read
    straight. The title is the page's longest line: a sheet fed a few degrees askew tilts
    it across more than its own height, and the OCR drops it while it still reads the short
    motto and body lines (a first page then looked like a continuation). The page is turned
    straight as the clean-up would (same angle limits) before its top is read."""
    from scanning.cleanup import rotate, skew_angle, to_grey
    from scanning.ocr import ocr_image

    angle = skew_angle(to_grey(image))
    if 0.1 < abs(angle) < 15:
        image = rotate(image, angle)
    return ocr_image(image[: max(1, int(image.shape[0] * TITLE_AREA))], dpi=dpi)


class PageRole(StrEnum):
    PAGE = "page"  # a page of the dossier, kept
    SEPARATOR = "separator"  # a separator sheet: starts a slot, not kept
    SEPARATOR_BACK = "separator_back"  # the blank back of a separator: dropped
    FOREIGN_SEPARATOR = "foreign_separator"  # another procedure's or an unknown component's: reported, not kept


class Method(StrEnum):
    SEPARATOR = "separator"
    CLASSIFIER = "classifier"
    NONE = "none"


@dataclass(frozen=True)
class PageSlot:
    index: int  # position in the feeder sequence
    role: PageRole
    component: str | None  # the slot; None = unassigned (or not a kept page)
    confidence: float
    reason: str
    method: Method
    title: str = ""


@dataclass
class SplitResult:
    pages: list[PageSlot]
    warnings: list[str] = field(default_factory=list)
    empty_components: list[str] = field(default_factory=list)

    def slots(self) -> dict[str, list[int]]:
        """Kept page indices per component, in feeder order."""
        out: dict[str, list[int]] = {}
        for p in self.pages:
            if p.role is PageRole.PAGE and p.component is not None:
                out.setdefault(p.component, []).append(p.index)
        return out

    def unassigned(self) -> list[int]:
        return [p.index for p in self.pages if p.role is PageRole.PAGE and p.component is None]


def split_pages(images: Sequence[np.ndarray], procedure: str, components: list[ComponentRef], *,
                ocr: Callable[[int], str] | None = None, learned: LearnedTitles | None = None,
                separators_expected: bool = False) -> SplitResult:
    """Split a feeder sequence. ``ocr(i)`` gives page i's text (called only for pages that
    need classifying, so a run with separators reads no text at all)."""
    codes = {c.code for c in components}
    marks: list[SeparatorMark | None] = [read_separator(img) for img in images]
    clf = Classifier(procedure, components, learned)
    result = SplitResult([])
    current: str | None = None  # the slot the last separator opened
    pages_in_current = 0
    after_separator = False
    seen_own = False
    previous_guess: str | None = None
    for i, (img, mark) in enumerate(zip(images, marks, strict=True)):
        if mark is not None:
            if current is not None and pages_in_current == 0:
                result.empty_components.append(current)
                result.warnings.append(msg("Hai tờ phân cách liền nhau: thành phần {c} không có trang nào.",
                                           "Two separators in a row: component {c} has no pages.", c=current))
            if mark.procedure != procedure or mark.component not in codes:
                why = (msg("Tờ phân cách của thủ tục khác ({p}/{c}): không dùng, kiểm tra lại bộ tờ phân cách.",
                           "A separator of another procedure ({p}/{c}): not used; check the separator set.",
                           p=mark.procedure, c=mark.component) if mark.procedure != procedure else
                       msg("Tờ phân cách {c} không thuộc thủ tục {p}: không dùng.",
                           "Separator {c} is not a component of procedure {p}: not used.", c=mark.component, p=procedure))
                result.warnings.append(why)
                result.pages.append(PageSlot(i, PageRole.FOREIGN_SEPARATOR, None, 1.0, why, Method.SEPARATOR))
                # the pages after it are not put in the slot before it: they are classified
                current, pages_in_current, after_separator = None, 0, True
                continue
            current, pages_in_current, after_separator, seen_own = mark.component, 0, True, True
            result.pages.append(PageSlot(i, PageRole.SEPARATOR, mark.component, 1.0, msg(
                "Tờ phân cách: bắt đầu {c}", "Separator: starts {c}", c=mark.component), Method.SEPARATOR))
            continue
        if after_separator and pages_in_current == 0 and result.pages and \
                result.pages[-1].role in (PageRole.SEPARATOR, PageRole.FOREIGN_SEPARATOR) and is_blank(img):
            result.pages.append(PageSlot(i, PageRole.SEPARATOR_BACK, None, 1.0, msg(
                "Mặt sau trắng của tờ phân cách: bỏ", "Blank back of a separator: dropped"), Method.SEPARATOR))
            continue
        if current is not None:
            pages_in_current += 1
            result.pages.append(PageSlot(i, PageRole.PAGE, current, 1.0, msg(
                "Sau tờ phân cách {c}", "After separator {c}", c=current), Method.SEPARATOR))
            previous_guess = current
            continue
        guess: PageGuess
        if ocr is None:
            guess = PageGuess(None, 0.0, msg("Không có tờ phân cách và không có chữ nhận dạng: chưa xếp",
                                             "No separator and no recognized text: left unassigned"))
            method = Method.NONE
        else:
            guess = clf.classify(ocr(i), previous_guess, first=not any(p.role is PageRole.PAGE for p in result.pages))
            method = Method.CLASSIFIER
        previous_guess = guess.component
        result.pages.append(PageSlot(i, PageRole.PAGE, guess.component, guess.confidence, guess.reason, method,
                                     guess.title))
    if current is not None and pages_in_current == 0:
        result.empty_components.append(current)
        result.warnings.append(msg("Tờ phân cách cuối ({c}) không có trang nào theo sau.",
                                   "The last separator ({c}) has no pages after it.", c=current))
    if separators_expected and not seen_own:
        result.warnings.append(msg("Không thấy tờ phân cách nào của thủ tục này: các trang được xếp theo nội dung, "
                                   "hãy kiểm tra kỹ.", "No separator of this procedure was found: the pages were "
                                   "sorted by their content; check them carefully."))
    return result
