"""A layout that wraps its widgets onto further rows when the width runs out.

A row of buttons in a QHBoxLayout asks for the sum of their widths: the dossier page's
actions (which ones show depends on the dossier's status and the officer's role, and their
labels are longer in Vietnamese) forced the main window wider than a counter's 1366-px
screen. Qt ships no wrapping layout (its documentation has one as an example), so this is
the small one the screens need: left to right, wrapping, with height-for-width so the rows
below move down.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        # what Qt asks again and again between two changes (as QBoxLayout keeps it): the dossier
        # page's first status made 261 calls into this Python code, 17-65 ms on the UI thread
        self._heights: dict[int, int] = {}
        self._minimum: QSize | None = None
        if parent is None:
            self.setContentsMargins(QMargins(0, 0, 0, 0))

    # --- QLayout's item list ------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        item = self._items.pop(index) if 0 <= index < len(self._items) else None
        self.invalidate()
        return item

    # --- sizes ----------------------------------------------------------------------------------

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return height

    def invalidate(self) -> None:
        # Qt calls this when an item is added or taken, shown or hidden, or its hint changes
        self._heights.clear()
        self._minimum = None
        super().invalidate()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        if self._minimum is None:
            # the widest single item: anything wider wraps
            size = QSize()
            for item in self._items:
                size = size.expandedTo(item.minimumSize())
            m = self.contentsMargins()
            self._minimum = size + QSize(m.left() + m.right(), m.top() + m.bottom())
        return QSize(self._minimum)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    # --- placing --------------------------------------------------------------------------------

    def _gap(self, item: QLayoutItem, orientation: Qt.Orientation) -> int:
        if self._spacing >= 0:
            return self._spacing
        w = item.widget()
        style = w.style() if w is not None else None
        gap = -1 if style is None else style.layoutSpacing(
            QSizePolicy.ControlType.PushButton, QSizePolicy.ControlType.PushButton, orientation, None, w)
        return gap if gap > 0 else 6  # Fusion answers 0 or -1: the box layouts' usual gap then

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the visible items left to right, wrapping; returns the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_height = area.x(), area.y(), 0
        for item in self._items:
            w = item.widget()
            if w is not None and w.isHidden():
                continue
            hint = item.sizeHint()
            gap_x = self._gap(item, Qt.Orientation.Horizontal)
            if x > area.x() and x + hint.width() > area.right() + 1:
                x = area.x()
                y += row_height + self._gap(item, Qt.Orientation.Vertical)
                row_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap_x
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + m.bottom()


__all__ = ["FlowLayout"]
