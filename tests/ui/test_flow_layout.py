"""The wrapping layout of the dossier page's actions: Qt asks its sizes hundreds of times
between two changes (261 calls into this Python code for the page's first status, 17-65 ms
on the UI thread in bench/flow_bench.py), so it answers from a cache that a shown, hidden,
added or removed button clears."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from ui.flow_layout import FlowLayout


def _row(qtbot, n: int) -> tuple[QWidget, FlowLayout, list[QPushButton]]:  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    lay = FlowLayout(host)
    buttons = [QPushButton(f"Gửi xử lý hồ sơ {i}") for i in range(n)]
    for b in buttons:
        lay.addWidget(b)
    host.show()
    return host, lay, buttons


def test_sizes_are_computed_once_between_changes(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _host, lay, buttons = _row(qtbot, 3)
    width = buttons[0].sizeHint().width() + 10
    calls = []
    arrange = FlowLayout._arrange

    def counting(self, rect, *, apply):  # type: ignore[no-untyped-def]
        calls.append(apply)
        return arrange(self, rect, apply=apply)

    monkeypatch.setattr(FlowLayout, "_arrange", counting)
    first = lay.heightForWidth(width)
    for _ in range(50):
        assert lay.heightForWidth(width) == first
        lay.minimumSize()
    assert calls == [False]


def test_a_hidden_shown_added_or_taken_button_changes_the_height(qtbot) -> None:  # type: ignore[no-untyped-def]
    host, lay, buttons = _row(qtbot, 3)
    width = buttons[0].sizeHint().width() + 10  # one button per row
    three = lay.heightForWidth(width)
    buttons[1].hide()
    two = lay.heightForWidth(width)
    assert two < three
    buttons[1].show()
    assert lay.heightForWidth(width) == three
    extra = QPushButton("Trả kết quả")
    lay.addWidget(extra)
    extra.show()  # a child added to a shown window shows at the next turn of the loop: now
    four = lay.heightForWidth(width)
    assert four > three
    lay.removeWidget(extra)
    extra.setParent(None)
    assert lay.heightForWidth(width) == three
    wide = QPushButton("Một nút có nhãn rất dài, dài hơn mọi nút khác của hàng")
    lay.addWidget(wide)
    wide.show()
    assert lay.minimumSize().width() >= wide.minimumSizeHint().width()
    host.close()
