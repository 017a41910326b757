"""Honest messages: every OS refusal says what happened and the fix, in the user's language.

Before: a read-only database or an unreadable file gave "Unexpected error" (or a PostgreSQL
hint with the driver's English text inside the Vietnamese sentence), a folder given as input
was "not found", and ``self-test`` said "passed" with a database it could not write.
Permissions are real: as root the commands run as uid 65534 (setpriv), else as this user.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.kernel.errors import explain_os_error
from tests.cli import OTHER_UID, motcua

ENGLISH_LEAKS = ("OperationalError", "readonly database", "Permission denied", "Errno", "Traceback",
                 "không mong đợi", "PostgreSQL")


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    """A folder the unprivileged account can reach (pytest's own is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="motcua-msg-", dir="/tmp"))
    d.chmod(0o755)
    home = d / "home"
    home.mkdir(mode=0o777)
    home.chmod(0o777)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def _env(shared: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(shared / "home"), "XDG_STATE_HOME": str(shared / "home")}


def _give(path: Path) -> None:
    if os.geteuid() == 0:
        for p in [path, *path.rglob("*")]:
            os.chown(p, OTHER_UID, OTHER_UID)


def _seeded(shared: Path) -> Path:
    data = shared / "data"
    assert motcua(data, "officer", "list").returncode == 0  # created, migrated and seeded
    for p in [data, *data.rglob("*")]:
        p.chmod(p.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if p.is_dir() else 0))
    return data


def _clean(text: str) -> None:
    for leak in ENGLISH_LEAKS:
        assert leak not in text, (leak, text)


def test_a_read_only_database_file_is_said_so_with_the_fix(shared: Path) -> None:
    data = _seeded(shared)
    _give(data)
    for extra in (data / "private").glob("motcua.db-*"):
        extra.unlink()
    (data / "private" / "motcua.db").chmod(0o444)
    r = motcua(data, "calendar", "set", "2026-01-05", "--kind", "holiday", unprivileged=True, env=_env(shared))
    assert r.returncode == 2, r.stderr
    assert "chỉ đọc được" in r.stderr and "quyền ghi" in r.stderr
    _clean(r.stderr)
    r = motcua(data, "self-test", unprivileged=True, env=_env(shared), user=None)
    assert r.returncode == 1 and "Kết quả: đạt" not in r.stdout  # it said "passed" before
    assert "chỉ đọc được" in r.stdout


def test_a_read_only_data_folder_does_not_hint_at_postgresql(shared: Path) -> None:
    data = _seeded(shared)  # owned by root, readable by all: not writable by the other account
    if os.geteuid() != 0:
        data.chmod(0o555)
        (data / "private" / "motcua.db").chmod(0o444)
    r = motcua(data, "officer", "list", unprivileged=True, env=_env(shared))
    assert r.returncode == 2, r.stderr
    assert "ghi" in r.stderr and str(data) in r.stderr
    _clean(r.stderr)
    r = motcua(data, "self-test", unprivileged=True, env=_env(shared), user=None)
    assert r.returncode == 1 and "Thư mục dữ liệu" in r.stdout and "quyền" in r.stdout


def test_an_unreadable_input_file_names_the_permission(shared: Path) -> None:
    img = shared / "to-khai.png"
    img.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    img.chmod(0o000 if os.geteuid() == 0 else 0o000)
    for command in (["ocr", str(img)], ["cccd", str(img)], ["verify", str(img)]):
        r = motcua(shared / "d", *command, unprivileged=True, env=_env(shared), user=None)
        assert r.returncode == 2 and "Không có quyền truy cập" in r.stderr, (command, r.stderr)
        _clean(r.stderr)


def test_a_folder_given_for_a_file_is_not_not_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    for command in (["ocr", str(folder)], ["digitize", str(folder), "-o", str(tmp_path / "o.pdf")],
                    ["cccd", str(folder)], ["verify", str(folder)]):
        assert main(["--data-dir", str(tmp_path / "d"), *command]) == 2, command
        err = capsys.readouterr().err
        assert "là một thư mục" in err and "Không tìm thấy" not in err, (command, err)


def test_a_full_disk_is_said_so(tmp_path: Path) -> None:
    import resource
    import subprocess
    import sys

    from PIL import Image, ImageDraw, ImageFont

    img = tmp_path / "page.png"
    im = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    for i in range(20):
        draw.text((100, 100 + i * 70), f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM {i}", fill=0, font=font)
    im.save(img, dpi=(150, 150))

    def limit() -> None:  # the kernel refuses writes past 20 KiB (EFBIG), as a full disk does (ENOSPC)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 << 10, 20 << 10))

    r = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "d"), "digitize", str(img),
                        "-o", str(tmp_path / "out.pdf")], capture_output=True, text=True, timeout=300,
                       preexec_fn=limit)
    assert r.returncode == 2 and "Ổ đĩa đầy" in r.stderr and "Giải phóng dung lượng" in r.stderr, r.stderr
    _clean(r.stderr)


@pytest.mark.parametrize(("code", "vi", "en"), [
    (errno.EROFS, "chỉ cho đọc", "read-only"), (errno.ENOSPC, "Ổ đĩa đầy", "disk is full"),
    (errno.EACCES, "Không có quyền", "No permission"), (errno.EISDIR, "là một thư mục", "is a folder"),
    (errno.EIO, "Lỗi đọc/ghi", "Input/output"),
])
def test_os_errors_in_both_languages(code: int, vi: str, en: str) -> None:
    from desktop.kernel.i18n import set_language

    exc = OSError(code, os.strerror(code), "/data/x")
    assert vi in str(explain_os_error(exc)) and os.strerror(code) not in str(explain_os_error(exc))
    set_language("en")
    assert en in str(explain_os_error(exc)) and explain_os_error(exc).hint
