"""One feeder pass for the whole dossier, at the counter: split, correct, confirm, digitize.

The scanning core proposes which component slot each page of the pass belongs to
(:func:`scanning.split.split_pages`: separator sheets first, then the page titles). This
module is what the counter does with that proposal, Qt-free:

* :meth:`Feeder.split` runs the proposal with the centre's learned titles loaded from the
  database (table ``learned_title``: shared by the centre's workstations on PostgreSQL),
  reading each page's text only when no separator decides it, cancellable page by page;
* :class:`Assignment` is the proposal as the officer corrects it (move a page to another
  slot, leave a page out); nothing is signed or uploaded from it until it is confirmed. Its
  corrections, keyed by the pass spool's page names (:meth:`Assignment.marks`), are kept
  with the pass (:meth:`scanning.spool.PageSpool.keep_sorting`) and put back on the pass
  sorted again after a close or a crash (:meth:`Assignment.restore`);
* :meth:`Feeder.confirm` refuses while a page is still unassigned (never guessed) and, unless
  the officer said so, while a slot that already has a digitized copy would get a second one
  (:class:`SlotsFilled`: the pass re-scanned a paper already done, or went to the wrong
  dossier); it records
  each correction of a titled page as a learned title (a page a separator placed is read
  only once the officer moves it) (audited, so the next dossier at any
  workstation of the centre is sorted better), then digitizes every slot's pages through
  :meth:`CounterWork.digitize_component` — the one path the dossier page's F5 and Ctrl+O use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, overload

from sqlalchemy import select

from desktop.auth import Actor, Permission, require
from desktop.db.base import utcnow
from desktop.db.models import LearnedTitle
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import CancelToken, ProgressFn, no_progress
from scanning.classify import LearnedTitles, fold, title_lines
from scanning.separators import ComponentRef
from scanning.split import PageRole, PageSlot, SplitResult, split_pages
from scanning.split import title_text as split_title_text
from scanning.spool import PageMark

if TYPE_CHECKING:
    import numpy as np

    from desktop.workflow.counter import CounterWork, Digitized
    from scanning.cleanup import CleanOptions
    from scanning.images import Page

#: below this the screen marks a page "check it" (a continuation guess is 0.6, an ID card 0.7)
SURE = 0.75


def title_text(page: Page) -> str:
    """The OCR text of the top of a page, where a form's or certificate's title is (read
    straight: :func:`scanning.split.title_text`, as bench/split_bench.py reads it)."""
    return split_title_text(page.image, page.dpi)


@dataclass
class FeederPage:
    """One kept page of the pass: what was proposed and where the officer put it."""

    index: int  # position in the feeder sequence
    proposal: PageSlot
    component: str | None  # the slot now; None = unassigned
    left_out: bool = False  # the officer took it out of the dossier (a stray sheet)
    text: str = ""  # the OCR text read for classifying ("" when a separator decided)

    @property
    def moved(self) -> bool:
        return self.component != self.proposal.component

    @property
    def title(self) -> str:
        """The page's own title line, if it has one (what a correction teaches)."""
        if self.proposal.title:
            return self.proposal.title
        lines = title_lines(self.text) if self.text else []
        return lines[0] if lines else ""


@dataclass(frozen=True)
class Correction:
    """A titled page the officer moved: its title now answers for ``component``."""

    index: int
    title: str
    proposed: str | None
    component: str


class Assignment:
    """The proposed split as the officer corrects it."""

    def __init__(self, result: SplitResult, components: Sequence[ComponentRef], texts: dict[int, str] | None = None,
                 ids: Sequence[str] | None = None) -> None:
        """``ids``: each feeder page's name in the pass spool, what its kept corrections are
        keyed by (an index would point at another page once a page is missing on restore)."""
        self.result = result
        self.components = list(components)
        self.names = {c.code: c.name for c in components}
        texts = texts or {}
        self.pages = [FeederPage(p.index, p, p.component, text=texts.get(p.index, ""))
                      for p in result.pages if p.role is PageRole.PAGE]
        self._by_index = {p.index: p for p in self.pages}
        self.ids = list(ids or [])
        #: grows with each correction, so a late write of older corrections cannot win
        self.revision = 0

    def page(self, index: int) -> FeederPage:
        return self._by_index[index]

    def move(self, index: int, component: str | None) -> None:
        """Put page ``index`` into ``component``'s slot (None: back to unassigned)."""
        if component is not None and component not in self.names:
            raise InvalidInput(msg("Thành phần “{c}” không thuộc hồ sơ này.",
                                   "Component “{c}” is not part of this dossier.", c=component))
        p = self.page(index)
        p.component = component
        p.left_out = False
        self.revision += 1

    def leave_out(self, index: int, left_out: bool = True) -> None:
        self.page(index).left_out = left_out
        self.revision += 1

    def marks(self) -> dict[str, PageMark]:
        """The officer's corrections, by spooled page name: each page moved or left out."""
        return {self.ids[p.index]: PageMark(p.component, p.left_out) for p in self.pages
                if p.index < len(self.ids) and (p.moved or p.left_out)}

    def restore(self, marks: Mapping[str, PageMark], revision: int = 0) -> int:
        """Put back corrections kept with the pass; returns how many applied. A mark for a
        page no longer in the pass, or for a component the dossier no longer has, is
        ignored (the page keeps its proposal)."""
        by_id = {self.ids[p.index]: p for p in self.pages if p.index < len(self.ids)}
        applied = 0
        for name, mark in marks.items():
            p = by_id.get(name)
            if p is None or (mark.component is not None and mark.component not in self.names):
                continue
            p.component = mark.component
            p.left_out = mark.left_out
            applied += 1
        self.revision = max(self.revision, revision)
        return applied

    def kept(self) -> list[FeederPage]:
        return [p for p in self.pages if not p.left_out]

    def unassigned(self) -> list[FeederPage]:
        return [p for p in self.kept() if p.component is None]

    def slot_pages(self, component: str) -> list[FeederPage]:
        """The slot's pages in feeder order (a moved page takes its place by position)."""
        return [p for p in self.kept() if p.component == component]

    def slots(self) -> dict[str, list[int]]:
        """Kept page indices per component, for the components that got pages, in procedure order."""
        out = {c.code: [p.index for p in self.slot_pages(c.code)] for c in self.components}
        return {c: ix for c, ix in out.items() if ix}

    def corrections(self) -> list[Correction]:
        """Moved pages that have a title of their own (a continuation page teaches nothing)."""
        return [Correction(p.index, p.title, p.proposal.component, p.component) for p in self.kept()
                if p.moved and p.component is not None and len(p.title.split()) >= 2]


class _Watched(Sequence["np.ndarray"]):
    """The pass's images as split_pages reads them: each page read checks the cancel token,
    and the first read-through (the separators) reports progress, so a long pass can be
    stopped and followed without the scanning core knowing about either."""

    def __init__(self, images: Sequence[np.ndarray], cancel: CancelToken | None, progress: ProgressFn) -> None:
        self.images = images
        self.cancel = cancel
        self.progress = progress
        self.passes = 0

    def __len__(self) -> int:
        return len(self.images)

    @overload
    def __getitem__(self, i: int) -> np.ndarray: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[np.ndarray]: ...
    def __getitem__(self, i: int | slice) -> np.ndarray | Sequence[np.ndarray]:
        return self.images[i]

    def __iter__(self) -> Iterator[np.ndarray]:
        self.passes += 1
        first = self.passes == 1
        for n, img in enumerate(self.images):
            if self.cancel is not None:
                self.cancel.raise_if_cancelled()
            if first:
                self.progress(n, len(self.images), msg("Tìm tờ phân cách", "Looking for separators"))
            yield img


class SlotsFilled(InvalidInput):
    """Confirming would add another copy to slots that already have one; the officer decides."""

    def __init__(self, components: Sequence[str]) -> None:
        self.components = list(components)
        super().__init__(msg(
            "Thành phần {c} đã có bản số hóa: xác nhận thêm một bản nữa hoặc chuyển các trang đi.",
            "Component(s) {c} already have a digitized copy: confirm another copy or move the pages.",
            c=", ".join(self.components)))


@dataclass(frozen=True)
class FeederOutcome:
    """What confirming did: the copies made per slot, the titles learned, the pages left out."""

    digitized: dict[str, Digitized] = field(default_factory=dict)
    learned: int = 0
    left_out: int = 0

    def pages(self) -> dict[str, int]:
        return {c: d.report.pages for c, d in self.digitized.items()}


class Feeder:
    def __init__(self, counter: CounterWork) -> None:
        self.counter = counter
        self.db = counter.db
        self.audit = counter.audit

    # --- the centre's learned titles -------------------------------------------------------

    def learned(self) -> LearnedTitles:
        with self.db.session() as s:
            rows = s.execute(select(LearnedTitle.component, LearnedTitle.title, LearnedTitle.count)).all()
        return LearnedTitles({(c, t): int(n) for c, t, n in rows if n > 0})

    def learn(self, actor: Actor, dossier_code: str, corrections: Sequence[Correction],
              names: dict[str, str]) -> int:
        """Record the officer's corrections as learned titles, in one audited transaction.

        ``names``: component code → name (learned titles are keyed by the folded name, so
        what is learned in one procedure helps every procedure asking for that paper)."""
        require(actor, Permission.SCAN)
        scratch = LearnedTitles()  # the same folding and "two words at least" rule as the classifier
        for c in corrections:
            scratch.learn(names[c.component], c.title)
        keys = list(scratch.entries)
        if not keys:
            return 0
        with self.db.session() as s:
            for comp, title in keys:
                row = s.scalar(select(LearnedTitle).where(LearnedTitle.component == comp, LearnedTitle.title == title)
                               .with_for_update())
                if row is None:
                    row = LearnedTitle(component=comp, title=title, count=0)
                    s.add(row)
                row.count = (row.count or 0) + scratch.entries[(comp, title)]
                row.updated_at = utcnow()
                row.updated_by = actor.username
            self.audit.record(s, actor=actor.audit_name, action="feeder.learn", entity_type="dossier",
                              entity_id=dossier_code,
                              data={"corrections": [{"page": c.index + 1, "title": fold(c.title), "from": c.proposed,
                                                     "to": c.component} for c in corrections]})
        return len(keys)

    # --- the pass --------------------------------------------------------------------------

    def split(self, procedure_code: str, components: Sequence[ComponentRef], images: Sequence[np.ndarray], *,
              dpi: Sequence[float] | None = None, read_text: Callable[[int], str] | None = None,
              separators_expected: bool = False, ids: Sequence[str] | None = None,
              cancel: CancelToken | None = None, progress: ProgressFn = no_progress) -> Assignment:
        """Propose the split of a pass; ``read_text(i)`` gives page i's text (default: OCR of
        its top part), called only for pages no separator decides; ``ids``: the pages'
        names in the pass spool (see :class:`Assignment`)."""
        from scanning.images import Page

        learned = self.learned()
        texts: dict[int, str] = {}
        total = len(images)

        def ocr(i: int) -> str:
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(i, total, msg("Đọc tiêu đề trang", "Reading page titles"))
            if read_text is not None:
                texts[i] = read_text(i)
            else:
                texts[i] = title_text(Page(images[i], float(dpi[i] or 300.0) if dpi else 300.0, ""))
            return texts[i]

        result = split_pages(_Watched(images, cancel, progress), procedure_code, list(components), ocr=ocr,
                             learned=learned, separators_expected=separators_expected)
        progress(total, total, "")
        return Assignment(result, components, texts, ids)

    def separator_sheets(self, procedure_code: str, procedure_name: str, components: Sequence[ComponentRef],
                         out_dir: Path | None = None) -> Path:
        """The procedure's separator sheets as a PDF (one A4 sheet per component), to print."""
        from scanning.separators import render_separators

        folder = out_dir or (self.counter.settings.files_dir / "separators")
        folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in procedure_code)
        return render_separators(procedure_code, procedure_name, list(components), folder / f"separators-{safe}.pdf")

    def filled(self, dossier_code: str, assignment: Assignment) -> list[str]:
        """The slots this pass would fill that already have a digitized copy, in procedure order."""
        have = {f.component_code for f in self.counter.dossiers.files(dossier_code) if f.kind == "component"}
        return [c for c in assignment.slots() if c in have]

    def confirm(self, actor: Actor, dossier_code: str, assignment: Assignment, pages: Sequence[Page], *,
                add_to_filled: bool = False, options: CleanOptions | None = None, cancel: CancelToken | None = None,
                progress: ProgressFn = no_progress) -> FeederOutcome:
        """Learn from the corrections, then digitize each slot's pages into its slot.

        ``add_to_filled``: the officer agreed that slots with a copy get another one."""
        require(actor, Permission.SCAN)
        left = assignment.unassigned()
        if left:
            raise InvalidInput(msg(
                "Còn {n} trang chưa xếp vào thành phần nào (trang {p}): hãy chuyển vào một thành phần hoặc bỏ ra.",
                "{n} page(s) are not in any component (page {p}): move them to a component or leave them out.",
                n=len(left), p=", ".join(str(p.index + 1) for p in left)))
        slots = assignment.slots()
        if not slots:
            raise InvalidInput(msg("Chưa có trang nào để số hóa.", "There are no pages to digitize."))
        filled = self.filled(dossier_code, assignment)
        if filled and not add_to_filled:
            raise SlotsFilled(filled)
        for p in assignment.kept():
            # a page a separator placed had no text read; the officer moved it, so its title
            # (if it has one) is worth learning for the passes that come without separators
            if p.moved and p.component is not None and not p.text and not p.proposal.title:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                p.text = title_text(pages[p.index])
        learned = self.learn(actor, dossier_code, assignment.corrections(), assignment.names)
        total = sum(len(ix) for ix in slots.values())
        done_pages = 0
        out: dict[str, Digitized] = {}
        for comp, indices in slots.items():
            if cancel is not None:
                cancel.raise_if_cancelled()
            base = done_pages

            def sub(done: int, _total: int, message: str = "", base: int = base) -> None:
                progress(base + done, total, message)

            out[comp] = self.counter.digitize_component(actor, dossier_code, comp, pages=[pages[i] for i in indices],
                                                        options=options, cancel=cancel, progress=sub)
            done_pages += len(indices)
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="feeder.confirm", entity_type="dossier",
                              entity_id=dossier_code,
                              data={"slots": {c: len(ix) for c, ix in slots.items()},
                                    "moved": sum(p.moved for p in assignment.kept()),
                                    "left_out": len(assignment.pages) - len(assignment.kept()),
                                    "separators": sum(p.role is PageRole.SEPARATOR for p in assignment.result.pages)})
        return FeederOutcome(out, learned, len(assignment.pages) - len(assignment.kept()))
