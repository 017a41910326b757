"""Start-up: the sign-in window shows before the heavy imports, then opens the database.

``motcua gui`` took ~4× a bare PySide6 window to show its sign-in window, most of it importing
SQLAlchemy (through ``desktop.auth``) and the main window's views before the dialog was built
(bench/RESULTS.md "Frozen application"). The dialog now shows first and opens the database on
the ``db`` worker while the officer types; the main window is imported once signed in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop.config import Settings
from desktop.context import AppContext
from desktop.kernel.i18n import set_language
from tests.cli import ADMIN, ADMIN_PASSWORD, ROOT
from ui.login_dialog import LoginDialog

#: imported before the sign-in window by the old start-up (or never needed for it)
HEAVY = ("sqlalchemy", "alembic", "argon2", "desktop.auth", "desktop.db", "desktop.audit", "ui.main_window",
         "ui.services", "ui.views", "cv2", "numpy", "reportlab", "pyhanko", "pikepdf")
SHOWN = "sign-in window shown: True"


def _imported(line: str) -> str | None:
    """The module an ``-X importtime`` line reports, or None for another line."""
    if not line.startswith("import time:") or line.rstrip().endswith("| imported package"):  # the header
        return None
    return line.rsplit("|", 1)[-1].strip()


def test_the_sign_in_window_shows_before_the_database_layer_and_the_views_are_imported(tmp_path: Path) -> None:
    # -X importtime writes each import to stderr as it completes; merged with stdout, the lines
    # before the check's own line are what was imported before the window was shown
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui.cli", "--data-dir", str(tmp_path / "data"),
                           "gui", "--check"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=120)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout[-2000:]
    shown = next(i for i, line in enumerate(lines) if line.startswith(SHOWN))
    before = [m for m in map(_imported, lines[:shown]) if m is not None]
    assert "ui.login_dialog" in before and "PySide6.QtWidgets" in before  # the measure measures
    early = [h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in before)]
    assert early == [], f"imported before the sign-in window showed: {early}"


def test_the_shown_dialog_opens_the_database_and_a_press_waits_for_it(workers, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c = AppContext(Settings(data_dir=tmp_path / "fresh"))  # a new workstation: migrated and seeded
    try:
        dlg = LoginDialog(c, workers=workers)
        qtbot.addWidget(dlg)
        assert "db" not in c.__dict__  # built, not opened
        dlg.show()
        dlg.user.setText(ADMIN)
        dlg.password.setText(ADMIN_PASSWORD)
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        with qtbot.waitSignal(dlg.accepted, timeout=30000):
            dlg.try_sign_in()  # pressed at once: behind the opening, on the same db thread
            assert not dlg.buttons.isEnabled() and ok.text() == "Signing in…"
        assert dlg.actor is not None and dlg.actor.username == ADMIN
        assert "auth" in c.__dict__
    finally:
        c.close()


@pytest.mark.log_warnings("damaged")
def test_a_database_that_cannot_be_opened_says_why_at_the_press_and_the_next_press_tries_again(workers,   # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path) -> None:
    set_language("en")
    first = AppContext(Settings(data_dir=tmp_path / "data"))
    path = first.db.sqlite_path
    first.close()
    assert path is not None
    path.write_bytes(b"not a database" * 1000)
    c = AppContext(Settings(data_dir=tmp_path / "data"))
    try:
        dlg = LoginDialog(c, workers=workers)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitUntil(lambda: dlg._opening is not None, timeout=5000)
        opening = dlg._opening
        assert opening is not None
        with qtbot.waitSignal(opening.finished, timeout=30000):
            pass
        assert dlg.error.text() == ""  # said at the press, as when the press opened the database
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        for _ in range(2):  # the opening's own failure, then a new attempt that fails the same way
            dlg.user.setText(ADMIN)
            dlg.password.setText(ADMIN_PASSWORD)
            dlg.try_sign_in()
            qtbot.waitUntil(lambda: dlg.error.text() != "" and dlg.buttons.isEnabled(), timeout=30000)
            assert "is damaged or is not a motcua database" in dlg.error.text()
            assert str(path) in dlg.error.text() and ok.text() == "Sign in" and dlg.actor is None
            dlg.error.clear()
    finally:
        c.close()
