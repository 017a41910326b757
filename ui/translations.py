"""Loading the Qt translations: Qt's own strings plus every ``resources/i18n/*_<lang>.qm``.

Sources are English; Vietnamese is the default language. The installed translators are
kept referenced here (a QTranslator that is garbage-collected silently stops working).
Qt's own strings (dialog buttons, the file dialog, the print preview) come from Qt's
``qtbase_<lang>.qm`` in its translations folder when Qt ships one; for Vietnamese it ships
none (PySide6 6.x), so ``resources/i18n/qtbase_vi.qm`` is ours, and the absence is logged
once per process.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)
I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
_installed: list[QTranslator] = []
_reported_missing: set[str] = set()


def qt_translations_dir() -> Path:
    """Where this Qt keeps its own ``qtbase_*.qm`` files."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install(lang: str) -> list[str]:
    """Replace the installed translators with those for ``lang``; returns the files loaded."""
    app = QCoreApplication.instance()
    assert app is not None
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English,
                               QLocale.Country.Vietnam if lang == "vi" else QLocale.Country.UnitedStates))
    loaded: list[str] = []
    if lang == "en":
        return loaded
    qt = QTranslator()
    if qt.load(QLocale(QLocale.Language.Vietnamese), "qtbase", "_", str(qt_translations_dir())):
        app.installTranslator(qt)
        _installed.append(qt)
        loaded.append("qtbase")
    elif lang not in _reported_missing:
        _reported_missing.add(lang)
        ours = I18N_DIR / f"qtbase_{lang}.qm"
        log.info("Qt has no qtbase_%s.qm in %s; Qt's own texts come from %s", lang, qt_translations_dir(),
                 ours if ours.is_file() else "nowhere (they stay English)")
    for qm in sorted(I18N_DIR.glob(f"*_{lang}.qm")):
        t = QTranslator()
        if t.load(str(qm)):
            app.installTranslator(t)
            _installed.append(t)
            loaded.append(qm.name)
        else:
            log.warning("could not load translation %s", qm)
    return loaded
