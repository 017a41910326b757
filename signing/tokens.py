"""PKCS#11 tokens: load a vendor module, list slots, tokens and certificates, open sessions.

Vietnamese signing tokens (Government Cipher Committee, Viettel-CA, VNPT-CA, BKAV-CA,
SafeCert, ...) come with a vendor PKCS#11 library. Loading the wrong file is the most
common set-up fault, so the file is inspected before it is loaded: a missing file, a
32-bit library in a 64-bit app (or the reverse), a Windows DLL on Linux, or a library
that is not PKCS#11 each get their own message in the user's language.

Certificates are public objects: listing them needs no PIN. A key is always chosen by
its CKA_ID (the same id joins the private key and its certificate), never by its label,
which vendors' tools set freely.
"""

from __future__ import annotations

import os
import platform
import struct
import sys
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.kernel.errors import MotcuaError
from desktop.kernel.i18n import msg
from desktop.kernel.timeutil import iso_vn, utcnow

#: vendor modules met on Vietnamese tokens, per OS, as suggestions for the settings screen
KNOWN_MODULES: dict[str, list[str]] = {
    "windows": [
        r"C:\Windows\System32\eTPKCS11.dll",          # SafeNet eToken (Ban Cơ yếu, many CAs)
        r"C:\Windows\System32\bit4xpki.dll",          # bit4id (VNPT-CA, Viettel-CA)
        r"C:\Windows\System32\viettel-ca_v6.dll",     # Viettel-CA
        r"C:\Windows\System32\vnptca_p11_v6.dll",     # VNPT-CA
        r"C:\Windows\System32\BkavCA.dll",            # BKAV-CA
        r"C:\Windows\System32\ShuttleCsp11_3003.dll",  # ePass / FPT-CA, NewTel-CA
        r"C:\Windows\System32\ngp11v211.dll",         # Nacencomm CA2
        r"C:\Windows\System32\SafeCertP11.dll",       # SafeCert
    ],
    "linux": [
        "/usr/lib/libeToken.so",                      # SafeNet Authentication Client
        "/usr/lib/libeTPkcs11.so",
        "/usr/lib/libbit4xpki.so",                    # bit4id
        "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",  # OpenSC (generic PIV/CardOS cards)
        "/usr/lib/softhsm/libsofthsm2.so",            # SoftHSM2 (tests and the demo token)
    ],
    "macos": [
        "/usr/local/lib/libeTPkcs11.dylib",
        "/Library/bit4id/pkcs11/libbit4xpki.dylib",
        "/Library/OpenSC/lib/opensc-pkcs11.so",
    ],
}

#: PKCS#11 errors that mean the token (or its reader) went away under us
GONE_ERRORS = ("DeviceRemoved", "TokenNotPresent", "SessionClosed", "SessionHandleInvalid", "DeviceError",
               "TokenNotRecognised", "SlotIDInvalid")


class TokenGone(MotcuaError):
    """The token was pulled out (or its reader unplugged) while it was in use."""


class ModuleLoadError(MotcuaError):
    """The configured PKCS#11 module cannot be used; the message says why."""


def current_os() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def suggested_modules(os_name: str | None = None, *, existing_only: bool = False) -> list[str]:
    """Known vendor module paths for this OS (only the ones present when ``existing_only``)."""
    paths = KNOWN_MODULES.get(os_name or current_os(), [])
    return [p for p in paths if Path(p).exists()] if existing_only else list(paths)


# --------------------------------------------------------------------------- module loading

_ELF_MACHINES = {3: "x86 (32-bit)", 62: "x86-64", 40: "ARM (32-bit)", 183: "ARM64"}
_PE_MACHINES = {0x14C: "x86 (32-bit)", 0x8664: "x86-64", 0xAA64: "ARM64", 0x1C4: "ARM (32-bit)"}
_HOST_MACHINES = {"x86_64": "x86-64", "amd64": "x86-64", "aarch64": "ARM64", "arm64": "ARM64",
                  "i386": "x86 (32-bit)", "i686": "x86 (32-bit)", "x86": "x86 (32-bit)", "armv7l": "ARM (32-bit)"}


def _host_arch() -> str:
    machine = _HOST_MACHINES.get(platform.machine().lower(), platform.machine())
    if struct.calcsize("P") == 4 and machine == "x86-64":
        return "x86 (32-bit)"  # a 32-bit Python on a 64-bit OS loads 32-bit libraries
    return machine


def inspect_module(path: str) -> tuple[str, str]:
    """What kind of binary ``path`` is: (format, architecture); ("", "") when unknown.

    Formats: "elf", "pe" (Windows DLL), "macho", "text" or "unknown".
    """
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return "", ""
    if head[:4] == b"\x7fELF" and len(head) >= 20:
        bits = {1: 32, 2: 64}.get(head[4], 0)
        endian = "<" if head[5] == 1 else ">"
        machine = struct.unpack(endian + "H", head[18:20])[0]
        arch = _ELF_MACHINES.get(machine, f"machine {machine}")
        if bits == 32 and machine == 62:
            arch = "x32"
        return "elf", arch
    if head[:2] == b"MZ" and len(head) >= 0x40:
        pe = struct.unpack("<I", head[0x3C:0x40])[0]
        if pe + 6 <= len(head) and head[pe:pe + 4] == b"PE\0\0":
            machine = struct.unpack("<H", head[pe + 4:pe + 6])[0]
            return "pe", _PE_MACHINES.get(machine, f"machine {machine:#x}")
        return "pe", ""
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xcf"):
        return "macho", ""
    if head and all(32 <= b < 127 or b in (9, 10, 13) for b in head[:512]):
        return "text", ""
    return "unknown", ""


def _module_error(path: str, reason_vi: str, reason_en: str) -> ModuleLoadError:
    return ModuleLoadError(
        msg("Không dùng được mô-đun PKCS#11 “{p}”: {r}", "Cannot use PKCS#11 module “{p}”: {r}", p=path,
            r=msg(reason_vi, reason_en)),
        hint=msg("Cài trình điều khiển token của nhà cung cấp và chọn đúng tệp. Thường gặp: {m}",
                 "Install the token vendor's driver and choose its library. Common ones: {m}",
                 m=", ".join(Path(p).name for p in suggested_modules())))


def _precheck(path: str) -> None:
    """Refuse files that can never load here, with the reason a person can act on."""
    if not path:
        raise _module_error("", "chưa chọn tệp thư viện.", "no library file chosen.")
    p = Path(path)
    if not p.exists():
        raise _module_error(path, "không tìm thấy tệp (chưa cài trình điều khiển token?).",
                            "file not found (is the token driver installed?).")
    if p.is_dir():
        raise _module_error(path, "đây là thư mục, không phải tệp thư viện.", "this is a folder, not a library file.")
    kind, arch = inspect_module(path)
    host_os, host_arch = current_os(), _host_arch()
    if kind == "pe" and host_os != "windows":
        raise _module_error(path, "đây là thư viện Windows (.dll); trên máy này cần bản .so của nhà cung cấp.",
                            "this is a Windows library (.dll); this computer needs the vendor's .so build.")
    if kind == "macho" and host_os != "macos":
        raise _module_error(path, "đây là thư viện macOS.", "this is a macOS library.")
    if kind == "elf" and host_os != "linux":
        raise _module_error(path, "đây là thư viện Linux (.so).", "this is a Linux library (.so).")
    if kind in ("elf", "pe") and arch and arch != host_arch:
        raise _module_error(path, f"sai kiến trúc: thư viện {arch}, phần mềm chạy {host_arch}. "
                                  f"Hãy dùng bản {host_arch} của trình điều khiển.",
                            f"wrong architecture: the library is {arch}, this program runs {host_arch}. "
                            f"Use the driver's {host_arch} build.")
    if kind in ("text", "unknown") or (kind == "" and p.stat().st_size == 0):
        raise _module_error(path, "tệp này không phải thư viện chương trình.", "this file is not a program library.")


_LOCK = threading.Lock()
_LIBS: dict[str, Any] = {}


def load_module(module_path: str) -> Any:
    """Load a PKCS#11 module once per process (``pkcs11.lib``), with clear errors.

    The same file reached by two paths (a symlink) is loaded once: initializing a
    module twice is an error in PKCS#11.
    """
    import pkcs11

    path = os.path.abspath(os.path.expanduser(module_path)) if module_path else ""
    _precheck(path)
    real = os.path.realpath(path)
    with _LOCK:
        lib = _LIBS.get(real)
        if lib is None:
            # something else in this process (the demo token, pyHanko) may have loaded it
            for so, other in list(getattr(pkcs11, "_loaded", {}).items()):
                if os.path.realpath(so) == real:
                    lib = other
                    break
        if lib is None:
            try:
                lib = pkcs11.lib(path)
            except Exception as exc:
                text = str(exc)
                if "C_GetFunctionList" in text:
                    raise _module_error(path, "thư viện này không phải mô-đun PKCS#11.",
                                        "this library is not a PKCS#11 module.") from exc
                if "ELFCLASS" in text or "wrong ELF class" in text:
                    raise _module_error(path, "sai kiến trúc (32/64-bit).", "wrong architecture (32/64-bit).") from exc
                raise _module_error(path, f"không nạp được ({text}).", f"it cannot be loaded ({text}).") from exc
        elif not getattr(lib, "initialized", True):
            lib.initialize()
        _LIBS[real] = lib
        return lib


def pkcs11_error(exc: BaseException) -> MotcuaError:
    """The user-facing error for a PKCS#11 exception (found anywhere in its chain)."""
    found = find_pkcs11_error(exc) or exc
    name = type(found).__name__
    if name in ("PinIncorrect", "PinInvalid", "PinLenRange"):
        return MotcuaError(msg("Sai mã PIN của token.", "Wrong token PIN."),
                           hint=msg("Nhiều token bị khóa sau 3 lần sai; kiểm tra kỹ trước khi thử lại.",
                                    "Many tokens lock after 3 wrong PINs; check before trying again."))
    if name == "PinLocked":
        return MotcuaError(msg("Token đã bị khóa PIN; chỉ đơn vị cấp token mở khóa được.",
                               "The token's PIN is locked; only its issuer can unlock it."))
    if name == "PinExpired":
        return MotcuaError(msg("Mã PIN của token đã hết hạn; hãy đổi PIN bằng phần mềm của nhà cung cấp.",
                               "The token's PIN has expired; change it with the vendor's tool."))
    if name in GONE_ERRORS:
        return TokenGone(msg("Token đã bị rút ra hoặc đầu đọc bị ngắt ({e}).",
                             "The token was removed or its reader disconnected ({e}).", e=name),
                         hint=msg("Cắm lại token và ký lại các tệp chưa ký.", "Plug the token back in and sign the rest."))
    if name in ("NoSuchToken", "MultipleTokensReturned"):
        return MotcuaError(msg("Không thấy token cần dùng: hãy cắm token và thử lại.",
                               "The token was not found: plug it in and try again."))
    return MotcuaError(msg("Lỗi token PKCS#11: {e}", "PKCS#11 token error: {e}", e=f"{name} {found}".strip()))


def find_pkcs11_error(exc: BaseException | None) -> BaseException | None:
    """The PKCS#11 exception in ``exc``'s cause/context chain (pyHanko wraps them)."""
    import pkcs11.exceptions as p11e

    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, p11e.PKCS11Error):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def is_token_gone(exc: BaseException) -> bool:
    found = find_pkcs11_error(exc)
    return isinstance(exc, TokenGone) or (found is not None and type(found).__name__ in GONE_ERRORS)


# --------------------------------------------------------------------------- listing

@dataclass(frozen=True)
class PinFlags:
    count_low: bool = False
    final_try: bool = False
    locked: bool = False
    to_be_changed: bool = False

    @classmethod
    def from_token(cls, token: Any) -> PinFlags:
        from pkcs11 import TokenFlag

        f = int(token.flags)
        return cls(bool(f & TokenFlag.USER_PIN_COUNT_LOW), bool(f & TokenFlag.USER_PIN_FINAL_TRY),
                   bool(f & TokenFlag.USER_PIN_LOCKED), bool(f & TokenFlag.USER_PIN_TO_BE_CHANGED))


@dataclass
class CertInfo:
    subject: str
    issuer: str
    not_before: str
    not_after: str
    key_usage: list[str]
    key_id: str
    days_to_expiry: int
    common_name: str = ""
    organization: str = ""
    serial_number: str = ""
    has_private_key: bool = False

    @property
    def can_sign(self) -> bool:
        return bool({"digital_signature", "non_repudiation"} & set(self.key_usage)) or not self.key_usage


@dataclass
class TokenInfo:
    slot_id: int
    label: str
    serial: str
    manufacturer: str
    model: str
    flags: PinFlags = field(default_factory=PinFlags)
    slot_description: str = ""
    certificates: list[CertInfo] = field(default_factory=list)

    # the flat names older callers use
    @property
    def count_low(self) -> bool:
        return self.flags.count_low

    @property
    def final_try(self) -> bool:
        return self.flags.final_try

    @property
    def locked(self) -> bool:
        return self.flags.locked

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_KU_NAMES = (("digital_signature", "digital_signature"), ("content_commitment", "non_repudiation"),
             ("key_encipherment", "key_encipherment"), ("data_encipherment", "data_encipherment"),
             ("key_agreement", "key_agreement"), ("key_cert_sign", "key_cert_sign"), ("crl_sign", "crl_sign"))


def cert_info(der: bytes, key_id: str, now: datetime | None = None, *, has_private_key: bool = False) -> CertInfo:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    now = now or utcnow()
    cert = x509.load_der_x509_certificate(der)
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        usages = [name for attr, name in _KU_NAMES if getattr(ku, attr)]
    except x509.ExtensionNotFound:
        usages = []

    def first(oid: Any) -> str:
        attrs = cert.subject.get_attributes_for_oid(oid)
        return str(attrs[0].value) if attrs else ""

    return CertInfo(cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), iso_vn(cert.not_valid_before_utc),
                    iso_vn(cert.not_valid_after_utc), usages, key_id,
                    (cert.not_valid_after_utc - now).days, first(NameOID.COMMON_NAME),
                    first(NameOID.ORGANIZATION_NAME), format(cert.serial_number, "x"), has_private_key)


def token_serial(token: Any) -> str:
    """The token's serial number as text (PKCS#11 gives 16 padded bytes)."""
    raw = token.serial
    return (raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)).strip()


class TokenManager:
    """One configured PKCS#11 module: what it shows, and sessions on its tokens."""

    def __init__(self, module_path: str) -> None:
        self.module_path = module_path
        self._lib: Any = None

    @property
    def lib(self) -> Any:
        if self._lib is None:
            self._lib = load_module(self.module_path)
        return self._lib

    def _tokens(self) -> Iterator[tuple[Any, Any]]:
        import pkcs11.exceptions as p11e
        from pkcs11 import TokenFlag

        for slot in self.lib.get_slots(token_present=True):
            try:
                t = slot.get_token()
            except (p11e.TokenNotRecognised, p11e.TokenNotPresent, p11e.DeviceRemoved):
                continue  # a card being pulled while we list
            if not int(t.flags) & TokenFlag.TOKEN_INITIALIZED:
                continue  # an empty slot waiting for initialization (SoftHSM2 always has one)
            yield slot, t

    def list_tokens(self, now: datetime | None = None) -> list[TokenInfo]:
        """Every initialized token with its PIN flags and certificates (no PIN needed)."""
        import pkcs11.exceptions as p11e
        from pkcs11 import Attribute, ObjectClass

        now = now or utcnow()
        out: list[TokenInfo] = []
        try:
            for slot, t in self._tokens():
                info = TokenInfo(slot.slot_id, t.label, token_serial(t), t.manufacturer_id.strip(), t.model.strip(),
                                 PinFlags.from_token(t), slot.slot_description.strip())
                try:
                    with t.open() as s:
                        private_ids = set()
                        # private keys are usually hidden before login; when visible they say which certs sign
                        for k in s.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}):
                            private_ids.add(bytes(k[Attribute.ID]).hex())
                        for obj in s.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                            try:
                                kid = bytes(obj[Attribute.ID]).hex()
                                info.certificates.append(cert_info(bytes(obj[Attribute.VALUE]), kid, now,
                                                                   has_private_key=kid in private_ids))
                            except (ValueError, p11e.PKCS11Error):
                                continue  # a non-X.509 or unreadable object is not ours to show
                except (p11e.TokenNotPresent, p11e.DeviceRemoved):
                    continue
                out.append(info)
        except p11e.PKCS11Error as exc:
            raise pkcs11_error(exc) from exc
        return out

    def get_token(self, *, label: str | None = None, serial: str | None = None) -> Any:
        """The token with this label or serial (the only token when neither is given)."""
        tokens = [t for _, t in self._tokens()
                  if (label is None or t.label == label) and (serial is None or token_serial(t) == serial)]
        if len(tokens) == 1:
            return tokens[0]
        if not tokens:
            which = label or serial or ""
            raise MotcuaError(msg("Không thấy token {w}: hãy cắm token và thử lại.",
                                  "Token {w} not found: plug it in and try again.", w=which).replace("  ", " "))
        raise MotcuaError(msg("Có nhiều token đang cắm; hãy chọn theo nhãn hoặc số sê-ri.",
                              "Several tokens are plugged in; choose one by label or serial."))

    def find_signing_key_id(self, token: Any, key_id: str | None = None) -> str:
        """The CKA_ID to sign with: ``key_id`` if given, else the only signing certificate."""
        if key_id:
            return key_id.lower().replace(":", "").replace(" ", "")
        with token.open() as s:
            from pkcs11 import Attribute, ObjectClass

            ids = []
            for obj in s.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                info = cert_info(bytes(obj[Attribute.VALUE]), bytes(obj[Attribute.ID]).hex())
                if info.can_sign and info.days_to_expiry >= 0:
                    ids.append(info.key_id)
        if len(ids) == 1:
            return ids[0]
        raise MotcuaError(msg("Token có {n} chứng thư ký số còn hạn; hãy chọn một theo CKA_ID (--key-id).",
                              "The token has {n} valid signing certificates; choose one by CKA_ID (--key-id).",
                              n=len(ids)))
