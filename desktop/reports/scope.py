"""Who may see which figures, decided in the core (the screens only hide what this refuses).

* An administrator (and the workstation's command line) sees everything.
* A supervisor sees the units they supervise: their own unit and every unit below it
  (``org_unit.parent_id``); the dossiers of those units, and the visits served by
  officers of those units. A supervisor of a top unit (no parent) also sees the tickets
  nobody has called yet, which belong to no unit.
* A counter officer or postal agent sees only their own figures: the dossiers they
  received and the visits they served, and of the satisfaction ratings only the shares.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.auth import Actor
from desktop.db.models import Officer, OrgUnit, Role
from desktop.kernel.errors import PermissionDenied
from desktop.kernel.i18n import msg


@dataclass(frozen=True)
class Scope:
    #: None = no restriction
    officer_ids: frozenset[int] | None = None
    unit_ids: frozenset[int] | None = None
    #: an officer looking at their own figures: no individual ratings, no other names
    own_only: bool = False
    #: tickets never called (no officer) are shown
    unassigned: bool = True

    @property
    def everything(self) -> bool:
        return self.officer_ids is None and self.unit_ids is None

    def officer_filter(self, column: str) -> str:
        """A SQL condition on an officer id column ('1=1' when unrestricted)."""
        if self.officer_ids is None:
            return "1=1"
        ids = ",".join(str(int(i)) for i in sorted(self.officer_ids)) or "NULL"
        cond = f"{column} IN ({ids})"
        return f"({cond} OR {column} IS NULL)" if self.unassigned else cond

    def unit_filter(self, unit_column: str, officer_column: str) -> str:
        """A SQL condition for dossiers: by unit for a supervisor, by officer for an officer."""
        if self.own_only:
            return self.officer_filter(officer_column)
        if self.unit_ids is None:
            return "1=1"
        ids = ",".join(str(int(i)) for i in sorted(self.unit_ids)) or "NULL"
        return f"{unit_column} IN ({ids})"


def subtree(units: list[tuple[int, int | None]], root: int) -> set[int]:
    """``root`` and every unit below it, from (id, parent id) pairs (cycles are harmless)."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in units:
        children.setdefault(parent, []).append(uid)
    out: set[int] = set()
    todo = [root]
    while todo:
        u = todo.pop()
        if u in out:
            continue
        out.add(u)
        todo.extend(children.get(u, []))
    return out


def scope_for(session: Session, actor: Actor) -> Scope:
    """The scope of ``actor``'s reports; PermissionDenied for a role without figures."""
    if actor.role == Role.ADMIN:
        return Scope()
    if actor.role in (Role.COUNTER_OFFICER, Role.POSTAL_AGENT):
        if actor.officer_id is None:
            raise PermissionDenied(msg("Chỉ cán bộ đã đăng nhập mới xem được số liệu của mình.",
                                       "Only a signed-in officer can see their own figures."))
        return Scope(officer_ids=frozenset({actor.officer_id}), own_only=True, unassigned=False)
    if actor.role == Role.SUPERVISOR:
        if actor.unit_id is None:
            raise PermissionDenied(msg("Tài khoản giám sát “{u}” chưa được gán đơn vị nên không xem được báo cáo.",
                                       "Supervisor “{u}” has no unit assigned, so there is nothing to report.",
                                       u=actor.username))
        pairs = [(int(i), p) for i, p in session.execute(select(OrgUnit.id, OrgUnit.parent_id))]
        units = subtree(pairs, actor.unit_id)
        officers = {int(i) for (i,) in session.execute(select(Officer.id).where(Officer.unit_id.in_(units)))}
        top = next((p is None for i, p in pairs if i == actor.unit_id), False)
        return Scope(officer_ids=frozenset(officers), unit_ids=frozenset(units), unassigned=top)
    raise PermissionDenied(msg("Vai trò này không xem được báo cáo.", "This role cannot see reports."))
