"""A page preview that can be zoomed (issue 11: "page previews can be zoomed").

The officer reads a scanned page at the counter to check it: the small fitted picture does
not show whether a stamp or a handwritten figure came out. :class:`PagePreview` shows a page
fitted to the box, fitted to its width, at 100 % (one scanned pixel per screen pixel) or at a
chosen factor; :class:`ZoomBar` drives one or more of them (the scan screen's "before" and
"after" zoom together, so they stay comparable) with tool buttons and keys:

* Ctrl++ / Ctrl+- (and Ctrl+wheel over the page) zoom in and out;
* Ctrl+0 fits the page, Ctrl+2 fits the width, Ctrl+1 shows 100 %.

The zoom is kept per preview while paging: the next page opens at the same zoom.

A scanned A4 page is ~2500×3500 pixels; scaling it smoothly takes tens of milliseconds, so
the sharp picture is made on a worker. Meanwhile the preview paints the small copy it already
has stretched to the new size (only the visible part is painted), so the scale changes at
once and the sharp picture replaces it when ready; a result for an older zoom or page is
dropped.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, QSize, Qt, Signal, Slot
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPaintEvent, QShortcut, QWheelEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QToolButton, QWidget

from ui.workers import Pool, Task, Workers

#: the zoom steps of Ctrl++ / Ctrl+- (a factor of the scanned page's pixels)
STEPS = (0.1, 0.15, 0.2, 0.25, 0.33, 0.5, 0.67, 0.75, 1.0, 1.25, 1.5, 2.0)
#: beyond this a 300-dpi A4 page becomes a picture of several hundred megabytes
MAX_ZOOM = STEPS[-1]
MIN_ZOOM = STEPS[0]


class Fit(enum.StrEnum):
    PAGE = "page"
    WIDTH = "width"
    FACTOR = "factor"  # a chosen zoom (100 %, or stepped with Ctrl++ / Ctrl+-)


def to_qimage(image: np.ndarray) -> QImage:
    """A QImage owning a copy of a grey or BGR array."""
    a = np.ascontiguousarray(image)
    if a.ndim == 2:
        q = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_Grayscale8)
    else:
        q = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_BGR888)
    return q.copy()  # copy: the array goes away


def _render(load: Callable[[], np.ndarray], size: QSize) -> QImage:
    """The page scaled smoothly to ``size`` (on a worker: QImage, unlike QPixmap, may be used
    off the GUI thread)."""
    return to_qimage(load()).scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation)


class _Canvas(QWidget):
    """The page at the shown size: paints the best picture it has into its whole rectangle
    (the sharp one 1:1, the small one stretched until the sharp one arrives)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.image is None or self.image.isNull():
            return
        p = QPainter(self)
        if self.image.size() == self.size():
            p.drawImage(QPoint(0, 0), self.image)
        else:
            # only the exposed part is drawn: cheap however large the zoom
            p.setClipRegion(event.region())
            # smoothed: a blur while the sharp one comes, not blocks that look like a bad scan
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(self.rect(), self.image)
        p.end()


class PagePreview(QScrollArea):
    """One page, zoomable; scroll bars when it is larger than the box."""

    #: the shown scale changed (shown pixels per scanned pixel)
    zoomed = Signal(float)
    #: the sharp picture for the current zoom is shown
    rendered = Signal()

    def __init__(self, parent: QWidget | None = None, *, workers: Workers,
                 minimum: tuple[int, int] = (180, 260)) -> None:
        super().__init__(parent)
        self.workers = workers
        self.setMinimumSize(*minimum)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("QScrollArea { background: #3c3c3c; border: none; }")
        self.canvas = _Canvas()
        self.setWidget(self.canvas)
        self.setWidgetResizable(False)
        self.mode = Fit.PAGE
        self.factor = 1.0
        self._small: np.ndarray | None = None
        self._natural = QSize()
        self._load: Callable[[], np.ndarray] | None = None
        self._generation = 0
        self._task: Task | None = None
        self.canvas.hide()

    # --- what is shown --------------------------------------------------------------------

    def show_page(self, small: np.ndarray | None, *, natural: tuple[int, int] | None = None,
                  full: Callable[[], np.ndarray] | None = None) -> None:
        """Show a page at the preview's current zoom. ``small`` is the copy at hand (shown at
        once), ``natural`` the scanned page's (width, height) — the size 100 % means —, and
        ``full`` loads the page at that size when a zoom needs more pixels than ``small`` has
        (called on a worker)."""
        self._generation += 1
        if small is None:
            self._small, self._load, self._natural = None, None, QSize()
            self.canvas.image = None
            self.canvas.hide()
            return
        h, w = small.shape[:2]
        nw, nh = natural if natural is not None else (w, h)
        self._small, self._load, self._natural = small, full, QSize(nw, nh)
        self.canvas.image = to_qimage(small)
        self.canvas.show()
        self._apply()

    def clear(self) -> None:
        self.show_page(None)

    def has_page(self) -> bool:
        return self._small is not None

    def scale(self) -> float:
        """The shown scale: screen pixels per scanned pixel."""
        if self._natural.isEmpty():
            return 0.0
        return self.canvas.width() / self._natural.width()

    def sharp(self) -> bool:
        """True when the picture shown has as many pixels as the shown size (not stretched)."""
        img = self.canvas.image
        return img is not None and img.size() == self.canvas.size()

    # --- zoom -----------------------------------------------------------------------------

    def set_fit(self, mode: Fit, factor: float | None = None) -> None:
        self.mode = mode
        if factor is not None:
            self.factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        self._apply()

    def step(self, direction: int) -> None:
        """One zoom step in (``+1``) or out (``-1``) from the scale shown now."""
        now = self.scale() if self.has_page() else self.factor
        if direction > 0:
            nxt = next((s for s in STEPS if s > now * 1.01), MAX_ZOOM)
        else:
            nxt = next((s for s in reversed(STEPS) if s < now * 0.99), MIN_ZOOM)
        self.set_fit(Fit.FACTOR, nxt)

    def _target(self) -> float:
        n = self._natural
        if n.isEmpty():
            return self.factor
        # the box without scroll bars: a fit computed while the zoomed page's bars are still
        # shown would come out smaller than the same fit computed from a fitted page
        room = self.maximumViewportSize()
        bar = self.verticalScrollBar().sizeHint().width()
        if self.mode is Fit.PAGE:
            return min(room.width() / n.width(), room.height() / n.height())
        if self.mode is Fit.WIDTH:
            # the page is taller than wide: leave room for the vertical scroll bar it brings
            return max(1, room.width() - bar) / n.width()
        return self.factor

    def _apply(self) -> None:
        if self._small is None:
            return
        s = self._target()
        size = QSize(max(1, round(self._natural.width() * s)), max(1, round(self._natural.height() * s)))
        old = self.canvas.size()
        if size != old:
            self.canvas.resize(size)
            self.zoomed.emit(self.scale())
        self._sharpen(size)

    def _sharpen(self, size: QSize) -> None:
        """The picture for ``size``: the small copy when it has enough pixels (scaled here,
        it is small), else the full page scaled on a worker."""
        small = self._small
        assert small is not None
        self._generation += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if size.width() <= small.shape[1] or self._load is None:
            self.canvas.image = to_qimage(small).scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                                        Qt.TransformationMode.SmoothTransformation)
            self.canvas.update()
            self.rendered.emit()
            return
        self.canvas.image = to_qimage(small)  # stretched until the sharp one comes
        self.canvas.update()
        load, generation = self._load, self._generation

        def work(cancel: Any, progress: Any) -> tuple[int, QImage | None]:
            if cancel.cancelled:
                return generation, None
            return generation, _render(load, size)

        self._task = self.workers.submit(work, pool_name=Pool.GENERAL, name="page zoom")
        self._task.succeeded.connect(self._rendered)

    @Slot(object)
    def _rendered(self, result: tuple[int, QImage | None]) -> None:
        generation, image = result
        if generation != self._generation or image is None or image.size() != self.canvas.size():
            return  # an older zoom or page
        self._task = None
        self.canvas.image = image
        self.canvas.update()
        self.rendered.emit()

    # --- events ---------------------------------------------------------------------------

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.mode is not Fit.FACTOR:
            self._apply()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_requested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    #: Ctrl+wheel over the page: the bar steps every preview it drives (+1 in, -1 out)
    zoom_requested = Signal(int)


class ZoomBar(QWidget):
    """Zoom buttons (with tooltips naming their keys) and the keys themselves, for the
    previews given; the keys work anywhere in ``keys_on`` (the screen holding them)."""

    def __init__(self, previews: Sequence[PagePreview], keys_on: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.previews = list(previews)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.buttons: dict[str, QToolButton] = {}
        actions: list[tuple[str, str, str, list[str], Callable[[], None]]] = [
            ("out", "−", self.tr("Zoom out (Ctrl+-, Ctrl+wheel)"), ["Ctrl+-"], lambda: self.step(-1)),
            ("in", "+", self.tr("Zoom in (Ctrl++, Ctrl+wheel)"), ["Ctrl++", "Ctrl+="], lambda: self.step(1)),
            ("page", self.tr("Page"), self.tr("Fit the whole page (Ctrl+0)"), ["Ctrl+0"],
             lambda: self.fit(Fit.PAGE)),
            ("width", self.tr("Width"), self.tr("Fit the page's width (Ctrl+2)"), ["Ctrl+2"],
             lambda: self.fit(Fit.WIDTH)),
            ("actual", "1:1", self.tr("Actual size: one scanned pixel per screen pixel (Ctrl+1)"), ["Ctrl+1"],
             lambda: self.fit(Fit.FACTOR, 1.0)),
        ]
        for key, text, tip, keys, run in actions:
            b = QToolButton()
            b.setObjectName(f"zoom_{key}")
            b.setText(text)
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys do it; Tab stays on the work
            b.clicked.connect(run)
            row.addWidget(b)
            self.buttons[key] = b
            for seq in keys:
                sc = QShortcut(QKeySequence(seq), keys_on, run)
                sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.percent = QLabel()
        self.percent.setObjectName("zoom_percent")
        self.percent.setMinimumWidth(self.percent.fontMetrics().horizontalAdvance("200 %") + 4)
        row.addWidget(self.percent)
        row.addStretch(1)
        for p in self.previews:
            p.zoomed.connect(self._show_percent)
            p.zoom_requested.connect(self.step)
        self._show_percent()

    @Slot(int)
    def step(self, direction: int) -> None:
        lead = next((p for p in self.previews if p.has_page()), self.previews[0])
        lead.step(direction)
        # the others follow the first one's scale, so before and after stay comparable
        for p in self.previews:
            if p is not lead:
                p.set_fit(Fit.FACTOR, lead.factor)
        self._show_percent()

    def fit(self, mode: Fit, factor: float | None = None) -> None:
        for p in self.previews:
            p.set_fit(mode, factor)
        self._show_percent()

    @Slot()
    def _show_percent(self, *args: Any) -> None:
        lead = next((p for p in self.previews if p.has_page()), None)
        self.percent.setText("" if lead is None else f"{round(lead.scale() * 100)} %")
