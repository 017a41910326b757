"""Officers, sign-in and role-based permissions, checked in the core.

Passwords are hashed with Argon2id (argon2-cffi). The UI hides what a role cannot do,
but the services call :func:`require` themselves, so a hidden button is never the only
guard.
"""

from __future__ import annotations

import enum
import getpass
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from desktop.audit import AuditLog
from desktop.db import Database
from desktop.db.models import Officer, OrgUnit, Role
from desktop.kernel.errors import InvalidInput, MotcuaError, NotFound, PermissionDenied
from desktop.kernel.i18n import msg


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


_COUNTER = {
    Permission.RECEIVE_DOSSIER, Permission.SCAN, Permission.SIGN_ORGANIZATION, Permission.SIGN_PERSONAL,
    Permission.SERVE_QUEUE, Permission.ISSUE_TICKET, Permission.UPLOAD,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.COUNTER_OFFICER: frozenset(_COUNTER),
    # Postal agents receive, digitize and return results for many departments; the
    # organization's signature stays with the civil servants of the unit.
    Role.POSTAL_AGENT: frozenset(_COUNTER - {Permission.SIGN_ORGANIZATION}),
    Role.SUPERVISOR: frozenset({Permission.VIEW_REPORTS, Permission.MANAGE_QUEUE, Permission.ISSUE_TICKET,
                                Permission.UPLOAD, Permission.SERVE_QUEUE, Permission.EDIT_CALENDAR}),
    Role.ADMIN: frozenset(Permission),
}

ROLE_NAMES = {
    Role.COUNTER_OFFICER: ("Cán bộ một cửa", "Counter officer"),
    Role.POSTAL_AGENT: ("Nhân viên bưu điện", "Postal agent"),
    Role.SUPERVISOR: ("Lãnh đạo / giám sát", "Supervisor"),
    Role.ADMIN: ("Quản trị hệ thống", "Administrator"),
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

    @property
    def audit_name(self) -> str:
        return self.username

    def can(self, perm: Permission) -> bool:
        return perm in ROLE_PERMISSIONS[self.role]

    @classmethod
    def cli(cls) -> Actor:
        """The workstation's command line: run by the centre's IT administrator or scripts."""
        try:
            user = getpass.getuser()
        except Exception:  # no login name in some service environments
            user = "unknown"
        return cls(username=f"cli:{user}", role=Role.ADMIN, full_name="motcua CLI")


def require(actor: Actor, perm: Permission) -> None:
    if not actor.can(perm):
        raise PermissionDenied(msg("Vai trò “{role}” không được phép thực hiện việc này ({perm}).",
                                   "The role “{role}” is not allowed to do this ({perm}).",
                                   role=role_name(actor.role), perm=perm.value))


_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


class AuthService:
    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

    def create_officer(self, actor: Actor, *, username: str, full_name: str, role: Role | str,
                       password: str, position: str = "", unit_code: str | None = None) -> Actor:
        require(actor, Permission.MANAGE_OFFICERS)
        role = Role(role)
        if len(password) < 8:
            raise InvalidInput(msg("Mật khẩu cần ít nhất 8 ký tự.", "The password needs at least 8 characters."))
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
        with self.db.session() as s:
            officer = s.scalar(select(Officer).where(Officer.username == username))
            ok = officer is not None and officer.active and check_password(officer.password_hash, password)
            self.audit.record(s, actor=username or "?", action="auth.sign_in" if ok else "auth.sign_in_failed",
                              entity_type="officer", entity_id=officer.id if officer else "")
            actor = self._actor(officer) if ok and officer is not None else None
        # raised after the commit, so the failed attempt stays in the audit log
        if actor is None:
            raise InvalidInput(msg("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."))
        return actor

    def officers(self) -> list[Actor]:
        with self.db.session() as s:
            return [self._actor(o) for o in s.scalars(select(Officer).order_by(Officer.username))]

    @staticmethod
    def _actor(o: Officer) -> Actor:
        return Actor(username=o.username, role=Role(o.role), officer_id=o.id, full_name=o.full_name,
                     unit_id=o.unit_id)
