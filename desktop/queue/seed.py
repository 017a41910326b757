"""A default, editable set of services and counters so the queue works on a fresh database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.queue.models import Counter, QueueService

DEFAULT_SERVICES = (
    ("TP", "Tư pháp – Hộ tịch, chứng thực", "A"),
    ("DD", "Đất đai – Xây dựng", "B"),
    ("KD", "Đăng ký kinh doanh – Đầu tư", "C"),
    ("LD", "Lao động – Thương binh và Xã hội", "D"),
    ("KQ", "Trả kết quả", "E"),
)
DEFAULT_COUNTERS = (
    (1, "Quầy 1", ["TP"]), (2, "Quầy 2", ["TP", "KQ"]), (3, "Quầy 3", ["DD"]),
    (4, "Quầy 4", ["KD", "LD"]), (5, "Quầy 5", ["TP", "DD", "KD", "LD", "KQ"]),
)


def seed_queue(session: Session) -> int:
    """Add the defaults only to an empty queue configuration; returns rows added."""
    if session.scalar(select(QueueService.id).limit(1)) is not None:
        return 0
    session.add_all(QueueService(code=c, name=n, prefix=p) for c, n, p in DEFAULT_SERVICES)
    session.add_all(Counter(number=n, name=name, services=list(s)) for n, name, s in DEFAULT_COUNTERS)
    return len(DEFAULT_SERVICES) + len(DEFAULT_COUNTERS)
