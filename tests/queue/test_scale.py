"""Scale: 20 counter processes serve tickets issued concurrently by 2 kiosk processes (PostgreSQL).

2,000 tickets in CI, ``MOTCUA_SCALE_TICKETS=5000`` for the full run (bench/RESULTS.md): what is
proved depends on 20 counters contending for the same rows, not on how long they go on, and the
audit chain that every call writes in turn made 5,000 take 160 s of the suite's 60 minutes.

Checked afterwards from the event log (``queue_ticket_event``) and the times each
process noted when its call returned (the commit is then done):

* every issued ticket was called exactly once and ended exactly once, at one counter
  that serves its service — none served twice, none lost;
* priority order. A call of ticket T at counter C *skipped* ticket U when
  - U is for one of C's services and comes before T in the queue order (priority class,
    then issue time, then id),
  - U's issue had committed before T's call began (its ``call`` event time is taken
    before the claim statement runs, so U was visible to it), and
  - U's own call began only after T's call had committed (so U was neither called nor
    locked by another counter while T's statement ran: SKIP LOCKED could not skip it).
  No call may skip any ticket. Tickets whose claims overlap in time may legitimately
  come out of order (one counter skips the row another is locking); those pairs are
  not counted.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from datetime import UTC

import numpy as np
import pytest
from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.auth import Actor
from desktop.db import Database
from desktop.db.models import Role
from desktop.queue.desk import QueueDesk
from desktop.queue.models import Counter, QueueService, Ticket, TicketEvent
from desktop.queue.priority import PRIORITIES
from desktop.queue.seed import seed_queue

TICKETS = int(os.environ.get("MOTCUA_SCALE_TICKETS", "2000"))
KIOSKS = 2
IDLE_S = 0.25
COUNTERS = [(100 + i, ["TP"]) for i in range(14)] + [(114 + i, ["DD"]) for i in range(4)] + \
           [(118, ["TP", "DD"]), (119, ["DD", "TP"])]


def _priority(i: int) -> str:
    r = (i * 7919) % 100  # a fixed mix: 80 % walk-ins, the rest spread over the priority classes
    return "walk_in" if r < 80 else PRIORITIES[r % 4]


def _kiosk(url: str, k: int, n: int, out: mp.Queue) -> None:
    desk = QueueDesk(Database(url), AuditLog())
    who = Actor(username=f"kiosk{k}", role=Role.SUPERVISOR)
    done = []
    for i in range(n):
        t = desk.issue(who, "TP" if (i + k) % 3 else "DD", _priority(i))
        done.append((t.id, time.time()))
    out.put(("kiosk", done))


def _counter(url: str, number: int, kiosks_done: mp.Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    desk = QueueDesk(Database(url), AuditLog())
    who = Actor(username=f"c{number}", role=Role.COUNTER_OFFICER)
    calls = []
    while True:
        finished = kiosks_done.is_set()  # read before calling: an empty queue after this is final
        t = desk.call_next(who, number)
        if t is None:
            if finished:
                break
            time.sleep(IDLE_S)  # nobody waiting: an officer would look again in a moment
            continue
        calls.append((t.id, time.time()))
        desk.end(who, number)
    out.put(("counter", calls))


@pytest.mark.slow
def test_twenty_counters_serve_every_ticket_once_in_priority_order(pg_url: str) -> None:
    db = Database(pg_url)
    db.migrate()
    with db.session() as s:
        seed_queue(s)
        s.add_all(Counter(number=n, name=f"Quầy {n}", services=svc) for n, svc in COUNTERS)
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    kiosks_done = ctx.Event()
    started = time.monotonic()
    counters = [ctx.Process(target=_counter, args=(pg_url, n, kiosks_done, out)) for n, _ in COUNTERS]
    kiosks = [ctx.Process(target=_kiosk, args=(pg_url, k, TICKETS // KIOSKS, out)) for k in range(KIOSKS)]
    for p in counters + kiosks:
        p.start()
    issued: dict[int, float] = {}
    called: dict[int, float] = {}
    calls_total = 0
    pending_kiosks = KIOSKS
    for _ in range(KIOSKS + len(COUNTERS)):
        role, rows = out.get(timeout=400)
        if role == "kiosk":
            issued.update(rows)
            pending_kiosks -= 1
            if pending_kiosks == 0:
                kiosks_done.set()
        else:
            calls_total += len(rows)
            called.update(rows)
    for p in counters + kiosks:
        p.join(timeout=60)
        assert p.exitcode == 0
    elapsed = time.monotonic() - started

    assert len(issued) == TICKETS
    assert calls_total == TICKETS and set(called) == set(issued), "a ticket was lost or served twice"

    with db.session() as s:
        services = {sid: code for sid, code in s.execute(select(QueueService.id, QueueService.code))}
        counter_services = {cid: set(svc) for cid, svc in s.execute(select(Counter.id, Counter.services))}
        tickets = {t.id: t for t in s.scalars(select(Ticket))}
        events: dict[int, list[TicketEvent]] = {}
        for e in s.scalars(select(TicketEvent).order_by(TicketEvent.id)):
            events.setdefault(e.ticket_id, []).append(e)
        assert not desk_audit_problems(s)
    db.dispose()

    assert len(tickets) == TICKETS and all(t.state == "done" for t in tickets.values())
    call_counter: dict[int, int] = {}
    call_start: dict[int, float] = {}
    for tid, evs in events.items():
        assert [e.kind for e in evs] == ["issue", "call", "end"], f"ticket {tid}: {[e.kind for e in evs]}"
        call, end = evs[1], evs[2]
        assert call.counter_id == end.counter_id == tickets[tid].counter_id
        assert services[tickets[tid].service_id] in counter_services[call.counter_id]
        call_counter[tid] = call.counter_id
        call_start[tid] = call.at.replace(tzinfo=UTC).timestamp()

    # queue order: priority class, issue time, id
    rank = {p: i for i, p in enumerate(PRIORITIES)}
    order = sorted(tickets, key=lambda i: (rank[tickets[i].priority], tickets[i].issued_at, i))
    ids = np.array(order)
    pos = {tid: k for k, tid in enumerate(order)}
    svc = np.array([tickets[i].service_id for i in order])
    issue_done = np.array([issued[i] for i in order])
    u_call_start = np.array([call_start[i] for i in order])
    code_to_id = {code: sid for sid, code in services.items()}
    skipped = []
    for tid in order:
        k = pos[tid]
        allowed = np.isin(svc[:k], [code_to_id[c] for c in counter_services[call_counter[tid]]])
        bad = allowed & (issue_done[:k] < call_start[tid]) & (u_call_start[:k] > called[tid])
        if bad.any():
            skipped.append((tickets[tid].number, [tickets[int(u)].number for u in ids[:k][bad][:3]]))
    assert not skipped, f"{len(skipped)} calls skipped a ticket ahead of them, e.g. {skipped[:5]}"
    # the test is also the queue's throughput check on this machine (2 cores, fsync off)
    print(f"\n{TICKETS} tickets, {len(COUNTERS)} counters, {KIOSKS} kiosks: {elapsed:.1f} s")


def desk_audit_problems(s) -> list[object]:  # type: ignore[no-untyped-def]
    return list(AuditLog().verify(s))
