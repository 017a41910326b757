"""UI fixtures: no leaked worker tasks after a test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _workers_idle(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from ui import workers

    yield
    assert workers.shutdown(10_000), "worker pools did not finish"
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()
    assert workers.running_tasks() == 0, "a worker task was left running"
