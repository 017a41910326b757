"""Loading PKCS#11 modules (with the reasons a module cannot be used) and listing tokens."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from desktop.kernel.i18n import set_language
from signing.tokens import ModuleLoadError, TokenManager, inspect_module, load_module, suggested_modules
from tests.signing.conftest import motcua
from tests.signing.hsm import ORG, HsmToken


def test_lists_token_and_certificates_without_pin(hsm: HsmToken) -> None:
    tokens = TokenManager(hsm.module).list_tokens()
    tok = next(t for t in tokens if t.label == hsm.label)
    assert tok.serial == hsm.serial and tok.manufacturer == "SoftHSM project"
    assert not (tok.flags.count_low or tok.flags.final_try or tok.flags.locked)
    certs = {c.key_id: c for c in tok.certificates}
    assert set(certs) == {"01", "02", "03", "04", "05", "06", "ca"}
    assert certs["01"].organization == ORG and "Quy Nhơn" in certs["01"].subject
    assert certs["01"].key_usage == ["digital_signature", "non_repudiation"] and certs["01"].can_sign
    assert 360 <= certs["01"].days_to_expiry <= 365
    assert certs["02"].days_to_expiry < 0
    assert certs["04"].key_usage == ["key_encipherment"] and not certs["04"].can_sign
    assert certs["01"].not_after.endswith("+07:00")
    assert "Test Root CA" in certs["01"].issuer


def test_key_is_chosen_by_id_and_token_by_label_or_serial(hsm: HsmToken) -> None:
    m = TokenManager(hsm.module)
    assert m.get_token(serial=hsm.serial).label == hsm.label
    t = m.get_token(label=hsm.label)
    assert m.find_signing_key_id(t, "0A:0b") == "0a0b"
    with pytest.raises(ModuleLoadError.__mro__[1], match="CKA_ID"):
        m.find_signing_key_id(t)  # two valid signing certificates (01, 05, 06): the officer must choose
    with pytest.raises(ModuleLoadError.__mro__[1], match="NOPE"):
        m.get_token(label="NOPE")


def _elf(bits: int, machine: int) -> bytes:
    head = bytearray(b"\x7fELF" + bytes([1 if bits == 32 else 2, 1, 1]) + b"\0" * 9)
    head += struct.pack("<HH", 3, machine)
    return bytes(head) + b"\0" * 200


def _pe(machine: int) -> bytes:
    data = bytearray(b"MZ" + b"\0" * 0x3A + struct.pack("<I", 0x80) + b"\0" * (0x80 - 0x40))
    data += b"PE\0\0" + struct.pack("<H", machine) + b"\0" * 200
    return bytes(data)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_module_errors_say_why(tmp_path: Path, lang: str) -> None:
    set_language(lang)
    try:
        cases = {
            "missing": (tmp_path / "libnone.so", None, ("không tìm thấy tệp", "file not found")),
            "32bit": (tmp_path / "lib32.so", _elf(32, 3), ("sai kiến trúc", "wrong architecture")),
            "arm64": (tmp_path / "libarm.so", _elf(64, 183), ("sai kiến trúc", "wrong architecture")),
            "dll": (tmp_path / "eTPKCS11.dll", _pe(0x14C), ("thư viện Windows", "Windows library")),
            "text": (tmp_path / "notes.so", b"hello, I am not a library\n", ("không phải thư viện", "not a program")),
        }
        for name, (path, content, words) in cases.items():
            if content is not None:
                path.write_bytes(content)
            with pytest.raises(ModuleLoadError) as err:
                load_module(str(path))
            text = str(err.value)
            assert words[0 if lang == "vi" else 1] in text, (name, text)
            assert str(path) in text and "libeToken.so" in text  # names the file and suggests vendor modules
        # a real shared library that is not PKCS#11
        libz = next(p for p in ("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1",
                                "/lib/aarch64-linux-gnu/libz.so.1") if Path(p).exists())
        with pytest.raises(ModuleLoadError, match="PKCS#11"):
            load_module(libz)
    finally:
        set_language(None)


def test_inspect_module(hsm: HsmToken, tmp_path: Path) -> None:
    kind, arch = inspect_module(hsm.module)
    assert kind == "elf" and arch in ("x86-64", "ARM64")
    (tmp_path / "x.dll").write_bytes(_pe(0x8664))
    assert inspect_module(str(tmp_path / "x.dll")) == ("pe", "x86-64")
    assert "eTPKCS11.dll" in " ".join(suggested_modules("windows"))
    assert any("libeToken.so" in p for p in suggested_modules("linux"))


def test_tokens_cli(hsm: HsmToken, tmp_path: Path) -> None:
    r = motcua(hsm.env(), tmp_path, "tokens", "--pkcs11-module", hsm.module, "--json")
    assert r.returncode == 0, r.stderr
    tok = next(t for t in json.loads(r.stdout) if t["label"] == hsm.label)
    assert tok["flags"] == {"count_low": False, "final_try": False, "locked": False, "to_be_changed": False}
    assert {c["key_id"] for c in tok["certificates"]} >= {"01", "05"}
    r = motcua(hsm.env(), tmp_path, "tokens", "--pkcs11-module", hsm.module)
    assert r.returncode == 0 and "CKA_ID 01" in r.stdout and "đã hết hạn" in r.stdout
    bad = tmp_path / "lib32.so"
    bad.write_bytes(_elf(32, 3))
    r = motcua(hsm.env(), tmp_path, "tokens", "--pkcs11-module", str(bad))
    assert r.returncode == 2 and "sai kiến trúc" in r.stderr and "Traceback" not in r.stderr
