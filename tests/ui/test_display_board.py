"""Display board: shows the newest call large and announces each new call once."""

from __future__ import annotations

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.queue.announce import announcement
from ui.queue.display_board import DisplayBoard


def test_announcement_text() -> None:
    assert announcement("A012", 5) == "Mời công dân số A 12 đến quầy số 5"


def test_board_shows_and_announces_new_calls(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    admin = Actor.cli()
    for _ in range(2):
        ctx.queue.issue(admin, "TP")
    ctx.queue.call_next(admin, 1)
    board = DisplayBoard(ctx, voice=False, workers=workers)
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: "A001" in board.latest.text(), timeout=5000)
    assert board.spoken == ["Mời công dân số A 1 đến quầy số 1"]
    ctx.queue.end(admin, 1)
    ctx.queue.call_next(admin, 2)
    board.poll()
    qtbot.waitUntil(lambda: "A002" in board.latest.text(), timeout=5000)
    assert board.spoken[-1] == "Mời công dân số A 2 đến quầy số 2" and len(board.spoken) == 2
    assert board.rows[0][0].text() == "A001"
    board.timer.stop()
