"""Text folding for search: what the officer types matches what was recorded, with or
without Vietnamese marks ("Đức" = "duc"), the same on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case, no Vietnamese diacritics (đ → d), single spaces: the search key."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(plain.lower().split())


def unaccent(text: str) -> str:
    """``text`` without Vietnamese diacritics, case kept ("Hồ sơ Đức" → "Ho so Duc"): what a
    brand-name SMS gateway expects, and what fits the GSM 7-bit alphabet."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def dossier_search_key(code: str, applicant_name: str, id_number: str) -> str:
    """What the dossier list searches in: code, applicant and ID number, folded, one string
    (a LIKE on one indexed-width column instead of three ORs over folded expressions)."""
    return fold(f"{code} {applicant_name} {id_number}")[:400]


__all__ = ["dossier_search_key", "fold", "unaccent"]
