"""Shared fixtures: a temporary workstation (settings + AppContext), a real PostgreSQL.

Qt runs offscreen; a Qt warning fails the test (pyproject: qt_log_level_fail), and a
test that leaves worker threads running fails too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# Tests must never touch the real user's data directory, settings or sign-in sessions.
for _var in ("MOTCUA_DB_URL", "MOTCUA_DOSSIER_URL", "MOTCUA_DATA_DIR", "MOTCUA_LANG", "MOTCUA_USER",
             "MOTCUA_PASSWORD", "MOTCUA_NEW_PASSWORD", "MOTCUA_USER_CONFIG",
             "MOTCUA_UNIT_CODE", "MOTCUA_COUNTER", "MOTCUA_PKCS11_MODULE"):
    os.environ.pop(_var, None)
# ... nor the user's keyring: audit keys fall back to a file in the test's data directory
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="motcua-test-state-")
# SANE sees only its `test` backend (the scanner these tests drive): with every backend of
# /etc/sane.d/dll.conf loaded, a sane_get_devices after the feeder tests' image work aborted the
# whole test process from inside a backend, which no Python code can catch (noted on issue 13).
# Listing now runs in a child process (scanning/sources/sane_probe.py); backends shown to crash
# a process: pixma, epson2, dell1600n_net past 1024 descriptors, many with two threads in SANE.
_sane_dir = tempfile.mkdtemp(prefix="motcua-test-sane-")
Path(_sane_dir, "dll.conf").write_text("test\n", encoding="ascii")
if Path("/etc/sane.d/test.conf").is_file():
    Path(_sane_dir, "test.conf").write_bytes(Path("/etc/sane.d/test.conf").read_bytes())
os.environ["SANE_CONFIG_DIR"] = _sane_dir
# ... and the printers are the session's own CUPS scheduler's (tests/cups.py), never the machine's:
# the CUPS library keeps the first server it is given for the whole process, so the path is fixed
# here, before Qt or lpstat asks; with no scheduler started there, no printer is installed
os.environ["CUPS_SERVER"] = os.path.join(tempfile.mkdtemp(prefix="motcua-test-cups-"), "cups.sock")
# Every workstation a test seeds gets an administrator password the tests know (tests/cli.py).
from tests.cli import ADMIN_PASSWORD  # noqa: E402

os.environ["MOTCUA_ADMIN_PASSWORD"] = ADMIN_PASSWORD
# nor the machine's settings file (/etc/motcua/motcua.toml): tests that want one make their own
os.environ["MOTCUA_SYSTEM_CONFIG"] = os.path.join(os.sep, "nonexistent", "motcua", "motcua.toml")

from desktop.config import Settings, load_settings  # noqa: E402
from desktop.context import AppContext  # noqa: E402
from desktop.kernel.i18n import set_language  # noqa: E402
from desktop.outbox.adapters.base import Adapter  # noqa: E402
from tests.cups import CupsServer  # noqa: E402
from tests.pgserver import PostgresServer  # noqa: E402
from tests.signing.pcsc import reserve_vpcd_ports  # noqa: E402

_undo_port_reservation: list[Callable[[], None]] = []


def pytest_configure(config: pytest.Config) -> None:
    # before any test opens a socket: a client socket given vpcd's port keeps pcscd's virtual
    # readers away for the whole session (tests/signing/pcsc.py)
    undo = reserve_vpcd_ports()
    if undo is not None:
        _undo_port_reservation.append(undo)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _undo_port_reservation:
        undo = _undo_port_reservation.pop()
        undo()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    set_language(None)
    yield
    set_language(None)


@pytest.fixture(scope="session")
def _seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workstation database migrated and seeded once per session (see ``data_dir``)."""
    from desktop.db.storage import open_database

    d = tmp_path_factory.mktemp("seeded") / "data"
    d.mkdir()
    settings = load_settings(d)
    db = open_database(settings)
    path = db.sqlite_path
    db.dispose()  # the last connection closing checkpoints the WAL: one self-contained file
    assert path is not None and path.is_file() and not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def data_dir(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A test's workstation data directory, holding a copy of the session's seeded database.

    Running the 19 migrations and hashing the administrator's password for every test took
    1-5 s each (~400 tests): the copy is what a workstation has after its first start (the
    disappearance marker is not copied, so the test's first open records its own). Tests of
    the first start itself use ``tmp_path`` or ``@pytest.mark.fresh_data_dir``.
    """
    d = tmp_path / "data"
    d.mkdir()
    if request.node.get_closest_marker("fresh_data_dir") is None:
        seeded: Path = request.getfixturevalue("_seeded_database")
        private = d / "private"
        private.mkdir(mode=0o700)
        shutil.copyfile(seeded, private / seeded.name)
        (private / seeded.name).chmod(0o600)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(d))
    return d


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return load_settings(data_dir)


@pytest.fixture
def ctx(settings: Settings) -> Iterator[AppContext]:
    c = AppContext(settings)
    yield c
    c.close()


@pytest.fixture
def make_ctx(settings: Settings) -> Iterator[Callable[..., AppContext]]:
    """``make_ctx(adapter_factory)``: the application on the test's settings, its outbox sending
    to the dossier system the factory makes (the public seam; tests never reach into the outbox)."""
    made: list[AppContext] = []

    def make(adapter_factory: Callable[[], Adapter] | None = None) -> AppContext:
        made.append(AppContext(settings, adapter_factory=adapter_factory))
        return made[-1]

    yield make
    for c in reversed(made):
        c.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    return pg_server.create_database()


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    server = CupsServer(Path(os.environ["CUPS_SERVER"])).start()
    yield server
    server.stop()


@pytest.fixture
def printer_queue(cups_server: CupsServer) -> Iterator[tuple[str, Path]]:
    """A printer installed for this test only: its name and the file its jobs print into."""
    name = "motcua-test-printer"
    out = cups_server.add_queue(name)
    yield name, out
    cups_server.remove_queue(name)  # the next tests see no printer, as before


@pytest.fixture
def default_printer(cups_server: CupsServer) -> Iterator[tuple[str, Path]]:
    """Another printer, the system's default (the office's A4 one): a job meant for the
    configured printer must not end up here."""
    name = "office-a4"
    out = cups_server.add_queue(name, default=True)
    yield name, out
    cups_server.remove_queue(name)


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    leaked = [t for t in threading.enumerate()
              if t.ident not in before and t.is_alive() and not t.daemon
              and not t.name.startswith(("ThreadPoolExecutor", "QThread", "Dummy"))]
    for t in leaked:
        t.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"test leaked running threads: {still}"
