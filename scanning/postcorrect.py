"""Vietnamese-aware correction of Tesseract's words, only where Tesseract itself is unsure.

What it fixes is what Tesseract (``vie``) gets wrong on clean administrative pages:

- letters that do not exist in Vietnamese: ``Ñ`` inside ``NQ`` (``131/NÑQ-CP``), the
  Icelandic ``Ð`` (U+00D0) for ``Đ`` (U+0110) and the doubled ``QĐÐ``;
- legal reference numbers (``131/NQ-CP``, ``45/2020/NĐ-CP``, ``1024/QĐ-UBND``): each
  part checked against the abbreviations of Vietnamese legal documents, with ``ND``/``QD``
  given back their ``Đ`` only inside such a reference;
- roman enumerations ``(i) (ii) (iii)`` read as ``(j)``, ``(¡)``, ``(ïï)``, or one ``i`` short
  when the items before say which comes next;
- digits in numbers and dates (``O``→``0``, ``l``→``1`` between digits), ``m2`` after a
  number → ``m²``.

Every rule is limited to words whose confidence is below :data:`TRUST` (Tesseract's own
word confidence, 0–100), except letters that cannot occur in Vietnamese at all, and a
change is kept only if its result is well-formed (a known abbreviation, a syllable of the
Debian ``hunspell-vi`` word list read at run time, a roman numeral). High-confidence words
are never touched: no text is invented. NFC in, NFC out.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TRUST = 90.0  # words Tesseract is at least this sure of are left as they are
HUNSPELL_VI = (Path("/usr/share/hunspell/vi_VN.dic"), Path("/usr/share/myspell/vi_VN.dic"))


def hunspell_paths() -> list[Path]:
    """Where the word list may be: ``MOTCUA_HUNSPELL_DIR``, the frozen bundle's ``hunspell``
    folder (Windows, where no package provides it: installer/windows/build.ps1 copies it),
    then the distribution's (Debian's ``hunspell-vi``, which the .deb depends on)."""
    import os
    import sys

    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller in the frozen application
    found = [Path(d) / "vi_VN.dic" for d in (os.environ.get("MOTCUA_HUNSPELL_DIR"),
                                              Path(bundle) / "hunspell" if bundle else None) if d]
    return [*found, *HUNSPELL_VI]


def syllable_list() -> Path | None:
    """The word list the post-correction reads, or None when none is installed."""
    return next((p for p in hunspell_paths() if p.is_file()), None)

# Abbreviations of document types and issuing bodies in Vietnamese legal references
# (Decree 30/2020/ND-CP, appendix I: form and abbreviations of administrative documents).
LEGAL_ABBREVIATIONS = frozenset({
    "NQ", "NĐ", "QĐ", "CT", "TT", "TTLT", "QC", "QCVN", "TCVN", "PL", "L", "HP", "KH", "TB", "BC", "TTr",
    "CV", "HD", "HĐ", "BB", "GM", "GGT", "GUQ", "GXN", "PA", "ĐA", "DA", "CTr", "QH", "UBTVQH", "CP", "TTg",
    "UBND", "HĐND", "VPCP", "BCA", "BQP", "BTC", "BTP", "BNV", "BYT", "BCT", "BXD", "BNG", "BKHĐT", "BGTVT",
    "BGDĐT", "BLĐTBXH", "BNNPTNT", "BTNMT", "BTTTT", "BVHTTDL", "BKHCN", "NHNN", "TANDTC", "VKSNDTC", "KTNN",
    "UBTƯMTTQVN", "TƯ", "TW", "BCH", "BCĐ", "VP", "SNV", "STC", "STP", "SYT", "SXD", "STNMT", "SGDĐT", "CA",
    "BHXH", "CAT", "CAX", "UBMTTQ", "BCHTW", "TU", "HU", "ĐU", "ĐUK", "BTV", "TCCB", "TCHC", "KT", "XD",
})
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
# glyphs Tesseract gives for a Latin "i" in "(i)": none is a Vietnamese letter
I_LIKE = frozenset("iïíìîj¡!|")
NOT_VIETNAMESE = str.maketrans({"Ð": "Đ", "ð": "đ"})  # Icelandic eth for the Vietnamese đ: same glyph
ALIEN = re.compile(r"[ÑñÇçÅåÆæØøßÞþŁłŒœŠšŽžÄäÖöÜüËëÏïŸÿ¡¿]")
REFERENCE = re.compile(r"^(?P<pre>[(\[]?)(?P<num>\d{1,5})/(?P<rest>[^\s]+?)(?P<post>[)\].,;:]*)$")
ABBR_ONLY = re.compile(r"^(?P<pre>[(\[]?)(?P<body>[A-ZĐÐÑ][A-Za-zĐÐÑđ]*(?:-[A-ZĐÐÑ][A-Za-zĐÐÑđ]*)+)(?P<post>[)\].,;:]*)$")
ENUM = re.compile(r"^\((?P<body>[^()\s]{1,5})\)(?P<post>[.,;:]?)$")


@dataclass
class Word:
    text: str
    conf: float  # Tesseract's word confidence, 0–100
    line_start: bool = False  # the first word of a text line


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Without Vietnamese marks (đ → d): the syllable's skeleton."""
    base = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in base if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """The Vietnamese syllables of hunspell-vi's dictionary (lower case, NFC); empty when the
    package is not installed (the rules that need it then change nothing; the self-test says so)."""
    path = syllable_list()
    if path is None:
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()[1:]  # the first line is the count
    return frozenset(nfc(line.split("/")[0].strip().lower()) for line in lines if line.strip())


def is_syllable(word: str) -> bool:
    return nfc(word.lower()) in syllables()


def _fix_abbreviation(part: str, in_reference: bool) -> str | None:
    """``part`` as a known legal abbreviation, or None."""
    p = part.translate(NOT_VIETNAMESE)
    p = ALIEN.sub("", p)
    p = re.sub(r"Đ{2,}", "Đ", p)
    if p in LEGAL_ABBREVIATIONS:
        return p
    if in_reference:
        # an unmarked D where the abbreviation has Đ (QD → QĐ, ND → NĐ), only inside a reference
        for cand in {p.replace("D", "Đ", 1), p.replace("D", "Đ")}:
            if cand in LEGAL_ABBREVIATIONS:
                return cand
    return None


def fix_reference(token: str) -> str | None:
    """A legal reference (``131/NQ-CP``, ``45/2020/NĐ-CP``, ``(QĐ-UBND)``) with its parts
    made well-formed, or None when ``token`` is not one or cannot be made one."""
    m = REFERENCE.match(token)
    if m:
        pieces = m["rest"].split("/")
        out = []
        for piece in pieces:
            if re.fullmatch(r"\d{4}", piece):
                out.append(piece)
                continue
            parts = [_fix_abbreviation(x, True) for x in piece.split("-")]
            if not all(parts):
                return None
            out.append("-".join(p for p in parts if p))
        return f"{m['pre']}{m['num']}/{'/'.join(out)}{m['post']}"
    m = ABBR_ONLY.match(token)
    if m:
        parts = [_fix_abbreviation(x, True) for x in m["body"].split("-")]
        if all(parts):
            return f"{m['pre']}{'-'.join(p for p in parts if p)}{m['post']}"
    return None


def _roman_from_glyphs(body: str) -> str | None:
    if body and all(c in I_LIKE for c in body) and len(body) <= 4:
        return "i" * len(body) if len(body) <= 3 else None
    return None


def fix_enumerations(words: Sequence[Word], out: list[str]) -> None:
    """Roman items ``(i) (ii) (iii)`` at the starts of lines: glyphs made ``i``, then an item
    that repeats or skips its neighbours (and Tesseract was unsure of) put in sequence."""
    items: list[int] = []
    for k, w in enumerate(words):
        if not w.line_start:
            continue
        m = ENUM.match(out[k])
        if not m:
            continue
        body = m["body"]
        if body not in ROMAN and w.conf < TRUST:
            glyphs = _roman_from_glyphs(body)
            if glyphs is None:
                continue
            out[k] = f"({glyphs}){m['post']}"
        if ENUM.match(out[k]) and ENUM.match(out[k])["body"] in ROMAN:  # type: ignore[index]
            items.append(k)
    # put unsure items in sequence when both neighbours agree on where they are
    for j, k in enumerate(items):
        if words[k].conf >= TRUST:
            continue
        m = ENUM.match(out[k])
        assert m is not None
        prev = ENUM.match(out[items[j - 1]]) if j > 0 else None
        nxt = ENUM.match(out[items[j + 1]]) if j + 1 < len(items) else None
        want = None
        if prev is not None and prev["body"] in ROMAN:
            want = ROMAN.index(prev["body"]) + 1
        elif nxt is not None and nxt["body"] in ROMAN:
            want = ROMAN.index(nxt["body"]) - 1
        if want is None or not 0 <= want < len(ROMAN):
            continue
        if nxt is not None and prev is not None and nxt["body"] in ROMAN and ROMAN.index(nxt["body"]) != want + 1:
            continue  # the neighbours do not agree on the sequence: leave it
        out[k] = f"({ROMAN[want]}){m['post']}"


DIGITISH = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
NUMBERISH = re.compile(r"^[\d.,/:OoIl|-]*\d[\d.,/:OoIl|-]*$")


def fix_number(token: str) -> str | None:
    """A number or date with letters misread for digits between digits (``2O2O`` → ``2020``)."""
    core = token.rstrip(".,;:)")
    tail = token[len(core):]
    if not NUMBERISH.match(core) or core.isdigit():
        return None
    fixed = core.translate(DIGITISH)
    if not re.fullmatch(r"[\d.,/:-]+", fixed) or sum(c.isdigit() for c in core) < 2:
        return None
    return fixed + tail


def correct(words: Sequence[Word]) -> list[str]:
    """The corrected text of each word (the same list length; unchanged words as they were)."""
    out = [nfc(w.text) for w in words]
    for k, w in enumerate(words):
        t = out[k]
        # letters that are never Vietnamese: Ð is Đ whatever the confidence
        if "Ð" in t or "ð" in t:
            t = t.translate(NOT_VIETNAMESE)
            t = re.sub(r"Đ{2,}", "Đ", t)
        if is_syllable(t.strip(".,;:!?()[]\"'“”")):
            out[k] = t  # a Vietnamese syllable is Vietnamese text: never rewritten
            continue
        ref = fix_reference(t) if ("/" in t or "-" in t) else None
        if ref is not None and ref != t and (w.conf < TRUST or ALIEN.search(t)):
            t = ref
        elif w.conf < TRUST:
            num = fix_number(t)
            if num is not None:
                t = num
            elif t == "m2" and k > 0 and re.search(r"\d$", out[k - 1]):
                t = "m²"
        out[k] = t
    fix_enumerations(words, out)
    return out
