"""``motcua dossier-server``: run the bundled dossier-system server, or dump what it holds."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dossier-server", help="a dossier-system server on loopback (tests, demo)")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--fault-rate", type=float, default=0.0, help="share of requests answered with a fault")
    p.add_argument("--cut-chunks", type=int, default=0,
                   help="drop the connection mid-body for this many upload chunks (resume tests)")
    p.add_argument("--slow", type=float, default=1.5, help="seconds a 'slow' fault waits before answering")
    p.add_argument("--dump", action="store_true", help="print what the server holds as JSON and exit")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    from desktop.dossier_server.server import DossierServer, Store

    if args.dump:
        print(json.dumps(Store(args.data).dump(), ensure_ascii=False, indent=1))
        return 0
    server = DossierServer(args.port, args.data, args.fault_rate, cut_chunks=args.cut_chunks,
                           slow_seconds=args.slow)
    print(msg("Máy chủ hồ sơ tại http://127.0.0.1:{p} (dữ liệu {d}, tỉ lệ lỗi {f})",
              "Dossier server at http://127.0.0.1:{p} (data {d}, fault rate {f})", p=server.server_port, d=args.data,
              f=args.fault_rate), flush=True)
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
