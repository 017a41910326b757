"""Call-next latency with concurrent counters on a real PostgreSQL, against a raw baseline.

    .venv/bin/python bench/queue_bench.py [--counters 20] [--tickets 2000] [--pause-ms 0] [--rounds 1]

Starts its own PostgreSQL on loopback (tests/pgserver.py). Two measurements in the same
run, same server, same number of concurrent processes:
  * baseline: a bare psycopg transaction doing the same lock-and-update
    (SELECT … FOR UPDATE SKIP LOCKED; UPDATE; INSERT event);
  * motcua: QueueDesk.call_next + end (with the audit record each action writes).
Prints p50/p99 per call and the ratio motcua/baseline. ``--pause-ms 0`` saturates the
server (every counter calls again at once, 20 processes on 2 cores); a pause models
the time a counter spends with each citizen (minutes in reality).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(url: str, counters: int, tickets: int) -> None:
    from desktop.audit import AuditLog
    from desktop.auth import Actor
    from desktop.db import Database
    from desktop.db.models import Role
    from desktop.queue.desk import QueueDesk
    from desktop.queue.models import Counter
    from desktop.queue.seed import seed_queue

    db = Database(url)
    db.migrate()
    with db.session() as s:
        seed_queue(s)
        s.add_all(Counter(number=100 + i, name=f"B{i}", services=["TP"]) for i in range(counters))
    desk = QueueDesk(db, AuditLog())
    kiosk = Actor(username="kiosk", role=Role.SUPERVISOR)
    for _ in range(tickets):
        desk.issue(kiosk, "TP")
    db.dispose()


def _motcua_counter(url: str, number: int, out: mp.Queue, start: mp.Event, pause: float) -> None:  # type: ignore[type-arg]
    from desktop.audit import AuditLog
    from desktop.auth import Actor
    from desktop.db import Database
    from desktop.db.models import Role
    from desktop.queue.desk import QueueDesk

    desk = QueueDesk(Database(url), AuditLog())
    who = Actor(username=f"c{number}", role=Role.COUNTER_OFFICER)
    lat = []
    start.wait()
    while True:
        t0 = time.perf_counter()
        t = desk.call_next(who, number)
        lat.append(time.perf_counter() - t0)
        if t is None:
            break
        time.sleep(pause)
        desk.end(who, number)
    out.put(lat[:-1])


def _raw_counter(dsn: str, number: int, out: mp.Queue, start: mp.Event, pause: float) -> None:  # type: ignore[type-arg]
    import psycopg

    lat = []
    with psycopg.connect(dsn) as conn:
        cid = conn.execute("SELECT id FROM queue_counter WHERE number = %s", (number,)).fetchone()[0]
        conn.commit()
        start.wait()
        while True:
            t0 = time.perf_counter()
            with conn.transaction():
                row = conn.execute("SELECT id FROM queue_ticket WHERE state = 'waiting' ORDER BY issued_at, id "
                                   "LIMIT 1 FOR UPDATE SKIP LOCKED").fetchone()
                if row is not None:
                    conn.execute("UPDATE queue_ticket SET state = 'called', counter_id = %s WHERE id = %s", (cid, row[0]))
                    conn.execute("INSERT INTO queue_ticket_event (ticket_id, kind, at, counter_id, data) "
                                 "VALUES (%s, 'call', now(), %s, '{}')", (row[0], cid))
            lat.append(time.perf_counter() - t0)
            if row is None:
                break
            time.sleep(pause)
            with conn.transaction():
                conn.execute("UPDATE queue_ticket SET state = 'done' WHERE id = %s", (row[0],))
    out.put(lat[:-1])


def _run(target, arg: str, counters: int, pause: float) -> list[float]:  # type: ignore[no-untyped-def]
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    start = ctx.Event()
    procs = [ctx.Process(target=target, args=(arg, 100 + i, out, start, pause)) for i in range(counters)]
    for p in procs:
        p.start()
    time.sleep(3)  # let every process import and connect before the clock starts
    start.set()
    # the first calls of each process connect and fill SQLAlchemy's compile cache: warm-up
    lat = [x for _ in procs for x in out.get(timeout=900)[WARMUP:]]
    for p in procs:
        p.join()
    return lat


WARMUP = 3


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--counters", type=int, default=20)
    ap.add_argument("--tickets", type=int, default=2000)
    ap.add_argument("--pause-ms", type=float, default=0,
                    help="time each counter spends with a citizen between call and end (0: saturate)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="alternate baseline and motcua this many times (the machine's load drifts)")
    args = ap.parse_args()
    from tests.pgserver import PostgresServer

    server = PostgresServer().start()
    raw: list[float] = []
    ours: list[float] = []
    try:
        for r in range(args.rounds):
            raw_url = server.create_database()
            motcua_url = server.create_database()
            _setup(raw_url, args.counters, args.tickets)
            _setup(motcua_url, args.counters, args.tickets)
            dsn = raw_url.replace("postgresql+psycopg://", "postgresql://")
            load = _load()
            a = _run(_raw_counter, dsn, args.counters, args.pause_ms / 1000)
            b = _run(_motcua_counter, motcua_url, args.counters, args.pause_ms / 1000)
            if args.rounds > 1:
                print(f"round {r + 1} (load {load}/{_load()}): baseline p50 {pct(a, 50):.2f} p99 {pct(a, 99):.2f}, "
                      f"motcua p50 {pct(b, 50):.2f} p99 {pct(b, 99):.2f} ms", flush=True)
            raw += a
            ours += b
    finally:
        server.stop()
    print(f"call-next with {args.counters} concurrent counters, {args.tickets} tickets, "
          f"{args.pause_ms:g} ms with each citizen, PostgreSQL on loopback, {args.rounds} round(s)")
    print(f"{'':<10}{'calls':>7}{'p50 ms':>9}{'p99 ms':>9}")
    for name, lat in (("baseline", raw), ("motcua", ours)):
        print(f"{name:<10}{len(lat):>7}{pct(lat, 50):>9.2f}{pct(lat, 99):>9.2f}")
    print(f"ratio motcua/baseline: p50 {pct(ours, 50) / pct(raw, 50):.2f}x, p99 {pct(ours, 99) / pct(raw, 99):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
