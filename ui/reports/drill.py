"""The tickets or dossiers behind one figure, in a dialog (read in the db worker)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import astuple, fields
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.workers import Pool, Workers


class DrillDialog(QDialog):
    def __init__(self, title: str, load: Callable[[], Sequence[Any]], parent: QWidget | None = None, *,
                 workers: Workers) -> None:
        super().__init__(parent)
        self.workers = workers
        self.setWindowTitle(title)
        self.resize(1000, 520)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("drill")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel(self.tr("Loading…"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(title))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        self.task = self.workers.run(lambda cancel, progress: list(load()), on_success=self._show,
                                     on_failure=self.status.setText, pool_name=Pool.DB, name="drill-down")

    @Slot(object)
    def _show(self, lines: list[Any]) -> None:
        if not lines:
            self.status.setText(self.tr("Nothing behind this figure."))
            return
        names = [f.name for f in fields(lines[0])]
        self.table.setColumnCount(len(names))
        self.table.setHorizontalHeaderLabels(names)
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            for c, v in enumerate(astuple(line)):
                self.table.setItem(r, c, QTableWidgetItem("–" if v is None else str(v)))
        self.status.setText(self.tr("%n row(s).", "", len(lines)))
