"""A `watch` preview draws again only the pages that changed (issue 28, item 5): the others are taken from the
same session's previous preview, and the spliced file shows what a preview drawn whole shows, page by page."""
from __future__ import annotations

import os

from conftest import ROOT, copy_project

import highlight.render
from highlight.build import BuildOptions, BuildSession


def _pictures(path: str) -> list[bytes]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return [pdf[i].render(scale=50 / 72).to_pil().tobytes() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_a_preview_after_an_edit_draws_only_the_edited_page_and_shows_what_a_whole_drawing_shows(tmp_path,
                                                                                                  monkeypatch):
    project = copy_project(tmp_path, ("layout", "fonts", "profiles", os.path.join("content", "2022-23")), cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    edition = os.path.join(project, "content", "2022-23")
    drawn: list[list[int]] = []
    real = highlight.render.render_pdf
    monkeypatch.setattr(highlight.render, "render_pdf", lambda pages, *a: drawn.append([p.number for p in pages])
                        or real(pages, *a))
    preview = BuildOptions(edition, str(tmp_path / "w.pdf"), preflight=False, preview="watch")
    session = BuildSession()
    assert not session.build(preview).diagnostics.has_errors()
    assert drawn == [list(range(1, 9))]
    page = os.path.join(edition, "p7-growth-continued.yaml")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "formally opened"))
    drawn.clear()
    assert not session.build(preview).diagnostics.has_errors()
    assert drawn == [[7]]  # page 7 alone, spliced into the last preview
    spliced = _pictures(str(tmp_path / "w.pdf"))
    drawn.clear()
    assert not session.build(preview).diagnostics.has_errors()  # nothing changed: the last preview as it was
    assert drawn == [] and _pictures(str(tmp_path / "w.pdf")) == spliced
    whole = BuildOptions(edition, str(tmp_path / "whole.pdf"), preflight=False, preview="watch")
    assert not BuildSession().build(whole).diagnostics.has_errors()
    assert drawn == [list(range(1, 9))]
    assert _pictures(str(tmp_path / "whole.pdf")) == spliced  # every page as a preview drawn whole shows it
