"""Exceptions whose message is meant for the person at the counter.

Anything raised as :class:`MotcuaError` carries a message that is already in the
user's language (see :mod:`desktop.kernel.i18n`) and is shown as it is, without a traceback.
Every other exception is a bug: it is logged with its traceback to the log file and
the user sees a short generic message.
"""

from __future__ import annotations


class MotcuaError(Exception):
    """An error the user can act on; ``str(err)`` is the localized message."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class NotFound(MotcuaError):
    """A named thing (procedure, service, counter, dossier, ...) does not exist."""


class InvalidInput(MotcuaError):
    """Input from the user or a file that cannot be used as given."""


class PermissionDenied(MotcuaError):
    """The signed-in user's role does not allow the action."""

    exit_code = 3


class Conflict(MotcuaError):
    """The action does not fit the current state (e.g. ending a ticket never called)."""


class StorageError(InvalidInput):
    """The operating system refused a file operation: permission, read-only, full disk, wrong kind."""


def explain_os_error(exc: OSError) -> StorageError:
    """An OS error as a message in the user's language that says what to do.

    The operating system's own text (English, or the system's locale) is left out of the
    Vietnamese message: the log keeps it with the traceback.
    """
    import errno

    from desktop.kernel.i18n import msg

    path = exc.filename if exc.filename is not None else msg("tệp", "a file")
    code = exc.errno
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return StorageError(msg("{p} là một thư mục, ở đây cần một tệp.", "{p} is a folder; a file is needed here.",
                                p=path),
                            hint=msg("Chỉ ra tệp nằm trong thư mục đó (ví dụ {p}/trang-1.png).",
                                     "Name a file inside that folder (for example {p}/page-1.png).", p=path))
    if isinstance(exc, NotADirectoryError) or code == errno.ENOTDIR:
        return StorageError(msg("Một phần của đường dẫn {p} là tệp, không phải thư mục.",
                                "Part of the path {p} is a file, not a folder.", p=path),
                            hint=msg("Kiểm tra lại đường dẫn.", "Check the path."))
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        return StorageError(msg("Không tìm thấy {p}.", "{p} was not found.", p=path),
                            hint=msg("Kiểm tra đường dẫn, hoặc ổ đĩa/USB đã được cắm chưa.",
                                     "Check the path, and that the drive or USB stick is plugged in."))
    if code == errno.EROFS:
        return StorageError(msg("Ổ đĩa chứa {p} chỉ cho đọc, không ghi được.",
                                "The drive holding {p} is read-only; nothing can be written there.", p=path),
                            hint=msg("Chọn thư mục trên ổ ghi được, hoặc gỡ chế độ chỉ đọc (khóa thẻ nhớ, mount ro).",
                                     "Choose a folder on a writable drive, or lift the read-only mode "
                                     "(card lock switch, read-only mount)."))
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return StorageError(msg("Không có quyền truy cập {p}.", "No permission to access {p}.", p=path),
                            hint=msg("Cấp quyền đọc/ghi cho tài khoản đang chạy motcua (hoặc nhờ quản trị viên), "
                                     "hoặc dùng thư mục khác (--data-dir).",
                                     "Give the account running motcua read/write access (or ask the administrator), "
                                     "or use another folder (--data-dir)."))
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StorageError(msg("Ổ đĩa đầy (hoặc hết hạn mức) khi ghi {p}; chưa ghi xong.",
                                "The disk is full (or the quota used up) while writing {p}; it was not written.",
                                p=path),
                            hint=msg("Giải phóng dung lượng (xóa tệp tạm, bản sao cũ) rồi thử lại.",
                                     "Free some space (temporary files, old copies) and try again."))
    if code == errno.EIO:
        return StorageError(msg("Lỗi đọc/ghi thiết bị với {p}.", "Input/output error on the device for {p}.", p=path),
                            hint=msg("Ổ đĩa hoặc USB có thể bị rút ra hay hỏng: kiểm tra thiết bị rồi thử lại.",
                                     "The drive or USB stick may have been removed or be failing: check it and retry."))
    if code in (errno.EMFILE, errno.ENFILE, errno.ENOMEM):
        return StorageError(msg("Máy hết tài nguyên (tệp mở hoặc bộ nhớ).", "The machine ran out of resources "
                                "(open files or memory)."),
                            hint=msg("Đóng bớt chương trình rồi thử lại.", "Close some programs and try again."))
    name = errno.errorcode.get(code or 0, "?")
    return StorageError(msg("Hệ điều hành từ chối thao tác với {p} (mã {c}).",
                            "The operating system refused the operation on {p} ({c}: {e}).",
                            p=path, c=name, e=exc.strerror or ""),
                        hint=msg("Chi tiết kỹ thuật đã ghi vào tệp nhật ký.", "Technical details are in the log file."))


def require_readable_file(path: object) -> None:
    """Refuse, with the right reason and fix, an input that is missing, a folder, or unreadable.

    ``is_file()`` alone said "not found" for a folder and for a file one may not read.
    """
    import errno
    import os
    from pathlib import Path

    p = Path(str(path))
    if p.is_dir():
        raise explain_os_error(IsADirectoryError(errno.EISDIR, "Is a directory", str(p)))
    if not p.exists():
        raise explain_os_error(FileNotFoundError(errno.ENOENT, "No such file", str(p)))
    if not p.is_file():
        raise StorageError(_special_file(str(p)))
    if not os.access(p, os.R_OK):
        raise explain_os_error(PermissionError(errno.EACCES, "Permission denied", str(p)))


def _special_file(path: str) -> str:
    from desktop.kernel.i18n import msg

    return msg("{p} không phải tệp thường (thiết bị, ống dẫn…).", "{p} is not a regular file (device, pipe, ...).",
               p=path)
