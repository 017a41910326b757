"""PDF/A-2b identification for the searchable PDFs we assemble.

The pages come from Tesseract's PDF renderer (page image plus an invisible text layer in
an embedded font), which already avoids what PDF/A forbids (no transparency, no
encryption, no external content). What is added here: the sRGB output intent and the
XMP metadata that declare PDF/A-2b, kept consistent with the document information.
The tests check conformance with an independent offline validator (``page-validation``,
see tests/pdfa_check.py) as well as ``qpdf --check`` and poppler.
"""

from __future__ import annotations

import functools
from datetime import datetime

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
