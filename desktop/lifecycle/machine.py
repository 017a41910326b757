"""The lifecycle of a dossier as a table of transitions over the national portal's status codes.

Each transition says which states it leaves from, where it goes, which permission it needs
(so which roles may do it, from :data:`desktop.auth.ROLE_PERMISSIONS`), what it needs from
the person doing it, which form of Circular 03/2025 it produces and what it does to the
legal clock. :func:`check` is the one gate: a wrong state or a wrong role is refused
there with a message naming the current state and what is allowed from it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from desktop.auth import ROLE_PERMISSIONS, Actor, Permission, require
from desktop.db.models import DossierStatus, Role
from desktop.kernel.errors import Conflict
from desktop.kernel.i18n import msg

S = DossierStatus

STATUS_NAMES: dict[DossierStatus, tuple[str, str]] = {
    S.NEW: ("Mới (nộp trực tuyến, chưa tiếp nhận)", "New (filed online, not yet received)"),
    S.RECEIVED: ("Đã tiếp nhận", "Received"),
    S.NOT_RECEIVED: ("Không tiếp nhận", "Not received (refused)"),
    S.PROCESSING: ("Đang giải quyết", "Processing"),
    S.SUPPLEMENT_REQUESTED: ("Yêu cầu bổ sung", "Supplement requested"),
    S.FINANCIAL_OBLIGATION: ("Chờ thực hiện nghĩa vụ tài chính", "Financial obligation"),
    S.WITHDRAWN: ("Công dân rút hồ sơ", "Withdrawn"),
    S.STOPPED: ("Dừng xử lý", "Stopped"),
    S.DONE: ("Đã giải quyết xong", "Done"),
    S.RESULT_RETURNED: ("Đã trả kết quả", "Result returned"),
}


def status_name(status: int | DossierStatus) -> str:
    st = DossierStatus(int(status))
    vi, en = STATUS_NAMES[st]
    return f"{int(st)} {msg(vi, en)}"


class Action(enum.StrEnum):
    RECEIVE = "receive"
    ACCEPT = "accept"
    REFUSE = "refuse"
    PROCESS = "process"
    HANDOFF = "handoff"
    SUPPLEMENT = "supplement"
    RESUME = "resume"
    EXTEND = "extend"
    OBLIGATION = "obligation"
    FEE_PAID = "fee_paid"
    STOP = "stop"
    WITHDRAW = "withdraw"
    RESULT = "result"
    RETURN = "return"
    POST_HANDOVER = "post_handover"
    POST_SENT = "post_sent"
    POST_DELIVERED = "post_delivered"
    #: a payment recorded without a status change (a history entry for the portal, not a transition)
    FEE = "fee"


class Need(enum.StrEnum):
    REASON = "reason"
    COMPONENTS = "components"
    NEW_DUE = "new_due"
    FILE = "file"
    IDENTITY = "identity"
    WAYBILL = "waybill"


class ClockEffect(enum.StrEnum):
    NONE = "none"
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    #: the legal time is over: done, refused, stopped or withdrawn
    STOP = "stop"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[DossierStatus]
    #: None: the status stays (an extension, a hand-off, the post's steps)
    target: DossierStatus | None
    permission: Permission
    needs: frozenset[Need]
    #: the form it produces ("01" … "07"), if any
    form: str | None
    clock: ClockEffect
    label: tuple[str, str]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, perms in ROLE_PERMISSIONS.items() if self.permission in perms)

    @property
    def name(self) -> str:
        return msg(*self.label)


def _t(action: Action, sources: set[DossierStatus], target: DossierStatus | None, permission: Permission,
       needs: set[Need], form: str | None, clock: ClockEffect, vi: str, en: str) -> Transition:
    return Transition(action, frozenset(sources), target, permission, frozenset(needs), form, clock, (vi, en))


OPEN = {S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION}
R, ORG = Permission.RECEIVE_DOSSIER, Permission.SIGN_ORGANIZATION
# Decisions the processing agency answers for (extension, stop, the result) need the
# organization's signature permission: postal agents receive and return, they do not decide.
TRANSITIONS: dict[Action, Transition] = {t.action: t for t in (
    _t(Action.RECEIVE, set(), S.RECEIVED, R, set(), "01", ClockEffect.START, "Tiếp nhận", "Receive"),
    _t(Action.ACCEPT, {S.NEW}, S.RECEIVED, R, set(), "01", ClockEffect.START,
       "Tiếp nhận hồ sơ trực tuyến", "Accept the online dossier"),
    _t(Action.REFUSE, {S.NEW, S.RECEIVED}, S.NOT_RECEIVED, R, {Need.REASON}, "03", ClockEffect.STOP,
       "Từ chối tiếp nhận", "Refuse"),
    _t(Action.PROCESS, {S.RECEIVED}, S.PROCESSING, R, set(), "06", ClockEffect.NONE,
       "Chuyển xử lý", "Send for processing"),
    _t(Action.HANDOFF, {S.PROCESSING}, None, R, set(), "06", ClockEffect.NONE, "Chuyển bước", "Hand off"),
    _t(Action.SUPPLEMENT, {S.RECEIVED, S.PROCESSING}, S.SUPPLEMENT_REQUESTED, R, {Need.REASON, Need.COMPONENTS},
       "02", ClockEffect.PAUSE, "Yêu cầu bổ sung", "Request a supplement"),
    _t(Action.RESUME, {S.SUPPLEMENT_REQUESTED}, S.PROCESSING, R, set(), None, ClockEffect.RESUME,
       "Nhận hồ sơ đã bổ sung", "Complete dossier back"),
    _t(Action.EXTEND, {S.PROCESSING}, None, ORG, {Need.REASON, Need.NEW_DUE}, "04", ClockEffect.EXTEND,
       "Xin lỗi và gia hạn", "Apologize and extend"),
    _t(Action.OBLIGATION, {S.PROCESSING}, S.FINANCIAL_OBLIGATION, R, set(), None, ClockEffect.NONE,
       "Chờ nghĩa vụ tài chính", "Await financial obligation"),
    _t(Action.FEE_PAID, {S.FINANCIAL_OBLIGATION}, S.PROCESSING, R, set(), None, ClockEffect.NONE,
       "Đã nộp nghĩa vụ tài chính", "Financial obligation paid"),
    _t(Action.STOP, OPEN, S.STOPPED, ORG, {Need.REASON}, "05", ClockEffect.STOP, "Dừng xử lý", "Stop"),
    _t(Action.WITHDRAW, OPEN, S.WITHDRAWN, R, set(), None, ClockEffect.STOP, "Công dân rút hồ sơ", "Withdraw"),
    _t(Action.RESULT, {S.PROCESSING}, S.DONE, ORG, {Need.FILE}, None, ClockEffect.STOP,
       "Có kết quả", "Result ready"),
    _t(Action.RETURN, {S.DONE}, S.RESULT_RETURNED, R, {Need.IDENTITY}, None, ClockEffect.NONE,
       "Trả kết quả", "Return the result"),
    _t(Action.POST_HANDOVER, {S.DONE}, None, R, set(), None, ClockEffect.NONE,
       "Chuyển bưu điện", "Hand to the post"),
    _t(Action.POST_SENT, {S.DONE}, None, R, {Need.WAYBILL}, None, ClockEffect.NONE,
       "Đã gửi qua bưu điện", "Sent by post"),
    _t(Action.POST_DELIVERED, {S.DONE}, S.RESULT_RETURNED, R, set(), None, ClockEffect.NONE,
       "Bưu điện đã phát", "Delivered by post"),
)}


def allowed(status: int | DossierStatus, actor: Actor | None = None) -> list[Transition]:
    """What can be done from ``status`` (by ``actor``, when given), in table order."""
    st = DossierStatus(int(status))
    return [t for t in TRANSITIONS.values()
            if st in t.sources and (actor is None or actor.can(t.permission))]


def check(actor: Actor, status: int | DossierStatus, action: Action) -> Transition:
    """The transition ``action`` from ``status``, or a refusal that says what is allowed."""
    t = TRANSITIONS[action]
    st = DossierStatus(int(status))
    if st not in t.sources:
        options = ", ".join(f"{a.action.value} ({a.name})" for a in allowed(st)) or msg("không còn thao tác nào",
                                                                                         "nothing more")
        raise Conflict(msg("Không thể “{a}” khi hồ sơ đang ở trạng thái {s}. Được phép: {o}.",
                           "Cannot “{a}” while the dossier is in status {s}. Allowed: {o}.",
                           a=t.name, s=status_name(st), o=options))
    require(actor, t.permission)
    return t


__all__ = ["Action", "ClockEffect", "Need", "STATUS_NAMES", "TRANSITIONS", "Transition", "allowed", "check",
           "status_name"]
