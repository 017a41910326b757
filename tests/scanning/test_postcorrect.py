"""Post-correction: what Tesseract gets wrong on clean pages is put right, only where it was
unsure, and no Vietnamese word is ever changed; the PDF's text layer says the same."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from scanning.ocr import nfc
from scanning.pipeline import digitize
from scanning.postcorrect import TRUST, Word, correct, fix_reference, syllables
from scanning.samples import DOCUMENTS, LEGAL_DOCUMENTS, LIBERATION_SERIF, render_a4
from tests.scanning.test_digitize import cer


def words(text: str, conf: float = 40.0) -> list[Word]:
    out = []
    for line in text.split("\n"):
        for i, w in enumerate(line.split()):
            out.append(Word(w, conf, i == 0))
    return out


def test_legal_references() -> None:
    assert fix_reference("131/NÑQ-CP") == "131/NQ-CP"
    assert fix_reference("45/2020/ND-CP;") == "45/2020/NĐ-CP;"
    assert fix_reference("(QĐÐ-UBND),") == "(QĐ-UBND),"
    assert fix_reference("1024/QD-UBND") == "1024/QĐ-UBND"
    assert fix_reference("01/2023/TT-VPCP") == "01/2023/TT-VPCP"
    assert fix_reference("12/ABC-XYZ") is None  # not an abbreviation we know: left as read
    assert fix_reference("Hà-Nội") is None


def test_enumerations_and_numbers() -> None:
    text = "(j) nâng cao chất lượng\n(ïï) ứng dụng công nghệ\n(ii) số hóa hồ sơ"
    assert [t for t in correct(words(text)) if t.startswith("(")] == ["(i)", "(ii)", "(iii)"]
    assert correct(words("ngày 2O/1O/2O2O"))[-1] == "20/10/2020"
    assert correct(words("(1) a\n(2) b")) == ["(1)", "a", "(2)", "b"]  # numbered items are not roman


def test_confident_words_are_never_changed() -> None:
    text = "(ïï) 131/NÑQ-CP ngày 2O/1O/2O2O (j) m2"
    sure = words(text, conf=TRUST + 1)
    fixed = correct(sure)
    # only a letter that cannot be Vietnamese goes, whatever the confidence
    assert fixed == ["(ïï)", "131/NQ-CP", "ngày", "2O/1O/2O2O", "(j)", "m2"]


def test_no_vietnamese_word_is_changed() -> None:
    assert len(syllables()) > 6000  # hunspell-vi, read at run time
    every = "\n".join(line for doc in (*DOCUMENTS.values(), *LEGAL_DOCUMENTS.values()) for line in doc)
    unsure = words(every, conf=10.0)
    fixed = correct(unsure)
    changed = [(w.text, t) for w, t in zip(unsure, fixed, strict=True) if w.text != t]
    assert changed == [], changed  # the true text stays as it is even at the lowest confidence
    assert all(t == nfc(t) for t in fixed)


def test_digitized_text_and_pdf_layer_are_corrected_alike(tmp_path: Path) -> None:
    lines = LEGAL_DOCUMENTS["nghi_quyet"]
    src = tmp_path / "nq.png"
    Image.fromarray(render_a4(lines, font=LIBERATION_SERIF)).save(src, dpi=(300, 300))
    raw = digitize([src], tmp_path / "raw.pdf", correct=False)
    fixed = digitize([src], tmp_path / "fixed.pdf")
    truth = "\n".join(lines)
    assert cer(truth, fixed.text) < cer(truth, raw.text)
    assert "131/NQ-CP" in fixed.text and "(iii)" in fixed.text
    layer = subprocess.run(["pdftotext", str(tmp_path / "fixed.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert " ".join(nfc(layer).split()) == " ".join(fixed.text.split())


def test_a_page_of_lines_without_text_is_digitized_not_crashed(tmp_path: Path) -> None:
    """Found by scanning SANE's test "Grid" picture into a dossier slot: Tesseract reports
    word boxes on ruled lines that have no text, and reading one raised "No text returned",
    which failed the whole PDF ("unexpected error"). A form's empty ruled table is the
    same at the counter."""
    import cv2
    import numpy as np

    from scanning.images import Page
    from scanning.pipeline import digitize_pages

    img = np.full((1575, 1575), 255, np.uint8)
    for x in range(0, 1575, 79):
        cv2.line(img, (x, 0), (x, 1574), 0, 2)
        cv2.line(img, (0, x), (1574, x), 0, 2)
    report = digitize_pages([Page(img, 200.0, "grid")], tmp_path / "grid.pdf", lang="vie")
    assert report.pages == 1 and (tmp_path / "grid.pdf").stat().st_size > 0


def test_the_syllable_list_is_found_where_the_bundle_puts_it_and_its_absence_is_said(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Windows has no hunspell-vi package: the bundle's copy (or MOTCUA_HUNSPELL_DIR) is read
    first; with none at all the self-test says the post-correction is partly skipped."""
    import scanning.postcorrect as pc
    from desktop.config import load_settings
    from desktop.selftest import check_syllables

    (tmp_path / "vi_VN.dic").write_text("2\nnhà\ncửa\n", encoding="utf-8")
    monkeypatch.setenv("MOTCUA_HUNSPELL_DIR", str(tmp_path))
    pc.syllables.cache_clear()
    try:
        assert pc.syllable_list() == tmp_path / "vi_VN.dic" and pc.syllables() == {"nhà", "cửa"}
        check = check_syllables(load_settings(data_dir=tmp_path / "data"))
        assert check.ok and "2" in check.detail
        monkeypatch.setenv("MOTCUA_HUNSPELL_DIR", str(tmp_path / "none"))
        monkeypatch.setattr(pc, "HUNSPELL_VI", (tmp_path / "absent.dic",))
        pc.syllables.cache_clear()
        check = check_syllables(load_settings(data_dir=tmp_path / "data"))
        assert not check.ok and "hunspell-vi" in check.fix
    finally:
        pc.syllables.cache_clear()
