"""Settings of one workstation: where data lives, which database and dossier system.

Resolution order for every value, highest first: explicit override (command line) >
environment variable > the user's ``motcua.toml`` > ``settings.json`` in the data directory
(the older per-workstation file, still read) > the system ``motcua.toml`` that the centre's
IT staff install (``/etc/motcua/motcua.toml``, ``%PROGRAMDATA%\\motcua\\motcua.toml``) >
built-in default. The defaults give the embedded setup that works with no configuration:
SQLite in the user data directory and a folder as the dossier system.

The files carry a schema version (``schema = 2``); an older layout is upgraded when it is
read (:data:`UPGRADES`), a newer one is read for the keys this version knows. A damaged file
never stops the counter: its problems are collected in :attr:`Settings.problems` (logged,
printed by the CLI, and explained by ``motcua config check``) and the other layers apply.

Secrets (the dossier system's client secret, the database password) are never in a file:
they come from the environment or the operating system's keyring (:func:`get_secret`).
"""

from __future__ import annotations

import enum
import json
import logging
import os
import sys
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from desktop.kernel.errors import InvalidInput, MotcuaError
from desktop.kernel.files import replace_durably
from desktop.kernel.i18n import msg

log = logging.getLogger(__name__)

APP_NAME = "motcua"
SETTINGS_FILE = "settings.json"
CONFIG_FILE = "motcua.toml"
#: the layout written by this version; 1 is the flat layout of ``settings.json``
CONFIG_SCHEMA = 2
KEYRING_SERVICE = "motcua"


def default_data_dir() -> Path:
    env = os.environ.get("MOTCUA_DATA_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def system_config_file() -> Path:
    """The workstation's file, written by the centre's IT staff (``MOTCUA_SYSTEM_CONFIG`` wins)."""
    env = os.environ.get("MOTCUA_SYSTEM_CONFIG")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_NAME / CONFIG_FILE
    return Path("/etc") / APP_NAME / CONFIG_FILE


def user_config_file(data_dir: Path | None = None) -> Path:
    """The user's file: ``MOTCUA_USER_CONFIG``; beside a data directory chosen explicitly
    (a private workstation directory, a test) so that it owns its settings; otherwise the
    platform's per-user config folder."""
    env = os.environ.get("MOTCUA_USER_CONFIG")
    if env:
        return Path(env).expanduser()
    if data_dir is not None:
        return data_dir / CONFIG_FILE
    if os.environ.get("MOTCUA_DATA_DIR"):
        return default_data_dir() / CONFIG_FILE
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE


class SmtpSecurity(enum.StrEnum):
    """How the mail relay is reached (``smtp.security``)."""

    #: submission, port 587: plain TCP upgraded by STARTTLS before anything else is said
    STARTTLS = "starttls"
    #: implicit TLS, port 465
    SSL = "ssl"
    #: plain TCP, a relay inside the centre that trusts the workstation: no login allowed
    NONE = "none"


@dataclass(frozen=True)
class Key:
    """One setting as it is written in ``motcua.toml`` (``section.name``)."""

    name: str
    attr: str
    types: tuple[type, ...] = (str,)
    choices: tuple[str, ...] = ()
    env: str = ""

    def coerce(self, value: Any) -> Any:
        """The value as the Settings field holds it; InvalidInput for a wrong type or choice."""
        if isinstance(value, bool) and bool not in self.types:
            raise InvalidInput(self._type_message(value))
        if not isinstance(value, self.types):
            raise InvalidInput(self._type_message(value))
        if bool in self.types:
            return bool(value)
        if self.types == (int,):
            value = int(str(value))
            if value < 0:
                raise InvalidInput(msg("{k}: cần số ≥ 0, nhận được {v}", "{k}: expected a number ≥ 0, got {v}",
                                       k=self.name, v=value))
            return value
        value = str(value)
        if self.choices and value not in self.choices:
            raise InvalidInput(msg("{k}: “{v}” không hợp lệ; chọn một trong: {c}", "{k}: “{v}” is not valid; one of: {c}",
                                   k=self.name, v=value, c=", ".join(self.choices)))
        return value

    def parse(self, text: str) -> Any:
        """A value typed on the command line (``config set``)."""
        if bool in self.types:
            low = text.strip().lower()
            if low in {"true", "yes", "1", "on"}:
                return True
            if low in {"false", "no", "0", "off"}:
                return False
            raise InvalidInput(self._type_message(text))
        if self.types == (int,):
            try:
                return self.coerce(int(text.strip()))
            except ValueError:
                raise InvalidInput(self._type_message(text)) from None
        return self.coerce(text)

    def _type_message(self, value: Any) -> str:
        want = " | ".join(t.__name__ for t in self.types)
        return msg("{k}: cần kiểu {t}, nhận được {v!r}", "{k}: expected {t}, got {v!r}", k=self.name, t=want, v=value)


KEYS: tuple[Key, ...] = (
    Key("database.url", "db_url", env="MOTCUA_DB_URL"),
    Key("database.require_tls", "require_tls", (bool,)),
    Key("dossier_system.url", "dossier_url", env="MOTCUA_DOSSIER_URL"),
    Key("dossier_system.client_id", "dossier_client_id", env="MOTCUA_DOSSIER_CLIENT_ID"),
    Key("workstation.unit", "unit_code", env="MOTCUA_UNIT_CODE"),
    Key("workstation.counter", "counter_number", (str, int), env="MOTCUA_COUNTER"),
    Key("workstation.language", "language", choices=("vi", "en"), env="MOTCUA_LANG"),
    Key("token.module", "pkcs11_module", env="MOTCUA_PKCS11_MODULE"),
    Key("scanner.profile", "scanner_profile"),
    Key("printers.receipts", "receipt_printer"),
    Key("printers.tickets", "ticket_printer"),
    Key("printers.receipt_at_receive", "receipt_at_receive", (bool,)),
    Key("storage.backup_keep_days", "backup_keep_days", (int,)),
    Key("storage.retention_days", "retention_days", (int,)),
    Key("storage.encrypt_db", "encrypt_db", (bool,)),
    Key("storage.db_key_file", "db_key_file", (bool,)),
    # notices to the citizen (desktop/outbox/notices.py): e-mail through SMTP, SMS through a gateway
    Key("smtp.host", "smtp_host", env="MOTCUA_SMTP_HOST"),
    Key("smtp.port", "smtp_port", (int,), env="MOTCUA_SMTP_PORT"),
    Key("smtp.security", "smtp_security", choices=tuple(SmtpSecurity)),
    Key("smtp.ca_file", "smtp_ca_file", env="MOTCUA_SMTP_CA_FILE"),
    Key("smtp.check_hostname", "smtp_check_hostname", (bool,)),
    Key("smtp.user", "smtp_user", env="MOTCUA_SMTP_USER"),
    Key("smtp.sender", "smtp_sender", env="MOTCUA_SMTP_SENDER"),
    Key("sms.url", "sms_url", env="MOTCUA_SMS_URL"),
    Key("sms.text", "sms_text", choices=("plain", "unicode")),
    Key("sms.max_parts", "sms_max_parts", (int,)),
)
KEY_BY_NAME = {k.name: k for k in KEYS}
KEY_BY_ATTR = {k.attr: k for k in KEYS}

#: secrets: name in the keyring -> environment variable that wins over it (service accounts, CI)
SECRETS = {"dossier_system.client_secret": "MOTCUA_DOSSIER_CLIENT_SECRET",
           "database.password": "MOTCUA_DB_PASSWORD",
           "smtp.password": "MOTCUA_SMTP_PASSWORD",
           "sms.token": "MOTCUA_SMS_TOKEN"}


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
    #: a new embedded database is an SQLCipher file (an existing one: ``motcua db encrypt``)
    encrypt_db: bool = False
    #: without an OS keyring, the database key may be kept in a 0600 file of the private folder
    db_key_file: bool = False
    #: extra free-form settings owned by each area (scanning profiles, signing level, ...)
    extra: dict[str, Any] = field(default_factory=dict)
    #: the centre requires TLS (sslmode=verify-full) for its PostgreSQL
    require_tls: bool = False
    dossier_client_id: str = "motcua"
    #: this workstation's counter in the queue (as the queue names it)
    counter_number: str = ""
    #: the scanner profile chosen by default (scanning/profiles)
    scanner_profile: str = ""
    #: printer names as the system knows them: receipts (A4/A5) and 80 mm queue tickets
    receipt_printer: str = ""
    ticket_printer: str = ""
    #: the receipt (form 01) opens ready to print at "Receive": the citizen is handed one every
    #: time; a counter that prints them otherwise (a batch, none for online dossiers) turns it off
    receipt_at_receive: bool = True
    #: the mail server that sends notices (form 04 …) to citizens; empty: e-mails wait in the outbox
    smtp_host: str = ""
    #: 587 with STARTTLS (submission), 465 with "ssl", 25 with "none" (a relay inside the centre)
    smtp_port: int = 587
    smtp_security: str = "starttls"  # SmtpSecurity
    #: the CA (PEM) that issued the relay's certificate, often the province's own; empty: the
    #: system's trust store. Given, only it is trusted for the relay
    smtp_ca_file: str = ""
    #: the relay's certificate must name smtp.host; off only with smtp.ca_file (a private CA
    #: whose certificate names the relay otherwise), never against the public trust store
    smtp_check_hostname: bool = True
    #: empty: no login (a relay that trusts the workstation); the password is ``smtp.password`` in the keyring
    smtp_user: str = ""
    #: the From of the notices, e.g. "Bộ phận Một cửa <motcua@quynhon.gov.vn>"
    smtp_sender: str = ""
    #: the SMS gateway's HTTP endpoint (JSON POST, bearer ``sms.token``); empty: no SMS
    sms_url: str = ""
    #: "plain": without diacritics (GSM 7-bit, 160 characters a part; brand-name SMS) or "unicode" (UCS-2, 70)
    sms_text: str = "plain"
    #: the longest SMS, in parts (a longer text is shortened)
    sms_max_parts: int = 2
    #: where each value came from (field -> "default", "system:<path>", "env:VAR", ...)
    sources: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    #: what was wrong in the files read (bilingual messages); ``motcua config check`` shows them
    problems: list[str] = field(default_factory=list, repr=False, compare=False)
    user_file: Path | None = field(default=None, repr=False, compare=False)
    #: values as loaded, to tell a value changed here from one passed through from outside
    loaded: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    system_file: Path | None = field(default=None, repr=False, compare=False)

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
        """Fallback store of the audit key (and, if allowed, the database key) when the OS keyring has no backend."""
        return self.private_dir / "keys"

    def user_dirs(self) -> list[Path]:
        """Folders the officer works with: scans, receipts, tickets, signed copies, exports."""
        return [self.files_dir, self.data_dir / "receipts", self.data_dir / "tickets",
                self.data_dir / "signed", self.data_dir / "exports"]

    def resolved_db_url(self) -> str:
        url = self.db_url or f"sqlite:///{(self.private_dir / 'motcua.db').as_posix()}"
        return _with_password(url)

    def resolved_dossier_url(self) -> str:
        return self.dossier_url or (self.data_dir / "dossier-system").absolute().as_uri()

    def config_path(self) -> Path:
        return self.user_file or user_config_file(self.data_dir)

    def save(self) -> Path:
        """Write to the user's ``motcua.toml`` what differs from the system file and defaults.

        Values that came from the command line or the environment are not written unless
        they were changed since loading; an older ``settings.json`` is retired (renamed) once
        its content lives in the new file, so that it cannot bring back a value reset here.
        """
        path = self.config_path()
        below = _layered(self.data_dir, [self._system_layer()])
        loaded = self.sources
        doc: dict[str, Any] = {"schema": CONFIG_SCHEMA}
        for key in KEYS:
            value = getattr(self, key.attr)
            src = loaded.get(key.attr, "default")
            if src.startswith(("env:", "command line")) and value == self.loaded.get(key.attr, value):
                continue
            if value != below.get(key.attr, getattr(_DEFAULTS, key.attr)):
                section, name = key.name.split(".")
                doc.setdefault(section, {})[name] = value
        if self.extra:
            doc["extra"] = _toml_safe(self.extra)
        write_config(path, doc)
        legacy = self.data_dir / SETTINGS_FILE
        if legacy.is_file():
            os.replace(legacy, legacy.with_name(SETTINGS_FILE + ".migrated"))
        return path

    def reread(self, attr: str) -> bool:
        """Take the value the settings files hold now for ``attr`` when it changed there since
        loading (another process's ``motcua config set``), unless the environment or the
        command line set it for this process; True when the value changed."""
        if self.sources.get(attr, "default").startswith(("env:", "command line")):
            return False
        problems: list[str] = []
        user = self.config_path()
        files = _layered(self.data_dir, [self._system_layer(), ("legacy", _read_legacy(self.data_dir, problems)),
                                         (f"user:{user}", _read_layer(user, problems))])
        if problems:  # a file half-edited by hand: keep what runs
            return False
        now = files.get(attr, getattr(_DEFAULTS, attr))
        if now == self.loaded.get(attr, getattr(self, attr)):
            return False  # the files did not change it (a change made here stays)
        self.loaded[attr] = now
        if now == getattr(self, attr):
            return False
        setattr(self, attr, now)
        return True

    def _system_layer(self) -> tuple[str, dict[str, Any]]:
        path = self.system_file or system_config_file()
        return f"system:{path}", _read_layer(path, [])


_DEFAULTS = Settings(data_dir=Path("."))


# --- files -------------------------------------------------------------------------------

def _upgrade_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 (the flat ``settings.json`` layout) to 2 (sections)."""
    out: dict[str, Any] = {"schema": 2}
    for attr, value in doc.items():
        if attr == "extra" and isinstance(value, dict):
            out["extra"] = value
            continue
        key = KEY_BY_ATTR.get(attr)
        if key is None:
            out.setdefault("_unknown", []).append(attr)
            continue
        section, name = key.name.split(".")
        out.setdefault(section, {})[name] = value
    return out


#: schema N -> function turning an N document into N+1
UPGRADES = {1: _upgrade_v1}


def upgrade(doc: dict[str, Any], problems: list[str], where: str) -> dict[str, Any]:
    version = doc.get("schema", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(msg("{f}: “schema” phải là số nguyên ≥ 1", "{f}: “schema” must be an integer ≥ 1", f=where))
        version = CONFIG_SCHEMA
    if version > CONFIG_SCHEMA:
        problems.append(msg("{f}: viết bởi phiên bản motcua mới hơn (schema {v} > {c}); chỉ đọc các khóa đã biết",
                            "{f}: written by a newer motcua (schema {v} > {c}); only the known keys are read",
                            f=where, v=version, c=CONFIG_SCHEMA))
        return doc
    while version < CONFIG_SCHEMA:
        doc = UPGRADES[version](doc)
        version += 1
    return doc


def _flatten(doc: dict[str, Any], problems: list[str], where: str) -> dict[str, Any]:
    """A schema-2 document to Settings attributes; unknown keys and wrong types become problems."""
    values: dict[str, Any] = {}
    for unknown in doc.pop("_unknown", []):
        problems.append(msg("{f}: khóa không biết “{k}” (bỏ qua)", "{f}: unknown key “{k}” (ignored)", f=where, k=unknown))
    for section, body in doc.items():
        if section == "schema":
            continue
        if section == "extra":
            if isinstance(body, dict):
                values["extra"] = body
            else:
                problems.append(msg("{f}: “extra” phải là một bảng", "{f}: “extra” must be a table", f=where))
            continue
        if not isinstance(body, dict):
            problems.append(msg("{f}: khóa không biết “{k}” (bỏ qua)", "{f}: unknown key “{k}” (ignored)", f=where, k=section))
            continue
        for name, value in body.items():
            if f"{section}.{name}" in SECRETS:
                problems.append(msg("{f}: “{k}” là bí mật, không được ghi trong tệp (bỏ qua); dùng "
                                    "“motcua config set {k} -” để lưu vào kho khóa của hệ điều hành",
                                    "{f}: “{k}” is a secret and must not be in a file (ignored); use "
                                    "“motcua config set {k} -” to keep it in the operating system's keyring",
                                    f=where, k=f"{section}.{name}"))
                continue
            key = KEY_BY_NAME.get(f"{section}.{name}")
            if key is None:
                problems.append(msg("{f}: khóa không biết “{k}” (bỏ qua)", "{f}: unknown key “{k}” (ignored)",
                                    f=where, k=f"{section}.{name}"))
                continue
            try:
                values[key.attr] = key.coerce(value)
            except InvalidInput as exc:
                problems.append(f"{where}: {exc.message}")
                continue
            if key.attr == "db_url" and url_has_password(values["db_url"]):
                problems.append(msg("{f}: mật khẩu nằm trong database.url; xóa nó khỏi tệp và chạy "
                                    "“motcua config set database.password -”",
                                    "{f}: the password is in database.url; remove it from the file and run "
                                    "“motcua config set database.password -”", f=where))
    return values


def _read_layer(path: Path, problems: list[str]) -> dict[str, Any]:
    """Settings attributes from one TOML file; a missing file is an empty layer."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        problems.append(msg("{f}: không đọc được ({e})", "{f}: cannot be read ({e})", f=path, e=exc.strerror or exc))
        return {}
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(msg("{f}: không phải TOML hợp lệ ({e})", "{f}: not valid TOML ({e})", f=path, e=exc))
        return {}
    return _flatten(upgrade(doc, problems, str(path)), problems, str(path))


def _read_legacy(data_dir: Path, problems: list[str]) -> dict[str, Any]:
    path = data_dir / SETTINGS_FILE
    if not path.is_file():
        return {}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged settings file must not stop the counter; defaults apply
    if not isinstance(stored, dict):
        return {}
    stored = {k: v for k, v in stored.items() if k != "data_dir" and v not in (None, "")}
    return _flatten(upgrade(stored, problems, str(path)), problems, str(path))


def _layered(data_dir: Path, layers: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for _, layer in layers:
        for k, v in layer.items():
            if k == "extra" and isinstance(values.get("extra"), dict):
                merged = dict(values["extra"])
                for area, conf in v.items():  # one area's dict merges over the lower layer's
                    merged[area] = {**merged[area], **conf} if isinstance(conf, dict) and isinstance(
                        merged.get(area), dict) else conf
                values["extra"] = merged
            else:
                values[k] = v
    return values


def _toml_safe(value: Any) -> Any:
    """TOML has no null: drop None values (they mean "not set")."""
    if isinstance(value, dict):
        return {str(k): _toml_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_toml_safe(v) for v in value if v is not None]
    if isinstance(value, Path):
        return str(value)
    return value


def read_config(path: Path) -> dict[str, Any]:
    """The document of one file as written (sections), upgraded; {} when missing."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"schema": CONFIG_SCHEMA}
    return upgrade(doc, [], str(path))


def write_config(path: Path, doc: dict[str, Any]) -> None:
    """Write atomically (a half-written file must never be read by another process)."""
    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomli_w.dumps(doc), encoding="utf-8")
    replace_durably(tmp, path)


def load_settings(data_dir: Path | str | None = None, **overrides: Any) -> Settings:
    """Build the settings from overrides, environment, the config files and defaults."""
    base = Path(data_dir).expanduser() if data_dir else default_data_dir()
    problems: list[str] = []
    system = system_config_file()
    user = user_config_file(base if data_dir else None)
    layers: list[tuple[str, dict[str, Any]]] = [
        (f"system:{system}", _read_layer(system, problems)),
        (f"legacy:{base / SETTINGS_FILE}", _read_legacy(base, problems)),
        (f"user:{user}", _read_layer(user, problems)),
    ]
    env_layer: dict[str, Any] = {}
    for key in KEYS:
        if key.env and os.environ.get(key.env):
            try:
                env_layer[key.attr] = key.parse(os.environ[key.env])
            except InvalidInput as exc:
                problems.append(f"{key.env}: {exc.message}")
    layers.append(("env", env_layer))
    known = {f.name for f in fields(Settings)}
    layers.append(("command line", {k: v for k, v in overrides.items() if v is not None and k in known}))
    values = _layered(base, layers)
    sources: dict[str, str] = {}
    for where, layer in layers:
        for k in layer:
            sources[k] = f"env:{KEY_BY_ATTR[k].env}" if where == "env" else where
    settings = Settings(data_dir=base, **values)
    settings.sources = sources
    settings.problems = problems
    settings.user_file = user
    settings.system_file = system
    settings.loaded = {k: getattr(settings, k) for k in KEY_BY_ATTR}
    for p in problems:
        log.warning("settings: %s", p)
    return settings


def as_document(settings: Settings) -> dict[str, Any]:
    """The effective settings in the file's layout (for ``config show``)."""
    doc: dict[str, Any] = {"schema": CONFIG_SCHEMA}
    for key in KEYS:
        section, name = key.name.split(".")
        doc.setdefault(section, {})[name] = getattr(settings, key.attr)
    return doc


# --- secrets -----------------------------------------------------------------------------

class NoKeyring(MotcuaError):
    """No usable keyring backend on this machine."""


def _keyring_unavailable(exc: Exception, name: str) -> NoKeyring:
    env = SECRETS[name]
    return NoKeyring(
        msg("Không có kho khóa của hệ điều hành để lưu “{k}” ({e}).",
            "No operating-system keyring is available to keep “{k}” ({e}).", k=name, e=type(exc).__name__),
        hint=msg("Trên Windows, Trình quản lý thông tin xác thực được dùng tự động; trên Linux cài và mở "
                 "gnome-keyring (Secret Service) trong phiên làm việc, rồi chạy “motcua config set {k} -”. "
                 "Cho một tài khoản dịch vụ không có phiên đăng nhập: đặt biến môi trường {v}.",
                 "On Windows the Credential Manager is used by itself; on Linux install and unlock "
                 "gnome-keyring (Secret Service) in the session, then run “motcua config set {k} -”. "
                 "For a service account without a desktop session: set the environment variable {v}.",
                 k=name, v=env))


def get_secret(name: str) -> str | None:
    """The secret from the environment, else the keyring; None when neither has it."""
    env = SECRETS[name]
    if os.environ.get(env):
        return os.environ[env]
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(KEYRING_SERVICE, name)
    except ImportError:
        return None
    except (KeyringError, RuntimeError, OSError) as exc:  # no backend, a locked or absent D-Bus service
        log.info("keyring unavailable for %s: %s", name, type(exc).__name__)
        return None


def set_secret(name: str, value: str) -> None:
    if name not in SECRETS:
        raise InvalidInput(msg("“{k}” không phải bí mật", "“{k}” is not a secret", k=name))
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(KEYRING_SERVICE, name, value)
    except ImportError as exc:
        raise _keyring_unavailable(exc, name) from exc
    except (KeyringError, RuntimeError, OSError) as exc:
        raise _keyring_unavailable(exc, name) from exc


def keyring_status() -> tuple[bool, str]:
    """(usable, backend name) without touching any secret."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend configuration: report, never crash
        return False, type(exc).__name__
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    return not isinstance(backend, fail.Keyring), name


#: keyring answers of this process (a keyring look-up may cost a D-Bus round trip)
_KEYRING_CACHE: dict[str, str | None] = {}


def _with_password(url: str) -> str:
    """Put the database password from the environment/keyring into a PostgreSQL URL that has
    a user but no password (the file never holds it)."""
    if not url.startswith("postgresql"):
        return url
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.username or parsed.password:
        return url
    if "database.password" not in _KEYRING_CACHE or os.environ.get(SECRETS["database.password"]):
        _KEYRING_CACHE["database.password"] = get_secret("database.password")
    password = _KEYRING_CACHE["database.password"]
    return parsed.set(password=password).render_as_string(hide_password=False) if password else url


def url_has_password(url: str) -> bool:
    if "://" not in url:
        return False
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return bool(make_url(url).password)
    except ArgumentError:
        return False


def settings_dict(settings: Settings) -> dict[str, Any]:
    """The persistent fields (as the old ``settings.json`` held them), for callers that log them."""
    return {k: v for k, v in asdict(settings).items() if k not in {"data_dir", "sources", "problems", "user_file",
                                                                       "system_file", "loaded"}}


def check_settings(settings: Settings) -> list[str]:
    """What is wrong in the effective settings, each with the way to fix it."""
    problems = list(settings.problems)
    url = settings.db_url
    if url.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        query = make_url(url).query
        sslmode = query.get("sslmode")
        if settings.require_tls and sslmode != "verify-full":
            problems.append(msg(
                "database.url không dùng TLS đã xác minh (sslmode={m}) trong khi trung tâm yêu cầu; thêm "
                "“?sslmode=verify-full&sslrootcert=/etc/motcua/centre-ca.pem” vào URL",
                "database.url does not use verified TLS (sslmode={m}) but the centre requires it; add "
                "“?sslmode=verify-full&sslrootcert=/etc/motcua/centre-ca.pem” to the URL", m=sslmode or "-"))
        root = query.get("sslrootcert")
        if isinstance(root, str) and not Path(root).is_file():
            problems.append(msg("Không có tệp CA của trung tâm {f} (sslrootcert)",
                                "The centre's CA file {f} (sslrootcert) does not exist", f=root))
        if make_url(url).username and not make_url(url).password and not query.get("sslcert") \
                and not get_secret("database.password"):
            problems.append(_secret_missing("database.password"))
    elif settings.require_tls:
        problems.append(msg("database.require_tls = true nhưng database.url không phải PostgreSQL",
                            "database.require_tls = true but database.url is not a PostgreSQL URL"))
    if settings.dossier_url.startswith("https://") and not get_secret("dossier_system.client_secret"):
        problems.append(_secret_missing("dossier_system.client_secret"))
    if settings.pkcs11_module and not Path(settings.pkcs11_module).is_file():
        problems.append(msg("token.module: không có tệp {f}; cài trình điều khiển token hoặc chọn mô-đun trong Cài đặt",
                            "token.module: no file {f}; install the token's driver or pick the module in Settings",
                            f=settings.pkcs11_module))
    if settings.smtp_host and not settings.smtp_sender:
        problems.append(msg("smtp.host đã đặt nhưng chưa có smtp.sender (địa chỉ gửi thư cho công dân)",
                            "smtp.host is set but smtp.sender (the From of the e-mails to citizens) is not"))
    elif settings.smtp_host:  # what the outbox would hold notices for: a login in clear, an unusable CA file …
        from desktop.outbox.adapters.smtp import configuration_problem

        problem = configuration_problem(settings, check_password=False)
        if problem:
            problems.append(problem)
    if settings.smtp_user and not get_secret("smtp.password"):
        problems.append(_secret_missing("smtp.password"))
    if settings.sms_url and not get_secret("sms.token"):
        problems.append(_secret_missing("sms.token"))
    if settings.receipt_printer.strip() or settings.ticket_printer.strip():
        # asked of the operating system (CUPS' lpstat, Windows' spooler registry), not of Qt: the
        # check runs without a display, and the core imports no Qt
        from desktop.printers import RECEIPTS_KEY, TICKETS_KEY, check_printers, installed_printers

        problems += check_printers({RECEIPTS_KEY: settings.receipt_printer, TICKETS_KEY: settings.ticket_printer},
                                   installed_printers())
    return problems


def _secret_missing(name: str) -> str:
    usable, backend = keyring_status()
    if usable:
        return msg("Chưa đặt “{k}”: chạy “motcua config set {k} -”", "“{k}” is not set: run “motcua config set {k} -”",
                   k=name)
    return msg("Chưa đặt “{k}” và không có kho khóa ({b}): đặt biến môi trường {v}, hoặc mở gnome-keyring rồi chạy "
               "“motcua config set {k} -”",
               "“{k}” is not set and no keyring is available ({b}): set the environment variable {v}, or unlock "
               "gnome-keyring and run “motcua config set {k} -”", k=name, b=backend, v=SECRETS[name])
