"""Scan screen: pages from the SANE test scanner and from files, arranged, checked, turned
into a searchable PDF attached to a dossier, with the event loop kept free."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QTimer

from desktop.auth import Actor
from desktop.context import AppContext
from scanning.page_pool import PagePool
from scanning.samples import DOCUMENTS, render, render_a4
from ui.scan_view import KEY_ROLE, ScanView


@pytest.fixture(autouse=True)
def _only_the_sane_test_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the screen looks for scanners when it opens: never probe the machine's USB in tests
    from tests.scanning.sane_device import use_sane_test_device

    use_sane_test_device(tmp_path, monkeypatch)


@pytest.fixture
def pool():  # type: ignore[no-untyped-def]
    with PagePool(2) as p:
        yield p


def _keys(view: ScanView) -> list[int]:
    return [int(view.pages.item(r).data(KEY_ROLE)) for r in range(view.pages.count())]


def test_imported_pages_are_checked_arranged_and_made_into_a_pdf(workers, qtbot, ctx: AppContext, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                 pool) -> None:
    admin = Actor.cli()
    d = ctx.dossiers.receive(admin, procedure_code="1.001193", applicant_name="Lê Thị Mai")
    files = []
    for i, name in enumerate(("khai_sinh", "cu_tru")):
        p = tmp_path / f"{i}.png"
        Image.fromarray(render_a4(DOCUMENTS[name])).save(p, dpi=(300, 300))
        files.append(p)
    low = tmp_path / "low.png"
    Image.fromarray(render(DOCUMENTS["dat_dai"], dpi=150)).save(low, dpi=(150, 150))
    files.append(low)
    view = ScanView(ctx, admin, pool=pool, workers=workers)
    qtbot.addWidget(view)
    view.import_files(files)
    qtbot.waitUntil(lambda: view.pages.count() == 3 and all(p.steps is not None for p in view.batch.pages), timeout=20000)
    assert view.batch.pages[2].badges == ["low_dpi"]
    assert "⚠" in view.pages.item(2).text() and "✓" in view.pages.item(0).text()
    # arrange: the low-resolution page first, then turn it and drop it
    keys = _keys(view)
    view.batch.move(keys[2], 0)
    view.pages.model().moveRow(view.pages.rootIndex(), 2, view.pages.rootIndex(), 0)
    assert [p.key for p in view.batch.pages] == _keys(view)
    view.pages.setCurrentRow(0)
    view.rotate_selected(90)
    assert view.batch.pages[0].turns == 90
    view.delete_selected()
    assert view.pages.count() == 2 and len(view.batch) == 2
    view.dossier_edit.setText(d.code)
    view.component_edit.setText("TK")
    view.pdf_button.click()
    qtbot.waitUntil(lambda: view._digitize is None, timeout=60000)
    report = view.last_report
    assert report is not None and report.pages == 2, view.status.text()
    assert "Nguyễn Thị Hồng Nhung" in report.page_texts[0] and "Trần Văn Đức" in report.page_texts[1]
    files_attached = ctx.dossiers.files(d.code)
    assert [f.filename for f in files_attached] == [Path(report.output).name]


def test_event_loop_keeps_turning_while_digitizing(workers, qtbot, ctx: AppContext, tmp_path: Path, pool) -> None:  # type: ignore[no-untyped-def]
    # not a speed test: a frozen loop would show gaps of whole seconds (one page of OCR)
    p = tmp_path / "p.png"
    Image.fromarray(render_a4(DOCUMENTS["kinh_doanh"])).save(p, dpi=(300, 300))
    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    view.import_files([p] * 6)
    qtbot.waitUntil(lambda: len(view.batch) == 6 and all(x.steps is not None for x in view.batch.pages), timeout=30000)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    view.make_pdf()
    assert not view.progress.isHidden() and view.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: view._digitize is None, timeout=60000)
    timer.stop()
    assert view.last_report.pages == 6
    assert max(gaps) < 0.5, max(gaps)


def test_pages_from_the_sane_test_scanner_arrive_one_by_one_and_a_jam_keeps_them(workers,   # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch, pool) -> None:
    from tests.scanning.sane_device import arm_fault_in_process, use_sane_test_device

    arm_fault_in_process(monkeypatch, after_pages=3, status="SANE_STATUS_JAMMED")
    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.source_box.count() >= 1, timeout=20000)
    assert "test:0" in view.source_box.currentData()
    view.profile_box.setCurrentIndex(view.profile_box.findData("a4-grey-300"))
    view.dpi_box.setCurrentIndex(view.dpi_box.findData(200))
    seen: list[tuple[int, bool]] = []
    view.bridge.arrived.connect(lambda _: seen.append((len(view.batch), view._scan is not None)))
    view.scan_button.click()
    qtbot.waitUntil(lambda: view._scan is None, timeout=60000)
    assert seen == [(1, True), (2, True), (3, True)]  # each page shown while the feed went on
    assert "Kẹt giấy" in view.status.text() and "3 trang" in view.status.text()
    # the jammed sheet is re-scanned in place of page 2
    monkeypatch.undo()
    use_sane_test_device(tmp_path, monkeypatch)
    old = [p.key for p in view.batch.pages]
    view.pages.setCurrentRow(1)
    view.rescan_selected()
    qtbot.waitUntil(lambda: view._scan is None, timeout=60000)
    keys = [p.key for p in view.batch.pages]
    assert len(keys) == 3 and keys[0] == old[0] and keys[2] == old[2] and keys[1] not in old


# --- issue 11: found when tried as a new user would -----------------------------------------


def _answer_next_question(qtbot, button, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Press ``button`` in the next question box the screen opens, noting its text."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, press)


def _page_file(tmp_path: Path, name: str, dpi: int = 300, upside_down: bool = False) -> Path:
    import numpy as np

    image = render_a4(DOCUMENTS[name]) if dpi == 300 else render(DOCUMENTS[name], dpi=dpi)
    if upside_down:
        image = np.ascontiguousarray(np.rot90(image, 2))
    p = tmp_path / f"{name}-{dpi}-{int(upside_down)}.png"
    Image.fromarray(image).save(p, dpi=(dpi, dpi))
    return p


def _checked(view: ScanView) -> bool:
    return all(p.steps is not None for p in view.batch.pages)


def test_the_batch_is_cleared_in_one_go_after_a_confirmation(workers, qtbot, ctx: AppContext, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             pool) -> None:
    from PySide6.QtWidgets import QMessageBox

    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    assert not view.clear_button.isEnabled()  # nothing to clear
    view.import_files([_page_file(tmp_path, "khai_sinh"), _page_file(tmp_path, "cu_tru")])
    qtbot.waitUntil(lambda: view.pages.count() == 2 and _checked(view) and view._scan is None, timeout=20000)
    assert view.clear_button.isEnabled()
    seen: list[str] = []
    _answer_next_question(qtbot, QMessageBox.StandardButton.No, seen)
    assert not view.clear_batch()
    assert view.pages.count() == 2 and len(view.batch) == 2 and "2 page" in seen[0]
    _answer_next_question(qtbot, QMessageBox.StandardButton.Yes, seen)
    view.clear_button.click()
    assert view.pages.count() == 0 and len(view.batch) == 0 and "empty" in view.status.text()
    assert not view.pdf_button.isEnabled()


def test_a_new_profile_cleans_the_pages_again_and_the_pdf_gets_what_the_preview_shows(workers,   # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, pool) -> None:
    from scanning.profiles import ProfileStore, ScanProfile

    ProfileStore(Path(ctx.settings.data_dir)).save([
        ScanProfile("turns", "Tự xoay", "Turns pages", source="adf"),
        ScanProfile("as-is", "Giữ hướng", "Keeps the orientation", source="adf", orientation=False, deskew=False,
                    denoise=False)])
    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    view.import_files([_page_file(tmp_path, "cu_tru", upside_down=True)])
    qtbot.waitUntil(lambda: view.pages.count() == 1 and _checked(view) and view._scan is None, timeout=20000)
    assert "rotate 180°" in (view.batch.pages[0].steps or [])
    view.profile_box.setCurrentIndex(view.profile_box.findData("as-is"))
    assert view.batch.pages[0].steps is None and "checking" in view.pages.item(0).text()  # stale at once
    qtbot.waitUntil(lambda: _checked(view), timeout=20000)
    shown = list(view.batch.pages[0].steps or [])
    assert not any(s.startswith("rotate") for s in shown)
    view.make_pdf()
    qtbot.waitUntil(lambda: view._digitize is None, timeout=60000)
    assert view.last_report is not None, view.status.text()
    assert view.last_report.page_reports[0].steps == shown  # the preview is what went into the PDF


def test_red_badges_ask_before_the_pdf_is_made(workers, qtbot, ctx: AppContext, tmp_path: Path, pool) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    view.import_files([_page_file(tmp_path, "khai_sinh"), _page_file(tmp_path, "dat_dai", dpi=150)])
    qtbot.waitUntil(lambda: view.pages.count() == 2 and _checked(view) and view._scan is None, timeout=20000)
    seen: list[str] = []
    _answer_next_question(qtbot, QMessageBox.StandardButton.No, seen)
    view.make_pdf()
    assert view._digitize is None and view.last_report is None  # not made
    assert "1 page(s) have problems" in seen[0] and "page 2 (low dpi)" in seen[0] and "anyway" in seen[0]
    assert "PDF not made" in view.status.text()
    _answer_next_question(qtbot, QMessageBox.StandardButton.Yes, seen)
    view.make_pdf()
    qtbot.waitUntil(lambda: view._digitize is None, timeout=60000)
    assert len(seen) == 2 and view.last_report is not None and view.last_report.pages == 2


def test_a_two_sided_profile_on_a_one_sided_scanner_says_which_profile_to_take(workers,   # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, pool) -> None:
    from ui import translations

    translations.install("vi")
    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.source_box.count() >= 1, timeout=20000)
    view.profile_box.setCurrentIndex(view.profile_box.findData("a4-grey-300-duplex"))
    assert view.duplex_box.isChecked()
    view.scan_button.click()
    assert view._scan is None and len(view.batch) == 0
    text = view.status.text()
    assert "một mặt" in text and "A4 xám 300 dpi 1 mặt" in text and "Hai mặt" in text, text


def test_a_scanner_unplugged_mid_feed_keeps_the_pages_and_says_so(workers,   # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch, pool) -> None:
    from tests.scanning.sane_device import arm_fault_in_process
    from ui import translations

    translations.install("vi")
    arm_fault_in_process(monkeypatch, after_pages=2, status="SANE_STATUS_IO_ERROR")
    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.source_box.count() >= 1, timeout=20000)
    view.profile_box.setCurrentIndex(view.profile_box.findData("a4-grey-300"))
    view.dpi_box.setCurrentIndex(view.dpi_box.findData(200))
    view.scan_button.click()
    qtbot.waitUntil(lambda: view._scan is None, timeout=60000)
    assert view.pages.count() == 2 and len(view.batch) == 2
    text = view.status.text()
    assert "Mất kết nối" in text and "2 trang đã quét được giữ lại" in text and "Kiểm tra cáp" in text, text
    assert view.pdf_button.isEnabled()  # the two pages can still be made into the PDF


def test_clean_up_steps_are_shown_in_vietnamese(workers, qtbot, ctx: AppContext, tmp_path: Path, pool) -> None:  # type: ignore[no-untyped-def]
    from ui import translations

    translations.install("vi")
    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    view.import_files([_page_file(tmp_path, "cu_tru", upside_down=True)])
    qtbot.waitUntil(lambda: view.pages.count() == 1 and _checked(view) and view._scan is None, timeout=20000)
    view.pages.setCurrentRow(0)
    view._show_selected()
    info = view.page_info.text()
    assert "rotate 180°" in (view.batch.pages[0].steps or [])
    assert "xoay 180°" in info, info
    for english in ("rotate", "denoise", "deskew", "crop", "perspective", "whole frame", "light", "Clean-up"):
        assert english not in info, info
    assert all(view._step_label(s) != s for s in ("perspective", "crop", "whole frame", "grey", "light", "blank",
                                                 "rotate 90°", "denoise", "deskew +1.20°"))


@pytest.mark.log_warnings("SANE probe failed")
def test_a_sane_probe_that_crashes_is_told_and_files_still_import(workers,   # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch, pool) -> None:
    """A backend that kills the device probe (it used to run here and close the application)
    is said on the screen; importing files goes on; Refresh probes again."""
    from scanning.sane_child import FAULT_ENV
    from scanning.sources import sane_probe

    sane_probe.clear_cache()
    monkeypatch.setenv(FAULT_ENV, "kill")
    view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: "SIGKILL" in view.status.text(), timeout=20000)
    assert "dừng đột ngột" in view.status.text() and "dll.conf" in view.status.text()
    assert view.source_box.count() == 0
    view.import_files([_page_file(tmp_path, "khai_sinh")])
    qtbot.waitUntil(lambda: view.pages.count() == 1 and _checked(view), timeout=20000)
    monkeypatch.delenv(FAULT_ENV)  # the officer disabled the backend and presses Refresh
    qtbot.waitUntil(lambda: view.refresh_button.isEnabled(), timeout=20000)
    view.refresh_button.click()
    qtbot.waitUntil(lambda: view.source_box.count() == 2, timeout=20000)
    assert "test:0" in view.source_box.currentData()
    sane_probe.clear_cache()
