"""Page previews zoom (issue 11: "page previews can be zoomed"): the keys and buttons really
change the shown scale, the sharp picture is made off the UI thread, fit restores the scale,
and the zoom is kept while paging — on the preview itself and on the scan screen."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop.auth import Actor
from desktop.context import AppContext
from scanning.page_pool import PagePool
from ui.page_zoom import Fit, PagePreview, ZoomBar
from ui.workers import Workers

A4 = (2480, 3508)  # a 300-dpi A4 scan, (width, height)


def _page(w: int = A4[0], h: int = A4[1]) -> np.ndarray:
    img = np.full((h, w), 235, np.uint8)
    img[::97, :] = 20  # lines, so a wrong scale would show
    return img


@pytest.fixture
def screen(qtbot, workers):  # type: ignore[no-untyped-def]
    holder = QWidget()
    preview = PagePreview(holder, workers=workers)
    bar = ZoomBar([preview], keys_on=holder, parent=holder)
    from PySide6.QtWidgets import QVBoxLayout

    lay = QVBoxLayout(holder)
    lay.addWidget(bar)
    lay.addWidget(preview, 1)
    holder.resize(500, 600)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    return holder, preview, bar


def test_zoom_changes_the_shown_scale_and_fit_restores_it(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    holder, preview, bar = screen
    full = _page()
    small = full[::6, ::6].copy()
    loads: list[bool] = []

    def load() -> np.ndarray:
        loads.append(threading.current_thread() is threading.main_thread())
        return full

    preview.show_page(small, natural=(full.shape[1], full.shape[0]), full=load)
    fitted = preview.scale()
    room = preview.maximumViewportSize()
    # fitted: the whole page inside the box, touching it on one side
    assert preview.canvas.width() <= room.width() and preview.canvas.height() <= room.height()
    assert abs(preview.canvas.height() - room.height()) <= 1 or abs(preview.canvas.width() - room.width()) <= 1
    holder.setFocus()
    qtbot.keyClick(holder, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert preview.scale() > fitted * 1.05
    assert preview.horizontalScrollBar().maximum() > 0 or preview.verticalScrollBar().maximum() > 0
    qtbot.keyClick(holder, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # 100 %
    assert preview.scale() == pytest.approx(1.0)
    assert bar.percent.text() == "100 %"
    # the 2480-px picture is made on a worker (the small copy has 414 px), then shown sharp
    qtbot.waitUntil(preview.sharp, timeout=15000)
    assert loads == [False]  # loaded (and scaled) off the UI thread
    assert preview.canvas.image is not None and preview.canvas.image.width() == full.shape[1]
    qtbot.keyClick(holder, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.scale() < 1.0
    qtbot.keyClick(holder, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # fit the page
    assert preview.scale() == pytest.approx(fitted)
    bar.buttons["width"].click()
    assert preview.mode is Fit.WIDTH and preview.scale() > fitted
    assert preview.canvas.width() <= preview.viewport().width()
    bar.buttons["page"].click()
    assert preview.scale() == pytest.approx(fitted)
    for b in bar.buttons.values():
        assert b.toolTip()


def test_ctrl_wheel_zooms_and_the_zoom_is_kept_while_paging(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    holder, preview, bar = screen
    first, second = _page(), _page(2400, 3300)
    preview.show_page(first[::6, ::6].copy(), natural=(first.shape[1], first.shape[0]), full=lambda: first)
    fitted = preview.scale()
    pos = QPointF(preview.viewport().rect().center())
    wheel = QWheelEvent(pos, preview.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    # to the viewport: a real wheel over the page goes there (the page ignores it, it propagates)
    QApplication.sendEvent(preview.viewport(), wheel)
    zoomed = preview.scale()
    assert zoomed > fitted * 1.05
    # the next page opens at the same zoom, not fitted again
    preview.show_page(second[::6, ::6].copy(), natural=(second.shape[1], second.shape[0]), full=lambda: second)
    assert preview.scale() == pytest.approx(zoomed, rel=0.01)
    assert preview.canvas.width() == round(second.shape[1] * preview.factor)


def test_the_scan_screen_zooms_before_and_after_together(qtbot, ctx: AppContext, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch, workers: Workers) -> None:
    from scanning.samples import DOCUMENTS, render_a4
    from tests.scanning.sane_device import use_sane_test_device
    from ui.scan_view import ScanView

    use_sane_test_device(tmp_path, monkeypatch)  # the screen looks for scanners when it opens
    import ui.scan_view

    cleaned: list[int] = []
    real = ui.scan_view.cleaned_image

    def counted(*args: Any) -> Any:
        cleaned.append(1)
        return real(*args)

    monkeypatch.setattr(ui.scan_view, "cleaned_image", counted)
    p = tmp_path / "p.png"
    Image.fromarray(render_a4(DOCUMENTS["khai_sinh"])).save(p, dpi=(300, 300))
    with PagePool(1) as pool:
        view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
        qtbot.addWidget(view)
        view.resize(1300, 700)
        view.show()
        view.import_files([p, p])
        qtbot.waitUntil(lambda: view.pages.count() == 2 and all(q.steps is not None for q in view.batch.pages),
                        timeout=60000)
        view.pages.setCurrentRow(0)
        view.pages.setFocus()
        fitted = view.before.scale()
        assert fitted > 0 and view.after.scale() == pytest.approx(fitted, rel=0.02)
        qtbot.keyClick(view.pages, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(view.pages, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        zoomed = view.before.scale()
        assert zoomed > fitted * 1.1 and view.after.scale() == pytest.approx(zoomed, rel=0.02)
        qtbot.waitUntil(view.before.sharp, timeout=15000)
        # the cleaned page too, from the page cleaned at full resolution: before, its
        # 420-px copy was stretched to the zoomed size
        qtbot.waitUntil(lambda: view.after.sharp() and bool(cleaned), timeout=30000)
        view.pages.setCurrentRow(1)  # the next page: the same zoom
        assert view.before.scale() == pytest.approx(zoomed, rel=0.01)
        qtbot.keyClick(view.pages, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        assert view.before.scale() == pytest.approx(fitted, rel=0.01)
        assert view.after.scale() == pytest.approx(fitted, rel=0.02)
