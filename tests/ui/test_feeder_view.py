"""The whole-dossier feeder pass on the dossier page: a generated paper dossier with the
procedure's real separator sheets (tests/scanning/dossiers.py), imported as one multi-page
file, is split on a worker, shown per slot, corrected by keys and confirmed; each slot of
the dossier then holds its pages, digitized through the counter's one path."""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import AuditEvent, Role
from scanning.sane_child import FAULT_ENV
from scanning.separators import ComponentRef, render_separators
from scanning.sources import sane_probe
from tests.scanning.conditions import FONTS
from tests.scanning.dossiers import CARD, _fill, render_page, scan_like
from tests.scanning.sane_device import use_sane_test_device
from ui import translations
from ui.dossiers.area import DossiersArea
from ui.dossiers.feeder_view import FeederView

PROC = "1.000894"  # Đăng ký kết hôn: TK, XNHN, GTTT
DPI = 150


def _feed(ctx: AppContext, folder: Path) -> tuple[Path, dict[str, int]]:
    """The dossier as fed once: separator, its pages, … (XNHN, TK with a continuation, GTTT),
    one duplex back left blank; written as one multi-page TIFF. Returns it and the truth."""
    comps = [ComponentRef(s.code, s.name) for s in ctx.counter.slot_specs(PROC)]
    folder.mkdir(parents=True, exist_ok=True)
    pdf = render_separators(PROC, "Đăng ký kết hôn", comps, folder / "sep.pdf")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(folder / "s")], check=True)
    seps = {c.code: cv2.imread(str(f), cv2.IMREAD_GRAYSCALE)
            for c, f in zip(comps, sorted(folder.glob("s-*.png")), strict=True)}
    rng = np.random.default_rng(17)
    body = [_fill(x, rng) for x in ("Họ, chữ đệm, tên người yêu cầu: {name}", "Nơi cư trú: số {n} đường Lê Lợi",
                                    "Làm tại Quy Nhơn, ngày {d:02d} tháng {m:02d} năm 2026")]
    font = FONTS[0]
    docs = {
        "XNHN": [render_page(("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",), body, DPI, font, True)],
        "TK": [render_page(("TỜ KHAI ĐĂNG KÝ KẾT HÔN",), body, DPI, font, True),
               render_page(None, body, DPI, font, False)],
        "GTTT": [render_page(("CĂN CƯỚC CÔNG DÂN",), [_fill(x, rng) for x in CARD], DPI, font, True)],
    }
    sheets: list[np.ndarray] = []
    for code, pages in docs.items():
        sheets.append(scan_like(seps[code], DPI, rng, "upside_down" if code == "TK" else "clean"))
        if code == "XNHN":  # the blank back of a duplex separator: dropped
            sheets.append(scan_like(np.full_like(seps[code], 255), DPI, rng, "clean"))
        sheets += [scan_like(p, DPI, rng, "clean") for p in pages]
    images = [Image.fromarray(s) for s in sheets]
    path = folder / "dossier.tif"
    images[0].save(path, save_all=True, append_images=images[1:], dpi=(DPI, DPI), compression="tiff_deflate")
    return path, {c: len(p) for c, p in docs.items()}


def _open(qtbot, workers, ctx: AppContext) -> tuple[DossiersArea, FeederView, str]:  # type: ignore[no-untyped-def]
    ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    officer = ctx.auth.sign_in("lan", "mat-khau-dai-1")
    d = ctx.counter.receive(officer, procedure_code=PROC, applicant_name="Phạm Văn Đức")
    area = DossiersArea(ctx, officer, workers=workers)
    qtbot.addWidget(area)
    area.show()
    area.open_dossier(d.code)
    qtbot.waitUntil(lambda: area.page.page is not None, timeout=10_000)
    qtbot.keyClick(area.page.slots, Qt.Key.Key_F6)
    dlg = area.page.findChild(FeederView)
    assert dlg is not None and dlg.isVisible()
    return area, dlg, d.code


def _split(qtbot, dlg: FeederView, path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg.import_files([path])
    qtbot.waitUntil(lambda: dlg.assignment is not None and not dlg.busy(), timeout=60_000)


def _group(dlg: FeederView, code: str) -> list[str]:
    """The page rows shown under a slot ("" = unassigned)."""
    for i in range(dlg.tree.topLevelItemCount()):
        head = dlg.tree.topLevelItem(i)
        if head.data(0, Qt.ItemDataRole.UserRole + 1) == code and "Left out" not in head.text(0):
            return [head.child(j).text(0) for j in range(head.childCount())]
    raise AssertionError(code)


def _confirm(qtbot, ctx: AppContext, area: DossiersArea, dlg: FeederView, code: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    qtbot.keyClick(dlg.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.outcome is not None or (not dlg.busy() and dlg.status.styleSheet() != ""),
                    timeout=180_000)
    assert dlg.outcome is not None, dlg.status.text()
    qtbot.waitUntil(lambda: area.page.page is not None and all(
        s.files for s in area.page.page.progress.slots if s.code in dlg.outcome.pages()), timeout=20_000)
    return {f.component_code or "": f.pages for f in ctx.dossiers.files(code)}


def test_a_whole_dossier_with_separators_lands_in_its_slots(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, truth = _feed(ctx, tmp_path / "feed")
    area, dlg, code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    assert _group(dlg, "") == []  # nothing unassigned
    assert _group(dlg, "XNHN") == ["Page 3"] and _group(dlg, "TK") == ["Page 5", "Page 6"]
    assert _group(dlg, "GTTT") == ["Page 8"]
    assert dlg.confirm_button.isEnabled()
    assert _confirm(qtbot, ctx, area, dlg, code) == truth
    with ctx.db.session() as s:
        ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "feeder.confirm"))
        assert ev is not None and ev.data["slots"] == truth and ev.data["separators"] == 3


def test_a_page_moved_by_keys_goes_into_the_chosen_slot(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, _truth = _feed(ctx, tmp_path / "feed")
    area, dlg, code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    # the officer sees the TK continuation page belongs with the marriage certificate: select, press 2
    numbers = [c.code for c in dlg.components]
    xnhn = numbers.index("XNHN") + 1
    tk = dlg.tree.topLevelItem(numbers.index("TK") + 1)
    dlg.tree.setFocus()
    dlg.tree.setCurrentItem(tk.child(1))
    qtbot.keyClick(dlg.tree, Qt.Key.Key_0 + xnhn)
    assert _group(dlg, "XNHN") == ["Page 3", "Page 6"] and _group(dlg, "TK") == ["Page 5"]
    assert dlg.assignment is not None and dlg.assignment.page(5).moved
    # 0 puts a page back among the unassigned, which blocks the confirmation ...
    dlg.tree.setCurrentItem(dlg.tree.topLevelItem(numbers.index("GTTT") + 1).child(0))
    qtbot.keyClick(dlg.tree, Qt.Key.Key_0)
    assert _group(dlg, "") == ["Page 8"]
    qtbot.keyClick(dlg.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dlg.busy() and "not in any component" in dlg.status.text()
    assert ctx.dossiers.files(code) == []
    # ... until it is put in a slot again (or left out with Del)
    dlg.tree.setCurrentItem(dlg.tree.topLevelItem(0).child(0))
    qtbot.keyClick(dlg.tree, Qt.Key.Key_0 + numbers.index("GTTT") + 1)
    assert _confirm(qtbot, ctx, area, dlg, code) == {"XNHN": 2, "TK": 1, "GTTT": 1}


def test_a_page_dropped_on_another_slot_moves_there(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, _truth = _feed(ctx, tmp_path / "feed")
    area, dlg, _code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    numbers = [c.code for c in dlg.components]
    gttt = dlg.tree.topLevelItem(numbers.index("GTTT") + 1)
    dlg.tree.setCurrentItem(gttt.child(0))
    # what the tree's dropEvent does with the dragged rows and the row under the mouse
    assert dlg.tree.drop_on(dlg.tree.topLevelItem(numbers.index("TK") + 1).child(0), dlg.tree.selected_pages())
    assert _group(dlg, "TK") == ["Page 5", "Page 6", "Page 8"] and _group(dlg, "GTTT") == []
    dlg.reject()


def test_a_page_dropped_on_left_out_is_left_out_and_dropped_back_is_kept(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found in use: "Left out" refused a drop (and was not there until a page had been left
    out with Del), so dragging an unwanted page away did nothing."""
    path, _truth = _feed(ctx, tmp_path / "feed")
    area, dlg, _code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    numbers = [c.code for c in dlg.components]
    tree = dlg.tree
    left = tree.topLevelItem(tree.topLevelItemCount() - 1)  # there before anything is left out
    assert "Left out" in left.text(0) and left.childCount() == 0
    assert left.flags() & Qt.ItemFlag.ItemIsDropEnabled
    tree.setCurrentItem(tree.topLevelItem(numbers.index("GTTT") + 1).child(0))
    assert tree.drop_on(left, tree.selected_pages())
    assert _group(dlg, "GTTT") == [] and dlg.assignment is not None and dlg.assignment.page(7).left_out
    left = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert [left.child(j).text(0) for j in range(left.childCount())] == ["Page 8"]
    tree.setCurrentItem(left.child(0))  # changed its mind: back into the ID card's slot
    assert tree.drop_on(tree.topLevelItem(numbers.index("GTTT") + 1), tree.selected_pages())
    assert _group(dlg, "GTTT") == ["Page 8"] and not dlg.assignment.page(7).left_out
    dlg.reject()


def test_print_separator_sheets_opens_the_preview_of_the_procedures_sheets(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QApplication

    from scanning.images import load_pages
    from scanning.separators import read_separator

    _area, dlg, _code = _open(qtbot, workers, ctx)
    qtbot.mouseClick(dlg.print_button, Qt.MouseButton.LeftButton)

    def preview() -> QPrintPreviewDialog | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QPrintPreviewDialog) and w.isVisible()), None)

    qtbot.waitUntil(lambda: preview() is not None, timeout=30_000)
    shown = preview()
    assert shown is not None
    shown.reject()
    pdf = ctx.settings.files_dir / "separators" / f"separators-{PROC}.pdf"
    marks = [read_separator(p.image) for p in load_pages([pdf])]
    assert [(m.procedure, m.component) for m in marks if m is not None] == [(PROC, "TK"), (PROC, "XNHN"),
                                                                             (PROC, "GTTT")]
    dlg.reject()


def test_a_second_pass_into_filled_slots_asks_first(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found in use: the same pass confirmed twice silently gave every slot a second copy."""
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.test_scan_view import _answer_next_question

    path, truth = _feed(ctx, tmp_path / "feed")
    area, dlg, code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    assert _confirm(qtbot, ctx, area, dlg, code) == truth
    qtbot.waitUntil(lambda: not dlg.isVisible() and not area.page.busy(), timeout=10_000)
    again = area.page.open_feeder()
    assert again is not None and again.filled == set(truth)
    _split(qtbot, again, path)
    seen: list[str] = []
    _answer_next_question(qtbot, QMessageBox.StandardButton.No, seen)
    qtbot.keyClick(again.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert seen and all(c in seen[0] for c in truth), seen
    assert not again.busy() and again.outcome is None and "Nothing digitized" in again.status.text()
    assert len(ctx.dossiers.files(code)) == len(truth)
    _answer_next_question(qtbot, QMessageBox.StandardButton.Yes, seen)
    again.confirm_button.click()
    qtbot.waitUntil(lambda: again.outcome is not None or not again.busy(), timeout=180_000)
    assert again.outcome is not None, (seen, again.status.text())
    assert len(ctx.dossiers.files(code)) == 2 * len(truth)


def test_a_pass_closed_before_confirming_is_kept_on_disk_and_picked_up(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found in use: the pass's pages lived only in the dialog; closing it (or a crash) before
    confirming lost a whole dossier's scan."""
    from scanning.spool import PASS, unfinished

    path, truth = _feed(ctx, tmp_path / "feed")
    area, dlg, code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    shown = {c: _group(dlg, c) for c in truth}
    dlg.reject()  # Esc or the window's close button, before confirming
    assert unfinished(ctx.settings.files_dir, code) == [(code, PASS, 8)]
    area.page.refresh()
    qtbot.waitUntil(lambda: "Whole-dossier pass not confirmed: 8 page(s)" in area.page.summary.text(), timeout=10_000)
    again = area.page.open_feeder()
    assert again is not None
    qtbot.waitUntil(lambda: again.assignment is not None and not again.busy(), timeout=60_000)
    assert "8 page(s) of the last pass" in again.status.text()
    assert {c: _group(again, c) for c in truth} == shown
    assert _confirm(qtbot, ctx, area, again, code) == truth
    assert unfinished(ctx.settings.files_dir, code) == []  # digitized: the pass's pages are gone


def test_a_discarded_pass_leaves_nothing_to_pick_up(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The wrong papers fed: without a way to throw the pass away it came back at every opening
    (only a new pass replaced it) and the page kept saying "pass not confirmed"."""
    from unittest.mock import patch

    from PySide6.QtWidgets import QMessageBox

    from scanning.spool import unfinished

    path, _ = _feed(ctx, tmp_path / "feed")
    area, dlg, code = _open(qtbot, workers, ctx)
    assert not dlg.discard_button.isEnabled()  # nothing to discard yet
    _split(qtbot, dlg, path)
    assert dlg.discard_button.isEnabled()
    with patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.No):
        assert not dlg.discard_pass()  # asked, and the officer said no: all kept
    assert dlg.assignment is not None and unfinished(ctx.settings.files_dir, code)
    area.page.refresh()
    qtbot.waitUntil(lambda: "pass not confirmed" in area.page.summary.text(), timeout=10_000)
    with patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Yes):
        dlg.discard_button.click()
    assert dlg.assignment is None and dlg.tree.topLevelItemCount() == 0 and not dlg.confirm_button.isEnabled()
    qtbot.waitUntil(lambda: unfinished(ctx.settings.files_dir, code) == [], timeout=10_000)
    qtbot.waitUntil(lambda: not area.page.busy() and "not confirmed" not in area.page.summary.text(), timeout=10_000)
    dlg.reject()
    again = area.page.open_feeder()
    assert again is not None
    qtbot.wait(300)
    assert again.assignment is None and not again.busy()


def test_the_officers_corrections_are_kept_with_the_pass_and_put_back(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found in use: a pass closed (or the application killed) after the officer had sorted
    it came back sorted afresh; every move and every page left out had to be done again."""
    from scanning.spool import pass_spool

    path, _truth = _feed(ctx, tmp_path / "feed")
    area, dlg, code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    numbers = [c.code for c in dlg.components]
    dlg.tree.setFocus()
    dlg.tree.setCurrentItem(dlg.tree.topLevelItem(numbers.index("TK") + 1).child(1))
    qtbot.keyClick(dlg.tree, Qt.Key.Key_0 + numbers.index("XNHN") + 1)  # TK's page 6 into XNHN
    dlg.tree.setCurrentItem(dlg.tree.topLevelItem(numbers.index("GTTT") + 1).child(0))
    qtbot.keyClick(dlg.tree, Qt.Key.Key_Delete)  # the card left out
    assert _group(dlg, "XNHN") == ["Page 3", "Page 6"] and _group(dlg, "GTTT") == []
    dlg.reject()  # at once: the corrections' write was only queued (the core's tests kill a writer)
    qtbot.waitUntil(lambda: not area.page.busy(), timeout=10_000)
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow, timeout=5_000)
    area.page.slots.setFocus()
    qtbot.keyClick(area.page.slots, Qt.Key.Key_F6)  # the officer comes back to the pass
    again = area.page._feeder_dialog
    assert again is not None and again is not dlg and again.isVisible()
    qtbot.waitUntil(lambda: again.assignment is not None and not again.busy(), timeout=60_000)
    assert _group(again, "XNHN") == ["Page 3", "Page 6"] and _group(again, "TK") == ["Page 5"]
    assert _group(again, "GTTT") == [] and again.assignment.page(7).left_out
    assert "2 correction(s)" in again.status.text()
    assert _confirm(qtbot, ctx, area, again, code) == {"XNHN": 2, "TK": 1}
    assert not pass_spool(ctx.settings.files_dir, code).folder.exists()  # the corrections went with the pass


def test_a_drop_with_the_trees_own_payload_goes_through_the_drop_handler(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The tree's drop handler with the drop event Qt would give it, in this process: the
    tree's own payload for the dragged row (a real QMimeData, as its startDrag packs it)
    dropped on another slot's page. Offscreen there is no drag loop (QDrag.exec returns at
    once), the view refuses the enter event of no running drag and QApplication hands a drop
    only to the drag's current target, so the handler is called with the event itself; the
    real mouse drag, through Qt's drag machinery, is the next test."""
    from PySide6.QtGui import QDropEvent

    from scanning.spool import pass_spool

    path, _truth = _feed(ctx, tmp_path / "feed")
    _area, dlg, code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    numbers = [c.code for c in dlg.components]
    page = dlg.tree.topLevelItem(numbers.index("GTTT") + 1).child(0)
    dlg.tree.setCurrentItem(page)
    target = dlg.tree.topLevelItem(numbers.index("TK") + 1).child(0)
    mime = dlg.tree.model().mimeData([dlg.tree.indexFromItem(page)])
    assert mime.hasFormat("application/x-qabstractitemmodeldatalist")
    pos = dlg.tree.visualItemRect(target).center()
    drop = QDropEvent(pos.toPointF(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    dlg.tree.dropEvent(drop)
    # the handler takes the drop (Qt does not move the row itself) and the view redraws from the assignment
    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.IgnoreAction
    qtbot.waitUntil(lambda: _group(dlg, "TK") == ["Page 5", "Page 6", "Page 8"], timeout=5_000)
    assert _group(dlg, "GTTT") == [] and dlg.assignment is not None and dlg.assignment.page(7).component == "TK"
    # and, as any correction, kept with the pass
    qtbot.waitUntil(lambda: pass_spool(ctx.settings.files_dir, code).sorting() is not None, timeout=5_000)
    kept = pass_spool(ctx.settings.files_dir, code).sorting()
    assert kept is not None and [m.component for m in kept.marks.values()] == ["TK"]
    dlg.reject()


def _mouse_drag(qtbot, tree, source, target) -> None:  # type: ignore[no-untyped-def]
    """Press on ``source``, move past the drag distance (the tree's startDrag runs QDrag.exec,
    whose loop takes the next moves), move onto ``target`` and release there."""
    from PySide6.QtCore import QEvent, QPoint, QPointF, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    vp = tree.viewport()
    start, end = tree.visualItemRect(source).center(), tree.visualItemRect(target).center()

    def move(p: QPoint) -> None:  # QTest.mouseMove carries no button: the view would not start a drag
        QApplication.sendEvent(vp, QMouseEvent(QEvent.Type.MouseMove, QPointF(p), QPointF(vp.mapToGlobal(p)),
                                               Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                                               Qt.KeyboardModifier.NoModifier))

    def in_the_drag_loop() -> None:
        for k in range(1, 6):
            move(start + (end - start) * (k / 5))
            QTest.qWait(10)
        QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)

    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTimer.singleShot(0, in_the_drag_loop)
    move(start + QPoint(0, QApplication.startDragDistance() + 2))  # returns once the drag is over


def test_a_page_dragged_with_the_mouse_onto_another_slot_moves_there(workers, qtbot, request, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A real mouse drag through Qt's drag machinery (QDrag.exec's loop, drag enter/move, the
    drop on the window under the mouse) into the tree's drop handler. The offscreen platform
    has no drag loop (its QDrag.exec returns at once), so under it this test runs itself again
    on the minimal platform, which has Qt's own (QSimpleDrag)."""
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() != "minimal":
        env = {**os.environ, "QT_QPA_PLATFORM": "minimal"}
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid],
                             cwd=request.config.rootpath, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-4000:] + run.stderr[-2000:]
        return
    ctx = request.getfixturevalue("ctx")
    path, _truth = _feed(ctx, tmp_path / "feed")
    _area, dlg, _code = _open(qtbot, workers, ctx)
    _split(qtbot, dlg, path)
    numbers = [c.code for c in dlg.components]
    tree = dlg.tree
    tk = tree.topLevelItem(numbers.index("TK") + 1)
    _mouse_drag(qtbot, tree, tk.child(1), tree.topLevelItem(numbers.index("XNHN") + 1))  # onto the slot's row
    qtbot.waitUntil(lambda: _group(dlg, "XNHN") == ["Page 3", "Page 6"], timeout=5_000)
    assert _group(dlg, "TK") == ["Page 5"] and dlg.assignment is not None and dlg.assignment.page(5).moved
    # onto one of a slot's pages: into that slot
    gttt = tree.topLevelItem(numbers.index("GTTT") + 1)
    _mouse_drag(qtbot, tree, gttt.child(0), tree.topLevelItem(numbers.index("TK") + 1).child(0))
    qtbot.waitUntil(lambda: _group(dlg, "TK") == ["Page 5", "Page 8"], timeout=5_000)
    assert _group(dlg, "GTTT") == []
    dlg.reject()


@pytest.mark.log_warnings("SANE probe failed")
def test_a_sane_probe_that_crashes_is_told_beside_the_scanner_list(workers,   # type: ignore[no-untyped-def]
        qtbot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before, the feeder listed its scanners with the probe's problems dropped: a crashed SANE
    # backend left an empty list and a greyed F5 with no word why (only a log line).
    use_sane_test_device(tmp_path, monkeypatch)
    monkeypatch.setenv(FAULT_ENV, "kill")
    sane_probe.clear_cache()
    translations.install("vi")
    _area, dlg, _code = _open(qtbot, workers, ctx)
    note = dlg.findChild(QLabel, "feeder_sources")
    assert note is not None
    qtbot.waitUntil(lambda: note.isVisible(), timeout=20_000)
    text = note.text()
    assert "Không thấy máy quét" in text and "SIGKILL" in text and "dừng đột ngột" in text and "dll.conf" in text
    assert dlg.source_box.count() == 0 and not dlg.scan_button.isEnabled() and dlg.import_button.isEnabled()
    # once fixed, Refresh asks SANE again rather than its cached failure
    monkeypatch.delenv(FAULT_ENV)
    dlg.refresh_button.click()
    qtbot.waitUntil(lambda: dlg.source_box.count() > 0, timeout=20_000)
    assert "test:0" in dlg.source_box.itemData(0) and not note.isVisible() and dlg.scan_button.isEnabled()
    sane_probe.clear_cache()
