"""``motcua dossier-server``: run the bundled dossier-system server, or dump what it holds."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.dossier_server.faults import NationalFault
from desktop.kernel.errors import MotcuaError
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:  # also NaN
        raise argparse.ArgumentTypeError(f"a share of requests from 0 to 1, not {text!r}")
    return value


def _whole(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 39:
        raise argparse.ArgumentTypeError(f"a whole number (0 or more), not {text!r}")
    return int(text)


def _day(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date YYYY-MM-DD, not {text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dossier-server", help="a dossier-system server on loopback (tests, demo)",
                       description="The bundled dossier-system server, on 127.0.0.1 only. With --fault-rate it "
                                   "misbehaves on that share of the write requests (HTTP 500, 503, an expired "
                                   "token, a slow answer, a connection cut), drawn at random; add --fault-schedule "
                                   "SEED to decide them instead from (SEED, request key, attempt), so that the same "
                                   "seed gives the same faults to the same Idempotency-Keys whatever the timing, "
                                   "and no key fails more than --max-faults-in-row times in a row.")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--fault-rate", type=_rate, default=0.0, metavar="R",
                   help="share of write requests answered with a fault, 0 to 1 (default 0)")
    p.add_argument("--fault-schedule", type=_whole, default=None, metavar="SEED",
                   help="deterministic faults: the n-th request under a key (its Idempotency-Key, or a chunk's "
                        "upload session) gets the fault a hash of (SEED, key, n) names; the decisions are kept and "
                        "shown by --dump (default: random faults)")
    p.add_argument("--max-faults-in-row", type=_whole, default=None, metavar="N",
                   help="with --fault-schedule: no key fails more than N times in a row (default 2); the share of "
                        "faults stays --fault-rate")
    p.add_argument("--cut-chunks", type=_whole, default=0,
                   help="drop the connection mid-body for this many upload chunks (resume tests)")
    p.add_argument("--slow", type=float, default=1.5, help="seconds a 'slow' fault waits before answering")
    p.add_argument("--national-fault", choices=[f.value for f in NationalFault], default=None, metavar="KIND",
                   help="every request to the national store's routes meets this fault: 500, 503, slow (answers "
                        "after --slow seconds), malformed (a body that is not JSON), 401 (the token refused), 403 "
                        "(the workstation may not look up), oversized (an answer of several MiB)")
    p.add_argument("--dump", action="store_true", help="print what the server holds as JSON and exit")
    d = p.add_argument_group("what a stored document's paper says (with --describe SHA256: recorded, then exit)")
    d.add_argument("--describe", metavar="SHA256", help="the stored file (its SHA-256, the national listing's id)")
    d.add_argument("--number", help="the paper's number")
    d.add_argument("--issuer", help="the body that issued it")
    d.add_argument("--issued-on", type=_day, metavar="YYYY-MM-DD")
    d.add_argument("--valid-until", type=_day, metavar="YYYY-MM-DD", help="the last day it is valid")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.dossier_server.faults import Schedule, check_options
    from desktop.dossier_server.server import DossierServer, Store

    if args.dump:
        print(json.dumps(Store(args.data).dump(), ensure_ascii=False, indent=1))
        return 0
    from desktop.cli._interrupt import stop_on_interrupt

    # before the address is printed (a script waits for that line, then may stop it at once): started in
    # the background by a script, the server still stops on kill -INT
    stop_on_interrupt()
    if args.describe:
        from desktop.dossier_server.validation import SHA256

        if not SHA256.fullmatch(args.describe):
            raise MotcuaError(msg("--describe cần SHA-256 của tệp (64 chữ số hex thường).",
                                  "--describe needs the file's SHA-256 (64 lower-case hex digits)."))
        store = Store(args.data)  # beside a running server too: SQLite in WAL mode
        try:
            store.describe(args.describe, number=args.number, issuer=args.issuer, issued_on=args.issued_on,
                           valid_until=args.valid_until)
        finally:
            store.close()
        return 0
    schedule = None
    rate = args.fault_rate
    try:  # the options' own checks (ValueError) become the CLI's error message
        if args.fault_schedule is not None:
            cap = 2 if args.max_faults_in_row is None else args.max_faults_in_row
            schedule, rate = Schedule(args.fault_schedule, args.fault_rate, cap), 0.0
        elif args.max_faults_in_row is not None:
            raise ValueError("--max-faults-in-row goes with --fault-schedule (random faults have no cap)")
        check_options(rate, schedule, args.slow)
    except ValueError as exc:
        raise MotcuaError(str(exc)) from None
    server = DossierServer(args.port, args.data, rate, cut_chunks=args.cut_chunks, slow_seconds=args.slow,
                           fault_schedule=schedule,
                           national_fault=NationalFault(args.national_fault) if args.national_fault else None)
    print(msg("Máy chủ hồ sơ tại http://127.0.0.1:{p} (dữ liệu {d}, tỉ lệ lỗi {f})",
              "Dossier server at http://127.0.0.1:{p} (data {d}, fault rate {f})", p=server.server_port, d=args.data,
              f=args.fault_rate), flush=True)
    if schedule is not None:
        print(msg("Lỗi theo lịch cố định: hạt giống {s}, không khóa nào lỗi quá {n} lần liên tiếp",
                  "Scheduled faults: seed {s}, no key fails more than {n} times in a row",
                  s=schedule.seed, n=schedule.max_in_row), flush=True)
    if server.new_credentials:  # shown this once; afterwards only the file has it
        print(msg("Khóa bí mật của máy trạm (chỉ hiện lần này): {s}\nĐã lưu tại {f}; cho máy trạm biết qua "
                  "MOTCUA_DOSSIER_CLIENT_SECRET hoặc dossier_system.client_secret_file.",
                  "Client secret (shown this once): {s}\nKept in {f}; give it to the workstation with "
                  "MOTCUA_DOSSIER_CLIENT_SECRET or dossier_system.client_secret_file.",
                  s=server.credentials.client_secret, f=server.credentials_file), flush=True)
    else:
        print(msg("Khóa bí mật của máy trạm: trong {f}", "Client secret: in {f}", f=server.credentials_file),
              flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
