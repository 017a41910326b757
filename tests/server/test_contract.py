"""Schemathesis against docs/dossier-system.openapi.yaml and the bundled server: clean.

Every check schemathesis has (server errors, undocumented statuses and content types,
schema-valid requests rejected, invalid ones accepted, missing headers, undeclared methods,
ignored auth), with a bounded number of examples, against a server on loopback only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.outbox.test_http import ROOT, Server

CONTRACT = ROOT / "docs" / "dossier-system.openapi.yaml"
HERE = Path(__file__).resolve().parent


def run_schemathesis(server: Server, out: Path, *, max_examples: int = 25,
                     seed: int | None = 1) -> subprocess.CompletedProcess[str]:
    assert server.url.startswith("http://127.0.0.1:")  # loopback only
    st = Path(sys.executable).with_name("st")
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.server.st_hooks", "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([str(st), "--config-file", str(HERE / "schemathesis.toml"), "run", str(CONTRACT), "--url", server.url, "--checks", "all",
                           "--max-examples", str(max_examples), "--request-timeout", "10", "--workers", "1",
                           *(["--seed", str(seed)] if seed is not None else []), "--no-color",
                           "-H", f"Authorization: Bearer {server.token()}"],
                          cwd=out, env=env, capture_output=True, text=True, timeout=280)


@pytest.mark.slow
def test_schemathesis_finds_nothing(server: Server, tmp_path: Path) -> None:
    r = run_schemathesis(server, tmp_path)
    summary = r.stdout[r.stdout.rfind("SUMMARY"):]
    assert r.returncode == 0, r.stdout[-12000:] + r.stderr[-2000:]
    assert "No issues found" in summary or "passed" in summary, summary
