"""The token vendors' PKCS#11 modules are found in their usual places (a fake directory tree)."""

from __future__ import annotations

from pathlib import Path

from signing.modules import candidate_paths, discover_modules

VENDOR_DLLS = ("eTPKCS11.dll", "vnptca_p11_v6.dll", "viettel-ca_v6.dll", "BkavCA.dll", "bit4xpki.dll")


def _touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"MZ")


def test_every_vendor_module_in_system32_is_offered(tmp_path: Path) -> None:
    for dll in VENDOR_DLLS:
        _touch(tmp_path / "C" / "Windows" / "System32" / dll)
    found = discover_modules("win32", env={}, root=tmp_path)
    assert sorted(Path(c.path).name for c in found) == sorted(VENDOR_DLLS)
    assert {c.vendor for c in found} == {"SafeNet eToken", "VNPT-CA", "Viettel-CA", "BkavCA", "Bit4id"}


def test_windows_locations_follow_the_environment(tmp_path: Path) -> None:
    env = {"SystemRoot": r"D:\WINNT", "ProgramFiles": r"D:\Apps"}
    paths = [c.path for c in candidate_paths("win32", env)]
    assert r"D:\WINNT\System32\vnptca_p11_v6.dll" in paths
    _touch(tmp_path / "D" / "Apps" / "VNPT-CA" / "vnptca_p11_v6.dll")
    found = discover_modules("win32", env=env, root=tmp_path)
    assert [(c.vendor, Path(c.path).name) for c in found] == [("VNPT-CA", "vnptca_p11_v6.dll")]


def test_a_module_present_twice_is_offered_once_and_absent_ones_not_at_all(tmp_path: Path) -> None:
    _touch(tmp_path / "C" / "Windows" / "System32" / "eTPKCS11.dll")
    _touch(tmp_path / "C" / "Program Files" / "SafeNet" / "Authentication" / "SAC" / "x64" / "eTPKCS11.dll")
    found = discover_modules("win32", env={}, root=tmp_path)
    assert len(found) == 1 and found[0].path.endswith("System32/eTPKCS11.dll".replace("/", "/"))
    assert discover_modules("win32", env={}, root=tmp_path / "empty") == []


def test_linux_tree(tmp_path: Path) -> None:
    _touch(tmp_path / "usr" / "lib" / "x86_64-linux-gnu" / "libvnptca_p11_v6.so")
    _touch(tmp_path / "usr" / "lib" / "softhsm" / "libsofthsm2.so")
    found = discover_modules("linux", root=tmp_path)
    assert [c.vendor for c in found] == ["VNPT-CA", "SoftHSM2"]


def test_this_machine_offers_the_installed_softhsm() -> None:
    # the real file system: SoftHSM2 is installed by scripts/apt-packages.txt
    assert any(c.vendor == "SoftHSM2" for c in discover_modules("linux"))
