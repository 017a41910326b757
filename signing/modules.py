"""Where the token vendors' PKCS#11 modules are installed, per platform.

The tokens sold in Viet Nam come with a driver that puts its PKCS#11 module in a known
place (mostly ``System32`` on Windows, ``/usr/lib`` on Linux). The Settings screen offers
those found on this machine, so that an officer picks "VNPT-CA" instead of typing a path.
Only file existence is checked: loading a module runs vendor code, which is done when the
module is chosen (``signing.tokens``), not while listing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath


@dataclass(frozen=True)
class ModuleCandidate:
    vendor: str
    path: str


#: Windows: (vendor, template); {SystemRoot}, {ProgramFiles}, {ProgramFiles(x86)} from the environment
WINDOWS: tuple[tuple[str, str], ...] = (
    ("SafeNet eToken", r"{SystemRoot}\System32\eTPKCS11.dll"),
    ("SafeNet eToken", r"{ProgramFiles}\SafeNet\Authentication\SAC\x64\eTPKCS11.dll"),
    ("VNPT-CA", r"{SystemRoot}\System32\vnptca_p11_v6.dll"),
    ("VNPT-CA", r"{ProgramFiles}\VNPT-CA\vnptca_p11_v6.dll"),
    ("Viettel-CA", r"{SystemRoot}\System32\viettel-ca_v6.dll"),
    ("Viettel-CA", r"{ProgramFiles}\Viettel-CA\viettel-ca_v6.dll"),
    ("BkavCA", r"{SystemRoot}\System32\BkavCA.dll"),
    ("BkavCA", r"{ProgramFiles}\BkavCA\BkavCA.dll"),
    ("Bit4id", r"{SystemRoot}\System32\bit4xpki.dll"),
    ("OpenSC", r"{ProgramFiles}\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll"),
)
#: Linux: absolute paths (the vendors' Linux drivers and the distribution's modules)
LINUX: tuple[tuple[str, str], ...] = (
    ("SafeNet eToken", "/usr/lib/libeTPkcs11.so"),
    ("SafeNet eToken", "/usr/lib/x86_64-linux-gnu/libeTPkcs11.so"),
    ("VNPT-CA", "/usr/lib/libvnptca_p11_v6.so"),
    ("VNPT-CA", "/usr/lib/x86_64-linux-gnu/libvnptca_p11_v6.so"),
    ("Viettel-CA", "/usr/lib/libviettel-ca_v6.so"),
    ("Viettel-CA", "/usr/lib/x86_64-linux-gnu/libviettel-ca_v6.so"),
    ("BkavCA", "/usr/lib/libBkavCA.so"),
    ("Bit4id", "/usr/lib/libbit4xpki.so"),
    ("Bit4id", "/usr/lib/x86_64-linux-gnu/libbit4xpki.so"),
    ("OpenSC", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"),
    ("SoftHSM2", "/usr/lib/softhsm/libsofthsm2.so"),
)
_WINDOWS_DEFAULTS = {"SystemRoot": r"C:\Windows", "ProgramFiles": r"C:\Program Files",
                     "ProgramFiles(x86)": r"C:\Program Files (x86)"}


def candidate_paths(platform: str | None = None, env: Mapping[str, str] | None = None) -> list[ModuleCandidate]:
    """Every place a vendor's module may be, for ``platform`` (default: this one)."""
    platform = platform or sys.platform
    if platform == "win32":
        environ = {**_WINDOWS_DEFAULTS, **{k: v for k, v in (env if env is not None else os.environ).items()
                                           if k in _WINDOWS_DEFAULTS}}
        return [ModuleCandidate(v, t.format_map(environ)) for v, t in WINDOWS]
    return [ModuleCandidate(v, p) for v, p in LINUX]


def discover_modules(platform: str | None = None, env: Mapping[str, str] | None = None,
                     root: Path | None = None) -> list[ModuleCandidate]:
    """The candidates present on this machine, once each (the first place wins per file name).

    ``root`` prefixes every path (a fake tree in tests, a mounted system image).
    """
    found: list[ModuleCandidate] = []
    seen: set[str] = set()
    platform = platform or sys.platform
    for cand in candidate_paths(platform, env):
        local = _on_disk(cand.path, platform, root)
        name = (PureWindowsPath(cand.path).name if platform == "win32" else PurePosixPath(cand.path).name).lower()
        if name in seen or not local.is_file():
            continue
        seen.add(name)
        found.append(ModuleCandidate(cand.vendor, str(local) if root is not None else cand.path))
    return found


def _on_disk(path: str, platform: str, root: Path | None) -> Path:
    if root is None:
        return Path(path)
    if platform == "win32":
        win = PureWindowsPath(path)
        return root.joinpath(win.drive.rstrip(":"), *win.parts[1:])
    return root.joinpath(*PurePosixPath(path).parts[1:])
