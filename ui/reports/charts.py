"""Small charts drawn with QPainter: bars (with a target line, clickable) and a weekday × hour heat map.

QtCharts is not in PySide6-Essentials (it needs the 60 MB PySide6-Addons wheel); two
chart kinds are all the reports need, and drawing them keeps the fonts, colours and the
click-to-drill-down behaviour under our control.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BLUE = QColor("#2a62a6")
RED = QColor("#c0392b")
GREEN = QColor("#2e8b57")


class BarChart(QWidget):
    """Vertical bars with category labels; ``barClicked(index)`` for drill-down."""

    barClicked = Signal(int)

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.values: list[float] = []
        self.labels: list[str] = []
        self.target: float | None = None
        self.colour = BLUE
        self.value_format = "{:g}"
        self.setMinimumSize(240, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(360, 220)

    def set_data(self, values: Sequence[float], labels: Sequence[str], *, target: float | None = None,
                 title: str | None = None) -> None:
        self.values, self.labels, self.target = [float(v) for v in values], list(labels), target
        if title is not None:
            self.title = title
        self.update()

    def _plot(self) -> QRectF:
        return QRectF(44, 26, max(10, self.width() - 56), max(10, self.height() - 58))

    def _bar_rect(self, i: int, plot: QRectF, top: float) -> QRectF:
        n = max(1, len(self.values))
        slot = plot.width() / n
        h = plot.height() * (self.values[i] / top if top else 0)
        return QRectF(plot.left() + i * slot + slot * 0.15, plot.bottom() - h, slot * 0.7, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        p.setPen(self.palette().text().color())
        f = p.font()
        f.setBold(True)
        p.setFont(f)
        p.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        f.setBold(False)
        f.setPointSizeF(max(7.0, f.pointSizeF() - 1))
        p.setFont(f)
        plot = self._plot()
        top = max([*self.values, self.target or 0.0, 1.0]) * 1.15
        p.setPen(QPen(QColor("#999999"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        for k in range(5):  # value axis: 0, ¼, ½, ¾, 1 of the top
            v = top * k / 4
            y = plot.bottom() - plot.height() * k / 4
            p.drawText(QRectF(0, y - 8, plot.left() - 4, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{v:.0f}" if top >= 8 else f"{v:.1f}")
        if not self.values:
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No data in this period"))
        n = max(1, len(self.values))
        slot = plot.width() / n
        step = max(1, int(30 / slot) + 1) if slot < 30 else 1  # thin bars: label every k-th
        for i, v in enumerate(self.values):
            r = self._bar_rect(i, plot, top)
            p.fillRect(r, self.colour)
            if slot >= 22 and v:
                p.setPen(self.palette().text().color())
                p.drawText(QRectF(r.left() - 10, r.top() - 15, r.width() + 20, 14), Qt.AlignmentFlag.AlignCenter,
                           self.value_format.format(v))
            if i % step == 0 and i < len(self.labels):
                p.setPen(self.palette().text().color())
                p.drawText(QRectF(plot.left() + i * slot - 10, plot.bottom() + 3, slot + 20, 16),
                           Qt.AlignmentFlag.AlignHCenter, self.labels[i])
        if self.target is not None:
            y = plot.bottom() - plot.height() * self.target / top
            p.setPen(QPen(RED, 1.5, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        plot = self._plot()
        top = max([*self.values, self.target or 0.0, 1.0]) * 1.15
        for i in range(len(self.values)):
            r = self._bar_rect(i, plot, top)
            if r.left() <= event.position().x() <= r.right() and plot.top() <= event.position().y() <= plot.bottom():
                self.barClicked.emit(i)
                return
        super().mousePressEvent(event)


class HeatMap(QWidget):
    """7 weekdays × the working hours; darker = more arrivals, the cell shows the average wait (min)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.arrivals: list[list[int]] = [[0] * 24 for _ in range(7)]
        self.waits: list[list[int | None]] = [[None] * 24 for _ in range(7)]
        self.hours = range(7, 18)
        self.setMinimumSize(420, 200)

    def set_data(self, arrivals: list[list[int]], waits: list[list[int | None]]) -> None:
        self.arrivals, self.waits = arrivals, waits
        busy = [h for h in range(24) if any(arrivals[d][h] for d in range(7))]
        lo, hi = min([7, *busy]), max([17, *busy])
        self.hours = range(lo, hi + 1)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        days = [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"),
                self.tr("Sun")]
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().base())
        left, top = 44, 22
        hours = list(self.hours)
        cw = (self.width() - left - 8) / max(1, len(hours))
        ch = (self.height() - top - 8) / 7
        peak = max(1, max(max(row) for row in self.arrivals))
        p.setPen(self.palette().text().color())
        for j, h in enumerate(hours):
            p.drawText(QRectF(left + j * cw, 2, cw, 18), Qt.AlignmentFlag.AlignCenter, f"{h:02d}h")
        for d in range(7):
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(0, top + d * ch, left - 6, ch), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       days[d])
            for j, h in enumerate(hours):
                n = self.arrivals[d][h]
                shade = int(245 - 190 * n / peak)
                cell = QRectF(left + j * cw + 1, top + d * ch + 1, cw - 2, ch - 2)
                p.fillRect(cell, QColor(shade, shade + 5 if shade < 250 else 250, 255))
                wait = self.waits[d][h]
                if n:
                    p.setPen(QColor("white") if shade < 140 else QColor("#222222"))
                    if wait is not None and wait > 15 * 60:
                        p.setPen(RED if shade >= 140 else QColor("#ffd0d0"))
                    p.drawText(cell, Qt.AlignmentFlag.AlignCenter,
                               f"{n}\n{wait // 60}'" if wait is not None else str(n))
        p.end()
