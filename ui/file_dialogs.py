"""File dialogs confined to the officer's folders, never touching the database files.

A stock Qt file dialog sniffs the content of every file it lists (to pick an icon and a
type): listing ``motcua.db`` or its ``-shm`` opens and closes it, and on POSIX closing any
descriptor of a file drops every lock this process holds on it. The next ``motcua``
process then believed it was alone, checkpointed and deleted the WAL the application was
still writing to (issue 14). These dialogs therefore:

* start in one of the user-visible folders (scans, receipts, signed copies, home, media);
* stay within them: entering any other folder goes back to the first one;
* never list the private directory (database, backups, keys): a proxy hides it;
* never open a listed file: icons and types come from the file name alone.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, QFileInfo, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, QUrl
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QFileSystemModel, QWidget

from desktop.config import Settings

MEDIA_ROOTS = (Path("/media"), Path("/mnt"), Path("/run/media"))


def _inside(path: Path, root: Path) -> bool:
    try:
        return path == root or path.is_relative_to(root)
    except ValueError:
        return False


def _resolve(path: str | Path) -> Path:
    try:
        return Path(path).expanduser().resolve()
    except (OSError, RuntimeError):
        return Path(path).expanduser().absolute()


class NameOnlyIcons(QFileIconProvider):
    """Icons and types from the name only: the dialog opens no file to look inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QFileIconProvider.Option.DontUseCustomDirectoryIcons)

    def icon(self, what: QFileInfo | QFileIconProvider.IconType) -> QIcon:
        if isinstance(what, QFileInfo):
            kind = QFileIconProvider.IconType.Folder if what.isDir() else QFileIconProvider.IconType.File
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


class _HidePrivate(QSortFilterProxyModel):
    def __init__(self, hidden: list[Path]) -> None:
        super().__init__()
        self.hidden = hidden

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, QFileSystemModel):
            return True
        path = Path(model.filePath(model.index(row, 0, parent)))
        return not any(_inside(path, h) or _inside(_resolve(path), h) for h in self.hidden)


class ConfinedFileDialog(QFileDialog):
    """A non-native file dialog that starts in, and stays within, the officer's folders."""

    def __init__(self, parent: QWidget | None, caption: str, settings: Settings, *, start: Path | None = None,
                 name_filter: str = "", extra_roots: list[Path] | None = None) -> None:
        super().__init__(parent, caption)
        # the native dialog runs in this process too, and sniffs files: ours can be confined
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
        self.hidden = [_resolve(settings.private_dir)]
        self.roots = allowed_roots(settings) + [_resolve(r) for r in extra_roots or []]
        # kept referenced: the dialog does not own its icon provider
        self._icons = NameOnlyIcons()
        self.setIconProvider(self._icons)
        self._proxy = _HidePrivate(self.hidden)
        self.setProxyModel(self._proxy)
        self.setSidebarUrls([QUrl.fromLocalFile(str(r)) for r in self.roots if r.is_dir()])
        if name_filter:
            self.setNameFilter(name_filter)
        first = _resolve(start) if start else self.roots[0]
        self.setDirectory(str(first if self.allowed(first) else self.roots[0]))
        self.directoryEntered.connect(self._keep_inside)

    def allowed(self, path: Path) -> bool:
        p = _resolve(path)
        return not any(_inside(p, h) for h in self.hidden) and any(_inside(p, r) for r in self.roots)

    def setDirectory(self, directory: str | QDir) -> None:  # noqa: N802
        """Programmatic moves are confined too (the dialog's own navigation emits directoryEntered)."""
        path = Path(directory.absolutePath() if isinstance(directory, QDir) else directory)
        super().setDirectory(str(path if self.allowed(path) else self.roots[0]))

    def _keep_inside(self, directory: str) -> None:
        if not self.allowed(Path(directory)):
            self.setDirectory(str(self.roots[0]))

    def accept(self) -> None:
        if all(self.allowed(Path(f)) for f in self.selectedFiles()):
            super().accept()
        else:
            self.setDirectory(str(self.roots[0]))


def allowed_roots(settings: Settings) -> list[Path]:
    """The officer's folders (created when missing, private to this user), then home and media."""
    from desktop.kernel.files import private_dir

    roots = []
    for d in settings.user_dirs():
        try:
            private_dir(d)
        except OSError:
            continue
        roots.append(_resolve(d))
    roots.append(_resolve(Path.home()))
    roots += [m for m in MEDIA_ROOTS if m.is_dir()]
    return roots


def open_file_name(parent: QWidget | None, caption: str, settings: Settings, name_filter: str = "",
                   start: Path | None = None) -> str:
    names = open_file_names(parent, caption, settings, name_filter, start, multiple=False)
    return names[0] if names else ""


def open_file_names(parent: QWidget | None, caption: str, settings: Settings, name_filter: str = "",
                    start: Path | None = None, *, multiple: bool = True) -> list[str]:
    dlg = ConfinedFileDialog(parent, caption, settings, start=start, name_filter=name_filter)
    dlg.setFileMode(QFileDialog.FileMode.ExistingFiles if multiple else QFileDialog.FileMode.ExistingFile)
    return dlg.selectedFiles() if dlg.exec() else []


def existing_directory(parent: QWidget | None, caption: str, settings: Settings, start: Path | None = None) -> str:
    dlg = ConfinedFileDialog(parent, caption, settings, start=start)
    dlg.setFileMode(QFileDialog.FileMode.Directory)
    dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
    files = dlg.selectedFiles() if dlg.exec() else []
    return files[0] if files else ""


def save_file_name(parent: QWidget | None, caption: str, settings: Settings, suggested: str,
                   name_filter: str = "") -> str:
    """Where to write a new file: the exports folder first, never the private directory."""
    dlg = ConfinedFileDialog(parent, caption, settings, start=settings.data_dir / "exports", name_filter=name_filter)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setFileMode(QFileDialog.FileMode.AnyFile)
    dlg.selectFile(suggested)
    files = dlg.selectedFiles() if dlg.exec() else []
    return files[0] if files else ""
