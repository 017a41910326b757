"""PDF/A-2b identification for the searchable PDFs we assemble.

The pages come from Tesseract's PDF renderer (page image plus an invisible text layer in
an embedded font), which already avoids what PDF/A forbids (no transparency, no
encryption, no external content). What is added here: the sRGB output intent and the
XMP metadata that declare PDF/A-2b, kept consistent with the document information.
Saving goes through :func:`save_pdfa`: a stream whose raw bytes end in CR reads, before the
writer's LF and ``endstream``, as if a CR-LF end-of-line were there, and a strict PDF/A
validator then finds the ``/Length`` one byte too long (about one compressed stream in 256:
two digitized copies failed that way in one run of the suite: their text layers). Such
content streams get one more end-of-line, which changes how their compressed data ends.
The tests check conformance with an independent offline validator (``page-validation``,
see tests/pdfa_check.py) as well as ``qpdf --check`` and poppler.
"""

from __future__ import annotations

import functools
import io
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf


@functools.lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def make_pdfa(pdf: pikepdf.Pdf, *, title: str, created: datetime, producer: str = "motcua") -> None:
    """Declare ``pdf`` PDF/A-2b: output intent, XMP identification, title and dates."""
    icc = pikepdf.Stream(pdf, srgb_icc())
    icc["/N"] = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        DestOutputProfile=icc,
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    stamp = created.astimezone().isoformat(timespec="seconds")
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        meta["xmp:CreatorTool"] = producer
        meta["pdf:Producer"] = producer
        meta["xmp:CreateDate"] = stamp
        meta["xmp:ModifyDate"] = stamp
        meta["xmp:MetadataDate"] = stamp


def _no_trailing_cr(pdf: pikepdf.Pdf) -> int:
    """Rewrite the content streams whose raw data ends in CR (see the module docstring): one
    more end-of-line in the content, which changes the zlib checksum the raw data ends with
    (every compression level ends with the same checksum). Returns how many were rewritten."""
    fixed = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or not obj.read_raw_bytes().endswith(b"\r"):
            continue
        if obj.get("/Filter") not in (None, pikepdf.Name.FlateDecode) or "/DecodeParms" in obj:
            continue  # JPEG data ends in FFD9; predictors and other filters are not what we write
        if obj.get("/Subtype") == pikepdf.Name.Image or any(k in obj for k in ("/Length1", "/Length2", "/Length3")):
            continue  # image samples and font programs cannot take a byte more
        data = obj.read_bytes()
        for _ in range(4):  # a content stream (a page's text layer, a form) may end in white space
            data += b"\n"
            packed = zlib.compress(data)
            if not packed.endswith(b"\r"):
                obj.write(packed, filter=pikepdf.Name.FlateDecode)
                fixed += 1
                break
    return fixed


def save_pdfa(pdf: pikepdf.Pdf, target: Path | BinaryIO, **save: Any) -> None:
    """``pdf.save(target)``, with no stream whose raw data ends in CR (a strict validator's /Length)."""
    buf = io.BytesIO()
    pdf.save(buf, **save)
    with pikepdf.open(io.BytesIO(buf.getvalue())) as saved:
        if _no_trailing_cr(saved):
            buf = io.BytesIO()
            # as the streams were packed now: qpdf would otherwise decode them again when not compressing
            saved.save(buf, **{**save, "stream_decode_level": pikepdf.StreamDecodeLevel.none})
    if isinstance(target, Path):
        target.write_bytes(buf.getvalue())
    else:
        target.write(buf.getvalue())
