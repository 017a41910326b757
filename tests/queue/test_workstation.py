"""This workstation's counter (only the counters that exist, the remembered one, the audited
choice), the counter's session on its board, and the child-under-6 priority class."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.auth import Actor
from desktop.config import load_settings
from desktop.db import Database
from desktop.db.models import AuditEvent, Role
from desktop.kernel.errors import NotFound, PermissionDenied
from desktop.kernel.i18n import set_language
from desktop.queue import workstation
from desktop.queue.desk import QueueDesk
from desktop.queue.figures import counter_board
from desktop.queue.models import Counter, SessionState
from desktop.queue.priority import KIOSK_CLASSES, LABELS, PRIORITIES, Priority, label, ticket_line
from desktop.queue.seed import seed_queue
from desktop.queue.tickets_pdf import write_ticket

ADMIN = Actor(username="admin", role=Role.ADMIN)
OFFICER = Actor(username="lan", role=Role.COUNTER_OFFICER)
KIOSK = Actor.kiosk()


@pytest.fixture
def desk(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'q.db'}")
    db.migrate()
    with db.session() as s:
        seed_queue(s)
        s.add(Counter(number=9, name="Quầy 9 (cũ)", services=["TP"], active=False))
    yield QueueDesk(db, AuditLog())
    db.dispose()


def test_only_the_active_counters_of_the_database(desk: QueueDesk) -> None:
    choices = workstation.counters(desk.db)
    assert [c.number for c in choices] == [1, 2, 3, 4, 5]  # not 1–20, not the retired counter 9
    assert choices[1].name == "Quầy 2"


def test_the_remembered_counter(desk: QueueDesk, tmp_path: Path) -> None:
    choices = workstation.counters(desk.db)
    settings = load_settings(tmp_path / "data")
    assert workstation.remembered(settings, choices) == choices[0]  # nothing set: the first
    settings.counter_number = "3"
    assert workstation.remembered(settings, choices).number == 3
    settings.counter_number = "quầy 4"  # as the queue names it
    assert workstation.remembered(settings, choices).number == 4
    settings.counter_number = "9"  # retired: the first one, not a counter that cannot call
    assert workstation.remembered(settings, choices) == choices[0]
    assert workstation.remembered(settings, []) is None


def test_the_officers_choice_is_saved_and_audited(desk: QueueDesk, tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = load_settings(data)
    path = workstation.remember(desk.db, desk.audit, settings, OFFICER, 4)
    assert path is not None and path.is_file()
    assert settings.counter_number == "4"
    assert load_settings(data).counter_number == "4"  # the next start opens counter 4
    assert workstation.remember(desk.db, desk.audit, settings, OFFICER, 4) is None  # unchanged: no record
    with desk.db.session() as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "settings.counter")))
        assert not desk.audit.verify(s)
    assert len(events) == 1 and events[0].actor == "lan" and events[0].data["counter_number"] == "4"
    with pytest.raises(NotFound):
        workstation.remember(desk.db, desk.audit, settings, OFFICER, 9)
    with pytest.raises(PermissionDenied):
        workstation.remember(desk.db, desk.audit, settings, KIOSK, 2)
    assert load_settings(data).counter_number == "4"


def test_the_board_shows_the_session_and_the_pause(desk: QueueDesk) -> None:
    assert counter_board(desk, 1).session.state == SessionState.CLOSED
    opened = desk.open_session(ADMIN, 1)
    board = counter_board(desk, 1)
    assert board.session.state == SessionState.OPEN and board.session.since == opened.started_at
    desk.pause_session(ADMIN, 1, "Nghỉ giải lao")
    board = counter_board(desk, 1)
    assert board.session.state == SessionState.PAUSED and board.session.reason == "Nghỉ giải lao"
    assert board.session.since is not None and board.session.since >= opened.started_at
    desk.resume_session(ADMIN, 1)
    assert counter_board(desk, 1).session.reason == ""
    desk.close_session(ADMIN, 1)
    assert counter_board(desk, 1).session.state == SessionState.CLOSED


def test_a_child_under_6_is_called_before_walk_ins(desk: QueueDesk) -> None:
    assert "child_under_6" in PRIORITIES and Priority.CHILD_UNDER_6 in KIOSK_CLASSES
    walk_in = desk.issue(KIOSK, "TP")
    child = desk.issue(KIOSK, "TP", Priority.CHILD_UNDER_6)
    assert [t.number for t in counter_board(desk, 1).waiting] == [child.number, walk_in.number]
    called = desk.call_next(ADMIN, 1)
    assert called is not None and called.number == child.number and called.priority == "child_under_6"


def test_labels_in_both_languages_and_on_the_ticket(tmp_path: Path, desk: QueueDesk) -> None:
    assert set(LABELS) == set(Priority)
    assert label("child_under_6") == "Người đưa trẻ em dưới 6 tuổi"
    set_language("en")
    try:
        assert label("child_under_6") == "With a child under 6"
    finally:
        set_language(None)
    assert ticket_line("walk_in") == "" and label("unknown") == "unknown"
    t = desk.issue(KIOSK, "TP", "child_under_6")
    pdf = write_ticket(t, "Tư pháp", tmp_path / "t.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ưu tiên: Người đưa trẻ em dưới 6 tuổi" in text and t.number in text
    from tests.pdfa_check import assert_pdfa

    assert_pdfa(pdf)  # kept tickets are records too: PDF/A like every PDF written


def test_the_cli_issues_a_child_under_6_ticket(tmp_path: Path) -> None:
    from tests.cli import motcua

    assert motcua(tmp_path, "queue", "issue", "--service", "TP", timeout=60).returncode == 0
    r = motcua(tmp_path, "queue", "issue", "--service", "TP", "--priority", "child_under_6", timeout=60)
    assert r.returncode == 0, r.stderr
    r = motcua(tmp_path, "queue", "call-next", "--counter", "1", timeout=60)
    assert r.stdout.splitlines()[-1] == "A002", r.stderr  # issued second, called first
