"""Changing the workstation's settings: checked, saved and audited in one transaction.

The screens hand a :class:`SettingsChange`; nothing is written unless the officer may
manage settings and every value is valid. The settings file is written to a temporary
file first and moved into place inside the database transaction that records the audit
event, so a failed write leaves neither a changed file nor an audit record saying so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings, url_has_password
from desktop.db import Database
from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import SUPPORTED, msg


@dataclass(frozen=True)
class SettingsChange:
    language: str
    unit_code: str
    db_url: str
    dossier_url: str
    pkcs11_module: str
    counter_number: str = ""
    scanner_profile: str = ""
    receipt_printer: str = ""
    ticket_printer: str = ""
    #: notices to citizens (desktop/outbox/notices.py); the passwords stay in the keyring
    smtp_host: str = ""
    smtp_port: str = "587"
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_sender: str = ""
    sms_url: str = ""


#: fields held as numbers by Settings, typed as text on the screen
_INTS = frozenset({"smtp_port"})


def _typed(change: SettingsChange) -> dict[str, Any]:
    """The change as the Settings fields hold it (the port as a number)."""
    return {k: int(v) if k in _INTS else v for k, v in dataclasses.asdict(change).items()}


def _check_notices(change: SettingsChange) -> None:
    from email.utils import parseaddr

    if not change.smtp_port.isdigit() or not 0 < int(change.smtp_port) < 65536:
        raise InvalidInput(msg("Cổng máy chủ thư “{p}” không hợp lệ (1 … 65535; thường là 587 hoặc 465).",
                               "Mail server port “{p}” is not valid (1 … 65535; usually 587 or 465).",
                               p=change.smtp_port))
    if change.smtp_security not in ("starttls", "ssl", "none"):
        raise InvalidInput(msg("Kiểu bảo mật thư “{v}” không hợp lệ (starttls, ssl, none).",
                               "Mail security “{v}” is not valid (starttls, ssl, none).", v=change.smtp_security))
    if change.smtp_host and "@" not in parseaddr(change.smtp_sender)[1]:
        raise InvalidInput(msg("Cần địa chỉ gửi thư (ví dụ “Bộ phận Một cửa <motcua@quynhon.gov.vn>”).",
                               "The sender address is needed (e.g. “Bộ phận Một cửa <motcua@quynhon.gov.vn>”)."))
    if change.sms_url and not change.sms_url.startswith(("http://", "https://")):
        raise InvalidInput(msg("Địa chỉ cổng SMS “{u}” phải bắt đầu bằng http:// hoặc https://.",
                               "The SMS gateway address “{u}” must start with http:// or https://.", u=change.sms_url))


def _check(change: SettingsChange) -> None:
    if change.language not in SUPPORTED:
        raise InvalidInput(msg("Ngôn ngữ “{l}” không được hỗ trợ.", "Language “{l}” is not supported.", l=change.language))
    if not change.unit_code.strip():
        raise InvalidInput(msg("Chưa nhập mã cơ quan.", "The agency code is missing."))
    if change.dossier_url and not change.dossier_url.startswith(("file://", "http://", "https://")):
        raise InvalidInput(msg("Địa chỉ hệ thống hồ sơ “{u}” phải bắt đầu bằng file://, http:// hoặc https://.",
                               "The dossier-system address “{u}” must start with file://, http:// or https://.",
                               u=change.dossier_url))
    if change.db_url and "://" not in change.db_url:
        raise InvalidInput(msg("Địa chỉ cơ sở dữ liệu “{u}” không hợp lệ (ví dụ postgresql+psycopg://…).",
                               "Database URL “{u}” is not valid (e.g. postgresql+psycopg://…).", u=change.db_url))
    if change.db_url and url_has_password(change.db_url):
        raise InvalidInput(msg("Không ghi mật khẩu vào địa chỉ cơ sở dữ liệu; chạy “motcua config set database.password -” "
                               "để lưu nó vào kho khóa của hệ điều hành.",
                               "Do not put the password in the database URL; run “motcua config set database.password -” "
                               "to keep it in the operating system's keyring."))


class SettingsService:
    def __init__(self, db: Database, audit: AuditLog, settings: Settings) -> None:
        self.db = db
        self.audit = audit
        self.settings = settings

    def current(self) -> SettingsChange:
        s = self.settings
        return SettingsChange(s.language, s.unit_code, s.db_url, s.dossier_url, s.pkcs11_module, s.counter_number,
                              s.scanner_profile, s.receipt_printer, s.ticket_printer, s.smtp_host, str(s.smtp_port),
                              s.smtp_security, s.smtp_user, s.smtp_sender, s.sms_url)

    def save(self, actor: Actor, change: SettingsChange) -> Path:
        """Check, save and audit; the running settings change only once all of it worked."""
        require(actor, Permission.MANAGE_SETTINGS)
        change = SettingsChange(**{k: v.strip() for k, v in dataclasses.asdict(change).items()})
        _check(change)
        _check_notices(change)
        values = _typed(change)
        new = dataclasses.replace(self.settings, **values)
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="settings.save", entity_type="settings",
                              entity_id=str(self.settings.data_dir),
                              data={"language": change.language, "unit_code": change.unit_code,
                                    # a password in the URL never goes into the log
                                    "db_url": change.db_url.split("@")[-1], "dossier_url": change.dossier_url,
                                    "pkcs11_module": change.pkcs11_module, "counter_number": change.counter_number,
                                    "scanner_profile": change.scanner_profile,
                                    "receipt_printer": change.receipt_printer, "ticket_printer": change.ticket_printer,
                                    "smtp": f"{change.smtp_security}://{change.smtp_user + '@' if change.smtp_user else ''}"
                                            f"{change.smtp_host}:{change.smtp_port}" if change.smtp_host else "",
                                    "sms_url": change.sms_url.split("?")[0]})
            s.flush()
            path = new.save()  # replaced atomically; a failure here rolls the audit record back
        for field, value in values.items():
            setattr(self.settings, field, value)
        return path
