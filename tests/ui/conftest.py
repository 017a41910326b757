"""UI fixtures: each test has its own worker pools (``workers``; every ``Workers`` the test
makes, a ``UiServices``'s or a shell's too, is shut down after it) and ends with its worker tasks finished, no screen's timer still
running once its window is closed, no unexpected warning in the log, and the English
(source) texts installed again for the next test. A main window does not build the flow's
screens at idle unless the test asks (``prebuild=True`` or ``prebuild_all()``): each test
builds what it opens, when it opens it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ui.workers import Workers

OUR_LOGGERS = ("desktop", "ui", "scanning", "signing")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "log_warnings(*patterns): warnings in the log this test expects")


@pytest.fixture(autouse=True)
def workers(qapp) -> Iterator[Workers]:  # type: ignore[no-untyped-def]
    """The test's worker pools, for the views it builds; at the end every ``Workers`` made
    during the test (this one, a ``UiServices``'s, a shell's) is shut down, and one whose
    tasks do not finish fails the test."""
    from ui.workers import Workers

    made: list[Workers] = []
    init = Workers.__init__

    def tracked(self: Workers) -> None:
        init(self)
        made.append(self)

    patch = pytest.MonkeyPatch()  # its own: the test's monkeypatch is undone at another time
    patch.setattr(Workers, "__init__", tracked)
    pools = Workers()
    yield pools
    patch.undo()
    stuck = [w for w in made if not w.shutdown(10_000)]
    assert not stuck, "worker tasks did not finish (a task ignores its cancel token?)"


@pytest.fixture(autouse=True)
def _no_prebuild_at_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "prebuild_at_idle", False)


@pytest.fixture(autouse=True)
def _english_after(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield
    from ui import translations

    translations.install("en")


@pytest.fixture(autouse=True)
def _no_unexpected_log_warnings(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A warning our code logs is a finding unless the test says it expects it."""
    caplog.set_level(logging.WARNING)
    yield
    marker = request.node.get_closest_marker("log_warnings")
    allowed = tuple(marker.args) if marker else ()
    unexpected = [f"{r.name}: {r.getMessage()}" for r in caplog.get_records("call")
                  if r.levelno >= logging.WARNING and r.name.split(".")[0] in OUR_LOGGERS
                  and not any(p in r.getMessage() for p in allowed)]
    assert not unexpected, f"unexpected warnings in the log: {unexpected}"


@pytest.fixture(autouse=True)
def _no_timer_left_running(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Close every window the test left open: a QTimer still active under a closed window
    is a screen that keeps polling after it is gone (napari's leaked-timer check)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    before = set(QApplication.topLevelWidgets())
    yield
    leaked = []
    for w in QApplication.topLevelWidgets():
        if w in before:
            continue
        w.close()
        QApplication.processEvents()
        leaked += [f"{type(w).__name__}/{t.parent().objectName() or type(t.parent()).__name__}"
                   for t in w.findChildren(QTimer) if t.isActive()]
    assert not leaked, f"timers still running after their window closed: {leaked}"
