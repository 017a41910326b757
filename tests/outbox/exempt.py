"""Dossier components exempt from the organization's signature (the catalogue may exempt one).

The outbox tests exercise delivery (order, faults, kills, resumable uploads) with files
that may go unsigned; the signing rule itself is tested in tests/workflow and test_outbox.
"""

from __future__ import annotations

from desktop.dossiers import ComponentInput


def exempt_components(n: int = 3) -> list[ComponentInput]:
    return [ComponentInput(name=f"Thành phần {i}", code=f"TP{i}", must_sign=False) for i in range(n)]
