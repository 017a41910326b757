"""Durable replacement of output files: fsync the new content, rename, fsync the folder.

Every output is written to a temporary name and renamed into place, so a reader never sees
half a file; without the fsync before the rename a power cut can still leave the new name
pointing at an empty file (the rename reaches the disk before the data). Outputs holding
personal data are made 0600.
"""

from __future__ import annotations

import os
from pathlib import Path


def fsync_file(path: str | os.PathLike[str]) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def fsync_dir(path: str | os.PathLike[str]) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(tmp: str | os.PathLike[str], target: str | os.PathLike[str], *, private: bool = False) -> None:
    """``os.replace(tmp, target)`` after the data is on disk, then the rename too."""
    if private and os.name == "posix":
        os.chmod(tmp, 0o600)
    fsync_file(tmp)
    os.replace(tmp, target)
    fsync_dir(Path(target).parent)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it 0700, whatever the umask."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path


#: files the application creates are its OS account's only: they hold citizens' data
PRIVATE_UMASK = 0o077


def restrict_umask() -> int | None:
    """Make every file and folder this process creates 0600/0700 (POSIX); returns the old mask (None: not POSIX).

    Set once at the entry point, so that what third-party libraries write (PDF, image and
    SoftHSM files) is covered too, not only the writers that chmod their own outputs.
    """
    if os.name != "posix":
        return None  # Windows: the profile folder's ACL already keeps other users out
    return os.umask(PRIVATE_UMASK)
