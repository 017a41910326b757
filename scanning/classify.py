"""Which component a page belongs to, from its OCR text: light, explainable, offline.

No model and no network: the text is folded (lower case, diacritics and đ removed, so
an OCR slip on a tone mark does not matter), and the title lines near the top of the
page are matched against phrases for each component of the procedure:

* the component's own name, cut at "hoặc", "/", "," and "(" into alternatives;
* the known titles of national forms and certificates whose names the component name
  contains (``KNOWN_TITLES``: a "Tờ khai đăng ký khai sinh" component also answers to
  the form's printed title, a "giấy tờ tùy thân" one to the CCCD card's words);
* phrases the officers of this centre confirmed before (:class:`LearnedTitles`, a
  JSON-serialisable table that desktop persists).

A phrase matches a line when its words appear in that order in it (one letter wrong per
word of four letters or more is forgiven). Every decision carries a reason. A page
without a title line of its own is a continuation of the page before — unless it carries
the national motto, which only a document's first page does: its title was not read, and
it is left unassigned like a page whose title matches no component — never guessed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

from desktop.kernel.i18n import msg
from scanning.separators import ComponentRef

TITLE_LINES = 14  # titles sit under the national motto, within the first lines of text
MATCH = 0.8  # share of a phrase's words that must be found in order, in one line
MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")

#: printed titles of national forms / certificates / cards, keyed by a phrase that a
#: component's name contains. Folded text; first the key, then what the page says.
KNOWN_TITLES: dict[str, tuple[str, ...]] = {
    "to khai dang ky khai sinh": ("to khai dang ky khai sinh",),
    "to khai dang ky lai khai sinh": ("to khai dang ky lai khai sinh",),
    "to khai dang ky ket hon": ("to khai dang ky ket hon",),
    "to khai dang ky khai tu": ("to khai dang ky khai tu",),
    "xac nhan tinh trang hon nhan": ("giay xac nhan tinh trang hon nhan", "to khai cap giay xac nhan tinh trang hon nhan"),
    "giay chung sinh": ("giay chung sinh",),
    "giay bao tu": ("giay bao tu",),
    "giay khai sinh": ("giay khai sinh", "ban sao giay khai sinh", "trich luc khai sinh"),
    "giay to tuy than": ("can cuoc cong dan", "can cuoc", "citizen identity card", "identity card",
                         "chung minh nhan dan", "ho chieu", "passport"),
    "can cuoc": ("can cuoc cong dan", "can cuoc", "citizen identity card", "identity card"),
    "thay doi thong tin cu tru": ("to khai thay doi thong tin cu tru",),
    "giay chung nhan quyen su dung dat": ("giay chung nhan quyen su dung dat",),
    "bien dong dat dai": ("don dang ky bien dong dat dai",),
    "ho kinh doanh": ("giay de nghi dang ky ho kinh doanh",),
    "hop dong": ("hop dong",),
    "ban an": ("ban an",),
    "quyet dinh ly hon": ("quyet dinh cong nhan thuan tinh ly hon", "quyet dinh ly hon"),
    "giay chung tu": ("giay chung tu",),
    "bao hiem y te": ("to khai tham gia bao hiem y te", "the bao hiem y te"),
    "giay uy quyen": ("giay uy quyen", "van ban uy quyen"),
}
#: words of a component name that say nothing about the page ("theo mẫu", "(bản sao)")
_NOISE = re.compile(r"\b(theo mau|ban chinh|ban sao|xuat trinh|neu co)\b")


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d, words separated by single spaces."""
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")).lower()
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    # one substitution, insertion or deletion
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def match_ratio(phrase: list[str], line: list[str]) -> float:
    """Share of the phrase's words found in order in the line (longest common subsequence)."""
    if not phrase or not line:
        return 0.0
    prev = [0] * (len(line) + 1)
    for p in phrase:
        cur = [0] * (len(line) + 1)
        for j, w in enumerate(line, 1):
            cur[j] = prev[j - 1] + 1 if _close(p, w) else max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1] / len(phrase)


def component_phrases(name: str) -> list[str]:
    """Alternatives a page title may use for a component, from its name and KNOWN_TITLES."""
    folded = fold(name)
    out: list[str] = []
    # "hoặc", "/" and brackets separate alternatives; a comma only continues the name
    raw = [name, *re.split(r"\(|\)|/| hoặc | hoac ", unicodedata.normalize("NFC", name).lower())]
    for part in raw:
        p = " ".join(_NOISE.sub(" ", fold(part)).split())
        if len(p.split()) >= 2 and p not in out:
            out.append(p)
    for key, titles in KNOWN_TITLES.items():
        if key in folded:
            out.extend(t for t in titles if t not in out)
    return out


@dataclass(frozen=True)
class PageGuess:
    """The classifier's answer for one page; ``component`` None means unassigned."""

    component: str | None
    confidence: float
    reason: str
    title: str = ""  # the folded title line the decision rests on ("" = none found)
    continuation: bool = False


@dataclass
class LearnedTitles:
    """Title phrases the officers of a centre confirmed for a component, with counts.

    ``learn`` is called when the officer confirms (or corrects) a page's slot: the folded
    title line becomes a phrase of that component. Keyed by the component's folded *name*,
    not its code (codes are per procedure, "TK" is a different form in each), so what was
    learned for "Văn bản ủy quyền" in one procedure helps every procedure that asks for it."""

    entries: dict[tuple[str, str], int] = field(default_factory=dict)

    def learn(self, component_name: str, title: str) -> None:
        t = fold(title)
        if len(t.split()) >= 2:
            key = (fold(component_name), t)
            self.entries[key] = self.entries.get(key, 0) + 1

    def phrases(self, component_name: str) -> list[tuple[str, int]]:
        name = fold(component_name)
        return [(t, n) for (c, t), n in self.entries.items() if c == name]

    def to_json(self) -> str:
        rows = [{"component": c, "title": t, "count": n} for (c, t), n in sorted(self.entries.items())]
        return json.dumps({"version": 1, "entries": rows}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> LearnedTitles:
        data = json.loads(text)
        if data.get("version") != 1:
            raise ValueError("unknown learned-titles format")
        return cls({(r["component"], r["title"]): int(r["count"]) for r in data["entries"]})


def _motto_line(words: list[str]) -> bool:
    """The motto, or a piece of it as the OCR may cut it ("ỘI CHỦ NGHĨA VIỆT NAM"): nearly
    all of a motto line's words in it, or (three words at least) nearly all its words the motto's."""
    return any(match_ratio(m.split(), words) >= 0.8 or (len(words) >= 3 and match_ratio(words, m.split()) >= 0.8)
               for m in MOTTO)


def has_motto(text: str) -> bool:
    """Whether the national motto heads the text (the first page of a form or certificate):
    a line of its own, not the country's name inside a sentence of the body."""
    raw = [fold(ln).split() for ln in text.splitlines() if ln.strip()][:TITLE_LINES]
    return any(_motto_line(w) and len(w) <= 9 for w in raw)


def title_lines(text: str) -> list[str]:
    """Folded lines near the top that can be a title: not the motto, at least two words,
    mostly letters, and written in capitals in the OCR text (titles of forms are)."""
    out = []
    raw = [ln.strip() for ln in text.splitlines() if ln.strip()][:TITLE_LINES]
    for ln in raw:
        f = fold(ln)
        letters = [ch for ch in ln if ch.isalpha()]
        if len(f.split()) < 2 or len(letters) < 6:
            continue
        if _motto_line(f.split()):
            continue
        upper = sum(ch.isupper() for ch in letters) / len(letters)
        if upper >= 0.7:
            out.append(f)
    # a long title wraps ("GIẤY CHỨNG NHẬN / QUYỀN SỬ DỤNG ĐẤT…"): adjacent title lines joined too
    return out + [f"{a} {b}" for a, b in zip(out, out[1:], strict=False)]


def shown_title(text: str, folded: str) -> str:
    """The OCR's own line(s) for a folded title line, with their marks, for the officer to read
    (the folded form is for matching and learning: "giay de nghi" is not Vietnamese to read)."""
    raw = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()][:TITLE_LINES]
    for a, b in zip(raw, [*raw[1:], ""], strict=True):
        if fold(a) == folded:
            return a
        if b and f"{fold(a)} {fold(b)}" == folded:
            return f"{a} {b}"
    return folded


ID_NUMBER = re.compile(r"\b\d{12}\b")


class Classifier:
    """Scores a page's title lines against the phrases of a procedure's components."""

    def __init__(self, procedure: str, components: list[ComponentRef], learned: LearnedTitles | None = None) -> None:
        self.procedure = procedure
        self.components = components
        self.names = {c.code: c.name for c in components}
        self.phrases: list[tuple[str, list[str], str]] = []  # component, words, source
        for c in components:
            for p in component_phrases(c.name):
                self.phrases.append((c.code, p.split(), "rule"))
            for title, n in (learned.phrases(c.name) if learned else []):
                self.phrases.append((c.code, title.split(), f"learned×{n}"))

    def score(self, text: str) -> tuple[dict[str, tuple[float, str, str, str]], list[str]]:
        """Best (score, phrase, source, title line) per component over the title lines, and those lines."""
        lines = title_lines(text)
        best: dict[str, tuple[float, str, str, str]] = {}
        for code, words, source in self.phrases:
            for ln in lines:
                lw = ln.split()
                r = match_ratio(words, lw)
                # a title that says much more than the phrase ("tờ khai đăng ký khai sinh"
                # inside "tờ khai đăng ký lại khai sinh") is a weaker match
                r -= 0.02 * max(0, len(lw) - len(words))
                r += 0.004 * len(words)  # of two full matches, the longer phrase says more
                if r > best.get(code, (0.0, "", "", ""))[0]:
                    best[code] = (r, " ".join(words), source if source == "rule" else source + ":" + ln, ln)
        return best, lines

    def classify(self, text: str, previous: str | None = None, first: bool = True) -> PageGuess:
        best, lines = self.score(text)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        if ranked and ranked[0][1][0] >= MATCH:
            code, (s, _phrase, source, line) = ranked[0]
            second = ranked[1][1][0] if len(ranked) > 1 else 0.0
            conf = round(max(0.0, min(1.0, s)) * (1.0 - 0.5 * max(0.0, second - (MATCH - 0.2))), 2)
            learned = source.startswith("learned")
            return PageGuess(code, conf, msg(
                "Tiêu đề “{p}” khớp {c} — {n}{l}", "Title “{p}” matches {c} — {n}{l}", p=shown_title(text, line), c=code,
                n=self.names[code], l=(msg(" (đã xác nhận tại trung tâm)", " (confirmed at this centre)")
                                       if learned else "")), title=lines[0] if lines else "")
        # the CCCD card's layout: a 12-digit ID number with the card's words, no form title
        folded = fold(text)
        if ID_NUMBER.search(text) and ("can cuoc" in folded or "identity" in folded):
            for code, words, _ in self.phrases:
                if " ".join(words) in KNOWN_TITLES["can cuoc"]:
                    return PageGuess(code, 0.7, msg("Bố cục thẻ căn cước (số định danh 12 chữ số)",
                                                    "ID card layout (12-digit ID number)"), title="")
        if lines:
            near = ranked[0] if ranked else None
            return PageGuess(None, round(near[1][0], 2) if near else 0.0, msg(
                "Tiêu đề “{t}” không khớp thành phần nào{x}", "Title “{t}” matches no component{x}",
                t=shown_title(text, lines[0]),
                x=(msg(" (gần nhất: {c} {s:.0%})", " (closest: {c} {s:.0%})", c=near[0], s=near[1][0]) if near else "")),
                title=lines[0])
        if has_motto(text):
            return PageGuess(None, 0.0, msg("Trang đầu của một giấy tờ (có quốc hiệu) nhưng không đọc được tiêu đề: "
                                            "chưa xếp", "The first page of a document (national motto) whose title "
                                            "could not be read: left unassigned"))
        if previous is not None:
            return PageGuess(previous, 0.6, msg("Không có tiêu đề: trang tiếp theo của {c}",
                                                "No title: a continuation page of {c}", c=previous),
                             continuation=True)
        if not first:
            return PageGuess(None, 0.0, msg("Không có tiêu đề, trang trước chưa xếp: chưa xếp",
                                            "No title and the page before is unassigned: left unassigned"),
                             continuation=True)
        return PageGuess(None, 0.0, msg("Không có tiêu đề và không có trang trước: chưa xếp",
                                        "No title and no page before it: left unassigned"))
