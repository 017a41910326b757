"""PIN dialog: hidden input with no input-method help, tries left, count-low warning,
explicit confirmation at the final try, refusal when locked, the PIN handed over once."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from signing.pin_policy import PinState
from ui.pin_dialog import PinDialog

HINTS = (Qt.InputMethodHint.ImhHiddenText, Qt.InputMethodHint.ImhSensitiveData,
         Qt.InputMethodHint.ImhNoPredictiveText)


def shown(w) -> bool:  # type: ignore[no-untyped-def]
    """Visible once the dialog is shown (the dialog itself is not shown in these tests)."""
    return not w.isHidden()


def state(**kw: object) -> PinState:
    base = {"count_low": False, "final_try": False, "locked": False, "local_failures": 0}
    base.update(kw)
    return PinState(**base)  # type: ignore[arg-type]


@pytest.fixture
def dialog(qtbot):  # type: ignore[no-untyped-def]
    def make(st: PinState | None = None, label: str = "MOTCUA-ORG") -> PinDialog:
        d = PinDialog(label, st)
        qtbot.addWidget(d)  # not shown: the offscreen platform warns on showing dialogs
        return d

    return make


def test_field_is_hidden_and_input_methods_are_off(dialog) -> None:  # type: ignore[no-untyped-def]
    d = dialog(state())
    edit = d.pin_edit
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    hints = edit.inputMethodHints()
    for h in HINTS:
        assert hints & h, h
    assert not edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    assert edit.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_pin_is_returned_once_and_not_kept(dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog(state())
    assert not d.ok_button.isEnabled()
    qtbot.keyClicks(d.pin_edit, "246810")
    assert d.ok_button.isEnabled()
    with qtbot.waitSignal(d.accepted, timeout=2000):
        qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.result() == QDialog.DialogCode.Accepted
    assert d.pin_edit.text() == ""  # the field is emptied as the dialog closes
    assert d.take_pin() == "246810"
    assert d.take_pin() is None  # handed over once
    gc.collect()
    assert not any(isinstance(o, str) and o == "246810" for o in vars(d).values())


def test_cancel_keeps_nothing(dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog(state())
    qtbot.keyClicks(d.pin_edit, "1111")
    d.reject()
    assert d.pin_edit.text() == ""
    assert d.take_pin() is None


def test_tries_left_shown(dialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog(state(local_failures=1)).tries_label.text() == "2"
    assert "3" in dialog(state()).tries_label.text()  # the token does not say: the usual count is named
    assert dialog(state(final_try=True)).tries_label.text() == "1"


def test_count_low_warns_but_needs_no_confirmation(dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog(state(count_low=True, local_failures=1))
    assert shown(d.warning_label)
    assert "1" in d.warning_label.text()
    assert not shown(d.confirm_box)
    qtbot.keyClicks(d.pin_edit, "1234")
    assert d.ok_button.isEnabled()


def test_final_try_needs_the_explicit_tick(dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog(state(final_try=True, count_low=True))
    assert shown(d.warning_label) and shown(d.confirm_box)
    qtbot.keyClicks(d.pin_edit, "1234")
    assert not d.ok_button.isEnabled()
    d.accept()  # Enter without the tick does nothing
    assert d.result() != QDialog.DialogCode.Accepted and d.take_pin() is None
    d.confirm_box.setChecked(True)
    assert d.ok_button.isEnabled()
    d.accept()
    assert d.result() == QDialog.DialogCode.Accepted
    assert d.confirmed_final_try
    assert d.take_pin() == "1234"


def test_locked_token_is_refused(dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog(state(locked=True, final_try=True))
    assert not d.pin_edit.isEnabled()
    assert not shown(d.confirm_box)
    assert shown(d.warning_label)
    assert not d.ok_button.isEnabled()
    d.pin_edit.setText("1234")  # even if text got in somehow
    d.accept()
    assert d.result() != QDialog.DialogCode.Accepted
    assert d.take_pin() is None
    assert "locked" in d.tries_label.text()


def test_unknown_state_still_asks(dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog(None)
    assert not shown(d.warning_label)
    qtbot.keyClicks(d.pin_edit, "9")
    assert d.ok_button.isEnabled()
