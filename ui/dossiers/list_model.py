"""The dossier list's table model: rows from :class:`desktop.workflow.workspace.DossierRow`,
coloured for due today and late. A model (not a QTableWidget) so a refresh of a few
hundred rows is one reset, with no item objects per cell."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.kernel.timeutil import VN_TZ, to_vn
from desktop.workflow.workspace import DossierRow, DossierStatus

Index = QModelIndex | QPersistentModelIndex
LATE = QColor("#fde2e1")
DUE_TODAY = QColor("#fff4ce")


def status_name(status: DossierStatus) -> str:
    names = {
        DossierStatus.NEW: QCoreApplication.translate("DossierList", "new"),
        DossierStatus.RECEIVED: QCoreApplication.translate("DossierList", "received"),
        DossierStatus.NOT_RECEIVED: QCoreApplication.translate("DossierList", "not received"),
        DossierStatus.PROCESSING: QCoreApplication.translate("DossierList", "processing"),
        DossierStatus.SUPPLEMENT_REQUESTED: QCoreApplication.translate("DossierList", "supplement requested"),
        DossierStatus.FINANCIAL_OBLIGATION: QCoreApplication.translate("DossierList", "fees due"),
        DossierStatus.WITHDRAWN: QCoreApplication.translate("DossierList", "withdrawn"),
        DossierStatus.STOPPED: QCoreApplication.translate("DossierList", "stopped"),
        DossierStatus.DONE: QCoreApplication.translate("DossierList", "result ready"),
        DossierStatus.RESULT_RETURNED: QCoreApplication.translate("DossierList", "result returned"),
    }
    return names[status]


def remaining_text(minutes: float | None) -> str:
    """Working time left as the officer reads it: "2 d 3 h", "45 min", "late 1 d 2 h"."""
    if minutes is None:
        return "—"
    late = minutes < 0
    m = round(abs(minutes))
    days, rest = divmod(m, 8 * 60)  # a working day is 8 hours
    hours, mins = divmod(rest, 60)
    parts = ([QCoreApplication.translate("DossierList", "%1 d").replace("%1", str(days))] if days else []) + \
        ([QCoreApplication.translate("DossierList", "%1 h").replace("%1", str(hours))] if hours else []) + \
        ([QCoreApplication.translate("DossierList", "%1 min").replace("%1", str(mins))] if not days and (mins or not hours) else [])
    text = " ".join(parts)
    return QCoreApplication.translate("DossierList", "late %1").replace("%1", text) if late else text


class DossierListModel(QAbstractTableModel):
    COLUMNS = ("code", "applicant", "procedure", "received", "due", "remaining", "status", "progress")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[DossierRow] = []
        self.today = datetime.now(VN_TZ).date()

    def headers(self) -> list[str]:
        return [QCoreApplication.translate("DossierList", "Code"), QCoreApplication.translate("DossierList", "Applicant"), QCoreApplication.translate("DossierList", "Procedure"), QCoreApplication.translate("DossierList", "Received"), QCoreApplication.translate("DossierList", "Due"), QCoreApplication.translate("DossierList", "Time left"),
                QCoreApplication.translate("DossierList", "Status"), QCoreApplication.translate("DossierList", "Scanned · signed · sent")]

    def set_rows(self, rows: list[DossierRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.today = datetime.now(VN_TZ).date()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name and default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name and default
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, self.COLUMNS[index.column()])
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.late:
                return QBrush(LATE)
            if r.due_at is not None and to_vn(r.due_at).date() == self.today and r.remaining_minutes is not None:
                return QBrush(DUE_TODAY)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return r.applicant_id_number
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return r.procedure_name
        if role == Qt.ItemDataRole.UserRole:
            return r.code
        return None

    def _text(self, r: DossierRow, col: str) -> str:
        if col == "code":
            return r.code
        if col == "applicant":
            return r.applicant_name
        if col == "procedure":
            return r.procedure_name
        if col == "received":
            return to_vn(r.received_at).strftime("%d/%m/%Y %H:%M")
        if col == "due":
            return to_vn(r.due_at).strftime("%d/%m/%Y %H:%M") if r.due_at else "—"
        if col == "remaining":
            return remaining_text(r.remaining_minutes)
        if col == "status":
            return status_name(r.status)
        wanted = r.to_digitize + r.digitized
        return f"{r.digitized}/{wanted} · {r.signed}/{wanted} · {r.uploaded}/{wanted}" if wanted else "—"
