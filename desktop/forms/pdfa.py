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
from xml.sax.saxutils import escape

from desktop.kernel.files import replace_durably
from desktop.kernel.timeutil import to_vn
from scanning.pdfa import save_pdfa


@functools.lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <xmp:CreatorTool>{producer}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _pdf_date(dt: datetime) -> str:
    off = dt.strftime("%z")  # +0700
    return dt.strftime("D:%Y%m%d%H%M%S") + (f"{off[:3]}'{off[3:]}'" if off else "Z")


def to_pdfa(raw: bytes, *, title: str, author: str = "", subject: str = "", created: datetime,
            producer: str = "motcua") -> bytes:
    """The bytes of ``raw`` (a PDF) declared PDF/A-2b, with the same metadata in Info and XMP.

    The XMP packet is written here rather than through pikepdf's metadata editor (13 ms of
    a 50 ms form), and the already compressed streams are copied, not recompressed.
    """
    import pikepdf

    stamp_dt = to_vn(created).replace(microsecond=0)  # the counter's time, +07:00
    stamp = stamp_dt.isoformat()
    xmp = _XMP.format(title=escape(title), author=escape(author), subject=escape(subject), producer=escape(producer),
                      stamp=stamp)
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        icc = pikepdf.Stream(pdf, srgb_icc())
        icc["/N"] = 3
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
            Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=icc)
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
        meta = pikepdf.Stream(pdf, xmp.encode("utf-8"))
        meta["/Type"], meta["/Subtype"] = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = pdf.make_indirect(meta)
        info = pikepdf.Dictionary(Title=pikepdf.String(title), Author=pikepdf.String(author),
                                  Subject=pikepdf.String(subject), Creator=pikepdf.String(producer),
                                  Producer=pikepdf.String(producer),
                                  CreationDate=pikepdf.String(_pdf_date(stamp_dt)),
                                  ModDate=pikepdf.String(_pdf_date(stamp_dt)))
        pdf.trailer.Info = pdf.make_indirect(info)  # exactly what the XMP says, nothing else
        out = io.BytesIO()
        # qpdf writes the trailer /ID PDF/A asks for; reportlab's streams are compressed already
        save_pdfa(pdf, out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return out.getvalue()


def write_atomic(data: bytes, out: Path) -> Path:
    """Write ``data`` to ``out`` through a temporary file in the same folder, durably and 0600
    (forms carry personal data): no half file, even after a power cut."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        replace_durably(tmp, out, private=True)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
