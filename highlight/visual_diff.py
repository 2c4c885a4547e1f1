"""Two PDFs compared page by page (`highlight diff`, `serve`'s changes): the words and figures removed and added,
and with an output folder a picture of each changed page, the changed pixels in red over the new page."""
from __future__ import annotations

from dataclasses import dataclass

from . import check
from .check import _tokens, shown_tokens


@dataclass
class PageChange:
    number: int
    removed: list
    added: list
    picture: str | None = None


def diff_pdfs(old_pdf: str, new_pdf: str, out_dir: str | None = None, dpi: int = 100) -> list[PageChange]:
    """Per page, the words and figures removed and added; with `out_dir`, a picture of each changed page
    (changed pixels in red over the new page, faded)."""
    import difflib

    old_pages, new_pages = check.read_pages(old_pdf), check.read_pages(new_pdf)  # (the read-back's reader)
    changes = []
    for index in range(max(len(old_pages), len(new_pages))):
        old_text = old_pages[index].text if index < len(old_pages) else ""
        new_text = new_pages[index].text if index < len(new_pages) else ""
        old, new = _tokens(old_text), _tokens(new_text)
        removed, added = [], []
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op in ("replace", "delete"):
                removed.append(shown_tokens(old_text, a1, a2))
            if op in ("replace", "insert"):
                added.append(shown_tokens(new_text, b1, b2))
        picture = None
        if out_dir is not None:
            picture = _visual_diff(old_pdf, new_pdf, index, out_dir, dpi)
        if removed or added or picture:
            changes.append(PageChange(index + 1, removed, added, picture))
    return changes


def _visual_diff(old_pdf: str, new_pdf: str, index: int, out_dir: str, dpi: int) -> str | None:
    import os

    import pypdfium2 as pdfium
    from PIL import Image, ImageChops

    def render(path: str):
        pdf = pdfium.PdfDocument(path)
        try:
            return pdf[index].render(scale=dpi / 72).to_pil().convert("RGB") if index < len(pdf) else None
        finally:
            pdf.close()

    old, new = render(old_pdf), render(new_pdf)
    if old is None or new is None:
        base = new or old
        old = old or Image.new("RGB", base.size, "white")
        new = new or Image.new("RGB", base.size, "white")
    if old.size != new.size:
        old = old.resize(new.size)
    changed = ImageChops.difference(old, new).convert("L").point(lambda v: 255 if v > 24 else 0)
    if changed.getbbox() is None:
        return None
    faded = Image.blend(new, Image.new("RGB", new.size, "white"), 0.7)
    red = Image.new("RGB", new.size, (230, 0, 0))
    picture = Image.composite(red, faded, changed)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"page-{index + 1:02d}.png")
    picture.save(path, optimize=True)
    return path
