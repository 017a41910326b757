"""Qt's own dialogs speak Vietnamese (issue 11: "Look in:", "Files of type:", the print
preview's whole toolbar and the file list's headers were English in the Vietnamese interface)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QMessageBox, QTreeView, QWidget

from desktop.config import Settings
from ui import translations


def _texts(w: QWidget) -> set[str]:
    out: set[str] = set()
    for c in w.findChildren(QWidget):
        if isinstance(c, QLabel | QAbstractButton) and c.text():
            out.add(c.text())
        if c.toolTip():
            out.add(c.toolTip())
    out |= {a.text() for a in w.findChildren(QAction) if a.text()}
    for t in w.findChildren(QTreeView):
        m = t.model()
        if m is not None:
            out |= {str(m.headerData(i, Qt.Orientation.Horizontal)) for i in range(m.columnCount())}
    return out


def _english_left(qtbot, make) -> set[str]:  # type: ignore[no-untyped-def]
    """The texts a dialog shows in English that it still shows in Vietnamese."""
    seen = {}
    for lang in ("en", "vi"):
        translations.install(lang)
        w = make()
        w.show()
        qtbot.wait(50)
        seen[lang] = _texts(w)
        # gone before the next language: the file dialog does not survive a LanguageChange
        # with its proxy model in place (a segfault in QFileDialog's retranslation)
        w.close()
        w.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return {t for t in seen["en"] & seen["vi"] if any(ch.isalpha() for ch in t) and t not in ("OK", "PDF")}


def test_message_box_buttons_read_vietnamese(qtbot) -> None:  # type: ignore[no-untyped-def]
    buttons = (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No, QMessageBox.StandardButton.Cancel)
    translations.install("vi")
    box = QMessageBox(QMessageBox.Icon.Question, "t", "?", buttons[0] | buttons[1] | buttons[2])
    qtbot.addWidget(box)
    assert [box.button(b).text() for b in buttons] == ["&Có", "&Không", "Hủy"]
    translations.install("en")
    en = QMessageBox(QMessageBox.Icon.Question, "t", "?", buttons[0] | buttons[1] | buttons[2])
    qtbot.addWidget(en)
    assert [en.button(b).text() for b in buttons] == ["&Yes", "&No", "Cancel"]


def test_the_file_dialog_has_no_english_left(qtbot, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    from ui.file_dialogs import ConfinedFileDialog

    left = _english_left(qtbot, lambda: ConfinedFileDialog(None, "x", settings, name_filter="PDF (*.pdf)"))
    assert left == set()


def test_the_print_preview_has_no_english_left(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    assert _english_left(qtbot, QPrintPreviewDialog) == set()


def test_qt_s_own_translations_are_looked_for_where_qt_keeps_them_and_the_absence_logged_once(  # type: ignore[no-untyped-def]
        qapp, caplog: pytest.LogCaptureFixture) -> None:
    qt_dir = translations.qt_translations_dir()
    assert (qt_dir / "qtbase_de.qm").is_file()  # the right folder: Qt's other languages are there
    shipped = (qt_dir / "qtbase_vi.qm").is_file()
    translations._reported_missing.discard("vi")
    caplog.set_level(logging.INFO, logger="ui.translations")
    loaded = [translations.install("vi"), translations.install("vi")]
    notes = [r.getMessage() for r in caplog.records if r.name == "ui.translations" and "qtbase_vi" in r.getMessage()]
    if shipped:  # a later Qt may ship one: then it is used, and nothing is reported
        assert "qtbase" in loaded[0] and notes == []
    else:
        assert len(notes) == 1 and str(qt_dir) in notes[0] and str(Path("resources", "i18n", "qtbase_vi.qm")) in notes[0]
        assert all("qtbase_vi.qm" in names for names in loaded)  # ours instead
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Tìm trong:"
