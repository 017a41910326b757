"""Run the ``motcua`` command as a signed-in officer, the way scripts do.

Every workstation a test creates seeds ``admin`` with :data:`ADMIN_PASSWORD` (tests/conftest.py
sets ``MOTCUA_ADMIN_PASSWORD``, which counts as a chosen password), so a command signs in with
``MOTCUA_USER``/``MOTCUA_PASSWORD`` and nothing has to be set up by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ADMIN = "admin"
ADMIN_PASSWORD = "Quầy-thử-nghiệm-2026"  # chosen for the tests; never a real one
ROOT = Path(__file__).resolve().parents[1]


def signed_in_env(base: Mapping[str, str] | None = None, *, user: str = ADMIN,
                  password: str = ADMIN_PASSWORD) -> dict[str, str]:
    """An environment in which ``motcua`` signs in as ``user``."""
    env = dict(os.environ if base is None else base)
    env.update({"MOTCUA_USER": user, "MOTCUA_PASSWORD": password, "MOTCUA_ADMIN_PASSWORD": ADMIN_PASSWORD})
    return env


def unsigned_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment with no sign-in (and the seeded admin's password left at the default)."""
    env = dict(os.environ if base is None else base)
    for var in ("MOTCUA_USER", "MOTCUA_PASSWORD", "MOTCUA_NEW_PASSWORD"):
        env.pop(var, None)
    return env


#: run as this unprivileged account when the tests run as root (root ignores file permissions)
OTHER_UID = 65534


def motcua(data_dir: Path | None, *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None,
           user: str | None = ADMIN, password: str = ADMIN_PASSWORD, timeout: float = 180,
           cwd: Path | None = None, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """``motcua [--data-dir D] ARGS`` signed in as ``user`` (None: not signed in).

    ``unprivileged``: as an ordinary OS account, so that permissions apply (``setpriv`` to
    uid 65534 when the tests run as root; the paths involved must be reachable by it).
    """
    full_env = signed_in_env(env, user=user, password=password) if user else unsigned_env(env)
    full_env.setdefault("PYTHONPATH", str(ROOT))
    prefix = ["--data-dir", str(data_dir)] if data_dir is not None else []
    runner: list[str] = []
    if unprivileged and os.geteuid() == 0:
        runner = ["setpriv", f"--reuid={OTHER_UID}", f"--regid={OTHER_UID}", "--clear-groups"]
    return subprocess.run([*runner, sys.executable, "-m", "desktop", *prefix, *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd)
