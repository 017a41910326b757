"""Nothing the application writes is readable by another OS account.

Before, the demo's flow left the data directory 0755 with 0644 scans, folder-adapter
copies of the dossiers (names, CCCD numbers), the log and the demo token's files.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.demo import DEMO_MARKER
from desktop.outbox.adapters.folder import FolderAdapter
from desktop.reports.export import Table, write_csv
from tests.cli import motcua

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
NO_SETUP = {k: v for k, v in os.environ.items() if k != "MOTCUA_ADMIN_PASSWORD"}


def _open_to_others(root: Path) -> list[str]:
    found = []
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue
        if stat.S_IMODE(mode) & 0o077:
            found.append(f"{stat.S_IMODE(mode):o} {path.relative_to(root)}")
    return found


def test_a_demo_flow_leaves_nothing_group_or_other_readable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(data), "demo"], capture_output=True,
                       text=True, timeout=300, env=NO_SETUP, preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    password = json.loads((data / DEMO_MARKER).read_text(encoding="utf-8"))["admin_password"]
    # an export of the late list (applicants' names) lands in the data directory too
    r = motcua(data, "report", "late", "--csv", str(data / "exports" / "late.csv"), password=password,
               env={**NO_SETUP, "MOTCUA_ADMIN_PASSWORD": password})
    assert r.returncode == 0, r.stderr
    assert (data / "exports" / "late.csv").is_file()
    assert list(data.glob("dossier-system/*/dossier.json")) and list(data.glob("files/dossiers/*/*.pdf"))
    assert list(data.glob("receipts/*.pdf"))
    assert _open_to_others(data) == []


def test_folder_adapter_and_exports_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        FolderAdapter(tmp_path / "system").send_dossier("k1", {"code": "X-1", "owner": {"name": "Lê Văn Tám"}})
        write_csv(Table("t", "t", ["a"], [["Lê Văn Tám"]]), tmp_path / "late.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "late.csv").stat().st_mode) == 0o600
    assert _open_to_others(tmp_path / "system") == []
