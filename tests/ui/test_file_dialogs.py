"""The database is safe from its own process (issue 14, item 1).

The mechanism found: a stock Qt file dialog listing the folder of ``motcua.db`` opens and
closes the database files to sniff their type; on POSIX closing any descriptor of a file
drops every lock the process holds on it, so another process checkpoints and deletes the
WAL while this one still writes (rows lost, file eventually malformed). The first tests
reproduce that with the stock dialog and with a bare descriptor; the last shows the confined
dialogs, browsing everywhere the officer can go while kiosk, CLI and application processes
write, open no database file and lose nothing.
"""

from __future__ import annotations

import ctypes
import os
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel
from sqlalchemy import func, select

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Dossier
from tests.cli import signed_in_env
from ui.file_dialogs import ConfinedFileDialog, allowed_roots

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
IN_OPEN = 0x20


class OpenWatch:
    """Counts opens of the database files (inotify), whoever opens them."""

    def __init__(self, db: Path) -> None:
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK)
        assert self.fd >= 0
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            if p.exists():
                assert self.libc.inotify_add_watch(self.fd, str(p).encode(), IN_OPEN) >= 0

    def opens(self) -> int:
        n = 0
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return n
            off = 0
            while off < len(data):
                _wd, _mask, _cookie, length = struct.unpack_from("iIII", data, off)
                off += 16 + length
                n += 1

    def close(self) -> None:
        os.close(self.fd)


def _settle(seconds: float) -> None:
    app = QApplication.instance()
    assert app is not None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


@pytest.fixture
def live(ctx: AppContext) -> Iterator[tuple[AppContext, Path]]:
    ctx.dossiers.receive(Actor.cli(), procedure_code="1.001193", applicant_name="Nguyễn Văn An")
    path = ctx.db.sqlite_path
    assert path is not None and Path(f"{path}-shm").exists()
    yield ctx, path


def test_a_stock_file_dialog_opens_the_database_files(qtbot, live: tuple[AppContext, Path]) -> None:  # type: ignore[no-untyped-def]
    """The mechanism: listing the folder is enough for Qt to open motcua.db and its -shm."""
    ctx, path = live
    watch = OpenWatch(path)
    try:
        dlg = QFileDialog(None, "stock", str(path.parent))
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dlg)
        dlg.show()
        _settle(2.0)
        assert watch.opens() > 0
    finally:
        watch.close()


REPRO = r"""
import os, sqlite3, subprocess, sys, time
db, sniff = sys.argv[1], sys.argv[2] == "1"
if sys.argv[2] == "reader":
    end = time.time() + 3
    while time.time() < end:
        c = sqlite3.connect(db, timeout=30); c.execute("SELECT count(*) FROM t").fetchone(); c.close()
    sys.exit(0)
c = sqlite3.connect(db, timeout=30, isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("CREATE TABLE t(x)")
r = subprocess.Popen([sys.executable, __file__ if False else sys.argv[0], db, "reader"])
gone = 0
for i in range(600):
    c.execute("BEGIN IMMEDIATE"); c.execute("INSERT INTO t VALUES (?)", (i,)); c.execute("COMMIT")
    if sniff:
        os.close(os.open(db, os.O_RDONLY))   # what the file dialog's type sniffing does
    gone += not os.path.exists(db + "-wal")
    time.sleep(0.003)
r.wait()
print(gone, flush=True)
os._exit(0)   # the application dies without closing: what reached the file is what is left
"""


@pytest.mark.parametrize("sniff", [True, False])
def test_closing_a_descriptor_drops_the_locks_and_the_wal_is_deleted_under_the_writer(tmp_path: Path,
                                                                                      sniff: bool) -> None:
    script = tmp_path / "repro.py"
    script.write_text(REPRO)
    db = tmp_path / "x.db"
    r = subprocess.run([sys.executable, str(script), str(db), "1" if sniff else "0"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    wal_gone = int(r.stdout.split()[-1])
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*) FROM t").fetchone()[0]
    if sniff:  # the other process checkpointed and deleted the WAL the writer still used
        assert wal_gone > 0, r.stdout
    else:
        assert wal_gone == 0 and rows == 600


def _walk(dlg: ConfinedFileDialog, roots: list[Path], depth: int, budget: list[int]) -> int:
    """Enter every folder the officer can reach (to ``depth``), letting the model list and type it."""
    seen = 0
    stack = [(r, 0) for r in roots]
    while stack and budget[0] > 0:
        folder, level = stack.pop()
        budget[0] -= 1
        dlg.setDirectory(str(folder))
        _settle(0.05)
        seen += 1
        if level < depth:
            try:
                subdirs = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
            except OSError:
                continue
            stack += [(p, level + 1) for p in subdirs]
    return seen


KIOSK = """
import sys
from desktop.context import AppContext
from desktop.auth import Actor
from desktop.config import load_settings
ctx = AppContext(load_settings(sys.argv[1]))
n = 0
for _ in range(int(sys.argv[2])):
    ctx.queue.issue(Actor.cli(), "TP")
    n += 1
print(n, flush=True)
ctx.close()
"""


def test_confined_dialogs_browse_everywhere_while_processes_write_and_nothing_is_lost(
        qtbot, live: tuple[AppContext, Path]) -> None:  # type: ignore[no-untyped-def]
    ctx, path = live
    settings = ctx.settings
    data = settings.data_dir
    # scans, receipts and exports where the officer keeps them, beside the private folder
    for d in settings.user_dirs():
        d.mkdir(parents=True, exist_ok=True)
        (d / "scan.pdf").write_bytes(b"%PDF-1.4\n")
        (d / "nested").mkdir(exist_ok=True)
    env = signed_in_env({**os.environ, "PYTHONPATH": str(ROOT)})
    kiosk = subprocess.Popen([sys.executable, "-c", KIOSK, str(data), "60"], env=env, stdout=subprocess.PIPE,
                             text=True)
    cli_done = [0]

    def cli() -> None:  # the CLI: one short-lived process per dossier
        for i in range(6):
            r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(data), "dossier", "submit",
                                "--procedure", "1.001193", "--owner", f"Phạm Văn {i}"], env=env,
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, r.stderr
            cli_done[0] += 1

    app_done = [0]
    stop = threading.Event()

    def application() -> None:  # the application's own writes, on a worker thread as in the GUI
        while not stop.is_set():
            ctx.dossiers.receive(Actor.cli(), procedure_code="1.001193", applicant_name="Hoàng Thị Lan")
            app_done[0] += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=cli), threading.Thread(target=application)]
    for t in threads:
        t.start()
    watch = OpenWatch(path)
    try:
        dlg = ConfinedFileDialog(None, "confined", settings)
        qtbot.addWidget(dlg)
        dlg.show()
        roots = allowed_roots(settings)
        assert path.parent not in roots and data.resolve() not in roots
        budget = [400]
        entered = 0
        # everywhere the officer can go, the data folder itself included (it holds "private")
        while kiosk.poll() is None or threads[0].is_alive():
            entered += _walk(dlg, [*roots, data], depth=3, budget=budget) if budget[0] > 0 else 0
            # and straight at the database: typed paths are sent back to the officer's folders
            for target in (path.parent, path.parent / "backups", path):
                dlg.setDirectory(str(target))
                _settle(0.05)
                assert Path(dlg.directory().absolutePath()).resolve() != path.parent.resolve()
            if budget[0] <= 0:
                _settle(0.2)
        assert entered > 10
        # in the data folder, the private folder is not even listed
        dlg.setDirectory(str(data))
        _settle(0.5)
        source = dlg.findChild(QFileSystemModel)
        proxy = dlg.proxyModel()
        parent = proxy.mapFromSource(source.index(str(data)))
        names = {proxy.index(r, 0, parent).data() for r in range(proxy.rowCount(parent))}
        assert "files" in names and "private" not in names, names
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=180)
        opened_by_anyone = watch.opens()
        watch.close()
    assert kiosk.wait(timeout=60) == 0
    issued = int(kiosk.stdout.read().split()[-1]) if kiosk.stdout else 0
    assert issued == 60 and cli_done[0] == 6
    # the only opens of the database files are SQLite's own, by the processes that connected:
    # the kiosk and each CLI run open the file, -wal and -shm once (plus reconnects); the
    # dialog opened none (a stock dialog opens them at every listing)
    assert opened_by_anyone <= (1 + 6) * 3 * 2, opened_by_anyone
    with ctx.db.session() as s:
        dossiers = s.scalar(select(func.count()).select_from(Dossier))
        from desktop.queue.models import Ticket

        tickets = s.scalar(select(func.count()).select_from(Ticket))
    assert dossiers == 1 + app_done[0] + 6
    assert tickets == 60
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert ctx.audit.verify(ctx.db.Session()) == []


def test_every_file_dialog_of_the_application_is_confined() -> None:
    """The stock dialogs (QFileDialog's static functions) list the private directory and open
    the database's files: only ui/file_dialogs.py may build a dialog, the others call it."""
    import ast

    root = Path(__file__).resolve().parents[2] / "ui"
    stock = {"getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory",
             "getOpenFileUrl", "getOpenFileUrls", "getSaveFileUrl", "getExistingDirectoryUrl"}
    found = []
    for path in root.rglob("*.py"):
        if path.name == "file_dialogs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in stock:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.attr}")
            if isinstance(node, ast.Name) and node.id == "QFileDialog":
                found.append(f"{path.relative_to(root.parent)}:{node.lineno} QFileDialog")
    assert found == []

