"""The README's first command ends in ``motcua demo``: it must run every step on a fresh data dir."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_headless_demo_runs_every_step(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "demo"], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "Hoàn tất: mọi bước đều thành công." in r.stdout
    assert "✗" not in r.stdout
    dossiers = list((tmp_path / "dossier-system").glob("*/dossier.json"))
    assert len(dossiers) >= 1
    again = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "demo"],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout[-3000:]  # idempotent: a second run reuses what is there


def test_headless_demo_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    import os

    env = {**os.environ, "MOTCUA_DB_URL": pg_url}
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "demo"], capture_output=True,
                       text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "PostgreSQL" in r.stdout and not (tmp_path / "private" / "motcua.db").exists()
