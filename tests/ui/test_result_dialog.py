"""The result dialog: the validity (the catalogue's default first, or "no end date") and, for one
PDF, whether it is a scan of the paper result; the answer is what the core records."""

from __future__ import annotations

from datetime import date

from ui.dossiers.dialogs import ResultAnswer, ResultDialog


def test_the_catalogues_default_is_shown_and_no_end_date_clears_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = ResultDialog(None, default=date(2027, 5, 5), ask_scanned=True, today=date(2026, 11, 5))
    qtbot.addWidget(dlg)
    assert not dlg.no_end.isChecked() and dlg.valid.isEnabled()
    assert dlg.answer() == ResultAnswer(False, date(2027, 5, 5))
    dlg.no_end.setChecked(True)
    dlg.scanned.setChecked(True)
    assert not dlg.valid.isEnabled()
    assert dlg.answer() == ResultAnswer(True, None)


def test_without_a_default_the_result_has_no_end_date_until_one_is_given(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = ResultDialog(None, default=None, ask_scanned=False, today=date(2026, 11, 5))
    qtbot.addWidget(dlg)
    assert dlg.no_end.isChecked() and dlg.scanned.isHidden()
    assert dlg.answer() == ResultAnswer(False, None)
    dlg.no_end.setChecked(False)
    dlg.valid.setDate(dlg.valid.date().addYears(1))
    assert dlg.answer() == ResultAnswer(False, date(2027, 11, 5))
