"""The commands that run until stopped stop on SIGINT even when started with SIGINT ignored,
as a shell without job control starts ``motcua dossier-server … &`` (a script, a CI step).

Before, Python kept the inherited SIG_IGN: ``kill -INT`` and Ctrl+C did nothing and the server
could only be killed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.cli import ROOT


def _ignore_sigint() -> None:  # what sh does to a background job when job control is off
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_dossier_server_started_with_sigint_ignored_stops_on_sigint(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOTCUA_LANG": "en"}
    server = subprocess.Popen([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "ws"), "dossier-server",
                               "--port", str(port), "--data", str(tmp_path / "srv")], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_ignore_sigint)
    try:
        assert server.stdout is not None
        assert f"127.0.0.1:{port}" in server.stdout.readline()  # serving
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 130, err
    assert "Stopped on request" in err and "Traceback" not in err
    with socket.socket() as s:  # the port was closed with the server
        assert s.connect_ex(("127.0.0.1", port)) != 0
