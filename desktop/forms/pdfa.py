"""Make any reportlab PDF a PDF/A-2b: sRGB output intent, XMP identification, document ID.

reportlab already embeds (subsets of) the TrueType fonts we use, draws without
transparency and writes no external content; what PDF/A-2b adds is declared here. The
forms use only embedded TrueType fonts (never the base-14 Helvetica), which this module's
caller must ensure. No veraPDF runs on this machine: the tests check the declaration, the
intent and the embedded fonts with pikepdf and qpdf.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from datetime import datetime
from pathlib import Path


@functools.lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def to_pdfa(raw: bytes, *, title: str, author: str = "", subject: str = "", created: datetime,
            producer: str = "motcua") -> bytes:
    """The bytes of ``raw`` (a PDF) declared PDF/A-2b, with consistent Info and XMP metadata."""
    import pikepdf

    with pikepdf.open(io.BytesIO(raw)) as pdf:
        icc = pikepdf.Stream(pdf, srgb_icc())
        icc["/N"] = 3
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
            Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=icc)
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
        stamp = created.astimezone().isoformat(timespec="seconds")
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
            meta["dc:title"] = title
            if author:
                meta["dc:creator"] = [author]
            if subject:
                meta["dc:description"] = subject
            meta["xmp:CreatorTool"] = producer
            meta["pdf:Producer"] = producer
            meta["xmp:CreateDate"] = stamp
            meta["xmp:ModifyDate"] = stamp
            meta["xmp:MetadataDate"] = stamp
        out = io.BytesIO()
        # qpdf writes the trailer /ID PDF/A asks for; generating object streams or a
        # deterministic ID would double the time of the save (20 ms of a 60 ms form)
        pdf.save(out)
        return out.getvalue()


def write_atomic(data: bytes, out: Path) -> Path:
    """Write ``data`` to ``out`` through a temporary file in the same folder (no half files)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
