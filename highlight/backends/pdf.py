"""The PDF backend: the pages drawn by render.py (the ReportLab adapter, tagged by structure.py and tags.py),
read back by the preflight (preflight.py) as a print shop would, written atomically (atomic.py)."""
from __future__ import annotations

import hashlib
import os
from dataclasses import replace

from ..diagnostics import Diagnostics
from . import Document, FileBackend


class PdfBackend(FileBackend):
    name = "pdf"
    suffix = ".pdf"
    magic = b"%PDF-"
    what = "the PDF (-o)"

    def __init__(self):
        self.kept: bytes | None = None  # the output read from .cache/output (it passed the preflight when kept)

    def render(self, document: Document, diags: Diagnostics) -> bytes:
        self.durable = document.tagged  # an untagged `watch` preview is written again at the next save
        kept = read_kept(document) if document.tagged else None
        if kept is not None:
            self.kept = kept
            return kept
        from ..render import RenderOptions, render_pdf

        meta = document.meta
        options = RenderOptions(
            title=meta.title, subject=meta.subject, marks=document.marks, target=meta.target,
            date_epoch=meta.date_epoch, variant=meta.variant, tagged=document.tagged, profile=document.profile,
            picture_icc=document.picture_icc, images=document.layout.geometry.images, edition=meta.edition,
            languages=meta.languages, deflated=os.path.join(document.project, ".cache", "deflate"),
            subsets=os.path.join(document.project, ".cache", "subsets"),
            outlines=os.path.join(document.project, ".cache", "outlines"),
            faces=os.path.join(document.project, ".cache", "ttfaces"))
        redraw = _redrawn(document)
        if redraw is not None:
            previous = document.previous
            assert previous is not None
            if not redraw:
                return previous[1]
            # (drawn without the output intent: the previous file has it, and 250 KB of profile cost 4 ms a save)
            drawn = render_pdf([document.pages[i] for i in redraw], document.layout, document.fonts,
                               replace(options, profile=None))
            return splice(previous[1], drawn, redraw)
        return render_pdf(list(document.pages), document.layout, document.fonts, replace(
            options, drawn=os.path.join(document.project, ".cache", "drawn"), page_keys=document.page_keys))

    def post_check(self, data: bytes, document: Document, diags: Diagnostics) -> None:
        """The preflight, when the document is checked (`watch` previews are not): every failure an error."""
        if data is self.kept:
            return  # the very bytes that passed it when they were kept (the key names the checking code too)
        if document.tagged:  # (an untagged preview is not kept: `watch` would write one a save)
            failed = len(diags.items)
            run_preflight(data, document, diags)
            if len(diags.items) == failed:
                keep(document, data)


class PageFindings:
    """.cache/preflight/<digest>.json: a page's content-stream findings, by preflight's digest of what its walk
    reads (preflight._page_key): a build after an edit walks only the pages whose streams changed. A damaged or
    foreign entry (not JSON, not the shape written) is a miss."""

    KEEP = 256  # entries kept, newest first (a page is one)

    def __init__(self, folder: str):
        from ..linestore import _package_digest

        self.folder = folder
        self.salt = _package_digest()  # the checking code
        self.written = 0

    def get(self, key: str):
        import json

        try:
            with open(os.path.join(self.folder, key + ".json"), encoding="utf-8") as f:
                value = json.load(f)
            findings, ink, image_ink = value
            if not (isinstance(findings, list) and all(
                    isinstance(f, list) and len(f) == 4 and isinstance(f[0], bool) and isinstance(f[1], str)
                    and isinstance(f[2], str) and (f[3] is None or isinstance(f[3], int)) for f in findings)
                    and isinstance(ink, (int, float)) and isinstance(image_ink, (int, float))):
                return None
            return findings, float(ink), float(image_ink)
        except (OSError, ValueError, TypeError):
            return None

    def put(self, key: str, value) -> None:
        import json

        from ..atomic import replace_file

        try:
            replace_file(os.path.join(self.folder, key + ".json"), json.dumps(value).encode("utf-8"))
            self.written += 1
        except OSError:
            pass

    def prune(self) -> None:
        """The oldest entries gone, once a preflight has put its pages' (not at each put: the folder listed once a
        build, not once a page: 200 listings of 500 entries in the 200-page edition)."""
        from ..atomic import prune_oldest

        if self.written:
            try:
                prune_oldest(self.folder, ".json", self.KEEP)
            except OSError:
                pass


# .cache/output/<Document.key>.pdf: a PDF this backend rendered and the preflight passed, for a later build of
# the same document (a warm build of unchanged inputs: no ReportLab, no pikepdf, no preflight). Each entry
# holds a digest of its bytes: a damaged one is a miss, never used.
OUTPUT_FORMAT = b"highlight-output/1\n"
OUTPUT_KEEP = 8  # entries kept, newest first (one is the size of the PDF: 350 KB for 2022-23)


def _kept_path(document: Document) -> str | None:
    if document.key is None:
        return None
    return os.path.join(document.project, ".cache", "output", hashlib.sha256(document.key).hexdigest() + ".pdf")


def read_kept(document: Document) -> bytes | None:
    """The output kept for this document's key, or None (none kept, damaged, or no key)."""
    path = _kept_path(document)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    head = len(OUTPUT_FORMAT) + 65
    if not data.startswith(OUTPUT_FORMAT) or data[head - 1:head] != b"\n":
        return None
    body = data[head:]
    if hashlib.sha256(body).hexdigest().encode() != data[len(OUTPUT_FORMAT):head - 1]:
        return None
    return body


def keep(document: Document, data: bytes) -> None:
    """Keep `data` under the document's key (the oldest entries go); a failure only costs the next build time."""
    from ..atomic import prune_oldest, replace_file

    path = _kept_path(document)
    if path is None:
        return
    try:
        replace_file(path, OUTPUT_FORMAT + hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
        prune_oldest(os.path.dirname(path), ".pdf", OUTPUT_KEEP)
    except OSError:
        pass


def _redrawn(document: Document) -> list[int] | None:
    """The indexes of the pages an untagged print preview draws again, the others taken from the previous
    output (Document.previous: the same session's last preview with the same layout, fonts and metadata; its
    unchanged pages are the very same objects); None when it is drawn whole: a tagged (print) build, a screen
    file (its outline and links name every page), a different number of pages, or most of them changed."""
    if document.previous is None or document.tagged or document.meta.target != "print":
        return None
    before = document.previous[0]
    if len(before) != len(document.pages):
        return None
    changed = [i for i, (old, new) in enumerate(zip(before, document.pages)) if old is not new]
    return changed if 2 * len(changed) <= len(document.pages) else None


def prepare_previews() -> None:
    """Import what splicing a preview needs (pikepdf: 50 ms and more), so that `watch`'s first edit does not wait
    for it (called once its first build is done)."""
    import pikepdf  # noqa: F401


def splice(previous: bytes, drawn: bytes, indexes: list[int]) -> bytes:
    """`previous` with its pages at `indexes` replaced by the pages of `drawn`, in order (a preview: the pages
    drawn alone bring their own font subsets; the streams are copied as they are, not decoded)."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(previous)) as pdf, pikepdf.open(io.BytesIO(drawn)) as new:
        for source, index in enumerate(indexes):
            pdf.pages[index] = new.pages[source]
        out = io.BytesIO()
        pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve, deterministic_id=True)
        return out.getvalue()


def run_preflight(data: bytes, document: Document, diags: Diagnostics) -> None:
    """Every failed preflight check is an error: a print file that fails it is not written. A failure about
    a picture is located at the picture's element (the first raster on its page), not only at its page."""
    from ..layout import Picture
    from ..linestore import code_replaced
    from ..preflight import PreflightRules, preflight

    layout, target = document.layout, document.meta.target
    g = layout.geometry.page
    objects = getattr(data, "objects", None)  # (render.FinishedPdf: what the bytes were written from)
    rules = PreflightRules(target=target, bleed_mm=g.bleed_mm, safe_mm=g.safe_mm, require_pdfx=target == "print",
                           min_image_ppi=layout.geometry.images.min_ppi_error)
    memo = None if code_replaced() else PageFindings(os.path.join(document.project, ".cache", "preflight"))
    report = preflight(objects if objects is not None else data, rules, memo=memo,
                       read_back=bytes(data) if objects is not None else None)
    if memo is not None:
        memo.prune()
    failures = report.failures
    pictures = {p.number: [i.ref for i in p.items if isinstance(i, Picture) and i.path
                           and os.path.splitext(i.path)[1].lower() not in (".pdf", ".svg")]
                for p in document.pages} if failures else {}  # (where a failure is placed: only when there is one)
    for finding in failures:
        placed = pictures.get(finding.page or 0) if finding.check.startswith("image-") else None
        where = placed[0] if placed else None
        diags.error(f"preflight-{finding.check}", finding.detail, where, page=finding.page,
                    hint="the layout or the renderer produced this; see `highlight preflight` on a proof build")
