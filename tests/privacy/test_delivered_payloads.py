"""A delivered outbox job keeps the record of the delivery, not the citizen's data.

Before, every payload — the applicant's name, CCCD number, address, phone — stayed in
``outbox_job`` forever after the dossier system had it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from desktop.db.models import DossierStatus
from desktop.outbox.minimise import payload_hash
from desktop.outbox.models import OutboxJob
from tests.outbox.exempt import exempt_components

ADMIN = Actor.cli()
NAME, CCCD, ADDRESS, PHONE = "Trịnh Văn Quyết", "079301234567", "12 Lê Lợi, Quy Nhơn", "0905123456"


class Keeping:
    """A dossier system that keeps what it was sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send_dossier(self, key: str, dossier: dict[str, Any]) -> None:
        self.sent.append(dossier)

    def send_file(self, key: str, code: str, meta: dict[str, Any], path: Path) -> None:
        self.sent.append(meta)

    def send_status(self, key: str, code: str, status: dict[str, Any]) -> None:
        self.sent.append(status)


@pytest.fixture
def system() -> Keeping:
    return Keeping()


@pytest.fixture(params=["sqlite", "postgres"])
def work(request: pytest.FixtureRequest, tmp_path: Path, system: Keeping) -> Iterator[AppContext]:
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    ctx = AppContext(load_settings(tmp_path / "data", db_url=url or ""), adapter_factory=lambda: system)
    yield ctx
    ctx.close()


def test_delivered_payloads_lose_personal_data(work: AppContext, system: Keeping, tmp_path: Path) -> None:
    d = work.dossiers.receive(ADMIN, procedure_code="1.001193", applicant_name=NAME, applicant_id_number=CCCD,
                              applicant_address=ADDRESS, applicant_phone=PHONE, components=exempt_components(1))
    pdf = tmp_path / f"giay-khai-sinh-{NAME}.pdf"
    pdf.write_bytes(b"%PDF-1.4 " + b"x" * 100)
    work.dossiers.attach_file(ADMIN, d.code, pdf, component="TP0")
    work.dossiers.set_status(ADMIN, d.code, DossierStatus.PROCESSING, note=f"gọi {NAME} {PHONE}")
    with work.db.session() as s:  # queued, not yet sent: the payload has to carry everything
        queued = json.dumps([j.payload for j in s.scalars(select(OutboxJob))], ensure_ascii=False)
    assert NAME in queued and CCCD in queued
    assert work.outbox.drain(ADMIN)["delivered"] == 3
    assert NAME in json.dumps(system.sent, ensure_ascii=False)  # the dossier system got the whole dossier
    with work.db.session() as s:
        jobs = {j.kind: (j.state, j.payload) for j in s.scalars(select(OutboxJob))}
    stored = json.dumps(jobs, ensure_ascii=False)
    for personal in (NAME, CCCD, ADDRESS, PHONE, "giay-khai-sinh"):
        assert personal not in stored, personal
    dossier = jobs["dossier"][1]
    assert jobs["dossier"][0] == "done" and dossier["code"] == d.code and dossier["procedure_code"] == "1.001193"
    assert dossier["sent_sha256"] == payload_hash(system.sent[0])  # what went can still be proven
    f = jobs["file"][1]
    assert f["sha256"] == system.sent[1]["sha256"] and f["component_code"] == "TP0" and "file_id" in f
    assert jobs["status"][1]["status"] == DossierStatus.PROCESSING
