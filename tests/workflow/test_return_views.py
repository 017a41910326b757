"""The dossier list's return views: "to return" holds results ready (status 9) not yet
handed back nor to the post; "post" holds those handed to the post, until delivered."""

from __future__ import annotations

from sqlalchemy import select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Dossier, DossierStatus, Role
from desktop.lifecycle.models import ResultReturn, ReturnChannel, ReturnState
from desktop.workflow.workspace import DossierQuery, Returning


def test_to_return_and_post_views(ctx: AppContext) -> None:
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Lan", role=Role.COUNTER_OFFICER,
                                      password="mat-khau-dai")
    ready, posted, delivered, open_ = (ctx.counter.receive(officer, procedure_code="1.001193",
                                                           applicant_name=n).code for n in ("A", "B", "C", "D"))
    with ctx.db.session() as s:
        rows = {d.code: d for d in s.scalars(select(Dossier))}
        for c in (ready, posted):
            rows[c].status = DossierStatus.DONE.value
        rows[delivered].status = DossierStatus.RESULT_RETURNED.value
        s.add(ResultReturn(dossier_id=rows[posted].id, channel=ReturnChannel.POST.value,
                           state=ReturnState.SENT.value, handover_no="BD-261204"))
        s.add(ResultReturn(dossier_id=rows[delivered].id, channel=ReturnChannel.POST.value,
                           state=ReturnState.DELIVERED.value, handover_no="BD-261204"))
    assert [r.code for r in ctx.workspace.find(DossierQuery(returning=Returning.TO_RETURN))] == [ready]
    assert [r.code for r in ctx.workspace.find(DossierQuery(returning=Returning.POST))] == [posted]
    assert len(ctx.workspace.find(DossierQuery())) == 4
