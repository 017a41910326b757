"""Officers, sign-in and role-based permissions, checked in the core.

Passwords are hashed with Argon2id (argon2-cffi). The UI hides what a role cannot do,
but the services call :func:`require` themselves, so a hidden button is never the only
guard.

Sign-in is slowed per account and the count is kept in the database, so a guesser gains
nothing by starting new processes: five wrong passwords in a row are free (typos), from then
on each wrong one locks the account for twice as long as the one before (1 s, 2 s, 4 s, …,
at most 15 minutes); while locked, no password is even checked. A password someone else
chose (the built-in default of the seeded administrator, an administrator's reset) must be
changed before the account can do anything else.
"""

from __future__ import annotations

import enum
import getpass
import hashlib
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from desktop.audit import AuditLog
from desktop.db import Database
from desktop.db.models import CliSession, Officer, OrgUnit, Role
from desktop.kernel.errors import InvalidInput, MotcuaError, NotFound, PermissionDenied
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import utcnow


class Permission(enum.StrEnum):
    RECEIVE_DOSSIER = "receive_dossier"
    SCAN = "scan"
    SIGN_ORGANIZATION = "sign_organization"
    SIGN_PERSONAL = "sign_personal"
    SERVE_QUEUE = "serve_queue"
    ISSUE_TICKET = "issue_ticket"
    MANAGE_QUEUE = "manage_queue"
    UPLOAD = "upload"
    VIEW_REPORTS = "view_reports"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_OFFICERS = "manage_officers"
    EDIT_CALENDAR = "edit_calendar"
    EDIT_CATALOGUE = "edit_catalogue"
    #: see the queue's state (the display board): numbers and counters, no personal data
    VIEW_QUEUE = "view_queue"
    #: delete local copies of closed, delivered dossiers' personal data (desktop.privacy): administrators
    PURGE_PERSONAL_DATA = "purge_personal_data"


_COUNTER = {
    Permission.RECEIVE_DOSSIER, Permission.SCAN, Permission.SIGN_ORGANIZATION, Permission.SIGN_PERSONAL,
    Permission.SERVE_QUEUE, Permission.ISSUE_TICKET, Permission.UPLOAD, Permission.VIEW_QUEUE,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.COUNTER_OFFICER: frozenset(_COUNTER),
    # Postal agents receive, digitize and return results for many departments; the
    # organization's signature stays with the civil servants of the unit.
    Role.POSTAL_AGENT: frozenset(_COUNTER - {Permission.SIGN_ORGANIZATION}),
    Role.SUPERVISOR: frozenset({Permission.VIEW_REPORTS, Permission.MANAGE_QUEUE, Permission.ISSUE_TICKET,
                                Permission.UPLOAD, Permission.SERVE_QUEUE, Permission.EDIT_CALENDAR,
                                Permission.VIEW_QUEUE}),
    Role.ADMIN: frozenset(Permission),
    # The unattended screens: the kiosk only issues tickets (it ran as a supervisor before,
    # able to edit the calendar and manage the queue); the board only reads the queue.
    Role.KIOSK: frozenset({Permission.ISSUE_TICKET}),
    Role.DISPLAY_BOARD: frozenset({Permission.VIEW_QUEUE}),
    # The background uploader sends only what an officer's action already queued.
    Role.UPLOADER: frozenset({Permission.UPLOAD}),
    # The daily purge the administrator's retention setting asks for, and nothing else.
    Role.RETENTION: frozenset({Permission.PURGE_PERSONAL_DATA}),
}
#: roles of processes, never of an officer account
BUILT_IN_ROLES = frozenset({Role.KIOSK, Role.DISPLAY_BOARD, Role.UPLOADER, Role.RETENTION})

ROLE_NAMES = {
    Role.COUNTER_OFFICER: ("Cán bộ một cửa", "Counter officer"),
    Role.POSTAL_AGENT: ("Nhân viên bưu điện", "Postal agent"),
    Role.SUPERVISOR: ("Lãnh đạo / giám sát", "Supervisor"),
    Role.ADMIN: ("Quản trị hệ thống", "Administrator"),
    Role.KIOSK: ("Máy lấy số", "Ticket kiosk"),
    Role.DISPLAY_BOARD: ("Màn hình hiển thị", "Display board"),
    Role.UPLOADER: ("Bộ gửi hồ sơ tự động", "Background uploader"),
    Role.RETENTION: ("Xóa dữ liệu hết thời hạn lưu", "Retention purge"),
}


def role_name(role: Role) -> str:
    vi, en = ROLE_NAMES[role]
    return msg(vi, en)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in officer, or the command line of the workstation."""

    username: str
    role: Role
    officer_id: int | None = None
    full_name: str = ""
    unit_id: int | None = None
    #: signed in with a password someone else chose: nothing is allowed until it is changed
    must_change_password: bool = False

    @property
    def audit_name(self) -> str:
        return self.username

    def can(self, perm: Permission) -> bool:
        return perm in ROLE_PERMISSIONS[self.role]

    @classmethod
    def cli(cls) -> Actor:
        """An administrator for in-process tests and benchmarks.

        No command or screen acts as this: the ``motcua`` command signs an officer in
        (desktop/cli/_signin.py); tests/core/test_cli_signin.py checks that nothing under
        ``desktop/`` or ``ui/`` calls it.
        """
        return cls(username=f"cli:{os_user()}", role=Role.ADMIN, full_name="motcua CLI")

    @classmethod
    def kiosk(cls) -> Actor:
        return cls(username="kiosk", role=Role.KIOSK, full_name="Kiosk")

    @classmethod
    def display_board(cls) -> Actor:
        return cls(username="display-board", role=Role.DISPLAY_BOARD, full_name="Display board")

    @classmethod
    def uploader(cls) -> Actor:
        return cls(username="uploader", role=Role.UPLOADER, full_name="Background uploader")

    @classmethod
    def retention(cls) -> Actor:
        return cls(username="retention", role=Role.RETENTION, full_name="Retention purge")


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service environments
        return "unknown"


def require_password_chosen(actor: Actor) -> None:
    """Refuse everything to an account whose password someone else chose, until it is changed."""
    if actor.must_change_password:
        raise PermissionDenied(msg("Cần đổi mật khẩu trước (mật khẩu hiện tại do người khác đặt): "
                                   "chạy “motcua officer passwd” hoặc đăng nhập trên ứng dụng.",
                                   "Change the password first (the current one was set by someone else): "
                                   "run “motcua officer passwd” or sign in in the application."))


def require(actor: Actor, perm: Permission) -> None:
    require_password_chosen(actor)
    if not actor.can(perm):
        raise PermissionDenied(msg("Vai trò “{role}” không được phép thực hiện việc này ({perm}).",
                                   "The role “{role}” is not allowed to do this ({perm}).",
                                   role=role_name(actor.role), perm=perm.value))


_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
# Verified against when the user name is unknown, so the answer takes as long either way
# (``ok`` also needs an officer, so no password can match it). A constant, not hashed at
# import: that cost 0.2-0.9 s at the start of every command. The password behind it was
# random and discarded; tests/core/test_auth_security.py checks it has _hasher's parameters.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$hJTS1z69e2b0QXNhhnHcXw$s/aRpE399OeVMzoV7FRAVestqOeMNjrnqZmsDCU6h+k"

MIN_PASSWORD_LENGTH = 10
FREE_FAILURES = 5
FIRST_LOCK = timedelta(seconds=1)
MAX_LOCK = timedelta(minutes=15)
#: the seeded administrator's password when MOTCUA_ADMIN_PASSWORD is not set; public (README)
BUILT_IN_ADMIN_PASSWORD = "motcua-admin"
CLI_SESSION_HOURS = 8.0

# The first guesses of every password list, in Vietnamese and English forms, compared
# without case, diacritics, spaces or punctuation ("Mật khẩu 123" is "matkhau123").
COMMON_PASSWORDS = frozenset({
    "password", "password1", "password12", "password123", "passw0rd", "1234567890", "123456789", "12345678",
    "0123456789", "1111111111", "0000000000", "1234512345", "9876543210", "qwertyuiop", "qwerty123", "qwerty1234",
    "asdfghjkl", "1q2w3e4r5t", "abc123456", "abcd1234", "abcdef123", "iloveyou", "iloveyou1", "admin123",
    "admin12345", "administrator", "letmein123", "welcome123", "changeme", "changeme123", "matkhau", "matkhau1",
    "matkhau123", "matkhau1234", "matkhaumoi", "anhyeuem", "anhyeuem123", "emyeuanh", "toiyeuvietnam",
    "vietnam123", "hanoi12345", "saigon123", "motcua", "motcua123", "motcua2024", "motcua2025", "motcua2026",
    "motcuaadmin", "bophanmotcua", "ubndxa123", "quantri123", "quantrivien", "canbo123",
})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def password_problem(username: str, password: str) -> str | None:
    """Why a new password is too weak, in the user's language; None if it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return msg("Mật khẩu cần ít nhất {n} ký tự.", "The password needs at least {n} characters.",
                   n=MIN_PASSWORD_LENGTH)
    folded, name = _fold(password), _fold(username)
    if name and len(name) >= 3 and name in folded:
        return msg("Mật khẩu không được chứa tên đăng nhập.", "The password must not contain the user name.")
    if folded in COMMON_PASSWORDS or len(set(folded)) <= 2:
        return msg("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.",
                   "This password is too common and easily guessed; choose another one.")
    return None


def check_strength(username: str, password: str) -> None:
    problem = password_problem(username, password)
    if problem:
        raise InvalidInput(problem)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def lock_after(failures: int) -> timedelta | None:
    """How long the account stays locked after this many wrong passwords in a row."""
    if failures < FREE_FAILURES:
        return None
    return min(FIRST_LOCK * (2 ** min(failures - FREE_FAILURES, 20)), MAX_LOCK)


class AccountLocked(PermissionDenied):
    """Too many wrong passwords: the account refuses every password for ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, int(retry_after + 0.999))
        super().__init__(msg("Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {s} giây "
                             "(hoặc nhờ quản trị viên đặt lại mật khẩu).",
                             "The account is locked for now after too many wrong passwords; try again in {s} s "
                             "(or ask an administrator to reset the password).", s=seconds))
        self.retry_after = retry_after


def _wrong() -> InvalidInput:
    return InvalidInput(msg("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AuthService:
    def __init__(self, db: Database, audit: AuditLog, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.audit = audit
        self.clock = clock  # tests move time on instead of sleeping through a lockout

    def create_officer(self, actor: Actor, *, username: str, full_name: str, role: Role | str,
                       password: str, position: str = "", unit_code: str | None = None) -> Actor:
        require(actor, Permission.MANAGE_OFFICERS)
        role = Role(role)
        if role in BUILT_IN_ROLES:
            raise InvalidInput(msg("Vai trò “{r}” chỉ dành cho máy lấy số/màn hình, không cho tài khoản.",
                                   "The role “{r}” belongs to the kiosk/display screens, not to accounts.",
                                   r=role_name(role)))
        check_strength(username, password)
        with self.db.session() as s:
            if s.scalar(select(Officer).where(Officer.username == username)) is not None:
                raise MotcuaError(msg("Tên đăng nhập “{u}” đã tồn tại.", "The user name “{u}” already exists.",
                                      u=username))
            unit_id = None
            if unit_code:
                unit = s.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
                if unit is None:
                    raise NotFound(msg("Không có đơn vị mã {c}.", "No unit with code {c}.", c=unit_code))
                unit_id = unit.id
            officer = Officer(username=username, full_name=full_name, role=role.value, position=position,
                              unit_id=unit_id, password_hash=hash_password(password))
            s.add(officer)
            s.flush()
            self.audit.record(s, actor=actor.audit_name, action="officer.create", entity_type="officer",
                              entity_id=officer.id, data={"username": username, "role": role.value})
            return self._actor(officer)

    def sign_in(self, username: str, password: str) -> Actor:
        """The officer, if the password is right and the account not locked; audited either way.

        The attempt is counted as wrong *before* the (slow) password check and forgiven after
        it, so parallel guesses cannot all slip in before the lock: each one takes a number.
        """
        now = self.clock()
        locked_for: float | None = None
        stored = _DUMMY_HASH
        officer_id: int | None = None
        with self.db.session() as s:
            officer = s.scalar(select(Officer).where(Officer.username == username))
            if officer is not None and officer.locked_until is not None and officer.locked_until > now:
                locked_for = (officer.locked_until - now).total_seconds()
                self.audit.record(s, actor=username or "?", action="auth.sign_in_locked", entity_type="officer",
                                  entity_id=officer.id, data={"retry_after_s": round(locked_for)})
            elif officer is not None and officer.active:
                officer_id, stored = officer.id, officer.password_hash
                officer.failed_sign_ins = (officer.failed_sign_ins or 0) + 1
                lock = lock_after(officer.failed_sign_ins)
                officer.locked_until = now + lock if lock else None
        if locked_for is not None:
            raise AccountLocked(locked_for)
        ok = check_password(stored, password) and officer_id is not None
        with self.db.session() as s:
            officer = s.get(Officer, officer_id) if officer_id is not None else None
            if ok and officer is not None:
                officer.failed_sign_ins, officer.locked_until = 0, None
                actor: Actor | None = self._actor(officer)
            else:
                actor = None
            data = {} if ok or officer is None else {"failures": officer.failed_sign_ins}
            self.audit.record(s, actor=username or "?", action="auth.sign_in" if ok else "auth.sign_in_failed",
                              entity_type="officer", entity_id=officer_id or "", data=data)
        # raised after the commit, so the failed attempt stays in the audit log
        if actor is None:
            raise _wrong()
        return actor

    def change_password(self, username: str, old_password: str, new_password: str) -> Actor:
        """The officer's own change: the old password proves who asks (with the same lockout)."""
        self.sign_in(username, old_password)
        check_strength(username, new_password)
        if new_password == old_password:
            raise InvalidInput(msg("Mật khẩu mới phải khác mật khẩu cũ.", "The new password must differ from the old one."))
        with self.db.session() as s:
            officer = s.scalar(select(Officer).where(Officer.username == username))
            if officer is None:
                raise _wrong()
            officer.password_hash = hash_password(new_password)
            officer.must_change_password = False
            officer.password_changed_at = self.clock()
            s.execute(delete(CliSession).where(CliSession.officer_id == officer.id))  # sessions of the old one
            self.audit.record(s, actor=username, action="officer.password_change", entity_type="officer",
                              entity_id=officer.id)
            return self._actor(officer)

    def reset_password(self, actor: Actor, username: str, new_password: str) -> None:
        """An administrator sets someone's password (and unlocks it); they must change it at sign-in."""
        require(actor, Permission.MANAGE_OFFICERS)
        check_strength(username, new_password)
        with self.db.session() as s:
            officer = s.scalar(select(Officer).where(Officer.username == username))
            if officer is None:
                raise NotFound(msg("Không có tài khoản “{u}”.", "No account “{u}”.", u=username))
            officer.password_hash = hash_password(new_password)
            officer.must_change_password = officer.username != actor.username
            officer.failed_sign_ins, officer.locked_until = 0, None
            officer.password_changed_at = self.clock()
            s.execute(delete(CliSession).where(CliSession.officer_id == officer.id))
            self.audit.record(s, actor=actor.audit_name, action="officer.password_reset", entity_type="officer",
                              entity_id=officer.id, data={"username": username})

    # --- sessions of the command line (``motcua login``) ----------------------------------

    def open_cli_session(self, actor: Actor, os_login: str, hours: float = CLI_SESSION_HOURS) -> tuple[str, datetime]:
        """A new random token for this OS user; only its hash is stored. Returns (token, expiry)."""
        if actor.officer_id is None:
            raise InvalidInput(msg("Chỉ tài khoản cán bộ mới đăng nhập được.", "Only officer accounts can sign in."))
        if not 0 < hours <= 24 * 7:
            raise InvalidInput(msg("Thời hạn phiên phải từ trên 0 đến 168 giờ.",
                                   "A session lasts more than 0 and at most 168 hours."))
        token = secrets.token_urlsafe(32)
        now = self.clock()
        expires = now + timedelta(hours=hours)
        with self.db.session() as s:
            s.execute(delete(CliSession).where(CliSession.expires_at <= now))  # forget expired ones
            s.add(CliSession(token_hash=_token_hash(token), officer_id=actor.officer_id, os_user=os_login,
                             created_at=now, expires_at=expires))
            self.audit.record(s, actor=actor.audit_name, action="auth.cli_login", entity_type="officer",
                              entity_id=actor.officer_id, data={"os_user": os_login, "expires": expires.isoformat()})
        return token, expires

    def resume_cli_session(self, token: str, os_login: str) -> Actor | None:
        """The officer of a live session of this OS user, or None (expired, ended, disabled)."""
        with self.db.session() as s:
            row = s.scalar(select(CliSession).where(CliSession.token_hash == _token_hash(token)))
            if row is None or row.os_user != os_login or row.expires_at <= self.clock():
                return None
            officer = s.get(Officer, row.officer_id)
            if officer is None or not officer.active:
                return None
            return self._actor(officer)

    def close_cli_session(self, token: str) -> bool:
        with self.db.session() as s:
            row = s.scalar(select(CliSession).where(CliSession.token_hash == _token_hash(token)))
            if row is None:
                return False
            s.delete(row)
            officer = s.get(Officer, row.officer_id)
            self.audit.record(s, actor=officer.username if officer else "?", action="auth.cli_logout",
                              entity_type="officer", entity_id=row.officer_id, data={"os_user": row.os_user})
            return True

    def officers(self) -> list[Actor]:
        with self.db.session() as s:
            return [self._actor(o) for o in s.scalars(select(Officer).order_by(Officer.username))]

    @staticmethod
    def _actor(o: Officer) -> Actor:
        return Actor(username=o.username, role=Role(o.role), officer_id=o.id, full_name=o.full_name,
                     unit_id=o.unit_id, must_change_password=bool(o.must_change_password))
