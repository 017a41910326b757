"""The CCCD read with the camera at reception (issue 11, "identify"): a live picture, filled in on sight.

The camera is OpenCV's real ``VideoCapture`` on a video file written here (this machine has
no camera; see tests/scanning/test_cccd_live.py); the dialog, its worker and its previews
are the application's.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.scanning.test_cccd import SEVEN, card_image
from tests.scanning.test_cccd_live import _desk, _video, _with_card
from tests.ui.test_reception import _view
from ui import cccd_camera
from ui.cccd_camera import CccdCameraDialog


@pytest.fixture
def counter_video(tmp_path: Path) -> Path:
    desk = _desk(True, np.random.default_rng(7))
    shown = _with_card(desk, card_image(SEVEN), width=640, at=(300, 700), tilt=4.0)
    return _video(tmp_path / "camera.avi", [desk] * 40 + [shown] * 10)


def test_ctrl_i_reads_the_card_from_the_camera_and_fills_the_applicant(  # type: ignore[no-untyped-def]
        workers, qtbot, ctx, counter_video: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cccd_camera, "_find_cameras", lambda: [0])
    monkeypatch.setattr(cccd_camera, "_open_camera", lambda index: cv2.VideoCapture(str(counter_video)))
    view = _view(qtbot, workers, ctx)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    view.search.setFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = view.findChild(CccdCameraDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: view.id_number.text() == "079190234567", timeout=30_000)
    assert view.name.text() == "Nguyễn Thị Hồng Nhung" and "Lê Lợi" in view.address.text()
    qtbot.waitUntil(lambda: view.findChild(CccdCameraDialog) is None, timeout=5000)  # closed itself


def test_closing_the_dialog_stops_the_camera(workers, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    released: list[bool] = []

    class Endless:
        def __init__(self) -> None:
            self.frame = _desk(False, np.random.default_rng(1))

        def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
            return True

        def read(self) -> tuple[bool, np.ndarray]:
            return True, self.frame

        def set(self, prop: int, value: float) -> bool:
            return True

        def release(self) -> None:
            released.append(True)

    dialog = CccdCameraDialog(opener=lambda i: Endless(), find_cameras=lambda: [0, 2], workers=workers)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull(),
                    timeout=10_000)  # the live picture is shown while nothing is read
    assert dialog.camera.count() == 2 and dialog.watching
    dialog.reject()
    qtbot.waitUntil(lambda: released == [True], timeout=5000)
    assert dialog.card is None and not dialog.watching


def test_no_camera_says_what_to_do_instead(workers, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = CccdCameraDialog(opener=lambda i: cv2.VideoCapture(), find_cameras=lambda: [], workers=workers)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.problem.text() != "", timeout=5000)
    assert "No camera" in dialog.problem.text() or "Không" in dialog.problem.text()
    assert not dialog.watching and not dialog.retry_button.isVisible()


def test_a_camera_that_stops_is_told_and_can_be_tried_again(workers, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = _video(tmp_path / "short.avi", [_desk(True, np.random.default_rng(2))] * 3)
    dialog = CccdCameraDialog(opener=lambda i: cv2.VideoCapture(str(empty)), find_cameras=lambda: [0], workers=workers)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.retry_button.isVisible(), timeout=10_000)
    assert "stopped" in dialog.problem.text() or "ngừng" in dialog.problem.text()
    dialog.retry_button.click()
    assert dialog.watching and not dialog.retry_button.isVisible()
    qtbot.waitUntil(lambda: dialog.retry_button.isVisible(), timeout=10_000)
    dialog.reject()
