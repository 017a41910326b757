"""A bundled dossier server per test, as a real process on loopback (see tests/outbox/test_http.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.outbox.test_http import Server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path / "server")
    yield s
    s.stop()
