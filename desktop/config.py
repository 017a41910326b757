"""Settings of one workstation: where data lives, which database and dossier system.

Resolution order for every value: explicit override (CLI flag) > environment variable >
``settings.json`` in the data directory > built-in default. The defaults give the
embedded setup that works with no configuration: SQLite in the user data directory and
a folder as the dossier system.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from desktop.kernel.files import replace_durably

APP_NAME = "motcua"
SETTINGS_FILE = "settings.json"


def default_data_dir() -> Path:
    env = os.environ.get("MOTCUA_DATA_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    db_url: str = ""
    dossier_url: str = ""
    language: str = "vi"
    #: agency code (QCVN 102:2016) of this workstation's unit, used in dossier codes
    unit_code: str = "000.00.00.H00"
    pkcs11_module: str = ""
    #: online backups of the embedded database are kept this many days
    backup_keep_days: int = 14
    #: local copies of personal data of closed, delivered dossiers are purged after this many days (0: never)
    retention_days: int = 0
    #: extra free-form settings owned by each area (scanning profiles, signing level, ...)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def files_dir(self) -> Path:
        """Where digitized files are kept (content-addressed by the code that writes them)."""
        return self.data_dir / "files"

    @property
    def private_dir(self) -> Path:
        """0700, never shown by the application's file dialogs: the database, its backups, keys.

        Kept apart from every user-visible file: a file dialog that merely lists the SQLite
        file opens and closes it, which drops this process's POSIX locks on it (issue 14).
        """
        return self.data_dir / "private"

    @property
    def backup_dir(self) -> Path:
        return self.private_dir / "backups"

    @property
    def key_dir(self) -> Path:
        """Fallback store of the audit key when the OS keyring has no backend."""
        return self.private_dir / "keys"

    def user_dirs(self) -> list[Path]:
        """Folders the officer works with: scans, receipts, tickets, signed copies, exports."""
        return [self.files_dir, self.data_dir / "receipts", self.data_dir / "tickets",
                self.data_dir / "signed", self.data_dir / "exports"]

    def resolved_db_url(self) -> str:
        return self.db_url or f"sqlite:///{(self.private_dir / 'motcua.db').as_posix()}"

    def resolved_dossier_url(self) -> str:
        return self.dossier_url or (self.data_dir / "dossier-system").absolute().as_uri()

    def save(self) -> Path:
        """Write the non-default, persistent part of the settings to ``settings.json``."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / SETTINGS_FILE
        data = {k: v for k, v in asdict(self).items() if k != "data_dir"}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        replace_durably(tmp, path)
        return path


_ENV = {
    "db_url": "MOTCUA_DB_URL",
    "dossier_url": "MOTCUA_DOSSIER_URL",
    "language": "MOTCUA_LANG",
    "unit_code": "MOTCUA_UNIT_CODE",
    "pkcs11_module": "MOTCUA_PKCS11_MODULE",
}


def load_settings(data_dir: Path | str | None = None, **overrides: Any) -> Settings:
    """Build the settings from overrides, environment, ``settings.json`` and defaults."""
    base = Path(data_dir).expanduser() if data_dir else default_data_dir()
    values: dict[str, Any] = {}
    path = base / SETTINGS_FILE
    if path.is_file():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}  # a damaged settings file must not stop the counter; defaults apply
        known = {f.name for f in fields(Settings)}
        values.update({k: v for k, v in stored.items() if k in known and k != "data_dir"})
    for key, env in _ENV.items():
        if os.environ.get(env):
            values[key] = os.environ[env]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(data_dir=base, **values)
