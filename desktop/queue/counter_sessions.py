"""Counter sessions: an officer signs in at a counter, pauses, resumes and signs out.

A session gates "call next": a paused or signed-out counter gets no ticket, and a counter
never opened today is opened by its first call. Each change appends a
``counter_session_event`` (with its audit record and, on PostgreSQL, a notification);
today's open, paused, busy and idle time per counter is replayed from those events
(:mod:`desktop.queue.sessions`). :class:`CounterSessions` is a part of
:class:`~desktop.queue.desk.QueueDesk`, which gives it the database, the audit log and
the cached counters.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.db import Database
from desktop.db.models import Officer
from desktop.kernel.errors import Conflict, InvalidInput, NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import to_vn, utcnow
from desktop.queue import statements as sql
from desktop.queue.models import ACTIVE, CounterSession, CounterSessionEvent, SessionState
from desktop.queue.sessions import CounterFigures, busy_intervals, measure
from desktop.queue.views import SessionView

if TYPE_CHECKING:
    from desktop.queue.desk import _CounterInfo


class CounterSessions:
    """The counter-session actions of :class:`~desktop.queue.desk.QueueDesk`."""

    db: Database
    audit: AuditLog

    if TYPE_CHECKING:  # given by QueueDesk
        def _counter_info(self, s: Session, number: int, *, fresh: bool = False) -> _CounterInfo: ...

        def _notify(self, s: Session, **payload: object) -> None: ...

    @staticmethod
    def _live_session(s: Session, counter_id: int, *, lock: bool = False) -> CounterSession | None:
        q = select(CounterSession).where(CounterSession.counter_id == counter_id,
                                         CounterSession.state.in_((SessionState.OPEN, SessionState.PAUSED)))
        return s.scalar(q.with_for_update() if lock else q)

    @staticmethod
    def _pause_reason(s: Session, session_id: int) -> str:
        return s.scalar(select(CounterSessionEvent.reason).where(CounterSessionEvent.session_id == session_id,
                                                                 CounterSessionEvent.kind == "pause")
                        .order_by(CounterSessionEvent.id.desc()).limit(1)) or ""

    def _ensure_open(self, s: Session, actor: Actor, c: _CounterInfo) -> bool:
        """Refuse a paused or signed-out counter; open a session for a counter never opened today.

        True when it opened one. A counter signed out today stays closed until an officer
        opens it again (``motcua queue session open``); one with no session today is
        opened for the caller, so the kiosk-to-counter flow works without a sign-in step.
        """
        live = self._live_session(s, c.id)
        if live is not None and live.state == SessionState.PAUSED:
            raise Conflict(msg("Quầy {n} đang tạm dừng ({r}); tiếp tục phiên làm việc trước khi gọi số.",
                               "Counter {n} is paused ({r}); resume the session before calling.",
                               n=c.number, r=self._pause_reason(s, live.id) or "-"))
        if live is not None:
            return False
        now = utcnow()
        closed = s.scalar(select(func.max(CounterSession.ended_at)).where(CounterSession.counter_id == c.id))
        if closed is not None and sql.today_key(closed) == sql.today_key(now):
            raise Conflict(msg("Quầy {n} đã đóng phiên làm việc lúc {t}; mở phiên mới trước khi gọi số.",
                               "Counter {n} was signed out at {t}; open a new session before calling.",
                               n=c.number, t=to_vn(closed).strftime("%H:%M")))
        self._open(s, actor, c, actor.officer_id, now, auto=True)
        return True

    def _open(self, s: Session, actor: Actor, c: _CounterInfo, officer_id: int | None, now: datetime, *,
              auto: bool = False) -> int:
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        live = text("state IN ('open', 'paused')")
        # Two processes opening the same counter at once: the partial unique index keeps one.
        sid = s.execute(upsert(sql.sessions).values(counter_id=c.id, officer_id=officer_id, started_at=now, state=SessionState.OPEN)
                        .on_conflict_do_nothing(index_elements=["counter_id"], index_where=live)
                        .returning(sql.sessions.c.id)).scalar()
        if sid is None:
            raise Conflict(msg("Quầy {n} vừa được mở ở nơi khác.", "Counter {n} was just opened elsewhere.",
                               n=c.number))
        self._session_event(s, actor, int(sid), c, "open", now, officer_id, data={"auto": auto} if auto else None)
        return int(sid)

    def _session_event(self, s: Session, actor: Actor, session_id: int, c: _CounterInfo, kind: str, now: datetime,
                       officer_id: int | None, reason: str = "", data: dict[str, object] | None = None) -> None:
        s.execute(insert(sql.session_events).values(session_id=session_id, kind=kind, at=now, officer_id=officer_id,
                                                 reason=reason))
        self._notify(s, kind=f"session_{kind}", counter=c.number, reason=reason)
        self.audit.record(s, actor=actor.audit_name, action=f"queue.session_{kind}", entity_type="counter",
                          entity_id=c.number, data={"session": session_id, **({"reason": reason} if reason else {}),
                                                    **(data or {})})

    def _officer(self, s: Session, actor: Actor, login: str | None) -> tuple[int | None, str | None]:
        if not login:
            return actor.officer_id, (actor.username if actor.officer_id else None)
        row = s.execute(select(Officer.id, Officer.username).where(Officer.username == login.strip(),
                                                                   Officer.active)).first()
        if row is None:
            raise NotFound(msg("Không có cán bộ “{u}”.", "No officer “{u}”.", u=login))
        if row[0] != actor.officer_id:
            require(actor, Permission.MANAGE_QUEUE)  # signing someone else in is a supervisor's job
        return int(row[0]), str(row[1])

    def _session_view(self, s: Session, cs: CounterSession, c: _CounterInfo) -> SessionView:
        officer = s.scalar(select(Officer.username).where(Officer.id == cs.officer_id)) if cs.officer_id else None
        return SessionView(cs.id, c.number, officer, cs.state, cs.started_at, cs.ended_at)

    def open_session(self, actor: Actor, counter_number: int, officer: str | None = None) -> SessionView:
        """An officer signs in at a counter (``officer``: a login; default the actor)."""
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            c = self._counter_info(s, counter_number, fresh=True)
            officer_id, _ = self._officer(s, actor, officer)
            live = self._live_session(s, c.id)
            if live is not None:
                raise Conflict(msg("Quầy {n} đã có phiên làm việc từ {t}; đóng phiên đó trước khi mở phiên mới.",
                                   "Counter {n} already has a session since {t}; close it before opening another.",
                                   n=c.number, t=to_vn(live.started_at).strftime("%H:%M")))
            sid = self._open(s, actor, c, officer_id, utcnow())
            cs = s.get(CounterSession, sid)
            assert cs is not None
            return self._session_view(s, cs, c)

    def _session_change(self, actor: Actor, counter_number: int, kind: str, reason: str = "") -> SessionView:
        require(actor, Permission.SERVE_QUEUE)
        with self.db.session() as s:
            c = self._counter_info(s, counter_number, fresh=True)
            cs = self._live_session(s, c.id, lock=True)
            if cs is None:
                raise Conflict(msg("Quầy {n} chưa mở phiên làm việc.", "Counter {n} has no open session.",
                                   n=c.number))
            if kind == "pause" and cs.state == SessionState.PAUSED:
                raise Conflict(msg("Quầy {n} đã tạm dừng rồi.", "Counter {n} is already paused.", n=c.number))
            if kind == "resume" and cs.state != SessionState.PAUSED:
                raise Conflict(msg("Quầy {n} không tạm dừng nên không cần tiếp tục.",
                                   "Counter {n} is not paused, so there is nothing to resume.", n=c.number))
            if kind in ("pause", "close"):
                # A call committing at this very moment is not seen here; only the officer at
                # the counter both calls and pauses it, so the two do not race in practice.
                current = s.scalar(select(sql.tickets.c.number).where(sql.tickets.c.counter_id == c.id,
                                                                      sql.tickets.c.state.in_(ACTIVE)))
                if current is not None:
                    raise Conflict(msg("Quầy {n} đang phục vụ số {t}; kết thúc hoặc bỏ qua trước.",
                                       "Counter {n} is serving {t}; end or skip it first.", n=c.number, t=current))
            now = utcnow()
            cs.state = {"pause": SessionState.PAUSED, "resume": SessionState.OPEN, "close": SessionState.CLOSED}[kind]
            if kind == "close":
                cs.ended_at = now
            s.flush()
            view = self._session_view(s, cs, c)
            self._session_event(s, actor, cs.id, c, kind, now, actor.officer_id, reason)
            return view

    def pause_session(self, actor: Actor, counter_number: int, reason: str) -> SessionView:
        """Pause the counter (a break, a meeting): calls are refused until it resumes."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise InvalidInput(msg("Cần ghi lý do tạm dừng quầy.", "A reason is needed to pause the counter."))
        if len(reason) > 200:
            raise InvalidInput(msg("Lý do tạm dừng dài quá 200 ký tự.", "The pause reason is over 200 characters."))
        return self._session_change(actor, counter_number, "pause", reason)

    def resume_session(self, actor: Actor, counter_number: int) -> SessionView:
        return self._session_change(actor, counter_number, "resume")

    def close_session(self, actor: Actor, counter_number: int) -> SessionView:
        """The officer signs out: calls are refused until a session is opened again."""
        return self._session_change(actor, counter_number, "close")

    def counter_figures(self, now: datetime | None = None) -> list[CounterFigures]:
        """Today's open, paused, busy and idle time and tickets served, per active counter (from events)."""
        now = now or utcnow()
        local = to_vn(now)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)
        with self.db.session() as s:
            counters = s.execute(select(sql.counters.c.id, sql.counters.c.number, sql.counters.c.name)
                                 .where(sql.counters.c.active).order_by(sql.counters.c.number)).all()
            sessions = s.execute(select(sql.sessions.c.id, sql.sessions.c.counter_id, sql.sessions.c.state,
                                        Officer.username)
                                 .outerjoin(Officer, Officer.id == sql.sessions.c.officer_id)
                                 .where((sql.sessions.c.ended_at.is_(None)) | (sql.sessions.c.ended_at >= day_start))
                                 .order_by(sql.sessions.c.id)).all()
            ids = [r[0] for r in sessions]
            sev: dict[int, list[tuple[str, datetime]]] = {i: [] for i in ids}
            if ids:
                for sid, kind, at in s.execute(select(sql.session_events.c.session_id, sql.session_events.c.kind,
                                                      sql.session_events.c.at)
                                               .where(sql.session_events.c.session_id.in_(ids))
                                               .order_by(sql.session_events.c.id)):
                    sev[sid].append((kind, at))
            tev = s.execute(select(sql.events.c.ticket_id, sql.events.c.kind, sql.events.c.at, sql.events.c.counter_id)
                            .where(sql.events.c.at >= day_start, sql.events.c.kind.in_(("call", "end", "skip", "transfer")))
                            .order_by(sql.events.c.id)).all()
        out = []
        for cid, number, name in counters:
            mine = [r for r in sessions if r[1] == cid]
            live = next((r for r in reversed(mine) if r[2] in (SessionState.OPEN, SessionState.PAUSED)), None)
            opened, paused, busy, idle = measure([sev[r[0]] for r in mine], busy_intervals(tev, cid, now),
                                                 day_start, now)
            served = sum(1 for _, k, _, c in tev if k == "end" and c == cid)
            out.append(CounterFigures(number, name, live[2] if live else SessionState.CLOSED, live[3] if live else None,
                                      opened, paused, busy, idle, served))
        return out
