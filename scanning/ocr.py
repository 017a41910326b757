"""Vietnamese OCR with Tesseract, single-threaded per process, as many processes as cores.

Tesseract's OpenMP threading is several times slower than one thread per process on a
small machine (OMP_THREAD_LIMIT=1, see bench). Each page is recognized once and written
both as a searchable PDF page (the page image with an invisible text layer; a JPEG input
is embedded as it is) and as plain text.

Two ways to run Tesseract, same output: :class:`Recognizer` keeps one tesserocr engine
loaded per worker process (no process start and no model load per page); where the
tesserocr module is missing, it falls back to one ``tesseract`` command per page.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from desktop.kernel.errors import MotcuaError
from desktop.kernel.i18n import msg
from desktop.kernel.tasks import Cancelled, CancelToken
from scanning.leftovers import temp_prefix
from scanning.postcorrect import Word, correct

# Vietnamese alone: with "vie+eng" Tesseract picks the English reading of some words and
# strips their marks (tháng→thang, nâng→nang, đẩy→day, dụng→dung, Căn→Can; CER 0.40 %
# against 0.18 % on clean 300-dpi pages, bench/RESULTS.md). The vie model reads ASCII too.
DEFAULT_LANG = "vie"
JPEG_QUALITY = 80


def tesseract_exe() -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise MotcuaError(msg("Chưa cài Tesseract OCR.", "Tesseract OCR is not installed."),
                          hint=msg("apt-get install tesseract-ocr tesseract-ocr-vie", "apt-get install tesseract-ocr tesseract-ocr-vie"))
    return exe


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def write_jpeg(image: np.ndarray, path: Path, dpi: float) -> None:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise MotcuaError(msg("Không mã hóa được ảnh trang.", "Cannot encode the page image."))
    # set the JFIF density so the PDF page has the paper's real size (100 % scale)
    buf = bytearray(data.tobytes())
    if buf[6:11] == b"JFIF\x00":
        d = int(round(dpi))
        buf[13] = 1
        buf[14:16] = d.to_bytes(2, "big")
        buf[16:18] = d.to_bytes(2, "big")
    path.write_bytes(bytes(buf))


def run_tesseract(image_path: Path, out_base: Path, *, lang: str = DEFAULT_LANG, dpi: float = 300,
                  outputs: tuple[str, ...] = ("pdf", "txt"), cancel: CancelToken | None = None,
                  timeout: float = 600) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = [tesseract_exe(), str(image_path), str(out_base), "-l", lang, "--dpi", str(round(dpi)), *outputs]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    waited = 0.0
    while True:
        try:
            _, err = proc.communicate(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            waited += 0.2
            if (cancel is not None and cancel.cancelled) or waited > timeout:
                proc.kill()
                proc.communicate()
                if cancel is not None and cancel.cancelled:
                    raise Cancelled() from None
                raise MotcuaError(msg("OCR quá thời gian cho {p}.", "OCR timed out for {p}.", p=image_path.name)) from None
    if proc.returncode != 0:
        text = err.decode(errors="replace").strip().splitlines()
        raise MotcuaError(msg("Tesseract lỗi với {p}: {e}", "Tesseract failed on {p}: {e}", p=image_path.name,
                              e=text[-1] if text else proc.returncode))


@functools.lru_cache(maxsize=1)
def tessdata_dir() -> str | None:
    """Where the installed Tesseract keeps its language data (TESSDATA_PREFIX wins)."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    m = re.search(r'"(.+?)"', out.stdout + out.stderr)
    return m.group(1) if m else None


class Recognizer:
    """One loaded Tesseract per process and language; not thread-safe (one per worker)."""

    def __init__(self) -> None:
        self._apis: dict[str, Any] = {}
        try:
            import tesserocr  # noqa: F401
            self.embedded = tessdata_dir() is not None
        except ImportError:  # pragma: no cover - depends on the platform's wheels
            self.embedded = False

    def _api(self, lang: str) -> Any:
        api = self._apis.get(lang)
        if api is None:
            import tesserocr

            try:
                api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=lang)
            except RuntimeError as exc:
                raise MotcuaError(msg("Thiếu dữ liệu ngôn ngữ OCR '{l}'.", "OCR language data '{l}' is missing.",
                                      l=lang), hint="apt-get install tesseract-ocr-vie") from exc
            api.SetVariable("tessedit_create_pdf", "1")
            api.SetVariable("tessedit_create_txt", "1")
            self._apis[lang] = api
        return api

    def page_pdf(self, image_path: Path, out_base: Path, *, lang: str, dpi: float,
                 timeout: float = 600, correct: bool = False) -> str:
        """Write ``out_base``.pdf (image + text layer) and return the page's text (NFC).

        With ``correct``, Tesseract's unsure words are post-corrected
        (:mod:`scanning.postcorrect`) in the returned text and in the PDF's text layer alike."""
        if not self.embedded:
            run_tesseract(image_path, out_base, lang=lang, dpi=dpi, timeout=timeout)
            return nfc(out_base.with_suffix(".txt").read_text(encoding="utf-8"))
        api = self._api(lang)
        api.SetVariable("user_defined_dpi", str(round(dpi)))
        if not api.ProcessPages(str(out_base), str(image_path), timeout=int(timeout * 1000)):
            raise MotcuaError(msg("Tesseract không đọc được trang {p}.", "Tesseract could not read page {p}.",
                                  p=image_path.name))
        text = nfc(out_base.with_suffix(".txt").read_text(encoding="utf-8"))
        if correct:
            text = apply_corrections(api, text, out_base.with_suffix(".pdf"))
        return text


def ocr_image(image: np.ndarray | Path | str, lang: str = DEFAULT_LANG, dpi: float = 300) -> str:
    """Recognized text of one page image (array or file), NFC-normalized."""
    with tempfile.TemporaryDirectory(prefix=temp_prefix("ocr")) as tmp:
        if isinstance(image, np.ndarray):
            src = Path(tmp) / "page.png"
            cv2.imwrite(str(src), image)
        else:
            src = Path(image)
        run_tesseract(src, Path(tmp) / "out", lang=lang, dpi=dpi, outputs=("txt",))
        return nfc((Path(tmp) / "out.txt").read_text(encoding="utf-8"))


_osd_api: Any = None
#: one OSD engine per process, not thread-safe: pages cleaned from two threads (the
#: geometry test, a UI thread next to a batch) take turns instead of sharing it at once
_osd_lock = threading.Lock()
OSD_LONGEST = 1800  # pixels: an A4 page at ~150 dpi, enough for OSD and a quarter of the cost


def osd_orientation(grey: np.ndarray) -> tuple[int, float] | None:
    """Tesseract's orientation detection (OSD) on a reduced copy of the page: the clockwise
    quarter turn that makes it upright and Tesseract's confidence in it, or None when it
    cannot tell (too few characters, no ``osd`` data)."""
    k = -(-max(grey.shape[:2]) // OSD_LONGEST)
    small = cv2.resize(grey, None, fx=1 / k, fy=1 / k, interpolation=cv2.INTER_AREA) if k > 1 else grey
    try:
        import tesserocr
    except ImportError:  # pragma: no cover - depends on the platform's wheels
        return _osd_command(small)
    with _osd_lock:
        return _osd_locked(tesserocr, small)


def _osd_locked(tesserocr: Any, small: np.ndarray) -> tuple[int, float] | None:
    global _osd_api
    if _osd_api is None:
        if tessdata_dir() is None:
            return None
        try:
            _osd_api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang="osd", psm=tesserocr.PSM.OSD_ONLY)
        except RuntimeError:
            return None  # no osd.traineddata: no second opinion, the page is left as it is
    from PIL import Image

    _osd_api.SetImage(Image.fromarray(small))
    try:
        found = _osd_api.DetectOrientationScript()
    except RuntimeError:
        return None
    if not found:
        return None
    # OSD reports how far the text is turned (clockwise); the fix is the opposite turn
    return (360 - int(found["orient_deg"])) % 360, float(found["orient_conf"])


READ_LONGEST = 1800  # pixels: as for OSD; words read at ~150 dpi say which way up a page is
_read_api: Any = None
_read_lock = threading.Lock()


def reading_confidence(grey: np.ndarray, turns: tuple[int, ...]) -> dict[int, float] | None:
    """Tesseract's mean word confidence (0–100, ``vie``) on a reduced copy of the page turned
    by each of ``turns`` (clockwise degrees), or None when it cannot be asked.

    The third opinion on orientation: text read the right way up is read with far more
    confidence than the same text upside down, whatever the layout or OSD make of it."""
    try:
        import tesserocr
    except ImportError:  # pragma: no cover - depends on the platform's wheels
        return None
    k = -(-max(grey.shape[:2]) // READ_LONGEST)
    small = cv2.resize(grey, None, fx=1 / k, fy=1 / k, interpolation=cv2.INTER_AREA) if k > 1 else grey
    from PIL import Image

    global _read_api
    with _read_lock:
        if _read_api is None:
            if tessdata_dir() is None:
                return None
            try:
                _read_api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=DEFAULT_LANG)
            except RuntimeError:
                return None
        out: dict[int, float] = {}
        for turn in turns:
            k_rot = {0: 0, 90: -1, 180: 2, 270: 1}[turn % 360]
            img = np.ascontiguousarray(np.rot90(small, k_rot)) if k_rot else small
            _read_api.SetImage(Image.fromarray(img))
            try:
                out[turn] = float(_read_api.MeanTextConf())
            except RuntimeError:  # no text at all that way: Tesseract's word iterator gives up
                out[turn] = 0.0
        return out


def _osd_command(grey: np.ndarray) -> tuple[int, float] | None:  # pragma: no cover - without tesserocr
    ok, png = cv2.imencode(".png", grey)
    if not ok:
        return None
    r = subprocess.run([tesseract_exe(), "stdin", "stdout", "--psm", "0"], input=png.tobytes(), capture_output=True,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"}, timeout=60)
    out = r.stdout.decode(errors="replace")
    turn, conf = re.search(r"Rotate: (\d+)", out), re.search(r"Orientation confidence: ([\d.]+)", out)
    return (int(turn.group(1)) % 360, float(conf.group(1))) if turn and conf else None


def recognized_words(api: Any) -> list[Word]:
    """The words of the page the engine last read, with confidences and line starts."""
    from tesserocr import RIL, iterate_level

    words: list[Word] = []
    it = api.GetIterator()
    if it is None:
        return words
    for w in iterate_level(it, RIL.WORD):
        try:
            text = w.GetUTF8Text(RIL.WORD)
        except RuntimeError:  # a word box with no text (ruled lines, an empty table): nothing to correct
            continue
        if text:
            words.append(Word(nfc(text), float(w.Confidence(RIL.WORD)), bool(w.IsAtBeginningOf(RIL.TEXTLINE))))
    return words


def apply_corrections(api: Any, text: str, pdf_path: Path) -> str:
    """Post-correct the page's text and its PDF text layer the same way; the page is left as
    Tesseract read it when the two cannot be matched word for word."""
    words = recognized_words(api)
    fixed = correct(words)
    changes = {k: t for k, (w, t) in enumerate(zip(words, fixed, strict=True)) if t != w.text}
    if not changes:
        return text
    parts = re.split(r"(\s+)", text)
    tokens = [i for i, p in enumerate(parts) if p and not p.isspace()]
    if [parts[i] for i in tokens] != [w.text for w in words]:
        return text
    if not _patch_text_layer(pdf_path, [w.text for w in words], changes):
        return text
    for k, t in changes.items():
        parts[tokens[k]] = t
    return "".join(parts)


def _patch_text_layer(pdf_path: Path, words: list[str], changes: dict[int, str]) -> bool:
    """Replace words of Tesseract's invisible text layer (one ``TJ`` per word, UTF-16BE, its
    width set by the ``Tz`` before it); False, and nothing written, if the layer does not
    hold exactly ``words`` in order."""
    import pikepdf

    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        ops = pikepdf.parse_content_stream(page)
        new_ops: list[list[Any]] = [[ins.operands, ins.operator] for ins in ops]  # no inline images here
        shown = [i for i, (_, op) in enumerate(new_ops) if str(op) == "TJ"]
        try:
            layer = ["".join(bytes(s).decode("utf-16-be") for s in new_ops[i][0][0] if isinstance(s, pikepdf.String))
                     for i in shown]
        except UnicodeDecodeError:
            return False
        if [nfc(t.strip()) for t in layer] != words:
            return False
        for k, t in changes.items():
            i = shown[k]
            trail = layer[k][len(layer[k].rstrip()):]
            new_ops[i][0] = [pikepdf.Array([pikepdf.String((t + trail).encode("utf-16-be"))])]
            # keep the word as wide as its image: scale the horizontal stretch by the length change
            j = i - 1
            while j >= 0 and str(new_ops[j][1]) != "Tz" and str(new_ops[j][1]) != "TJ":
                j -= 1
            if j >= 0 and str(new_ops[j][1]) == "Tz":
                old_n, new_n = max(1, len(words[k])), max(1, len(t))
                new_ops[j][0] = [float(new_ops[j][0][0]) * old_n / new_n]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream([(o, op) for o, op in new_ops]))
        pdf.save(pdf_path)
    return True
