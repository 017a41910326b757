"""UI fixtures: every worker task has finished when a test ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _workers_idle(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from ui import workers

    yield
    assert workers.shutdown(10_000), "worker tasks did not finish (a task ignores its cancel token?)"
