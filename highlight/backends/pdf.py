"""The PDF backend: the pages drawn by render.py (the ReportLab adapter, tagged by structure.py and tags.py),
read back by the preflight (preflight.py) as a print shop would, written atomically (atomic.py)."""
from __future__ import annotations

import os

from ..diagnostics import Diagnostics
from . import Document, FileBackend


class PdfBackend(FileBackend):
    name = "pdf"
    suffix = ".pdf"
    magic = b"%PDF-"
    what = "the PDF (-o)"

    def render(self, document: Document, diags: Diagnostics) -> bytes:
        from ..render import RenderOptions, render_pdf

        meta = document.meta
        options = RenderOptions(
            title=meta.title, subject=meta.subject, marks=document.marks, target=meta.target,
            date_epoch=meta.date_epoch, variant=meta.variant, tagged=document.tagged, profile=document.profile,
            picture_icc=document.picture_icc, images=document.layout.geometry.images, edition=meta.edition,
            languages=meta.languages)
        return render_pdf(list(document.pages), document.layout, document.fonts, options)

    def post_check(self, data: bytes, document: Document, diags: Diagnostics) -> None:
        """The preflight, when the document is checked (`watch` previews are not): every failure an error."""
        if document.tagged:
            run_preflight(data, document, diags)


def run_preflight(data: bytes, document: Document, diags: Diagnostics) -> None:
    """Every failed preflight check is an error: a print file that fails it is not written. A failure about
    a picture is located at the picture's element (the first raster on its page), not only at its page."""
    from ..layout import Picture
    from ..preflight import PreflightRules, preflight

    layout, target = document.layout, document.meta.target
    g = layout.geometry.page
    report = preflight(data, PreflightRules(target=target, bleed_mm=g.bleed_mm, safe_mm=g.safe_mm,
                                            require_pdfx=target == "print",
                                            min_image_ppi=layout.geometry.images.min_ppi_error))
    pictures = {p.number: [i.ref for i in p.items if isinstance(i, Picture) and i.path
                           and os.path.splitext(i.path)[1].lower() not in (".pdf", ".svg")] for p in document.pages}
    for finding in report.failures:
        placed = pictures.get(finding.page or 0) if finding.check.startswith("image-") else None
        where = placed[0] if placed else None
        diags.error(f"preflight-{finding.check}", finding.detail, where, page=finding.page,
                    hint="the layout or the renderer produced this; see `highlight preflight` on a proof build")
