"""Read the citizen's CCCD from the document camera or a webcam: live picture, filled in on sight.

The frame loop is :func:`scanning.cccd_live.watch_for_card`, run on the scanner pool (the
camera is a device, and opening one can take seconds); its previews come back to this
dialog through a queued signal, so the event loop only paints small images. The dialog
closes itself with the card as soon as the QR decodes; closing it stops the loop and
releases the camera.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.kernel.tasks import CancelToken
from ui.workers import Pool, Task, Workers

if TYPE_CHECKING:  # numpy, OpenCV and the card parser are imported when the dialog reads
    import numpy as np

    from scanning.cccd import CitizenCard
    from scanning.sources.camera_source import FrameReader

#: opens camera ``index``: ``cv2.VideoCapture`` in the application, a video file in the tests
Opener = Callable[[int], "FrameReader"]


def _open_camera(index: int) -> FrameReader:
    import cv2

    cap = cv2.VideoCapture(index)
    cap.set(cv2.CAP_PROP_FRAME_WIDTH, 1920)  # a QR is read better at full HD than at the default VGA
    cap.set(cv2.CAP_PROP_FRAME_HEIGHT, 1080)
    return cap


def _find_cameras() -> list[int]:
    from scanning.sources.camera_source import camera_indexes

    return camera_indexes()


class _Frames(QObject):
    """Previews from the capture thread, delivered on the UI thread (queued)."""

    shown = Signal(object, str)


class CccdCameraDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, workers: Workers, opener: Opener | None = None,
                 find_cameras: Callable[[], list[int]] | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.setObjectName("cccd_camera")
        self.setWindowTitle(self.tr("Read the CCCD with the camera"))
        self.card: CitizenCard | None = None
        self._opener = opener or _open_camera
        self._find = find_cameras or _find_cameras
        self._task: Task | None = None
        self._frames = _Frames(self)
        self._frames.shown.connect(self._show_frame)
        self.camera = QComboBox()
        self.camera.activated.connect(lambda _i: self.start())
        self.preview = QLabel(self.tr("Starting the camera…"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(640, 360)
        self.preview.setStyleSheet("background: #2b2b2b; color: #f0f0f0;")
        self.hint = QLabel(self.tr("Hold the side of the card with the QR code under the camera; the fields fill in "
                                   "as soon as it is read."))
        self.hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.retry_button = QPushButton(self.tr("Try again"))
        self.retry_button.clicked.connect(self.start)
        self.retry_button.hide()
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Camera")))
        top.addWidget(self.camera, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.preview, 1)
        lay.addWidget(self.hint)
        lay.addWidget(self.problem)
        lay.addLayout(buttons)
        QShortcut(QKeySequence("F5"), self, self.start)
        self._list_cameras()

    def _list_cameras(self) -> None:
        find = self._find
        task = self.workers.submit(lambda c, p: find(), pool_name=Pool.SCANNER, name="cameras")
        task.succeeded.connect(self._cameras_found)
        task.failed.connect(self._failed)

    @Slot(object)
    def _cameras_found(self, indexes: Any) -> None:
        self.camera.clear()
        for i in indexes:
            self.camera.addItem(self.tr("Camera %1").replace("%1", str(i)), i)
        if not indexes:
            self._failed(self.tr("No camera found on this workstation. Read the QR from an image file, or type the "
                                 "ID number."))
            self.preview.setText(self.tr("No camera"))
            return
        self.start()

    @Slot()
    def start(self) -> None:
        """Watch the chosen camera (again, after an error or with another camera)."""
        if self.camera.count() == 0:
            return
        self.stop()
        index = int(self.camera.currentData())
        opener, frames = self._opener, self._frames

        def watch(cancel: CancelToken, _progress: object) -> CitizenCard:
            from scanning.cccd_live import watch_for_card

            return watch_for_card(opener(index), cancel, frames.shown.emit)

        self.problem.setText("")
        self.retry_button.hide()
        task = self.workers.submit(watch, pool_name=Pool.SCANNER, name="cccd camera")
        task.succeeded.connect(self._read)
        task.failed.connect(self._failed)
        task.finished.connect(lambda: self._finished(task))
        self._task = task

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _finished(self, task: Task) -> None:
        if self._task is task:
            self._task = None

    @property
    def watching(self) -> bool:
        return self._task is not None

    @Slot(object, str)
    def _show_frame(self, rgb: np.ndarray, problem: str) -> None:
        if self._task is None:  # stopped: a frame still on its way is not shown
            return
        h, w = rgb.shape[:2]
        image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()  # rgb is freed after this
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        self.problem.setText(self.tr("QR code in view, not used: %1").replace("%1", problem)
                             if problem else "")

    @Slot(object)
    def _read(self, card: Any) -> None:
        self.card = card
        self.accept()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.problem.setText(message)
        self.retry_button.setVisible(self.camera.count() > 0)

    def done(self, result: int) -> None:
        self.stop()  # the camera is released by the loop as soon as it sees the cancel
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.stop()
        super().closeEvent(event)
