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


def test_a_long_session_forgets_earlier_builds_pages_not_this_builds(monkeypatch):
    """The memo of characters_used is bounded for a long `watch` session: over its limit it forgets the pages of
    earlier builds, never the pages of the build asking (which cleared everything, so that after ~12 builds in
    one process every page was read again: test_preview_pages failed after test_edition_layout and
    test_workflow)."""
    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.checks import glyphs
    from highlight.diagnostics import Diagnostics

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    stale = {-n: (object(), None, {}) for n in range(1, 4 * len(edition.pages) + 60)}  # earlier builds' pages
    monkeypatch.setattr(glyphs, "_PAGES", dict(stale))
    read: list[int] = []
    real = glyphs._page_characters
    monkeypatch.setattr(glyphs, "_page_characters", lambda page, sep: read.append(page.page) or real(page, sep))
    first = glyphs.characters_used(edition, layout)
    assert read == [page.page for page in edition.pages]
    read.clear()
    assert glyphs.characters_used(edition, layout) == first and read == []
    assert all(key not in glyphs._PAGES for key in stale), "the earlier builds' pages are forgotten"


def test_the_characters_of_an_unchanged_page_are_not_read_again_and_an_edited_page_is(monkeypatch):
    """characters_used (the glyph check's input, every build) keeps each page's characters for the very page
    object: a rebuild reads only the pages that changed, and answers what reading every page answers."""
    from dataclasses import replace

    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.checks import glyphs
    from highlight.diagnostics import Diagnostics

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    read: list[int] = []
    real = glyphs._page_characters
    monkeypatch.setattr(glyphs, "_page_characters", lambda page, sep: read.append(page.page) or real(page, sep))
    first = glyphs.characters_used(edition, layout)
    read.clear()
    assert glyphs.characters_used(edition, layout) == first and read == []
    page = edition.pages[6]
    block = page.blocks[0]
    heading = block.elements[0]  # page 7's band heading: a new character in its English
    edited = replace(page, blocks=(replace(block, elements=(replace(heading, en="Ǆ " + heading.en),)
                                           + block.elements[1:]),) + page.blocks[1:])
    changed = replace(edition, pages=edition.pages[:6] + (edited,) + edition.pages[7:])
    used = glyphs.characters_used(changed, layout)
    assert read == [edited.page] and "Ǆ" in used and "Ǆ" not in first
    glyphs._PAGES.clear()
    assert list(glyphs.characters_used(changed, layout).items()) == list(used.items())  # as read afresh


def test_a_save_made_while_the_first_build_is_announced_is_built(tmp_path):
    """`watch` compares with the files as they were when its first build began: a save while the caller
    announces that build (serve prints its address then, and a script may save at once) is built; it was
    missed when the files were looked at only after the announcement."""
    import time

    from highlight.watch import watch

    project = copy_project(tmp_path, ("layout", "fonts", "profiles", os.path.join("content", "2022-23")), cache=False)
    os.makedirs(os.path.join(project, ".cache"))
    for name in ("fonts", "profiles"):
        os.symlink(os.path.join(ROOT, ".cache", name), os.path.join(project, ".cache", name))
    edition = os.path.join(project, "content", "2022-23")
    deadline = time.monotonic() + 20
    builds = watch(BuildOptions(edition, str(tmp_path / "w.pdf")), stop=lambda: time.monotonic() > deadline,
                   poll_s=0.01)
    first = next(builds)
    assert not first.changed and not first.result.diagnostics.has_errors()
    page = os.path.join(edition, "p7-growth-continued.yaml")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page + ".saving", "w", encoding="utf-8") as f:
        f.write(text.replace("officially opened", "formally opened"))
    os.replace(page + ".saving", page)
    second = next(builds, None)
    builds.close()
    assert second is not None and second.changed == (page,)


def test_only_a_text_with_a_bracket_to_open_and_one_to_close_is_checked_for_a_split_bracket(monkeypatch):
    """characters_used adds the brackets the layout completes for a bracket split across the languages; plain()
    only takes characters away, so a text whose English opens no bracket or whose Chinese closes none is not
    made plain again for it (4 ms of every build went to checking every bilingual text). The characters and their
    first places are those of checking every text. Fails on the code before (every bilingual text checked)."""
    from conftest import EDITION

    from highlight.build import load_inputs
    from highlight.chars import BRACKET_PAIRS
    from highlight.checks import glyphs
    from highlight.diagnostics import Diagnostics
    from highlight.model import page_texts

    edition, layout, _ = load_inputs(EDITION, Diagnostics())
    candidates = [t for p in edition.pages for t in page_texts(p) if hasattr(t, "zh")
                  and set(t.en or "") & set(BRACKET_PAIRS) and set(t.zh or "") & set(BRACKET_PAIRS.values())]
    bilingual = [t for p in edition.pages for t in page_texts(p) if hasattr(t, "zh")]
    assert 0 < len(candidates) < len(bilingual) / 4
    checked: list[tuple] = []
    real = glyphs.split_bracket
    monkeypatch.setattr(glyphs, "_PAGES", {})
    monkeypatch.setattr(glyphs, "split_bracket", lambda en, zh: checked.append((en, zh)) or real(en, zh))
    used = glyphs.characters_used(edition, layout)
    assert len(checked) == len(candidates)
    monkeypatch.setattr(glyphs, "_PAGES", {})
    monkeypatch.setattr(glyphs, "_OPENING", frozenset(chr(c) for c in range(0x110000)))  # (every text checked)
    monkeypatch.setattr(glyphs, "_CLOSING", glyphs._OPENING)
    everything = glyphs.characters_used(edition, layout)
    assert list(used.items()) == list(everything.items()) and ")" in used and "（" in used
