"""Scan screen: pages from the SANE test scanner and from files, arranged, checked, turned
into a searchable PDF attached to a dossier, with the event loop kept free."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QTimer

from desktop.app import AppContext
from desktop.auth import Actor
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


def test_imported_pages_are_checked_arranged_and_made_into_a_pdf(qtbot, ctx: AppContext, tmp_path: Path,  # type: ignore[no-untyped-def]
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
    view = ScanView(ctx, admin, pool=pool)
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


def test_event_loop_keeps_turning_while_digitizing(qtbot, ctx: AppContext, tmp_path: Path, pool) -> None:  # type: ignore[no-untyped-def]
    # not a speed test: a frozen loop would show gaps of whole seconds (one page of OCR)
    p = tmp_path / "p.png"
    Image.fromarray(render_a4(DOCUMENTS["kinh_doanh"])).save(p, dpi=(300, 300))
    view = ScanView(ctx, Actor.cli(), pool=pool)
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


def test_pages_from_the_sane_test_scanner_arrive_one_by_one_and_a_jam_keeps_them(  # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch, pool) -> None:
    from tests.scanning.sane_device import arm_fault_in_process, use_sane_test_device

    arm_fault_in_process(monkeypatch, after_pages=3, status="SANE_STATUS_JAMMED")
    view = ScanView(ctx, Actor.cli(), pool=pool)
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
