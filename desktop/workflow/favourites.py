"""Favourite procedures of a counter, and the order reception lists the catalogue in.

A counter serves the same few procedures all day, so reception, with nothing typed, lists
first the procedures the officers of *this counter* marked as favourites, then the ones
this officer received lately (:func:`recent_procedures`), then the rest of the
catalogue. With text typed the search keeps its order and favourites break its ties: every
match contains every word typed, so among matches a favourite comes first.

* **Per counter** (:class:`CounterPlace`: the workstation's unit code and its queue counter,
  as :mod:`desktop.queue.workstation` remembers it), shared by every officer who sits there.
* **Alphabetical** (diacritics folded), not in an order someone set: several officers share
  one list, nobody owns its order, a short alphabetical list is found at a glance and there
  is no reordering to learn or to fight over.
* **By procedure code**: a favourite whose procedure left the catalogue (or is inactive) is
  skipped by the list and shown as gone by ``motcua catalogue favourite list``; it can still
  be removed.
* **Audited** (``favourite.add`` / ``favourite.remove``): a low-stakes preference, but a
  shared one, as the centre's learned page titles and the workstation's counter are: when a
  favourite disappears from a colleague's list, the log says who removed it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.catalogue import Catalogue, ProcedureInfo
from desktop.config import Settings
from desktop.db import Database
from desktop.db.models import CounterFavourite, Dossier, Procedure
from desktop.kernel.errors import NotFound
from desktop.kernel.i18n import msg
from desktop.kernel.text import fold
from desktop.queue.workstation import counters, remembered


@dataclass(frozen=True)
class CounterPlace:
    """Which counter the favourites belong to: the unit's agency code and the queue counter."""

    unit_code: str
    #: the queue counter's number; "" for a workstation without a queue counter
    counter: str

    @property
    def label(self) -> str:
        return f"{self.unit_code}/{self.counter or '-'}"


@dataclass(frozen=True)
class ListedProcedure:
    """One row of reception's procedure list: the procedure and why it is where it is."""

    info: ProcedureInfo
    favourite: bool = False
    recent: bool = False

    @property
    def code(self) -> str:
        return self.info.code


@dataclass(frozen=True)
class Favourite:
    """A favourite as the CLI lists it; ``name`` is None when the procedure left the catalogue."""

    code: str
    name: str | None
    added_by: str
    added_at: datetime


def recent_procedures(db: Database, actor: Actor, limit: int = 5) -> list[str]:
    """The procedures ``actor`` received most recently, newest first (a counter serves the
    same few procedures all day)."""
    if actor.officer_id is None:
        return []
    with db.session() as s:
        rows = s.execute(select(Procedure.code, func.max(Dossier.received_at).label("last"))
                         .join(Dossier, Dossier.procedure_id == Procedure.id)
                         .where(Dossier.officer_id == actor.officer_id)
                         .group_by(Procedure.code).order_by(func.max(Dossier.received_at).desc())
                         .limit(limit)).all()
    return [r[0] for r in rows]


def order_procedures(procedures: Sequence[ProcedureInfo], favourites: Collection[str], recent: Sequence[str], *,
                     typed: bool) -> list[ListedProcedure]:
    """Reception's list: ``procedures`` (what the catalogue or the search returned, in its order)
    with nothing typed as favourites (alphabetical), recent (newest first), the rest (as given);
    with text typed in the given order, favourites first. Codes in ``favourites`` or ``recent``
    that are not among ``procedures`` (left the catalogue, or not matching) are ignored."""
    fav = set(favourites)
    rank = {code: i for i, code in enumerate(recent)}
    rows = [ListedProcedure(p, p.code in fav, p.code in rank) for p in procedures]
    if typed:
        return sorted(rows, key=lambda r: not r.favourite)  # stable: the search's order otherwise
    firsts = sorted((r for r in rows if r.favourite), key=lambda r: (fold(r.info.name), r.code))
    lately = sorted((r for r in rows if r.recent and not r.favourite), key=lambda r: rank[r.code])
    rest = [r for r in rows if not r.favourite and not r.recent]
    return firsts + lately + rest


class CounterFavourites:
    """The favourites of the workstation's counter: read, add, remove, and reception's list."""

    def __init__(self, db: Database, audit: AuditLog, settings: Settings, catalogue: Catalogue) -> None:
        self.db = db
        self.audit = audit
        self.settings = settings
        self.catalogue = catalogue

    def place(self, counter: int | None = None) -> CounterPlace:
        """This workstation's counter, as the counter panel knows it (the remembered one, the
        first active counter when none is set; the setting as written when there is no queue),
        or the active counter number ``counter`` (the CLI's ``--counter``)."""
        unit = self.settings.unit_code.strip()
        choices = counters(self.db)
        if counter is not None:
            if counter not in {c.number for c in choices}:
                raise NotFound(msg("Không có quầy số {n}.", "No counter number {n}.", n=counter))
            return CounterPlace(unit, str(counter))
        choice = remembered(self.settings, choices)
        if choice is not None:
            return CounterPlace(unit, str(choice.number))
        return CounterPlace(unit, str(self.settings.counter_number or "").strip()[:100])

    def codes(self, place: CounterPlace | None = None) -> list[str]:
        where = place or self.place()
        with self.db.session() as s:
            return list(s.scalars(select(CounterFavourite.procedure_code)
                                  .where(CounterFavourite.unit_code == where.unit_code,
                                         CounterFavourite.counter == where.counter)
                                  .order_by(CounterFavourite.procedure_code)))

    def entries(self, place: CounterPlace | None = None) -> list[Favourite]:
        """The counter's favourites, alphabetical, those that left the catalogue last."""
        where = place or self.place()
        with self.db.session() as s:
            rows = s.execute(select(CounterFavourite.procedure_code, Procedure.name, CounterFavourite.added_by,
                                    CounterFavourite.added_at)
                             .outerjoin(Procedure, (Procedure.code == CounterFavourite.procedure_code)
                                        & Procedure.active)
                             .where(CounterFavourite.unit_code == where.unit_code,
                                    CounterFavourite.counter == where.counter)).all()
        out = [Favourite(code, name, by, at) for code, name, by, at in rows]
        return sorted(out, key=lambda f: (f.name is None, fold(f.name or ""), f.code))

    def add(self, actor: Actor, code: str, place: CounterPlace | None = None) -> bool:
        """Mark ``code`` as a favourite of the counter; False when it already was one. Only a
        procedure of the catalogue can be added."""
        require(actor, Permission.RECEIVE_DOSSIER)
        where = place or self.place()
        code = code.strip()
        with self.db.session() as s:
            if s.scalar(select(Procedure.id).where(Procedure.code == code, Procedure.active)) is None:
                raise NotFound(msg("Không có thủ tục mã “{c}” trong danh mục.",
                                   "No procedure with code “{c}” in the catalogue.", c=code))
            if self._row(s, where, code) is not None:
                return False
            try:
                with s.begin_nested():  # another officer of the counter may add it at the same moment
                    s.add(CounterFavourite(unit_code=where.unit_code, counter=where.counter, procedure_code=code,
                                           added_by=actor.audit_name[:80]))
            except IntegrityError:
                return False
            self.audit.record(s, actor=actor.audit_name, action="favourite.add", entity_type="counter",
                              entity_id=where.label[:80], data={"procedure": code})
        return True

    def remove(self, actor: Actor, code: str, place: CounterPlace | None = None) -> bool:
        """Unmark ``code`` (also one that left the catalogue); False when it was not a favourite."""
        require(actor, Permission.RECEIVE_DOSSIER)
        where = place or self.place()
        code = code.strip()
        with self.db.session() as s:
            gone = self._row(s, where, code)
            if gone is None:
                return False
            s.execute(delete(CounterFavourite).where(CounterFavourite.id == gone))
            self.audit.record(s, actor=actor.audit_name, action="favourite.remove", entity_type="counter",
                              entity_id=where.label[:80], data={"procedure": code})
        return True

    def toggle(self, actor: Actor, code: str, place: CounterPlace | None = None) -> bool:
        """Add or remove; returns whether ``code`` is a favourite now."""
        where = place or self.place()
        if code.strip() in self.codes(where):
            self.remove(actor, code, where)
            return False
        self.add(actor, code, where)
        return True

    def listed(self, actor: Actor, query: str = "") -> list[ListedProcedure]:
        """Reception's procedure list for ``query`` (diacritics optional): the counter's
        favourites first, with nothing typed then this officer's recent procedures."""
        typed = bool(fold(query).split())
        found = self.catalogue.search(query) if typed else self.catalogue.all()
        return order_procedures(found, self.codes(), () if typed else recent_procedures(self.db, actor), typed=typed)

    @staticmethod
    def _row(s: Session, where: CounterPlace, code: str) -> int | None:
        return s.scalar(select(CounterFavourite.id).where(CounterFavourite.unit_code == where.unit_code,
                                                          CounterFavourite.counter == where.counter,
                                                          CounterFavourite.procedure_code == code))
