"""A year of a provincial one-stop centre, generated in bulk for the report benchmarks and screenshots.

    .venv/bin/python bench/analytics_gen.py --db-url URL [--scale 1.0] [--year 2025] [--no-summarize]

Scale 1.0: about 500,000 dossiers and 1.5 million tickets with their events (issue, call,
start, end; skips, recalls and transfers), 40 counters with a session per working day
(open, lunch pause, close), 60 officers in 12 units, 50 procedures, components,
digitized files and results, satisfaction ratings. Daily and hourly peaks: Mondays and
the days after a holiday are busier, mornings peak at 08–10 and afternoons at 14–15.

Rows are drawn with numpy and written with COPY on PostgreSQL (executemany on SQLite),
with explicit ids, after ``migrate`` has made the schema. Not the application's code
path (that is tested elsewhere): the point is the reports' SQL on realistic volume.
Then, as an import should, it summarizes every dossier in one statement
(``desktop.reports.dossiers.summarize_all``) unless ``--no-summarize``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOUR_WEIGHTS = {7: 6, 8: 14, 9: 15, 10: 12, 11: 5, 13: 6, 14: 13, 15: 12, 16: 7}
WEEKDAY_WEIGHTS = [1.3, 1.05, 1.0, 0.95, 0.9, 0.8, 0.8]  # a swapped working Saturday is quiet
SERVICES = ("TP", "DD", "KD", "LD", "KQ")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Gia", "Xuân", "Hoài", "Kim")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Đào", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nhung", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thắng",
         "Trang", "Trung", "Tuấn", "Uyên", "Vân", "Việt", "Yến")


def working_days(year: int) -> list[date]:
    from desktop.workdays import WorkCalendar, seed_rows

    cal = WorkCalendar({r.day: r.kind for r in seed_rows()})
    d, out = date(year, 1, 1), []
    while d.year == year:
        if cal.is_working_day(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def _naive_utc(local_day: date, minutes: np.ndarray) -> list[datetime]:
    """Vietnam local day + minutes after midnight → naive UTC datetimes."""
    base = datetime(local_day.year, local_day.month, local_day.day) - timedelta(hours=7)
    return [base + timedelta(seconds=float(m) * 60) for m in minutes]


class Writer:
    """COPY on PostgreSQL, executemany on SQLite; rows are tuples in column order."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.pg = self.url.get_backend_name() == "postgresql"
        if self.pg:
            import psycopg

            u = self.url
            self.conn: Any = psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username,
                                             dbname=u.database)
        else:
            import sqlite3

            self.conn = sqlite3.connect(str(self.url.database))
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute("PRAGMA journal_mode=WAL")

    def write(self, table: str, cols: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        n = 0
        if self.pg:
            with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)
                    n += 1
        else:
            batch: list[Sequence[Any]] = []
            q = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for r in rows:
                batch.append(tuple(x.isoformat(" ") if isinstance(x, datetime) else x for x in r))
                if len(batch) >= 20000:
                    self.conn.executemany(q, batch)
                    n += len(batch)
                    batch = []
            self.conn.executemany(q, batch)
            n += len(batch)
        self.conn.commit()
        return n

    def execute(self, sql: str) -> None:
        self.conn.execute(sql)
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def generate(url: str, *, scale: float = 1.0, year: int = 2025, seed: int = 7, counters: int = 40,
             officers: int = 60, until: date | None = None, summarize: bool = True,
             log: Any = print) -> dict[str, int]:
    from desktop.db import Database
    from desktop.kernel.text import dossier_search_key

    t0 = time.perf_counter()
    db = Database(url)
    db.migrate()
    db.dispose()
    rng = np.random.default_rng(seed)
    w = Writer(url)
    days = [d for d in working_days(year) if until is None or d <= until]
    tickets_per_day = 1_500_000 / 250 * scale
    dossiers_per_day = 500_000 / 250 * scale
    counts: dict[str, int] = {}
    now = datetime(year + 1, 1, 5, 2, 0) if until is None else datetime.combine(until, datetime.min.time())

    # --- reference data -------------------------------------------------------------------
    counts["org_unit"] = w.write("org_unit", ["id", "code", "name", "level", "parent_id", "address"],
                                 [(1, "000.00.00.H56", "Trung tâm Phục vụ hành chính công", "province", None, "")]
                                 + [(i + 2, f"000.00.{i + 10:02d}.H56", f"Sở {i + 1}", "province", 1, "")
                                    for i in range(12)])
    counts["officer"] = w.write("officer", ["id", "username", "full_name", "position", "role", "unit_id",
                                            "password_hash", "active", "created_at"],
                                [(i + 1, f"cb{i + 1:02d}", f"Cán bộ {i + 1:02d}", "", "counter_officer",
                                  2 + i % 12, "", True, now) for i in range(officers)])
    w.write("queue_service", ["id", "code", "name", "prefix", "active"],
            [(i + 1, c, c, "ABCDE"[i], True) for i, c in enumerate(SERVICES)])
    w.write("queue_counter", ["id", "number", "name", "services", "active"],
            [(i + 1, i + 1, f"Quầy {i + 1}", f'["{SERVICES[i % 5]}"]', True) for i in range(counters)])
    w.write("procedure", ["id", "code", "name", "search_key", "field", "level", "days", "fees", "result", "active"],
            [(i + 1, f"1.{i + 1:06d}", f"Thủ tục {i + 1}", f"thu tuc {i + 1}", "", "", float([1, 3, 5, 7, 10, 15][i % 6]),
              "[]", "", True) for i in range(50)])
    w.write("procedure_component", ["id", "procedure_id", "position", "code", "name", "required", "must_digitize",
                                    "copy_kind", "quantity"],
            [(p * 3 + k + 1, p + 1, k, f"TP{k + 1}", f"Thành phần {k + 1}", True, k < 2, "original", 1)
             for p in range(50) for k in range(3)])

    # --- queue ------------------------------------------------------------------------------
    hours = np.array(list(HOUR_WEIGHTS))
    hw = np.array(list(HOUR_WEIGHTS.values()), dtype=float)
    hw /= hw.sum()
    tickets: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    sessions: list[tuple[Any, ...]] = []
    sevents: list[tuple[Any, ...]] = []
    ratings: list[tuple[Any, ...]] = []
    tid = eid = sid = seid = 0
    for day in days:
        n = int(rng.poisson(tickets_per_day * WEEKDAY_WEIGHTS[day.weekday()] / 1.04))
        hour = rng.choice(hours, size=n, p=hw)
        issue_m = np.sort(hour * 60 + rng.uniform(0, 60, n))
        # waits grow with the hour's load; service ~ lognormal around 12 minutes
        load = np.interp(hour, hours, hw / hw.max())
        wait_m = rng.gamma(2.0, 2.0 + 6.0 * load)
        serv_m = rng.lognormal(np.log(11), 0.55, n)
        kind = rng.random(n)  # < .05 no-show; < .08 transferred; < .40 started
        svc = rng.integers(0, 5, n)
        counter = svc + 5 * rng.integers(0, counters // 5, n)
        officer = (counter + day.toordinal()) % officers  # a counter's officer changes by day
        key = day.strftime("%Y%m%d")
        issued = _naive_utc(day, issue_m)
        called = _naive_utc(day, issue_m + wait_m)
        for i in range(n):
            tid += 1
            c, o = int(counter[i]) + 1, int(officer[i]) + 1
            k = kind[i]
            state = "no_show" if k < 0.05 else "done"
            tickets.append((tid, f"{'ABCDE'[svc[i]]}{i + 1:04d}", key, int(svc[i]) + 1, "walk_in", issued[i], state,
                            c, ""))
            eid += 1
            events.append((eid, tid, "issue", issued[i], None, None, "{}"))
            eid += 1
            events.append((eid, tid, "call", called[i], c, o, "{}"))
            end = called[i] + timedelta(minutes=float(serv_m[i]))
            if k < 0.05:
                eid += 1
                events.append((eid, tid, "skip", called[i] + timedelta(minutes=1), c, o, "{}"))
                continue
            if k < 0.08:  # transferred: a short first visit, then a second wait
                eid += 1
                t1 = called[i] + timedelta(minutes=2)
                events.append((eid, tid, "transfer", t1, c, o, "{}"))
                eid += 1
                called2 = t1 + timedelta(minutes=float(wait_m[i]) / 2)
                events.append((eid, tid, "call", called2, c, o, "{}"))
                end = called2 + timedelta(minutes=float(serv_m[i]))
            elif k < 0.40:
                eid += 1
                events.append((eid, tid, "start", called[i] + timedelta(seconds=40), c, o, "{}"))
            eid += 1
            events.append((eid, tid, "end", end, c, o, "{}"))
            if k > 0.75:  # a quarter of the citizens rate the visit
                level = "very_satisfied" if k > 0.9 else "satisfied" if k > 0.77 else "not_satisfied"
                ratings.append((len(ratings) + 1, tid, level, "", end + timedelta(seconds=20), c, o, ""))
        for c in range(counters):
            sid += 1
            o = (c + day.toordinal()) % officers + 1
            opened, closed = _naive_utc(day, np.array([7 * 60 - 5, 17 * 60 + 5]))
            sessions.append((sid, c + 1, o, opened, closed, "closed"))
            for kind_, minute in (("open", 7 * 60 - 5), ("pause", 11 * 60 + 35), ("resume", 13 * 60 + 25),
                                  ("close", 17 * 60 + 5)):
                seid += 1
                sevents.append((seid, sid, kind_, _naive_utc(day, np.array([minute]))[0], o, ""))
    counts["queue_ticket"] = w.write("queue_ticket", ["id", "number", "day", "service_id", "priority", "issued_at",
                                                      "state", "counter_id", "dossier_code"], tickets)
    del tickets
    counts["queue_ticket_event"] = w.write("queue_ticket_event", ["id", "ticket_id", "kind", "at", "counter_id",
                                                                  "officer_id", "data"], events)
    del events
    w.write("queue_counter_session", ["id", "counter_id", "officer_id", "started_at", "ended_at", "state"], sessions)
    w.write("queue_counter_session_event", ["id", "session_id", "kind", "at", "officer_id", "reason"], sevents)
    counts["satisfaction_rating"] = w.write("satisfaction_rating", ["id", "ticket_id", "level", "reason", "at",
                                                                    "counter_id", "officer_id", "dossier_code"], ratings)
    log(f"queue rows written in {time.perf_counter() - t0:.0f} s")

    # --- dossiers ---------------------------------------------------------------------------
    dossiers: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []
    comps: list[tuple[Any, ...]] = []
    files: list[tuple[Any, ...]] = []
    did = chid = cid = fid = 0
    for day in days:
        n = int(rng.poisson(dossiers_per_day * WEEKDAY_WEIGHTS[day.weekday()] / 1.04))
        recv_m = np.sort(rng.choice(hours, size=n, p=hw) * 60 + rng.uniform(0, 60, n))
        received = _naive_utc(day, recv_m)
        proc = rng.integers(0, 50, n)
        officer = rng.integers(0, officers, n)
        frac = rng.uniform(0.2, 1.12, n)  # share of the legal time used; > 1 is late
        r = rng.random((n, 4))
        for i in range(n):
            did += 1
            pdays = [1, 3, 5, 7, 10, 15][proc[i] % 6]
            due = received[i] + timedelta(days=pdays * 1.4)
            closed = received[i] + (due - received[i]) * float(frac[i])
            status = 2
            chid += 1
            changes.append((chid, did, 2, received[i], int(officer[i]) + 1, ""))
            if closed < now and r[i, 0] < 0.93:
                status = 10 if r[i, 1] < 0.7 else 9
                chid += 1
                changes.append((chid, did, 9, closed, int(officer[i]) + 1, ""))
                if status == 10:
                    chid += 1
                    changes.append((chid, did, 10, closed + timedelta(hours=20), int(officer[i]) + 1, ""))
            o = int(officer[i])
            code = f"000.00.{o % 12 + 10:02d}.H56-{day:%y%m%d}-{did % 10000:04d}-{did}"
            name = (f"{FAMILY[did % len(FAMILY)]} {MIDDLE[(did // 7) % len(MIDDLE)]} "
                    f"{GIVEN[(did * 31 // 3) % len(GIVEN)]}")
            id_number = f"0{(did * 7919) % 10**11:011d}"
            dossiers.append((did, code,
                             o % 12 + 2, int(proc[i]) + 1, name, id_number, "", "", "",
                             2 if r[i, 2] < 0.3 else 1, status, received[i], due, o + 1, "", 1, "", received[i],
                             received[i], dossier_search_key(code, name, id_number)))
            for k in range(3):
                cid += 1
                comps.append((cid, did, int(proc[i]) * 3 + k + 1, f"TP{k + 1}", f"Thành phần {k + 1}", "original", 1,
                              True))
                if r[i, 3] < 0.94 or k == 2:
                    fid += 1
                    files.append((fid, did, cid, "component", "/x.pdf", "x.pdf", f"{fid:064x}", 1, 1, "",
                                  "unsigned", None, bool(r[i, 3] < 0.5), received[i]))
            if status in (9, 10) and r[i, 1] < 0.9:
                fid += 1
                files.append((fid, did, None, "result", "/kq.pdf", "kq.pdf", f"{fid:064x}", 1, 1, "",
                              "signed" if r[i, 2] < 0.8 else "unsigned", None, True, closed))
    counts["dossier"] = w.write("dossier", ["id", "code", "unit_id", "procedure_id", "applicant_name",
                                            "applicant_id_number", "applicant_address", "applicant_phone",
                                            "applicant_email", "channel", "status", "received_at", "due_at",
                                            "officer_id", "ticket_number", "sets", "note", "created_at",
                                            "updated_at", "search_key"], dossiers)
    del dossiers
    counts["dossier_status_change"] = w.write("dossier_status_change", ["id", "dossier_id", "status", "at",
                                                                        "officer_id", "note"], changes)
    counts["dossier_component"] = w.write("dossier_component", ["id", "dossier_id", "procedure_component_id", "code",
                                                                "name", "copy_kind", "quantity", "received"], comps)
    counts["digitized_file"] = w.write("digitized_file", ["id", "dossier_id", "component_id", "kind", "path",
                                                          "filename", "sha256", "size", "pages", "ocr_text",
                                                          "signature_state", "signed_at", "reusable", "created_at"],
                                       files)
    if summarize:  # the bulk load's summary step, so the first report does not recompute every dossier
        from desktop.reports.dossiers import summarize_all

        t1 = time.perf_counter()
        db = Database(url)
        with db.session() as s:
            n = summarize_all(s)
        db.dispose()
        log(f"dossier summary (report_dossier) of {n} dossiers in {time.perf_counter() - t1:.0f} s")
    if w.pg:  # the sequences behind the explicit ids, and fresh statistics for the planner
        for table in ("org_unit", "officer", "queue_service", "queue_counter", "procedure", "procedure_component",
                      "queue_ticket", "queue_ticket_event", "queue_counter_session", "queue_counter_session_event",
                      "satisfaction_rating", "dossier", "dossier_status_change", "dossier_component",
                      "digitized_file"):
            w.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")
        w.conn.autocommit = True
        w.conn.execute("VACUUM ANALYZE")
    else:
        w.execute("ANALYZE")
    w.close()
    log(f"generated in {time.perf_counter() - t0:.0f} s: {counts}")
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db-url", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--no-summarize", action="store_true",
                    help="leave the per-dossier summary to the first report (as before)")
    args = ap.parse_args()
    generate(args.db_url, scale=args.scale, year=args.year, summarize=not args.no_summarize)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


