"""Citizens' satisfaction ratings (SIPAS levels) after a visit, and their shares per officer.

A rating is given on the counter's customer-facing screen or the kiosk right after the
service, for one served ticket; the counter, officer and dossier of that visit are taken
from the ticket's events, never from the screen. A ticket is rated once. Ratings are
anonymous to the officer: an officer sees only the shares of their own ratings, never
which ticket gave which level; a supervisor can list the ratings with their reasons.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.queue.models import Ticket, TicketEvent
from desktop.reports.models import SatisfactionLevel, SatisfactionRating
from desktop.reports.period import Period
from desktop.reports.scope import scope_for
from desktop.reports.sql import no_jit, share

LEVELS = tuple(SatisfactionLevel)
LEVEL_NAMES = {
    SatisfactionLevel.NOT_SATISFIED: ("Không hài lòng", "Not satisfied"),
    SatisfactionLevel.SATISFIED: ("Hài lòng", "Satisfied"),
    SatisfactionLevel.VERY_SATISFIED: ("Rất hài lòng", "Very satisfied"),
}
#: how long after the end of service a rating is taken (the citizen is still at the desk)
RATING_WINDOW_S = 30 * 60


def level_name(level: SatisfactionLevel) -> str:
    vi, en = LEVEL_NAMES[level]
    return msg(vi, en)


@dataclass(frozen=True)
class RatingView:
    ticket: str
    level: SatisfactionLevel
    counter_id: int | None
    officer_id: int | None
    dossier_code: str


def parse_level(value: str) -> SatisfactionLevel:
    try:
        return SatisfactionLevel(value.strip().lower())
    except ValueError:
        raise InvalidInput(msg("Mức hài lòng “{v}” không hợp lệ (chọn: {all}).",
                               "Satisfaction level “{v}” is not valid (choose: {all}).",
                               v=value, all=", ".join(LEVELS))) from None


def rate(db: Database, actor: Actor, ticket_id: int | None, level: SatisfactionLevel | str, reason: str = "",
         now: datetime | None = None) -> RatingView:
    """Record the citizen's rating of the visit of ``ticket_id`` (a served ticket, once)."""
    require(actor, Permission.ISSUE_TICKET)  # the kiosk's and the counter screen's permission
    lvl = level if isinstance(level, SatisfactionLevel) else parse_level(level)
    if ticket_id is None:
        raise InvalidInput(msg("Đánh giá phải gắn với một số thứ tự đã được phục vụ.",
                               "A rating must belong to a served ticket."))
    now = now or utcnow()
    with db.session() as s:
        t = s.get(Ticket, ticket_id)
        if t is None:
            raise NotFound(msg("Không có số thứ tự mã {i}.", "No ticket with id {i}.", i=ticket_id))
        end = s.scalar(select(TicketEvent).where(TicketEvent.ticket_id == t.id, TicketEvent.kind == "end")
                       .order_by(TicketEvent.id.desc()).limit(1))
        if end is None:
            raise Conflict(msg("Số {n} chưa được phục vụ xong nên chưa đánh giá được.",
                               "Ticket {n} has not been served yet, so it cannot be rated.", n=t.number))
        call = s.scalar(select(TicketEvent).where(TicketEvent.ticket_id == t.id, TicketEvent.kind == "call")
                        .order_by(TicketEvent.id.desc()).limit(1))
        r = SatisfactionRating(ticket_id=t.id, level=lvl.value, reason=reason.strip()[:500], at=now,
                               counter_id=end.counter_id, officer_id=(call or end).officer_id,
                               dossier_code=t.dossier_code or "")
        rated = Conflict(msg("Số {n} đã được đánh giá.", "Ticket {n} has already been rated.", n=t.number))
        if s.scalar(select(SatisfactionRating.id).where(SatisfactionRating.ticket_id == t.id)) is not None:
            raise rated
        try:
            with s.begin_nested():  # two screens rating at once: the unique index decides
                s.add(r)
        except IntegrityError:
            raise rated from None
        return RatingView(t.number, lvl, r.counter_id, r.officer_id, r.dossier_code)


def last_served_ticket(db: Database, counter_number: int, now: datetime | None = None) -> tuple[int, str] | None:
    """(id, number) of the counter's latest visit that ended in the last half hour and is not rated."""
    now = now or utcnow()
    with db.session() as s:
        row = s.execute(text(
            "SELECT t.id, t.number, e.at FROM queue_ticket_event e JOIN queue_ticket t ON t.id = e.ticket_id "
            "JOIN queue_counter c ON c.id = e.counter_id WHERE c.number = :n AND e.kind = 'end' "
            "AND NOT EXISTS (SELECT 1 FROM satisfaction_rating r WHERE r.ticket_id = t.id) "
            "ORDER BY e.id DESC LIMIT 1"), {"n": counter_number}).first()
    if row is None:
        return None
    at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
    from datetime import UTC

    if (now - at.replace(tzinfo=UTC)).total_seconds() > RATING_WINDOW_S:
        return None
    return int(row.id), str(row.number)


@dataclass
class SatisfactionRow:
    key: str
    ratings: int
    not_satisfied: int
    satisfied: int
    very_satisfied: int
    not_satisfied_share: float | None
    satisfied_share: float | None
    very_satisfied_share: float | None
    #: satisfied or very satisfied
    satisfied_or_better_share: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def satisfaction_sql(by: str, officer_filter: str) -> str:
    key = {"officer": "COALESCE(o.username, '-')", "total": "'*'"}.get(by)
    if key is None:
        raise InvalidInput(msg("Không nhóm được theo “{b}” (officer, total).", "Cannot group by “{b}” (officer, total).",
                               b=by))
    counts = ", ".join(f"SUM(CASE WHEN r.level = '{lv.value}' THEN 1 ELSE 0 END) AS {lv.value}" for lv in LEVELS)
    return (f"SELECT {key} AS k, COUNT(*) AS n, {counts} FROM satisfaction_rating r "
            "LEFT JOIN officer o ON o.id = r.officer_id "
            f"WHERE r.at >= :lo AND r.at < :hi AND {officer_filter} GROUP BY 1 ORDER BY 1")


def _row(r: Any) -> SatisfactionRow:
    n, ns, sa, vs = int(r.n), int(r.not_satisfied or 0), int(r.satisfied or 0), int(r.very_satisfied or 0)
    return SatisfactionRow(str(r.k), n, ns, sa, vs, share(ns, n), share(sa, n), share(vs, n), share(sa + vs, n))


@dataclass
class SatisfactionReport:
    period: Period
    rows: list[SatisfactionRow]
    total: SatisfactionRow

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period.to_dict(), "rows": [r.to_dict() for r in self.rows],
                "total": self.total.to_dict()}


def satisfaction_report(db: Database, actor: Actor, period: Period) -> SatisfactionReport:
    params = {"lo": period.lo.replace(tzinfo=None), "hi": period.hi.replace(tzinfo=None)}
    with db.session() as s:
        scope = scope_for(s, actor)
        no_jit(s)
        f = scope.officer_filter("r.officer_id")
        rows = [_row(r) for r in s.execute(text(satisfaction_sql("officer", f)), params)]
        tot = [_row(r) for r in s.execute(text(satisfaction_sql("total", f)), params)]
    return SatisfactionReport(period, rows, tot[0] if tot else SatisfactionRow("*", 0, 0, 0, 0, None, None, None,
                                                                                 None))


@dataclass(frozen=True)
class RatingLine:
    at: str
    ticket: str
    officer: str
    level: SatisfactionLevel
    reason: str


def rating_list(db: Database, actor: Actor, period: Period, officer: str | None = None,
                level: str | None = None) -> list[RatingLine]:
    """The individual ratings behind a share — for supervisors only (anonymous to the officer)."""
    params: dict[str, Any] = {"lo": period.lo.replace(tzinfo=None), "hi": period.hi.replace(tzinfo=None)}
    with db.session() as s:
        scope = scope_for(s, actor)
        no_jit(s)
        if scope.own_only:
            raise PermissionDenied(msg("Đánh giá của người dân là ẩn danh với cán bộ; chỉ xem được tỷ lệ.",
                                       "Citizens' ratings are anonymous to the officer; only the shares are shown."))
        extra = ""
        if officer is not None:
            extra += " AND COALESCE(o.username, '-') = :officer"
            params["officer"] = officer
        if level is not None:
            extra += " AND r.level = :level"
            params["level"] = parse_level(level).value
        rows = list(s.execute(text(
            "SELECT r.at, t.number, t.day, o.username, r.level, r.reason FROM satisfaction_rating r "
            "JOIN queue_ticket t ON t.id = r.ticket_id LEFT JOIN officer o ON o.id = r.officer_id "
            f"WHERE r.at >= :lo AND r.at < :hi AND {scope.officer_filter('r.officer_id')}{extra} "
            "ORDER BY r.at, r.id LIMIT 5000"), params))
    from datetime import UTC

    out = []
    for r in rows:
        at = r.at if isinstance(r.at, datetime) else datetime.fromisoformat(str(r.at))
        out.append(RatingLine(to_vn(at.replace(tzinfo=UTC)).isoformat(), f"{r.day}-{r.number}", r.username or "-",
                              SatisfactionLevel(r.level), r.reason))
    return out
