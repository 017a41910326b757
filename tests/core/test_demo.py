"""The README's first command ends in ``motcua demo``: it must run every step on a fresh data dir.

No sign-in and no MOTCUA_ADMIN_PASSWORD: the demo signs itself in on a brand-new data
directory, with a password it chose (so the public default does not stay usable).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli import motcua

NO_SETUP = {k: v for k, v in os.environ.items() if k != "MOTCUA_ADMIN_PASSWORD"}


def test_headless_demo_runs_every_step(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "demo"], capture_output=True,
                       text=True, timeout=300, env=NO_SETUP)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "Hoàn tất: mọi bước đều thành công." in r.stdout
    assert "✗" not in r.stdout
    dossiers = list((tmp_path / "dossier-system").glob("*/dossier.json"))
    assert len(dossiers) >= 1
    again = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "demo"],
                           capture_output=True, text=True, timeout=300, env=NO_SETUP)
    assert again.returncode == 0, again.stdout[-3000:]  # idempotent: a second run reuses what is there
    r = motcua(tmp_path, "officer", "list", user="admin", password="motcua-admin", env=NO_SETUP)
    assert r.returncode == 2 and "Sai" in r.stderr  # the built-in default password no longer opens it


def test_demo_refuses_a_workstation_with_real_data(tmp_path: Path) -> None:
    assert motcua(tmp_path, "officer", "add", "lan", "--name", "Trần Thị Lan", "--role", "counter_officer",
                  env={**os.environ, "MOTCUA_NEW_PASSWORD": "Quầy-số-một-buổi-sáng"}).returncode == 0
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "demo"], capture_output=True,
                       text=True, timeout=300, env=NO_SETUP)
    assert r.returncode == 2 and "dữ liệu thật" in r.stderr and "Hoàn tất" not in r.stdout


def test_headless_demo_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    env = {**NO_SETUP, "MOTCUA_DB_URL": pg_url}
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "demo"], capture_output=True,
                       text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "PostgreSQL" in r.stdout and not (tmp_path / "private" / "motcua.db").exists()
