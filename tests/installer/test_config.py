"""Workstation settings files: precedence, schema upgrade, bad input, secrets, ``motcua config``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.config import CONFIG_SCHEMA, check_settings, load_settings, read_config

ROOT = Path(__file__).resolve().parents[2]
FAKE_KEYRING = "tests.installer.file_keyring.FileKeyring"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    system, user = tmp_path / "etc" / "motcua.toml", tmp_path / "home" / "motcua.toml"
    system.parent.mkdir()
    user.parent.mkdir()
    monkeypatch.setenv("MOTCUA_SYSTEM_CONFIG", str(system))
    monkeypatch.setenv("MOTCUA_USER_CONFIG", str(user))
    for var in ("MOTCUA_DB_URL", "MOTCUA_DOSSIER_URL", "MOTCUA_UNIT_CODE", "MOTCUA_COUNTER", "MOTCUA_PKCS11_MODULE",
                "MOTCUA_DB_PASSWORD", "MOTCUA_DOSSIER_CLIENT_SECRET"):
        monkeypatch.delenv(var, raising=False)
    return system, user


def test_precedence_command_line_env_user_system_default(tmp_path: Path, files: tuple[Path, Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    system, user = files
    system.write_text('schema = 2\n[workstation]\nunit = "SYS.UNIT"\ncounter = 7\n[printers]\ntickets = "XP-80C"\n'
                      '[database]\nurl = "sqlite:///sys.db"\n[dossier_system]\nurl = "https://sys.example"\n')
    user.write_text('schema = 2\n[workstation]\nunit = "USER.UNIT"\n[database]\nurl = "sqlite:///user.db"\n'
                    '[dossier_system]\nurl = "https://user.example"\n')
    monkeypatch.setenv("MOTCUA_DOSSIER_URL", "https://env.example")
    monkeypatch.setenv("MOTCUA_DB_URL", "sqlite:///env.db")
    s = load_settings(tmp_path / "data", db_url="sqlite:///cli.db")
    assert s.db_url == "sqlite:///cli.db" and s.sources["db_url"] == "command line"
    assert s.dossier_url == "https://env.example" and s.sources["dossier_url"] == "env:MOTCUA_DOSSIER_URL"
    assert s.unit_code == "USER.UNIT" and s.sources["unit_code"].startswith("user:")
    assert s.counter_number == "7" and s.ticket_printer == "XP-80C" and s.sources["ticket_printer"].startswith("system:")
    assert s.receipt_printer == "" and "receipt_printer" not in s.sources  # the default
    assert s.problems == []


def test_schema_1_is_upgraded_and_a_newer_schema_is_read_for_known_keys(tmp_path: Path,
                                                                        files: tuple[Path, Path]) -> None:
    system, user = files
    system.write_text('db_url = "sqlite:///old.db"\nunit_code = "OLD.UNIT"\n')  # schema 1: flat keys
    s = load_settings(tmp_path / "data")
    assert (s.db_url, s.unit_code) == ("sqlite:///old.db", "OLD.UNIT") and s.problems == []
    assert read_config(system)["workstation"] == {"unit": "OLD.UNIT"}
    user.write_text(f'schema = {CONFIG_SCHEMA + 1}\n[workstation]\ncounter = "2"\n')
    s = load_settings(tmp_path / "data")
    assert s.counter_number == "2"
    assert any("newer" in p or "mới hơn" in p for p in s.problems)


def test_bad_files_are_reported_not_fatal(tmp_path: Path, files: tuple[Path, Path]) -> None:
    system, user = files
    system.write_text("[database\nurl = ")  # not TOML
    user.write_text('schema = 2\n[workstation]\nunit = 5\ncolour = "blue"\nlanguage = "fr"\n'
                    '[dossier_system]\nclient_secret = "s3cret"\n[database]\nurl = "postgresql://u:pw@h/db"\n')
    s = load_settings(tmp_path / "data")
    text = "\n".join(s.problems)
    assert "TOML" in text
    assert "workstation.colour" in text and "workstation.unit" in text and "workstation.language" in text
    assert "dossier_system.client_secret" in text and "s3cret" not in text
    assert "database.password" in text  # the password in the URL is pointed out
    assert s.unit_code == "000.00.00.H00" and s.language == "vi"  # wrong values fall back to what is below
    unreadable = tmp_path / "dir-not-file.toml"
    unreadable.mkdir()
    os.environ["MOTCUA_SYSTEM_CONFIG"] = str(unreadable)
    s = load_settings(tmp_path / "data")
    assert any("cannot be read" in p or "không đọc được" in p for p in s.problems)


def test_check_requires_verified_tls_when_the_centre_does(tmp_path: Path, files: tuple[Path, Path]) -> None:
    system, _ = files
    system.write_text('schema = 2\n[database]\nrequire_tls = true\nurl = "postgresql+psycopg://ws@db/motcua"\n')
    s = load_settings(tmp_path / "data")
    problems = check_settings(s)
    assert any("sslmode=verify-full" in p for p in problems)
    assert any("MOTCUA_DB_PASSWORD" in p for p in problems)  # no keyring here: says how to set it
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    system.write_text('schema = 2\n[database]\nrequire_tls = true\n'
                      f'url = "postgresql+psycopg://ws@db/motcua?sslmode=verify-full&sslrootcert={ca}"\n')
    os.environ["MOTCUA_DB_PASSWORD"] = "pw"
    try:
        assert check_settings(load_settings(tmp_path / "data")) == []
    finally:
        del os.environ["MOTCUA_DB_PASSWORD"]


def test_notice_settings_are_typed_and_their_secrets_never_in_a_file(tmp_path: Path, files: tuple[Path, Path],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.kernel.i18n import set_language

    set_language("en")
    for var in ("MOTCUA_SMTP_PASSWORD", "MOTCUA_SMS_TOKEN", "MOTCUA_SMTP_HOST", "MOTCUA_SMTP_PORT"):
        monkeypatch.delenv(var, raising=False)
    system, user = files
    system.write_text('schema = 2\n[smtp]\nhost = "mail.quynhon.gov.vn"\nport = 465\nsecurity = "ssl"\n'
                      'user = "motcua"\npassword = "lo-ra"\n[sms]\nurl = "https://sms.local/send"\ntext = "unicode"\n'
                      'max_parts = 3\n')
    s = load_settings(tmp_path / "data")
    assert (s.smtp_host, s.smtp_port, s.smtp_security, s.smtp_user) == ("mail.quynhon.gov.vn", 465, "ssl", "motcua")
    assert (s.sms_url, s.sms_text, s.sms_max_parts) == ("https://sms.local/send", "unicode", 3)
    assert not hasattr(s, "smtp_password")
    assert any("smtp.password" in p and "keyring" in p for p in s.problems), s.problems  # refused, reported
    problems = check_settings(s)
    assert any("smtp.sender" in p for p in problems)
    assert any("MOTCUA_SMTP_PASSWORD" in p for p in problems) and any("MOTCUA_SMS_TOKEN" in p for p in problems)
    monkeypatch.setenv("MOTCUA_SMTP_PASSWORD", "lo-ra")
    monkeypatch.setenv("MOTCUA_SMS_TOKEN", "t")
    assert not any("MOTCUA_SMTP_PASSWORD" in p or "MOTCUA_SMS_TOKEN" in p for p in check_settings(s))
    system.write_text('schema = 2\n[smtp]\nsecurity = "tls-maybe"\nport = "x"\n')
    bad = load_settings(tmp_path / "data")
    assert (bad.smtp_security, bad.smtp_port) == ("starttls", 587)  # the defaults stay, the problems are said
    assert any("smtp.security" in p for p in bad.problems) and any("smtp.port" in p for p in bad.problems)


def test_settings_save_writes_the_user_file_and_retires_settings_json(tmp_path: Path, files: tuple[Path, Path]) -> None:
    system, user = files
    system.write_text('schema = 2\n[workstation]\nunit = "SYS.UNIT"\n')
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"language": "en", "pkcs11_module": "/old.so"}))
    s = load_settings(data)
    assert (s.language, s.pkcs11_module, s.unit_code) == ("en", "/old.so", "SYS.UNIT")
    s.pkcs11_module = ""  # reset in the Settings screen
    s.counter_number = "4"
    s.save()
    doc = read_config(user)
    assert doc["workstation"] == {"language": "en", "counter": "4"}  # the system's unit is not copied
    assert not (data / "settings.json").exists()
    again = load_settings(data)
    assert (again.pkcs11_module, again.counter_number, again.unit_code) == ("", "4", "SYS.UNIT")


def _cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None,
         stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "data"), *args],
                          capture_output=True, text=True, input=stdin, timeout=120, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def test_config_commands(tmp_path: Path, files: tuple[Path, Path]) -> None:
    system, user = files
    r = _cli(tmp_path, "config", "set", "printers.tickets", "XP-80C")
    assert r.returncode == 0, r.stderr
    r = _cli(tmp_path, "config", "set", "workstation.counter", "3", "--system")
    assert r.returncode == 0, r.stderr
    assert read_config(system)["workstation"]["counter"] == "3"
    r = _cli(tmp_path, "config", "set", "no.such", "x")
    assert r.returncode == 2 and "no.such" in r.stderr
    r = _cli(tmp_path, "config", "set", "database.require_tls", "maybe")
    assert r.returncode == 2
    r = _cli(tmp_path, "config", "set", "database.url", "postgresql://u:pw@h/db")
    assert r.returncode == 2 and "pw" not in user.read_text()
    r = _cli(tmp_path, "--lang", "en", "config", "show", "--json")
    shown = {row["key"]: row for row in json.loads(r.stdout)["settings"]}
    assert shown["printers.tickets"]["value"] == "XP-80C" and shown["printers.tickets"]["source"].startswith("user:")
    assert shown["workstation.counter"]["source"].startswith("system:")
    assert shown["database.password"]["value"] == "(not set)"
    # no printing system answers there (the session's scheduler, tests/cups.py, may be running)
    r = _cli(tmp_path, "--lang", "en", "config", "check", env={"CUPS_SERVER": str(tmp_path / "no-cups.sock")})
    assert r.returncode == 1 and "Cannot check the printers (printers.tickets)" in r.stdout, r.stdout
    assert _cli(tmp_path, "config", "unset", "printers.tickets").returncode == 0
    r = _cli(tmp_path, "config", "check")
    assert r.returncode == 0, r.stdout
    user.write_text(user.read_text() + "\n[bogus]\nx = 1\n")
    r = _cli(tmp_path, "--lang", "en", "config", "check")
    assert r.returncode == 1 and "bogus" in r.stdout


def test_secrets_go_to_the_keyring_never_the_file(tmp_path: Path, files: tuple[Path, Path]) -> None:
    _, user = files
    # no keyring backend on this machine (no desktop session): a clear message and the way out
    r = _cli(tmp_path, "--lang", "en", "config", "set", "dossier_system.client_secret", "-", stdin="s3cret\n")
    assert r.returncode == 2
    assert "keyring" in r.stderr and "MOTCUA_DOSSIER_CLIENT_SECRET" in r.stderr
    # a keyring backend that keeps secrets in a file of the test (stands in for the Secret Service /
    # Windows Credential Manager, which cannot run here without a desktop session)
    env = {"PYTHON_KEYRING_BACKEND": FAKE_KEYRING, "MOTCUA_TEST_KEYRING": str(tmp_path / "keyring.json"),
           "PYTHONPATH": str(ROOT)}
    r = _cli(tmp_path, "config", "set", "dossier_system.client_secret", "-", env=env, stdin="s3cret\n")
    assert r.returncode == 0, r.stderr
    r = _cli(tmp_path, "--lang", "en", "config", "show", "--json", env=env)
    shown = {row["key"]: row for row in json.loads(r.stdout)["settings"]}
    assert shown["dossier_system.client_secret"] == {"key": "dossier_system.client_secret", "value": "(set)",
                                                      "source": "keyring"}
    assert "s3cret" not in r.stdout
    assert not user.exists() or "s3cret" not in user.read_text()
    logs = list((tmp_path / "data" / "logs").glob("*"))
    assert logs and all("s3cret" not in p.read_text(errors="replace") for p in logs if p.is_file())
    assert json.loads((tmp_path / "keyring.json").read_text()) == {"motcua/dossier_system.client_secret": "s3cret"}


def test_reread_takes_what_another_process_set_and_keeps_what_was_set_here(tmp_path: Path,
                                                                            files: tuple[Path, Path]) -> None:
    s = load_settings(tmp_path / "data")
    assert not s.reread("retention_days") and s.retention_days == 0
    r = _cli(tmp_path, "config", "set", "storage.retention_days", "90")
    assert r.returncode == 0, r.stderr
    assert s.reread("retention_days") and s.retention_days == 90
    assert not s.reread("retention_days")  # taken once
    s.retention_days = 30  # the Settings screen, in this process, not saved yet
    assert not s.reread("retention_days") and s.retention_days == 30
    s.save()
    assert not s.reread("retention_days") and s.retention_days == 30
    user = s.config_path()
    user.write_text(user.read_text() + "\n[storage\n")  # half-edited by hand: what runs stays
    assert not s.reread("retention_days") and s.retention_days == 30


def test_reread_leaves_a_value_from_the_command_line(tmp_path: Path, files: tuple[Path, Path]) -> None:
    s = load_settings(tmp_path / "data", retention_days=7)
    assert _cli(tmp_path, "config", "set", "storage.retention_days", "90").returncode == 0
    assert not s.reread("retention_days") and s.retention_days == 7
