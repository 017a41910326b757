"""Changing the workstation's settings: checked, saved and audited in one transaction.

The screens hand a :class:`SettingsChange`; nothing is written unless the officer may
manage settings and every value is valid. The settings file is written to a temporary
file first and moved into place inside the database transaction that records the audit
event, so a failed write leaves neither a changed file nor an audit record saying so.
Encrypting (or decrypting) the embedded database cannot happen while the application holds
it: saving asks for it, and the next start carries it out (:mod:`desktop.db.conversion`).
A change of the retention period needs the right to purge personal data too: the running
application purges by itself once a day with it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.audit import AuditLog
from desktop.auth import Actor, Permission, require
from desktop.config import Settings, url_has_password
from desktop.db import Database, conversion
from desktop.db.cipher import file_encrypted
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
    #: days a closed dossier's personal data is kept (0: kept until an administrator purges)
    retention_days: int = 0
    #: the embedded database encrypted (SQLCipher); a change is carried out at the next start
    encrypt_db: bool = False
    #: notices to citizens (desktop/outbox/notices.py); the passwords stay in the keyring
    smtp_host: str = ""
    smtp_port: str = "587"
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_sender: str = ""
    sms_url: str = ""
    #: the PEM of the CA that issued the relay's certificate (empty: the system's trust store)
    smtp_ca_file: str = ""
    smtp_check_hostname: bool = True
    #: the receipt (form 01) opens ready to print at "Receive"
    receipt_at_receive: bool = True


#: the longest retention the screen accepts: Decree 13/2023 wants personal data kept no longer
#: than needed; ten years covers any archive rule a centre may follow
MAX_RETENTION_DAYS = 3650

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
    if change.smtp_host and change.smtp_sender:
        # what the outbox would hold every e-mail for (a login in clear, an unusable CA file …) is refused here
        from desktop.outbox.adapters.smtp import configuration_problem

        problem = configuration_problem(Settings(data_dir=Path("."), smtp_host=change.smtp_host,
                                                 smtp_port=int(change.smtp_port), smtp_security=change.smtp_security,
                                                 smtp_user=change.smtp_user, smtp_sender=change.smtp_sender,
                                                 smtp_ca_file=change.smtp_ca_file,
                                                 smtp_check_hostname=change.smtp_check_hostname),
                                        check_password=False)  # the password is set on the command line
        if problem:
            raise InvalidInput(problem)
    if change.sms_url and not change.sms_url.startswith(("http://", "https://")):
        raise InvalidInput(msg("Địa chỉ cổng SMS “{u}” phải bắt đầu bằng http:// hoặc https://.",
                               "The SMS gateway address “{u}” must start with http:// or https://.", u=change.sms_url))


def _check(change: SettingsChange) -> None:
    if not 0 <= change.retention_days <= MAX_RETENTION_DAYS:
        raise InvalidInput(msg("Thời hạn giữ dữ liệu cá nhân phải từ 0 đến {m} ngày.",
                               "The retention of personal data must be 0 to {m} days.", m=MAX_RETENTION_DAYS))
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
                              s.scanner_profile, s.receipt_printer, s.ticket_printer,
                              retention_days=s.retention_days, encrypt_db=self.encrypted_at_next_start(),
                              smtp_host=s.smtp_host, smtp_port=str(s.smtp_port), smtp_security=s.smtp_security,
                              smtp_user=s.smtp_user, smtp_sender=s.smtp_sender, sms_url=s.sms_url,
                              smtp_ca_file=s.smtp_ca_file, smtp_check_hostname=s.smtp_check_hostname,
                              receipt_at_receive=s.receipt_at_receive)

    def encrypted_at_next_start(self) -> bool:
        """Whether the embedded database is (or will be, once restarted) encrypted."""
        request = conversion.pending(self.settings)
        if request is not None:
            return request.encrypt
        path = conversion.embedded_path(self.settings)
        state = file_encrypted(path) if path is not None else None
        return self.settings.encrypt_db if state is None else state

    def pending_conversion(self) -> conversion.ConversionRequest | None:
        return conversion.pending(self.settings)

    def save(self, actor: Actor, change: SettingsChange) -> Path:
        """Check, save and audit; the running settings change only once all of it worked."""
        require(actor, Permission.MANAGE_SETTINGS)
        if change.retention_days != self.settings.retention_days:  # it deletes personal data by itself
            require(actor, Permission.PURGE_PERSONAL_DATA)
        stripped: dict[str, Any] = {k: v.strip() for k, v in dataclasses.asdict(change).items() if isinstance(v, str)}
        change = dataclasses.replace(change, **stripped)
        _check(change)
        _check_notices(change)
        encrypt = change.encrypt_db
        wants_conversion = encrypt != self.encrypted_at_next_start()
        values = _typed(change)
        # the setting says how a new database is made; an existing file follows the request below
        new = dataclasses.replace(self.settings, **values)
        if wants_conversion and conversion.embedded_path(new) is None:
            raise conversion.not_embedded()
        with self.db.session() as s:
            self.audit.record(s, actor=actor.audit_name, action="settings.save", entity_type="settings",
                              entity_id=str(self.settings.data_dir),
                              data={"language": change.language, "unit_code": change.unit_code,
                                    # a password in the URL never goes into the log
                                    "db_url": change.db_url.split("@")[-1], "dossier_url": change.dossier_url,
                                    "pkcs11_module": change.pkcs11_module, "counter_number": change.counter_number,
                                    "scanner_profile": change.scanner_profile,
                                    "receipt_printer": change.receipt_printer, "ticket_printer": change.ticket_printer,
                                    "receipt_at_receive": change.receipt_at_receive,
                                    "retention_days": change.retention_days, "encrypt_db": encrypt,
                                    "smtp": f"{change.smtp_security}://{change.smtp_user + '@' if change.smtp_user else ''}"
                                            f"{change.smtp_host}:{change.smtp_port}" if change.smtp_host else "",
                                    "smtp_ca_file": change.smtp_ca_file,
                                    "smtp_check_hostname": change.smtp_check_hostname,
                                    "sms_url": change.sms_url.split("?")[0]})
            s.flush()
            path = new.save()  # replaced atomically; a failure here rolls the audit record back
            if wants_conversion:
                conversion.ask(new, encrypt=encrypt, by=actor.audit_name)
        for field, value in values.items():
            setattr(self.settings, field, value)
        return path
