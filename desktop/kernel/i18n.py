"""The user's language for messages produced by the core (Qt-free).

The UI translates its own strings with Qt's .ts/.qm files (``resources/i18n``). Core
messages that reach the user (errors, CLI output) are written as Vietnamese/English
pairs at the place they are raised: ``msg("Không tìm thấy …", "Not found …")``. The
language is Vietnamese unless the settings or ``MOTCUA_LANG`` say ``en``.
"""

from __future__ import annotations

import os

SUPPORTED = ("vi", "en")
_language: str | None = None


def current_language() -> str:
    if _language is not None:
        return _language
    env = os.environ.get("MOTCUA_LANG", "").strip().lower()[:2]
    return env if env in SUPPORTED else "vi"


def set_language(lang: str | None) -> None:
    """Select ``vi`` or ``en`` for this process; ``None`` goes back to the default."""
    global _language
    if lang is not None and lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED}")
    _language = lang


def msg(vi: str, en: str, /, **params: object) -> str:
    """Pick the message in the current language and fill ``{name}`` placeholders."""
    text = en if current_language() == "en" else vi
    return text.format(**params) if params else text
